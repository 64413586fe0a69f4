import MXJSON

/// Proofpoint Essentials API v1, as vendors/proofpoint-essentials-*.txt describe it:
/// `/api/v1/orgs/{org}/domains[/{domain}]` with `X-User`/`X-Password` headers; POST
/// 201 (or 207 for a batch), PUT and DELETE 204, and 400/401/403/409/422 as listed.
/// Where the documents are silent the shapes follow the public API and are marked
/// ASSUMED. The records live in `ProofpointStore`; the handlers, one file per
/// resource, in `ProofpointAPI`.
public final class ProofpointSimulation: VendorSimulation, @unchecked Sendable {
    public let vendor = "proofpoint"
    public static let user = "admin@example.com"
    public static let password = "sandbox"
    static let prefix = "/api/v1"

    let store: SimulationStore<ProofpointStore>
    let router: Router<ProofpointAPI.Handler>

    public init(orgs names: [String] = ["example.com"]) {
        store = SimulationStore(ProofpointStore(orgs: names))
        var r = Router<ProofpointAPI.Handler>(prefix: Self.prefix)
        ProofpointAPI.registerDomains(&r)
        ProofpointAPI.registerUsers(&r)
        ProofpointAPI.registerOrgs(&r)
        ProofpointAPI.registerDKIM(&r)
        router = r
    }

    // MARK: seeding

    public func addDomain(org: String, _ d: JSONObject) { store.access { $0.putDomain(org, d) } }
    public func addUser(org: String, _ u: JSONObject) { store.access { $0.putUser(org, u) } }

    // MARK: requests

    public func handle(_ r: SandboxRequest) -> SandboxResponse {
        guard r.path.hasPrefix(Self.prefix) else { return ProofpointAPI.notFound() }
        return store.access { s in
            // Header names are case-insensitive: X-user and X-User are the same header.
            guard let home = s.accountOrg(r.header("X-User"), r.header("X-Password")) else {
                return .json(401, ["errors": ["invalid credentials"]])  // ASSUMED body shape
            }
            switch router.match(method: r.method, path: r.path) {
            case .notFound:
                return ProofpointAPI.notFound()
            case .methodNotAllowed(let allow):
                // ASSUMED: the documents list no 405; the same `errors` list as every error.
                return .json(
                    405, ["errors": .array([.string("method \(r.method) not allowed")])],
                    headers: [("Allow", allow.joined(separator: ", "))])
            case .found(let handler, let parameters):
                let call = ProofpointAPI.Call(request: r, parameters: parameters, home: home)
                // Every path under /orgs/{org} needs an organisation the credentials reach:
                // the account's own, or a customer it owns (a partner's, at any depth).
                // A missing one answers the same, so a typo'd org says "not authorized".
                if parameters.values.contains(where: { $0.0 == "org" }), !s.reaches(home, call.org) {
                    return ProofpointAPI.notAuthorized(call.org)
                }
                return handler(&s, call)
            }
        }
    }

    public func serverFault(_ request: SandboxRequest) -> SandboxResponse {
        .json(500, ["errors": ["internal server error"]])
    }

    // MARK: state

    public func state() -> JSON { store.access { $0.state() } }

    public func load(_ state: JSON) throws {
        let loaded = try ProofpointStore.load(state)
        store.access { $0 = loaded }
    }
}

/// The handlers of Proofpoint's resources (one file per resource) and their errors.
enum ProofpointAPI {
    typealias Handler = @Sendable (inout ProofpointStore, Call) -> SandboxResponse

    /// One request as a handler sees it: the request and the path's `{...}` values.
    struct Call {
        let request: SandboxRequest
        let parameters: PathParameters
        /// The organisation the credentials administer (lower case).
        var home: String = ""
        var org: String { parameters["org"] }
        subscript(_ name: String) -> String { parameters[name] }
    }

    static func notFound() -> SandboxResponse { .json(404, ["errors": ["resource not found"]]) }  // ASSUMED
    static func notAuthorized(_ org: String) -> SandboxResponse {
        .json(403, ["errors": .array([.string("not authorized for organisation \(org)")])])
    }

    /// A domain the organisation does not have. The documents answer no 404: PUT lists
    /// 403 "incorrect domain", DELETE 403 "not associated with the domain" (and 400
    /// "mistyped address" for both). ASSUMED (CONTRADICTIONS.md): 403, with both of the
    /// documents' words, for GET, PUT, DELETE and the domain's DKIM; the organisation
    /// itself, when it is missing or out of reach, answers 403 "not authorized for
    /// organisation ...", so the two can be told apart by the message.
    static func incorrectDomain(_ org: String, _ domain: String) -> SandboxResponse {
        .json(
            403,
            [
                "errors": .array([
                    .string("incorrect domain: organisation \(org) is not associated with the domain \(domain)")
                ])
            ])
    }
    static func badRequest(_ why: String) -> SandboxResponse { .json(400, ["errors": .array([.string(why)])]) }
    static func conflict(_ why: String) -> SandboxResponse { .json(409, ["errors": .array([.string(why)])]) }

    /// The 207 answer of a batch: each item's own answer, `{"status", "body"}` when it
    /// succeeded, `{"status", "errors"}` when not (ASSUMED envelope).
    static func batch(_ answers: [SandboxResponse]) -> SandboxResponse {
        let results: [JSON] = answers.map { one in
            let body = (try? JSON.parse(one.body)) ?? .null
            if one.status < 300 { return .object(JSONObject([("status", .int(one.status)), ("body", body)])) }
            return .object(JSONObject([("status", .int(one.status)), ("errors", body["errors"] ?? .null)]))
        }
        return .json(207, ["results": .array(results)])
    }

    /// 422 bodies carry field errors (vendors/NOTES.md).
    static func invalid(_ fields: [String: String]) -> SandboxResponse {
        .json(
            422, ["errors": .object(JSONObject(fields.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))])
    }
}
