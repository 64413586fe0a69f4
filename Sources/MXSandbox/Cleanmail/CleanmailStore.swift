import MXJSON

/// Cleanmail's records and the relations between them, no HTTP: domains (with their
/// platforms), domain aliases, policies, users and sender rules, keyed by integer ids;
/// the indexes that tie them together; the id counters and the clock.
///
/// Records are kept in the shape the API answers and `state()` saves (JSON objects with
/// their public `CleanmailID`s), so the store holds no second copy to keep in step;
/// what is typed is the relations: which domain a name, an alias, a policy, a user and a
/// rule belong to. The mutations here keep those indexes true; the API files check the
/// requests and decide the answers.
struct CleanmailStore {
    enum Kind: String, CaseIterable {
        case domain, alias, platform, policy, user, rule
        // The rest of section 5 (CleanmailStore+Records.swift): kept in `records`.
        case admin, token, attachmentFilter, uriFilter, group, recipient, message, upload, mail
    }

    /// A rule's owner: a domain or a mailbox (`domain:7`, `user:12` as keys).
    enum Owner: Hashable {
        case domain(Int)
        case user(Int)

        var key: String {
            switch self {
            case .domain(let n): return "domain:\(n)"
            case .user(let n): return "user:\(n)"
            }
        }
    }

    /// A sender rule as checked from a request, before it has an id.
    struct NewRule {
        var value: String
        var type: String
        var expireAt: JSON
        var description: JSON
        var spfOn: JSON
    }

    var clock = CleanmailSimulation.epoch
    var counters: [Kind: Int] = [:]
    // The records, keyed by integer id; their `id` members hold the public (encoded) ids.
    var domains: [Int: JSONObject] = [:]
    var aliases: [Int: JSONObject] = [:]
    var policies: [Int: JSONObject] = [:]
    var users: [Int: JSONObject] = [:]
    var rules: [Int: JSONObject] = [:]
    // Indexes, rebuilt by `load`.
    /// Domain and alias names (lower case) -> the domain's id: one namespace for both.
    var names: [String: Int] = [:]
    var domainAliases: [Int: [Int]] = [:]
    var domainPolicies: [Int: [Int]] = [:]
    var domainUsers: [Int: [Int]] = [:]
    /// Addresses (lower case) -> user id.
    var emails: [String: Int] = [:]
    var ownerRules: [Owner: [Int]] = [:]
    /// Filtered and sorted lists by query, forgotten at writes (CleanmailLists.swift).
    var listCache: [String: [Int]] = [:]
    /// Admins, tokens, filters, groups, messages, uploads and the outbox, by kind and id
    /// (CleanmailStore+Records.swift).
    var records: [Kind: [Int: JSONObject]] = [:]
    /// What belongs to one owner and has no id of its own, by `kind/owner` key
    /// (`dkim/7`, `options/domain:7`, `health/platform:3`, `dns/7`, `access/7`, `sign/12`).
    var keyed: [String: JSON] = [:]

    /// The next date handed out: one second after the last.
    mutating func now() -> Int {
        clock += CleanmailSimulation.tick
        return clock
    }

    mutating func next(_ kind: Kind) -> Int {
        let n = (counters[kind] ?? 0) + 1
        counters[kind] = n
        return n
    }

    /// The integer behind a stored public id (`"Eygdk"`).
    func num(_ v: JSON?) -> Int? { v?.string.flatMap(CleanmailID.decode) }

    /// The domain with this name (not one of its aliases), without regard to case.
    func domainNamed(_ name: String) -> Int? {
        let lower = name.lowercased()
        guard let d = names[lower], domains[d]?["name"]?.string == lower else { return nil }
        return d
    }

    // MARK: domains

    mutating func insertDomain(_ id: Int, _ record: JSONObject) {
        domains[id] = record
        if let n = record["name"]?.string { names[n] = id }
    }

    mutating func renameDomain(_ id: Int, to name: String) {
        if let old = domains[id]?["name"]?.string, names[old] == id { names[old] = nil }
        names[name] = id
        domains[id]?["name"] = .string(name)
    }

    /// The platform used when a user has none: the default one, else the first.
    func defaultPlatform(_ domainID: Int) -> JSONObject? {
        let all = domains[domainID]?["platforms"]?.array?.compactMap(\.object) ?? []
        return all.first { $0["default"]?.bool == true } ?? all.first
    }

    // MARK: aliases

    @discardableResult
    mutating func insertAlias(_ name: String, domain: Int) -> Int {
        let a = next(.alias)
        aliases[a] = JSONObject([
            ("id", .string(CleanmailID.encode(a))), ("name", .string(name)),
            ("domainId", .string(CleanmailID.encode(domain)))
        ])
        domainAliases[domain, default: []].append(a)
        names[name] = domain
        return a
    }

