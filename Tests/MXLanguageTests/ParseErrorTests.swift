import MXEngine
import MXLanguage
import Testing

/// Exact parse error messages, as a table of named cases (after swift-argument-parser's
/// ErrorMessageTests). `^` marks where the error must point, as swift-format's tests do.
struct ParseErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let source: String
        let message: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "unclosed block", source: "for d in domains <\n  print d.name\n",
             message: "'>' expected (to close '<' at line 1)"),
        Case(name: "stray close", source: "print 1 >\n", message: "unexpected '>' with no open block"),
        Case(name: "ordering outside parens", source: "if n > 3 < print n >\n",
             message: "expected '<' to open the block of 'if', found '>'"),
        Case(name: "unterminated string", source: "print \"abc\n", message: "unterminated string; close it with \" on the same line"),
        Case(name: "bad escape", source: "print \"a\\qb\"\n", message: "unknown escape '\\q'"),
        Case(name: "let without name", source: "let = 3\n", message: "expected a variable name after 'let', found '='"),
        Case(name: "for without in", source: "for d domains < >\n", message: "expected 'in' after 'for d', found 'domains'"),
        Case(name: "missing argument", source: "add-alias d\n", message: "'add-alias' needs ALIAS"),
        Case(name: "too many arguments", source: "add-alias d \"a\" \"b\"\n", message: "too many arguments to 'add-alias', found a string"),
        Case(name: "missing keyword", source: "export domains \"f.json\"\n", message: "expected 'to' in 'export', found a string"),
        Case(name: "option not taken", source: "add-alias d \"a\" x=1\n", message: "'add-alias' takes no 'name=value' options"),
        Case(name: "unknown option", source: "copy domains from a to b limt=3\n", message: "unknown option 'limt' for 'copy'"),
        Case(name: "duplicate option", source: "set d relay=true relay=false\n", message: "'relay' is given twice"),
        Case(name: "chained comparison", source: "let x = a = b = c\n", message: "comparisons do not chain: '=' then '='"),
        Case(name: "malformed number", source: "set d destination=10.0.0.5\n", message: "malformed number '10.0.0.5'; put it in quotes"),
        Case(name: "bang", source: "if !x < >\n", message: "unexpected character '!'; write 'not' for negation"),
        Case(name: "empty interpolation", source: "print \"a${}b\"\n", message: "empty '${}' in a string"),
        Case(name: "unclosed paren", source: "let x = (1 + 2\nprint x\n", message: "expected ')'"),
        Case(name: "else without block", source: "if x < > else print 1\n", message: "expected '<' to open the block of 'else'"),
        Case(name: "else on its own line", source: "if x < >\nelse < >\n", message: "'else' must follow the '>' of its 'if' on the same line"),
    ]

    @Test(arguments: cases)
    func message(_ c: Case) {
        let (_, diagnostics) = parse(Source(name: "t.mxsh", text: c.source), commands: CommandTable.standard)
        #expect(diagnostics.contains { $0.message.hasPrefix(c.message) },
                "got: \(diagnostics.map(\.message))")
    }

    @Test func reportsEveryErrorNotJustTheFirst() {
        let text = "let = 1\nprint \"ok\"\nadd-alias d\nfor x y < >\n"
        let (program, diagnostics) = parse(Source(name: "t.mxsh", text: text), commands: CommandTable.standard)
        #expect(diagnostics.count == 3)
        #expect(program.statements.count == 1)  // the good line still parses
    }

    @Test func rendersFileLineColumnAndCaret() {
        let source = Source(name: "s.mxsh", text: "print 1\nadd-alias d\n")
        let (_, diagnostics) = parse(source, commands: CommandTable.standard)
        let text = DiagnosticList(diagnostics).render(in: source)
        #expect(text == """
            s.mxsh:2:12: error: 'add-alias' needs ALIAS
             2 | add-alias d
               |            ^
              note: usage: add-alias DOMAIN ALIAS

            """)
    }

    @Test func incompleteInputIsMarkedForTheREPL() {
        for text in ["for d in x <", "if a <\n print 1", "def f <\n", "print (1 +\n", "let x = [1", "let r = {a: 1,\n"] {
            let (_, diagnostics) = parse(Source(name: "r", text: text), commands: CommandTable.standard)
            #expect(!diagnostics.isEmpty && diagnostics.allSatisfy { $0.code == .incomplete }, "\(text): \(diagnostics.map(\.message))")
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        let (_, d1) = parse(Source(name: "n", text: "let x = \(deep)\n"), commands: CommandTable.standard)
        #expect(d1.contains { $0.message.hasPrefix("nesting is deeper than") })
        let blocks = String(repeating: "if x <\n", count: 3000)
        let (_, d2) = parse(Source(name: "n", text: blocks), commands: CommandTable.standard)
        #expect(d2.contains { $0.message.hasPrefix("nesting is deeper than") })
        let negs = "let x = " + String(repeating: "- ", count: 5000) + "1\n"
        let (_, d3) = parse(Source(name: "n", text: negs), commands: CommandTable.standard)
        #expect(d3.contains { $0.message.hasPrefix("nesting is deeper than") })
    }
}
