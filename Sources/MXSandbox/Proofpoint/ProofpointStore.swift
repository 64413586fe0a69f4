import MXJSON

/// Proofpoint's records, no HTTP: organisations, each with its domains, users and
/// licensing. Records are kept as the API shows them; keys are lower case, so names
/// and addresses compare without regard to case, and lists keep creation order.
struct ProofpointStore {
    struct Org {
        var name: String
        var domains: [String: JSONObject] = [:]
        var domainOrder: [String] = []
        var users: [String: JSONObject] = [:]
        var userOrder: [String] = []
        var licensing = JSONObject([("licensed_users", 100), ("package", "Business")])
    }

    /// Keyed by the organisation's primary domain, lower case.
    var orgs: [String: Org] = [:]

    init(orgs names: [String]) {
        for n in names { orgs[n.lowercased()] = Org(name: n) }
    }

    static func key(_ name: String) -> String { name.lowercased() }

    func hasOrg(_ org: String) -> Bool { orgs[Self.key(org)] != nil }

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
        orgs[Self.key(org)]!.users[k] = u
    }

    mutating func removeDomain(_ org: String, _ name: String) -> Bool {
        let k = Self.key(name)
        guard orgs[Self.key(org)]?.domains.removeValue(forKey: k) != nil else { return false }
        orgs[Self.key(org)]!.domainOrder.removeAll { $0 == k }
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
        .object(JSONObject(orgs.keys.sorted().map { k in
            let o = orgs[k]!
            return (o.name, .object(JSONObject([
                ("domains", .array(domains(k).map(JSON.object))),
                ("users", .array(users(k).map(JSON.object))),
                ("licensing", .object(o.licensing)),
            ])))
        }))
    }

    static func load(_ state: JSON) throws -> ProofpointStore {
        guard let all = state.object else { throw JSONError(offset: 0, message: "proofpoint state is an object of organisations") }
        var s = ProofpointStore(orgs: all.pairs.map(\.0))
        for (name, value) in all.pairs {
            for d in value["domains"]?.array ?? [] { if let o = d.object { s.putDomain(name, o) } }
            for u in value["users"]?.array ?? [] { if let o = u.object { s.putUser(name, o) } }
            if let l = value["licensing"]?.object { s.orgs[key(name)]?.licensing = l }
        }
        return s
    }
}
