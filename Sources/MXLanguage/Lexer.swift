/// Turns source bytes into tokens. The newline is a real token (statements are
/// line-oriented) except inside (), [] and {}, where lines may be continued freely.
public func tokenize(_ source: Source) -> [Token] {
    var lexer = Lexer(bytes: source.bytes)
    return lexer.run()
}

/// The parts of a double-quoted string token with an escape or a `${...}`: its text
/// pieces (escapes read) and the ranges of its interpolations. Nil for other tokens.
public func stringParts(of token: Token, in source: Source) -> [StringPart]? {
    var lexer = Lexer(bytes: source.bytes, start: token.range.start, end: token.range.end)
    guard case .interpolated(let i) = lexer.next().kind else { return nil }
    return lexer.strings[Int(i)]
}

/// Produces tokens one at a time (`next()`): the parser pulls them, so a 100,000-line
/// script never holds all its tokens at once.
struct Lexer {
    let bytes: [UInt8]
    let limit: Int
    var i = 0
    var bracketDepth = 0
    var finished = false
    /// The parts of each `.interpolated` token, and the complaint of each `.invalid` one,
    /// by the index the token holds.
    var strings: [[StringPart]] = []
    var messages: [String] = []

    init(bytes: [UInt8], start: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.i = start
        self.limit = end ?? bytes.count
        // A UTF-8 byte-order mark (Windows editors write one) is not part of the script.
        if start == 0, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        // A shebang line is a comment.
        if start == 0, bytes[i...].starts(with: Array("#!".utf8)) { skipLine(limit) }
    }

    mutating func run() -> [Token] {
        var all: [Token] = []
        while true {
            let t = next()
            all.append(t)
            if case .eof = t.kind { return all }
        }
    }

    /// The next token. Each `lex` function gives back the token it read: held in a
    /// variable on its way out, every token was stored and loaded twice more.
    mutating func next() -> Token { lexOne() }

    /// Lexes up to and including the next token (or the end of input).
    private mutating func lexOne() -> Token {
        if finished {
            return make(.eof, limit, limit, false)
        }
        // Blanks, comments and continued lines: every byte of a script between its tokens
        // comes through here, so it is read through a pointer (indexing the array checks
        // each index and loads the array from `self` again each time).
        var space = false
        let outsideBrackets = bracketDepth == 0
        i = bytes.withUnsafeBufferPointer { b in
            var j = i
            while j < limit {
                switch b[j] {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                    j += 1; space = true
                case UInt8(ascii: "#"):
                    while j < limit, b[j] != UInt8(ascii: "\n") { j += 1 }
                case UInt8(ascii: "\\") where j + 1 < limit && (b[j + 1] == 10 || b[j + 1] == 13):
                    // Backslash at the end of a line continues the statement.
                    j += 1
                    if j < limit, b[j] == 13 { j += 1 }
                    if j < limit, b[j] == 10 { j += 1 }
                    space = true
                case UInt8(ascii: "\n") where !outsideBrackets:
                    j += 1; space = false
                default:
                    return j
                }
            }
            return j
        }
        guard i < limit else {
            finished = true
            return make(.eof, limit, limit, space)
        }
        let c = bytes[i]
        if c == UInt8(ascii: "\n") {
            i += 1
            return make(.newline, i - 1, i, space)
        }
        if isIdentStart(c) { return lexWord(space) }
        // `@work-cm`: a connection profile, read as one word.
        if c == UInt8(ascii: "@"), i + 1 < bytes.count, isIdentStart(bytes[i + 1]) { return lexWord(space) }
        if isDigit(c) { return lexNumber(space) }
        if c == UInt8(ascii: "\"") { return lexDoubleQuoted(space) }
        if c == UInt8(ascii: "'") { return lexSingleQuoted(space) }
        return lexSymbol(space)
    }

    func make(_ kind: TokenKind, _ s: Int, _ e: Int, _ space: Bool) -> Token {
        Token(kind: kind, range: SourceRange(s, e), spaceBefore: space)
    }

