import MXModel

public struct CSVError: Error {
    public let message: String
}

/// RFC 4180: quoted fields, doubled quotes, CRLF or LF. The first row is the header;
/// each later row becomes a record keyed by it. Values stay text.
public func parseCSV(_ text: String, file: String? = nil) throws -> [Record] {
    var rows: [[String]] = []
    var rowLines: [Int] = []  // the line each row starts on
    var rowStart = 1
    var row: [String] = []
    var field: [UInt8] = []
    var inQuotes = false
    var line = 1
    var quoteLine = 0
    let bytes = Array(text.utf8)
    var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0  // a byte-order mark
    func endField() { row.append(String(decoding: field, as: UTF8.self)); field = [] }
    while i < bytes.count {
        let c = bytes[i]
        if inQuotes {
            if c == UInt8(ascii: "\"") {
                if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") { field.append(c); i += 2; continue }
                inQuotes = false
            } else {
                if c == 10 { line += 1 }
                field.append(c)
            }
        } else if c == UInt8(ascii: "\"") && field.isEmpty {
            inQuotes = true
            quoteLine = line
        } else if c == UInt8(ascii: ",") {
            endField()
        } else if c == 10 || c == 13 {
            if c == 13, i + 1 < bytes.count, bytes[i + 1] == 10 { i += 1 }
            endField()
            rows.append(row)
            rowLines.append(rowStart)
            row = []
            line += 1
            rowStart = line
        } else {
            field.append(c)
        }
        i += 1
    }
    if inQuotes { throw CSVError(message: "line \(quoteLine): a quoted field is not closed") }
    if !field.isEmpty || !row.isEmpty { endField(); rows.append(row); rowLines.append(rowStart) }
    let kept = zip(rows, rowLines).filter { $0.0 != [""] }
    guard let header = kept.first?.0 else { return [] }
    var records: [Record] = []
    for (r, startLine) in kept.dropFirst() {
        guard r.count == header.count else {
            throw CSVError(message: "row \(startLine) has \(r.count) fields, the header has \(header.count)")
        }
        var record = Record(zip(header, r).map { ($0.trimmingSpaces, Value.string($1)) })
        record.origin = file.map { RowOrigin(file: $0, line: startLine) }
        records.append(record)
    }
    return records
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or CR first)
/// gets a leading `'`, so an exported vendor value cannot run anything; a number
/// (`-5`, `+3.5`) is left as it is.
public func neutralisedCell(_ s: String) -> String {
    guard let first = s.utf8.first, [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 9, 13].contains(first)
    else { return s }
    if s.utf8.count > 1, s.utf8.dropFirst().allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: ".") }),
       first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { return s }
    return "'" + s
}

/// CSV text: a header and one line per row; fields quoted when they need it, and
/// cells that would be formulas neutralised.
public func formatCSV(header: [String], rows: [[String]]) -> String {
    func quote(_ s: String) -> String {
        let s = neutralisedCell(s)
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingAll("\"", "\"\"") + "\""
        }
        return s
    }
    var out = header.map(quote).joined(separator: ",") + "\n"
    for r in rows { out += r.map(quote).joined(separator: ",") + "\n" }
    return out
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
