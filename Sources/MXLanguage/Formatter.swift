/// `mxsh fmt`: one canonical layout for a script, computed from its tokens and the text
/// between them (where the comments are), so the parser is not involved and the same
/// tokens come out in the same order: a formatted script is the same program.
///
/// The layout: one statement per line (`;` becomes a line break); blocks indented by two
/// spaces per level, `>` on its own line, a one-statement block written on one line stays
/// there (`for d in x < print d >`); at most one blank line in a row, none at the start or
/// end; trailing spaces dropped; runs of end-of-line comments aligned two spaces after
/// the longest code. Inside a line: no space inside brackets, none before `,` and `:`,
/// one after them; other spaces are kept as written (collapsed to one), because the parser
/// reads a space before `(`, `.` and `[` (`f(x)` is a call, `print (x)` an argument).
/// Line continuations (`\`) and lines broken inside brackets are kept, indented by four.
public func format(_ source: Source) -> String {
    var formatter = Formatter(source: source, tokens: tokenize(source))
    return formatter.run()
}

struct Formatter {
    let source: Source
    let tokens: [Token]
    /// For each block's `<` (token index), whether it is written over several lines.
    var expanded: [Int: Bool] = [:]
    var lines: [Line] = []
    var line = Line()
    var indent = 0
    var bracketDepth = 0
    /// A blank line is owed before the next line with content.
    var pendingBlank = false
    /// The open blocks: is each expanded?
    var blocks: [Bool] = []
    /// A token or a comment was met on the current source line (else a newline is blank).
    var sourceLineHasContent = false
    /// The last token written opened a block (a space follows it).
    var afterBlockOpen = false

    struct Line {
        var indent = 0
        var code = ""
        var comment: String?
        /// Continuation lines (after `\` or inside brackets) are not aligned with others.
        var isContinuation = false
        var isBlank: Bool { code.isEmpty && comment == nil }
    }

    init(source: Source, tokens: [Token]) {
        self.source = source
        self.tokens = tokens
        self.expanded = Self.findBlocks(tokens, source)
    }

    /// Pairs each block `<` with its `>` (outside brackets both are block delimiters) and
    /// decides whether the block spans lines: it does when it holds a line break or a `;`.
    static func findBlocks(_ tokens: [Token], _ source: Source) -> [Int: Bool] {
        var result: [Int: Bool] = [:]
        var open: [Int] = []
        var depth = 0
        for (i, t) in tokens.enumerated() {
            switch t.symbol {
            case .lparen, .lbracket, .lbrace: depth += 1
            case .rparen, .rbracket, .rbrace: depth = max(0, depth - 1)
            case .lt where depth == 0: open.append(i)
            case .gt where depth == 0:
                guard let o = open.popLast() else { continue }
                let inner = tokens[o].range.end..<t.range.start
                let multi =
                    source.bytes[inner].contains(UInt8(ascii: "\n"))
                    || tokens[(o + 1)..<i].contains { $0.symbol == .semicolon }
                result[o] = multi
            default: break
            }
        }
        for o in open { result[o] = true }
        return result
    }

    mutating func run() -> String {
        var previousEnd = 0
        var previous: Token?
        for (i, t) in tokens.enumerated() {
            gap(from: previousEnd, to: t.range.start, after: previous)
            if case .eof = t.kind { break }
            token(t, index: i, after: previous)
            previousEnd = t.range.end
            previous = t
        }
        endLine()
        return render()
    }

    // MARK: the text between tokens: spaces, comments, continuations

    mutating func gap(from start: Int, to end: Int, after previous: Token?) {
        let bytes = source.bytes
        var i = start
        while i < end {
            let c = bytes[i]
            if c == UInt8(ascii: "#") {
                var j = i
                while j < end, bytes[j] != UInt8(ascii: "\n") { j += 1 }
                var text = source.slice(SourceRange(i, j))
                while text.last == " " || text.last == "\t" || text.last == "\r" { text.removeLast() }
                sourceLineHasContent = true
                if line.code.isEmpty {
                    line.comment = text
                    endLine()
                } else {
                    line.comment = text
                }
                i = j
            } else if c == UInt8(ascii: "\\") {
                // A continuation: the statement goes on at the next line.
                line.code += line.code.isEmpty ? "\\" : " \\"
                endLine()
                line.isContinuation = true
                i += 1
                while i < end, bytes[i] != UInt8(ascii: "\n") { i += 1 }
                i += 1
            } else if c == UInt8(ascii: "\n") {
                // Only inside brackets (elsewhere a newline is a token).
                if !line.code.isEmpty || line.comment != nil {
                    endLine()
                    line.isContinuation = true
                }
                i += 1
            } else {
                i += 1
            }
        }
    }

    // MARK: tokens