    /// A token the lexer could not make sense of, with the complaint the parser reports.
    mutating func invalid(_ message: String, _ s: Int, _ e: Int, _ space: Bool) -> Token {
        messages.append(message)
        return make(.invalid(Int32(messages.count - 1)), s, e, space)
    }

    mutating func skipLine(_ limit: Int) {
        while i < limit, bytes[i] != UInt8(ascii: "\n") { i += 1 }
    }

    func isIdentStart(_ c: UInt8) -> Bool {
        (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95
    }
    func isIdentChar(_ c: UInt8) -> Bool { isIdentStart(c) || isDigit(c) }
    func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    /// identifier = letter { letter | digit | "_" } { "-" letter { letter | digit | "_" } }
    mutating func lexWord(_ space: Bool) -> Token {
        let start = i
        // Through a pointer, as in `lexOne`; so are the keyword's and the enum literal's
        // tests (a slice of `bytes` is a retain and a release of the whole script's buffer).
        let (end, kind): (Int, TokenKind) = bytes.withUnsafeBufferPointer { all in
            var j = start + 1
            while j < all.count {
                if isIdentChar(all[j]) { j += 1; continue }
                // An inner hyphen joins words (add-alias) when a letter follows it.
                if all[j] == UInt8(ascii: "-"), j + 1 < all.count, isIdentStart(all[j + 1]) {
                    j += 2; continue
                }
                break
            }
            let w = UnsafeBufferPointer(rebasing: all[start..<j])
            if let k = keyword(w) { return (j, .keyword(k)) }
            return (j, isEnumLiteral(w) ? .enumLiteral : .identifier)
        }
        i = end
        return make(kind, start, end, space)
    }

    /// Upper-case bare words are enum literals: an upper-case letter first, no lower-case.
    func isEnumLiteral<C: Collection<UInt8>>(_ w: C) -> Bool {
        guard let f = w.first, f >= 65, f <= 90 else { return false }
        return !w.contains { ($0 >= 97 && $0 <= 122) || $0 == UInt8(ascii: "-") }
    }

    mutating func lexNumber(_ space: Bool) -> Token {
        let start = i
        while i < bytes.count, isDigit(bytes[i]) || bytes[i] == UInt8(ascii: "_") { i += 1 }
        if i + 1 < bytes.count, bytes[i] == UInt8(ascii: "."), isDigit(bytes[i + 1]) {
            i += 1
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            var j = i + 1
            if j < bytes.count, bytes[j] == UInt8(ascii: "+") || bytes[j] == UInt8(ascii: "-") { j += 1 }
            if j < bytes.count, isDigit(bytes[j]) {
                i = j
                while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            }
        }
        // 1.2.3.4 or 10abc: a number glued to more characters is almost always a value
        // that wanted quotes.
        if i < bytes.count,
            isIdentChar(bytes[i]) || (bytes[i] == UInt8(ascii: ".") && i + 1 < bytes.count && isDigit(bytes[i + 1]))
        {
            while i < bytes.count, isIdentChar(bytes[i]) || bytes[i] == UInt8(ascii: ".") { i += 1 }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            return invalid(
                "malformed number '\(text)'; put it in quotes if it is a name or an address: \"\(text)\"",
                start, i, space)
        }
        return make(.number, start, i, space)
    }

    mutating func lexSingleQuoted(_ space: Bool) -> Token {
        let start = i
        i += 1
        while i < bytes.count, bytes[i] != UInt8(ascii: "'"), bytes[i] != UInt8(ascii: "\n") { i += 1 }
        guard i < bytes.count, bytes[i] == UInt8(ascii: "'") else {
            return invalid("unterminated string; close it with ' on the same line", start, i, space)
        }
        i += 1
        return make(.string, start, i, space)
    }

    mutating func lexDoubleQuoted(_ space: Bool) -> Token {
        let start = i
        i += 1
        // Most strings have no escape and no `${`: their text is the bytes up to the quote.
        let j = plainTextEnd(from: i)
        if j < bytes.count, bytes[j] == UInt8(ascii: "\"") {
            i = j + 1
            return make(.string, start, i, space)
        }
        var parts: [StringPart] = []
        parts.reserveCapacity(5)  // text ${x} text ${y} text: allocated once
        // A piece of text is made from the script's bytes where it has no escape
        // (`segment` is where it starts); only an escape needs a buffer to build it in.
        var segment = i
        var escaped: [UInt8] = []
        while i < bytes.count {
            let end = plainTextEnd(from: i)
            i = end
            guard end < bytes.count else { break }
            let c = bytes[end]
            if c == UInt8(ascii: "\n") { break }
            if c == UInt8(ascii: "\"") {
                addText(&parts, &escaped, segment, end)
                i = end + 1
                strings.append(parts)
                return make(.interpolated(Int32(strings.count - 1)), start, i, space)
            }
            if c == UInt8(ascii: "$") {
                guard end + 1 < bytes.count, bytes[end + 1] == UInt8(ascii: "{") else {
                    i = end + 1  // a `$` alone is text
                    continue
                }
                addText(&parts, &escaped, segment, end)
                let (close, closed) = interpolationEnd(from: end + 2)
                guard closed else {
                    let token = invalid("'${' is not closed; end the interpolation with '}'", end, close, space)
                    skipString(); return token
                }
                parts.append(.interpolation(SourceRange(end + 2, close)))
                i = close + 1
                segment = i
                continue
            }
            // A backslash: the text so far goes to the buffer, then the escaped byte(s).
            guard end + 1 < bytes.count else { i = end + 1; break }
            escaped.append(contentsOf: bytes[segment..<end])
            let e = bytes[end + 1]
            i = end + 2
            switch e {
            case UInt8(ascii: "n"): escaped.append(10)
            case UInt8(ascii: "t"): escaped.append(9)
            case UInt8(ascii: "r"): escaped.append(13)
            case UInt8(ascii: "0"): escaped.append(0)
            case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "$"), UInt8(ascii: "'"): escaped.append(e)
            case UInt8(ascii: "u") where i < bytes.count && bytes[i] == UInt8(ascii: "{"):
                var j = i + 1
                while j < bytes.count, bytes[j] != UInt8(ascii: "}"), j - i < 9 { j += 1 }
                let hex = String(decoding: bytes[(i + 1)..<min(j, bytes.count)], as: UTF8.self)
                guard j < bytes.count, bytes[j] == UInt8(ascii: "}"), let v = UInt32(hex, radix: 16) else {
                    let token = invalid(
                        "bad unicode escape; write it as \\u{1F600}", i - 2, min(j + 1, bytes.count), space)
                    skipString(); return token
                }
                guard let scalar = Unicode.Scalar(v) else {
                    // The form is right; the number names no character, so say why.
                    let why =
                        v > 0x10FFFF
                        ? "is above 10FFFF, the largest Unicode scalar value"
                        : "is a surrogate (D800-DFFF), which UTF-8 cannot hold"
                    let message = "\\u{\(hex)} names no character: \(hex.uppercased()) \(why)"
                    let token = invalid(message, i - 2, j + 1, space)
                    skipString(); return token
                }
                escaped.append(contentsOf: Array(String(Character(scalar)).utf8))
                i = j + 1
            default:
                let token = invalid(
                    "unknown escape '\\\(Character(Unicode.Scalar(e)))'; known: \\n \\t \\r \\0 \\\\ \\\" \\' "
                        + "\\$ \\u{...}", i - 2, i, space)
                skipString(); return token
            }
            segment = i
        }
        return invalid("unterminated string; close it with \" on the same line", start, i, space)
    }

