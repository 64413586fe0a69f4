/// A vendor's resources, declared once in the vendor's folder (DESIGN.md, "Each
/// vendor's whole API"): the kinds of object it has, where each lives, its fields and
/// its operations. The checker, `help`, completion, plans, the journal and undo read
/// this table; adapters keep only what a table cannot say (transport, ids, quirks).

/// One field of a kind of object at one vendor.
public struct FieldSpec: Sendable {
    public enum Access: String, Sendable {
        case readWrite = "rw", readOnly = "r"
        /// Written, never read back (a credential).
        case writeOnly = "w"
    }
    /// The name scripts use: the neutral name when `neutral`, else the vendor's own.
    public let name: String
    /// Where the vendor keeps it (`is_active`, `attributes.disabled`, `ENABLE_PROXY`).
    public let wire: String
    public let type: FieldType
    public let access: Access
    /// A field of the vendor-neutral model (DESIGN.md's mapping table).
    public let neutral: Bool
    public let summary: String
    /// The vendor's own limit, checked before sending: at most this many items (a list)
    /// or characters (text). OpenSRS: 2,000 aliases, 1,000 allow or block entries.
    public private(set) var most: Int?

    /// The same field with the vendor's limit on its size.
    public func atMost(_ n: Int) -> FieldSpec {
        var f = self
        f.most = n
        return f
    }

    public init(
        _ name: String, wire: String, _ type: FieldType, _ access: Access = .readWrite,
        neutral: Bool = true, _ summary: String = ""
    ) {
        self.name = name
        self.wire = wire
        self.type = type
        self.access = access
        self.neutral = neutral
        self.summary = summary
    }

    public var isWritable: Bool { access != .readOnly }
    public var isSecret: Bool { type == .secret }
}

extension ResourceKind {
    /// A record as the vendor answered it, its choices spelt as the table declares them
    /// (the vendor may answer "business" where its document says "Business"), so a
    /// `where` and a plan compare them as written in scripts.
    public func canonical(_ record: Record) -> Record {
        var r = record
        for f in fields {
            guard case .choice(let allowed) = f.type, case .string(let s)? = r[f.name],
                let spelt = allowed.first(where: { $0.lowercased() == s.lowercased() })
            else { continue }
            r[f.name] = .string(spelt)
        }
        return r
    }
}

/// An operation and what `undo` does about it.
public struct OperationSpec: Sendable {
    public enum Inverse: Sendable, Equatable {
        /// Undone by this operation, from the change's before-state.
        case by(Operation)
        /// Undone by writing the before-state's values of the fields it changed.
        case restoreFields
        /// Cannot be undone; the reason is shown in plans and by `undo`.
        case irreversible(String)
    }
    public let operation: Operation
    public let inverse: Inverse
    /// `key=value` options of the operation that are not fields of the object, sent the
    /// vendor's way (`delete-domain d ignoreMX=true`: a header); never a default.
    public let options: [(name: String, type: FieldType, summary: String)]
    public init(
        _ operation: Operation, undo inverse: Inverse,
        options: [(name: String, type: FieldType, summary: String)] = []
    ) {
        self.operation = operation
        self.inverse = inverse
        self.options = options
    }

    public func option(_ name: String) -> (name: String, type: FieldType, summary: String)? {
        options.first { $0.name == name }
    }
}

/// One kind of object at one vendor.
public struct ResourceKind: Sendable {
    /// Where objects of the kind are reached from.
    public enum Placement: Sendable, Equatable {
        /// `conn.domains`, `conn.users`: a collection of the connection.
        case collection(member: String)
        /// `users of d`: a collection of another object.
        case collectionOf(owner: ObjectKind, member: String)
        /// `ad.proxy`: one object hanging off the connection.
        case single(member: String)
        /// `d.policy`, `d.dkim`: one object hanging off another (a domain, a user).
        case singleOf(owner: ObjectKind, member: String)
        /// `attachments of m`: a collection of one of the vendor's own kinds (by its name).
        case collectionOfKind(owner: String, member: String)
    }
    /// What never changes, in one box: a kind is copied out of its table for every write
    /// a script checks, and a copy of a box is one retain, not one per member.
    private final class Fixed: Sendable {
        let name: String
        let kind: ObjectKind
        let placement: [Placement]
        let listing: String
        let vendorFilters: [String]
        let fields: [FieldSpec]
        /// Positions in `fields` by name: the checker asks for a field at every one a
        /// script writes or reads, and a scan compared the name with each field's in turn.
        let fieldIndex: NameIndex
        let operations: [OperationSpec]
        let requiredToCreate: [String]
        let key: String?
        let commands: [ObjectCommand]
        let tenant: Bool

