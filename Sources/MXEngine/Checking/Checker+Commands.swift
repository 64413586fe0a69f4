import MXLanguage
import MXModel

/// Connections `connect sandbox` opens, by name, with their vendors.
public let sandboxConnections: [(name: String, vendor: String)] = [
    ("pp", "proofpoint"), ("cm", "cleanmail"), ("os", "opensrs"), ("ad", "ad360"),
]

extension Checker {
    mutating func checkCommand(_ name: String, _ nameRange: SourceRange, _ args: [Argument], _ range: SourceRange) {
        if let arity = context.defs[name] {
            for a in args { checkArgument(a) }
            if args.contains(where: { if case .named = $0 { return true }; return false }) {
                error("'\(name)' is a def: it takes values, not name=value", at: range)
            } else if args.count != arity {
                error("'\(name)' takes \(arity) argument(s), given \(args.count)", at: range)
            }
            return
        }
        if let later = laterDefs[name] {
            let line = source.lineColumn(of: later.range.start).line
            error("'\(name)' is used before its def (at line \(line))", at: nameRange,
                  notes: [.init("move the def above its first use")])
            return
        }
        guard let decl = commands.declaration(name) else {
            if args.isEmpty, lookupVariable(name) != nil || context.connections[name] != nil || items.last != nil {
                _ = identifierType(name, nameRange)
                return
            }
            if lookupVariable(name) != nil {
                error("'\(name)' is a variable, not a command", at: nameRange,
                      notes: [.init("to print it: print \(name)")])
                return
            }
            var d = Diagnostic.unknown("command", name, at: nameRange,
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
        args.filter { if case .named = $0 { return false }; return true }
    }

    func namedKeys(_ args: [Argument]) -> [(String, SourceRange, Expr)] {
        args.compactMap { if case .named(let k, let r, let v) = $0 { return (k, r, v) }; return nil }
    }

    mutating func checkBuiltin(_ decl: CommandDeclaration, _ args: [Argument], _ range: SourceRange) {
        var types: [StaticType] = []
        for a in positional(args) {
            if case .value(let e) = a { types.append(typeOf(e)) } else { types.append(.unknown) }
        }
        for (_, _, v) in namedKeys(args) { _ = typeOf(v) }
        let named = namedKeys(args).map { ($0.0, $0.1) }

        switch decl.name {
        case "connect":
            checkConnect(args)
        case "use":
            if case .word(let c, let r)? = args.first {
                if context.connections[c] == nil {
                    diagnostics.append(.unknown("connection", c, at: r, candidates: context.connections.keys,
                                                fix: "connect it first, e.g. 'connect memory as \(c)'"))
                } else {
                    context.defaultConnection = c
                }
            }
        case "help":
            if case .word(let topic, let r)? = args.first, commands.declaration(topic) == nil, !helpTopics.contains(topic) {
                diagnostics.append(.unknown("help topic", topic, at: r, candidates: commands.names + helpTopics))
            }
        case "copy":
            for case .word(let c, let r) in args where context.connections[c] == nil {
                diagnostics.append(.unknown("connection", c, at: r, candidates: context.connections.keys))
            }
            if args.count >= 3, case .word(let from, _) = args[1], case .word(let to, let toRange) = args[2],
               let fromVendor = context.connections[from], let toVendor = context.connections[to],
               let target = VendorCatalog.named(toVendor), !target.operations.contains(.createDomain) {
                _ = fromVendor
                error("\(toVendor) cannot create-domain, so nothing can be copied to \(to)", at: toRange)
            }
        case "create-domain":
            checkWrite(.domain, named.filter { $0.0 != "at" }, connection: connectionOf(args), operation: .createDomain, at: range)
        case "create-user":
            checkWrite(.user, named.filter { $0.0 != "at" }, connection: connectionOf(args), operation: .createUser, at: range)
        case "set":
            if named.isEmpty {
                error("'set' needs at least one field=value", at: range, notes: [.init("usage: set d destination=\"10.0.0.5\"")])
            }
            if case .object(let kind, let c)? = types.first {
                let op: Operation = kind == .domain ? .updateDomain : kind == .user ? .updateUser : .updateSettings
                checkWrite(kind, named, connection: c, operation: op, at: range)
            } else if case .collection? = types.first {
                error("'set' changes one object, not a collection", at: args[0].range,
                      notes: [.init("loop over it: for d in ... < set d field=value >")])
            }
        case "enable", "disable":
            if case .object(let kind, let c)? = types.first, kind != .settings {
                checkWrite(kind, [("status", args[0].range)], connection: c,
                           operation: kind == .domain ? .updateDomain : .updateUser, at: range)
            } else if types.first == nil || types.first == .unknown {
                checkWrite(.domain, [("status", range)], connection: context.defaultConnection, operation: .updateDomain, at: range)
            }
        case "add-alias", "remove-alias", "delete-domain", "delete-user":
            var connection = context.defaultConnection
            if case .object(_, let c)? = types.first { connection = c }
            if case .collection? = types.first {
                error("'\(decl.name)' acts on one object, not a collection", at: args[0].range,
                      notes: [.init("loop over it: for d in ... < \(decl.name) d ... >")])
            }
            checkWrite(decl.name == "delete-user" ? .user : .domain, [], connection: connection, operation: decl.operation, at: range)
        default:
            break
        }
    }

    /// The connection a create command targets: `at=NAME`, or the default.
    func connectionOf(_ args: [Argument]) -> String? {
        for case .named("at", _, let e) in args {
            if case .identifier(let c) = e.kind { return c }
            return nil
        }
        return context.defaultConnection
    }

    /// Refuses, before anything is sent, a write the schema or the vendor cannot take.
    mutating func checkWrite(_ kind: ObjectKind, _ fields: [(String, SourceRange)], connection: String?,
                             operation: Operation?, at range: SourceRange) {
        let caps = connection.flatMap { context.connections[$0] }.flatMap(VendorCatalog.named)
        if let caps, let operation, !caps.operations.contains(operation) {
            error("\(caps.vendor) cannot \(operation.rawValue) (connection \(connection!))", at: range,
                  notes: [.init("'help vendors' shows what each vendor supports")])
            return
        }
        guard kind != .settings else { return }
        let schema = kind == .domain ? Domain.fields.map { ($0.name, $0.set != nil) } : User.fields.map { ($0.name, $0.set != nil) }
        for (name, r) in fields {
            guard let (_, writable) = schema.first(where: { $0.0 == name }) else {
                diagnostics.append(.unknown("\(kind.rawValue) field", name, at: r, candidates: schema.map(\.0),
                                            fix: "'help fields' lists them"))
                continue
            }
            if !writable {
                error("\(kind.rawValue) field '\(name)' is read-only", at: r)
            } else if let caps, caps.access(kind, name) != .readWrite {
                error("\(caps.vendor) has no \(kind.rawValue) field '\(name)' to write (connection \(connection!))", at: r,
                      notes: [.init("nothing is sent; 'help vendors' shows what each vendor supports")])
            }
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
                diagnostics.append(Diagnostic(error.message, at: vendorRange, notes: error.fix.map { [.init($0)] } ?? []))
                return
            }
        }
        guard connectableVendors.contains(vendor) else {
            diagnostics.append(.unknown("vendor", vendor, at: vendorRange, candidates: connectableVendors))
            return
        }
        if args.count > 1, case .word(let alias, _) = args[1] { name = alias }
        let options: [String] = vendor == "sandbox" ? ["port", "seed", "latency-ms"] : (VendorCatalog.named(vendor)?.options ?? [])
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
    }
}
