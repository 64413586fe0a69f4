import MXModel

#if canImport(Glibc)
    import Glibc
#endif

public struct CSVError: Error {
    public let message: String
    /// The message starts with `file:line:column` already.
    public var located = false
    public init(message: String, located: Bool = false) {
        self.message = message
        self.located = located
    }
}

/// RFC 4180: quoted fields, doubled quotes, CRLF or LF. The first row is the header;
/// each later row becomes a record keyed by it. Values stay text.
public func parseCSV(_ text: String, file: String? = nil) throws -> [Record] {
    try parseCSV(bytes: Array(text.utf8), file: file)
}

/// The same, of bytes read whole (which may not be UTF-8: that is an error, located).
public func parseCSV(bytes: [UInt8], file: String? = nil) throws -> [Record] {
    var records: [Record] = []
    var reader = CSVReader(file: file)
    var next = bytes.startIndex
    while let row = try reader.nextRecord(in: bytes, from: &next) { records.append(row) }
    if let row = try reader.finish() { records.append(row) }
    return records
}

/// A CSV file read a row at a time, as a loop asks for them (`for r in csv("big.csv")`):
/// memory stays that of one row, however long the file; a row longer than `maxRowBytes`
/// (a file with no line ends, /dev/zero) is an error, and so are bytes that are not UTF-8,
/// naming the file, line and column. The loop that reads it runs in its own frame, with
/// no callbacks between the file and the loop's body. The file is closed when the reader goes.
public final class CSVFile {
    let path: String
    private let handle: UnsafeMutablePointer<FILE>
    private var reader: CSVReader
    private let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 65536)
    /// Bytes read into `buffer`, and how far the reader has gone through them.
    private var count = 0, position = 0
    private var atEnd = false, finished = false
    private var readError: FileError?

    public init(path: String, maxRowBytes: Int = 16 << 20) throws {
        guard let f = fopen(path, "rb") else {
            buffer.deallocate()
            throw FileError(message: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        self.path = path
        handle = f
        reader = CSVReader(file: path, maxRowBytes: maxRowBytes)
    }

    deinit {
        fclose(handle)
        buffer.deallocate()
    }

    /// The next row's record; nil at the end of the file. The record is the one the last
    /// row came as when nothing else holds that one any more.
    public func next() throws -> Record? {
        while !finished {
            if position < count {
                var i = position
                defer { position = i }
                if let row = try reader.nextRecord(in: UnsafeBufferPointer(rebasing: buffer[0..<count]), from: &i) {
                    return row
                }
            }
            if atEnd {
                finished = true
                // The rows before a read error were read, and their loop ran: then the error.
                if let readError { throw readError }
                return try reader.finish()
            }
            count = fread(buffer.baseAddress, 1, buffer.count, handle)
            position = 0
            if count < buffer.count {
                if ferror(handle) != 0 {
                    readError = FileError(message: "cannot read \(path): \(String(cString: strerror(errno)))")
                }
                atEnd = true
            }
        }
        return nil
    }
}

/// The CSV state machine, fed a chunk at a time.
struct CSVReader {
    let file: String?
    var maxRowBytes = Int.max
    /// The header's keys (nil until the header is read), made once and shared by every
    /// row's record.
    var keys: RecordKeys?
    /// The header's column count, once read.
    var columns = 0
    /// The fields of the row being read, as the values its record holds: the buffer goes
    /// to the record, and comes back for the next row when the loop kept no record.
    var row: [Value] = []
    /// The record the last row was given as, reused for the next when nothing kept it.
    var last: Record?
    /// Some byte of the field being read is not ASCII: only then is it checked as UTF-8.
    var fieldHigh: UInt8 = 0
    var rowBytes = 0
    var field: [UInt8] = []
    /// The field just read, already text, when it was read whole from one chunk; the
    /// comma or line end that follows ends it.
    var ready: String?
    var fieldLine = 1, fieldColumn = 1
    var inQuotes = false
    var afterCR = false
    var started = false
    var line = 1, column = 1
    var rowStart = 1
    var quoteLine = 0

    init(file: String?, maxRowBytes: Int = Int.max) {
        self.file = file
        self.maxRowBytes = maxRowBytes
    }

    /// Feeds bytes; false when `body` asked to stop.
    mutating func feed<C: Collection>(_ chunk: C, _ body: (Record) throws -> Bool) throws -> Bool
    where C.Element == UInt8 {
        var next = chunk.startIndex
        while let row = try nextRecord(in: chunk, from: &next) {
            if try !body(row) { return false }
        }
        return true
    }

    /// Reads `chunk` from `start` until a row ends: that row's record, with `start` just
    /// past its line end. Nil when the chunk ran out first, with `start` at its end: the
    /// next chunk goes on where this one stopped.
    mutating func nextRecord<C: Collection>(in chunk: C, from start: inout C.Index) throws -> Record?
    where C.Element == UInt8 {
        var next = start
        defer { start = next }
        let end = chunk.endIndex
        while next != end {
            let here = next
            let c = chunk[next]
            next = chunk.index(after: next)
            if !started {
                // A byte-order mark is skipped (only whole, at the very start).
                started = true
                if c == 0xEF { bom = 1; continue }
            } else if bom > 0 && bom < 3 {
                let want: UInt8 = bom == 1 ? 0xBB : 0xBF
                if c == want { bom += 1; continue }
                // Not a mark after all: those bytes were data.
                field.append(0xEF)
                if bom == 2 { field.append(0xBB) }
                fieldHigh |= 0xEF
                bom = 3
            } else if bom < 3 {
                bom = 3
            }
            if afterCR {
                afterCR = false
                if c == 10 { continue }
            }
            rowBytes += 1
            if rowBytes > maxRowBytes {
                throw CSVError(message: "row \(rowStart) is longer than \(maxRowBytes >> 20) MB (is it a CSV file?)")
            }
            if inQuotes {
                if c == UInt8(ascii: "\"") {
                    if pendingQuote { field.append(c); pendingQuote = false; column += 1; continue }
                    pendingQuote = true
                    column += 1
                    continue
                }
                if pendingQuote {
                    // The quote before closed the field.
                    pendingQuote = false
                    inQuotes = false
                } else {
                    if c == 10 { line += 1; column = 1 } else if c & 0xC0 != 0x80 { column += 1 }
                    fieldHigh |= c
                    field.append(c)
                    continue
                }
            }
            if c == UInt8(ascii: "\"") && field.isEmpty {
                inQuotes = true
                quoteLine = line
                column += 1
                fieldLine = line; fieldColumn = column
            } else if c == UInt8(ascii: ",") {
                try endField()
                column += 1
                fieldLine = line; fieldColumn = column
            } else if c == 10 || c == 13 {
                afterCR = c == 13
                try endField()
                line += 1
                column = 1
                if let row = try endRow() { return row }
            } else {
                if field.isEmpty { fieldLine = line; fieldColumn = column }
                if c & 0xC0 != 0x80 { column += 1 }
                fieldHigh |= c
                // The rest of the run of ordinary bytes at once: nothing changes state
                // before the next comma, quote or line end.
                var runEnd = next
                while runEnd != end {
                    let d = chunk[runEnd]
                    if d == UInt8(ascii: ",") || d == UInt8(ascii: "\"") || d == 10 || d == 13 { break }
                    if d & 0xC0 != 0x80 { column += 1 }
                    fieldHigh |= d
                    runEnd = chunk.index(after: runEnd)
                }
                if runEnd != next {
                    rowBytes += chunk.distance(from: next, to: runEnd)
                    if rowBytes > maxRowBytes {
                        throw CSVError(
                            message: "row \(rowStart) is longer than \(maxRowBytes >> 20) MB (is it a CSV file?)")
                    }
                }
                // Most fields are ASCII, whole in this chunk and ended by a comma or a
                // line end: their text is made from the chunk, not copied byte by byte first.
                if field.isEmpty, fieldHigh < 0x80, runEnd != end, chunk[runEnd] != UInt8(ascii: "\"") {
                    ready = String(decoding: chunk[here..<runEnd], as: UTF8.self)
                } else {
                    field.append(contentsOf: chunk[here..<runEnd])
                }
                next = runEnd
            }
        }
        return nil
    }

    var bom = 0
    var pendingQuote = false

    mutating func finish(_ body: (Record) throws -> Bool) throws {
        if let row = try finish() { _ = try body(row) }
    }

    /// The end of the input: the last row when its line had no line end.
    mutating func finish() throws -> Record? {
        if pendingQuote { pendingQuote = false; inQuotes = false }
        if inQuotes { throw CSVError(message: "line \(quoteLine): a quoted field is not closed") }
        if !field.isEmpty || !row.isEmpty {
            try endField()
            return try endRow()
        }
        // No header at all: an empty file is not a table with no rows (a file cut short
        // or not yet written must not read as "nothing to do").
        if keys == nil { throw CSVError(message: "the file is empty: a CSV file starts with a header row") }
        return nil
    }

    mutating func endField() throws {
        if let text = ready {
            row.append(.string(text))
            ready = nil
            return
        }
        if fieldHigh & 0x80 != 0, firstInvalidUTF8(field) != nil {
            do { try checkUTF8(field, file: file ?? "CSV", firstLine: fieldLine, firstColumn: fieldColumn) } catch let e
                as FileError
            {
                throw CSVError(message: e.message, located: true)
            }
        }
        row.append(.string(String(decoding: field, as: UTF8.self)))
        // The buffers are kept for the next field and row: a 300,000-row file is
        // otherwise two allocations per field.
        field.removeAll(keepingCapacity: true)
        fieldHigh = 0
    }

    /// The row just ended, as a record; nil for the header and for an empty line.
    mutating func endRow() throws -> Record? {
        defer {
            row.removeAll(keepingCapacity: true)
            rowBytes = 0
            rowStart = line
            fieldLine = line; fieldColumn = 1
        }
        // An empty line (one empty field) is no row. Asked without building [""] per row.
        if row.count == 1, case .string(let s) = row[0], s.isEmpty { return nil }
        guard let keys else {
            let names = row.map { field -> String in
                guard case .string(let s) = field else { return "" }
                return s.trimmingSpaces
            }
            // A duplicated column would silently hide one of the two; a column with no
            // name (a trailing comma) could only be read as r[""].
            var seen: [String: Int] = [:]
            for (i, name) in names.enumerated() {
                if name.isEmpty {
                    throw CSVError(
                        message: "column \(i + 1) of the header has no name"
                            + (i == names.count - 1 && i > 0 ? " (a comma at the end of the header line?)" : ""))
                }
                if let first = seen[name] {
                    throw CSVError(
                        message: "the header names '\(name)' twice (columns \(first + 1) and \(i + 1)); rename one")
                }
                seen[name] = i
            }
            keys = RecordKeys(names)
            columns = names.count
            return nil
        }
        guard row.count == columns else {
            throw CSVError(
                message: "row \(rowStart) has \(row.count) field\(row.count == 1 ? "" : "s"), "
                    + "the header has \(columns)")
        }
        let origin = file.map { RowOrigin(file: $0, line: rowStart) }
        // The last row's record is reused when the loop let go of it; otherwise the row's
        // buffer goes to a new record and the reader starts another.
        if last == nil || !last!.exchangeValues(&row, keys: keys, origin: origin) {
            last = Record(keys: keys, values: row, origin: origin)
            row = []
            row.reserveCapacity(columns)
        }
        return last
    }
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or CR first)
/// gets a leading `'`, so an exported vendor value cannot run anything; a number
/// (`-5`, `+3.5`) is left as it is.
public func neutralisedCell(_ s: String) -> String {
    guard let first = s.utf8.first,
        [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 9, 13].contains(first)
    else { return s }
    if s.utf8.count > 1, s.utf8.dropFirst().allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: ".") }),
        first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
    {
        return s
    }
    return "'" + s
}

/// CSV text: a header and one line per row; fields quoted when they need it, and
/// cells that would be formulas neutralised.
public func formatCSV(header: [String], rows: [[String]]) -> String {
    var out = csvLine(header)
    for r in rows { out += csvLine(r) }
    return out
}

/// One CSV line, its line end included.
func csvLine(_ cells: [String]) -> String {
    func quote(_ s: String) -> String {
        let s = neutralisedCell(s)
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingAll("\"", "\"\"") + "\""
        }
        return s
    }
    return cells.map(quote).joined(separator: ",") + "\n"
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