        init(
            name: String, kind: ObjectKind, placement: [Placement], listing: String, vendorFilters: [String],
            fields: [FieldSpec], operations: [OperationSpec], requiredToCreate: [String], key: String?,
            commands: [ObjectCommand], tenant: Bool
        ) {
            self.name = name
            self.kind = kind
            self.placement = placement
            self.listing = listing
            self.vendorFilters = vendorFilters
            self.fields = fields
            self.fieldIndex = NameIndex(fields.map(\.name))
            self.operations = operations
            self.requiredToCreate = requiredToCreate
            self.key = key
            self.commands = commands
            self.tenant = tenant
        }
    }
    private let fixed: Fixed

    public var name: String { fixed.name }
    public var kind: ObjectKind { fixed.kind }
    public var placement: [Placement] { fixed.placement }
    /// How the vendor lists it: path and paging, as documentation for `help`.
    public var listing: String { fixed.listing }
    /// Fields whose filters the vendor applies itself (a `where` on them is pushed down).
    public var vendorFilters: [String] { fixed.vendorFilters }
    public var fields: [FieldSpec] { fixed.fields }
    public var operations: [OperationSpec] { fixed.operations }
    /// Fields without which the vendor refuses to create one.
    public var requiredToCreate: [String] { fixed.requiredToCreate }
    /// The field that names one object of a vendor's own kind at its connection (a
    /// group's address, a filter's id): its identity in plans, the journal and undo.
    public var key: String? { fixed.key }
    /// Commands on a vendor's own kind (`create-group`, `release`).
    public var commands: [ObjectCommand] { fixed.commands }
    /// Each object is an organisation of its own, reached as a connection with the
    /// same credentials (a partner's customers: `for o in pp.orgs < list o.domains >`).
    public var tenant: Bool { fixed.tenant }
    /// The fields a key written by a script is made of (`FILTER@DOMAIN`): a planned
    /// object has them before the vendor answers.
    public var keyParts: KeyParts?

    public init(
        _ name: String, kind: ObjectKind, placement: [Placement], listing: String = "",
        vendorFilters: [String] = [], fields: [FieldSpec], operations: [OperationSpec],
        requiredToCreate: [String] = [], key: String? = nil, commands: [ObjectCommand] = [], tenant: Bool = false
    ) {
        fixed = Fixed(
            name: name, kind: kind, placement: placement, listing: listing, vendorFilters: vendorFilters,
            fields: fields, operations: operations, requiredToCreate: requiredToCreate, key: key, commands: commands,
            tenant: tenant)
    }

    /// The kind, its keys made of `parts`.
    public func keyed(by parts: KeyParts) -> ResourceKind {
        var k = self
        k.keyParts = parts
        return k
    }

    // A field by `fieldIndex`; operations and commands (a few) by a scan by index:
    // `first { }` copies out each element it looks at (a retain of each string it holds).
    public func field(_ name: String) -> FieldSpec? {
        fixed.fieldIndex[name].map { fixed.fields[$0] }
    }
    public func operation(_ op: Operation) -> OperationSpec? {
        let operations = fixed.operations
        for i in operations.indices where operations[i].operation == op { return operations[i] }
        return nil
    }
    public func command(_ name: String) -> ObjectCommand? {
        let commands = fixed.commands
        for i in commands.indices where commands[i].name == name { return commands[i] }
        return nil
    }

    /// `conn.proxy` for a single object hanging off the connection.
    public var singleMember: String? {
        for case .single(let m) in placement { return m }
        return nil
    }

    /// `d.policy`: the member naming it on an object of `owner`'s kind.
    public func singleMember(of owner: ObjectKind) -> String? {
        for case .singleOf(let o, let m) in placement where o == owner { return m }
        return nil
    }

    /// `cm.groups`: the member naming the collection on the connection.
    public var collectionMember: String? {
        for case .collection(let m) in placement { return m }
        return nil
    }

    /// `attachments of m`: the member naming the collection of a vendor object of kind `owner`.
    public func collectionMember(ofKind owner: String) -> String? {
        for case .collectionOfKind(let o, let m) in placement where o == owner { return m }
        return nil
    }

    /// `groups of d`: the member naming the collection of an object of `owner`'s kind.
    public func collectionMember(of owner: ObjectKind) -> String? {
        for case .collectionOf(let o, let m) in placement where o == owner { return m }
        return nil
    }
}

/// How a key names two fields: `\\.iso$@stark.net` is filter `\\.iso$` of domain `stark.net`.
/// A class, not a struct: a kind holding one is copied often, and a copy of a class is
/// one retain, not one for each string inside.
public final class KeyParts: Sendable {
    public let separator: Character
    public let fields: (String, String)
    /// Split at the separator's last occurrence (`@`, after a filter that may hold one),
    /// else at its first (`LOGIN/NAME`, a login holds no `/`).
    public let atLast: Bool
    public init(_ separator: Character, _ first: String, _ second: String, atLast: Bool) {
        self.separator = separator
        self.fields = (first, second)
        self.atLast = atLast
    }

