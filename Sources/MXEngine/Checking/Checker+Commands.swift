import MXLanguage
import MXModel

/// Connections `connect sandbox` opens, by name, with their vendors.
public var sandboxConnections: [(name: String, vendor: String)] { VendorRegistry.sandboxSeats }

extension Checker {
    mutating func checkCommand(_ name: String, _ nameRange: SourceRange, _ args: [Argument], _ range: SourceRange) {
        // With no def anywhere, a built-in is a built-in: one lookup, not four (a def may
        // not take a command's name, and `laterDef` notes no command's).
        if context.defs.isEmpty, laterDefs.isEmpty, let decl = commands.declaration(name) {
            checkBuiltin(decl, args, range)
            return
        }
        // Inside a def's body a call runs only when the def does: a def further down
        // (two defs calling each other) is there by then.
        // In a def's body, this script's (or shell entry's) def of the name first: an
        // earlier shell entry's def of it is replaced by the time the body runs.
        if let arity = (inDef > 0 ? laterDefs[name]?.params.count : nil) ?? context.defs[name]
            ?? (inDef > 0 ? laterDef(name)?.params.count : nil)
        {
            for a in args { checkArgument(a) }
            if args.contains(where: {
                if case .named = $0 { return true }; return false
            }) {
                error("'\(name)' is a def: it takes values, not name=value", at: range, notes: defUsage(name))
            } else if args.count != arity {
                error("'\(name)' takes \(arity) argument(s), given \(args.count)", at: range, notes: defUsage(name))
            } else {
                checkDefCall(name, arguments: args.count, at: nameRange)
            }
            return
        }
        if let later = laterDef(name) {
            let line = source.lineColumn(of: later.range.start).line
            error(
                "'\(name)' is used before its def (at line \(line))", at: nameRange,
                notes: [.init("move the def above its first use")])
            return
        }
        guard let decl = commands.declaration(name) else {
            if args.isEmpty, lookupVariable(name) != nil || context.connections[name] != nil || items.last != nil {
                _ = identifierType(name, nameRange)
                return
            }
            if lookupVariable(name) != nil {
                error(
                    "'\(name)' is a variable, not a command", at: nameRange,
                    notes: [.init("to print it: print \(name)")])
                return
            }
            if context.interactive, let outer = defStack.last, mayBeADefLater(name),
                slipOf(name, in: commands.names) == nil
            {
                // The shell: a def may call one entered later; calling this one is refused
                // until it is (`checkDefCall`). A name one letter from a command's is
                // taken for a slip, and said now.
                for a in args { checkArgument(a) }
                let named = args.contains { if case .named = $0 { true } else { false } }
                let call = DefCall(callee: name, arguments: args.count, named: named)
                defCalls[outer, default: []].append((call, nameRange))
                return
            }
            var d = Diagnostic.unknown(
                "command", name, at: nameRange,
                candidates: commands.names + Array(context.defs.keys) + Array(laterDefs.keys),
                fix: "'help' lists the commands")
            if args.isEmpty, d.notes.first?.message.hasPrefix("did you mean") != true {
                d.message = "unknown command or variable '\(name)'"
                if let v = bestMatch(for: name, in: allVariables) { d.notes = [.init("did you mean '\(v)'?")] }
            }
            diagnostics.append(d)
            for a in args { checkArgument(a) }
            return
        }
        checkBuiltin(decl, args, range)
    }

    mutating func checkArgument(_ a: Argument) {
        switch a {
        case .value(let e): _ = typeOf(e)
        case .named(_, _, let e): _ = typeOf(e)
        case .word: break
        }
    }

    func positional(_ args: [Argument]) -> [Argument] {
        args.filter {
            if case .named = $0 { return false }; return true
        }
    }

    /// The `i`th argument that is not name=value, without building the list of them.
    func positional(_ args: [Argument], _ i: Int) -> Argument? {
        var seen = 0
        for a in args {
            if case .named = a { continue }
            if seen == i { return a }
            seen += 1
        }
        return nil
    }

