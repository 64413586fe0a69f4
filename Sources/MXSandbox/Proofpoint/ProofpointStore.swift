import MXJSON

/// Proofpoint's records, no HTTP: organisations, each with its profile (name, type,
/// the partner that owns it), domains, users, licensing, package, features, sender
/// lists and DKIM keys; and the accounts that may call the API. Records are kept as the
/// API shows them; keys are lower case, so names and addresses compare without regard
/// to case, and lists keep creation order.
struct ProofpointStore {
    struct Org {
        var name: String
        /// The org record's own fields (ProofpointOrgsAPI.swift): `name`, `type`,
        /// `eid`, `is_active`, `www`, `address`, ...; `primary_domain` and `domains`
        /// are added when it is answered.
        var profile: JSONObject
        /// The partner that owns it (lower case), nil for a top-level organisation.
        var parent: String?
        var domains: [String: JSONObject] = [:]
        var domainOrder: [String] = []
        var users: [String: JSONObject] = [:]
        var userOrder: [String] = []
        var licensing = JSONObject([
            ("licensed_users", 100), ("package", "Business"), ("is_on_trial", false),
            ("is_beginner_plus", false)
        ])
        var package = JSONObject([
            ("package", "Business"), ("is_activated", true), ("is_eula_confirmed", true),
            ("is_trial_extended", false)
        ])
        var features = ProofpointStore.defaultFeatures
        var senderLists = JSONObject([("allow_list", []), ("block_list", [])])
        /// Domain (lower case) -> its DKIM key record.
        var dkim: [String: JSONObject] = [:]

        init(name: String, profile: JSONObject = JSONObject(), parent: String? = nil) {
            self.name = name
            self.parent = parent
            var p = JSONObject([
                ("name", .string(name)), ("type", "organization"), ("eid", .int(0)), ("is_active", true),
                ("www", .null), ("address", .null), ("postcode", .null), ("stateprov", .null),
                ("country", .null), ("phone", .null)
            ])
            for (k, v) in profile.pairs { p[k] = v }
            self.profile = p
        }
    }

    /// ASSUMED feature switches (NOTES.md names url_defense, attachment_defense,
    /// outbound_relaying, email_archive, disclaimers; a public client adds the rest).
    static let defaultFeatures = JSONObject([
        ("url_defense", false), ("attachment_defense", false), ("outbound_relaying", true), ("email_archive", false),
        ("disclaimers", true), ("dlp", false), ("email_encryption", false), ("social_media_account_protection", false),
        ("smtp_discovery", false), ("instant_replay", 30)
    ])

    /// Keyed by the organisation's primary domain, lower case.
    var orgs: [String: Org] = [:]
    /// Creation order of the organisations (keys).
    var orgOrder: [String] = []
    /// Who may call the API: address (lower case) -> password and the organisation it
    /// administers (that one and every organisation it owns, at any depth).
    var accounts: [String: (password: String, org: String)] = [:]
    var nextEID = 1001

    init(orgs names: [String]) {
        for n in names { addOrg(n, Org(name: n)) }
        // DESIGN.md's sandbox credentials administer the first organisation.
        if let first = names.first {
            accounts[ProofpointSimulation.user] = (ProofpointSimulation.password, Self.key(first))
        }
    }

    static func key(_ name: String) -> String { name.lowercased() }

    mutating func addOrg(_ primary: String, _ org: Org) {
        let k = Self.key(primary)
        if orgs[k] == nil { orgOrder.append(k) }
        var o = org
        if o.profile["eid"] == .int(0) { o.profile["eid"] = .int(nextEID); nextEID += 1 }
        orgs[k] = o
    }

    func hasOrg(_ org: String) -> Bool { orgs[Self.key(org)] != nil }

    /// The organisation `account` administers, when its password is right.
    func accountOrg(_ user: String?, _ password: String?) -> String? {
        guard let user, let a = accounts[user.lowercased()], a.password == password else { return nil }
        return a.org
    }

    /// Whether an account of organisation `home` reaches `org`: its own, or one it owns.
    func reaches(_ home: String, _ org: String) -> Bool {
        var k: String? = Self.key(org)
        while let current = k {
            guard orgs[current] != nil else { return false }
            if current == home { return true }
            k = orgs[current]?.parent
        }
        return false
    }

    /// The customers of a partner, in creation order.
    func customers(of partner: String) -> [String] { orgOrder.filter { orgs[$0]?.parent == Self.key(partner) } }

    /// Domain names are unique on the whole platform, not only in one organisation.
    func domainExists(_ name: String) -> Bool {
        orgs.values.contains { $0.domains[Self.key(name)] != nil }
    }

