/// A mail domain, vendor-neutral. A field is `nil` when the vendor has no such thing:
/// reading it gives `none`. `raw` keeps the vendor's own record, whole.
public struct Domain {
    public var name: String
    public var status: Status
    public var aliases: [String]?
    public var destination: String?
    public var failovers: [String]?
    public var relay: Bool?
    public var allow: [String]?
    public var block: [String]?
    public var language: String?
    public var timezone: String?
    public var description: String?
    public var created: String?
    public var controllers: [String]?
    public var raw: Record

    public init(name: String, status: Status = .enabled, aliases: [String]? = nil, destination: String? = nil,
                failovers: [String]? = nil, relay: Bool? = nil, allow: [String]? = nil, block: [String]? = nil,
                language: String? = nil, timezone: String? = nil, description: String? = nil,
                created: String? = nil, controllers: [String]? = nil, raw: Record = Record()) {
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

    public init(email: String, name: String? = nil, status: Status = .enabled, aliases: [String]? = nil,
                language: String? = nil, domain: String? = nil, raw: Record = Record()) {
        self.email = email
        self.name = name
        self.status = status
        self.aliases = aliases
        self.language = language
        self.domain = domain ?? String(email.split(separator: "@").last ?? "")
        self.raw = raw
    }
}

/// A vendor's settings object with no neutral counterpart (`ad.proxy`, `ad.mailserver`).
public struct Settings {
    public var kind: String
    public var fields: Record
    public init(kind: String, fields: Record) { self.kind = kind; self.fields = fields }
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
        case .settings(let s): return s.kind
        }
    }

    public var displayText: String { "\(kindName) \"\(key)\" at \(connection)" }
}
