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
        public init(_ message: String, at range: SourceRange? = nil) { self.message = message; self.range = range }
    }

    public var severity: Severity
    public var message: String
    public var range: SourceRange
    public var notes: [Note]
    public var code: Code
    public var kind: Kind

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
    public func render(in source: Source) -> String {
        let (line, column) = source.lineColumn(of: range.start)
        var out = "\(source.name):\(line):\(column): \(severity.rawValue): \(message)\n"
        out += caretLines(source: source, range: range)
        for note in notes {
            if let r = note.range {
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
        var text = maskingCredentials(source.line(line))
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

    /// Characters of a line an excerpt shows at most.
    static let excerptWidth = 160
}

/// Diagnostics of one phase, in source order.
public struct DiagnosticList: Error, Sendable {
    public var items: [Diagnostic]
    public init(_ items: [Diagnostic]) { self.items = items }
    public func render(in source: Source) -> String {
        items.sorted { $0.range.start < $1.range.start }.map { $0.render(in: source) }.joined()
    }
}

/// A script line as errors show it: the value given to a key that names a credential
/// (`password="..."`, `token=["..."]`, `pin=1234`, `token=lower("...")`: any key with
/// password, token, secret or api key in it) has its quoted texts and its numbers shown
/// as stars of the same length, so the caret still lines up and a credential written
/// into a script never reaches a terminal or a log. Names in it (`token=env("CM_TOKEN")`
/// keeps `env`) are shown.
func maskingCredentials(_ line: String) -> String {
    let chars = Array(line)
    var out = chars
    var i = 0
    while i < chars.count {
        guard chars[i] == "=", i + 1 < chars.count, chars[i + 1] != "=" else { i += 1; continue }
        var keyEnd = i
        while keyEnd > 0, chars[keyEnd - 1] == " " { keyEnd -= 1 }
        var k = keyEnd
        while k > 0, chars[k - 1].isLetter || chars[k - 1].isNumber || chars[k - 1] == "_" || chars[k - 1] == "-" {
            k -= 1
        }
        let key = String(chars[k..<keyEnd]).lowercased()
        let credential = ["password", "token", "secret", "api_key", "apikey"].contains { key.contains($0) }
        // The value: after any spaces, up to a space, ';' or '>' outside brackets and quotes.
        var j = i + 1, depth = 0
        while j < chars.count, chars[j] == " " { j += 1 }
        while j < chars.count {
            let c = chars[j]
            if c == "\"" || c == "'" {
                var end = j + 1
                while end < chars.count, chars[end] != c {
                    if chars[end] == "\\" { end += 1 }
                    end += 1
                }
                if credential { for m in (j + 1)..<min(end, chars.count) { out[m] = "*" } }
                j = end + 1
                continue
            }
            if "([{".contains(c) { depth += 1 } else if ")]}".contains(c) { depth -= 1 }
            if depth <= 0, c == " " || c == "\t" || c == ";" || c == ">" { break }
            if credential, c.isNumber, !(chars[j - 1].isLetter || chars[j - 1] == "_") {
                while j < chars.count, chars[j].isNumber || chars[j] == "." || chars[j] == "_" {
                    out[j] = "*"
                    j += 1
                }
                continue
            }
            j += 1
        }
        i = max(j, i + 1)
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