    /// The text from `segment` to `end` (after what `escaped` holds) as a part, if any.
    func addText(_ parts: inout [StringPart], _ escaped: inout [UInt8], _ segment: Int, _ end: Int) {
        if escaped.isEmpty {
            if end > segment {
                let text = bytes.withUnsafeBufferPointer { String(decoding: $0[segment..<end], as: UTF8.self) }
                parts.append(.text(text))
            }
            return
        }
        escaped.append(contentsOf: bytes[segment..<end])
        parts.append(.text(String(decoding: escaped, as: UTF8.self)))
        escaped.removeAll(keepingCapacity: true)
    }

    /// Where the `}` that closes a `${` whose expression starts at `from` is: nested braces
    /// and quoted text inside it skipped, on this line. Not closed: where the search stopped.
    func interpolationEnd(from: Int) -> (at: Int, closed: Bool) {
        var depth = 1
        var j = from
        var inQuote: UInt8? = nil
        while j < bytes.count, bytes[j] != UInt8(ascii: "\n") {
            let d = bytes[j]
            if let q = inQuote {
                if d == UInt8(ascii: "\\") { j += 2; continue }
                if d == q { inQuote = nil }
            } else if d == UInt8(ascii: "\"") || d == UInt8(ascii: "'") {
                inQuote = d
            } else if d == UInt8(ascii: "{") {
                depth += 1
            } else if d == UInt8(ascii: "}") {
                depth -= 1
                if depth == 0 { return (j, true) }
            }
            j += 1
        }
        return (j, false)
    }

