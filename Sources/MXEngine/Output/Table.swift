import MXModel

/// Columns shown by `list` for each kind; `show` and JSON/CSV give every field.
func tableColumns(for kind: ObjectKind) -> [String] {
    switch kind {
    case .domain: return ["name", "status", "destination", "aliases", "relay"]
    case .user: return ["email", "name", "status", "domain"]
    case .settings: return []
    }
}

/// A plain-text table: a header, a rule, and rows; cells cut with `…` to fit `width`.
public func formatTable(header: [String], rows: [[String]], width: Int? = nil) -> String {
    let layout = TableLayout(header: header, rows: rows, width: width)
    var out = layout.line(header) + "\n"
    out += layout.rule + "\n"
    for r in rows { out += layout.line(r) + "\n" }
    return out
}

/// A table's column widths: each column as wide as its widest cell, the widest shrunk
/// (never below 8) until the table fits `width`.
struct TableLayout {
    var widths: [Int]

    init(header: [String], rows: [[String]], width: Int?) {
        widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        if let width {
            var total = widths.reduce(0, +) + 2 * max(0, widths.count - 1)
            while total > width, let i = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[i] > 8 {
                widths[i] -= 1
                total -= 1
            }
        }
    }

    var rule: String { line(widths.map { String(repeating: "-", count: $0) }) }

    /// One row; `cut: false` prints a cell wider than its column whole (the row then
    /// runs past the columns after it) rather than losing its end.
    func line(_ cells: [String], cut: Bool = true) -> String {
        var parts: [String] = []
        for (i, w) in widths.enumerated() {
            var c = i < cells.count ? cells[i] : ""
            if cut, c.count > w { c = String(c.prefix(max(0, w - 1))) + "…" }
            parts.append(i == widths.count - 1 ? c : c + String(repeating: " ", count: max(0, w - c.count)))
        }
        // Empty last cells leave no trailing spaces.
        var text = parts.joined(separator: "  ")
        while text.last == " " { text.removeLast() }
        return text
    }
}

/// How a list of values is laid out: a table of objects or records, or one per line.
func tabulate(_ items: [Value]) -> (header: [String], rows: [[String]])? {
    guard let first = items.first else { return nil }
    switch first {
    case .object(let ref):
        let kind = ref.kind
        var header = kind == .settings ? objectFields(ref, includeRaw: false).map(\.0) : tableColumns(for: kind)
        let connections = Set(
            items.compactMap {
                if case .object(let r) = $0 { return r.connection }; return nil
            })
        if connections.count > 1 { header.append("connection") }
        return (header, items.map { tableRow($0, header) })
    case .record(let r):
        var header = r.keys
        for case .record(let other) in items { for k in other.keys where !header.contains(k) { header.append(k) } }
        let rows = items.map { item -> [String] in
            guard case .record(let rec) = item else { return [item.text] }
            return header.map { cellText(rec[$0] ?? .none) }
        }
        return (header, rows)
    default:
        return nil
    }
}

/// An item's cells under a table's `header` (an object's fields, or its text).
func tableRow(_ item: Value, _ header: [String]) -> [String] {
    guard case .object(let r) = item else { return [item.text] }
    return header.map { name in name == "connection" ? r.connection : cellText(r.field(name) ?? .none) }
}

/// A cell: lists joined with commas, none as empty.
func cellText(_ v: Value) -> String {
    switch v {
    case .none: return ""
    case .list(let items): return items.map(\.text).joined(separator: ",")
    default: return v.text
    }
}

/// A value as the chosen format shows it.
public func render(_ v: Value, format: OutputFormat, width: Int? = nil) -> String {
    let v = maskingCredentialMembers(v)
    switch format {
    case .json:
        return jsonText(v)
    case .csv:
        if case .list(let items) = v {
            // No rows: a header alone (`[]` would be read as one, and nothing at all as a
            // file cut short, which `csv()` refuses), as `export` writes plain values.
            if items.isEmpty { return "value\n" }
            // Plain values one per row under `value`, as `export` writes them.
            let (header, rows) = tabulateAll(items) ?? (["value"], items.map { [$0.text] })
            return formatCSV(header: header, rows: rows)
        }
        if case .object = v, let (header, rows) = tabulateAll([v]) { return formatCSV(header: header, rows: rows) }
        return v.text
    case .table:
        switch v {
        case .list(let items):
            if items.isEmpty { return "(none)" }
            if let (header, rows) = tabulate(items) {
                var t = formatTable(header: header, rows: rows, width: width)
                t.removeLast()
                return t
            }
            return items.map(\.text).joined(separator: "\n")
        case .object(let ref):
            return describe(ref)
        default:
            return v.text
        }
    }
}

/// Every field of objects or records, for CSV and export.
func tabulateAll(_ items: [Value]) -> (header: [String], rows: [[String]])? {
    guard case .object(let first)? = items.first else { return tabulate(items) }
    let header = objectFields(first, includeRaw: false).map(\.0)
    return (header, items.map { csvRow($0, header) })
}

/// An item's cells under a CSV `header`: every field of an object, or its text.
func csvRow(_ item: Value, _ header: [String]) -> [String] {
    guard case .object(let r) = item else { return [item.text] }
    let fields = Dictionary(objectFields(r, includeRaw: false), uniquingKeysWith: { a, _ in a })
    return header.map { cellText(fields[$0] ?? .none) }
}

/// A vendor's own field as `show` prints it: its value, and (OpenSRS's null attributes)
/// the value it inherits from above when it has none of its own.
struct OwnField {
    let name: String
    let value: Value
    let inherits: Value?
}

/// `show d`: every neutral field, one per line, then the vendor's own fields (an
/// inherited value said as such), then the vendor's raw record.
func describe(_ ref: ObjectRef, own: [OwnField] = [], vendor: String = "") -> String {
    let fields = objectFields(ref, includeRaw: false)
    let width = fields.map(\.0.count).max() ?? 0
    func shown(_ v: Value) -> String {
        switch v {
        case .none: return "none"
        case .list(let items) where items.isEmpty: return "(empty)"
        case .list(let items): return items.map(\.text).joined(separator: ", ")
        case .string(let s) where s.isEmpty: return "\"\""
        default: return v.text
        }
    }
    func line(_ k: String, _ text: String, _ width: Int) -> String {
        k + String(repeating: " ", count: max(0, width - k.count)) + "  " + text
    }
    var out = fields.map { k, v in line(k, shown(v), width) }
    // The vendor's own fields, a block of their own (their names are longer).
    if !own.isEmpty {
        out.append("\(vendor)'s own fields:")
        let ownWidth = own.map(\.name.count).max() ?? 0
        out += own.map { f in
            "  " + line(f.name, f.inherits.map { "none (inherits \($0.literal))" } ?? shown(f.value), ownWidth)
        }
    }
    if case .record(let raw)? = ref.field("raw"), raw.count > 0, ref.kind != .settings {
        out.append(line("raw", jsonText(.record(raw), pretty: false), width))
    }
    return out.joined(separator: "\n")
}

extension Value {
    var isNone: Bool { if case .none = self { return true }; return false }
}
