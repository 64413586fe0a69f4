import MXJSON

/// Proofpoint Essentials API v1, as vendors/proofpoint-essentials-*.txt describe it:
/// `/api/v1/orgs/{org}/domains[/{domain}]` with `X-User`/`X-Password` headers; POST
/// 201 (or 207 for a batch), PUT and DELETE 204, and 400/401/403/409/422 as listed.
/// Where the documents are silent the shapes follow the public API and are marked
/// ASSUMED.
public final class ProofpointSimulation: VendorSimulation, @unchecked Sendable {
    public let vendor = "proofpoint"
    public static let user = "admin@example.com"
    public static let password = "sandbox"
    static let prefix = "/api/v1"

    struct Org {
        var name: String
        var domains: [String: JSONObject] = [:]
        var domainOrder: [String] = []
        var users: [String: JSONObject] = [:]
        var userOrder: [String] = []
        var licensing: JSONObject = JSONObject([("licensed_users", 100), ("package", "Business")])
    }

    private let lock = PThreadLock()
    private var orgs: [String: Org] = [:]

    public init(orgs names: [String] = ["example.com"]) {
        for n in names { orgs[n] = Org(name: n) }
    }

    private func locked<T>(_ body: () -> T) -> T { lock.withLock(body) }

    // MARK: seeding

    public func addDomain(org: String, _ d: JSONObject) {
        locked {
            guard let name = d["name"]?.string else { return }
            if orgs[org]?.domains[name] == nil { orgs[org]?.domainOrder.append(name) }
            orgs[org]?.domains[name] = d
        }
    }

    public func addUser(org: String, _ u: JSONObject) {
        locked {
            guard let email = u["primary_email"]?.string else { return }
            if orgs[org]?.users[email] == nil { orgs[org]?.userOrder.append(email) }
            orgs[org]?.users[email] = u
        }
    }

    // MARK: requests

    public func handle(_ r: SandboxRequest) -> SandboxResponse {
        guard let parts = r.components(after: Self.prefix) else { return notFound() }
        // Header names are case-insensitive: X-user and X-User are the same header.
        guard r.header("X-User") == Self.user, r.header("X-Password") == Self.password else {
            return .json(401, ["errors": ["invalid credentials"]])  // ASSUMED body shape
        }
        if parts.count == 2, parts[0] == "endpoints", r.method == "GET" {
            // ASSUMED shape: which stack hosts the organisation. The sandbox hosts all.
            guard orgs[parts[1]] != nil else { return notFound() }
            return .json(200, ["endpoint": "sandbox", "url": .string(r.header("Host").map { "http://\($0)" } ?? "")])
        }
        guard parts.count >= 2, parts[0] == "orgs" else { return notFound() }
        let org = parts[1]
        return locked {
            guard orgs[org] != nil else {
                return .json(403, ["errors": .array([.string("not authorized for organisation \(org)")])])
            }
            switch (r.method, Array(parts.dropFirst(2))) {
            case ("GET", []): return .json(200, orgInfo(org))
            case ("GET", ["domains"]): return .json(200, ["domains": .array(domainList(org))])
            case ("POST", ["domains"]): return createDomains(org, r)
            case ("GET", let p) where p.count == 2 && p[0] == "domains":
                guard let d = orgs[org]!.domains[p[1]] else { return notFound() }
                return .json(200, .object(d))
            case ("POST", let p) where p.count == 2 && p[0] == "domains": return createDomains(org, r, named: p[1])
            case ("PUT", let p) where p.count == 2 && p[0] == "domains": return updateDomain(org, p[1], r)
            case ("DELETE", let p) where p.count == 2 && p[0] == "domains":
                guard orgs[org]!.domains.removeValue(forKey: p[1]) != nil else { return notFound() }
                orgs[org]!.domainOrder.removeAll { $0 == p[1] }
                return .empty(204)
            case ("GET", ["users"]): return .json(200, ["users": .array(orgs[org]!.userOrder.map { .object(orgs[org]!.users[$0]!) })])
            case ("POST", ["users"]): return createUsers(org, r)
            case ("GET", let p) where p.count == 2 && p[0] == "users":
                guard let u = orgs[org]!.users[p[1]] else { return notFound() }
                return .json(200, .object(u))
            case ("PUT", let p) where p.count == 2 && p[0] == "users": return updateUser(org, p[1], r)
            case ("DELETE", let p) where p.count == 2 && p[0] == "users":
                guard orgs[org]!.users.removeValue(forKey: p[1]) != nil else { return notFound() }
                orgs[org]!.userOrder.removeAll { $0 == p[1] }
                return .empty(204)
            case ("GET", ["licensing"]): return .json(200, .object(orgs[org]!.licensing))
            case ("PUT", ["licensing"]):
                guard let body = r.json?.object else { return badRequest("the body is not a JSON object") }
                for (k, v) in body.pairs { orgs[org]!.licensing[k] = v }
                return .empty(204)
            case ("GET", ["features"]):
                return .json(200, ["features": ["outbound_relaying", "disclaimers"]])  // ASSUMED content
            default:
                return notFound()
            }
        }
    }

