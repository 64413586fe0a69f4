/// The neutral fields of each kind: name, type, meaning, and how to read and write
/// them. The checker, `help`, `show`, tables and adapters all read this one list.
public struct Field<Object>: Sendable {
    public enum ValueType: String, Sendable { case string, status, stringList, bool }
    public let name: String
    public let type: ValueType
    public let summary: String
    public let get: @Sendable (Object) -> Value
    public let set: (@Sendable (inout Object, Value) throws(FieldError) -> Void)?

    /// The type a value must have to be written, for the memory vendor's table (each
    /// other vendor's table gives its own).
    public var valueType: FieldType {
        switch (type, name, Object.self == Domain.self) {
        case (_, "aliases", true): return .domainNameList
        case (_, "destination", _): return .destination
        case (_, "failovers", _): return .destinationList
        case (.string, _, _): return .text
        case (.status, _, _): return .status(writable: [.enabled, .disabled])
        case (.stringList, _, _): return .textList
        case (.bool, _, _): return .bool
        }
    }

    /// Aliases and sender lists are sets of names: vendors keep them in their own
    /// order and case, so "the same" ignores both (a re-run must find nothing to do).
    public var isSetOfNames: Bool { name == "aliases" || name == "allow" || name == "block" }

    /// Whether two objects hold the same value of this field.
    public func same(_ a: Object, _ b: Object) -> Bool { same(get(a), get(b)) }

    public func same(_ x: Value, _ y: Value) -> Bool {
        guard isSetOfNames, case .list(let l) = x, case .list(let r) = y else { return x.equals(y) }
        func names(_ items: [Value]) -> Set<String> { Set(items.map { $0.text.lowercased() }) }
        return names(l) == names(r)
    }
}

/// A value of the wrong type for a field; the engine adds the location.
public struct FieldError: Error, Sendable {
    public let message: String
    /// How to write it so it is accepted, when there is a simple answer.
    public let fix: String?
    public init(_ message: String, fix: String? = nil) {
        self.message = message
        self.fix = fix
    }
}

@usableFromInline func optional<T>(_ v: T?, _ wrap: (T) -> Value) -> Value { v.map(wrap) ?? .none }
@usableFromInline func stringList(_ l: [String]) -> Value { .list(l.map { .string($0) }) }

func toString(_ field: String, _ v: Value) throws(FieldError) -> String? {
    switch v {
    case .string(let s): return s
    case .enumCase(let s): return s
    case .number(let n): return formatNumber(n)
    case .none: return nil
    default: throw FieldError("\(field) takes a string, not \(v.aTypeName)")
    }
}

func toList(_ field: String, _ v: Value) throws(FieldError) -> [String]? {
    switch v {
    case .list(let items):
        var out: [String] = []
        for item in items {
            guard case .string(let s) = item else {
                throw FieldError("\(field) takes a list of strings, found \(item.aTypeName) in it")
            }
            out.append(s)
        }
        return out
    case .string(let s): return [s]
    case .none: return nil
    default: throw FieldError("\(field) takes a list of strings, like [\"a\", \"b\"], not \(v.aTypeName)")
    }
}

func toBool(_ field: String, _ v: Value) throws(FieldError) -> Bool? {
    switch v {
    case .bool(let b): return b
    case .none: return nil
    default: throw FieldError("\(field) takes true or false, not \(v.aTypeName)")
    }
}

func toStatus(_ field: String, _ v: Value) throws(FieldError) -> Status {
    let text: String
    switch v {
    case .enumCase(let s), .string(let s): text = s.uppercased()
    default:
        throw FieldError(
            "\(field) takes one of \(Status.allCases.map(\.rawValue).joined(separator: ", ")), not \(v.aTypeName)")
    }
    guard let s = Status(rawValue: text) else {
        throw FieldError(
            "\(field) takes one of \(Status.allCases.map(\.rawValue).joined(separator: ", ")), not \(text)")
    }
    return s
}

