import MXEngine
import MXModel
import Testing

struct FormatTests {
    @Test func csvRoundTrip() throws {
        let records = try parseCSV("name,dest\n\"a,b.com\",\"1\"\"2\"\nc.com,3\n")
        #expect(records.count == 2)
        #expect(records[0]["name"]?.text == "a,b.com")
        #expect(records[0]["dest"]?.text == "1\"2")
        #expect(formatCSV(header: ["name"], rows: [["a,b"], ["c"]]) == "name\n\"a,b\"\nc\n")
    }

    @Test func csvRowLengthMismatchIsAnError() {
        #expect(throws: CSVError.self) { try parseCSV("a,b\n1\n") }
    }

    @Test func jsonEscapes() {
        #expect(jsonString("a\"b\\\n\u{1}") == "\"a\\\"b\\\\\\n\\u0001\"")
        #expect(jsonText(.record(Record([("a", .list([.number(1), .none]))])), pretty: false) == "{\"a\":[1,null]}")
    }

    @Test func tableFitsWidth() {
        let t = formatTable(
            header: ["name", "notes"], rows: [["got.com", String(repeating: "x", count: 100)]], width: 40)
        #expect(t.split(separator: "\n").allSatisfy { $0.count <= 40 })
        #expect(t.contains("…"))
    }

    @Test(arguments: [
        ("*.net", "a.net", true), ("*.net", "a.com", false), ("a*b*c", "axxbyyc", true),
        ("?", "é", true), ("[a-c]x", "bx", true), ("[!a-c]x", "bx", false), ("*", "", true), ("a", "A", true),
        // A star then plain text (tested as the text's end): case, length and UTF-8 at the edges.
        ("*.NET", "a.net", true), ("*.net", ".net", true), ("*.net", "net", false), ("*.net", "a.net.com", false),
        ("*é", "café", true), ("*e", "café", false), ("*.net", "", false), ("**.net", "a.net", true),
        // Outside ASCII, case folds too (a name as a spreadsheet wrote it, MÜNCHEN.DE).
        ("münchen.*", "MÜNCHEN.de", true), ("*É", "café", true), ("?ÜR", "für", true),
        ("münchen.*", "berlin.de", false),
        // İ lower-cases to two code points (i and a dot above): it is kept, so `?` is still one.
        ("i?.com", "İ.com", false), ("?.com", "İ.com", true)
    ])
    func glob(_ c: (String, String, Bool)) {
        #expect(globMatch(c.1, c.0) == c.2)
    }
}
