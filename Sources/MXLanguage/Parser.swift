/// Parses a whole script, reporting every error it finds (it resynchronises at the next
/// line), never stopping at the first. Grammar: grammar/mxsh.ebnf; each rule's method
/// carries its EBNF as a comment.
/// `connections` are the names already connected (the REPL's earlier lines): with the
/// ones this script's `connect` statements open, they decide that `m.domain NAME` is a
/// lookup at connection `m` and `r.domain` a field of `r`.
public func parse(
    _ source: Source, commands: any CommandLookup = NoCommands(),
    connections: Set<String> = []
) -> (Program, [Diagnostic]) {
    var statements: [Stmt] = []
    let (known, diagnostics) = parse(source, commands: commands, connections: connections) { statements.append($0) }
    var program = Program(statements: statements, source: source)
    program.connections = known
    return (program, diagnostics)
}

/// Parses a whole script, handing each top-level statement to `each` as soon as it is
/// parsed (a long script is checked on another thread while the rest is parsed). Gives
/// the connection names known at its end and every diagnostic.
public func parse(
    _ source: Source, commands: any CommandLookup = NoCommands(), connections: Set<String> = [],
    statements each: (consuming Stmt) -> Void
) -> (connections: Set<String>, diagnostics: [Diagnostic]) {
    var parser = Parser(source: source, lexer: Lexer(bytes: source.bytes), commands: commands)
    parser.connections = connections
    parser.parseProgram(each)
    return (parser.connections, parser.diagnostics)
}

/// Nesting deeper than this is an error, not a stack overflow.
public let maximumNestingDepth = 128

/// An expression deeper than this is an error. A flat chain (a + b + ..., a or b or ...,
/// r.a.b[0]...) is a left-leaning tree as deep as it is long, and parentheses let one
/// chain go on inside another: checking, running and freeing such a tree each recurse
/// as deep, and at some 15,000 levels that was past an 8 MB stack (SIGSEGV). 10,000
/// levels is twice the longest chain a script is known to need (5,000 `or` terms).
public let maximumExpressionDepth = 10_000

struct ParseFailure: Error {}

struct Parser {
    let source: Source
    var lexer: Lexer
    let commands: any CommandLookup
    /// The token under the cursor and the one after it; of the one before, only where it
    /// was (a token copied is a retain of its text, and every token passes through here).
    var current: Token
    var following: Token
    var previousRange = SourceRange.none
    var diagnostics: [Diagnostic] = []
    var depth = 0
    /// Inside parentheses `<` and `>` compare; outside they open and close blocks.
    var parenDepth = 0
    /// The `<` of each open block, for "to close '<' at line N".
    var openBlocks: [SourceRange] = []
    /// Connection names known so far (see `parse`).
    var connections: Set<String> = []
    /// The Strings of the words read so far (see `word`).
    var words: WordCache

    init(source: Source, lexer: Lexer, commands: any CommandLookup) {
        self.source = source
        words = WordCache(sourceBytes: source.bytes.count)
        self.lexer = lexer
        self.commands = commands
        current = self.lexer.next()
        following = self.lexer.next()
        previousRange = current.range
    }

    // MARK: cursor verbs

    /// The token after the current one (one token of lookahead is all the grammar needs).
    func peek() -> Token { following }
    var atEnd: Bool { if case .eof = current.kind { return true }; return false }

    /// Moves to the next token; gives where the one left behind was.
    @discardableResult
    mutating func advance() -> SourceRange {
        if atEnd { return current.range }
        previousRange = current.range
        // Moved, not copied: the old token dies in `following`'s place.
        swap(&current, &following)
        following = self.lexer.next()
        return previousRange
    }

    func check(_ symbol: Symbol) -> Bool { current.symbol == symbol }
    func check(_ keyword: Keyword) -> Bool { current.keyword == keyword }
    var checkNewline: Bool { if case .newline = current.kind { return true }; return false }