    /// The `key=value` arguments, but `except` (a command's `at=` names a connection, not
    /// a field).
    func namedKeys(_ args: [Argument], except: String? = nil) -> [(String, SourceRange, Expr)] {
        var out: [(String, SourceRange, Expr)] = []
        out.reserveCapacity(args.count)
        for i in args.indices {
            if case .named(let k, let r, let v) = args[i], k != except { out.append((k, r, v)) }
        }
        return out
    }

    mutating func checkBuiltin(_ decl: CommandDeclaration, _ args: [Argument], _ range: SourceRange) {
        // Each argument is checked once. Of their types two are asked for: the first
        // positional argument's (the object a command acts on) and the first value's
        // (`call`'s connection). No list is built: this runs for every command.
        var firstType: StaticType?
        var firstValueType: StaticType?
        var hasNamed = false
        for a in args {
            switch a {
            case .value(let e):
                let t = typeOf(e)
                if firstType == nil { firstType = t }
                if firstValueType == nil { firstValueType = t }
            case .word: if firstType == nil { firstType = .unknown }
            case .named(_, _, let v):
                _ = typeOf(v)
                hasNamed = true
            }
        }

        switch decl.checkedAs {
        case .connect? where blockDepth > 0, .use? where blockDepth > 0:
            // `run` would connect (or switch) only when the block runs, and each time it
            // does: what follows the block could not be checked against it.
            let connect = decl.checkedAs == .connect
            error(
                "'\(decl.name)' inside a block or a def: it would \(connect ? "connect" : "switch connections") only "
                    + "when that block runs, and again each time",
                at: range,
                notes: [
                    .init(
                        connect
                            ? "write 'connect' at the top level of the script, before what uses it"
                            : "write 'use' at the top level, or name the connection where it is meant: "
                                + "m.domains, at=m")
                ])
            // Its names stay known, so what uses them says nothing more.
            if connect { checkConnect(args) }
            return
        case .connect?:
            checkConnect(args)
            return
        case .use?:
            if case .word(let c, let r)? = args.first {
                if context.connections[c] == nil {
                    diagnostics.append(
                        .unknown(
                            "connection", c, at: r, candidates: context.connections.keys,
                            fix: "connect it first, e.g. 'connect memory as \(c)'"))
                } else {
                    context.defaultConnection = c
                }
            }
            return
        case .help?:
            if case .word(let topic, let r)? = args.first, commands.declaration(topic) == nil,
                !helpTopics.contains(topic)
            {
                diagnostics.append(.unknown("help topic", topic, at: r, candidates: commands.names + helpTopics))
            }
            if args.count > 1, case .word(let topic, _) = args[0], topic == "fields",
                case .word(let v, let r) = args[1],
                VendorRegistry.named(v) == nil
            {
                diagnostics.append(.unknown("vendor", v, at: r, candidates: VendorRegistry.all.map(\.name)))
            }
            return
        case .copy?:
            for case .word(let c, let r) in args where context.connections[c] == nil {
                diagnostics.append(.unknown("connection", c, at: r, candidates: context.connections.keys))
            }
            if args.count >= 3, case .word(let from, _) = args[1], case .word(let to, let toRange) = args[2], from == to
            {
                error(
                    "copy from \(from) to itself: the source and the target are the same connection", at: toRange,
                    notes: [.init("name another connection after 'to'")])
            }
            if args.count >= 3, case .word(let to, let toRange) = args[2], let toVendor = context.connections[to],
                let target = VendorRegistry.named(toVendor), !target.operations.contains(.createDomain)
            {
                error("\(toVendor) cannot create-domain, so nothing can be copied to \(to)", at: toRange)
            }
            for case .named("limit", _, let e) in args {
                guard let v = literal(e) else { continue }
                do { _ = try objectLimit(v, at: e.range) } catch { self.error(error.message, at: e.range) }
            }
            return
        case .export?:
            if args.count >= 2, case .value(let e) = args[args.count - 1], case .string(let path) = e.kind,
                !path.hasSuffix(".json"), !path.hasSuffix(".csv")
            {
                error("export writes .json or .csv files, not '\(path)'", at: e.range)
            }
            return
        case _ where decl.givesValue:
            if let first = firstType {
                var expr: Expr?
                if case .value(let e) = args[0] { expr = e }
                _ = checkVendorRead(decl.name, first, at: args[0].range, expr: expr)
            }
            return
        case .call?:
            var exprs = positional(args).compactMap { a -> Expr? in
                if case .value(let e) = a { return e }; return nil
            }
            if exprs.count >= 2 {
                if exprs.count == 2 || { if case .string = exprs[2].kind { false } else { true } }() {
                    exprs.insert(Expr(.string(""), exprs[1].range), at: 2)
                }
                if exprs.count == 3 { exprs.append(Expr(.none, exprs[2].range)) }
                // The arguments were checked above: checked again, a `call` nested in a
                // `call` doubled the work (and the errors) at each level.
                checkRawCall(Array(exprs.prefix(4)), connection: firstValueType ?? .unknown, at: range)
            }
            return
        case .set?:
            if !hasNamed {
                error(
                    "'set' needs at least one field=value", at: range,
                    notes: [.init("usage: set d destination=\"10.0.0.5\"")])
            }
        default:
            break
        }
        guard decl.mutates else { return }
        // A mutating command: its object (first argument, or the name it creates), the
        // connection, the operation, and each field and literal value, read from the
        // command table and the vendor's resource table.
        let fields = namedKeys(args, except: "at")
        let first = positional(args, 0)
        if case .vendorObjects? = firstType {
            error(
                "'\(decl.name)' acts on one object, not a collection", at: args[0].range,
                notes: [.init("loop over it: for x in ... < \(decl.name) x ... >")])
            return
        }
        if case .collection? = firstType {
            error(
                "'\(decl.name)' acts on one object, not a collection", at: args[0].range,
                notes: [.init("loop over it: for d in ... < \(decl.name) d ... >")])
            return
        }
        if let op = decl.operation, op.creates {
            // create-domain NAME, create-user EMAIL: the name is checked, the fields too.
            if case .value(let e)? = first {
                checkName(e, kind: op.kind, what: op.kind == .domain ? "the domain name" : "the email address")
            }
            // Without at=CONN it creates at the default connection, which must exist.
            if !hasAtOption(args) { requireConnection("'\(decl.name)'", at: range) }
            let connection = connectionOf(args)
            checkWrite(op.kind, fields, connection: connection, operation: op, settings: nil, at: range)
            if op.kind == .domain, case .value(let name)? = first,
                let aliases = fields.first(where: { $0.0 == "aliases" }), case .list(let items) = aliases.2.kind
            {
                refuseSelfOrRepeatedAliases(domain: name, aliases: items)
            }
            // Proofpoint creates no domain without a destination: its 422 would come
            // after the changes above it were sent.
            if let vendor = self.vendor(at: connection), vendor.operations.contains(op) {
                let required = vendor.resource(op.kind)?.requiredToCreate ?? []
                for field in required where !fields.contains(where: { $0.0 == field }) {
                    error(
                        "\(vendor.name) needs \(field) to \(decl.name) (connection \(connection!))", at: range,
                        notes: [.init("add \(field)=...; 'help fields \(vendor.name)' describes it")])
                }
            }
            return
        }
        if let op = decl.operation, !op.isNeutral {
            // A command on a vendor's own kind: at the connection of the object it
            // names, or (creating by key) at=CONN or the default one.
            var connection = connectionOf(args)
            switch firstType {
            case .object?, .vendorObject?: break
            // Not on an object of its own: at the default connection, which must exist.
            default: if !hasAtOption(args) { requireConnection("'\(decl.name)'", at: range) }
            }
            if case .object(let k, let c)? = firstType {
                connection = c
                // `send-welcome-mail d` on a domain: the command acts on another kind.
                if let vendor = self.vendor(at: c),
                    case .owner(let owner)? = vendor.resources.command(decl.name)?.command.subject, owner != k
                {
                    error("'\(decl.name)' needs a \(owner.rawValue), not a \(k.rawValue)", at: args[0].range)
                    return
                }
            }
            if case .vendorObject(let kind, let c)? = firstType {
                connection = c
                // `release g` on a group: the command belongs to another kind.
                if let vendor = self.vendor(at: c),
                    let (owner, command) = vendor.resources.command(decl.name), command.subject == .object,
                    owner.name != kind
                {
                    error("'\(decl.name)' acts on a \(owner.name), not a \(kind)", at: args[0].range)
                    return
                }
            }
            checkWrite(.settings, fields, connection: connection, operation: op, settings: nil, at: range)
            // `create-customer "x.com"` without name=: the vendor's 422 would come after the
            // changes above it were sent (as Proofpoint's create-domain without destination=).
            if let vendor = self.vendor(at: connection), let (resource, command) = vendor.resources.command(decl.name),
                case .create = command.effect
            {
                // `create-token "noslash"`: a key that names two things (LOGIN/NAME) without
                // its separator; the adapter refused it when sending.
                if command.subject == .key, let parts = resource.keyParts, case .value(let e)? = first,
                    case .string(let key) = e.kind, parts.split(key) == nil
                {
                    let form = "\(parts.fields.0.uppercased())\(parts.separator)\(parts.fields.1.uppercased())"
                    error("\(decl.name) \(source.slice(e.range)): name it \(form)", at: e.range)
                }
                for field in resource.requiredToCreate
                where field != resource.key && !command.params.contains(where: { $0.name == field })
                    && !fields.contains(where: { $0.0 == field })
                {
                    error(
                        "\(vendor.name) needs \(field) to \(decl.name) (connection \(connection!))", at: range,
                        notes: [.init("add \(field)=...; 'help \(decl.name)' describes it")])
                }
            }
            return
        }
        // The rest act on the object their first argument holds; a command with no
        // fixed operation (set, enable, disable) updates whatever kind that is.
        var kind = decl.operation?.kind ?? .domain, connection = context.defaultConnection
        if case .object(let k, let c)? = firstType { connection = c; if decl.operation == nil { kind = k } }
        // `disable "x.com"`: the object of that name at the default connection.
        if case .value(let e)? = first, e.isWrittenText, !hasAtOption(args) {
            requireConnection("'\(decl.name)' on a name", at: e.range)
        }
        if case .value(let e)? = first, let v = literal(e), refuseWrittenObject(decl, v, kind: kind, e) { return }
        var settings = kind == .settings ? settingsName(first) : nil
        if case .vendorObject(let k, let c)? = firstType, decl.operation == nil {
            (connection, kind, settings) = (c, .settings, k)
        }
        let op = decl.operation ?? Operation.update(of: kind)
        var written = fields
        if let status = decl.setsStatus {
            guard kind != .settings else { return }
            written = [("status", args[0].range, Expr(.enumLiteral(status.rawValue), args[0].range))]
        }
        if let i = decl.nameArgument, case .value(let e)? = positional(args, i) {
            checkName(e, kind: .domain, what: "the alias")
            if case .value(let object)? = first, case .lookup(.domain, _, let name) = object.kind {
                refuseSelfOrRepeatedAliases(domain: name, aliases: [e])
            }
        }
        checkWrite(kind, written, connection: connection, operation: op, settings: settings, at: range)
    }

