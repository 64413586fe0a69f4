import MXJSON

/// The Cleanmail REST API, as vendors/cleanmail-api.txt describes it: bearer tokens
/// (section 1), 403 for missing permissions (2), one filter per list with `*` wildcards
/// on names and `sort=field` / `sort=-field` (3), `offset`/`pageSize` paging counted in
/// `X-Total-Count` (4), and all 93 endpoints of section 5 in its 16 groups: admins and
/// their accesses, API tokens, domain aliases, policies, domains (with options, admin
/// and end-user access), DKIM, mailboxes (quarantine, archive, release, sending),
/// attachment, sender and URI filters, health, tasks, temporary tokens, users (with
/// options), email aliases and signatures. The records are shaped like the models of
/// section 6 and the document's examples. The table of endpoints and the files that
/// simulate them heads Tests/MXSandboxTests/CleanmailEndpointCoverageTests.swift.
///
/// The pieces: `CleanmailStore` (records and relations, no HTTP; the rest of section 5's
/// records in CleanmailStore+Records.swift), one `CleanmailAPI`
/// file per resource (its routes and handlers), CleanmailLists.swift (filter, sort,
/// page), CleanmailErrors.swift (Spring's error body, the document's messages).
///
/// Where the document is silent the behaviour follows the real API and is marked
/// ASSUMED. The main ones, once:
/// - ASSUMED error body: Spring Boot's (CleanmailErrors.swift).
/// - ASSUMED ids: the models say int32, the examples show short opaque strings
///   (`"Eygdk"`), one sequence per kind of object. The sandbox encodes its integer ids
///   the same way (`CleanmailID`); ids are strings on the wire and in bodies.
/// - ASSUMED clock: dates are epoch milliseconds from a fixed base advanced one second
///   per created object, never the wall clock, so a seeded sandbox is reproducible.
/// - ASSUMED token with fewer rights: `Bearer sandbox-readonly-token` may read, and is
///   answered 403 (with the endpoint's documented message) on every write.
/// - ASSUMED framework behaviour: an unknown path is a 404 and a known path with
///   another method a 405 with `Allow`, both with the same error body.
public final class CleanmailSimulation: SeedableSimulation, @unchecked Sendable {
    public let vendor = "cleanmail"
    public static let token = "sandbox-token"
    /// ASSUMED (see above): reads only; every write is a 403.
    public static let readOnlyToken = "sandbox-readonly-token"
    /// "pageSize ... defaults to 40" on every list of the document.
    public static let defaultPageSize = 40
    /// 2026-01-01T00:00:00Z: the first date the sandbox hands out.
    public static let epoch = 1_767_225_600_000
    static let tick = 1_000
    /// ASSUMED: a deleted domain is purged 30 days after its deletion ("after a
    /// quarantine delay", 5.5.6).
    static let purgeDelay = 30 * 86_400_000

    let store = SimulationStore(CleanmailStore())
    let router: Router<CleanmailAPI.Route>

    public init() {
        var r = Router<CleanmailAPI.Route>()
        CleanmailAPI.registerDomains(&r)
        CleanmailAPI.registerAliases(&r)
        CleanmailAPI.registerPolicies(&r)
        CleanmailAPI.registerUsers(&r)
        CleanmailAPI.registerRules(&r)
        CleanmailAPI.registerAdmins(&r)
        CleanmailAPI.registerTokens(&r)
        CleanmailAPI.registerAccess(&r)
        CleanmailAPI.registerOptions(&r)
        CleanmailAPI.registerDKIM(&r)
        CleanmailAPI.registerMailboxes(&r)
        CleanmailAPI.registerUploads(&r)
        CleanmailAPI.registerFilters(&r)
        CleanmailAPI.registerHealth(&r)
        CleanmailAPI.registerTasks(&r)
        CleanmailAPI.registerGroups(&r)
        CleanmailAPI.registerSigns(&r)
        router = r
        store.access { $0.ensureOwnAdmin() }
    }

