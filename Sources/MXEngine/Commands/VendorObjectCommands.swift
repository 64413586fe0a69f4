import MXLanguage
import MXModel

/// The commands vendors declare on their own kinds of object (`create-group`,
/// `release`), one declaration per name whichever vendors have it: the parser, the
/// checker, `help` and completion read them from here like any built-in, and what
/// each does comes from the table of the connection it runs at.
let vendorObjectCommands: [CommandDeclaration] = {
    var seen = Set<String>()
    var out: [CommandDeclaration] = []
    for vendor in VendorRegistry.all {
        for kind in vendor.resources.kinds {
            for command in kind.commands where seen.insert(command.name).inserted {
                let vendors = VendorRegistry.all.filter { $0.resources.command(command.name) != nil }.map(\.name)
                out.append(declaration(command, kind: kind, vendors: vendors))
            }
        }
    }
    return out
}()

private func declaration(_ command: ObjectCommand, kind: ResourceKind, vendors: [String]) -> CommandDeclaration {
    let subject: String
    switch command.subject {
    case .key: subject = kind.key ?? "name"
    case .object: subject = kind.name
    case .owner(let owner): subject = owner.rawValue
    }
    if command.givesValue {
        // A command that takes a record says its members: required, then the others.
        let members =
            command.params.map { "\($0.name): \($0.type.help)" }
            + command.options.map { "\($0.name) (optional): \($0.summary)" }
        let record = "{" + command.params.map { "\($0.name): ..." }.joined(separator: ", ") + "}"
        let example = command.takesRecord ? "let r = \(command.name) \(record)" : "let h = \(command.name) d"
        return CommandDeclaration(
            command.name, group: .vendorObjects,
            .init([.value(command.takesRecord ? "record" : subject)], givesValue: true),
            summary: command.summary,
            details: "At " + vendors.joined(separator: ", ") + ". Changes nothing; as a value: \(example)."
                + (command.takesRecord ? " The record's members: " + members.joined(separator: "; ") + "." : ""),
            examples: [example]
        ) { interp, inv in
            let v = try interp.readCommand(inv.name, try interp.value(inv.args[0]), at: inv.args[0].range)
            interp.host.output(render(v, format: interp.host.format, width: interp.host.terminalWidth) + "\n")
        }
    }
    let params: [CommandSignature.Param] = [.value(subject)] + command.params.map { .value($0.name) }
    let named: CommandSignature.Named =
        command.takesFields || command.subject == .key
        ? .fields : .keys(.init(command.options.map(\.name)))
    var details = "At " + vendors.joined(separator: ", ") + "."
    for o in command.options { details += " \(o.name)=: \(o.summary)." }
    if let why = command.irreversibleReason { details += " It cannot be undone: \(why)." }
    return CommandDeclaration(
        command.name, group: .vendorObjects, .init(params, named: named), summary: command.summary, details: details,
        mutates: true, operation: command.operation
    ) { interp, inv in try interp.runObjectCommand(inv) }
}

extension Interpreter {
    /// A reading command (`diagnose d`): what the vendor works out for the object, as
    /// a value. A name stands for that object at the default connection.
    func readCommand(_ name: String, _ subject: Value, at range: SourceRange) throws -> Value {
        var ref: ObjectRef?
        if case .object(let r) = subject { ref = r }
        let vendorCommand = { (c: Connection) in c.declaration.resources.command(name) }
        if case .record = subject {
        } else if let c = try? connection(at: range), let (_, command) = vendorCommand(c),
            command.takesRecord
        {
            throw RuntimeError(
                "'\(name)' takes a record: {" + command.params.map { "\($0.name): ..." }.joined(separator: ", ") + "}",
                at: range)
        }
        if case .record(let members) = subject {
            // `try-relay {...}`: a record of the command's members, checked before sending.
            let c = try connection(at: range)
            guard let (_, command) = vendorCommand(c), command.takesRecord else {
                throw RuntimeError("'\(name)' needs an object, not a record", at: range)
            }
            let problems = command.recordProblems(members.pairs.map { ($0.0, $0.1) })
            if let first = problems.first {
                throw RuntimeError(first, at: range, notes: problems.dropFirst().map { .init($0) })
            }
            let key = members[command.params.first?.name ?? ""]?.text ?? name
            let s = try vendorCall(range) {
                try c.adapter.read(name, of: .settings(Settings(kind: name, key: key, fields: members)))
            }
            return .object(identities.ref(connection: c.name, .settings(s)))
        }
        if ref == nil, case .string = subject {
            let c = try connection(at: range)
            if case .owner(let kind)? = vendorCommand(c)?.command.subject,
                case .object(let r) = try lookupObject(
                    kind == .user ? .user : .domain, named: subject, at: c, range: range)
            {
                ref = r
            }
        }
        guard let ref, let c = connections[ref.connection] else {
            throw RuntimeError("'\(name)' needs an object, not \(subject.aTypeName)", at: range)
        }
        guard let (_, command) = vendorCommand(c) else {
            throw RuntimeError(
                "\(c.vendor) has no '\(name)' (connection \(c.name))", at: range,
                notes: [.init(VendorRegistry.whoHas(name))])
        }
        if case .owner(let kind) = command.subject, ref.kind != kind {
            throw RuntimeError("'\(name)' needs a \(kind.rawValue), not a \(ref.kindName)", at: range)
        }
        let s = try vendorCall(range) { try c.adapter.read(name, of: ref.object) }
        return .object(identities.ref(connection: c.name, .settings(s)))
    }

