extension Parser {
    /// command = NAME { argument } { IDENT "=" argument }
    /// For a command in the table the arguments follow its signature, so arity and
    /// fixed words (`export X to F`) are checked here, with the usage in the message.
    mutating func parseCommand(_ name: String) throws -> Stmt {
        let nameRange = advance()
        var args: [Argument] = []
        // Room for the usual few at once: grown one by one, an array is allocated again
        // at its second and third argument.
        if !atStatementEnd { args.reserveCapacity(4) }
        if let signature = words.signature(of: name, in: commands) {
            try parseParams(signature.params, command: name, signature: signature, into: &args)
            try parseNamedArguments(command: name, signature: signature, into: &args)
            if !atStatementEnd {
                var notes: [Diagnostic.Note] = [.init("usage: \(signature.usage(name))")]
                // `disable m.domain name` in a def above `connect ... as m`: `m` is not a
                // connection yet where the def is read, so `m.domain` is a field. A def sees
                // the connections and variables made above it, as the checker holds.
                if case .value(let last)? = args.last, case .field(let base, let field) = last.kind,
                    LookupKind(word: field) != nil, case .identifier(let connection) = base.kind
                {
                    notes.append(
                        .init(
                            "'\(connection)' is not connected above this line: write its connect before the def "
                                + "(a def sees the connections made above it), or use the default connection, "
                                + "\(field) \(source.slice(current.range))"))
                }
                throw error(
                    "too many arguments to '\(name)', found \(display(current))", at: current.range, notes: notes)
            }
        } else {
            // A user `def` or an unknown name: parse generically, the checker decides.
            try refuseValueAsStatement(name, nameRange)
            while !atStatementEnd {
                if isNamedArgumentStart {
                    try parseNamedArgument(command: name, signature: nil, into: &args)
                } else {
                    args.append(.value(try parseArgument()))
                }
            }
        }
        if name.utf8.count == 7, name == "connect" { noteConnections(args) }  // the length first: cheaper
        let end = args.last?.range ?? nameRange
        return Stmt(.command(name: name, nameRange: nameRange, args: args), nameRange.to(end))
    }

    /// `x + 1`, `domains where status = DISABLED` on a line of their own: no argument
    /// starts with an operator, so the line is a value, which is not a statement. Said
    /// with the command that shows it (it was "expected an expression, found '+'").
    mutating func refuseValueAsStatement(_ name: String, _ nameRange: SourceRange) throws {
        let joins: Bool
        switch current.kind {
        case .symbol(.plus), .symbol(.star), .symbol(.slash), .symbol(.tilde), .symbol(.ne): joins = true
        case .keyword(.and), .keyword(.or), .keyword(.has), .keyword(.in), .keyword(.where): joins = true
        default: joins = false
        }
        guard joins else { return }
        var p = probe(at: nameRange.start)
        let text = source.slice((try? p.parseQuery())?.range ?? nameRange)
        throw error(
            "'\(source.slice(current.range))' after '\(name)': a line starts with a command, not a value",
            at: current.range,
            notes: [.init(check(.where) ? "to list them: list \(text)" : "to print it: print (\(text))")])
    }

    /// `connect cleanmail as cm`: from here on `cm.domain NAME` is a lookup at `cm`.
    mutating func noteConnections(_ args: [Argument]) {
        guard case .word(let vendor, _)? = args.first else { return }
        if args.count > 1, case .word(let alias, _) = args[1] {
            connections.insert(alias)
        } else {
            connections.insert(vendor.hasPrefix("@") ? String(vendor.dropFirst()) : vendor)
            connections.formUnion(commands.connectionsOpened(by: vendor))
        }
    }

    var isNamedArgumentStart: Bool {
        guard following.symbol == .eq else { return false }
        if case .identifier = current.kind { return true }
        return false
    }

    func currentWordIs(_ word: String) -> Bool {
        switch current.kind {
        case .identifier:
            // Compared as bytes: no String is made to be thrown away.
            let r = current.range
            return r.end - r.start == word.utf8.count
                && source.bytes.withUnsafeBufferPointer { $0[r.start..<r.end].elementsEqual(word.utf8) }
        case .keyword(let k): return k.rawValue == word
        default: return false
        }
    }

    mutating func parseParams(
        _ params: [CommandSignature.Param], command: String,
        signature: CommandSignature, into args: inout [Argument]
    ) throws {
        // Built only when an error needs it: building it for every command shows in profiles.
        var usage: Diagnostic.Note { Diagnostic.Note("usage: \(signature.usage(command))") }
        for param in params {
            switch param {
            case .value(let what), .query(let what), .expression(let what):
                // `assert x = 1`: in a whole expression, `x =` is a comparison, not an option.
                let isExpression: Bool
                if case .expression = param { isExpression = true } else { isExpression = false }
                if atStatementEnd || (isNamedArgumentStart && !isExpression) {
                    throw error("'\(command)' needs \(what.uppercased())", at: current.range, notes: [usage])
                }
                if case .query = param {
                    args.append(.value(try parseArgumentQuery()))
                } else if case .expression = param {
                    args.append(.value(try parseExpression()))
                } else {
                    args.append(.value(try parseArgument()))
                }
            case .word(let what):
                switch current.kind {
                case .identifier, .enumLiteral:
                    args.append(.word(word(current), advance()))
                case .keyword(let k):
                    // `help for`, `help where`: a keyword is a word here too.
                    args.append(.word(k.rawValue, advance()))
                default:
                    throw error(
                        "'\(command)' needs \(what.uppercased()) (a bare name), found \(display(current))",
                        at: current.range, notes: [usage])
                }
            case .keyword(let word):
                guard currentWordIs(word) else {
                    throw error(
                        "expected '\(word)' in '\(command)', found \(display(current))", at: current.range,
                        notes: [usage])
                }
                advance()
            case .optional(let group):
                let present: Bool
                if case .keyword(let word) = group.first {
                    present = currentWordIs(word)
                } else {
                    present = !atStatementEnd && !isNamedArgumentStart
                }
                if present { try parseParams(group, command: command, signature: signature, into: &args) }
            case .rest:
                while !atStatementEnd && !isNamedArgumentStart {
                    args.append(.value(try parseArgument()))
                }
            }
        }
    }

    mutating func parseNamedArguments(
        command: String, signature: CommandSignature,
        into args: inout [Argument]
    ) throws {
        while isNamedArgumentStart {
            try parseNamedArgument(command: command, signature: signature, into: &args)
        }
    }

    /// named = IDENT "=" argument
    mutating func parseNamedArgument(
        command: String, signature: CommandSignature?,
        into args: inout [Argument]
    ) throws {
        guard case .identifier = current.kind else { throw unexpected("a name") }
        let key = word(current)
        let keyRange = advance()
        advance()  // "="
        if let signature {
            switch signature.named {
            case .none:
                throw error(
                    "'\(command)' takes no 'name=value' options", at: keyRange,
                    notes: [.init("usage: \(signature.usage(command))")])
            case .keys(let keys) where !keys.names.contains(key):
                var d = Diagnostic.unknown("option", key, at: keyRange, candidates: keys.names)
                d.message += " for '\(command)'"
                d.notes.append(.init("usage: \(signature.usage(command))"))
                report(d)
                throw ParseFailure()
            default: break
            }
        }
        for case .named(let other, _, _) in args where other == key {
            throw error("'\(key)' is given twice", at: keyRange)
        }
        if atStatementEnd { throw unexpected("a value after '\(key)='") }
        let value = try parseArgument()
        args.append(.named(key: key, keyRange: keyRange, value: value))
    }
}
