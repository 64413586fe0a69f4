import MXJSON

/// The OpenSRS Email API (OMA): `POST /api/<method>` with a JSON body carrying a
/// `credentials` object; HTTP 200 for every well-formed call to a known method, the
/// outcome in `success` / `error_number` / `error`; 400 for malformed JSON, 404 for an
/// unknown method (vendors/opensrs-email-get_domain.txt, vendors/NOTES.md). Deletes
/// are soft: a deleted domain or user can be restored.
public final class OpenSRSSimulation: VendorSimulation, @unchecked Sendable {
    public let vendor = "opensrs"
    public static let user = "admin@example.com"
    public static let password = "sandbox"
    static let prefix = "/api/"
    static let methods: Set<String> = ["get_domain", "change_domain", "delete_domain", "restore_domain", "search_domains",
                                       "get_user", "change_user", "delete_user", "restore_user", "search_users"]
    /// Attributes `change_domain` accepts (the document's attribute table).
    static let domainAttributes: Set<String> = [
        "aliases", "allow", "block", "brand", "catchall", "disabled", "filterdelivery", "filtermx", "language",
        "limit_aliases", "limit_users", "notes_external", "password_strength", "quota", "quota_maximum", "regen_passwords",
        "service_smtpin", "service_smtprelay", "service_smtprelay_webmail", "service_webmail", "smtp_sent_limit",
        "spamfolder", "spamheader", "spamlevel", "spamtag", "timezone", "wm_domainalias", "workgroup",
    ]
    static let userAttributes: Set<String> = ["name", "password", "aliases", "language", "disabled", "quota", "timezone"]

    struct Entry {
        var attributes: JSONObject
        var createtime: Int
        var deleted = false
    }

    private let lock = PThreadLock()
    private var domains: [String: Entry] = [:]
    private var domainOrder: [String] = []
    private var users: [String: Entry] = [:]
    private var userOrder: [String] = []
    private var clock = 1_321_901_972

    public init() {}

    private func locked<T>(_ body: () -> T) -> T { lock.withLock(body) }

    public func addDomain(_ name: String, _ attributes: JSONObject = JSONObject()) {
        locked { putDomain(name, attributes) }
    }

    public func addUser(_ email: String, _ attributes: JSONObject = JSONObject()) {
        locked { putUser(email, attributes) }
    }

    private func putDomain(_ name: String, _ attributes: JSONObject) {
        var a = JSONObject([("account", .string(name)), ("company", "Sandbox Co"), ("disabled", false), ("aliases", []),
                            ("allow", []), ("block", []), ("language", "en"), ("timezone", "UTC"), ("filtermx", .null),
                            ("notes_external", .null)])
        for (k, v) in attributes.pairs { a[k] = v }
        if domains[name] == nil { domainOrder.append(name) }
        clock += 1
        domains[name] = Entry(attributes: a, createtime: clock)
    }

    private func putUser(_ email: String, _ attributes: JSONObject) {
        var a = JSONObject([("mailbox", .string(email)), ("name", .null), ("aliases", []), ("language", "en"), ("disabled", false)])
        for (k, v) in attributes.pairs where k != "password" { a[k] = v }
        if users[email] == nil { userOrder.append(email) }
        clock += 1
        users[email] = Entry(attributes: a, createtime: clock)
    }

    public func handle(_ r: SandboxRequest) -> SandboxResponse {
        guard r.path.hasPrefix(Self.prefix) else { return .json(404, ["success": false, "error": "Unknown method"]) }
        let method = String(r.path.dropFirst(Self.prefix.count))
        guard Self.methods.contains(method), r.method == "POST" else {
            return .json(404, ["success": false, "error": .string("Unknown method \(method)")])
        }
        guard let body = r.json?.object else {
            return .json(400, ["success": false, "error": "Request is not valid JSON"])
        }
        let creds = body["credentials"]?.object
        guard creds?["user"]?.string == Self.user, creds?["password"]?.string == Self.password else {
            return failure(1, "Invalid credentials")
        }
        return locked {
            switch method {
            case "get_domain": return getDomain(body)
            case "change_domain": return changeDomain(body)
            case "delete_domain", "restore_domain": return setDeleted(body, method == "delete_domain", users: false)
            case "search_domains": return search(body, users: false)
            case "get_user": return getUser(body)
            case "change_user": return changeUser(body)
            case "delete_user", "restore_user": return setDeleted(body, method == "delete_user", users: true)
            default: return search(body, users: true)
            }
        }
    }