    /// Builds the change a vendor's own command makes, from the table of the
    /// connection it runs at, and submits it like any other.
    func runObjectCommand(_ inv: Invocation) throws {
        let first = inv.args[0]
        var ref: ObjectRef?
        let subjectValue = try value(first)
        let connection: Connection
        if case .object(let r) = subjectValue, let c = connections[r.connection] {
            (ref, connection) = (r, c)
        } else {
            connection = try self.connection(for: inv)
        }
        guard let (kind, command) = connection.declaration.resources.command(inv.name) else {
            throw RuntimeError(
                "\(connection.vendor) has no '\(inv.name)' (connection \(connection.name))", at: inv.nameRange,
                notes: [.init("nothing is sent; " + VendorRegistry.whoHas(inv.name))])
        }
        let key: String
        var owner: String?
        switch command.subject {
        case .key:
            key = try string(first, what: "the \(kind.key ?? "name")")
            // The owner a key names (`OWNER/SENDER`), else the domain after its last `@`.
            owner =
                kind.keyParts?.split(key)?.first { $0.0 == "owner" || $0.0 == "domain" }?.1
                ?? key.split(separator: "@").last.map(String.init)
            ref = nil
        case .object:
            guard let r = ref, r.kind == .settings, r.kindName == kind.name else {
                throw RuntimeError("'\(inv.name)' needs a \(kind.name), not \(subjectValue.typeName)", at: first.range)
            }
            key = r.key
        case .owner(let ownerKind):
            if ref == nil, case .string = subjectValue {
                ref = try target(first, kind: ownerKind, command: inv.name)
            }
            guard let r = ref, r.kind == ownerKind else {
                throw RuntimeError(
                    "'\(inv.name)' needs a \(ownerKind.rawValue), not \(subjectValue.typeName)", at: first.range)
            }
            key = r.key
            owner = r.key
            ref = nil
        }
        var fields = try namedFields(inv, except: ["at"])
        for (param, arg) in zip(command.params, inv.args.dropFirst()) { fields[param.name] = try value(arg) }
        if kind.kind != .settings {
            // A command on a neutral kind (restore-domain, send-welcome-mail u): a change of
            // that kind, read as such; a name when it names one to bring back, else the object's.
            let name =
                command.subject != .key ? key : kind.kind == .user ? try emailAddress(first) : try domainName(first)
            var change = Change(
                connection: connection.name, kind: kind.kind, key: name, operation: command.operation,
                fields: fields, before: nil, location: location(inv.range))
            change.before = try vendorCall(inv.range) { try connection.adapter.current(of: change) }
            try submit(change, updating: nil, at: inv.range, fieldRanges: fieldRanges(inv))
            return
        }
        // What the object was before, so the journal can tell what this run made.
        let before: ObjectRef.Object? =
            try ref?.object
            ?? vendorCall(inv.range) { try connection.adapter.object(kind.name, key: key) }.map(
                ObjectRef.Object.settings)
        var change = Change(
            connection: connection.name, kind: .settings, key: key, operation: command.operation,
            fields: fields, before: before, location: location(inv.range), resource: kind.name)
        change.owner = owner
        let outcome = try submit(change, updating: ref, at: inv.range, fieldRanges: fieldRanges(inv))
        showOnce(outcome, of: kind)
    }

    /// What the vendor gives only when it makes the object (a new API token's value):
    /// printed here, once, to the script's output; the field is read-only and secret, so
    /// nothing else shows, keeps or journals it, and a plan (which makes nothing) has none.
    func showOnce(_ outcome: ChangeOutcome, of kind: ResourceKind) {
        guard case .applied(.settings(let s)?) = outcome else { return }
        for f in kind.fields where f.isSecret && f.access == .readOnly {
            if case .secret(let value)? = s.fields[f.name] {
                host.output("\(kind.name) \(s.key) \(f.name): \(value.reveal())\n")
            }
        }
    }
}
