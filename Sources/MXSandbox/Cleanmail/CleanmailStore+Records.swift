import MXJSON

/// The records of the rest of section 5, kept generically: admins and their tokens,
/// attachment and URI filters, email aliases (groups), quarantined and archived
/// messages, uploaded files and the outbox (welcome and token mails, sent messages),
/// each `[id: JSONObject]` in the shape the API answers, with the owner's id inside
/// (`domainId`, `userId`, `adminId`). Lists are small, so relations are found by
/// scanning, not indexed.
///
/// What has no id of its own lives in `keyed`, by `kind/owner`: a domain's DKIM key
/// (`dkim/7`), option values (`options/domain:7`, `options/user:12`), the last health
/// report (`health/domain:7`, `health/platform:3`), the sandbox's DNS facts about a
/// domain (`dns/7`), end users' permissions (`access/7`), a signature (`sign/12`).
extension CleanmailStore.Kind {
    /// The kinds kept in `records` (saved as `admins`, `tokens`, ... in the state).
    static let extra: [Self] = [
        .admin, .token, .attachmentFilter, .uriFilter, .group, .recipient, .message, .upload, .mail
    ]
}

extension CleanmailStore {
    func all(_ kind: Kind) -> [Int: JSONObject] { records[kind] ?? [:] }

    func record(_ kind: Kind, _ id: Int) -> JSONObject? { records[kind]?[id] }

    /// A new record: its id is the next of its kind, written into it as `id` first.
    @discardableResult
    mutating func insert(_ kind: Kind, _ members: [(String, JSON)]) -> Int {
        let n = next(kind)
        records[kind, default: [:]][n] = JSONObject([("id", .string(CleanmailID.encode(n)))] + members)
        return n
    }

    mutating func update(_ kind: Kind, _ id: Int, _ change: (inout JSONObject) -> Void) {
        guard var o = records[kind]?[id] else { return }
        change(&o)
        records[kind]![id] = o
    }

    mutating func remove(_ kind: Kind, _ id: Int) { records[kind]?[id] = nil }

    /// Ids of a kind whose `member` holds this public id, in id order.
    func ids(_ kind: Kind, where member: String, is owner: Int) -> [Int] {
        let text = JSON.string(CleanmailID.encode(owner))
        return all(kind).filter { $0.value[member] == text }.keys.sorted()
    }

    // MARK: keyed

    static func key(_ kind: String, _ owner: Owner) -> String { "\(kind)/\(owner.key)" }

    /// When a mailbox goes: its options, signature, messages, and its places in email aliases.
    mutating func forgetMailbox(_ u: Int, email: String) {
        keyed[Self.key("options", .user(u))] = nil
        keyed["sign/\(u)"] = nil
        for m in ids(.message, where: "userId", is: u) { remove(.message, m) }
        let uid = JSON.string(CleanmailID.encode(u))
        for (g, group) in all(.group) {
            let kept = (group["recipients"]?.array ?? []).filter { $0["type"] != "USER" || $0["id"] != uid }
            if kept.count != group["recipients"]?.array?.count { records[.group]![g]!["recipients"] = .array(kept) }
        }
    }

    /// The sandbox's own account, the owner of its tokens (ASSUMED: a sysadmin named
    /// `sandbox-admin`, id 1). Present in every store.
    mutating func ensureOwnAdmin() {
        guard all(.admin).isEmpty else { return }
        insert(
            .admin,
            [
                ("login", "sandbox-admin"), ("displayName", "Sandbox Administrator"),
                ("email", "admin@sandbox.cleanmail.test"),
                ("enabled", true), ("language", "EN"), ("totp", false), ("sysAdmin", true), ("authorities", []),
                ("lastConnectionDate", .int(CleanmailSimulation.epoch)), ("createdAt", .int(CleanmailSimulation.epoch))
            ])
    }
}