    func failure(_ number: Int, _ message: String, hints: JSONObject? = nil) -> SandboxResponse {
        var o = JSONObject([("success", false), ("error", .string(message)), ("error_number", .int(number))])
        if let hints { o["hints"] = .object(hints) }
        return .json(200, .object(o))
    }

    func name(_ body: JSONObject, _ key: String) -> String? { body[key]?.string?.lowercased() }

    func getDomain(_ body: JSONObject) -> SandboxResponse {
        guard let d = name(body, "domain") else { return failure(5, "Request is badly formatted", hints: ["domain": "required"]) }
        guard let e = domains[d], !e.deleted else {
            return .json(200, .object(JSONObject([("success", false), ("error_number", 2), ("error", "The requested object does not exist"),
                                                  ("settable_attributes", .array(Self.domainAttributes.sorted().map(JSON.string)))])))
        }
        return .json(200, .object(JSONObject([
            ("success", true),
            ("settable_attributes", .array(Self.domainAttributes.sorted().map(JSON.string))),
            ("metadata", .object(JSONObject([("createtime", .string(String(e.createtime))),
                                             ("bulletins", ["manual": [], "auto": []])]))),
            ("attributes", .object(e.attributes)),
        ])))
    }

    func changeDomain(_ body: JSONObject) -> SandboxResponse {
        guard let d = name(body, "domain"), d.contains(".") else {
            return failure(5, "Request is badly formatted", hints: ["domain": "required, a domain name"])
        }
        let attributes = body["attributes"]?.object ?? JSONObject()
        var hints = JSONObject()
        for (k, v) in attributes.pairs {
            if !Self.domainAttributes.contains(k) { hints[k] = "not a settable attribute"; continue }
            if ["aliases", "allow", "block"].contains(k), v.array?.allSatisfy({ $0.string != nil }) != true { hints[k] = "a list of strings" }
            if k == "disabled", v.bool == nil { hints[k] = "true or false" }
        }
        if hints.count > 0 { return failure(6, "Attribute is badly formatted", hints: hints) }
        if let aliases = attributes["aliases"]?.array, aliases.count > 2000 { return failure(16, "Domain aliases full") }
        if let e = domains[d], !e.deleted {
            if body["create_only"]?.bool == true { return failure(23, "Object already exists") }
            var a = e.attributes
            for (k, v) in attributes.pairs { a[k] = v }
            domains[d]!.attributes = a
        } else {
            domains[d] = nil
            domainOrder.removeAll { $0 == d }
            putDomain(d, attributes)
        }
        return .json(200, ["success": true])
    }

    func setDeleted(_ body: JSONObject, _ deleted: Bool, users isUser: Bool) -> SandboxResponse {
        let key = isUser ? "user" : "domain"
        guard let n = name(body, key) else { return failure(5, "Request is badly formatted", hints: [key: "required"]) }
        guard let e = isUser ? users[n] : domains[n], e.deleted != deleted else {
            return isUser ? failure(13, "User does not exist") : failure(2, "The requested object does not exist")
        }
        if !isUser, deleted, userOrder.contains(where: { users[$0]?.deleted == false && $0.hasSuffix("@" + n) }) {
            return failure(10, "Object is not empty")
        }
        if isUser { users[n]!.deleted = deleted } else { domains[n]!.deleted = deleted }
        return .json(200, ["success": true])
    }

    /// `criteria{match:"wild*", deleted}`, `range{first, limit}`, `sort{by, direction}`.
    func search(_ body: JSONObject, users isUser: Bool) -> SandboxResponse {
        let criteria = body["criteria"]?.object ?? JSONObject()
        let match = criteria["match"]?.string
        let wantDeleted = criteria["deleted"]?.bool ?? false
        let scope = criteria["domain"]?.string?.lowercased()
        var names = (isUser ? userOrder : domainOrder).filter { n in
            let e = isUser ? users[n]! : domains[n]!
            guard e.deleted == wantDeleted else { return false }
            if let scope, isUser, !n.hasSuffix("@" + scope) { return false }
            return match.map { wildcard(n, $0) } ?? true
        }
        // Sorted by name, the only key the sandbox keeps for both kinds.
        names.sort()
        if body["sort"]?["direction"]?.string == "descending" { names.reverse() }
        let range = body["range"]?.object
        let first = max(0, range?["first"]?.int ?? 0)
        let limit = max(0, range?["limit"]?.int ?? 100)
        let page = Array(names.dropFirst(first).prefix(limit))
        let items: [JSON] = page.map { n in
            let e = isUser ? users[n]! : domains[n]!
            return .object(JSONObject([(isUser ? "user" : "domain", .string(n)), ("createtime", .int(e.createtime)),
                                       ("attributes", .object(e.attributes))]))
        }
        return .json(200, .object(JSONObject([("success", true), ("count", .int(items.count)), ("total_count", .int(names.count)),
                                              (isUser ? "users" : "domains", .array(items))])))
    }

