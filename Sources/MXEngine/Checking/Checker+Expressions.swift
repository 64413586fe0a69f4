import MXLanguage
import MXModel

extension Checker {
    /// Checks an expression and says what it is, as far as can be known.
    /// `"5" + 1`, `1 / 0`, `"a" < 2`: two values written out in the script go through
    /// the operator now, so what is sure to fail at `run` is an error of `check` (the
    /// same message). The result, if `right` is written out too and it worked.
    mutating func combineLiterals(
        _ op: BinaryOp, _ left: Value, _ right: Expr, _ leftRange: SourceRange, at range: SourceRange
    ) -> Value? {
        guard let b = literal(right) else { return nil }
        do {
            return try Operators.combine(op, left, b, leftRange, right.range, at: range)
        } catch let failure as RuntimeError {
            error(failure.message, at: failure.range, notes: failure.notes)
        } catch {}
        return nil
    }

    /// `r.a.b[0]...`, thousands of links long: typed in a loop from its base up, as the
    /// interpreter's `evalChain` runs it.
    mutating func typeOfChain(_ e: Expr) -> StaticType {
        var links: [Expr] = []
        var base = e
        walk: while true {
            switch base.kind {
            case .field(let b, _), .index(let b, _): links.append(base); base = b
            default: break walk
            }
        }
        var t = typeOf(base)
        for link in links.reversed() {
            switch link.kind {
            case .field(_, let name): t = fieldType(t, name, link.range)
            case .index(_, let key): _ = typeOf(key); t = .unknown
            default: break
            }
        }
        return t
    }

