import MXJSON
import MXModel

/// The readers of untrusted files, as libFuzzer drives them (Sources/mxsh-fuzz,
/// scripts/fuzz.sh): none may crash, whatever the bytes.
public enum FuzzEntries {
    /// `mxsh apply PLAN`'s reader: JSON, then the plan's connections and changes.
    public static func plan(_ bytes: [UInt8]) {
        guard let json = try? JSON.parse(bytes) else { return }
        _ = try? PlanFile.decode(json, file: "fuzz.json")
    }

    /// What `undo` and `runs show` read back from a journal row: NUL-separated kind,
    /// key, operation, fields (also as `runs show` prints them), before, connect and location.
    public static func journalRecord(_ bytes: [UInt8]) {
        var parts = bytes.split(separator: 0, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        while parts.count < 7 { parts.append("") }
        let record = Journal.ChangeRecord(
            seq: 1, connection: "c", vendor: "memory", kind: parts[0], key: parts[1], operation: parts[2],
            fields: parts[3], location: parts[6], state: .done, connect: parts[5], before: parts[4],
            answer: nil, csvRow: nil)
        for vendor in VendorRegistry.all { _ = Undo.inverse(of: record, vendor: vendor) }
        if let json = try? JSON.parse(parts[5]) { _ = ConnectionOrigin(json: json)?.json.text }
        _ = PlanFile.parseLocation(parts[6])
        _ = record.fieldsText
    }

    /// JSON as vendors write it: parsed, written, parsed again to the same value.
    public static func json(_ bytes: [UInt8]) {
        guard let value = try? JSON.parse(bytes) else { return }
        guard let again = try? JSON.parse(value.bytes), again == value else {
            fatalError("JSON does not survive writing and reading back")
        }
    }

    /// `csv("f")`'s reader, fed in two chunks (rows cross chunk boundaries) and whole:
    /// the rows (or the error) must be the same either way. Rows are let go of as read,
    /// so each is written into the record the last one came in.
    public static func csv(_ bytes: [UInt8]) {
        let cut = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
        let split = readCSV([bytes[0..<cut], bytes[cut...]])
        guard split == readCSV([bytes[...]]) else {
            fatalError("CSV read in two chunks differs from CSV read whole")
        }
    }

    static func readCSV(_ chunks: [ArraySlice<UInt8>]) -> [String] {
        var reader = CSVReader(file: "fuzz.csv", maxRowBytes: 1 << 16)
        var rows: [String] = []
        func keep(_ r: Record) -> Bool {
            rows.append(r.pairs.map { "\($0.0)=\($0.1.text)" }.joined(separator: "\u{0}") + " \(r.origin?.line ?? 0)")
            return true
        }
        do {
            for chunk in chunks { _ = try reader.feed(chunk, keep) }
            try reader.finish(keep)
        } catch let e as CSVError {
            rows.append("error: \(e.message)")
        } catch {
            rows.append("error: \(error)")
        }
        return rows
    }
}