    func domain(_ org: String, _ name: String) -> JSONObject? { orgs[Self.key(org)]?.domains[Self.key(name)] }
    func user(_ org: String, _ email: String) -> JSONObject? { orgs[Self.key(org)]?.users[Self.key(email)] }
    func domains(_ org: String) -> [JSONObject] {
        guard let o = orgs[Self.key(org)] else { return [] }
        return o.domainOrder.map { o.domains[$0]! }
    }
    func users(_ org: String) -> [JSONObject] {
        guard let o = orgs[Self.key(org)] else { return [] }
        return o.userOrder.map { o.users[$0]! }
    }

    /// The user of the organisation with `address` as primary address or alias, if any.
    func owner(of address: String, in org: String) -> String? {
        let a = Self.key(address)
        for u in users(org) {
            let primary = u["primary_email"]?.string.map(Self.key)
            if primary == a { return primary }
            if u["alias_emails"]?.array?.contains(where: { $0.string.map(Self.key) == a }) == true { return primary }
        }
        return nil
    }

    /// Adds or replaces (keeping its place in the list).
    mutating func putDomain(_ org: String, _ d: JSONObject) {
        guard let name = d["name"]?.string, orgs[Self.key(org)] != nil else { return }
        let k = Self.key(name)
        if orgs[Self.key(org)]!.domains[k] == nil { orgs[Self.key(org)]!.domainOrder.append(k) }
        orgs[Self.key(org)]!.domains[k] = d
    }

    mutating func putUser(_ org: String, _ u: JSONObject) {
        guard let email = u["primary_email"]?.string, orgs[Self.key(org)] != nil else { return }
        let k = Self.key(email)
        if orgs[Self.key(org)]!.users[k] == nil { orgs[Self.key(org)]!.userOrder.append(k) }
        var u = u
        for list in ["alias_emails", "white_list_senders", "black_list_senders"] where u[list] == nil { u[list] = [] }
        orgs[Self.key(org)]!.users[k] = u
    }

    mutating func removeDomain(_ org: String, _ name: String) -> Bool {
        let k = Self.key(name)
        guard orgs[Self.key(org)]?.domains.removeValue(forKey: k) != nil else { return false }
        orgs[Self.key(org)]!.domainOrder.removeAll { $0 == k }
        orgs[Self.key(org)]!.dkim[k] = nil
        return true
    }

    mutating func removeUser(_ org: String, _ email: String) -> Bool {
        let k = Self.key(email)
        guard orgs[Self.key(org)]?.users.removeValue(forKey: k) != nil else { return false }
        orgs[Self.key(org)]!.userOrder.removeAll { $0 == k }
        return true
    }

    // MARK: state (`GET /_sandbox/state`, `--state FILE`)

    func state() -> JSON {
        .object(
            JSONObject(
                orgOrder.map { k in
                    let o = orgs[k]!
                    return (
                        o.name,
                        .object(
                            JSONObject([
                                ("profile", .object(o.profile)),
                                ("parent", o.parent.map { .string(orgs[$0]?.name ?? $0) } ?? .null),
                                ("domains", .array(domains(k).map(JSON.object))),
                                ("users", .array(users(k).map(JSON.object))),
                                ("licensing", .object(o.licensing)),
                                ("package", .object(o.package)),
                                ("features", .object(o.features)),
                                ("sender_lists", .object(o.senderLists)),
                                (
                                    "dkim",
                                    .object(
                                        JSONObject(
                                            o.domainOrder.compactMap { d in o.dkim[d].map { (d, JSON.object($0)) } }))
                                )
                            ]))
                    )
                }))
    }

    static func load(_ state: JSON) throws -> ProofpointStore {
        guard let all = state.object else {
            throw JSONError(offset: 0, message: "proofpoint state is an object of organisations")
        }
        var s = ProofpointStore(orgs: all.pairs.map(\.0))
        for (name, value) in all.pairs {
            let k = key(name)
            if let p = value["profile"]?.object { for (f, v) in p.pairs { s.orgs[k]?.profile[f] = v } }
            s.orgs[k]?.parent = value["parent"]?.string.map(key)
            for d in value["domains"]?.array ?? [] { if let o = d.object { s.putDomain(name, o) } }
            for u in value["users"]?.array ?? [] { if let o = u.object { s.putUser(name, o) } }
            if let l = value["licensing"]?.object { s.orgs[k]?.licensing = l }
            if let p = value["package"]?.object { s.orgs[k]?.package = p }
            if let f = value["features"]?.object { s.orgs[k]?.features = f }
            if let l = value["sender_lists"]?.object { s.orgs[k]?.senderLists = l }
            for (d, v) in value["dkim"]?.object?.pairs ?? [] { if let o = v.object { s.orgs[k]?.dkim[key(d)] = o } }
        }
        // The sandbox credentials administer the top organisation (the first without a parent).
        if let top = s.orgOrder.first(where: { s.orgs[$0]?.parent == nil }) {
            s.accounts[ProofpointSimulation.user] = (ProofpointSimulation.password, top)
        }
        return s
    }
}
