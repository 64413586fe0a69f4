import Testing

@testable import MXLanguage

/// The lexer's keyword `switch` and the parser's word table are fast paths: each must
/// give what the plain way gives.
struct WordTests {
    @Test func everyKeywordIsFoundByItsBytes() {
        for k in Keyword.allCases {
            #expect(keyword(Array(k.rawValue.utf8)) == k, "\(k.rawValue)")
            // One letter off, longer or shorter: not a keyword.
            #expect(keyword(Array((k.rawValue + "s").utf8)) == nil)
            #expect(keyword(Array(k.rawValue.dropLast().utf8)) != k)
            #expect(keyword(Array(k.rawValue.uppercased().utf8)) == nil)
        }
        #expect(keyword(Array("continues".utf8)) == nil)
        #expect(keyword(Array("x".utf8)) == nil)
    }

    /// Every slice of a text with repeats, NULs, non-ASCII and invalid UTF-8, near its end
    /// and away from it, through a table small enough that words collide and replace each
    /// other: the same String as `String(decoding:as:)`.
    @Test func wordTableGivesWhatDecodingGives() {
        var bytes = Array("let x = d.name\0a\0 ü status ENABLED print-it \u{1F600}".utf8)
        bytes += [0xFF, 0xC3, 0x28, 0x61, 0x62, 0x00, 0x00, 0x61]
        var cache = WordCache(sourceBytes: 1)
        for _ in 0..<3 {
            for start in 0..<bytes.count {
                for end in start...min(bytes.count, start + 17) {
                    let expected = String(decoding: bytes[start..<end], as: UTF8.self)
                    let got = bytes.withUnsafeBufferPointer { cache.string($0, start, end) }
                    #expect(got == expected, "bytes \(start)..<\(end)")
                    #expect(got.utf8.elementsEqual(expected.utf8))
                }
            }
        }
    }

    /// A parse that reads words through the table gives the tree the plain reading gave.
    @Test func aParseReadsEachWordRightWhenWordsRepeat() {
        let text = (0..<300).map { "let v\($0 % 7) = \"w\($0 % 5)\" ; print v\($0 % 7) ENABLED d.name\($0 % 3)" }
            .joined(separator: "\n")
        let (program, diagnostics) = parse(Source(name: "t", text: text))
        #expect(diagnostics.isEmpty)
        let dumped = dump(program)
        for i in 0..<300 {
            #expect(dumped.contains("v\(i % 7)"))
        }
        #expect(dumped.contains("\"w4\"") || dumped.contains("w4"))
        #expect(!dumped.contains("v7"))
    }
}

extension WordTests {
    @Test func lookupKindsByWordAreTheRawValues() {
        for k in LookupKind.allCases { #expect(LookupKind(word: k.rawValue) == k) }
        for w in ["Domain", "users", "domains", "", "use"] { #expect(LookupKind(word: w) == nil) }
    }

    /// A command's signature is kept with its word: asked again after other words (and
    /// after a word that took its slot in a small table), it is still the command's.
    @Test func aCommandKeptWithItsWordIsStillTheCommand() {
        struct Table: CommandLookup {
            func signature(of name: String) -> CommandSignature? {
                name.hasPrefix("cmd") ? CommandSignature([.rest("values")]) : nil
            }
        }
        let lines = (0..<400).map { i in i % 3 == 0 ? "cmd\(i % 11) a b" : "x\(i % 13) y" }
        let (program, diagnostics) = parse(Source(name: "t", text: lines.joined(separator: "\n")), commands: Table())
        #expect(diagnostics.isEmpty)
        #expect(program.statements.count == 400)
        for (i, s) in program.statements.enumerated() {
            guard case .command(let name, _, let args) = s.kind else { Issue.record("line \(i + 1)"); continue }
            #expect(name == (i % 3 == 0 ? "cmd\(i % 11)" : "x\(i % 13)"))
            #expect(args.count == (i % 3 == 0 ? 2 : 1))
        }
    }
}

extension WordTests {
    /// The lexer's `switch` of symbols: each symbol, alone and between words, is itself.
    @Test func everySymbolLexesAsItself() {
        for symbol in Symbol.allCases {
            for text in [symbol.rawValue, "1 \(symbol.rawValue)(", "a \(symbol.rawValue) 1"] {
                let source = Source(name: "t", text: text)
                let tokens = tokenize(source)
                let found = tokens.first { $0.symbol != nil }
                #expect(found?.symbol == symbol, "\(text)")
                #expect(found.map { source.slice($0.range) } == symbol.rawValue, "\(text)")
            }
        }
        // Brackets open and close lines: a newline inside them is no token.
        let kinds = tokenize(Source(name: "t", text: "([{\n}])\n")).map(\.kind)
        #expect(kinds.filter { $0 == .newline }.count == 1)
    }
}
