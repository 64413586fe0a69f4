#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A located problem in a script: errors are data, rendered to text in one place
/// (`render`), as `file:line:col: error: message`, the line, a caret and notes.
public struct Diagnostic: Error, Sendable {
    public enum Severity: String, Sendable { case error, warning }
    /// What the REPL needs to tell "keep typing" from "this is wrong".
    public enum Code: Sendable, Equatable {
        case general
        case incomplete  // an unclosed block, bracket or string at the end of input
    }
    /// Which phase found the problem, and of what sort: tests and tools tell errors
    /// apart by this, not by their wording.
    public enum Kind: String, Sendable, Equatable {
        case lexical  // a character, string, number or escape the lexer refuses
        case syntax  // tokens in an order the grammar does not allow
        case nesting  // deeper than the parser takes (a located error, never a crash)
        case check  // parses, but names, arity, types or a vendor's abilities are wrong
        case runtime  // found while running
    }
    public struct Note: Sendable {
        public var message: String
        public var range: SourceRange?
        /// The text `range` is in, when not the one the diagnostic is rendered in.
        public var source: Source?
        public init(_ message: String, at range: SourceRange? = nil, in source: Source? = nil) {
            self.message = message
            self.range = range
            self.source = source
        }
    }

    public var severity: Severity
    public var message: String
    public var range: SourceRange
    public var notes: [Note]
    public var code: Code
    public var kind: Kind
    /// The text `range` is in, when not the one the diagnostic is rendered in: the shell's
    /// error inside a def entered earlier points into that entry, not the one typed now.
    public var source: Source?

    public init(
        _ message: String, at range: SourceRange, notes: [Note] = [], code: Code = .general,
        severity: Severity = .error, kind: Kind = .syntax
    ) {
        self.kind = kind
        self.message = message
        self.range = range
        self.notes = notes
        self.code = code
        self.severity = severity
    }

    /// `unknown command 'add-alais'` + `did you mean 'add-alias'?` when one is close.
    public static func unknown(
        _ what: String, _ name: String, at range: SourceRange,
        candidates: some Sequence<String>, fix: String? = nil
    ) -> Diagnostic {
        var notes: [Note] = []
        if let best = bestMatch(for: name, in: candidates) {
            notes.append(Note("did you mean '\(best)'?"))
        } else if let fix {
            notes.append(Note(fix))
        }
        return Diagnostic("unknown \(what) '\(name)'", at: range, notes: notes)
    }

    /// The one place a diagnostic becomes text.
    public func render(in given: Source) -> String {
        let source = self.source ?? given
        let (line, column) = source.lineColumn(of: range.start)
        var out = "\(source.name):\(line):\(column): \(severity.rawValue): \(message)\n"
        out += caretLines(source: source, range: range)
        for note in notes {
            if let r = note.range {
                let source = note.source ?? given
                let (nl, nc) = source.lineColumn(of: r.start)
                out += "\(source.name):\(nl):\(nc): note: \(note.message)\n"
                out += caretLines(source: source, range: r)
            } else {
                out += "  note: \(note.message)\n"
            }
        }
        return out
    }

    private func caretLines(source: Source, range: SourceRange) -> String {
        let (line, column) = source.lineColumn(of: range.start)
        var text = Self.maskedLine(line, of: source)
        let (endLine, endColumn) = source.lineColumn(of: max(range.start, range.end))
        var width = endLine == line ? max(1, endColumn - column) : max(1, text.count - column + 1)
        var column0 = column - 1
        // A long line (generated, minified) is shown around the place, not whole.
        if text.count > Self.excerptWidth {
            let from = max(0, min(column0 - Self.excerptWidth / 3, text.count - Self.excerptWidth))
            let to = min(text.count, from + Self.excerptWidth)
            let shown = String(text.dropFirst(from).prefix(to - from))
            text = (from > 0 ? "..." : "") + shown + (to < text.count ? "..." : "")
            column0 = column0 - from + (from > 0 ? 3 : 0)
            width = max(1, min(width, to - (column - 1)))
        }
        let gutter = "\(line)"
        let pad = String(repeating: " ", count: gutter.count)
        // Keep tabs as tabs so the caret lines up under the same character.
        let lead = String(text.prefix(column0).map { $0 == "\t" ? "\t" : " " })
        return " \(gutter) | \(text)\n \(pad) | \(lead)\(String(repeating: "^", count: width))\n"
    }

    /// Whether a line's last character (spaces aside) leaves a value open to the next line.
    static func endsOpen(_ source: Source, line: Int) -> Bool {
        let start = source.lineStarts[line - 1]
        var end = line < source.lineStarts.count ? source.lineStarts[line] - 1 : source.bytes.count
        while end > start, [32, 9, 13].contains(source.bytes[end - 1]) { end -= 1 }
        guard end > start else { return false }
        return openEnds.contains(source.bytes[end - 1])
    }

    private static let openEnds = Array("([{,=+-*/:".utf8)

    /// Characters of a line an excerpt shows at most.
    static let excerptWidth = 160

    /// Line `n` masked (`maskingCredentials`) with the lines before it that leave a value
    /// open, so a credential's value begun on an earlier line (`token = lower(` then
    /// `"..."`) is masked too.
    static func maskedLine(_ n: Int, of source: Source) -> String {
        guard n >= 1, n <= source.lineStarts.count else { return "" }
        // The lines before that a value may have begun on: each ends open (a bracket, a
        // comma, an operator, '='), up to 20 of them.
        var first = n
        while first > 1, n - first < 20, endsOpen(source, line: first - 1) { first -= 1 }
        // Lines first...n as one slice of the source, without line n's line end.
        let start = source.lineStarts[first - 1]
        var end = n < source.lineStarts.count ? source.lineStarts[n] - 1 : source.bytes.count
        if end > start, source.bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let masked = maskingCredentials(String(decoding: source.bytes[start..<max(start, end)], as: UTF8.self))
        guard let lastBreak = masked.lastIndex(of: "\n") else { return masked }
        return String(masked[masked.index(after: lastBreak)...])
    }
}

