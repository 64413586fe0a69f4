import MXJSON

#if canImport(Glibc)
    import Glibc
#endif

/// The OpenSRS Email API (OMA): `POST /api/<method>` with a JSON body carrying a
/// `credentials` object; HTTP 200 for every well-formed call to a known method, the
/// outcome in `success` / `error_number` / `error`; 400 for malformed JSON, 404 for an
/// unknown method (vendors/opensrs-email-get_domain.txt, vendors/NOTES.md). Deletes
/// are soft: a deleted domain or user can be restored. The records live in
/// `OpenSRSStore`; the methods, one file per kind of object, in `OpenSRSAPI`.
public final class OpenSRSSimulation: VendorSimulation, @unchecked Sendable {
    public let vendor = "opensrs"
    public static let user = "admin@example.com"
    public static let password = "sandbox"
    static let prefix = "/api"

    let store = SimulationStore(OpenSRSStore())
    let router: Router<OpenSRSAPI.Handler>

    public init() {
        var r = Router<OpenSRSAPI.Handler>(prefix: Self.prefix)
        OpenSRSAPI.registerDomains(&r)
        OpenSRSAPI.registerUsers(&r)
        OpenSRSAPI.registerSession(&r)
        OpenSRSAPI.registerHistory(&r)
        router = r
    }

    public func addDomain(_ name: String, _ attributes: JSONObject = JSONObject()) {
        store.access { $0.createDomain(name, attributes) }
    }

    public func addUser(_ email: String, _ attributes: JSONObject = JSONObject()) {
        store.access { $0.createUser(email, attributes) }
    }

    public func handle(_ r: SandboxRequest) -> SandboxResponse {
        let method = r.path.hasPrefix(Self.prefix + "/") ? String(r.path.dropFirst(Self.prefix.count + 1)) : r.path
        switch router.match(method: r.method, path: r.path) {
        case .notFound:
            return .json(404, ["success": false, "error": .string("Unknown method \(method)")])
        case .methodNotAllowed(let allow):
            // ASSUMED: every method is a POST; another HTTP method is a 405 in the same envelope.
            return .json(
                405, ["success": false, "error": .string("Method \(method) is called with POST, not \(r.method)")],
                headers: [("Allow", allow.joined(separator: ", "))])
        case .found(let handler, _):
            guard let body = r.json?.object else {
                return .json(400, ["success": false, "error": "Request is not valid JSON"])
            }
            return store.access { s in
                guard OpenSRSAPI.authorised(s, body["credentials"]?.object) else {
                    return OpenSRSAPI.failure(1, "Invalid credentials")
                }
                return handler(&s, body)
            }
        }
    }

    /// Retryable contention shows as error 20/22/25, not as HTTP 5xx (NOTES.md).
    public func serverFault(_ request: SandboxRequest) -> SandboxResponse {
        let n = [20, 22, 25].randomElement()!
        let message =
            n == 20 ? "Try again later" : n == 22 ? "Temporarily unavailable" : "Provisioning lock not obtained"
        return OpenSRSAPI.failure(n, message)
    }

    public func state() -> JSON { store.access { $0.state() } }

    public func load(_ state: JSON) throws {
        let loaded = OpenSRSStore.load(state)
        store.access { $0 = loaded }
    }
}

/// OpenSRS's methods (domains, users, searches) and what they share.
enum OpenSRSAPI {
    /// A method's body (credentials checked) -> its answer.
    typealias Handler = @Sendable (inout OpenSRSStore, JSONObject) -> SandboxResponse

    /// HTTP 200 with `success: false`, the error number and, for attributes, hints.
    static func failure(_ number: Int, _ message: String, hints: JSONObject? = nil) -> SandboxResponse {
        var o = JSONObject([("success", false), ("error", .string(message)), ("error_number", .int(number))])
        if let hints { o["hints"] = .object(hints) }
        return .json(200, .object(o))
    }

    static let success = SandboxResponse.json(200, ["success": true])

    /// Now, in epoch seconds: session tokens expire, changes are recorded at a time.
    static func now() -> Int { Int(time(nil)) }

    /// `credentials`: the sandbox user with its password, or with a session token from
    /// `authenticate` that has not expired (NOTES.md). `client` is free text.
    static func authorised(_ s: OpenSRSStore, _ c: JSONObject?) -> Bool {
        guard let c, c["user"]?.string == OpenSRSSimulation.user else { return false }
        if let token = c["token"]?.string {
            guard let t = s.tokens[token] else { return false }
            return t.user == OpenSRSSimulation.user && t.expires > now()
        }
        return c["password"]?.string == OpenSRSSimulation.password
    }

    /// Who made a change: the credentials' user, and the client it named.
    static func actor(_ body: JSONObject) -> (user: String, client: String?) {
        (body["credentials"]?["user"]?.string ?? "", body["credentials"]?["client"]?.string)
    }

    /// Records one change (nothing when `attributes` is empty and it is a "change").
    static func record(
        _ s: inout OpenSRSStore, _ body: JSONObject, kind: String, object: String, method: String,
        action: String, _ attributes: JSONObject
    ) {
        if action == "change", attributes.count == 0 { return }
        let (user, client) = actor(body)
        s.history.append(
            OpenSRSStore.HistoryRecord(
                kind: kind, object: object, time: now(), by: user, client: client,
                method: method, action: action, attributes: attributes))
    }

    /// `{attribute: {"old": ..., "new": ...}}` for each attribute `given` changes.
    static func diff(_ before: JSONObject?, _ after: JSONObject, given: JSONObject) -> JSONObject {
        var d = JSONObject()
        for (k, _) in given.pairs {
            if k == "password" { d[k] = ["old": "****", "new": "****"]; continue }
            let old = before?[k] ?? .null, new = after[k] ?? .null
            if before == nil || old != new { d[k] = .object(JSONObject([("old", old), ("new", new)])) }
        }
        return d
    }

    /// A name member, lower case: domain names and addresses compare without regard to case.
    static func name(_ body: JSONObject, _ key: String) -> String? { body[key]?.string?.lowercased() }

    static func badlyFormatted(_ key: String, _ why: String) -> SandboxResponse {
        failure(5, "Request is badly formatted", hints: [key: .string(why)])
    }
}

/// `*`/`?` wildcards, case-insensitive, as search criteria use them.
func wildcard(_ text: String, _ pattern: String) -> Bool {
    let t = Array(text.lowercased()), p = Array(pattern.lowercased())
    var ti = 0, pi = 0, star = -1, mark = 0
    while ti < t.count {
        if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
            ti += 1; pi += 1
        } else if pi < p.count, p[pi] == "*" {
            star = pi; mark = ti; pi += 1
        } else if star >= 0 {
            pi = star + 1; mark += 1; ti = mark
        } else {
            return false
        }
    }
    while pi < p.count, p[pi] == "*" { pi += 1 }
    return pi == p.count
}
