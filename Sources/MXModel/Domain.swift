/// A mail domain, vendor-neutral. A field is `nil` when the vendor has no such thing:
/// reading it gives `none`. `raw` keeps the vendor's own record, whole.
///
/// A value type with copy-on-write storage: a million of them are streamed through
/// `where` predicates, and copying one must cost a retain, not fourteen.
public struct Domain {
    @usableFromInline final class Storage {
        @usableFromInline var name: String
        @usableFromInline var status: Status
        @usableFromInline var aliases: [String]?
        @usableFromInline var destination: String?
        @usableFromInline var failovers: [String]?
        @usableFromInline var relay: Bool?
        @usableFromInline var allow: [String]?
        @usableFromInline var block: [String]?
        @usableFromInline var language: String?
        @usableFromInline var timezone: String?
        @usableFromInline var description: String?
        @usableFromInline var created: String?
        @usableFromInline var controllers: [String]?
        @usableFromInline var raw: Record

        init(
            name: String, status: Status, aliases: [String]?, destination: String?, failovers: [String]?, relay: Bool?,
            allow: [String]?, block: [String]?, language: String?, timezone: String?, description: String?,
            created: String?, controllers: [String]?, raw: Record
        ) {
            self.name = name
            self.status = status
            self.aliases = aliases
            self.destination = destination
            self.failovers = failovers
            self.relay = relay
            self.allow = allow
            self.block = block
            self.language = language
            self.timezone = timezone
            self.description = description
            self.created = created
            self.controllers = controllers
            self.raw = raw
        }

        func copy() -> Storage {
            Storage(
                name: name, status: status, aliases: aliases, destination: destination, failovers: failovers,
                relay: relay, allow: allow, block: block, language: language, timezone: timezone,
                description: description, created: created, controllers: controllers, raw: raw)
        }
    }

    @usableFromInline var storage: Storage

    public init(
        name: String, status: Status = .enabled, aliases: [String]? = nil, destination: String? = nil,
        failovers: [String]? = nil, relay: Bool? = nil, allow: [String]? = nil, block: [String]? = nil,
        language: String? = nil, timezone: String? = nil, description: String? = nil,
        created: String? = nil, controllers: [String]? = nil, raw: Record = Record()
    ) {
        storage = Storage(
            name: name, status: status, aliases: aliases, destination: destination, failovers: failovers, relay: relay,
            allow: allow, block: block, language: language, timezone: timezone, description: description,
            created: created, controllers: controllers, raw: raw)
    }

    @inline(__always) private mutating func unique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    public var name: String {
        @inlinable get { storage.name }
        set { unique(); storage.name = newValue }
    }
    public var status: Status {
        @inlinable get { storage.status }
        set { unique(); storage.status = newValue }
    }
    public var aliases: [String]? {
        @inlinable get { storage.aliases }
        set { unique(); storage.aliases = newValue }
    }
    public var destination: String? {
        @inlinable get { storage.destination }
        set { unique(); storage.destination = newValue }
    }
    public var failovers: [String]? {
        @inlinable get { storage.failovers }
        set { unique(); storage.failovers = newValue }
    }
    public var relay: Bool? {
        @inlinable get { storage.relay }
        set { unique(); storage.relay = newValue }
    }
    public var allow: [String]? {
        @inlinable get { storage.allow }
        set { unique(); storage.allow = newValue }
    }
    public var block: [String]? {
        @inlinable get { storage.block }
        set { unique(); storage.block = newValue }
    }
    public var language: String? {
        @inlinable get { storage.language }
        set { unique(); storage.language = newValue }
    }
    public var timezone: String? {
        @inlinable get { storage.timezone }
        set { unique(); storage.timezone = newValue }
    }
    public var description: String? {
        @inlinable get { storage.description }
        set { unique(); storage.description = newValue }
    }
    public var created: String? {
        @inlinable get { storage.created }
        set { unique(); storage.created = newValue }
    }
    public var controllers: [String]? {
        @inlinable get { storage.controllers }
        set { unique(); storage.controllers = newValue }
    }
    public var raw: Record {
        @inlinable get { storage.raw }
        set { unique(); storage.raw = newValue }
    }
}

/// The neutral status of a domain or a user.
public enum Status: String, CaseIterable, Sendable {
    case enabled = "ENABLED", disabled = "DISABLED", pending = "PENDING", deleted = "DELETED"
}

/// A mailbox.
public struct User {
    public var email: String
    public var name: String?
    public var status: Status
    public var aliases: [String]?
    public var language: String?
    public var domain: String
    public var raw: Record

    public init(
        email: String, name: String? = nil, status: Status = .enabled, aliases: [String]? = nil,
        language: String? = nil, domain: String? = nil, raw: Record = Record()
    ) {
        self.email = email
        self.name = name
        self.status = status
        self.aliases = aliases
        self.language = language
        self.domain = domain ?? String(email.split(separator: "@").last ?? "")
        self.raw = raw
    }
}

/// An object of a vendor's own kind, with no neutral counterpart: a settings object
/// hanging off the connection (`ad.proxy`) or off a domain (`d.policy`), or one of a
/// collection (`cm.groups`, `quarantine of u`). Its kind is the vendor table's name.
public struct Settings {
    public var kind: String
    /// Its identity at the connection: the kind's name for one hanging off the
    /// connection, the owner's key for one hanging off an object, else the kind's key field.
    public var key: String
    /// The key of the object it hangs off or belongs to (a domain's name), if any.
    public var owner: String?
    public var fields: Record
    public init(kind: String, key: String? = nil, owner: String? = nil, fields: Record) {
        self.kind = kind
        self.key = key ?? kind
        self.owner = owner
        self.fields = fields
    }
}

/// The kinds of object the model knows.
public enum ObjectKind: String, CaseIterable, Sendable {
    case domain, user, settings
}

/// One object at one connection. Shared by reference so that after `set d ...` every
/// variable holding `d` sees the vendor's new state.
public final class ObjectRef {
    public enum Object {
        case domain(Domain)
        case user(User)
        case settings(Settings)
    }
    public let connection: String
    public var object: Object
    /// Known (weakly) to an identity map, so never lent to another object (see
    /// `ObjectCollection.forEach`).
    public var isRegistered = false

    public init(connection: String, object: Object) {
        self.connection = connection
        self.object = object
    }

    public var kind: ObjectKind {
        switch object {
        case .domain: return .domain
        case .user: return .user
        case .settings: return .settings
        }
    }

    public var kindName: String {
        switch object {
        case .domain: return "domain"
        case .user: return "user"
        case .settings(let s): return s.kind
        }
    }

    /// The object's identity at its vendor: a domain's name, a user's email.
    public var key: String {
        switch object {
        case .domain(let d): return d.name
        case .user(let u): return u.email
        case .settings(let s): return s.key
        }
    }

    public var displayText: String { "\(kindName) \"\(key)\" at \(connection)" }
}