/// Diagnostics of one phase, in source order.
public struct DiagnosticList: Error, Sendable {
    public var items: [Diagnostic]
    public init(_ items: [Diagnostic]) { self.items = items }
    public func render(in source: Source) -> String {
        items.sorted { $0.range.start < $1.range.start }.map { $0.render(in: source) }.joined()
    }
}

/// Script text as errors show it: the value given to a key that names a credential
/// (`password="..."`, `token=["..."]`, `token = lower("..." + x)`, `secret=12345678`,
/// `{password: "..."}`: any key with password, token, secret or api key in it) has its
/// quoted texts and its numbers shown as stars of the same length, so the caret still
/// lines up and a credential written into a script never reaches a terminal or a log.
/// Names in it (`token=env("CM_TOKEN")` keeps `env`) are shown. A value goes on over
/// operators and, inside brackets, over line ends; it stops at the next `name=`, at
/// `,` `;` `<` `>` or a line end outside brackets.
func maskingCredentials(_ text: String) -> String {
    // Most text has neither a credential's key nor a URL's user part: it is returned as
    // it is, without the work below (an excerpt is masked with the 20 lines before it).
    let mentionsCredential = mentionsCredentialWord(text)
    guard mentionsCredential || text.utf8.contains(UInt8(ascii: "@")) else { return text }
    let chars = Array(text)
    var out = chars
    func isBlank(_ c: Character) -> Bool { c == " " || c == "\t" }
    func isNameChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "-" }
    /// A `name=` (not `==`) starts at `at`.
    func startsOption(_ at: Int) -> Bool {
        var e = at
        while e < chars.count, isNameChar(chars[e]) { e += 1 }
        return e > at && e + 1 < chars.count && chars[e] == "=" && chars[e + 1] != "="
    }
    var i = mentionsCredential ? 0 : chars.count
    while i < chars.count {
        guard chars[i] == "=" || chars[i] == ":", i + 1 < chars.count, chars[i + 1] != "=" else { i += 1; continue }
        var keyEnd = i
        while keyEnd > 0, isBlank(chars[keyEnd - 1]) { keyEnd -= 1 }
        var k = keyEnd
        while k > 0, isNameChar(chars[k - 1]) { k -= 1 }
        guard k < keyEnd, mentionsCredentialWord(String(chars[k..<keyEnd])) else {
            i += 1
            continue
        }
        var j = i + 1, depth = 0
        // The value may begin on the next line (an error, but the text is still shown).
        while j < chars.count, isBlank(chars[j]) || chars[j] == "\n" { j += 1 }
        scan: while j < chars.count {
            let c = chars[j]
            switch c {
            case "\"", "'":
                var end = j + 1
                while end < chars.count, chars[end] != c, chars[end] != "\n" {
                    if chars[end] == "\\" { end += 1 }
                    end += 1
                }
                for m in (j + 1)..<min(end, chars.count) where chars[m] != "\n" { out[m] = "*" }
                j = end + 1
                continue scan
            case "(", "[", "{": depth += 1
            case ")", "]", "}":
                if depth == 0 { break scan }
                depth -= 1
            case "\n", ",", ";", "<", ">", "#":
                if depth == 0 { break scan }
            case " ", "\t":
                var next = j
                while next < chars.count, isBlank(chars[next]) { next += 1 }
                if depth == 0, next == chars.count || startsOption(next) { break scan }
            default:
                if c.isNumber, j == 0 || !isNameChar(chars[j - 1]) {
                    while j < chars.count, chars[j].isNumber || chars[j] == "." || chars[j] == "_" {
                        out[j] = "*"
                        j += 1
                    }
                    continue scan
                }
            }
            j += 1
        }
        i += 1
    }
    // A URL's user part (`https://u:pw@host`): refused by connect, and not shown either.
    var u = 0
    while u + 3 <= chars.count {
        guard chars[u] == ":", u + 2 < chars.count, chars[u + 1] == "/", chars[u + 2] == "/" else { u += 1; continue }
        var end = u + 3
        while end < chars.count, !"/\"' ?#".contains(chars[end]) { end += 1 }
        if let at = chars[(u + 3)..<end].lastIndex(of: "@") {
            for m in (u + 3)..<at { out[m] = "*" }
        }
        u = end
    }
    return String(out)
}

/// The words a key naming a credential has in it.
private let credentialWords = ["password", "token", "secret", "api_key", "apikey"]

/// Whether text has one of `credentialWords` in it, in any case (the standard library's
/// `lowercased` and libc's `strstr`: asked of the 20 lines before every excerpt, it must
/// cost next to nothing).
func mentionsCredentialWord(_ text: String) -> Bool {
    var text = text
    // `strcasestr` stops at a NUL: text with one is said to mention one (and is masked
    // the slow way, character by character).
    let hasNUL = text.withUTF8 { bytes in bytes.baseAddress.map { memchr($0, 0, bytes.count) != nil } ?? false }
    return hasNUL || text.lowercased().withCString { s in credentialWords.contains { strstr(s, $0) != nil } }
}