extension Domain {
    public static let fields: [Field<Domain>] = [
        Field(name: "name", type: .string, summary: "the domain name", get: { .string($0.name) }, set: nil),
        Field(
            name: "status", type: .status, summary: "ENABLED, DISABLED, PENDING or DELETED",
            get: { .enumCase($0.status.rawValue) },
            set: { d, v throws(FieldError) in d.status = try toStatus("status", v) }),
        Field(
            name: "aliases", type: .stringList, summary: "other names of the domain",
            get: { optional($0.aliases, stringList) },
            set: { d, v throws(FieldError) in d.aliases = try toList("aliases", v) }),
        Field(
            name: "destination", type: .string, summary: "where mail is delivered (host or IP)",
            get: { optional($0.destination, Value.string) },
            set: { d, v throws(FieldError) in d.destination = try toString("destination", v) }),
        Field(
            name: "failovers", type: .stringList, summary: "fallback delivery hosts",
            get: { optional($0.failovers, stringList) },
            set: { d, v throws(FieldError) in d.failovers = try toList("failovers", v) }),
        Field(
            name: "relay", type: .bool, summary: "outbound relaying allowed",
            get: { optional($0.relay, Value.bool) },
            set: { d, v throws(FieldError) in d.relay = try toBool("relay", v) }),
        Field(
            name: "allow", type: .stringList, summary: "senders always allowed",
            get: { optional($0.allow, stringList) },
            set: { d, v throws(FieldError) in d.allow = try toList("allow", v) }),
        Field(
            name: "block", type: .stringList, summary: "senders always blocked",
            get: { optional($0.block, stringList) },
            set: { d, v throws(FieldError) in d.block = try toList("block", v) }),
        Field(
            name: "language", type: .string, summary: "default language",
            get: { optional($0.language, Value.string) },
            set: { d, v throws(FieldError) in d.language = try toString("language", v) }),
        Field(
            name: "timezone", type: .string, summary: "time zone",
            get: { optional($0.timezone, Value.string) },
            set: { d, v throws(FieldError) in d.timezone = try toString("timezone", v) }),
        Field(
            name: "description", type: .string, summary: "free-text notes",
            get: { optional($0.description, Value.string) },
            set: { d, v throws(FieldError) in d.description = try toString("description", v) }),
        Field(
            name: "created", type: .string, summary: "when the vendor created it (read-only)",
            get: { optional($0.created, Value.string) }, set: nil),
        Field(
            name: "controllers", type: .stringList, summary: "domain controllers (AD360, read-only)",
            get: { optional($0.controllers, stringList) }, set: nil)
    ]
}

extension User {
    public static let fields: [Field<User>] = [
        Field(name: "email", type: .string, summary: "the mailbox address", get: { .string($0.email) }, set: nil),
        Field(
            name: "name", type: .string, summary: "the person's display name",
            get: { optional($0.name, Value.string) },
            set: { u, v throws(FieldError) in u.name = try toString("name", v) }),
        Field(
            name: "status", type: .status, summary: "ENABLED or DISABLED",
            get: { .enumCase($0.status.rawValue) },
            set: { u, v throws(FieldError) in u.status = try toStatus("status", v) }),
        Field(
            name: "aliases", type: .stringList, summary: "other addresses of the mailbox",
            get: { optional($0.aliases, stringList) },
            set: { u, v throws(FieldError) in u.aliases = try toList("aliases", v) }),
        Field(
            name: "language", type: .string, summary: "preferred language",
            get: { optional($0.language, Value.string) },
            set: { u, v throws(FieldError) in u.language = try toString("language", v) }),
        Field(
            name: "domain", type: .string, summary: "the domain of the mailbox", get: { .string($0.domain) }, set: nil)
    ]
}

/// Names of every readable field of a kind, `raw` included, for checks and completion.
public func fieldNames(of kind: ObjectKind) -> [String] {
    switch kind {
    case .domain: return Domain.fields.map(\.name) + ["raw"]
    case .user: return User.fields.map(\.name) + ["raw"]
    case .settings: return ["raw"]
    }
}

extension ObjectRef {
    /// A field by name, `raw` included; `nil` when the kind has no such field.
    public func field(_ name: String) -> Value? {
        switch object {
        case .domain(let d): return d.field(name)
        case .user(let u):
            if name == "raw" { return .record(u.raw) }
            return User.fieldIndex[name].map { User.fields[$0].get(u) }
        case .settings(let s):
            if name == "raw" { return .record(s.fields) }
            return s.fields[name]
        }
    }
}

extension Domain {
    /// A field by name. A switch, not the schema's dictionary: `where` predicates call
    /// this for every item, and comparing short names beats hashing them.
    @inlinable
    public func field(_ name: String) -> Value? {
        switch name {
        case "name": return .string(self.name)
        case "status": return .enumCase(status.rawValue)
        case "aliases": return optional(aliases, stringList)
        case "destination": return optional(destination, Value.string)
        case "failovers": return optional(failovers, stringList)
        case "relay": return optional(relay, Value.bool)
        case "allow": return optional(allow, stringList)
        case "block": return optional(block, stringList)
        case "language": return optional(language, Value.string)
        case "timezone": return optional(timezone, Value.string)
        case "description": return optional(description, Value.string)
        case "created": return optional(created, Value.string)
        case "controllers": return optional(controllers, stringList)
        case "raw": return .record(raw)
        default: return nil
        }
    }
}

extension Domain {
    public static let fieldIndex = NameIndex(fields.map(\.name))
}
extension User {
    public static let fieldIndex = NameIndex(fields.map(\.name))
}