    /// The object a command acts on, written out: a name is looked up at the default
    /// connection (its form checked now, as `run` would before the lookup); anything
    /// else (`disable 5`, `set "x.com" ...`) is refused with `run`'s words
    /// (`Interpreter.target`, `set`). True when refused.
    mutating func refuseWrittenObject(_ decl: CommandDeclaration, _ v: Value, kind: ObjectKind, _ e: Expr) -> Bool {
        if decl.name == "set" {
            error("'set' needs a domain, a user or a settings object, not \(v.aTypeName)", at: e.range)
            return true
        }
        guard kind == .domain || kind == .user else { return false }
        switch v {
        case .string:
            checkName(e, kind: kind, what: kind == .domain ? "the domain name" : "the email address")
            return false
        case .enumCase: return false
        default:
            error("'\(decl.name)' needs a \(kind.rawValue), not \(v.aTypeName)", at: e.range)
            return true
        }
    }

    /// `ad.proxy` as the settings object's name, when the script names it so.
    func settingsName(_ arg: Argument?) -> String? {
        if case .value(let e)? = arg, case .field(_, let name) = e.kind { return name }
        return nil
    }

    /// A name written as a literal is checked now, as `run` would before sending it.
    /// `what` is the name as `run`'s message calls it ("the alias must be a string").
    /// `what` names the value in an error, and is built only for one.
    mutating func checkName(_ e: Expr, kind: ObjectKind, what: @autoclosure () -> String) {
        // `create-domain ("bad" + " name")`: worked out, as `run` would.
        if case .binary = e.kind, case .string(let text)? = literal(e) {
            checkName(Expr(.string(text), e.range), kind: kind, what: what())
            return
        }
        guard case .string(let text) = e.kind else {
            // `add-alias d 5`: a number, true, none or a list is never a name (a word in
            // capitals is read as its text).
            if case .enumLiteral = e.kind { return }
            if let v = literal(e) {
                error("\(what()) must be a string, not \(v.aTypeName)", at: e.range)
            }
            return
        }
        do {
            if kind == .domain { _ = try DomainName.normalize(text) } else { _ = try EmailAddress.normalize(text) }
        } catch {
            self.error(error.message, at: e.range)
        }
    }

