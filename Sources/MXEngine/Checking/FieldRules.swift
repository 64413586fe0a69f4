import MXLanguage
import MXModel

/// Why a field cannot be written: what `check` reports for a literal and `run` for any
/// value, from the same declarations (the neutral schema and the vendor's table).
struct FieldWriteError: Error {
    var message: String
    var notes: [String] = []
    /// The value is wrong (point at it), not the field (point at its name).
    var inValue = false
}

enum FieldRules {
    /// The arguments an operation takes besides the object's fields.
    static func operationArguments(_ op: Operation) -> [String: FieldType]? {
        switch op {
        case .addAlias, .removeAlias: return aliasArguments
        case .setCredential: return credentialArguments
        default: return nil
        }
    }
    // Made once: a dictionary literal is built again at every call, and `check` asks for
    // every alias a script adds.
    private static let aliasArguments: [String: FieldType] = ["alias": .domainName]
    private static let credentialArguments: [String: FieldType] = ["user": .text, "password": .secret]

    /// The value `value` becomes when written to `name` of a `kind` object (a settings
    /// object named `settings`) at `vendor` (nil when not known: `check` of a script
    /// whose connection it cannot see), or why it cannot be. `value` nil checks only
    /// that the field may be written.
    static func check(
        _ name: String, _ value: Value?, kind: ObjectKind, settings: String? = nil,
        operation: Operation? = nil, vendor: Vendor?, connection: String? = nil
    ) throws(FieldWriteError) -> Value? {
        // Only an error says it, and `check` asks about every field a script writes.
        var at: String { connection.map { " (connection \($0))" } ?? "" }
        if operation == .call { return value }  // a raw request's body is sent as written
        if let op = operation, op.isNeutral,
            let option = try operationOption(name, op, vendor: vendor, connection: connection)
        {
            return try validate(value, option, name)
        }
        if let op = operation, let args = operationArguments(op) {
            guard let type = args[name] else {
                throw FieldWriteError(
                    message:
                        "\(op.rawValue) takes \(args.keys.sorted().map { "\($0)=" }.joined(separator: " and ")), not "
                        + "\(name)="
                )
            }
            return try validate(value, type, name)
        }
        if let op = operation, !op.isNeutral, let vendor,
            let (resource, command) = vendor.resources.command(op.rawValue)
        {
            let arguments = command.params.map { ($0.name, $0.type) } + command.options.map { ($0.name, $0.type) }
            if let type = arguments.first(where: { $0.0 == name })?.1 { return try validate(value, type, name) }
            guard command.takesFields else {
                let takes = arguments.map { "\($0.0)=" }.joined(separator: " ")
                throw FieldWriteError(
                    message: "\(command.name) takes \(takes.isEmpty ? "no key=value" : takes), not \(name)=")
            }
            return try check(
                name, value, kind: .settings, settings: resource.name, operation: nil, vendor: vendor,
                connection: connection)
        }
        if kind == .settings {
            guard let vendor, let settings else { return value }
            guard let resource = vendor.resource(.settings, settings: settings) else {
                throw FieldWriteError(message: "\(vendor.name) has no settings named \(settings)")
            }
            guard let spec = resource.field(name) else {
                var e = FieldWriteError(message: "\(settings) has no field '\(name)'")
                if let near = bestMatch(for: name, in: resource.fields.map(\.name)) {
                    e.notes.append("did you mean '\(near)'?")
                }
                e.notes.append("\(settings) fields: \(resource.fields.map(\.name).joined(separator: ", "))")
                throw e
            }
            guard spec.isWritable else { throw FieldWriteError(message: "\(settings) field '\(name)' is read-only") }
            return try validate(value, spec.type, name)
        }
        let isNeutral = kind == .domain ? Domain.fieldIndex[name] != nil : User.fieldIndex[name] != nil
        guard isNeutral || vendor?.resource(kind)?.field(name) != nil else {
            let neutralNames = kind == .domain ? Domain.fields.map(\.name) : User.fields.map(\.name)
            let vendorNames = vendor?.resource(kind)?.fields.map(\.name) ?? []
            var e = FieldWriteError(message: "unknown \(kind.rawValue) field '\(name)'")
            if let near = bestMatch(for: name, in: neutralNames + vendorNames) {
                e.notes.append("did you mean '\(near)'?")
            }
            e.notes.append("'help fields' lists them")
            throw e
        }
        if let vendor {
            guard let spec = vendor.field(kind, name) else {
                throw FieldWriteError(
                    message: "\(vendor.name) has no \(kind.rawValue) field '\(name)' to write\(at)",
                    notes: ["nothing is sent; 'help fields \(vendor.name)' shows what it has"])
            }
            guard spec.isWritable else {
                throw FieldWriteError(message: "\(kind.rawValue) field '\(name)' is read-only at \(vendor.name)\(at)")
            }
            return try within(spec, validate(value, spec.type, name), vendor: vendor)
        }
        let neutral =
            kind == .domain
            ? Domain.fields.first { $0.name == name }.map { ($0.set != nil, $0.valueType) }
            : User.fields.first { $0.name == name }.map { ($0.set != nil, $0.valueType) }
        guard let (writable, type) = neutral, writable else {
            throw FieldWriteError(message: "\(kind.rawValue) field '\(name)' is read-only")
        }
        return try validate(value, type, name)
    }