    mutating func typeOf(_ e: Expr) -> StaticType {
        // A deep tree (a long chain; the parser allows 10,000 levels) recurses as deep
        // here: near the end of the thread's stack it is an error, not a crash.
        if e.depth > 256, StackGuard.exhausted(&stack) {
            error("this expression is too deep to check here; split it into parts with let", at: e.range)
            return .unknown
        }
        switch e.kind {
        case .string, .number, .bool, .none:
            return .unknown
        case .enumLiteral:
            return .unknown
        case .interpolated(let parts):
            for case .expr(let x) in parts where typeOf(x) == .secret {
                error(Refusal.secretInString, at: x.range, notes: [Refusal.secretInStringNote])
            }
            return .unknown
        case .identifier(let name):
            return identifierType(name, e.range)
        case .list(let items):
            var plain = !items.isEmpty
            for i in items {
                _ = typeOf(i)
                if plain, literal(i) == nil || { if case .list = i.kind { true } else { false } }() { plain = false }
            }
            return plain ? .plainValues : .unknown
        case .record(let fields):
            for f in fields { _ = typeOf(f.value) }
            return .record
        case .field(let base, let name):
            if e.depth > 256 { return typeOfChain(e) }
            let t = fieldType(typeOf(base), name, e.range)
            // `{a: 1}.b`: a record written out, without that field.
            switch literal(base) {
            case .record(let r)? where r[name] == nil:
                error("no field '\(name)' in the record", at: e.range, notes: recordFieldNotes(r, near: name))
            case .list? where name == "count", .string? where name == "length", .record?, nil: break
            // `"abc".x`, `1.foo`, `(none).x`: written out, as `run` says.
            case let v?: error("\(v.aTypeName) has no field '\(name)'", at: e.range)
            }
            return t
        case .call(let callee, let args):
            // Each argument is checked once, here: checked again below, a call nested in
            // a call doubled the work (and the errors) at each level.
            return callType(callee, args, args.map { typeOf($0) }, e.range)
        case .index(let base, let key):
            if e.depth > 256 { return typeOfChain(e) }
            let baseType = typeOf(base)
            refuseAbsent(baseType, "'[ ]' indexes a list or a record", at: base.range)
            _ = typeOf(key)
            // `cm.domains[0]`: a collection is read as it is looped over, not by position.
            // (One filtered with where is a list by then; a variable may hold either.)
            if isWholeCollection(base, baseType) {
                error(
                    "a collection cannot be indexed", at: e.range,
                    notes: [.init("index a list by number, xs[0], or a record by field name, row[\"first name\"]")])
            }
            // `[1, 2][5]`, `"abc"[0]`: written out, as `run` would say.
            if let v = literal(base), let k = literal(key) {
                do { _ = try Interpreter.index(v, k, keyRange: key.range, at: e.range) } catch {
                    self.error(error.message, at: error.range, notes: error.notes)
                }
            }
            return .unknown
        case .unary(let op, let x):
            _ = typeOf(x)
            // `-"a"`: written out, as `run` says.
            if op == .negate, let v = literal(x) {
                if case .number = v {} else { error("'-' needs a number", at: x.range) }
            }
            return .unknown
        case .binary(let op, let l, let r) where op.chains:
            // `aliases != none and count(aliases) > 0`: the right side meets no none.
            let guards = op == .and || op == .or
            if guards { noneGuards.append((e, nil)) }
            defer { if guards { noneGuards.removeLast() } }
            // `a and b`: no list for the one step.
            guard case .binary(let o, _, _) = l.kind, o.chains else {
                let lt = typeOf(l)
                let rt = typeOf(r)
                if op == .add, lt == .secret || rt == .secret {
                    error(Refusal.secretJoined, at: e.range)
                }
                if let a = literal(l) { _ = combineLiterals(op, a, r, l.range, at: e.range) }
                return .unknown
            }
            // A long chain (a + b + ...) in a loop, as the interpreter runs it; written-out
            // values are combined as they go, as `run` would.
            var links = [(op, r, e.range)]
            var left = l
            while case .binary(let o, let ll, let rr) = left.kind, o.chains {
                links.append((o, rr, left.range))
                left = ll
            }
            var value = literal(left)
            var valueRange = left.range
            if typeOf(left) == .secret, links.last?.0 == .add {
                error(Refusal.secretJoined, at: links.last!.2)
            }
            for (o, x, range) in links.reversed() {
                if typeOf(x) == .secret, o == .add { error(Refusal.secretJoined, at: range) }
                value = value.flatMap { combineLiterals(o, $0, x, valueRange, at: range) }
                valueRange = range
            }
            return .unknown
        case .binary(let op, let l, let r):
            let lt = typeOf(l)
            let rt = typeOf(r)
            if op == .has { refuseAbsent(lt, "'has' looks in a list, a string or a record", at: l.range) }
            if op == .in { refuseAbsent(rt, "'in' looks in a list, a string or a record", at: r.range) }
            // `"x.com" in domains`: `run` refuses a collection there (it is looped over).
            if op == .has, isWholeCollection(l, lt) {
                error(
                    "'has' looks in a list, a string or a record, not a collection", at: l.range,
                    notes: [.init(Self.findInCollection)])
            }
            if op == .in, isWholeCollection(r, rt) {
                error(
                    "'in' looks in a list, a string or a record, not a collection", at: r.range,
                    notes: [.init(Self.findInCollection)])
            }
            if op == .eq || op == .ne {
                checkStatusLiteral(l, r)
                checkStatusLiteral(r, l)
                checkFieldComparison(l, r, at: e.range)
            }
            if let a = literal(l) { _ = combineLiterals(op, a, r, l.range, at: e.range) }
            return .unknown
        case .lookup(let kind, let conn, let name):
            _ = typeOf(name)
            checkName(name, kind: kind == .domain ? .domain : .user, what: "\(kind.rawValue) name")
            var connection = context.defaultConnection
            if let conn {
                if case .connection(let c) = typeOf(conn) { connection = c }
            } else {
                requireConnection("'\(kind.rawValue) ...'", at: e.range)
            }
            return .object(kind == .domain ? .domain : .user, connection: connection)
        case .membersOf("users", let owner):
            if case .object(.domain, let c) = typeOf(owner) { return .collection(.user, connection: c) }
            // `users of "x.com"`: the domain of that name at the default connection.
            if owner.isWrittenText { requireConnection("'users of ...'", at: e.range) }
            return .collection(.user, connection: nil)
        case .membersOf(let member, let owner):
            let ownerType = typeOf(owner)
            if case .vendorObject(let name, let c) = ownerType {
                return vendorKindMemberType(name, member, at: c, range: e.range)
            }
            guard case .object(let kind, let c) = ownerType, kind != .settings else { return .unknown }
            if let t = vendorMemberType(kind, member, at: c), case .vendorObjects = t { return t }
            error(
                "a \(kind.rawValue) has no '\(member)'"
                    + (c.flatMap { context.connections[$0] }.map { " at \($0)" } ?? ""),
                at: e.range, notes: [.init("'help fields VENDOR' lists what each kind of object has")])
            return .unknown
        case .filter(let base, let predicate):
            let t = typeOf(base)
            items.append(elementType(t))
            _ = typeOf(predicate)
            items.removeLast()
            return t
        }
    }