    /// The two fields' values, or nil when the key lacks the separator or a part.
    public func split(_ key: String) -> [(String, String)]? {
        guard let i = atLast ? key.lastIndex(of: separator) : key.firstIndex(of: separator) else { return nil }
        let a = String(key[..<i]), b = String(key[key.index(after: i)...])
        guard !a.isEmpty, !b.isEmpty else { return nil }
        return [(fields.0, a), (fields.1, b)]
    }
}

/// Everything one vendor has, by kind.
public struct ResourceTable: Sendable {
    public let kinds: [ResourceKind]
    public init(_ kinds: [ResourceKind]) { self.kinds = kinds }

    public func kind(_ name: String) -> ResourceKind? {
        for i in kinds.indices where kinds[i].name == name { return kinds[i] }
        return nil
    }
    /// The first kind of an object kind (`domain`, `user`); settings are found by name.
    public func kind(of k: ObjectKind) -> ResourceKind? {
        for i in kinds.indices where kinds[i].kind == k { return kinds[i] }
        return nil
    }
    public var singles: [ResourceKind] { kinds.filter { $0.singleMember != nil } }
    public var operations: Set<Operation> {
        Set(kinds.flatMap { $0.operations.map(\.operation) + $0.commands.map(\.operation) })
    }

    /// The kind an operation acts on (each operation belongs to one kind).
    public func owner(of op: Operation) -> ResourceKind? {
        kinds.first { $0.operation(op) != nil || $0.command(op.rawValue) != nil }
    }

    /// A command on a vendor's own kind, with the kind it belongs to.
    public func command(_ name: String) -> (kind: ResourceKind, command: ObjectCommand)? {
        for k in kinds { if let c = k.command(name) { return (k, c) } }
        return nil
    }

    /// A vendor's own kind by the member that reaches it: `cm.groups` (owner nil),
    /// `groups of d`, `d.policy` (owner `.domain`).
    /// `attachments of m`: the kind a member of a vendor object of kind `owner` lists.
    public func kind(member: String, ofKind owner: String) -> ResourceKind? {
        kinds.first { $0.collectionMember(ofKind: owner) == member }
    }

    public func kind(member: String, of owner: ObjectKind?) -> (kind: ResourceKind, single: Bool)? {
        // By index: the checker asks this for every field a script reads.
        for i in kinds.indices where kinds[i].kind == .settings {
            if let owner {
                if kinds[i].singleMember(of: owner) == member { return (kinds[i], true) }
                if kinds[i].collectionMember(of: owner) == member { return (kinds[i], false) }
            } else {
                if kinds[i].singleMember == member { return (kinds[i], true) }
                if kinds[i].collectionMember == member { return (kinds[i], false) }
            }
        }
        return nil
    }
}

/// Neutral fields as a vendor keeps them: the field's declaration from `Domain.fields`
/// or `User.fields` with the vendor's wire name, type and access.
public func neutral(
    _ name: String, wire: String, _ type: FieldType, _ access: FieldSpec.Access = .readWrite,
    _ summary: String = ""
) -> FieldSpec {
    FieldSpec(name, wire: wire, type, access, neutral: true, summary)
}

extension FieldSpec {
    /// The wire name as a path into the vendor's record (`attributes.spamlevel`).
    public var wirePath: [String] { wire.split(separator: ".").map(String.init) }
}

extension Record {
    /// The value at a path of nested records (`attributes.spamlevel`); nil when absent.
    public func value(atPath path: [String]) -> Value? {
        guard let first = path.first, let v = self[first] else { return nil }
        if path.count == 1 { return v }
        guard case .record(let inner) = v else { return nil }
        return inner.value(atPath: Array(path.dropFirst()))
    }

    /// Sets the value at a path, making the records on the way.
    public mutating func set(_ value: Value, atPath path: [String]) {
        guard let first = path.first else { return }
        if path.count == 1 { self[first] = value; return }
        var inner: Record
        if case .record(let r)? = self[first] { inner = r } else { inner = Record() }
        inner.set(value, atPath: Array(path.dropFirst()))
        self[first] = .record(inner)
    }

    /// Takes away the value at a path (it becomes unknown: absent, not none).
    public mutating func removeValue(atPath path: [String]) {
        guard let first = path.first else { return }
        if path.count == 1 { self[first] = nil; return }
        guard case .record(var inner)? = self[first] else { return }
        inner.removeValue(atPath: Array(path.dropFirst()))
        self[first] = .record(inner)
    }
}