    mutating func token(_ t: Token, index: Int, after previous: Token?) {
        switch t.kind {
        case .newline:
            if !sourceLineHasContent {
                if !lines.isEmpty { pendingBlank = true }
            } else {
                endLine()
            }
            sourceLineHasContent = false
            return
        case .symbol(.semicolon) where bracketDepth == 0:
            endLine()
            return
        default: break
        }
        sourceLineHasContent = true
        let text = source.slice(t.range)
        defer { afterBlockOpen = bracketDepth == 0 && t.symbol == .lt && expanded[index] != nil }
        if bracketDepth == 0, t.symbol == .lt, let multi = expanded[index] {
            append(text, t, previous, blockDelimiter: true)
            blocks.append(multi)
            indent += 1
            if multi { endLine() }
            return
        }
        if bracketDepth == 0, t.symbol == .gt, !blocks.isEmpty {
            let multi = blocks.removeLast()
            if multi {
                endLine()
                pendingBlank = false
            }
            indent -= 1
            append(text, t, previous, blockDelimiter: true)
            return
        }
        switch t.symbol {
        case .lparen, .lbracket, .lbrace: append(text, t, previous); bracketDepth += 1
        case .rparen, .rbracket, .rbrace: bracketDepth = max(0, bracketDepth - 1); append(text, t, previous)
        default: append(text, t, previous)
        }
    }

    /// Appends a token's text with the canonical space before it.
    mutating func append(_ text: String, _ t: Token, _ previous: Token?, blockDelimiter: Bool = false) {
        if line.code.isEmpty {
            if line.isContinuation {
                line.indent =
                    indent + 2 + (t.symbol.map { [.rparen, .rbracket, .rbrace].contains($0) } == true ? -2 : 0)
            } else {
                line.indent = indent
                insertPendingBlank()
            }
            pendingBlank = false
            line.code = text
            return
        }
        if blockDelimiter || afterBlockOpen || needsSpace(t, after: previous) { line.code += " " }
        line.code += text
    }

    func needsSpace(_ t: Token, after previous: Token?) -> Bool {
        // After `,` and `:` nothing is postfix, so the space there means nothing to the parser.
        if let p = previous?.symbol, p == .comma || p == .colon, t.symbol != .comma { return true }
        // The parser reads these spaces: keep them exactly as written.
        if let s = t.symbol, s == .lparen || s == .dot || s == .lbracket { return t.spaceBefore }
        if let s = t.symbol, [.rparen, .rbracket, .rbrace, .comma, .colon].contains(s) { return false }
        if let p = previous?.symbol {
            if p == .lparen || p == .lbracket || p == .lbrace { return false }
            if p == .comma || p == .colon { return true }
        }
        return t.spaceBefore
    }

    mutating func endLine() {
        if !line.code.isEmpty || line.comment != nil {
            if line.code.isEmpty {
                line.indent = indent
                insertPendingBlank()
                pendingBlank = false
            }
            lines.append(line)
        }
        line = Line()
    }

    /// A blank line the source had, unless it would open a block or the script.
    mutating func insertPendingBlank() {
        guard pendingBlank, let last = lines.last, !last.isBlank else { return }
        if last.code.hasSuffix("<") { return }
        lines.append(Line())
    }

    // MARK: output

    /// Writes the lines, aligning each run of end-of-line comments.
    func render() -> String {
        var out = ""
        var i = 0
        while i < lines.count {
            // A run: consecutive lines with code and an end-of-line comment.
            var j = i
            while j < lines.count, !lines[j].code.isEmpty, lines[j].comment != nil { j += 1 }
            if j > i {
                let width = lines[i..<j].map { $0.indent * 2 + $0.code.count }.max() ?? 0
                for l in lines[i..<j] {
                    let code = String(repeating: " ", count: l.indent * 2) + l.code
                    out += code + String(repeating: " ", count: width - code.count + 2) + l.comment! + "\n"
                }
                i = j
                continue
            }
            let l = lines[i]
            if l.isBlank {
                out += "\n"
            } else {
                let pad = String(repeating: " ", count: l.indent * 2)
                out += pad + (l.code.isEmpty ? l.comment! : l.code) + "\n"
            }
            i += 1
        }
        return out
    }
}

/// What `mxsh fmt` makes of a script.
public enum FormatResult: Sendable {
    /// The canonical text (it may equal the input).
    case formatted(String)
    /// The script does not parse: nothing is rewritten (as gofmt refuses broken code).
    case invalid([Diagnostic])
    /// A safety net that should never fire: the layout changed what the parser reads.
    case changedProgram(String)
}

/// Formats a script that parses, and proves the result is the same program: the syntax
/// trees before and after, without their positions, must be equal.
/// `connections` are those known before it, as for `parse`.
public func formatChecked(
    _ source: Source, commands: any CommandLookup, connections: Set<String> = []
) -> FormatResult {
    let (program, diagnostics) = parse(source, commands: commands, connections: connections)
    if !diagnostics.isEmpty { return .invalid(diagnostics) }
    let text = format(source)
    let (again, _) = parse(Source(name: source.name, text: text), commands: commands, connections: connections)
    let before = programShape(program), after = programShape(again)
    guard before == after else { return .changedProgram(text) }
    return .formatted(text)
}

/// The syntax tree as `mxsh parse` prints it, without the `@line:column` of each statement.
public func programShape(_ program: Program) -> String {
    var out = ""
    var chars = Array(dump(program))[...]
    while let c = chars.first {
        if c == "@" {
            // Skip "@12:3 ".
            var rest = chars.dropFirst()
            while let d = rest.first, d.isNumber || d == ":" { rest = rest.dropFirst() }
            if rest.first == " " { chars = rest.dropFirst(); continue }
        }
        out.append(c)
        chars = chars.dropFirst()
    }
    // Indentation and line breaks of the dump follow the statements, not the layout.
    return out
}
