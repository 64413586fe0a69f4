import MXJSON

/// The whole store as `GET /_sandbox/state` and `--state FILE` show it: the clock, the
/// id counters, and every record with its public ids, in id order. `load(state())`
/// gives the same store back, indexes rebuilt.
extension CleanmailStore {
    func state() -> JSON {
        func dump(_ records: [Int: JSONObject]) -> JSON {
            .array(records.keys.sorted().map { .object(records[$0]!) })
        }
        return .object(
            JSONObject(
                [
                    ("clock", .int(clock)),
                    (
                        "counters",
                        .object(
                            JSONObject(
                                Kind.allCases.map { k -> (String, JSON) in (k.rawValue, .int(counters[k] ?? 0)) }))
                    ),
                    ("domains", dump(domains)), ("aliases", dump(aliases)), ("policies", dump(policies)),
                    ("users", dump(users)), ("rules", dump(rules))
                ] + Kind.extra.map { k -> (String, JSON) in (k.rawValue + "s", dump(records[k] ?? [:])) }
                    + [("keyed", .object(JSONObject(keyed.keys.sorted().map { ($0, keyed[$0]!) })))]))
    }

    static func load(_ state: JSON) throws -> CleanmailStore {
        guard let all = state.object else { throw JSONError(offset: 0, message: "cleanmail state is an object") }
        func records(_ key: String) throws -> [(Int, JSONObject)] {
            try (all[key]?.array ?? []).map { v in
                guard let o = v.object, let id = o["id"]?.string.flatMap(CleanmailID.decode) else {
                    throw JSONError(offset: 0, message: "cleanmail state: every \(key) record needs a valid id")
                }
                return (id, o)
            }.sorted { $0.0 < $1.0 }
        }
        var s = CleanmailStore()
        s.clock = all["clock"]?.int ?? CleanmailSimulation.epoch
        var top: [Kind: Int] = [:]
        func seen(_ k: Kind, _ n: Int) { top[k] = max(top[k] ?? 0, n) }
        for (id, o) in try records("domains") {
            s.insertDomain(id, o)
            seen(.domain, id)
            for pl in o["platforms"]?.array ?? [] { if let n = s.num(pl["id"]) { seen(.platform, n) } }
        }
        for (id, o) in try records("aliases") {
            s.aliases[id] = o
            seen(.alias, id)
            if let dom = s.num(o["domainId"]) {
                s.domainAliases[dom, default: []].append(id)
                if let n = o["name"]?.string { s.names[n] = dom }
            }
        }
        for (id, o) in try records("policies") {
            seen(.policy, id)
            if let dom = s.num(o["domainId"]) { s.insertPolicy(id, o, domain: dom) } else { s.policies[id] = o }
        }
        for (id, o) in try records("users") {
            s.insertUser(id, o)
            seen(.user, id)
        }
        for (id, o) in try records("rules") {
            s.rules[id] = o
            seen(.rule, id)
            if let owner = s.owner(of: o) { s.ownerRules[owner, default: []].append(id) }
        }
        for k in Kind.extra {
            for (id, o) in try records(k.rawValue + "s") {
                s.records[k, default: [:]][id] = o
                seen(k, id)
            }
        }
        for (k, v) in all["keyed"]?.object?.pairs ?? [] { s.keyed[k] = v }
        let given = all["counters"]?.object
        for k in Kind.allCases { s.counters[k] = max(given?[k.rawValue]?.int ?? 0, top[k] ?? 0) }
        s.ensureOwnAdmin()
        return s
    }
}