    /// The value, when it is within the vendor's limit on the field's size (`FieldSpec.most`).
    static func within(_ spec: FieldSpec, _ value: Value?, vendor: Vendor) throws(FieldWriteError) -> Value? {
        guard let most = spec.most, let value else { return value }
        let (size, unit): (Int, String) =
            switch value {
            case .list(let items): (items.count, "entries")
            case .string(let s): (s.count, "characters")
            default: (0, "")
            }
        guard size > most else { return value }
        throw FieldWriteError(
            message: "\(spec.name) takes at most \(most) \(unit) at \(vendor.name), not \(size)", inValue: true)
    }

    /// An option a vendor declares for a neutral operation (`ignoreMX` of delete-domain):
    /// its type, or nil when `name` is no operation's option (a field, then). At a vendor
    /// without it, the error says who has it; nothing is sent.
    static func operationOption(_ name: String, _ op: Operation, vendor: Vendor?, connection: String?)
        throws(FieldWriteError) -> FieldType?
    {
        // Most names are fields, no vendor's option: answered without asking each vendor.
        guard optionNames[name] != nil else { return nil }
        let declared = { (v: Vendor) in v.resources.kind(of: op.kind)?.operation(op)?.option(name) }
        if let vendor {
            if let o = declared(vendor) { return o.type }
            let others = VendorRegistry.all.filter { declared($0) != nil }.map(\.name)
            guard !others.isEmpty else { return nil }
            throw FieldWriteError(
                message: "\(vendor.name) takes no \(name)= for \(op.rawValue)"
                    + (connection.map { " (connection \($0))" } ?? ""),
                notes: ["nothing is sent; \(others.joined(separator: ", ")) \(others.count == 1 ? "has" : "have") it"])
        }
        return VendorRegistry.all.lazy.compactMap { declared($0)?.type }.first
    }

    /// Every option any vendor declares for any operation (a `NameIndex`, not a `Set`:
    /// asked of every field a script writes, and SipHash was 330 instructions a name).
    private static let optionNames = NameIndex(
        VendorRegistry.all.flatMap { $0.resources.kinds.flatMap { $0.operations.flatMap { $0.options.map(\.name) } } })

    static func validate(_ value: Value?, _ type: FieldType, _ name: String) throws(FieldWriteError) -> Value? {
        guard let value else { return nil }
        do {
            return try type.validate(value, field: name)
        } catch {
            throw FieldWriteError(message: error.message, notes: error.fix.map { [$0] } ?? [], inValue: true)
        }
    }
}
