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
    let params: [CommandSignature.Param] = [.value(subject)] + command.params.map { .value($0.name) }
    let named: CommandSignature.Named = command.takesFields || command.subject == .key
        ? .fields : .keys(command.options.map(\.name))
    var details = "At " + vendors.joined(separator: ", ") + "."
    for o in command.options { details += " \(o.name)=: \(o.summary)." }
    if let why = command.irreversibleReason { details += " It cannot be undone: \(why)." }
    return CommandDeclaration(
        command.name, group: .vendorObjects, .init(params, named: named), summary: command.summary, details: details,
        mutates: true, operation: command.operation
    ) { interp, inv in try interp.runObjectCommand(inv) }
}

extension Interpreter {
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
            let others = VendorRegistry.all.filter { $0.resources.command(inv.name) != nil }.map(\.name)
            throw RuntimeError("\(connection.vendor) has no '\(inv.name)' (connection \(connection.name))", at: inv.nameRange,
                               notes: [.init("nothing is sent; \(others.joined(separator: ", ")) \(others.count == 1 ? "has" : "have") it")])
        }
        let key: String
        var owner: String?
        switch command.subject {
        case .key:
            key = try string(first, what: "the \(kind.key ?? "name")")
            owner = key.split(separator: "@").last.map(String.init)
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
                throw RuntimeError("'\(inv.name)' needs a \(ownerKind.rawValue), not \(subjectValue.typeName)", at: first.range)
            }
            key = r.key
            owner = r.key
            ref = nil
        }
        var fields = try namedFields(inv, except: ["at"])
        for (param, arg) in zip(command.params, inv.args.dropFirst()) { fields[param.name] = try value(arg) }
        // What the object was before, so the journal can tell what this run made.
        let before: ObjectRef.Object? = try ref?.object
            ?? vendorCall(inv.range) { try connection.adapter.object(kind.name, key: key) }.map(ObjectRef.Object.settings)
        var change = Change(connection: connection.name, kind: .settings, key: key, operation: command.operation,
                            fields: fields, before: before, location: location(inv.range), resource: kind.name)
        change.owner = owner
        try submit(change, updating: ref, at: inv.range, fieldRanges: fieldRanges(inv))
    }
}