    mutating func identifierType(_ name: String, _ range: SourceRange) -> StaticType {
        if let item = items.last {
            if case .object(let kind, let c) = item {
                // Looked up once: every bare name in a `where` comes here.
                let spec = kind == .settings ? nil : self.vendor(at: c)?.field(kind, name)
                if spec?.access == .writeOnly, lookupVariable(name) == nil {
                    writeOnly(name, kind.rawValue, at: range)
                    return .unknown
                }
                if hasField(name, of: kind, at: c) {
                    if lookupVariable(name) != nil {
                        // `def purge name < for d in domains where name = name ...`: which name?
                        error(
                            "'\(name)' is both a field of the \(kind.rawValue) and a variable here", at: range,
                            notes: Interpreter.nameClashNotes(name))
                    }
                    return spec == nil ? absentField(kind, name, at: c) ?? .unknown : .unknown
                }
            }
            if case .unknown = item { if lookupVariable(name) == nil { return .unknown } }
            // A vendor's own objects (a quarantined message): their fields are the vendor's.
            if case .object(.settings, _) = item { if lookupVariable(name) == nil { return .unknown } }
            if case .vendorObject(let kind, let c) = item {
                guard let fields = vendorFields(kind, at: c) else { return lookupVariable(name) ?? .unknown }
                if fields.contains(name) {
                    if lookupVariable(name) != nil {
                        error(
                            "'\(name)' is both a field of the \(kind) and a variable here", at: range,
                            notes: Interpreter.nameClashNotes(name))
                    }
                    return .unknown
                }
                if let t = lookupVariable(name) { return t }
                diagnostics.append(
                    .unknown(
                        "field or variable", name, at: range, candidates: fields + allVariables,
                        fix: "'help fields' lists the \(kind)'s fields"))
                return .unknown
            }
        }
        if let t = lookupVariable(name) { return t }
        if context.connections[name] != nil { return .connection(name) }
        if name == "domains" || name == "users" {
            requireConnection("'\(name)'", at: range)
            return .collection(name == "domains" ? .domain : .user, connection: context.defaultConnection)
        }
        // `domains where (quota > 100)` at a vendor that keeps no quota: say who does.
        if case .object(let kind, let c)? = items.last, let (message, note) = fieldElsewhere(kind, name, at: c) {
            error(message, at: range, notes: [note])
            return .unknown
        }
        if case .plainValue? = items.last {
            // `["a.net", "b.org"] where x ~ "*.net"`: x is no field of a string, and no
            // variable, connection or collection either.
            error(
                "'\(name)' is not a variable, and the items of this list are plain values with no fields",
                at: range,
                notes: [.init("to test each item, name it in a loop: for x in [...] where x ~ \"*.net\" < ... >")])
            return .unknown
        }
        if let arity = context.defs[name] ?? laterDefs[name]?.params.count {
            // `print f (1)`: a def's value is asked for with parentheses against its name.
            let call = "\(name)(\((0..<arity).map { _ in "..." }.joined(separator: ", ")))"
            error(
                "'\(name)' is a def, not a variable", at: range,
                notes: [.init("to use the value it returns, call it with no space before '(': \(call)")])
            return .unknown
        }
        var candidates = allVariables + Array(context.connections.keys) + ["domains", "users"]
        var what = "variable"
        if case .object(let kind, let c)? = items.last {
            candidates += fieldNames(of: kind, at: c)
            what = "field or variable"
        }
        diagnostics.append(
            .unknown(
                what, name, at: range, candidates: candidates,
                fix: "define it with 'let \(name) = ...'"))
        return .unknown
    }

