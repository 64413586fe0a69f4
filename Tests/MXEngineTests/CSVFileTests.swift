import Foundation
import MXEngine
import MXModel
import Testing

/// `CSVFile` reads 64 KB at a time and makes most fields' text straight from the chunk
/// it read; a row it hands out is written over by the next row when nothing kept it.
/// These read files of a few hundred KB, so that rows and fields of every kind cross
/// chunk boundaries, and compare with what was written.
struct CSVFileTests {
    /// Rows of every kind of field: plain, quoted with commas, quotes and line ends,
    /// non-ASCII, empty; CRLF line ends on some rows, and one field longer than a chunk.
    static func rows(_ count: Int) -> [[String]] {
        (0..<count).map { i in
            switch i % 7 {
            case 0: return ["d\(i).net", "ENABLED", "10.0.\(i % 250).1"]
            case 1: return ["has, comma \(i)", "say \"hi\"", ""]
            case 2: return ["é\(i).fr", "😀", "line\nbreak"]
            case 3: return ["", "", "\(i)"]
            case 4 where i % 4_000 == 4: return [String(repeating: "x", count: 70_000), "long", "\(i)"]
            default: return ["plain\(i)", "DISABLED", "host-\(i).example.com"]
            }
        }
    }

    static func text(_ rows: [[String]]) -> String {
        func cell(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) || s.hasPrefix(" ")
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var out = "name,status,dest\n"
        for (i, row) in rows.enumerated() {
            out += row.map(cell).joined(separator: ",") + (i % 3 == 0 ? "\r\n" : "\n")
        }
        return out
    }

    static func file(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "csvfile-\(UUID().uuidString).csv"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func fields(_ r: Record) -> [String] { r.pairs.map { $0.1.text } }

    @Test func rowsAcrossChunksReadAsWritten() throws {
        let expected = Self.rows(20_000)
        let text = Self.text(expected)
        #expect(text.utf8.count > 4 * 65_536)
        let path = try Self.file(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Nothing kept: each row is read into the same record.
        var read: [[String]] = []
        let rows = try CSVFile(path: path)
        while let r = try rows.next() {
            #expect(r.keys == ["name", "status", "dest"])
            read.append(Self.fields(r))
        }
        #expect(read == expected)
        // The same text as one chunk.
        #expect(try parseCSV(text).map(Self.fields) == expected)
    }

    @Test func aKeptRowIsNotWrittenOverByTheNext() throws {
        let expected = Self.rows(3_000)
        let path = try Self.file(Self.text(expected))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var kept: [Record] = []
        let rows = try CSVFile(path: path)
        var i = 0
        while let r = try rows.next() {
            // Every other row kept; the rest let go of, so their record is reused.
            if i % 2 == 0 { kept.append(r) }
            i += 1
        }
        #expect(kept.map(Self.fields) == expected.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
        // Each row's origin is the line it starts on (a quoted line end inside a field
        // moves the rows after it down).
        var line = 2
        var starts: [Int] = []
        for row in expected {
            starts.append(line)
            line += 1 + row.reduce(0) { $0 + $1.filter { $0 == "\n" }.count }
        }
        #expect(kept.map { $0.origin?.line } == starts.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
    }
}

/// Each kind of field that changes the reader's state, cut by the 64 KB chunk boundary
/// at each of its bytes: read from the file, it is what the same text read whole is.
struct CSVChunkBoundaryTests {
    static let pieces: [(String, [UInt8])] = [
        ("a CR LF line end", Array("z\r\nx,y\n".utf8)),
        ("a doubled quote", Array("\"q\"\"r\"\nx,y\n".utf8)),
        ("a quoted line end", Array("\"m\nn\"\nx,y\n".utf8)),
        ("two-byte UTF-8", Array("é\nx,y\n".utf8)),
        ("four-byte UTF-8", Array("😀\nx,y\n".utf8)),
        ("an empty last field", Array(",\nx,y\n".utf8).dropFirst().map { $0 }),
        ("bytes that are not UTF-8", [0x61, 0xC3, 0x28, 0x0A, 0x78, 0x2C, 0x79, 0x0A])
    ]

    @Test(arguments: pieces.indices)
    func aFieldCutByTheChunkBoundaryReadsAsWhole(_ index: Int) throws {
        let (what, rest) = Self.pieces[index]
        for cut in 0..<min(rest.count, 6) {
            // The header, a padding field, then `rest` starting `cut` bytes before 65,536.
            let header = Array("a,b\n".utf8)
            let pad = [UInt8](repeating: UInt8(ascii: "p"), count: 65_536 - cut - header.count - 1)
            let bytes = header + pad + [UInt8(ascii: ",")] + rest
            let path = try CSVFileTests.file(String(decoding: bytes, as: UTF8.self))
            defer { try? FileManager.default.removeItem(atPath: path) }
            if rest.contains(0xC3) {
                // Not UTF-8: the file is written as bytes, and both readings fail alike.
                try Data(bytes).write(to: URL(fileURLWithPath: path))
            }
            let whole = Self.read { try parseCSV(bytes: bytes, file: path).map(CSVFileTests.fields) }
            let fromFile = Self.read {
                let rows = try CSVFile(path: path)
                var out: [[String]] = []
                while let r = try rows.next() { out.append(CSVFileTests.fields(r)) }
                return out
            }
            #expect(fromFile == whole, "\(what), cut \(cut) bytes in")
            #expect(!whole.isEmpty)
        }
    }

    static func read(_ body: () throws -> [[String]]) -> [[String]] {
        do { return try body() } catch let e as CSVError { return [["error", e.message]] } catch {
            return [["error", "\(error)"]]
        }
    }
}