    /// `add-alias (m.domain "got.com") "got.com"`, `aliases=["a.net", "A.net"]`: written
    /// out, an alias that is its domain or given twice; `run` would refuse it only when
    /// sending (after the changes above it).
    mutating func refuseSelfOrRepeatedAliases(domain: Expr, aliases: [Expr]) {
        var own: String?
        if case .string(let d) = domain.kind { own = try? DomainName.normalize(d) }
        var seen: Set<String> = []
        for alias in aliases {
            guard case .string(let a) = alias.kind, let name = try? DomainName.normalize(a) else { continue }
            if name == own {
                error("\(a) cannot be an alias of itself", at: alias.range, notes: [.init("an alias is another name")])
            } else if !seen.insert(name).inserted {
                error("\(name) is given twice in the aliases" + (own.map { " of \($0)" } ?? ""), at: alias.range)
            }
        }
    }

    func hasAtOption(_ args: [Argument]) -> Bool {
        args.contains { if case .named("at", _, _) = $0 { true } else { false } }
    }

    /// The connection a create command targets: `at=NAME`, or the default.
    func connectionOf(_ args: [Argument]) -> String? {
        for case .named("at", _, let e) in args {
            if case .identifier(let c) = e.kind { return c }
            return nil
        }
        return context.defaultConnection
    }