    func getUser(_ body: JSONObject) -> SandboxResponse {
        guard let u = name(body, "user") else { return failure(5, "Request is badly formatted", hints: ["user": "required"]) }
        guard let e = users[u], !e.deleted else { return failure(13, "User does not exist") }
        return .json(200, .object(JSONObject([("success", true), ("attributes", .object(e.attributes))])))
    }

    func changeUser(_ body: JSONObject) -> SandboxResponse {
        guard let u = name(body, "user"), u.split(separator: "@").count == 2 else {
            return failure(5, "Request is badly formatted", hints: ["user": "required, an email address"])
        }
        let domain = String(u.split(separator: "@")[1])
        guard let d = domains[domain], !d.deleted else { return failure(11, "Domain does not exist") }
        let attributes = body["attributes"]?.object ?? JSONObject()
        for (k, _) in attributes.pairs where !Self.userAttributes.contains(k) {
            return failure(6, "Attribute is badly formatted", hints: [k: "not a settable attribute"])
        }
        if let e = users[u], !e.deleted {
            if body["create_only"]?.bool == true { return failure(23, "Object already exists") }
            for (k, v) in attributes.pairs where k != "password" { users[u]!.attributes[k] = v }
        } else {
            users[u] = nil
            userOrder.removeAll { $0 == u }
            putUser(u, attributes)
        }
        return .json(200, ["success": true])
    }

    /// Retryable contention shows as error 20/22/25, not as HTTP 5xx (NOTES.md).
    public func serverFault(_ request: SandboxRequest) -> SandboxResponse {
        let n = [20, 22, 25].randomElement()!
        let message = n == 20 ? "Try again later" : n == 22 ? "Temporarily unavailable" : "Provisioning lock not obtained"
        return failure(n, message)
    }

    public func state() -> JSON {
        locked {
            func dump(_ order: [String], _ all: [String: Entry]) -> JSON {
                .array(order.map { n in
                    let e = all[n]!
                    return .object(JSONObject([("name", .string(n)), ("deleted", .bool(e.deleted)),
                                               ("createtime", .int(e.createtime)), ("attributes", .object(e.attributes))]))
                })
            }
            return .object(JSONObject([("domains", dump(domainOrder, domains)), ("users", dump(userOrder, users))]))
        }
    }

    public func load(_ state: JSON) throws {
        locked {
            domains = [:]; domainOrder = []; users = [:]; userOrder = []
            for d in state["domains"]?.array ?? [] {
                guard let n = d["name"]?.string else { continue }
                putDomain(n, d["attributes"]?.object ?? JSONObject())
                domains[n]!.deleted = d["deleted"]?.bool ?? false
                if let t = d["createtime"]?.int { domains[n]!.createtime = t; clock = max(clock, t) }
            }
            for u in state["users"]?.array ?? [] {
                guard let n = u["name"]?.string else { continue }
                putUser(n, u["attributes"]?.object ?? JSONObject())
                users[n]!.deleted = u["deleted"]?.bool ?? false
                if let t = u["createtime"]?.int { users[n]!.createtime = t; clock = max(clock, t) }
            }
        }
    }
}

/// `*`/`?` wildcards, case-insensitive, as search criteria use them.
func wildcard(_ text: String, _ pattern: String) -> Bool {
    let t = Array(text.lowercased()), p = Array(pattern.lowercased())
    var ti = 0, pi = 0, star = -1, mark = 0
    while ti < t.count {
        if pi < p.count, p[pi] == "?" || p[pi] == t[ti] { ti += 1; pi += 1 }
        else if pi < p.count, p[pi] == "*" { star = pi; mark = ti; pi += 1 }
        else if star >= 0 { pi = star + 1; mark += 1; ti = mark }
        else { return false }
    }
    while pi < p.count, p[pi] == "*" { pi += 1 }
    return pi == p.count
}
