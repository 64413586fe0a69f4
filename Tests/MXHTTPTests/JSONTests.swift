import MXJSON
import Testing

struct JSONTests {
    @Test func roundTripKeepsOrderAndKinds() throws {
        let text = #"{"b":1,"a":[true,null,2.5,"x\n\u00e9"],"c":{"d":-3}}"#
        let v = try JSON.parse(text)
        #expect(v.object?.keys == ["b", "a", "c"])
        #expect(v["a"]?.array?[3] == "x\né")
        #expect(v.text == #"{"b":1,"a":[true,null,2.5,"x\né"],"c":{"d":-3}}"#)
    }

    @Test(arguments: ["{", "[1,]", "{\"a\" 1}", "tru", "\"abc", "1 2", ""])
    func malformedIsAnError(_ text: String) {
        #expect(throws: JSONError.self) { try JSON.parse(text) }
    }

    @Test func surrogatePairs() throws {
        #expect(try JSON.parse(#""\ud83d\ude00""#) == "😀")
    }

    @Test func deepNestingIsAnError() {
        #expect(throws: JSONError.self) { try JSON.parse(String(repeating: "[", count: 10_000)) }
    }
}
