import MXJSON

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
            return .json(405, ["success": false, "error": .string("Method \(method) is called with POST, not \(r.method)")],
                         headers: [("Allow", allow.joined(separator: ", "))])
        case .found(let handler, _):
            guard let body = r.json?.object else {
                return .json(400, ["success": false, "error": "Request is not valid JSON"])
            }
            let creds = body["credentials"]?.object
            guard creds?["user"]?.string == Self.user, creds?["password"]?.string == Self.password else {
                return OpenSRSAPI.failure(1, "Invalid credentials")
            }
            return store.access { handler(&$0, body) }
        }
    }

    /// Retryable contention shows as error 20/22/25, not as HTTP 5xx (NOTES.md).
    public func serverFault(_ request: SandboxRequest) -> SandboxResponse {
        let n = [20, 22, 25].randomElement()!
        let message = n == 20 ? "Try again later" : n == 22 ? "Temporarily unavailable" : "Provisioning lock not obtained"
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
        if pi < p.count, p[pi] == "?" || p[pi] == t[ti] { ti += 1; pi += 1 }
        else if pi < p.count, p[pi] == "*" { star = pi; mark = ti; pi += 1 }
        else if star >= 0 { pi = star + 1; mark += 1; ti = mark }
        else { return false }
    }
    while pi < p.count, p[pi] == "*" { pi += 1 }
    return pi == p.count
}
