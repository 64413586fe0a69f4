import Foundation
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

    /// Every form that holds an expression or a block, nested 25 deep around one unknown
    /// name, gives that one error: a form whose parts are checked twice would give 2^25
    /// (the fault above, looked for in every other form).
    @Test(arguments: [
        "(not ({}))", "-({})", "({} + 1)", "(1 + {})", "({} and true)", "(false or {})", "({} = 1)",
        "([1] has {})", "({} < 2)", "({} ~ \"x\")", "({} in [1])", "count({})", "number({})", "csv({})",
        "json({})", "[{}]", "{a: {}}", "({})[0]", "[1][{}]", "({}).name", "domain {}", "m.domain {}",
        "users of ({})", "(({}) where true)", "(domains where ({}))", "\"${{}}\"", "(({}))"
    ])
    func everyNestingFormIsCheckedOnce(_ form: String) {
        var expression = "zz"
        for _ in 0..<25 { expression = form.replacingOccurrences(of: "{}", with: expression) }
        let errors = checkNested("print " + expression)
        #expect(errors.count == 1, "\(form): \(errors.count) errors")
        #expect(errors.allSatisfy { $0.hasPrefix("unknown ") && $0.hasSuffix("'zz'") }, "\(errors.prefix(2))")
    }

    @Test(arguments: [
        "if true < {} >", "if true < print 1 > else < {} >", "for x in [1] < {} >",
        "for x in domains where x.name = \"a\" < {} >", "def f{n} < {} >"
    ])
    func everyNestingBlockIsCheckedOnce(_ form: String) {
        var block = "print zz"
        for n in 0..<25 {
            block = form.replacingOccurrences(of: "{n}", with: "\(n)").replacingOccurrences(of: "{}", with: block)
        }
        let errors = checkNested(block)
        // A def inside a block is an error of its own, once per def (24 of the 25 levels).
        let nestedDefs =
            form.hasPrefix("def")
            ? (0..<24).reversed().map {
                "'f\($0)' is defined inside a block; a def is written at the top level of the script"
            }
            : []
        #expect(errors == nestedDefs + ["unknown variable 'zz'"], "\(form): \(errors.count) errors")
    }

    /// The messages `check` gives for `text` after a memory connection `m`.
    func checkNested(_ text: String) -> [String] {
        let source = Source(name: "nested.mxsh", text: "connect memory as m seed=\"demo\"\n" + text + "\n")
        let (program, parsed) = parse(source, commands: CommandTable.standard, connections: [])
        #expect(parsed.isEmpty, "\(parsed.first?.message ?? "")")
        return check(program).map(\.message)
    }

    @Test func aJournalRowWithABrokenSurrogateIsRead() {
        FuzzEntries.journalRecord(Array("ond\0a.com\0\0\0\0{\"\\ud966\\u2902\"}\0".utf8))
        FuzzEntries.json(Array("4333333E3333333".utf8))
    }
}
