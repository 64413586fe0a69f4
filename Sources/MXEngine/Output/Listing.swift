import MXModel

/// `list` laid out as it is read, so that listing 100,000 domains holds a batch of
/// them, never all (issue 11: a listing streams). Objects (a collection's domains,
/// users, settings) are printed as they come once the first `Listing.layoutRows` have
/// fixed the columns: a table's widths, or the CSV header. A later cell wider than its
/// column is cut to fit a terminal, as the first rows' are, and printed whole
/// elsewhere. Records and plain values (already in memory) are laid out all at once,
/// as `render` does; so is JSON, one value in the run's one document.
struct Listing {
    static let layoutRows = 1000
    let format: OutputFormat
    let width: Int?
    private var pending: [Value] = []
    private var layout: Layout?

    private enum Layout {
        case table(header: [String], TableLayout)
        case csv(header: [String])
    }

    init(format: OutputFormat, width: Int?) {
        self.format = format
        self.width = width
    }

    /// What to print now for `item` (nothing while the first rows wait for the layout).
    mutating func add(_ item: Value) -> String {
        guard let layout else {
            pending.append(item)
            return pending.count >= Self.layoutRows ? start() : ""
        }
        switch layout {
        case .table(let header, let t): return t.line(tableRow(item, header), cut: width != nil) + "\n"
        case .csv(let header): return csvLine(csvRow(item, header))
        }
    }

    /// The rest: the whole listing when it was short or not of objects.
    mutating func finish() -> String {
        guard layout != nil else { return render(.list(pending), format: format, width: width) + "\n" }
        // `render` ends a CSV listing with an empty line, and so does this.
        return format == .csv ? "\n" : ""
    }

    /// The header and the rows so far, and the layout every later row follows.
    private mutating func start() -> String {
        guard format != .json, case .object? = pending.first,
            let (header, rows) = format == .csv ? tabulateAll(pending) : tabulate(pending)
        else { return "" }
        pending = []
        if format == .csv {
            layout = .csv(header: header)
            return csvLine(header) + rows.map(csvLine).joined()
        }
        let t = TableLayout(header: header, rows: rows, width: width)
        layout = .table(header: header, t)
        return ([t.line(header), t.rule] + rows.map { t.line($0) }).map { $0 + "\n" }.joined()
    }
}
