import MXLanguage
import Testing

struct LexerTests {
    func kinds(_ text: String) -> [TokenKind] { tokenize(Source(name: "t", text: text)).map(\.kind) }
    /// Each token's text in the source (a token holds where it is, not its text).
    func texts(_ text: String) -> [String] {
        let source = Source(name: "t", text: text)
        return tokenize(source).map { source.slice($0.range) }
    }

    @Test func hyphenatedWordsAndEnums() {
        #expect(
            kinds("add-alias ENABLED n-1") == [.identifier, .enumLiteral, .identifier, .symbol(.minus), .number, .eof])
        #expect(texts("add-alias ENABLED n-1") == ["add-alias", "ENABLED", "n", "-", "1", ""])
    }

    @Test func stringsKeepInterpolationRanges() {
        let source = Source(name: "t", text: "\"a${d.name}b\\n\"")
        guard let parts = stringParts(of: tokenize(source)[0], in: source) else { Issue.record("not a string"); return }
        #expect(parts.count == 3)
        if case .interpolation(let r) = parts[1] { #expect(source.slice(r) == "d.name") }
        #expect(parts[2] == .text("b\n"))
    }

    @Test func singleQuotedIsRaw() {
        #expect(kinds("'a${x}\\n'") == [.string, .eof])
        #expect(texts("'a${x}\\n'") == ["'a${x}\\n'", ""])
    }

    @Test func newlinesInsideBracketsAreIgnored() {
        #expect(
            kinds("[1,\n2]\n") == [
                .symbol(.lbracket), .number, .symbol(.comma), .number, .symbol(.rbracket), .newline, .eof
            ])
    }

    @Test func commentsShebangAndContinuation() {
        #expect(
            kinds("#!/usr/bin/env mxsh\nprint 1 # hi\nprint \\\n 2") == [
                .newline, .identifier, .number, .newline, .identifier, .number, .eof
            ])
    }

    @Test func operators() {
        #expect(
            kinds("<= >= != ~ =") == [.symbol(.le), .symbol(.ge), .symbol(.ne), .symbol(.tilde), .symbol(.eq), .eof])
    }

    @Test func unicodeColumnsCountCharacters() {
        let source = Source(name: "t", text: "print \"é\" x")
        let xOffset = Array(source.text.utf8).firstIndex(of: UInt8(ascii: "x"))!
        #expect(source.lineColumn(of: xOffset) == (1, 11))
    }

    @Test(arguments: [("add-alais", "add-alias"), ("shwo", "show"), ("stauts", "status"), ("domians", "domains")])
    func didYouMean(_ pair: (String, String)) {
        #expect(
            bestMatch(for: pair.0, in: ["add-alias", "remove-alias", "show", "status", "domains", "users"]) == pair.1)
    }

    @Test func noSuggestionForUnrelatedWords() {
        #expect(bestMatch(for: "zzz", in: ["add-alias", "show"]) == nil)
        #expect(bestMatch(for: "d", in: ["x"]) == nil)
    }
}
