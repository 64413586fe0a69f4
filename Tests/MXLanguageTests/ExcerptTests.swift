import MXEngine
import Testing

@testable import MXLanguage

/// How an error shows the line it is on: credentials masked, a long line shown around
/// the place, a whole number whole, and a block too deep said once.
struct ExcerptTests {
    func errors(_ text: String) -> String {
        let source = Source(name: "t.mxsh", text: text)
        let (_, diagnostics) = parse(source, commands: CommandTable.standard)
        return DiagnosticList(diagnostics).render(in: source)
    }

    @Test(arguments: [
        ("connect cleanmail token=\"hunter2\"", "connect cleanmail token=\"*******\""),
        ("connect cleanmail token=[\"hunter2\"]", "connect cleanmail token=[\"*******\"]"),
        ("connect cleanmail token=lower(\"HUNTER2\")", "connect cleanmail token=lower(\"*******\")"),
        ("connect cleanmail token=(\"hun\" + \"ter2\")", "connect cleanmail token=(\"***\" + \"****\")"),
        ("set-password u password=12345678 >", "set-password u password=******** >"),
        ("connect cleanmail token = \"hunter2\"", "connect cleanmail token = \"*******\""),
        (
            "connect cleanmail token=env(\"CM_TOKEN\") x=\"shown\"",
            "connect cleanmail token=env(\"********\") x=\"shown\""
        ),
        ("print \"a=b\" n=\"c\"", "print \"a=b\" n=\"c\""),
        // An unbalanced value before it does not hide the credential after it.
        (
            "connect memory as m seed=it's password=\"hunter2\" nosuch=1",
            "connect memory as m seed=it's password=\"*******\" nosuch=1"
        ),
        (
            "connect opensrs as o cluster=(1 password=\"hunter2\"",
            "connect opensrs as o cluster=(1 password=\"*******\""
        ),
        // A value goes on over operators, and may be given with tabs around '='.
        ("let token = \"abc\" + \"hunter2\" + nosuch", "let token = \"***\" + \"*******\" + nosuch"),
        ("let secret_pin = 1234 + 5678 + x", "let secret_pin = **** + **** + x"),
        ("let password\t=\t\"hunter2\"", "let password\t=\t\"*******\""),
        // A record's credential field, and the next option after a value is its own.
        (
            "call c POST \"/x\" {password: \"hunter2\", user: \"ann\"}",
            "call c POST \"/x\" {password: \"*******\", user: \"ann\"}"
        ),
        ("connect cleanmail token=\"a b\" url=\"https://x\"", "connect cleanmail token=\"***\" url=\"https://x\"")
    ])
    func aCredentialsValueIsMaskedWhateverItsForm(_ line: String, _ shown: String) {
        #expect(maskingCredentials(line) == shown)
    }

    /// A NUL before the credential does not hide it from the quick look for one.
    @Test func aNULBeforeACredentialDoesNotHideIt() {
        #expect(maskingCredentials("print \"\u{0}\" token=\"hunter2\"") == "print \"\u{0}\" token=\"*******\"")
        #expect(maskingCredentials("print 1 + 2") == "print 1 + 2")
    }

    /// A value begun on the line before is masked on the line the error is on.
    @Test func aValueOverTwoLinesIsMasked() {
        let shown = errors("let token = lower(\n  \"hunter2\" + nosuch +)\n")
        #expect(!shown.contains("hunter2") && shown.contains("\"*******\""), "\(shown)")
        let list = errors("let token =\n  [\"a\",\n   \"hunter2\" +]\n")
        #expect(!list.contains("hunter2") && list.contains("\"*******\""), "\(list)")
    }

    /// After a block too deep, `else if (a < b) <` is skipped as a whole.
    @Test func anElseIfWithAComparisonAfterADeepBlockIsSkipped() {
        var lines: [String] = []
        for _ in 0..<128 { lines.append("if x <") }
        lines.append("if y < print 1 > else if (a < b) < print 2 >")
        for _ in 0..<128 { lines.append(">") }
        lines.append("print (1 +)")
        let shown = errors(lines.joined(separator: "\n") + "\n")
        #expect(shown.components(separatedBy: ": error: ").count - 1 == 2, "\(shown.prefix(3000))")
        #expect(shown.contains("t.mxsh:258:"))
    }

    /// A 40 KB line (a generated one) is shown around the error, not whole, with the
    /// caret under the character it points at.
    @Test func aLongLineIsShownAroundThePlace() {
        let long =
            "print " + String(repeating: "\"x\" ", count: 10_000) + "? " + String(repeating: "\"y\" ", count: 10_000)
        let shown = errors(long + "\n")
        let lines = shown.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count >= 3, "\(shown.prefix(400))")
        #expect(lines.allSatisfy { $0.count < 200 }, "\(lines.map(\.count))")
        let text = lines[1], caret = lines[2]
        #expect(text.hasPrefix(" 1 | ...") && text.hasSuffix("..."))
        let at = caret.firstIndex(of: "^").map { caret.distance(from: caret.startIndex, to: $0) }
        #expect(at.map { text.dropFirst($0).first } == "?")
    }

    /// A number's text in a parse error is the number written, up to 2^63.
    @Test func aWholeNumberInAnErrorIsWhole() {
        #expect(errors("let 1000000000000000 = 1\n").contains("found number 1000000000000000\n"))
        #expect(errors("let 4000000000000000000 = 1\n").contains("found number 4000000000000000000\n"))
    }

    /// Blocks nested past the limit: one error for the block that goes too deep (its
    /// `else` included), not one for each line inside it, and the lines after it are
    /// parsed again.
    @Test func aBlockNestedTooDeepIsOneError() {
        var lines: [String] = []
        for i in 0..<135 { lines.append(String(repeating: " ", count: i) + "if true <") }
        lines.append("print 1")
        for i in (0..<135).reversed() { lines.append(String(repeating: " ", count: i) + "> else < print 2 >") }
        lines.append("print (1 +)")
        let shown = errors(lines.joined(separator: "\n") + "\n")
        #expect(shown.components(separatedBy: ": error: ").count - 1 == 2, "\(shown.prefix(2000))")
        #expect(shown.contains("t.mxsh:129:137: error: nesting is deeper than 128 levels"))
        #expect(shown.contains("t.mxsh:272:"))
    }
}