    func orgInfo(_ org: String) -> JSON {
        .object(JSONObject([("primary_domain", .string(org)), ("name", .string(org)),
                            ("domains", .array(domainList(org)))]))
    }

    func domainList(_ org: String) -> [JSON] {
        orgs[org]!.domainOrder.map { .object(orgs[org]!.domains[$0]!) }
    }

    /// A domain body must carry every documented field with the right type.
    func validateDomain(_ o: JSONObject) -> [String: String] {
        var errors: [String: String] = [:]
        if o["name"]?.string?.isEmpty != false { errors["name"] = "required, a domain name" }
        for key in ["is_active", "is_relay"] where o[key]?.bool == nil { errors[key] = "required, true or false" }
        if o["destination"]?.string == nil { errors["destination"] = "required, a host name or an IP address" }
        if let f = o["failovers"] {
            if f.array?.allSatisfy({ $0.string != nil }) != true { errors["failovers"] = "a list of host names or IP addresses" }
        } else {
            errors["failovers"] = "required, a list (it may be empty: [])"
        }
        return errors
    }

    func domainRecord(_ o: JSONObject) -> JSONObject {
        JSONObject([("name", o["name"]!), ("is_active", o["is_active"]!), ("is_relay", o["is_relay"]!),
                    ("destination", o["destination"]!), ("failovers", o["failovers"] ?? [])])
    }

    /// POST one domain (201, echoing it) or a batch `[...]` (207, one result per item).
    func createDomains(_ org: String, _ r: SandboxRequest, named: String? = nil) -> SandboxResponse {
        guard let body = r.json else { return badRequest("the body is not valid JSON") }
        if case .array(let items) = body {
            let results: [JSON] = items.map { item in
                let one = createOne(org, item.object, named: nil)
                return .object(JSONObject([("status", .int(one.status)), ("body", (try? JSON.parse(one.body)) ?? .null)]))
            }
            return .json(207, ["results": .array(results)])  // ASSUMED envelope of the per-item results
        }
        return createOne(org, body.object, named: named)
    }

    func createOne(_ org: String, _ o: JSONObject?, named: String?) -> SandboxResponse {
        guard var o else { return badRequest("a domain is a JSON object") }
        if let named, o["name"] == nil { o["name"] = .string(named) }
        if let named, o["name"]?.string != named { return invalid(["name": "does not match the address (\(named))"]) }
        let errors = validateDomain(o)
        if !errors.isEmpty { return invalid(errors) }
        let name = o["name"]!.string!.lowercased()
        // The name is unique on the whole platform, not only in this organisation.
        if orgs.values.contains(where: { $0.domains[name] != nil }) {
            return .json(409, ["errors": .array([.string("domain \(name) already exists on the platform")])])
        }
        var record = domainRecord(o)
        record["name"] = .string(name)
        orgs[org]!.domains[name] = record
        orgs[org]!.domainOrder.append(name)
        return .json(201, .object(record))
    }