    public func handle(_ r: SandboxRequest) -> SandboxResponse {
        store.access { s in
            let auth = r.header("Authorization") ?? ""
            let presented =
                auth.prefix(7).lowercased() == "bearer " ? String(auth.dropFirst(7)).trimmingCharacters(in: " ") : nil
            // Section 1: "If authentication is invalid or omitted ... 401". ASSUMED body
            // and challenge header (Spring Security's). Paths are not revealed before it.
            guard let presented, presented == Self.token || presented == Self.readOnlyToken else {
                // POST /tasks documents its own 401 message (5.12.1).
                let why =
                    r.path == "/tasks"
                    ? "Authentication failure."
                    : presented == nil
                        ? "Full authentication is required to access this resource" : "Invalid or expired token"
                var e = CleanmailAPI.errorResponse(401, why, path: r.path, clock: s.clock)
                e.headers.append(("WWW-Authenticate", "Bearer"))
                return e
            }
            if r.method != "GET" { s.forgetLists(after: r.path) }
            do {
                switch router.match(method: r.method, path: r.path) {
                case .notFound:
                    // ASSUMED: Spring's answer for a path it has no handler for.
                    throw CleanmailAPI.Failure(404, "No endpoint \(r.method) \(r.path).")
                case .methodNotAllowed(let allow):
                    throw CleanmailAPI.Failure(
                        405, "Request method '\(r.method)' is not supported",
                        headers: [("Allow", allow.joined(separator: ", "))])
                case .found(let route, let parameters):
                    // A GET that writes (GET /token mails the user) forgets cached lists too.
                    if r.method == "GET", route.denied != nil { s.listCache = [:] }
                    // Section 2: a write without the permission is a 403, with the endpoint's message.
                    if let denied = route.denied, presented != Self.token { throw CleanmailAPI.Failure(403, denied) }
                    return try route.run(&s, CleanmailAPI.Call(request: r, parameters: parameters))
                }
            } catch let f as CleanmailAPI.Failure {
                var e = CleanmailAPI.errorResponse(f.status, f.message, path: r.path, clock: s.clock)
                e.headers += f.headers
                return e
            } catch {
                return CleanmailAPI.errorResponse(500, "\(error)", path: r.path, clock: s.clock)
            }
        }
    }

    /// ASSUMED: a 503 with the same error body.
    public func serverFault(_ request: SandboxRequest) -> SandboxResponse {
        store.access {
            CleanmailAPI.errorResponse(503, "Service temporarily unavailable", path: request.path, clock: $0.clock)
        }
    }

    /// ASSUMED: the document publishes no rate limit; a throttle is a 429 with
    /// `Retry-After` and the same error body.
    public func throttled(retryAfter: Int) -> SandboxResponse {
        var r = store.access { CleanmailAPI.errorResponse(429, "Too many requests", path: "", clock: $0.clock) }
        r.headers.append(("Retry-After", String(retryAfter)))
        return r
    }

    public func state() -> JSON { store.access { $0.state() } }

    public func load(_ state: JSON) throws {
        let loaded = try CleanmailStore.load(state)
        store.access { $0 = loaded }
    }
}

/// Cleanmail's handlers, one file per resource, and what they share.
enum CleanmailAPI {
    /// One request as a handler sees it: the request and the path's `{...}` values.
    struct Call {
        let request: SandboxRequest
        let parameters: PathParameters
        subscript(_ name: String) -> String { parameters[name] }
    }

    typealias Handler = @Sendable (inout CleanmailStore, Call) throws -> SandboxResponse

    struct Route: Sendable {
        /// For a write: the 403's message when the token may only read. Nil for reads.
        let denied: String?
        let run: Handler
    }
}

extension Router where Handler == CleanmailAPI.Route {
    mutating func read(_ pattern: String, _ run: @escaping CleanmailAPI.Handler) {
        add("GET", pattern, CleanmailAPI.Route(denied: nil, run: run))
    }

    mutating func write(
        _ method: String, _ pattern: String, denied: String = CleanmailAPI.Message.forbidden,
        _ run: @escaping CleanmailAPI.Handler
    ) {
        add(method, pattern, CleanmailAPI.Route(denied: denied, run: run))
    }
}

extension CleanmailStore {
    /// Before a write: cached list orders go. A write to one domain's aliases or rules
    /// leaves the domain list's order and membership as they were (it sorts and filters
    /// on the domain's own fields), so that ordering is kept.
    mutating func forgetLists(after path: String) {
        let parts = path.split(separator: "/")
        let subResource = parts.count >= 3 && parts[0] == "domains" && ["aliases", "wblist"].contains(parts[2])
        listCache = subResource ? listCache.filter { $0.key.hasPrefix("/domains?") } : [:]
    }
}
