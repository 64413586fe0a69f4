import Foundation
import MXEngine
import MXLanguage
import Testing

/// `mxsh fmt`: the canonical layout, case by case, and over every script in the repository.
struct FormatterTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let input: String
        let expected: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "spaces collapse, trailing spaces go", input: "print  \"a\"   1   \n", expected: "print \"a\" 1\n"),
        Case(
            name: "one statement per line", input: "print 1; print 2;; print 3\n",
            expected: "print 1\nprint 2\nprint 3\n"),
        Case(
            name: "a block indents by two", input: "for d in domains <\nprint d\n    print 2\n>\n",
            expected: "for d in domains <\n  print d\n  print 2\n>\n"),
        Case(
            name: "a one-statement block stays on its line",
            input: "for d in domains where status=ENABLED <add-alias d \"x.net\">\n",
            expected: "for d in domains where status=ENABLED < add-alias d \"x.net\" >\n"),
        Case(
            name: "';' in a block spreads it over lines", input: "if x < print 1; print 2 > else < print 3 >\n",
            expected: "if x <\n  print 1\n  print 2\n> else < print 3 >\n"),
        Case(
            name: "brackets: no inner spaces, one after ',' and ':'",
            input: "let r = { a:1 , b:[ 1,2 ] }\n", expected: "let r = {a: 1, b: [1, 2]}\n"),
        Case(
            name: "a space before '(' is kept: call and argument differ",
            input: "print (x)  f(x)\n", expected: "print (x) f(x)\n"),
        Case(
            name: "blank lines: at most one, none at the ends or inside a block's edges",
            input: "\n\nprint 1\n\n\n\nprint 2\nfor x in y <\n\n  print x\n\n>\n\n",
            expected: "print 1\n\nprint 2\nfor x in y <\n  print x\n>\n"),
        Case(
            name: "comments stay; end-of-line comments of a run align",
            input: "#!/usr/bin/env mxsh\n# top\nconnect sandbox # a\nuse   cm   # b\nprint 1\n",
            expected: "#!/usr/bin/env mxsh\n# top\nconnect sandbox  # a\nuse cm           # b\nprint 1\n"),
        Case(
            name: "a comment before '>' stays in the block",
            input: "def f <\nprint 1\n# last\n>\n", expected: "def f <\n  print 1\n  # last\n>\n"),
        Case(
            name: "lines broken inside brackets indent by four",
            input: "let y = [\n\"a\",  # first\n  \"b\"\n]\n",
            expected: "let y = [\n    \"a\",  # first\n    \"b\"\n]\n"),
        Case(
            name: "a continuation line indents by four",
            input: "create-domain \"a.com\" \\\n  destination=\"1.2.3.4\"\n",
            expected: "create-domain \"a.com\" \\\n    destination=\"1.2.3.4\"\n"),
        Case(
            name: "strings and interpolations are kept as written",
            input: "print \"a  ${ d.name }  b\" 'x  y'\n", expected: "print \"a  ${ d.name }  b\" 'x  y'\n")
    ]

    @Test(arguments: cases) func layout(_ c: Case) {
        let out = format(Source(name: "t", text: c.input))
        #expect(out == c.expected)
        #expect(format(Source(name: "t", text: out)) == out, "formatting twice changes something")
    }

    @Test func aScriptThatDoesNotParseIsRefused() {
        guard
            case .invalid(let diagnostics) = formatChecked(
                Source(name: "t", text: "for d in <\n"),
                commands: CommandTable.standard)
        else {
            Issue.record("expected .invalid")
            return
        }
        #expect(!diagnostics.isEmpty)
    }

    /// Every script in the repository that parses: formatting twice changes nothing, and
    /// the formatted script parses to the same syntax tree.
    @Test func everyScriptInTheRepository() throws {
        let root = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
        let files = FileManager.default.enumerator(atPath: root.path)!.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".mxsh") && !$0.hasPrefix(".build") }
        #expect(files.count > 50)
        var formatted = 0
        for file in files {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            let source = Source(name: file, text: text)
            // A runbook's test is read after its runbook, as `mxsh test` runs it.
            let connections = TestPrelude.connections(for: root.appendingPathComponent(file).path)
            switch formatChecked(source, commands: CommandTable.standard, connections: connections) {
            case .invalid: continue  // the golden error scripts
            case .changedProgram: Issue.record("\(file): formatting changes the program")
            case .formatted(let out):
                formatted += 1
                let (before, _) = parse(source, commands: CommandTable.standard, connections: connections)
                let (after, errors) = parse(
                    Source(name: file, text: out), commands: CommandTable.standard, connections: connections)
                #expect(errors.isEmpty, "\(file): the formatted script does not parse")
                #expect(programShape(before) == programShape(after), "\(file)")
                #expect(format(Source(name: file, text: out)) == out, "\(file): formatting twice changes it")
            }
        }
        #expect(formatted > 50)
    }
}
