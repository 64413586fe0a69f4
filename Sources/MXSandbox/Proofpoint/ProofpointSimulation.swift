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
        ProofpointAPI.registerOrganisation(&r)
        ProofpointAPI.registerDomains(&r)
        ProofpointAPI.registerUsers(&r)
        router = r
    }

    // MARK: seeding

    public func addDomain(org: String, _ d: JSONObject) { store.access { $0.putDomain(org, d) } }
    public func addUser(org: String, _ u: JSONObject) { store.access { $0.putUser(org, u) } }

    // MARK: requests

    public func handle(_ r: SandboxRequest) -> SandboxResponse {
        guard r.path.hasPrefix(Self.prefix) else { return ProofpointAPI.notFound() }
        // Header names are case-insensitive: X-user and X-User are the same header.
        guard r.header("X-User") == Self.user, r.header("X-Password") == Self.password else {
            return .json(401, ["errors": ["invalid credentials"]])  // ASSUMED body shape
        }
        switch router.match(method: r.method, path: r.path) {
        case .notFound:
            return ProofpointAPI.notFound()
        case .methodNotAllowed(let allow):
            // ASSUMED: the documents list no 405; the same `errors` list as every error.
            return .json(405, ["errors": .array([.string("method \(r.method) not allowed")])],
                         headers: [("Allow", allow.joined(separator: ", "))])
        case .found(let handler, let parameters):
            let call = ProofpointAPI.Call(request: r, parameters: parameters)
            return store.access { s in
                // Every path under /orgs/{org} needs an organisation the credentials reach.
                if parameters.values.contains(where: { $0.0 == "org" }), !s.hasOrg(call.org) {
                    return .json(403, ["errors": .array([.string("not authorized for organisation \(call.org)")])])
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
        var org: String { parameters["org"] }
        subscript(_ name: String) -> String { parameters[name] }
    }

    static func notFound() -> SandboxResponse { .json(404, ["errors": ["resource not found"]]) }  // ASSUMED
    static func badRequest(_ why: String) -> SandboxResponse { .json(400, ["errors": .array([.string(why)])]) }
    static func conflict(_ why: String) -> SandboxResponse { .json(409, ["errors": .array([.string(why)])]) }

    /// 422 bodies carry field errors (vendors/NOTES.md).
    static func invalid(_ fields: [String: String]) -> SandboxResponse {
        .json(422, ["errors": .object(JSONObject(fields.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))])
    }

    // MARK: the organisation

    static func registerOrganisation(_ r: inout Router<Handler>) {
        r.add("GET", "/endpoints/{domain}", endpoint)
        r.add("GET", "/orgs/{org}", organisation)
        r.add("GET", "/orgs/{org}/licensing", licensing)
        r.add("PUT", "/orgs/{org}/licensing", updateLicensing)
        r.add("GET", "/orgs/{org}/features", features)
    }

    /// ASSUMED shape: which stack hosts the organisation. The sandbox hosts all.
    static func endpoint(_ s: inout ProofpointStore, _ c: Call) -> SandboxResponse {
        guard s.hasOrg(c["domain"]) else { return notFound() }
        return .json(200, ["endpoint": "sandbox", "url": .string(c.request.header("Host").map { "http://\($0)" } ?? "")])
    }

    static func organisation(_ s: inout ProofpointStore, _ c: Call) -> SandboxResponse {
        .json(200, .object(JSONObject([("primary_domain", .string(c.org)), ("name", .string(c.org)),
                                       ("domains", .array(s.domains(c.org).map(JSON.object)))])))
    }

    static func licensing(_ s: inout ProofpointStore, _ c: Call) -> SandboxResponse {
        .json(200, .object(s.orgs[ProofpointStore.key(c.org)]!.licensing))
    }

    static func updateLicensing(_ s: inout ProofpointStore, _ c: Call) -> SandboxResponse {
        guard let body = c.request.json?.object else { return badRequest("the body is not a JSON object") }
        for (k, v) in body.pairs { s.orgs[ProofpointStore.key(c.org)]!.licensing[k] = v }
        return .empty(204)
    }

    static func features(_ s: inout ProofpointStore, _ c: Call) -> SandboxResponse {
        .json(200, ["features": ["outbound_relaying", "disclaimers"]])  // ASSUMED content
    }
}