    func updateDomain(_ org: String, _ name: String, _ r: SandboxRequest) -> SandboxResponse {
        guard orgs[org]!.domains[name] != nil else { return notFound() }
        guard let o = r.json?.object else { return badRequest("the body is not a JSON object") }
        let errors = validateDomain(o)
        if !errors.isEmpty { return invalid(errors) }
        if o["name"]?.string?.lowercased() != name { return invalid(["name": "cannot be changed (\(name))"]) }
        orgs[org]!.domains[name] = domainRecord(o)
        return .empty(204)
    }

    func createUsers(_ org: String, _ r: SandboxRequest) -> SandboxResponse {
        guard let body = r.json else { return badRequest("the body is not valid JSON") }
        let items = body.array ?? [body]
        var results: [JSON] = []
        for item in items {
            guard let o = item.object, let email = o["primary_email"]?.string, email.contains("@") else {
                results.append(.object(JSONObject([("status", 422), ("errors", ["primary_email": "required, an email address"])])))
                continue
            }
            let domain = String(email.split(separator: "@").last ?? "")
            if orgs[org]!.domains[domain] == nil {
                results.append(.object(JSONObject([("status", 422), ("errors", ["primary_email": .string("domain \(domain) is not in the organisation")])])))
            } else if orgs[org]!.users[email] != nil {
                results.append(.object(JSONObject([("status", 409), ("errors", [.string("user \(email) already exists")])])))
            } else {
                orgs[org]!.users[email] = o
                orgs[org]!.userOrder.append(email)
                results.append(.object(JSONObject([("status", 201), ("body", .object(o))])))
            }
        }
        if body.array == nil {
            let only = results[0]
            let status = only["status"]?.int ?? 500
            return .json(status, status == 201 ? only["body"]! : .object(JSONObject([("errors", only["errors"] ?? .null)])))
        }
        return .json(207, ["results": .array(results)])
    }

    func updateUser(_ org: String, _ email: String, _ r: SandboxRequest) -> SandboxResponse {
        guard var u = orgs[org]!.users[email] else { return notFound() }
        guard let o = r.json?.object else { return badRequest("the body is not a JSON object") }
        for (k, v) in o.pairs where k != "primary_email" { u[k] = v }
        orgs[org]!.users[email] = u
        return .empty(204)
    }

    func notFound() -> SandboxResponse { .json(404, ["errors": ["resource not found"]]) }  // ASSUMED
    func badRequest(_ why: String) -> SandboxResponse { .json(400, ["errors": .array([.string(why)])]) }
    func invalid(_ fields: [String: String]) -> SandboxResponse {
        // 422 bodies carry field errors (vendors/NOTES.md).
        .json(422, ["errors": .object(JSONObject(fields.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))])
    }

    public func serverFault(_ request: SandboxRequest) -> SandboxResponse {
        .json(500, ["errors": ["internal server error"]])
    }

    // MARK: state

    public func state() -> JSON {
        locked {
            .object(JSONObject(orgs.keys.sorted().map { name in
                let o = orgs[name]!
                return (name, .object(JSONObject([
                    ("domains", .array(o.domainOrder.map { .object(o.domains[$0]!) })),
                    ("users", .array(o.userOrder.map { .object(o.users[$0]!) })),
                    ("licensing", .object(o.licensing)),
                ])))
            }))
        }
    }

    public func load(_ state: JSON) throws {
        guard let all = state.object else { throw JSONError(offset: 0, message: "proofpoint state is an object of organisations") }
        locked { orgs = [:] }
        for (name, value) in all.pairs {
            locked { orgs[name] = Org(name: name) }
            for d in value["domains"]?.array ?? [] { if let o = d.object { addDomain(org: name, o) } }
            for u in value["users"]?.array ?? [] { if let o = u.object { addUser(org: name, o) } }
            if let l = value["licensing"]?.object { locked { orgs[name]?.licensing = l } }
        }
    }
}
