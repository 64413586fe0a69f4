import MXJSON
import MXLanguage
import Testing

@testable import MXEngine

/// Inputs libFuzzer found crashing the readers (scripts/fuzz.sh plan|journal|json):
/// each is now an error, not a trap.
struct FuzzRegressionTests {
    @Test func aHugeNumberIsNotAnInt() throws {
        #expect(try JSON.parse("21111111111111111111111111111").int == nil)
        FuzzEntries.plan(Array("{\"mxsh_plan\":21111111111111111111111111111,\"connections\":[],\"changes\":[]}".utf8))
    }

    @Test(arguments: ["4333333E3333333", "-1e999", "\"\\ud966\\u2902\"", "\"\\u+123\""])
    func malformedJSONIsAnError(_ text: String) {
        #expect(throws: JSONError.self) { try JSON.parse(text) }
    }

    /// The parser target ran out of memory on about 30 `call`s nested in one another (2^30 checks): the
    /// checker checked a call's arguments, then again for `call` (and for a command that
    /// gives a value), so each level doubled the work and the errors. Each is checked once.
    @Test func aCallNestedInACallIsCheckedOnce() {
        var expression = "GET"
        for _ in 0..<20 { expression = "call(m, GET, \"/\", \(expression))" }
        for text in [String(repeating: "call m ", count: 20) + "GET", "print " + expression] {
            let source = Source(name: "nested.mxsh", text: text)
            let (program, parsed) = parse(source, commands: CommandTable.standard, connections: [])
            #expect(parsed.isEmpty)
            let checked = check(program)
            // One "unknown variable 'm'" per level, and nothing else.
            #expect(checked.count == 20, "\(text.prefix(30)): \(checked.count) errors")
            #expect(checked.allSatisfy { $0.message == "unknown variable 'm'" })
        }
    }

    @Test func aJournalRowWithABrokenSurrogateIsRead() {
        FuzzEntries.journalRecord(Array("ond\0a.com\0\0\0\0{\"\\ud966\\u2902\"}\0".utf8))
        FuzzEntries.json(Array("4333333E3333333".utf8))
    }
}