    mutating func removeAlias(_ a: Int) {
        guard let alias = aliases.removeValue(forKey: a), let d = num(alias["domainId"]) else { return }
        domainAliases[d]?.removeAll { $0 == a }
        if let n = alias["name"]?.string, names[n] == d { names[n] = nil }
    }

    // MARK: policies

    mutating func insertPolicy(_ p: Int, _ record: JSONObject, domain: Int) {
        policies[p] = record
        domainPolicies[domain, default: []].append(p)
    }

    mutating func removePolicy(_ p: Int) {
        guard let policy = policies.removeValue(forKey: p), let d = num(policy["domainId"]) else { return }
        domainPolicies[d]?.removeAll { $0 == p }
    }

    // MARK: users

    mutating func insertUser(_ u: Int, _ record: JSONObject) {
        users[u] = record
        if let e = record["email"]?.string { emails[e] = u }
        if let d = num(record["domainId"]) { domainUsers[d, default: []].append(u) }
    }

    /// Replaces a user's record, moving it between domains and addresses as it says.
    mutating func updateUser(_ u: Int, _ record: JSONObject) {
        guard let old = users[u] else { return }
        if old["email"] != record["email"] {
            if let e = old["email"]?.string { emails[e] = nil }
            if let e = record["email"]?.string { emails[e] = u }
        }
        if old["domainId"] != record["domainId"] {
            if let d = num(old["domainId"]) { domainUsers[d]?.removeAll { $0 == u } }
            if let d = num(record["domainId"]) { domainUsers[d, default: []].append(u) }
        }
        users[u] = record
    }

    /// Removes a user and the mailbox's own sender rules.
    mutating func removeUser(_ u: Int) {
        guard let record = users.removeValue(forKey: u) else { return }
        if let e = record["email"]?.string { emails[e] = nil }
        if let d = num(record["domainId"]) { domainUsers[d]?.removeAll { $0 == u } }
        for rid in ownerRules[.user(u)] ?? [] { rules[rid] = nil }
        ownerRules[.user(u)] = nil
        forgetMailbox(u, email: record["email"]?.string ?? "")
    }

    func userPlatform(_ u: JSONObject) -> JSONObject? {
        guard let d = num(u["domainId"]) else { return nil }
        if let p = u["platformId"]?.string,
            let found = domains[d]?["platforms"]?.array?.compactMap(\.object).first(where: { $0["id"]?.string == p })
        {
            return found
        }
        return defaultPlatform(d)
    }

    // MARK: sender rules

    func owner(of rule: JSONObject) -> Owner? {
        guard let n = num(rule["ownerId"]) else { return nil }
        return rule["ownerType"]?.string == "domain" ? .domain(n) : .user(n)
    }

    /// What a rule's `owner` shows: the domain's name or the mailbox's address.
    func ownerName(_ owner: Owner) -> String {
        switch owner {
        case .domain(let n): return domains[n]?["name"]?.string ?? ""
        case .user(let n): return users[n]?["email"]?.string ?? ""
        }
    }

    /// ASSUMED identity of a rule: its owner and its value (one decision per sender).
    func hasRule(_ value: String, owner: Owner, except: Int? = nil) -> Bool {
        (ownerRules[owner] ?? []).contains { $0 != except && rules[$0]?["value"]?.string == value }
    }

    @discardableResult
    mutating func insertRule(_ rule: NewRule, owner: Owner) -> Int {
        let id = next(.rule)
        let (type, n): (String, Int) =
            switch owner {
            case .domain(let d): ("domain", d)
            case .user(let u): ("user", u)
            }
        rules[id] = JSONObject([
            ("id", .string(CleanmailID.encode(id))), ("value", .string(rule.value)), ("ownerType", .string(type)),
            ("ownerId", .string(CleanmailID.encode(n))), ("type", .string(rule.type)), ("createdDate", .int(now())),
            ("expireAt", rule.expireAt), ("description", rule.description), ("spfOn", rule.spfOn)
        ])
        ownerRules[owner, default: []].append(id)
        return id
    }

    mutating func removeRule(_ id: Int) {
        guard let rule = rules.removeValue(forKey: id), let owner = owner(of: rule) else { return }
        ownerRules[owner]?.removeAll { $0 == id }
    }

    mutating func removeRules(of owner: Owner) {
        for id in ownerRules[owner] ?? [] { rules[id] = nil }
        ownerRules[owner] = []
    }
}