    /// A field the connection's vendor does not have and another does (`quota` at a
    /// memory connection): the error says which, so the script can be fixed.
    func fieldElsewhere(_ kind: ObjectKind, _ name: String, at c: String?) -> (String, Diagnostic.Note)? {
        let vendor = c.flatMap { context.connections[$0] }
        let others = VendorRegistry.all.filter { $0.name != vendor && $0.field(kind, name) != nil }.map(\.name)
        guard let vendor, !others.isEmpty else { return nil }
        return (
            "\(vendor) has no \(kind.rawValue) field '\(name)' (connection \(c!))",
            .init(
                "\(others.joined(separator: ", ")) \(others.count == 1 ? "has" : "have") it; 'help fields \(vendor)' "
                    + "lists \(vendor)'s")
        )
    }

    mutating func fieldType(_ base: StaticType, _ name: String, _ range: SourceRange) -> StaticType {
        switch base {
        case .object(let kind, let c):
            if name == "raw" { return .raw }
            if kind == .settings { return .unknown }
            if let t = vendorMemberType(kind, name, at: c) { return t }
            let spec = self.vendor(at: c)?.field(kind, name)
            if spec?.access == .writeOnly {
                writeOnly(name, kind.rawValue, at: range)
                return .unknown
            }
            if spec == nil, let absent = absentField(kind, name, at: c) { return absent }
            if !hasField(name, of: kind, at: c) {
                var d = Diagnostic.unknown(
                    "\(kind.rawValue) field", name, at: range, candidates: fieldNames(of: kind, at: c),
                    fix: "'help fields' lists them")
                if let (message, note) = fieldElsewhere(kind, name, at: c) { (d.message, d.notes) = (message, [note]) }
                diagnostics.append(d)
            }
            return .unknown
        case .connection(let c):
            switch name {
            case "domains": return .collection(.domain, connection: c)
            case "users": return .collection(.user, connection: c)
            case "name", "vendor": return .unknown
            default:
                let vendor = context.connections[c] ?? ""
                let resources = VendorRegistry.named(vendor)?.resources
                if let (kind, single) = resources?.kind(member: name, of: nil) {
                    // A partner's customers are connections of their own, named at run time.
                    if kind.tenant { return .unknown }
                    return single ? .vendorObject(kind.name, connection: c) : .vendorObjects(kind.name, connection: c)
                }
                let members = resources?.kinds.compactMap { $0.singleMember ?? $0.collectionMember } ?? []
                diagnostics.append(
                    .unknown(
                        "member of connection \(c)", name, at: range,
                        candidates: ["domains", "users", "name", "vendor"] + members))
                return .unknown
            }
        case .vendorObject(let kind, let c):
            if name == "raw" { return .raw }
            if let vendor = self.vendor(at: c),
                vendor.resources.kind(kind)?.field(name)?.access == .writeOnly
            {
                writeOnly(name, kind, at: range)
                return .unknown
            }
            guard let fields = vendorFields(kind, at: c), !fields.contains(name) else { return .unknown }
            diagnostics.append(
                .unknown("\(kind) field", name, at: range, candidates: fields, fix: "'help fields' lists them"))
            return .unknown
        case .collection, .vendorObjects:
            diagnostics.append(
                Diagnostic(
                    "a collection has no field '\(name)'", at: range,
                    notes: [.init("loop over it: for d in ... < print d.\(name) >")]))
            return .unknown
        default:
            return .unknown
        }
    }