    /// Where the plain text of a string that starts at `from` ends: the first quote,
    /// backslash, `$` or newline, or the end of the script.
    func plainTextEnd(from: Int) -> Int {
        bytes.withUnsafeBufferPointer { b in
            var j = from
            while j < b.count, !endsPlainText(b[j]) { j += 1 }
            return j
        }
    }

    /// A quote, a backslash, a `$` or a newline: where a string stops being plain text.
    func endsPlainText(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c == UInt8(ascii: "$") || c == UInt8(ascii: "\n")
    }

    /// After a bad escape, resume after the closing quote so one mistake is one error.
    mutating func skipString() {
        while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\n") {
            if bytes[i] == UInt8(ascii: "\\") { i += 1 }
            i += 1
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "\"") { i += 1 }
    }

    mutating func lexSymbol(_ space: Bool) -> Token {
        let start = i
        let c = bytes[i]
        let next: UInt8 = i + 1 < bytes.count ? bytes[i + 1] : 0
        // One `switch` on the byte: a table of symbols was a global's load (and its
        // once-only initialisation test) for every symbol of a script.
        let sym: Symbol
        switch c {
        case UInt8(ascii: "<"): sym = next == UInt8(ascii: "=") ? .le : .lt
        case UInt8(ascii: ">"): sym = next == UInt8(ascii: "=") ? .ge : .gt
        case UInt8(ascii: "="):
            if next == UInt8(ascii: "=") {
                i += 2
                return invalid("there is no '=='; write '=' to compare", start, i, space)
            }
            sym = .eq
        case UInt8(ascii: "!") where next == UInt8(ascii: "="): sym = .ne
        case UInt8(ascii: "~"): sym = .tilde
        case UInt8(ascii: "."): sym = .dot
        case UInt8(ascii: ","): sym = .comma
        case UInt8(ascii: ":"): sym = .colon
        case UInt8(ascii: ";"): sym = .semicolon
        case UInt8(ascii: "("): sym = .lparen; bracketDepth += 1
        case UInt8(ascii: ")"): sym = .rparen; bracketDepth = max(0, bracketDepth - 1)
        case UInt8(ascii: "["): sym = .lbracket; bracketDepth += 1
        case UInt8(ascii: "]"): sym = .rbracket; bracketDepth = max(0, bracketDepth - 1)
        case UInt8(ascii: "{"): sym = .lbrace; bracketDepth += 1
        case UInt8(ascii: "}"): sym = .rbrace; bracketDepth = max(0, bracketDepth - 1)
        case UInt8(ascii: "+"): sym = .plus
        case UInt8(ascii: "-"): sym = .minus
        case UInt8(ascii: "*"): sym = .star
        case UInt8(ascii: "/"): sym = .slash
        default:
            i += 1
            // Swallow a whole UTF-8 sequence so the message shows one character.
            while i < bytes.count, bytes[i] & 0xC0 == 0x80 { i += 1 }
            let ch = String(decoding: bytes[start..<i], as: UTF8.self)
            let hint =
                ch == "!"
                ? "; write 'not' for negation, '!=' for inequality"
                : ch == "&" || ch == "|" ? "; write 'and' / 'or'" : ""
            return invalid("unexpected character \(visible(ch))\(hint)", start, i, space)
        }
        i += sym == .le || sym == .ge || sym == .ne ? 2 : 1
        return make(.symbol(sym), start, i, space)
    }
}

