import MXJSON
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

    @Test func aJournalRowWithABrokenSurrogateIsRead() {
        FuzzEntries.journalRecord(Array("ond\0a.com\0\0\0\0{\"\\ud966\\u2902\"}\0".utf8))
        FuzzEntries.json(Array("4333333E3333333".utf8))
    }
}
