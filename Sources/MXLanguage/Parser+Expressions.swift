extension Parser {
    /// query = expression [ "where" expression ]
    mutating func parseQuery() throws -> Expr {
        let e = try parseExpression()
        return try parseWhere(e)
    }

    /// A command's collection argument: argument [ "where" expression ]
    mutating func parseArgumentQuery() throws -> Expr {
        let e = try parseArgument()
        return try parseWhere(e)
    }

    mutating func parseWhere(_ e: Expr) throws -> Expr {
        guard check(.where) else { return e }
        advance()
        let predicate = try parseExpression()
        return Expr(.filter(e, predicate: predicate), e.range.to(predicate.range))
    }

    /// expression = binary expression over the table in `binaryOperator`, lowest first:
    /// or < and < not < comparison (= != ~ has in, and < <= > >= only inside
    /// parentheses) < + - < * /
    mutating func parseExpression() throws -> Expr {
        try parseBinary(1)
    }

    func binaryOperator() -> (BinaryOp, Int)? {
        if let k = current.keyword {
            switch k {
            case .or: return (.or, 1)
            case .and: return (.and, 2)
            case .has: return (.has, 4)
            case .in: return (.in, 4)
            default: return nil
            }
        }
        switch current.symbol {
        case let s?:
            switch s {
            case .eq: return (.eq, 4)
            case .ne: return (.ne, 4)
            case .tilde: return (.glob, 4)
            // Outside parentheses `<` opens a block and `>` closes one.
            case .lt where parenDepth > 0: return (.lt, 4)
            case .le where parenDepth > 0: return (.le, 4)
            case .gt where parenDepth > 0: return (.gt, 4)
            case .ge where parenDepth > 0: return (.ge, 4)
            case .plus: return (.add, 5)
            case .minus: return (.sub, 5)
            case .star: return (.mul, 6)
            case .slash: return (.div, 6)
            default: return nil
            }
        default: return nil
        }
    }

    mutating func parseBinary(_ minPrecedence: Int) throws -> Expr {
        var left: Expr
        if minPrecedence <= 3, check(.not) {
            let op = advance()
            let operand = try nest(op) { try $0.parseBinary(3) }
            left = Expr(.unary(.not, operand), op.to(operand.range))
        } else {
            left = try parseUnary()
        }
        return try parseBinaryRest(left, minPrecedence)
    }

    /// The operators after a left operand, at `minPrecedence` or tighter. A flat chain is
    /// a loop here, not recursion, so 4,000 terms parse in constant stack.
    mutating func parseBinaryRest(_ first: Expr, _ minPrecedence: Int) throws -> Expr {
        var left = first
        while let (op, precedence) = binaryOperator(), precedence >= minPrecedence {
            let opRange = advance()
            let right = try nest(opRange) { try $0.parseBinary(precedence + 1) }
            left = Expr(.binary(op, left, right), left.range.to(right.range))
            try refuseTooDeep(left, at: opRange)
            if precedence == 4, let (next, p) = binaryOperator(), p == 4 {
                throw error(
                    "comparisons do not chain: '\(op.rawValue)' then '\(next.rawValue)'", at: current.range,
                    notes: [.init("join them with 'and'")])
            }
        }
        return left
    }

    /// A chain of operators or of `.`, `[ ]` and `( )` after one another grows the tree a
    /// level a link: past `maximumExpressionDepth` it is an error at the link that went
    /// past (the other ways to nest are counted by `nest`, 128 levels at most).
    mutating func refuseTooDeep(_ e: Expr, at link: SourceRange) throws {
        guard e.depth > maximumExpressionDepth else { return }
        throw error(
            "an expression more than \(maximumExpressionDepth) levels deep "
                + "(operators, '.', '[ ]' or '( )' one after another)",
            at: link, notes: [.init("split it: compute parts into variables with let")], kind: .nesting)
    }

    /// argument = unary  (a command's argument: no infix operators unless in parentheses,
    /// so `print "a" d.name` is two arguments)
    mutating func parseArgument() throws -> Expr {
        let e = try parseUnary()
        try refuseInfix(after: e)
        return e
    }

    /// `print n + 1`, `print a.aliases has "x"`, `print n < 2`: an operator after a
    /// command's argument. The error shows the same expression in the parentheses it needs.
    mutating func refuseInfix(after e: Expr) throws {
        let ordering = parenDepth == 0 && (check(.lt) || check(.le) || check(.ge))
        guard ordering || binaryOperator().map({ $0.0 != .sub }) == true else { return }
        let at = current.range
        let symbol = source.slice(at)
        let reported = diagnostics.count
        let afterOperator = following.range
        // Only the operator refused is read as one: a `>` further on still closes the
        // block the command is in (`for x in xs < print x + 1 >`).
        let whole: SourceRange?
        if ordering {
            advance()
            whole = (try? parseBinary(5)).map { e.range.to($0.range) }
        } else {
            whole = (try? parseBinaryRest(e, 1))?.range
        }
        guard let whole else {
            // `print "a" +` with nothing after it: one error, at the operator, not
            // "write ("a")" and then the parse's own. An error further on is its own.
            if diagnostics.count > reported, diagnostics[reported].range == afterOperator {
                diagnostics.removeSubrange(reported...)
                throw error("'\(symbol)' in a command's arguments, with no value after it", at: at)
            }
            throw ParseFailure()
        }
        let text = "(" + source.slice(whole) + ")"
        if ordering {
            throw error(
                "'\(symbol)' after a command's argument: a block opens only after if, else, for or def", at: at,
                notes: [.init("an ordering comparison goes inside parentheses: \(text)")])
        }
        throw error(
            "an operator in a command's arguments needs parentheses: write \(text)", at: at,
            notes: [.init("without them, each word after a command is an argument of its own")])
    }

    /// unary = "-" unary | postfix
    mutating func parseUnary() throws -> Expr {
        if check(.minus) {
            let op = advance()
            let operand = try nest(op) { try $0.parseUnary() }
            return Expr(.unary(.negate, operand), op.to(operand.range))
        }
        return try parsePostfix()
    }

    /// postfix = primary { member | call | index }
    /// member = "." field_name [ lookup_argument ]; call = "(" [ query { "," query } ] ")";
    /// index = "[" query "]"
    mutating func parsePostfix() throws -> Expr {
        var e = try parsePrimary()
        while true {
            if check(.dot) {
                advance()
                let name: String
                switch current.kind {
                case .identifier, .enumLiteral: name = word(current)
                case .keyword(let k): name = k.rawValue
                default: throw unexpected("a field name after '.'")
                }
                let nameRange = advance()
                // `os.domain "got.com"`, `m.domain r.domain`: a lookup at a connection the
                // script has connected, with any argument; `print u.domain u.name` and
                // `print r.domain "because"` stay fields of a user and of a record.
                // Cheapest question first: most fields are followed by no argument.
                if startsLookupArgument, let kind = LookupKind(word: name), case .identifier(let base) = e.kind,
                    connections.contains(base)
                {
                    // Nested as a bracket is: `m.domain m.domain ...` recurses here.
                    let arg = try nest(nameRange) { try $0.parseUnary() }
                    e = Expr(.lookup(kind, connection: e, name: arg), e.range.to(arg.range))
                } else {
                    e = Expr(.field(e, name: name), e.range.to(nameRange))
                }
            } else if check(.lparen), !current.spaceBefore {
                let open = advance()
                var args: [Expr] = []
                try nest(open) { p in
                    p.parenDepth += 1
                    defer { p.parenDepth -= 1 }
                    while !p.check(.rparen) {
                        args.append(try p.parseQuery())
                        if !p.match(.comma) { break }
                    }
                    try p.consume(.rparen, "expected ')' to close the call's arguments")
                }
                e = Expr(.call(e, args: args), e.range.to(previousRange))
            } else if check(.lbracket), !current.spaceBefore {
                let open = advance()
                let key = try nest(open) { p in
                    p.parenDepth += 1
                    defer { p.parenDepth -= 1 }
                    if p.check(.rbracket) {
                        throw p.unexpected("an index inside '[ ]', like xs[0] or row[\"first name\"]")
                    }
                    let k = try p.parseQuery()
                    try p.consume(.rbracket, "expected ']' to close the index")
                    return k
                }
                e = Expr(.index(e, key), e.range.to(previousRange))
            } else {
                return e
            }
            try refuseTooDeep(e, at: previousRange)
        }
    }

    /// After `domain`/`user`: does an argument follow on this line?
    var startsLookupArgument: Bool {
        switch current.kind {
        case .string, .interpolated, .identifier: return !atStatementEnd
        case .symbol(.lparen): return current.spaceBefore
        default: return false
        }
    }

    /// `call CONN METHOD [PATH] [BODY]`, an expression: a call of the built-in `call`
    /// with four arguments (PATH "" and BODY none when left out). BODY is written in
    /// `{...}`, `[...]` or `(...)`, so a following argument is never taken for it.
    mutating func parseRawCall(_ start: SourceRange) throws -> Expr {
        try nest(start) { p in
            let connection = try p.parseUnary()
            let method = try p.parseUnary()
            var path = Expr(.string(""), method.range)
            switch p.current.kind {
            case .string, .interpolated: path = try p.parseUnary()
            default: break
            }
            var body = Expr(.none, path.range)
            if p.check(.lbrace) || p.check(.lbracket) || p.check(.lparen) { body = try p.parseUnary() }
            return Expr(
                .call(Expr(.identifier("call"), start), args: [connection, method, path, body]), start.to(body.range))
        }
    }

    /// primary = NUMBER | STRING | "true" | "false" | "none" | ENUM | IDENT
    ///         | ( "domain" | "user" ) argument | IDENT "of" argument
    ///         | "(" query ")" | "[" [ query { "," query } ] "]"
    ///         | "{" [ key ":" query { "," key ":" query } ] "}"
    mutating func parsePrimary() throws -> Expr {
        let start = current.range
        switch current.kind {
        case .number: let n = number(current); advance(); return Expr(.number(n), start)
        case .string: let s = word(current); advance(); return Expr(.string(s), start)
        case .interpolated(let i): advance(); return try stringExpr(lexer.strings[Int(i)], start)
        case .keyword(.true): advance(); return Expr(.bool(true), start)
        case .keyword(.false): advance(); return Expr(.bool(false), start)
        case .keyword(.none): advance(); return Expr(.none, start)
        case .enumLiteral: let name = word(current); advance(); return Expr(.enumLiteral(name), start)
        case .identifier:
            let name = word(current)
            advance()
            if startsLookupArgument, let kind = LookupKind(word: name) {
                let arg = try nest(start) { try $0.parseUnary() }
                return Expr(.lookup(kind, connection: nil, name: arg), start.to(arg.range))
            }
            if case .identifier = current.kind, name.utf8.count == 4, name == "call" {
                return try parseRawCall(start)
            }
            if startsLookupArgument || check(.lbrace), words.signature(of: name, in: commands)?.givesValue == true {
                // `diagnose d` as a value: a call of the command with its one argument
                // (a record for one that takes a record: `try-relay {transportDest: ...}`).
                let arg = try nest(start) { try $0.parseUnary() }
                return Expr(.call(Expr(.identifier(name), start), args: [arg]), start.to(arg.range))
            }
            if check(.of) {
                // `users of d`, `groups of d`: which members an object has is the
                // vendor table's to say, at check time.
                advance()
                let owner = try nest(start) { try $0.parseUnary() }
                return Expr(.membersOf(name, owner), start.to(owner.range))
            }
            return Expr(.identifier(name), start)
        case .symbol(.lparen):
            advance()
            return try nest(start) { p in
                p.parenDepth += 1
                defer { p.parenDepth -= 1 }
                let inner = try p.parseQuery()
                if !p.check(.rparen) {
                    let line = p.source.lineColumn(of: start.start).line
                    try p.consume(.rparen, "expected ')' to close '(' at line \(line)")
                }
                p.advance()
                return Expr(inner.kind, start.to(p.previousRange))
            }
        case .symbol(.lbracket):
            advance()
            return try nest(start) { p in
                p.parenDepth += 1
                defer { p.parenDepth -= 1 }
                var items: [Expr] = []
                if !p.check(.rbracket) { items.reserveCapacity(4) }
                while !p.check(.rbracket) {
                    items.append(try p.parseQuery())
                    if !p.match(.comma) { break }
                }
                try p.consume(.rbracket, "expected ']' to close the list")
                return Expr(.list(items), start.to(p.previousRange))
            }
        case .symbol(.lbrace):
            advance()
            return try nest(start) { p in
                p.parenDepth += 1
                defer { p.parenDepth -= 1 }
                var fields: [(key: String, value: Expr)] = []
                while !p.check(.rbrace) {
                    let key: String
                    switch p.current.kind {
                    case .identifier, .enumLiteral, .string: key = p.word(p.current)
                    case .keyword(let k): key = k.rawValue
                    // With an escape (`"a\tb"`) it is still one text; with `${}` it is not a name.
                    case .interpolated(let i)
                    where p.lexer.strings[Int(i)].allSatisfy({
                        if case .text = $0 { true } else { false }
                    }):
                        key = p.lexer.strings[Int(i)].map { if case .text(let t) = $0 { t } else { "" } }.joined()
                    default: throw p.unexpected("a field name in the record")
                    }
                    let keyRange = p.advance()
                    if fields.contains(where: { $0.key == key }) {
                        throw p.error("'\(key)' is given twice in the record", at: keyRange)
                    }
                    try p.consume(.colon, "expected ':' after the field name '\(key)'")
                    fields.append((key, try p.parseQuery()))
                    if !p.match(.comma) { break }
                }
                try p.consume(.rbrace, "expected '}' to close the record")
                return Expr(.record(fields), start.to(p.previousRange))
            }
        case .keyword(.not):
            // `print not a.relay`, `a = not b`: `not` starts a whole condition (after if
            // or where, in parentheses, after and/or), not a command's argument or an
            // operand of a comparison.
            throw error(
                "expected an expression, found 'not'", at: current.range,
                notes: [.init("put it in parentheses with what it negates: (not ...)")])
        default:
            throw unexpected("an expression")
        }
    }

    /// A double-quoted string; each `${...}` is parsed as an expression of its own, with
    /// positions in the enclosing source.
    mutating func stringExpr(_ parts: [StringPart], _ range: SourceRange) throws -> Expr {
        // Most strings are plain text: no parts to gather, no text to join.
        if parts.isEmpty { return Expr(.string(""), range) }
        if parts.count == 1, case .text(let s) = parts[0] { return Expr(.string(s), range) }
        // Each `${` is a level of nesting too.
        if depth >= maximumNestingDepth, parts.contains(where: { if case .interpolation = $0 { true } else { false } })
        {
            throw error(
                "interpolations nest deeper than \(maximumNestingDepth) levels; build the text in steps with let",
                at: range, kind: .nesting)
        }
        var out: [InterpolationPart] = []
        out.reserveCapacity(parts.count)
        var plain = true
        for part in parts {
            switch part {
            case .text(let s): out.append(.text(s))
            case .interpolation(let r):
                plain = false
                out.append(.expr(try parseInterpolation(r)))
            }
        }
        if plain {
            return Expr(.string(out.map { if case .text(let s) = $0 { s } else { "" } }.joined()), range)
        }
        return Expr(.interpolated(out), range)
    }

    /// `${...}`: parsed by this parser, its cursor moved into the interpolation's text and
    /// back again (a parser of its own copied the source, the commands and the connections).
    mutating func parseInterpolation(_ r: SourceRange) throws -> Expr {
        // The outer cursor is swapped out and back, not copied (a copy of a token retains
        // its text).
        var outerLexer = Lexer(bytes: source.bytes, start: r.start, end: r.end)
        swap(&lexer, &outerLexer)
        var outerCurrent = lexer.next()
        swap(&current, &outerCurrent)
        var outerFollowing = lexer.next()
        swap(&following, &outerFollowing)
        let saved = (previousRange, parenDepth, openBlocks)
        previousRange = current.range
        // As inside parentheses: `<` and `>` compare, and no block is open.
        parenDepth = 1
        openBlocks = []
        depth += 1
        defer {
            swap(&lexer, &outerLexer)
            swap(&current, &outerCurrent)
            swap(&following, &outerFollowing)
            (previousRange, parenDepth, openBlocks) = saved
            depth -= 1
        }
        if atEnd { throw error("empty '${}' in a string; put an expression inside, like ${d.name}", at: r) }
        let e = try parseQuery()
        if !atEnd { throw unexpected("'}' to end the interpolation") }
        return e
    }
}