extension String {
    func replacingOccurrences(_ target: Character, _ with: String) -> String {
        var out = ""
        for ch in self { if ch == target { out += with } else { out.append(ch) } }
        return out
    }
}

func pack<C: Collection<UInt8>>(_ bytes: C) -> UInt64 {
    var packed: UInt64 = 0
    for b in bytes { packed = packed << 8 | UInt64(b) }
    return packed
}

/// The value of a number token's text: digits with `_` between groups, a fraction, an
/// exponent.
func numberValue(_ text: UnsafeBufferPointer<UInt8>) -> Double {
    // Plain digits, the commonest number: no text to build. Fifteen digits are exact in a Double.
    if text.count <= 15, text.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
        var n = 0
        for b in text { n = n * 10 + Int(b - 48) }
        return Double(n)
    }
    return Double(String(decoding: text, as: UTF8.self).replacingOccurrences("_", "")) ?? 0
}

/// The keyword a word's bytes spell, if any: a `switch` on the bytes packed into one
/// integer (none is longer than eight), which compiles to a few comparisons. Every word
/// of a script is asked about; a table of keywords was a load of a global (and its
/// once-only initialisation test) and a loop each time. `KeywordTests` checks each case
/// against `Keyword.allCases`.
func keyword<C: Collection<UInt8>>(_ word: C) -> Keyword? {
    guard word.count >= 2, word.count <= 8 else { return nil }
    switch pack(word) {
    case 0x6C_6574: return .`let`
    case 0x6966: return .`if`
    case 0x656C_7365: return .`else`
    case 0x66_6F72: return .`for`
    case 0x696E: return .`in`
    case 0x77_6865_7265: return .`where`
    case 0x64_6566: return .`def`
    case 0x61_6E64: return .and
    case 0x6F72: return .or
    case 0x6E_6F74: return .not
    case 0x68_6173: return .has
    case 0x6F66: return .of
    case 0x7472_7565: return .`true`
    case 0x66_616C_7365: return .`false`
    case 0x6E6F_6E65: return Keyword.none  // `.none` would be Optional's nil
    case 0x7265_7475_726E: return .`return`
    case 0x62_7265_616B: return .`break`
    case 0x636F_6E74_696E_7565: return .`continue`
    default: return nil
    }
}

/// A character as a message can show it: in quotes, or by its code point when it would
/// not be seen (a byte-order mark in the middle of a file, a no-break space, a control).
func visible(_ ch: String) -> String {
    guard let scalar = ch.unicodeScalars.first, ch.unicodeScalars.count == 1 else { return "'\(ch)'" }
    switch scalar.properties.generalCategory {
    case .format, .control, .spaceSeparator, .lineSeparator, .paragraphSeparator, .privateUse, .unassigned,
        .surrogate, .nonspacingMark, .enclosingMark:
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return scalar == "\u{FEFF}" ? "\(code) (a byte-order mark, which may only start a file)" : "\(code) (unseen)"
    default:
        return "'\(ch)'"
    }
}