    /// Refuses, before anything is sent, a write the schema or the vendor cannot take:
    /// the same `FieldRules` `run` applies, on the values written as literals.
    mutating func checkWrite(
        _ kind: ObjectKind, _ fields: [(String, SourceRange, Expr)], connection: String?,
        operation: Operation, settings: String?, at range: SourceRange
    ) {
        let vendor = self.vendor(at: connection)
        if let vendor, !vendor.operations.contains(operation) {
            error(
                "\(vendor.name) cannot \(operation.rawValue) (connection \(connection!))", at: range,
                notes: [.init("nothing is sent; 'help vendors' shows what each vendor supports")])
            return
        }
        for (name, r, e) in fields {
            do {
                _ = try FieldRules.check(
                    name, literal(e), kind: kind, settings: settings, operation: operation, vendor: vendor,
                    connection: connection)
            } catch {
                self.error(error.message, at: error.inValue ? e.range : r, notes: error.notes.map { .init($0) })
            }
        }
    }

    /// The value of an expression that is written out in full (no variable, call or
    /// interpolation): what `check` can validate without running anything.
    func literal(_ e: Expr) -> Value? {
        switch e.kind {
        case .string(let s): return .string(s)
        case .number(let n): return .number(n)
        case .bool(let b): return .bool(b)
        case .none: return Value.none
        case .enumLiteral(let s): return .enumCase(s)
        // `quota=-3`: a negative number is written as minus and a number.
        case .unary(.negate, let x):
            if case .number(let n) = x.kind { return .number(-n) }
            return nil
        // `(5 / (2 - 2))`, `relay=("tr" + "ue")`: an operator on values written out, as
        // `run` would work it out (a shallow tree only: this is asked again at each level).
        case .binary(let op, let l, let r) where e.depth < 32:
            guard let a = literal(l), let b = literal(r) else { return nil }
            return try? Operators.combine(op, a, b, l.range, r.range, at: e.range)
        case .list(let items):
            var out: [Value] = []
            out.reserveCapacity(items.count)
            for i in items {
                guard let v = literal(i) else { return nil }
                out.append(v)
            }
            return .list(out)
        case .record(let fields):
            var r = Record()
            for f in fields {
                guard let v = literal(f.value) else { return nil }
                r[f.key] = v
            }
            return .record(r)
        default: return nil
        }
    }

