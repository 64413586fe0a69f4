extension Parser {
    /// statement = let | if | for | def | return | break | continue
    ///           | assignment | command | expression_statement
    mutating func parseStatement() throws -> Stmt {
        let start = current.range
        switch current.kind {
        case .keyword(.let): return try parseLet()
        case .keyword(.if): return try parseIf()
        case .keyword(.for): return try parseFor()
        case .keyword(.def): return try parseDef()
        case .keyword(.break):
            advance()
            return Stmt(.break, start)
        case .keyword(.continue):
            advance()
            return Stmt(.continue, start)
        case .keyword(.return):
            advance()
            let value = atStatementEnd ? nil : try parseExpression()
            return Stmt(.return(value), start.to(previousRange))
        case .identifier:
            let name = word(current)
            if following.symbol == .eq {
                return try parseAssignment(name)
            }
            // `d.name`, `f(x)` and `d` alone (a variable) are expressions; the checker turns
            // a bare name that is a command back into a call.
            if let s = following.symbol, !following.spaceBefore, s == .dot || s == .lparen || s == .lbracket {
                let e = try parseExpression()
                return Stmt(.expression(e), e.range)
            }
            return try parseCommand(name)
        case .invalid, .eof:
            throw unexpected("a statement")
        case .keyword(.else):
            throw error(
                "'else' must follow the '>' of its 'if' on the same line", at: current.range,
                notes: [.init("write: if x < ... > else < ... >, or put '> else <' together")])
        case .symbol(.gt), .symbol(.lt):
            // A '<' at the start of a statement: a block put on a line of its own.
            let notes: [Diagnostic.Note] =
                check(.lt) ? [.init("the '<' that opens a block goes on the line of its if, else, for or def")] : []
            throw error("expected a statement, found \(display(current))", at: current.range, notes: notes)
        default:
            let e = try parseExpression()
            return Stmt(.expression(e), e.range)
        }
    }

    /// `let y = xs [0]`: with a space before it, '[' starts a list, not an index.
    func indexHint(_ s: Stmt) -> (message: String, note: Diagnostic.Note)? {
        guard check(.lbracket), current.spaceBefore else { return nil }
        let value: Expr
        switch s.kind {
        case .let(_, _, let v), .assign(_, _, let v), .return(let v?), .expression(let v): value = v
        default: return nil
        }
        // One item in the brackets: an index. `double [1, 2]` is a def given a list
        // (`defCallHint`'s to say).
        var p = probe(at: current.range.start)
        guard let list = try? p.parsePrimary(), case .list(let items) = list.kind, items.count == 1 else {
            return nil
        }
        return (
            "'\(source.slice(value.range.to(list.range)))': an index follows its value with no space",
            .init("write \(source.slice(value.range))\(source.slice(list.range))")
        )
    }

    /// `let q = double 3`: a def's value is asked for with parentheses, double(3).
    func defCallHint(_ s: Stmt) -> (message: String, note: Diagnostic.Note)? {
        let value: Expr
        switch s.kind {
        case .let(_, _, let v), .assign(_, _, let v): value = v
        default: return nil
        }
        guard case .identifier(let name) = value.kind else { return nil }
        switch current.kind {
        case .string, .interpolated, .number, .identifier, .enumLiteral, .symbol(.lparen), .symbol(.lbracket),
            .symbol(.lbrace):
            break
        default: return nil
        }
        let arg = current.symbol == nil ? source.slice(current.range) : "..."
        return (
            "a value cannot be followed by another here; to use what '\(name)' returns, call it with parentheses",
            .init("write \(name)(\(arg))")
        )
    }

    /// let = "let" IDENT "=" query
    mutating func parseLet() throws -> Stmt {
        let start = advance()
        guard case .identifier = current.kind else {
            throw unexpected("a variable name after 'let'")
        }
        let name = word(current)
        let nameRange = advance()
        try consume(.eq, "expected '=' after 'let \(name)'")
        let value = try parseQuery()
        notice(name, holding: value)
        return Stmt(.let(name: name, nameRange: nameRange, value: value), start.to(value.range))
    }

    /// `let c = m` with `m` a connection: `c` names that connection too, so `c.domain "x"`
    /// is a lookup at it, as `m.domain "x"` is.
    mutating func notice(_ name: String, holding value: Expr) {
        if case .identifier(let other) = value.kind, connections.contains(other) { connections.insert(name) }
    }

    /// assignment = IDENT "=" query
    mutating func parseAssignment(_ name: String) throws -> Stmt {
        let nameRange = advance()
        advance()
        let value = try parseQuery()
        notice(name, holding: value)
        return Stmt(.assign(name: name, nameRange: nameRange, value: value), nameRange.to(value.range))
    }

    /// if = "if" expression block [ "else" ( if | block ) ]
    mutating func parseIf() throws -> Stmt {
        let start = advance()
        let condition = try parseExpression()
        let then = try parseBlock(for: "if", after: condition)
        var otherwise: [Stmt]? = nil
        if match(.else) {
            if check(.if) {
                otherwise = [try nest(previousRange) { try $0.parseIf() }]
            } else {
                otherwise = try parseBlock(for: "else")
            }
        }
        return Stmt(.if(condition: condition, then: then, else: otherwise), start.to(previousRange))
    }

    /// for = "for" IDENT "in" query block
    mutating func parseFor() throws -> Stmt {
        let start = advance()
        guard case .identifier = current.kind else {
            throw unexpected("a loop variable after 'for'")
        }
        let name = word(current)
        let nameRange = advance()
        guard match(.in) else { throw unexpected("'in' after 'for \(name)'") }
        let sequence = try parseQuery()
        let body = try parseBlock(for: "for", after: sequence)
        return Stmt(
            .for(variable: name, variableRange: nameRange, sequence: sequence, body: body),
            start.to(previousRange))
    }

    /// def = "def" IDENT { IDENT } block
    mutating func parseDef() throws -> Stmt {
        let start = advance()
        guard case .identifier = current.kind else {
            throw unexpected("a command name after 'def'")
        }
        let name = word(current)
        let nameRange = advance()
        var params: [String] = []
        while case .identifier = current.kind {
            let p = word(current)
            if params.contains(p) {
                throw error("parameter '\(p)' is named twice", at: current.range)
            }
            params.append(p)
            advance()
        }
        let body = try parseBlock(for: "def \(name)")
        return Stmt(.def(name: name, nameRange: nameRange, params: params, body: body), start.to(previousRange))
    }
}
