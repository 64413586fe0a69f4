import MXModel

/// The change history of a domain or a mailbox (`get_domain_changes`,
/// `get_user_changes`, every page: OpenSRSRestoreAndHistory.swift) as records a
/// runbook filters: `for c in changes of d where user ~ "*@partner.com" < print c.time c.msg >`.
enum OpenSRSHistory {
    static func field(_ name: String, _ summary: String) -> FieldSpec {
        FieldSpec(name, wire: name, .text, .readOnly, neutral: false, summary)
    }

    static let change = ResourceKind(
        "change", kind: .settings,
        placement: [.collectionOf(owner: .domain, member: "changes"), .collectionOf(owner: .user, member: "changes")],
        listing: "get_domain_changes / get_user_changes, paged, newest first",
        fields: [
            field("time", "when (ISO 8601, UTC)"), field("user", "who made it"),
            field("application", "the client it was made with"), field("msg", "what changed")
        ],
        operations: [])
}

extension OpenSRSHistory {
    /// `restore_domain` / `restore_user`: a deleted one back, as it was.
    static func restore(_ name: String, _ what: String, undo inverse: String) -> ObjectCommand {
        ObjectCommand(
            name, .restore, subject: .key, undo: .by(inverse),
            "bring back a deleted \(what) (already as asked when it is live)")
    }
}

extension OpenSRSAdapter {
    func objects(_ kind: String, of owner: ObjectRef.Object?) throws -> [Settings] {
        let (objectKind, name): (ObjectKind, String)
        switch owner {
        case .domain(let d)? where kind == "change": (objectKind, name) = (.domain, d.name)
        case .user(let u)? where kind == "change": (objectKind, name) = (.user, u.email)
        default:
            throw VendorError(
                vendor: vendor.name, kind: .unsupported, code: "unsupported",
                message: "OpenSRS lists \(kind) objects only of a domain or a user")
        }
        let records = try changes(objectKind, name)
        return records.enumerated().map { i, r in
            Settings(
                kind: "change", key: "\(name.lowercased())#\(records.count - i)", owner: name.lowercased(), fields: r)
        }
    }
}
