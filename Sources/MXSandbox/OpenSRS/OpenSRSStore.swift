import MXJSON

/// OpenSRS's records, no HTTP: domains and users by lower-case name, each with its
/// attributes, creation time and soft-deleted flag, in creation order; and which
/// domain each domain alias belongs to, so a name is one domain's or one alias's only.
struct OpenSRSStore {
    struct Entry {
        var attributes: JSONObject
        var createtime: Int
        var deleted = false
    }

    var domains: [String: Entry] = [:]
    var domainOrder: [String] = []
    var users: [String: Entry] = [:]
    var userOrder: [String] = []
    /// Creation times: seconds, from a fixed date, one per object, so seeds reproduce.
    var clock = 1_321_901_972
    /// Alias name -> the domain listing it. A soft-deleted domain keeps its aliases
    /// taken (ASSUMED: it can be restored, with them).
    var aliasOwners: [String: String] = [:]

    /// What each change method did, oldest first (`get_domain_changes`,
    /// `get_user_changes`).
    var history: [HistoryRecord] = []
    /// Session tokens from `authenticate`: token -> (user, expiry in epoch seconds).
    var tokens: [String: (user: String, expires: Int)] = [:]
    var tokenCount = 0

    /// One change of one domain or user: when, by whom (the credentials' user and
    /// client), by which method, and each attribute's value before and after. Answered
    /// in the real API's shape (`json`); the rest stays inside the sandbox.
    struct HistoryRecord {
        var kind: String  // "domain" or "user"
        var object: String
        var time: Int
        var by: String
        var client: String?
        var method: String
        var action: String  // "create", "change", "delete", "restore"
        var attributes: JSONObject

        /// ASSUMED (NOTES.md names the methods only): the real API's change record,
        /// `{"application", "msg", "time", "user"}`: the client that made the change
        /// (the credentials' `client`, "OMA" when none was named), a sentence saying
        /// what changed, epoch seconds, and the administrator who made it.
        var json: JSON {
            .object(
                JSONObject([
                    ("application", .string(client ?? "OMA")), ("msg", .string(message)),
                    ("time", .int(time)), ("user", .string(by))
                ]))
        }

        /// `change_domain example.com: spamlevel "Normal" -> "High"`; a password shows as ****.
        var message: String {
            let head = "\(method) \(object): "
            switch action {
            case "delete": return head + "deleted"
            case "restore": return head + "restored"
            default:
                let parts = attributes.pairs.map { k, v in
                    action == "create"
                        ? "\(k)=\((v["new"] ?? .null).text)"
                        : "\(k) \((v["old"] ?? .null).text) -> \((v["new"] ?? .null).text)"
                }
                let verb = action == "create" ? "created" : "changed"
                return head + verb + (parts.isEmpty ? "" : " " + parts.joined(separator: ", "))
            }
        }
    }

    /// A new domain (or one re-created over a deleted one): every attribute of the
    /// document's table, the company's defaults, then `attributes`.
    mutating func createDomain(_ name: String, _ attributes: JSONObject) {
        let name = name.lowercased()
        var a = OpenSRSAttributes.newDomain(name)
        for (k, v) in attributes.pairs { a[k] = v }
        if let old = domains[name] { unindex(name, old.attributes) } else { domainOrder.append(name) }
        clock += 1
        domains[name] = Entry(attributes: Self.normalised(a), createtime: clock)
        index(name, domains[name]!.attributes)
    }

    /// Merges `attributes` into an existing domain's.
    mutating func updateDomain(_ name: String, _ attributes: JSONObject) {
        guard var e = domains[name] else { return }
        unindex(name, e.attributes)
        for (k, v) in attributes.pairs { e.attributes[k] = v }
        e.attributes = Self.normalised(e.attributes)
        domains[name] = e
        index(name, e.attributes)
    }

    /// Domain names compare without regard to case: aliases are kept in lower case.
    static func normalised(_ a: JSONObject) -> JSONObject {
        var a = a
        if let list = a["aliases"]?.array, list.allSatisfy({ $0.string != nil }) {
            var seen: [String] = []
            for n in list.compactMap(\.string) where !seen.contains(n.lowercased()) { seen.append(n.lowercased()) }
            a["aliases"] = .array(seen.map(JSON.string))
        }
        return a
    }

    static func aliases(_ a: JSONObject) -> [String] { a["aliases"]?.array?.compactMap(\.string) ?? [] }

    private mutating func index(_ domain: String, _ a: JSONObject) {
        for n in Self.aliases(a) { aliasOwners[n] = domain }
    }

    private mutating func unindex(_ domain: String, _ a: JSONObject) {
        for n in Self.aliases(a) where aliasOwners[n] == domain { aliasOwners[n] = nil }
    }

    mutating func createUser(_ email: String, _ attributes: JSONObject) {
        let email = email.lowercased()
        let domain = email.split(separator: "@").last.map(String.init) ?? ""
        var a = OpenSRSAttributes.newUser(email, domain: domains[domain]?.attributes)
        for (k, v) in attributes.pairs where k != "password" { a[k] = v }
        if users[email] == nil { userOrder.append(email) }
        clock += 1
        users[email] = Entry(attributes: a, createtime: clock)
    }

    /// Users of `domain` that are not deleted.
    func liveUsers(of domain: String) -> [String] {
        userOrder.filter { users[$0]?.deleted == false && $0.hasSuffix("@" + domain) }
    }

    /// The alias addresses of the live users of `domain`, besides those of `except`.
    func userAliasCount(of domain: String, except: String? = nil) -> Int {
        liveUsers(of: domain).filter { $0 != except }.reduce(0) {
            $0 + OpenSRSStore.aliases(users[$1]!.attributes).count
        }
    }

    /// Live users whose address is in `domain`: a domain with any cannot be deleted.
    func hasLiveUsers(_ domain: String) -> Bool {
        userOrder.contains { users[$0]?.deleted == false && $0.hasSuffix("@" + domain) }
    }

    // MARK: state (`GET /_sandbox/state`, `--state FILE`)

    func state() -> JSON {
        func dump(_ order: [String], _ all: [String: Entry]) -> JSON {
            .array(
                order.map { n in
                    let e = all[n]!
                    return .object(
                        JSONObject([
                            ("name", .string(n)), ("deleted", .bool(e.deleted)),
                            ("createtime", .int(e.createtime)), ("attributes", .object(e.attributes))
                        ]))
                })
        }
        return .object(JSONObject([("domains", dump(domainOrder, domains)), ("users", dump(userOrder, users))]))
    }

    static func load(_ state: JSON) -> OpenSRSStore {
        var s = OpenSRSStore()
        for d in state["domains"]?.array ?? [] {
            guard let n = d["name"]?.string?.lowercased() else { continue }
            s.createDomain(n, d["attributes"]?.object ?? JSONObject())
            s.domains[n]!.deleted = d["deleted"]?.bool ?? false
            if let t = d["createtime"]?.int { s.domains[n]!.createtime = t; s.clock = max(s.clock, t) }
        }
        for u in state["users"]?.array ?? [] {
            guard let n = u["name"]?.string?.lowercased() else { continue }
            s.createUser(n, u["attributes"]?.object ?? JSONObject())
            s.users[n]!.deleted = u["deleted"]?.bool ?? false
            if let t = u["createtime"]?.int { s.users[n]!.createtime = t; s.clock = max(s.clock, t) }
        }
        return s
    }
}
