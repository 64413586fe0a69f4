import MXLanguage
import MXModel

/// Where in a script something happened, kept as text so it outlives the source.
public struct ScriptLocation: Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    /// The CSV row being looped over when the change was made, if any.
    public var row: RowOrigin?
    public var description: String {
        (line == 0 ? file : "\(file):\(line):\(column)") + (row.map { " (\($0))" } ?? "")
    }

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    init(_ source: Source, _ range: SourceRange) {
        let (l, c) = source.lineColumn(of: range.start)
        self.init(file: source.name, line: l, column: c)
    }
}

/// One mutation of one object, produced by a mutating command and handed to whatever
/// the mode sends it to (the adapter now; a plan overlay or the journal later).
public struct Change {
    public var connection: String
    public var kind: ObjectKind
    /// The object's identity at its vendor (a domain name, a user's email).
    public var key: String
    public var operation: Operation
    /// The fields the change sets; for aliases, the alias under `alias`.
    public var fields: Record
    /// The object as it was before, when it existed.
    public var before: ObjectRef.Object?
    public var location: ScriptLocation
    /// The vendor's own kind of object (`group`, `policy`) when `kind` is `.settings`
    /// and the key is not the kind's name (a group's address, a policy's domain).
    public var resource: String? = nil
    /// The key of the object a vendor's own object belongs to (a domain's name for its
    /// DKIM key or a filter), when the command names it.
    public var owner: String? = nil

    /// What the journal and plans call the kind: `domain`, `user`, `settings`, or the
    /// vendor's own kind (`group`).
    public var kindName: String { resource ?? kind.rawValue }

    /// The kind and key from their journaled or planned form (`kindName`).
    public static func kind(named name: String) -> (kind: ObjectKind, resource: String?) {
        if let k = ObjectKind(rawValue: name) { return (k, nil) }
        return (.settings, name)
    }

    /// `+ domain "new.com" at m (create-domain)` for logs and the REPL; a credential
    /// as `password=set (****)`.
    public var summary: String {
        let detail = fields.pairs.map { (k: String, v: Value) -> String in
            if case .secret = v { return "\(k)=\(Change.credentialMark)" }
            return "\(k)=\(v.literal)"
        }.joined(separator: " ")
        return "\(sign) \(kindName) \(Change.shown(key, kind)) at \(connection): \(operation.rawValue)"
            + (detail.isEmpty ? "" : " " + detail)
    }

    /// How a credential a change sets is shown everywhere (plans, the shell's echo, the
    /// journal, `runs show`): that it is set, never its value.
    public static let credentialMark = "set (****)"

    /// A plan's line for a credential field.
    static func setCredential(_ name: String) -> String { "\(name): \(credentialMark)" }

    /// The fields that hold a credential in `changes` (a secret by the field's type,
    /// whatever the value came from), in order, once each.
    static func credentialFields(_ changes: [Change]) -> [String] {
        var names: [String] = []
        for c in changes {
            for (k, v) in c.fields.pairs where !names.contains(k) {
                if case .secret = v { names.append(k) }
            }
        }
        return names
    }

    /// `+`, `-`, `~`, or `!` for an action that cannot be previewed or taken back.
    public var sign: String { objectCommand?.sign ?? operation.sign }

    /// The vendor's answer gives what it gives only then (a new API token's value), so
    /// the change is sent at once rather than queued: the script shows that answer.
    public var answerNeeded: Bool {
        // Where the object went is the vendor's answer, and the script's variables follow it.
        if objectCommand?.movesObject == true { return true }
        guard let resource, objectCommand?.effect == .create else { return false }
        return VendorRegistry.all.contains { v in
            v.resources.kind(resource)?.fields.contains { $0.isSecret && $0.access == .readOnly } == true
        }
    }

    /// The declaration of a vendor's own command this change comes from (`release`).
    public var objectCommand: ObjectCommand? {
        guard !operation.isNeutral else { return nil }
        guard let resource else {
            // A vendor's command on a neutral kind (send-welcome-mail u, restore-domain).
            guard kind != .settings else { return nil }
            return VendorRegistry.all.lazy.compactMap {
                $0.resources.kind(of: self.kind)?.command(self.operation.rawValue)
            }
            .first
        }
        return VendorRegistry.all.lazy.compactMap { $0.resources.kind(resource)?.command(self.operation.rawValue) }
            .first
    }

    /// A key as messages show it: an internationalised domain name in both its forms
    /// (`"xn--bcher-kva.de" (bücher.de)`), so what is sent and what was meant are both seen.
    static func shown(_ key: String, _ kind: ObjectKind) -> String {
        let unicode = kind == .domain ? DomainName.unicode(key) : key
        return unicode == key ? "\"\(key)\"" : "\"\(key)\" (\(unicode))"
    }
}

/// What became of a change.
public enum ChangeOutcome {
    /// Done; the object's state after it (nil once deleted).
    case applied(ObjectRef.Object?)
    /// Nothing to do: the object already was as asked (idempotent re-runs).
    case unchanged(ObjectRef.Object?)

    public var after: ObjectRef.Object? {
        switch self {
        case .applied(let o), .unchanged(let o): return o
        }
    }
}

/// Where changes go. Apply mode sends them to the connection's adapter.
public protocol ChangeSink: AnyObject {
    func submit(_ change: Change, to connection: Connection) throws -> ChangeOutcome
    /// The adapter a new connection uses: the vendor's own, or (plan mode) an overlay.
    func adapter(for base: any Adapter) -> any Adapter
}

extension ChangeSink {
    public func adapter(for base: any Adapter) -> any Adapter { base }
}

/// Sends each change to its connection's adapter at once and counts the outcomes.
public final class ApplySink: ChangeSink {
    public private(set) var applied = 0
    public private(set) var unchanged = 0
    public init() {}

    public func submit(_ change: Change, to connection: Connection) throws -> ChangeOutcome {
        let outcome = try connection.adapter.apply(change)
        switch outcome {
        case .applied: applied += 1
        case .unchanged: unchanged += 1
        }
        return outcome
    }
}
