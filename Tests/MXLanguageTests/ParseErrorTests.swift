import MXEngine
import MXLanguage
import Testing

/// Exact parse error messages, as a table of named cases (after swift-argument-parser's
/// ErrorMessageTests). `^` marks where the error must point, as swift-format's tests do.
struct ParseErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let source: String
        let kind: Diagnostic.Kind
        /// `line:column: message`, exactly, of the first error.
        let expected: String
        /// One of the first error's notes, exactly, when given.
        let note: String?
        init(_ name: String, _ source: String, _ kind: Diagnostic.Kind, _ expected: String, note: String? = nil) {
            self.name = name
            self.source = source
            self.kind = kind
            self.expected = expected
            self.note = note
        }
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            "unclosed block", "for d in domains <\n  print d.name\n",
            .syntax, "3:1: '>' expected (to close '<' at line 1)"),
        Case(
            "stray close", "print 1 >\n",
            .syntax, "1:9: unexpected '>' with no open block"),
        Case(
            "ordering outside parens", "if n > 3 < print n >\n",
            .syntax, "1:6: expected '<' to open the block of 'if', found '>'",
            note: "an ordering comparison goes inside parentheses: (n > 3)"),
        Case(
            "ordering needs parentheses in if", "if x < 10 < print x >\n",
            .syntax, "1:6: this '<' opens the block of 'if', so it does not compare",
            note: "an ordering comparison goes inside parentheses: (x < 10)"),
        Case(
            "ordering needs parentheses in for where", "for d in domains where quota < 100 < print d.name >\n",
            .syntax, "1:30: this '<' opens the block of 'for', so it does not compare",
            note: "an ordering comparison goes inside parentheses: (quota < 100)"),
        Case(
            "ordering needs parentheses in let", "let y = x < 1\n",
            .syntax, "1:11: '<' after a value: a block opens only after if, else, for or def",
            note: "an ordering comparison goes inside parentheses: (x < 1)"),
        Case(
            "ordering needs parentheses in let with >=", "let y = x >= 1\n",
            .syntax, "1:11: '>=' after a value: a block opens only after if, else, for or def",
            note: "an ordering comparison goes inside parentheses: (x >= 1)"),
        Case(
            "ordering needs parentheses in return", "def f x < return x < 1 >\n",
            .syntax, "1:20: '<' after a value: a block opens only after if, else, for or def",
            note: "an ordering comparison goes inside parentheses: (x < 1)"),
        Case(
            "ordering shows the comparison in for where",
            "for d in domains where count(aliases) > 1 < print d.name >\n",
            .syntax, "1:39: expected '<' to open the block of 'for', found '>'",
            note: "an ordering comparison goes inside parentheses: (count(aliases) > 1)"),
        Case(
            "ordering shows the comparison with >=", "if x >= 1 < print x >\n",
            .syntax, "1:6: expected '<' to open the block of 'if', found '>='",
            note: "an ordering comparison goes inside parentheses: (x >= 1)"),
        Case(
            "ordering shows the comparison in let", "let y = x > 1\n",
            .syntax, "1:11: unexpected '>' with no open block",
            note: "an ordering comparison goes inside parentheses: (x > 1)"),
        Case(
            "ordering shows the comparison in arguments", "print n > 2\n",
            .syntax, "1:9: unexpected '>' with no open block",
            note: "an ordering comparison goes inside parentheses: (n > 2)"),
        Case(
            "index after a space", "let y = xs [0]\n",
            .syntax, "1:12: 'xs [0]': an index follows its value with no space",
            note: "write xs[0]"),
        Case(
            "field index after a space", "let y = r [\"a\"]\n",
            .syntax, "1:11: 'r [\"a\"]': an index follows its value with no space",
            note: "write r[\"a\"]"),
        Case(
            "block on the next line", "for x in [1]\n< print x >\n",
            .syntax, "1:13: expected '<' to open the block of 'for', found end of line",
            note: "the '<' that opens the block goes on the line of 'for'"),
        Case(
            "unterminated string", "print \"abc\n",
            .lexical, "1:7: unterminated string; close it with \" on the same line"),
        Case(
            "bad escape", "print \"a\\qb\"\n",
            .lexical, "1:9: unknown escape '\\q'; known: \\n \\t \\r \\0 \\\\ \\\" \\' \\$ \\u{...}"),
        Case(
            "let without name", "let = 3\n",
            .syntax, "1:5: expected a variable name after 'let', found '='"),
        Case(
            "for without in", "for d domains < >\n",
            .syntax, "1:7: expected 'in' after 'for d', found 'domains'"),
        Case(
            "missing argument", "add-alias d\n",
            .syntax, "1:12: 'add-alias' needs ALIAS"),
        Case(
            "too many arguments", "add-alias d \"a\" \"b\"\n",
            .syntax, "1:17: too many arguments to 'add-alias', found a string"),
        Case(
            "missing keyword", "export domains \"f.json\"\n",
            .syntax, "1:16: expected 'to' in 'export', found a string"),
        Case(
            "option not taken", "add-alias d \"a\" x=1\n",
            .syntax, "1:17: 'add-alias' takes no 'name=value' options"),
        Case(
            "unknown option", "copy domains from a to b limt=3\n",
            .syntax, "1:26: unknown option 'limt' for 'copy'"),
        Case(
            "duplicate option", "set d relay=true relay=false\n",
            .syntax, "1:18: 'relay' is given twice"),
        Case(
            "chained comparison", "let x = a = b = c\n",
            .syntax, "1:15: comparisons do not chain: '=' then '='"),
        Case(
            "malformed number", "set d destination=10.0.0.5\n",
            .lexical,
            "1:19: malformed number '10.0.0.5'; put it in quotes if it is a name or an address: "
                + "\"10.0.0.5\""),
        Case(
            "bang", "if !x < >\n",
            .lexical, "1:4: unexpected character '!'; write 'not' for negation, '!=' for inequality"),
        Case(
            "empty interpolation", "print \"a${}b\"\n",
            .syntax, "1:11: empty '${}' in a string; put an expression inside, like ${d.name}"),
        Case(
            "unclosed paren", "let x = (1 + 2\nprint x\n",
            .syntax, "2:1: expected ')' to close '(' at line 1, found 'print'"),
        Case(
            "else without block", "if x < > else print 1\n",
            .syntax, "1:15: expected '<' to open the block of 'else', found 'print'"),
        Case(
            "else on its own line", "if x < >\nelse < >\n",
            .syntax, "2:1: 'else' must follow the '>' of its 'if' on the same line"),
        Case(
            "double equals", "if n == 1 < print n >\n",
            .lexical, "1:6: there is no '=='; write '=' to compare"),
        Case(
            "infix in arguments", "print n + 1\n",
            .syntax, "1:9: an operator in a command's arguments needs parentheses: write (n + 1)"),
        Case(
            "has in arguments", "print a.aliases has \"x\"\n",
            .syntax, "1:17: an operator in a command's arguments needs parentheses: write (a.aliases has \"x\")"),
        Case(
            "ordering in arguments", "print n < 2\n",
            .syntax, "1:9: '<' after a command's argument: a block opens only after if, else, for or def"),
        Case(
            "infix in arguments inside a block", "for x in [1, 2] < print x + 1 >\n",
            .syntax, "1:27: an operator in a command's arguments needs parentheses: write (x + 1)"),
        Case(
            "ordering in arguments inside a block", "for x in [1, 2] < print x < 2 >\n",
            .syntax, "1:27: '<' after a command's argument: a block opens only after if, else, for or def"),
        Case(
            "def value without parentheses", "let q = double 3\n",
            .syntax,
            "1:16: a value cannot be followed by another here; to use what 'double' returns, call it with parentheses"),
        Case(
            "def value given a list", "let t = total [1, 2]\n",
            .syntax,
            "1:15: a value cannot be followed by another here; to use what 'total' returns, call it with parentheses",
            note: "write total(...)"),
        Case(
            "duplicate record key", "let r = {a: 1, a: 2}\n",
            .syntax, "1:16: 'a' is given twice in the record"),
        Case(
            "empty index", "print xs[]\n",
            .syntax, "1:10: expected an index inside '[ ]', like xs[0] or row[\"first name\"], found ']'"),
        Case(
            "unclosed index", "print xs[1\n",
            .syntax, "2:1: expected ']' to close the index, found end of input"),
        Case(
            "number in a message", "let x = 1 3\n",
            .syntax, "1:11: expected end of statement, found number 3"),
        Case(
            "code point above 10FFFF", "print \"\\u{110000}\"\n",
            .lexical, "1:8: \\u{110000} names no character: 110000 is above 10FFFF, the largest Unicode scalar value"),
        Case(
            "surrogate", "print \"\\u{D800}\"\n",
            .lexical, "1:8: \\u{D800} names no character: D800 is a surrogate (D800-DFFF), which UTF-8 cannot hold")
    ]

    @Test(arguments: cases)
    func message(_ c: Case) throws {
        let source = Source(name: "t.mxsh", text: c.source)
        let (_, diagnostics) = parse(source, commands: CommandTable.standard)
        let first = try #require(diagnostics.first, "no error for \(c.source)")
        let (line, column) = source.lineColumn(of: first.range.start)
        #expect("\(line):\(column): \(first.message)" == c.expected)
        #expect(first.kind == c.kind)
        if let note = c.note {
            #expect(first.notes.map(\.message).contains(note), "notes: \(first.notes.map(\.message))")
        }
    }

    /// An ordering comparison written bare, or a block's '<' on the next line: one error,
    /// and the lines after it are read as they were meant (the block was read as a
    /// statement, "expected a statement, found '<'").
    @Test func orderingAndNextLineBlockAreOneErrorEach() {
        for text in [
            "if x < 10 < print x > else < print 1 >\nprint 2\n",
            "for x in [1]\n< print x >\nprint 2\n",
            "if x\n<\n  print x\n> else < print 1 >\nprint 2\n",
            "let y = x > 1\nprint 2\n"
        ] {
            let (program, diagnostics) = parse(Source(name: "t.mxsh", text: text), commands: CommandTable.standard)
            #expect(diagnostics.count == 1, "\(text): \(diagnostics.map(\.message))")
            #expect(program.statements.count == 1, "\(text)")  // print 2
        }
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
        #expect(
            text == """
                s.mxsh:2:12: error: 'add-alias' needs ALIAS
                 2 | add-alias d
                   |            ^
                  note: usage: add-alias DOMAIN ALIAS

                """)
    }

    @Test func incompleteInputIsMarkedForTheREPL() {
        for text in ["for d in x <", "if a <\n print 1", "def f <\n", "print (1 +\n", "let x = [1", "let r = {a: 1,\n"]
        {
            let (_, diagnostics) = parse(Source(name: "r", text: text), commands: CommandTable.standard)
            #expect(
                !diagnostics.isEmpty && diagnostics.allSatisfy { $0.code == .incomplete },
                "\(text): \(diagnostics.map(\.message))")
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
