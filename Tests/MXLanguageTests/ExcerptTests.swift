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
        ("print \"a=b\" n=\"c\"", "print \"a=b\" n=\"c\"")
    ])
    func aCredentialsValueIsMaskedWhateverItsForm(_ line: String, _ shown: String) {
        #expect(maskingCredentials(line) == shown)
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
