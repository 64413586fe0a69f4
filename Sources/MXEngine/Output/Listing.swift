import MXModel

/// `list` and `export` laid out as they are read, so that listing 100,000 domains holds
/// a batch of them, never all (issue 11: a listing streams). JSON is written element by
/// element: the array's `[` with the first item, each later one after its comma, the `]`
/// at the end. Objects (a collection's domains, users, settings) are printed as they come
/// once the first `Listing.layoutRows` have fixed the columns: a table's widths, or the
/// CSV header. A later cell wider than its column is cut to fit a terminal, as the first
/// rows' are, and printed whole elsewhere. Records and plain values in a table or CSV
/// (already in memory) are laid out all at once, as `render` does.
struct Listing {
    static let layoutRows = 1000
    let format: OutputFormat
    let width: Int?
    /// `export`: JSON keeps each object's raw record; CSV of plain values has a `value`
    /// column and ends without the empty line a printed listing ends with.
    let forFile: Bool
    private var pending: [Value] = []
    private var layout: Layout?
    /// JSON elements written so far.
    private var written = 0

    private enum Layout {
        case table(header: [String], TableLayout)
        case csv(header: [String])
    }

    init(format: OutputFormat, width: Int?, forFile: Bool = false) {
        self.format = format
        self.width = width
        self.forFile = forFile
    }

    /// What to print now for `item` (nothing while the first rows wait for the layout).
    mutating func add(_ item: Value) -> String {
        if format == .json { return jsonElement(item) }
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
        if format == .json { return written == 0 ? "[]\n" : "\n]\n" }
        guard layout != nil else {
            if forFile { return fileCSV(pending) }
            return render(.list(pending), format: format, width: width) + "\n"
        }
        // `render` ends a CSV listing with an empty line, and so does this (not a file).
        return format == .csv && !forFile ? "\n" : ""
    }

    /// One element of the JSON array, as `jsonText` of the whole list indents it.
    private mutating func jsonElement(_ item: Value) -> String {
        var out = written == 0 ? "[\n  " : ",\n  "
        writeJSON(item, into: &out, indent: 1, pretty: true, includeRaw: forFile)
        written += 1
        return out
    }

    /// An exported CSV of what was held back: a table of objects or records, else one
    /// value per row.
    private func fileCSV(_ items: [Value]) -> String {
        let (header, rows) = tabulateAll(items) ?? (["value"], items.map { [$0.text] })
        return formatCSV(header: header, rows: rows)
    }

    /// The header and the rows so far, and the layout every later row follows.
    private mutating func start() -> String {
        guard case .object? = pending.first,
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