    mutating func checkConnect(_ args: [Argument]) {
        guard case .word(var vendor, let vendorRange)? = args.first else { return }
        var name = vendor
        if vendor.hasPrefix("@") {
            // A profile: its vendor decides what may be checked below.
            name = String(vendor.dropFirst())
            do {
                vendor = try ProfileStore().vendor(of: name)
            } catch {
                diagnostics.append(
                    Diagnostic(error.message, at: vendorRange, notes: error.fix.map { [.init($0)] } ?? []))
                return
            }
        }
        guard connectableVendors.contains(vendor) else {
            diagnostics.append(.unknown("vendor", vendor, at: vendorRange, candidates: connectableVendors))
            return
        }
        // Errors about the name point at it: the alias when given, else the vendor.
        var nameRange = vendorRange
        if args.count > 1, case .word(let alias, let r) = args[1] { (name, nameRange) = (alias, r) }
        // A variable of the connection's name would hide it (a variable wins at run).
        var opening = vendor == "sandbox" ? sandboxConnections.map(\.name) : [name]
        // The first connection gives `domains` and `users` their meaning: variables of
        // those names, made while nothing was connected, would hide them from here on.
        if context.defaultConnection == nil { opening += ["domains", "users"] }
        for opened in opening where lookupVariable(opened) != nil {
            if opened == "domains" || opened == "users" {
                error(
                    "'\(opened)' is a variable; after this connect it would hide the connection's \(opened)",
                    at: vendorRange, notes: [.init("rename the variable")])
                continue
            }
            error(
                "'\(opened)' is a variable; a connection of that name would be hidden by it",
                at: vendor == "sandbox" ? vendorRange : nameRange,
                notes: [.init(vendor == "sandbox" ? "rename the variable" : "connect ... as another name")])
        }
        if vendor == "sandbox" {
            for c in sandboxConnections where context.connections[c.name] != nil {
                error("connect sandbox opens \(c.name), which is already connected", at: vendorRange)
            }
        } else if context.connections[name] != nil {
            error(
                "'\(name)' is already connected (\(context.connections[name]!))", at: nameRange,
                notes: [.init("give the new connection another name: connect ... as \(name)2")])
        }
        let options: [String] = vendor == "sandbox" ? sandboxOptions : (VendorRegistry.named(vendor)?.optionNames ?? [])
        for (key, r, _) in namedKeys(args) where !options.contains(key) {
            var d = Diagnostic.unknown("option", key, at: r, candidates: options)
            d.message += " for \(vendor)"
            d.notes.append(.init("\(vendor) takes: \(options.joined(separator: ", "))"))
            diagnostics.append(d)
        }
        if vendor == "sandbox" {
            for c in sandboxConnections { context.connections[c.name] = c.vendor }
            if context.defaultConnection == nil { context.defaultConnection = sandboxConnections[0].name }
        } else {
            context.connections[name] = vendor
            if context.defaultConnection == nil { context.defaultConnection = name }
        }
        lastVendor.known = false
    }
}

extension Expr {
    /// A string written out (`"x.com"`, `"${n}.com"`): as a command's object, a name
    /// looked up at the default connection.
    var isWrittenText: Bool {
        switch kind {
        case .string, .interpolated: return true
        default: return false
        }
    }
}
