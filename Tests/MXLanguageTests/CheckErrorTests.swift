import MXEngine
import MXLanguage
import Testing

/// Exact check errors: the first error's `line:column: message`, and that its kind is
/// `.check` (the script parsed; its meaning is wrong).
struct CheckErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let source: String
        let expected: String
        init(_ name: String, _ source: String, _ expected: String) {
            self.name = name
            self.source = source
            self.expected = expected
        }
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            "field and variable in where",
            "connect memory as m\ndef purge name < for d in domains where name = name < delete-domain d > >\n",
            "2:41: 'name' is both a field of the domain and a variable here"),
        Case(
            "break outside a loop", "break\n",
            "1:1: 'break' outside a loop"),
        Case(
            "continue in a def, outside a loop", "def f < continue >\nfor x in [1] < f >\n",
            "1:9: 'continue' outside a loop"),
        Case(
            "def value arity", "def add a b < return (a + b) >\nprint add(1)\n",
            "2:7: 'add' takes 2 argument(s), given 1"),
        Case(
            "def command arity", "def retire name reason < print name >\nretire \"x\"\n",
            "2:1: 'retire' takes 2 argument(s), given 1"),
        Case(
            "def value before its def", "print double(2)\ndef double n < return (n * 2) >\n",
            "1:7: 'double' is used before its def (at line 2)"),
        Case(
            "def command before its def", "retire \"x\"\ndef retire n < print n >\n",
            "1:1: 'retire' is used before its def (at line 2)"),
        Case(
            "duplicate def", "def f < >\ndef f < >\n",
            "2:5: 'f' is already defined at line 1"),
        Case(
            "copy onto itself", "connect memory as m\ncopy domains from m to m\n",
            "2:24: copy from m to itself: the source and the target are the same connection"),
        Case(
            "unknown function", "print lenght(\"x\")\n",
            "1:7: unknown function 'lenght'"),
        Case(
            "def called with name=value", "def f a < >\nf a=1\n",
            "2:1: 'f' is a def: it takes values, not name=value")
    ]

    @Test(arguments: cases)
    func message(_ c: Case) throws {
        let source = Source(name: "t.mxsh", text: c.source)
        let (program, parseErrors) = parse(source, commands: CommandTable.standard)
        #expect(parseErrors.isEmpty, "\(parseErrors.map(\.message))")
        let first = try #require(check(program).first, "no error for \(c.source)")
        let (line, column) = source.lineColumn(of: first.range.start)
        #expect("\(line):\(column): \(first.message)" == c.expected)
        #expect(first.kind == .check)
    }

    /// A def given twice is one error: calls of a def that calls it are not refused again
    /// each (the values of a call are counted where it is written, against the first).
    @Test func aDefGivenTwiceIsOneError() {
        let text = "def b x y < print x >\ndef a < b 1 2 >\ndef b x < print x >\na\na\na\n"
        let (program, _) = parse(Source(name: "t.mxsh", text: text), commands: CommandTable.standard)
        #expect(check(program).map(\.message) == ["'b' is already defined at line 1"])
    }

    @Test func loopVariableIsKnownInItsOwnWhere() {
        let source = Source(
            name: "t.mxsh", text: "connect memory as m\nfor d in domains where d.status = ENABLED < print d.name >\n")
        let (program, _) = parse(source, commands: CommandTable.standard)
        #expect(check(program).isEmpty)
    }
}