    /// `types`: the arguments' types, each checked once already.
    mutating func callType(_ callee: Expr, _ args: [Expr], _ types: [StaticType], _ range: SourceRange)
        -> StaticType
    {
        if case .field(let base, let name) = callee.kind, let kind = LookupKind(word: name) {
            if case .connection(let c) = typeOf(base) {
                return .object(kind == .domain ? .domain : .user, connection: c)
            }
            return .unknown
        }
        guard case .identifier(let name) = callee.kind else {
            error("only built-in functions can be called", at: callee.range)
            return .unknown
        }
        // A built-in function first: the commonest call (count(...)), and no command, lookup
        // or def may take a function's name (CommandTableTests, checkDefName).
        let function = functionIndex[name]
        if let i = function {
            let f = builtinFunctions[i]
            if args.count != f.params.count {
                error(
                    "\(name) takes \(f.params.count) argument(s), given \(args.count)", at: range,
                    notes: [.init("usage: \(name)(\(f.params.joined(separator: ", ")))")])
            } else if name == "count" {
                refuseAbsent(types[0], "count needs a list or a collection", at: args[0].range)
                if case .connection = types[0] {
                    error("count needs a list or a collection, not a connection", at: args[0].range)
                }
            } else if name == "string" || name == "join", types[0] == .secret {
                error(Refusal.secretAsText, at: args[0].range)
            }
            if args.count == f.params.count { callWithWrittenOutArguments(f, args, at: range) }
            return name == "secret" ? .secret : .unknown
        }
        if let kind = LookupKind(word: name) {
            requireConnection("'\(name)(...)'", at: range)
            return .object(kind == .domain ? .domain : .user, connection: context.defaultConnection)
        }
        if name == "call", args.count == 4 {
            checkRawCall(args, connection: types[0], at: range)
            return .unknown
        }
        if commands.signature(of: name)?.givesValue == true, args.count == 1 {
            return checkVendorRead(name, types[0], at: args[0].range, expr: args[0])
        }
        if let arity = (inDef > 0 ? laterDefs[name]?.params.count : nil) ?? context.defs[name]
            ?? laterDef(name)?.params.count
        {
            // A def asked for its value: double(3).
            if context.defs[name] == nil, inDef == 0, let later = laterDefs[name] {
                let line = source.lineColumn(of: later.range.start).line
                error(
                    "'\(name)' is used before its def (at line \(line))", at: callee.range,
                    notes: [.init("move the def above its first use")])
            } else if args.count != arity {
                error("'\(name)' takes \(arity) argument(s), given \(args.count)", at: range, notes: defUsage(name))
            } else {
                checkDefCall(name, arguments: args.count, at: range)
            }
            return .unknown
        }
        if context.interactive, let outer = defStack.last, mayBeADefLater(name),
            slipOf(name, in: builtinFunctions.map(\.name)) == nil
        {
            // The shell: `def a < return b(1) >` before `def b x < ... >` (see `checkCommand`).
            let call = DefCall(callee: name, arguments: args.count, named: false)
            defCalls[outer, default: []].append((call, callee.range))
            return .unknown
        }
        var d = Diagnostic.unknown(
            "function", name, at: callee.range, candidates: builtinFunctions.map(\.name),
            fix: "'help functions' lists them")
        if commands.isCommand(name) || laterDefs[name] != nil {
            d.notes = [.init("'\(name)' is a command: call it without parentheses")]
        }
        diagnostics.append(d)
        return .unknown
    }