    mutating func match(_ symbol: Symbol) -> Bool {
        if check(symbol) { advance(); return true }
        return false
    }
    mutating func match(_ keyword: Keyword) -> Bool {
        if check(keyword) { advance(); return true }
        return false
    }

    @discardableResult
    mutating func consume(_ symbol: Symbol, _ message: @autoclosure () -> String) throws -> SourceRange {
        if check(symbol) { return advance() }
        if case .invalid = current.kind { throw unexpected("") }
        // At the end of input a closing bracket may still come: the REPL reads on.
        throw error(
            message() + ", found \(display(current))", at: current.range, code: atEnd ? .incomplete : .general)
    }

    mutating func error(
        _ message: String, at range: SourceRange, notes: [Diagnostic.Note] = [],
        code: Diagnostic.Code = .general, kind: Diagnostic.Kind = .syntax
    ) -> ParseFailure {
        report(Diagnostic(message, at: range, notes: notes, code: code, kind: kind))
        return ParseFailure()
    }

    mutating func report(_ d: Diagnostic) {
        // One complaint per place: a cascade after the first error helps nobody.
        if let last = diagnostics.last, last.range.start == d.range.start { return }
        diagnostics.append(d)
    }

    /// A word's text (an identifier, an enum literal, a number), or a plain string's
    /// between its quotes: read from the source, where the token only points.
    func text(_ t: Token) -> String {
        var start = t.range.start, end = t.range.end
        if case .string = t.kind { start += 1; end -= 1 }
        return source.bytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[start..<max(start, end)]), as: UTF8.self)
        }
    }

    /// `text(t)`, each short word's String made once (`WordCache`): the parser's own
    /// reading of words, which comes through here.
    mutating func word(_ t: Token) -> String {
        // A quoted string is seldom said twice ("d0001.net"): no table for it.
        if case .string = t.kind { return text(t) }
        return source.bytes.withUnsafeBufferPointer { words.string($0, t.range.start, t.range.end) }
    }

    /// A number token's value.
    func number(_ t: Token) -> Double {
        source.bytes.withUnsafeBufferPointer {
            numberValue(UnsafeBufferPointer(rebasing: $0[t.range.start..<t.range.end]))
        }
    }

    /// How a token is named in an error message.
    func display(_ t: Token) -> String {
        switch t.kind {
        case .identifier, .enumLiteral: return "'\(text(t))'"
        case .keyword(let k): return "'\(k.rawValue)'"
        case .number: return "number \(numberText(number(t)))"
        case .string, .interpolated: return "a string"
        case .symbol(let s): return "'\(s.rawValue)'"
        case .newline: return "end of line"
        case .eof: return "end of input"
        case .invalid(let i): return lexer.messages[Int(i)]
        }
    }

    /// Reports a token the lexer could not make sense of, or a premature end of input.
    mutating func unexpected(_ expected: String) -> ParseFailure {
        let t = current
        switch t.kind {
        case .invalid(let i):
            return error(lexer.messages[Int(i)], at: t.range, kind: .lexical)
        case .eof:
            if parenDepth > 0 {
                return error("expected \(expected), found end of input", at: t.range, code: .incomplete)
            }
            return error("expected \(expected), found end of input", at: t.range)
        default:
            return error("expected \(expected), found \(display(t))", at: t.range)
        }
    }

    mutating func nest<T>(_ at: SourceRange, _ body: (inout Parser) throws -> T) throws -> T {
        depth += 1
        defer { depth -= 1 }
        if depth > maximumNestingDepth {
            throw error(
                "nesting is deeper than \(maximumNestingDepth) levels; split the script into smaller defs", at: at,
                kind: .nesting)
        }
        return try body(&self)
    }

    /// Skips to the start of the next statement after an error.
    mutating func synchronize() {
        // An error at the first token of a line, inside brackets, is almost always a
        // bracket left open on an earlier line: close it, so the lines after it are
        // statements again (and their own errors are reported).
        if lexer.bracketDepth > 0, startsLine(current.range.start) { lexer.bracketDepth = 0 }
        while !atEnd {
            switch current.kind {
            case .newline, .symbol(.semicolon): advance(); return
            case .symbol(.gt) where !openBlocks.isEmpty: return
            default: advance()
            }
        }
    }

    /// Skips a block's statements and its closing '>' (the '<' is behind the cursor).
    mutating func skipBlock() {
        var blocks = 1, brackets = 0
        while !atEnd {
            switch current.symbol {
            case .lparen?, .lbracket?, .lbrace?: brackets += 1
            case .rparen?, .rbracket?, .rbrace?: brackets = max(0, brackets - 1)
            case .lt? where brackets == 0: blocks += 1
            case .gt? where brackets == 0:
                blocks -= 1
                if blocks == 0 {
                    advance()
                    return
                }
            default: break
            }
            advance()
        }
    }

    func startsLine(_ offset: Int) -> Bool {
        var i = offset - 1
        while i >= 0, source.bytes[i] == UInt8(ascii: " ") || source.bytes[i] == UInt8(ascii: "\t") { i -= 1 }
        return i < 0 || source.bytes[i] == UInt8(ascii: "\n")
    }

    mutating func skipSeparators() {
        while checkNewline || check(.semicolon) { advance() }
    }

    /// True at the end of a statement: newline, `;`, a block's `>`, `else`, end of input.
    var atStatementEnd: Bool {
        // One `switch` on the token: asked several times a statement.
        switch current.kind {
        case .newline, .eof, .symbol(.semicolon), .keyword(.else): return true
        case .symbol(.gt): return parenDepth == 0
        default: return false
        }
    }

    // MARK: program and blocks

    /// program = { statement ( NEWLINE | ";" ) }
    mutating func parseProgram(_ each: (consuming Stmt) -> Void) {
        skipSeparators()
        while !atEnd {
            if check(.gt) {
                // After a value (`let y = x > 1`) the '>' was meant to compare: said where
                // the statement ends, with the comparison (`parseStatementRecovering`). One
                // at the start of a line closes a block already closed.
                let notes: [Diagnostic.Note] =
                    startsLine(current.range.start) ? [] : [.init("an ordering comparison goes inside parentheses")]
                report(Diagnostic("unexpected '>' with no open block", at: current.range, notes: notes))
                advance()
            } else if let s = parseStatementRecovering() {
                each(s)
            }
            skipSeparators()
        }
    }

    mutating func parseStatementRecovering() -> Stmt? {
        do {
            let s = try parseStatement()
            if !atStatementEnd {
                if case .invalid = current.kind { throw unexpected("") }
                if let hint = indexHint(s) ?? defCallHint(s) {
                    throw error(hint.message, at: current.range, notes: [hint.note])
                }
                // `return domains where ...`: as after let, a query is one value in parentheses.
                if case .return(let value?) = s.kind, case .keyword(.where) = current.kind {
                    throw error(
                        "a query after 'return' goes in parentheses", at: current.range,
                        notes: [.init("return (\(source.slice(value.range)) where ...)")])
                }
                // `let y = x < 1`: outside parentheses '<' opens a block, so the value ended
                // before it. The error shows the comparison in the parentheses it needs.
                if let op = current.symbol, op == .lt || op == .le || op == .ge, let value = comparedValue(s),
                    !isExpression(s) || openBlocks.isEmpty
                {
                    let text = comparisonText(value, op, operandRange(after: current.range))
                    throw error(
                        "'\(op.rawValue)' after a value: a block opens only after if, else, for or def",
                        at: current.range, notes: [.init("an ordering comparison goes inside parentheses: \(text)")])
                }
                throw error(
                    "expected end of statement, found \(display(current))", at: current.range,
                    notes: [.init("put one statement on a line, or separate them with ';'")])
            }
            // `let y = x > 1`, `print n > 2` with no block open: the '>' was meant to compare.
            // With no operand after it, it closes a block that is not there (`parseProgram`).
            if check(.gt), openBlocks.isEmpty, let value = comparedValue(s),
                let right = operandRange(after: current.range)
            {
                throw error(
                    "unexpected '>' with no open block", at: current.range,
                    notes: [
                        .init("an ordering comparison goes inside parentheses: \(comparisonText(value, .gt, right))")
                    ])
            }
            return s
        } catch {
            synchronize()
            return nil
        }
    }

    /// block = "<" { statement ( NEWLINE | ";" ) } ">"
    /// `condition` is what the block comes after when an ordering operator there may have
    /// been meant to compare it: the condition of `if`, the values of `for`.
    mutating func parseBlock(for construct: String, after condition: Expr? = nil) throws -> [Stmt] {
        if case .invalid = current.kind { throw unexpected("") }
        guard check(.lt) else {
            var notes: [Diagnostic.Note] = []
            if let condition, let op = current.symbol, op == .gt || op == .ge || op == .le {
                // `if x > 1 < ...`: the comparison as written, in the parentheses it needs.
                let text = comparisonText(condition, op, operandRange(after: current.range))
                notes.append(.init("an ordering comparison goes inside parentheses: \(text)"))
            }
            let braceOnNextLine = checkNewline
            if braceOnNextLine {
                let keyword = construct.hasPrefix("def ") ? "def" : construct
                notes.append(.init("the '<' that opens the block goes on the line of '\(keyword)'"))
            }
            let failure = error(
                "expected '<' to open the block of '\(construct)', found \(display(current))",
                at: current.range, notes: notes, code: atEnd ? .incomplete : .general)
            if braceOnNextLine, following.symbol == .lt {
                // `for x in xs` NEWLINE `< ... >`: the block on the next line is passed over,
                // not read as statements (one error, not one more for its '<').
                advance()
                advance()
                skipBlock()
                skipElseBlocks()
            }
            throw failure
        }
        let open = advance()
        if depth >= maximumNestingDepth {
            // Said once, for the whole block: each line inside it would be too deep too.
            _ = error(
                "nesting is deeper than \(maximumNestingDepth) levels; split the script into smaller defs", at: open,
                kind: .nesting)
            skipBlock()
            // And an `else` after it, with its own blocks.
            skipElseBlocks()
            throw ParseFailure()
        }
        // `if x < 10 < print x >`: the '<' meant to compare opened the block, and the block
        // starts with an operand and a second '<'. One error, at the first '<'; the block the
        // second one opens is passed over.
        if let condition, startsComparedOperand, let compared = comparedAfterBlockOpen() {
            let text = comparisonText(condition, .lt, compared.operand)
            let failure = error(
                "this '<' opens the block of '\(construct)', so it does not compare", at: open,
                notes: [.init("an ordering comparison goes inside parentheses: \(text)")])
            while !atEnd, current.range.start < compared.next.start { advance() }
            if match(.lt) {
                skipBlock()
                skipElseBlocks()
            }
            throw failure
        }
        return try nest(open) { p in
            p.openBlocks.append(open)
            defer { p.openBlocks.removeLast() }
            var body: [Stmt] = []
            p.skipSeparators()
            while !p.check(.gt) {
                if p.atEnd {
                    let line = p.source.lineColumn(of: open.start).line
                    throw p.error(
                        "'>' expected (to close '<' at line \(line))", at: p.current.range,
                        notes: [.init("the block of '\(construct)' opens here", at: open)],
                        code: .incomplete)
                }
                if let s = p.parseStatementRecovering() { body.append(s) }
                p.skipSeparators()
            }
            p.advance()
            return body
        }
    }

    /// Skips the `else` parts after a block passed over, each with its own blocks.
    mutating func skipElseBlocks() {
        while match(.else) {
            // Up to the next block's '<' (one inside parentheses compares: `else if (a < b) <`).
            var brackets = 0
            while !atEnd, brackets > 0 || (!check(.lt) && !atStatementEnd) {
                switch current.symbol {
                case .lparen?, .lbracket?, .lbrace?: brackets += 1
                case .rparen?, .rbracket?, .rbrace?: brackets -= 1
                default: break
                }
                advance()
            }
            if match(.lt) { skipBlock() }
        }
    }

    // MARK: ordering comparisons written without parentheses

    /// A parser of its own reading from `offset` on, to look ahead as far as an operand:
    /// its errors are not this one's, and this one's cursor stays where it is.
    func probe(at offset: Int) -> Parser {
        var p = Parser(source: source, lexer: Lexer(bytes: source.bytes, start: offset), commands: commands)
        p.connections = connections
        p.depth = depth
        return p
    }

    /// The operand after `range` (`1` in `x > 1 < ...`), if one is there.
    func operandRange(after range: SourceRange) -> SourceRange? {
        var p = probe(at: range.end)
        return (try? p.parseBinary(5))?.range
    }

    /// What an ordering operator written after `e` would compare: `e`, or the last operand
    /// of the looser operator it ends with (`b` in `a and b`, `not b`, `xs where b`);
    /// `+ - * /` bind tighter than a comparison, and stay.
    func comparedOperand(_ e: Expr) -> Expr {
        var e = e
        while true {
            let last: Expr
            switch e.kind {
            case .binary(let op, _, let right) where op != .add && op != .sub && op != .mul && op != .div:
                last = right
            case .unary(.not, let operand): last = operand
            case .filter(_, let predicate): last = predicate
            default: return e
            }
            // `(a or b)`: in parentheses it is one operand (its range takes in the ')').
            if last.range.end != e.range.end { return e }
            e = last
        }
    }

    /// `(x < 10)`: the comparison of what `left` ends with, in the parentheses it needs,
    /// in the script's own words (`...` for a right side that is not there).
    func comparisonText(_ left: Expr, _ op: Symbol, _ right: SourceRange?) -> String {
        let r = right.map { source.slice($0) } ?? "..."
        return "(\(source.slice(comparedOperand(left).range)) \(op.rawValue) \(r))"
    }

    /// After a block's '<', could the words here be the right side of a comparison that
    /// '<' was meant to be (`if x < 10 < ...`, `if n < count(xs) < ...`)? Asked so that
    /// a block starting with a command (`if c < print x >`) is not read twice.
    var startsComparedOperand: Bool {
        switch current.kind {
        case .symbol(.minus), .symbol(.lparen), .symbol(.lbracket), .symbol(.lbrace):
            return true
        case .number, .string, .interpolated, .identifier, .enumLiteral, .keyword(.true), .keyword(.false),
            .keyword(.none):
            switch following.symbol {
            case .lt?, .dot?, .plus?, .minus?, .star?, .slash?: return true
            case .lparen?, .lbracket?: return !following.spaceBefore
            default: return false
            }
        default:
            return false
        }
    }

    /// The operand at the cursor and the '<' after it, when a '<' follows it.
    func comparedAfterBlockOpen() -> (operand: SourceRange, next: SourceRange)? {
        var p = probe(at: current.range.start)
        guard let operand = try? p.parseBinary(5), p.check(.lt) else { return nil }
        return (operand.range, p.current.range)
    }

    /// The value a statement ends with, which an ordering operator after it would compare:
    /// `x` in `let y = x < 1`, `n` in `print n > 2`.
    func comparedValue(_ s: Stmt) -> Expr? {
        switch s.kind {
        case .let(_, _, let v), .assign(_, _, let v), .return(let v?), .expression(let v): return v
        case .command(_, _, let args):
            switch args.last {
            case .value(let v)?, .named(_, _, let v)?: return v
            default: return nil
            }
        default: return nil
        }
    }

    func isExpression(_ s: Stmt) -> Bool {
        if case .expression = s.kind { return true }
        return false
    }
}