    /// `count(5)`, `lower(5)`, `number("x")`, `split("abc", "")`: a function that only
    /// computes, given values written out, is called now, so what `run` would refuse
    /// is refused by `check` with the same message. (`env`, `secret`, `csv`, `json` and
    /// `clock` read the world, which may differ when the script runs: not called.)
    mutating func callWithWrittenOutArguments(_ f: FunctionDeclaration, _ args: [Expr], at range: SourceRange) {
        guard Self.computingFunctions[f.name] != nil else { return }
        var values: [Value] = []
        for a in args {
            guard let v = literal(a) else { return }
            values.append(v)
        }
        if computing == nil { computing = Interpreter(host: BufferHost()) }
        do {
            _ = try f.run(computing!, values, args.map(\.range), range)
        } catch let failure as RuntimeError {
            error(failure.message, at: failure.range, notes: failure.notes)
        } catch {}
    }

    /// A `NameIndex`, not a `Set`: asked at every call of a function a script makes.
    static let computingFunctions = NameIndex([
        "count", "lower", "upper", "join", "split", "keys", "number", "string"
    ])

    /// `status = ENABLD`: an enum literal compared with a status must be a status.
    static let findInCollection = "to find one by name: count(domains where name = \"x.com\") > 0"

    /// `cm.domains`, `users of d`, a bare `domains`: a collection as it is, not filtered
    /// into a list by `where` (a variable may hold either, so it is not judged).
    func isWholeCollection(_ e: Expr, _ type: StaticType) -> Bool {
        switch type {
        case .collection, .vendorObjects: break
        default: return false
        }
        switch e.kind {
        case .identifier(let name): return lookupVariable(name) == nil
        case .field, .membersOf: return true
        default: return false
        }
    }

    /// `where relay = "true"`, `d.quota = "5"`: a field compared with a value written
    /// out that its declared type never equals. `run` refuses it at the first object
    /// (`Operators.refuseMixedComparison`); here it is refused before anything runs.
    mutating func checkFieldComparison(_ l: Expr, _ r: Expr, at range: SourceRange) {
        // Two calls, not a loop over a list of the sides: this is asked of every `=`.
        if !refuseNeverEqual(field: l, other: r, fieldFirst: true, at: range) {
            _ = refuseNeverEqual(field: r, other: l, fieldFirst: false, at: range)
        }
    }

    /// True when `field` is a field whose declared type `other`, written out, never equals.
    mutating func refuseNeverEqual(field: Expr, other: Expr, fieldFirst: Bool, at range: SourceRange) -> Bool {
        // Only text, numbers and true/false mix wrongly (`status = ENABLED` is asked of
        // every where: the field is not looked up for it).
        switch other.kind {
        case .string, .number, .bool, .unary(.negate, _): break
        default: return false
        }
        guard let v = literal(other), let sample = declaredType(of: field)?.sampleValue else { return false }
        do {
            if fieldFirst {
                try Operators.refuseMixedComparison(sample, v, at: range)
            } else {
                try Operators.refuseMixedComparison(v, sample, at: range)
            }
        } catch let e as RuntimeError {
            error(e.message, at: range, notes: e.notes)
            return true
        } catch {}
        return false
    }

    /// The type a vendor's table declares for a field read by name: a bare name in a
    /// `where` over objects, or `v.name` of a variable holding one.
    func declaredType(of e: Expr) -> FieldType? {
        let kind: ObjectKind, connection: String?, name: String
        switch e.kind {
        case .identifier(let n):
            guard lookupVariable(n) == nil, case .object(let k, let c)? = items.last else { return nil }
            (kind, connection, name) = (k, c, n)
        case .field(let base, let n):
            guard case .identifier(let v) = base.kind, case .object(let k, let c)? = lookupVariable(v) else {
                return nil
            }
            (kind, connection, name) = (k, c, n)
        default: return nil
        }
        guard kind != .settings else { return nil }
        return vendor(at: connection)?.field(kind, name)?.type
    }

    mutating func checkStatusLiteral(_ side: Expr, _ other: Expr) {
        guard case .enumLiteral(let literal) = other.kind else { return }
        let isStatus: Bool
        switch side.kind {
        case .identifier("status"): isStatus = true
        case .field(_, "status"): isStatus = true
        default: isStatus = false
        }
        if isStatus, Status(rawValue: literal) == nil {
            diagnostics.append(
                .unknown(
                    "status", literal, at: other.range, candidates: Status.allCases.map(\.rawValue),
                    fix: "a status is one of \(Status.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
    }
}

extension Checker {
    /// The fields a script may read of a kind at a connection: the neutral ones, and
    /// the vendor's own when the connection's vendor is known.
    /// `diagnose d`: the object's vendor has the command (when the checker can tell).
    mutating func checkVendorRead(_ name: String, _ subject: StaticType, at range: SourceRange, expr: Expr? = nil)
        -> StaticType
    {
        var connection = context.defaultConnection
        if case .object(_, let c) = subject { connection = c }
        let vendor = self.vendor(at: connection)
        if let vendor, vendor.resources.command(name) == nil {
            error(
                "\(vendor.name) has no '\(name)' (connection \(connection!))", at: range,
                notes: [.init(VendorRegistry.whoHas(name))])
        }
        let declared =
            vendor?.resources.command(name)?.command
            ?? VendorRegistry.all.lazy.compactMap { $0.resources.command(name)?.command }.first
        if let command = declared, case .owner(let owner) = command.subject, case .object(let kind, _) = subject,
            kind != owner
        {
            // `diagnose u`: the command reads a domain (or a user), said before anything runs.
            error("'\(name)' needs a \(owner.rawValue), not a \(kind.rawValue)", at: range)
        }
        if let command = declared, command.takesRecord {
            if let expr, case .record(let members) = expr.kind {
                for problem in command.recordProblems(members.map { ($0.key, literal($0.value)) }) {
                    error(problem, at: range)
                }
            } else if subject != .unknown && subject != .record || expr.map({ literal($0) != nil }) == true {
                error(
                    "'\(name)' takes a record: {" + command.params.map { "\($0.name): ..." }.joined(separator: ", ")
                        + "}",
                    at: range)
            }
        }
        var kind = "settings"
        if case .read(let k)? = vendor?.resources.command(name)?.command.effect { kind = k }
        return .vendorObject(kind, connection: connection)
    }

    /// `call CONN METHOD [PATH] [BODY]`: a connection that takes raw requests, and a
    /// method and path written as literals checked as `run` checks them. `connection`:
    /// the first argument's type; the caller has checked the arguments (each once:
    /// twice would double the work at each `call` nested in one).
    mutating func checkRawCall(_ args: [Expr], connection first: StaticType, at range: SourceRange) {
        if case .connection(let c) = first, let vendor = self.vendor(at: c),
            !vendor.acceptsRawCalls
        {
            error("\(vendor.name) takes no raw requests (connection \(c))", at: args[0].range)
        } else if case .unknown = first {
        } else if case .connection = first {
        } else {
            error("call needs a connection first", at: args[0].range)
        }
        let method: String?
        switch args[1].kind {
        case .enumLiteral(let m), .identifier(let m), .string(let m): method = m
        default: method = nil
        }
        var path: String?
        if case .string(let p) = args[2].kind { path = p }
        if let method, let why = Interpreter.rawRequestProblem(method: method, path: path ?? "/") {
            error("call: " + why, at: range)
        } else if let path, let why = Interpreter.rawRequestProblem(method: "GET", path: path) {
            error("call: " + why, at: args[2].range)
        }
    }

    /// `u.password`: sent to the vendor, never read back, so reading it is an error
    /// (none would read as "no password").
    mutating func writeOnly(_ name: String, _ kind: String, at range: SourceRange) {
        error(
            "\(name) is write-only", at: range,
            notes: [.init("the vendor takes a \(kind)'s \(name) and never gives it back; set it, do not read it")])
    }

    /// `d.policy`, `groups of d`: a vendor's own kind reached from a domain or a user, at
    /// the connection's vendor (any vendor's, when the connection is not known).
    func vendorMemberType(_ kind: ObjectKind, _ member: String, at c: String?) -> StaticType? {
        func typeAt(_ vendor: Vendor) -> StaticType? {
            guard let (found, single) = vendor.resources.kind(member: member, of: kind) else { return nil }
            return single ? .vendorObject(found.name, connection: c) : .vendorObjects(found.name, connection: c)
        }
        if let known = vendor(at: c) { return typeAt(known) }
        for vendor in VendorRegistry.all { if let t = typeAt(vendor) { return t } }
        return nil
    }

    /// `attachments of m` for a vendor object of kind `owner`: an error when the
    /// connection's vendor is known and its kind has no such collection.
    mutating func vendorKindMemberType(_ owner: String, _ member: String, at c: String?, range: SourceRange)
        -> StaticType
    {
        guard let vendor = self.vendor(at: c),
            vendor.resources.kind(owner) != nil
        else { return .unknown }
        if let found = vendor.resources.kind(member: member, ofKind: owner) {
            return .vendorObjects(found.name, connection: c)
        }
        let have = vendor.resources.kinds.compactMap { $0.collectionMember(ofKind: owner) }
        error(
            "a \(owner) has no '\(member)' at \(vendor.name)", at: range,
            notes: have.isEmpty
                ? [.init("'help fields \(vendor.name)' lists what each kind of object has")]
                : [.init("it has: " + have.joined(separator: ", "))])
        return .unknown
    }

    /// The fields of a vendor's own kind at the connection's vendor; nil when the
    /// checker cannot tell (a connection it does not know, a kind it has not).
    func vendorFields(_ kind: String, at connection: String?) -> [String]? {
        guard let vendor = self.vendor(at: connection),
            let k = vendor.resources.kind(kind)
        else { return nil }
        return k.fields.map(\.name)
    }

    /// `fieldNames(of: kind, at: connection).contains(name)` without building the list:
    /// asked for every bare name in a `where` and every field after a dot.
    /// A neutral field the connection's vendor keeps nothing in: it reads as none there.
    mutating func absentField(_ kind: ObjectKind, _ name: String, at connection: String?) -> StaticType? {
        // In a def's body the default connection is the one where the def is called.
        if !defStack.isEmpty, connection == context.defaultConnection { return nil }
        guard kind != .settings, let vendor = self.vendor(at: connection),
            vendor.access(kind, name) == nil,
            kind == .domain ? Domain.fieldIndex[name] != nil : User.fieldIndex[name] != nil,
            !noneGuarded(name)
        else { return nil }
        return .absent(what: "\(vendor.name) keeps no \(kind.rawValue) \(name) (connection \(connection!))")
    }

    /// `count(aliases)` where aliases is none at that vendor: `run` would stop there.
    mutating func refuseAbsent(_ t: StaticType, _ use: String, at range: SourceRange) {
        guard case .absent(let what) = t, mayBeSkipped == 0 else { return }
        error(
            "\(use), and this is none: \(what)", at: range,
            notes: [.init("'help fields' shows which vendors keep it")])
    }

    func hasField(_ name: String, of kind: ObjectKind, at connection: String?) -> Bool {
        if name == "raw" { return true }
        switch kind {
        case .domain: if Domain.fieldIndex[name] != nil { return true }
        case .user: if User.fieldIndex[name] != nil { return true }
        case .settings: break
        }
        let vendor = self.vendor(at: connection)
        return vendor?.resource(kind)?.fields.contains { $0.name == name && !$0.neutral } ?? false
    }

    func fieldNames(of kind: ObjectKind, at connection: String?) -> [String] {
        let vendor = self.vendor(at: connection)
        let own = vendor?.resource(kind)?.fields.filter { !$0.neutral }.map(\.name) ?? []
        return MXModel.fieldNames(of: kind) + own
    }
}
