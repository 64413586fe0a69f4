import MXJSON

/// The Cleanmail REST API, as vendors/cleanmail-api.txt describes it: bearer tokens
/// (section 1), 403 for missing permissions (2), one filter per list with `*` wildcards
/// on names and `sort=field` / `sort=-field` (3), `offset`/`pageSize` paging counted in
/// `X-Total-Count` (4), and the endpoints of section 5 that mxsh's object model uses:
/// domains, domain aliases, domain policies (they carry `outgoing`), users, and the
/// filtering rules on senders (ALLOW/BLOCK/PROTECTED) of domains and mailboxes. The
/// records are shaped like the models of section 6 and the document's examples.
///
/// Where the document is silent the behaviour follows the real API and is marked
/// ASSUMED. The main ones, once:
/// - ASSUMED error body: the document lists status codes and messages but no body. The
///   API is a Spring application (its examples are Spring REST Docs), so errors carry
///   Spring Boot's body `{"timestamp", "status", "error", "message", "path"}`, with the
///   document's message for that endpoint and code as `message`. `timestamp` is the
///   sandbox's clock (below), so replies are reproducible.
/// - ASSUMED ids: the models say int32, the examples show short opaque strings
///   (`"Eygdk"`), one sequence per kind of object. The sandbox encodes its integer ids
///   the same way (`CleanmailID`); ids are strings on the wire and in bodies.
/// - ASSUMED clock: dates are epoch milliseconds from a fixed base advanced one second
///   per created object, never the wall clock, so a seeded sandbox is reproducible.
/// - ASSUMED token with fewer rights: `Bearer sandbox-readonly-token` may read, and is
///   answered 403 (with the endpoint's documented message) on every write.
/// - ASSUMED framework behaviour: malformed JSON, a member of the wrong type, a
///   missing required member (the models' Required column) or an unknown enum value is
///   a 400; unknown members are ignored; an unknown path is a 404 and a known path
///   with another method a 405, both with the same error body.
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

    static let languages = ["FR", "EN", "DE", "ES", "DA", "NB"]
    static let domainStatuses = ["ENABLED", "DISABLED", "DELETED", "PENDING"]
    static let userStatuses = ["ENABLED", "DISABLED", "PENDING"]
    static let wblistPriorities = ["DOMAIN", "USER"]
    static let ruleTypes = ["ALLOW", "BLOCK", "PROTECTED"]
    static let transportTypes = ["SMTP", "SMTPS_ENCRYPT", "SMTPS_MAY"]
    static let apiTypes = ["IMAP", "EXCHANGE", "O365"]
    static let authTypes = ["local", "imap", "ldap", "oidc", "entra"]

    enum Kind: String, CaseIterable { case domain, alias, platform, policy, user, rule }

    /// A request that fails: its status and the error body's `message`.
    struct Failure: Error {
        let status: Int
        let message: String
        var headers: [(name: String, value: String)] = []
        init(_ status: Int, _ message: String, headers: [(name: String, value: String)] = []) {
            self.status = status
            self.message = message
            self.headers = headers
        }
    }

    /// The document's messages (the "Responses" tables of section 5), verbatim.
    enum Message {
        static let forbidden = "You do not have permission to execute this request."
        static let sysadmin = "Only users with sysadmin role can execute this request."
        static let createDomainForbidden = "Authorisation failure. You may have reached the limitation of domain creation or you do not have the sysadmin role."
        static let conditions = "Operation cannot be done because of not met conditions."
        static let domainNotFound = "Domain not found with given id"
        static let domainNameFormat = "A problem occurred. Possible cause: the domain name does not match required format"
        static let domainNameFormatPatch = "A problem occured. Possible cause: the domain name does not match required format"
        static let domainExists = "A domain may already exists with the given name"
        static let aliasDomainMissing = "A problem occured. The domain may not exist"
        static let aliasOrDomainExists = "An alias or a domain may already exists with the given name"
        static let aliasExists = "An alias may already exists with the given name"
        static let parameterFormat = "A problem occured. Possible cause: at least one parameter might not match required format"
        static let aliasMissing = "A problem occured. The domain and/or the alias may not exist"
        static let policyNotFound = "Policy not found with given id"
        static let policyNotFoundDot = "Policy not found with given id."
        static let policyInUse = "A problem occured. Possible cause: the policy is affected to a domain or a user."
        static let policyNameFormat = "A problem occured. Possible cause: the policy name does not match required format"
        static let policyExists = "A policy may already exists with the given name"
        static let newUserInvalid = "A problem occured. Possible causes: the account email does not match email format or domain not found"
        static let userExists = "A user may already exists with the given name"
        static let userOrDomainNotFound = "User or domain not found with given id"
        static let userNotFound = "User not found with given id"
        static let userEmailFormat = "A problem has occured. Possible cause: the account email does not match email format"
        static let ruleExists = "An identical rule may already exist"
        static let ruleExistsS = "An identical rule may already exists"
        static let ruleDomainMissing = "Domain may not exist"
        static let ruleUserMissing = "User may not exist"
        static let ruleDomainGone = "A problem occured. The domain may not exist"
        static let ruleUserGone = "A problem occured. The user may not exist"
    }

    /// ASSUMED: every domain belongs to the one customer of the sandbox's account.
    static let customerID = 1
    static let customer = JSONObject([("id", .string(CleanmailID.encode(customerID))), ("brokerId", .string(CleanmailID.encode(customerID))),
                                      ("name", "Sandbox"), ("description", .null), ("externalId", .null), ("createdAt", .int(epoch))])

    private let lock = PThreadLock()
    private var clock = CleanmailSimulation.epoch
    private var counters: [Kind: Int] = [:]
    // The records, keyed by integer id; their `id` members hold the public (encoded) ids.
    private var domains: [Int: JSONObject] = [:]
    private var aliases: [Int: JSONObject] = [:]
    private var policies: [Int: JSONObject] = [:]
    private var users: [Int: JSONObject] = [:]
    private var rules: [Int: JSONObject] = [:]
    // Indexes, rebuilt by `load`.
    /// Domain and alias names (lower case) -> the domain's id: one namespace for both.
    private var names: [String: Int] = [:]
    private var domainAliases: [Int: [Int]] = [:]
    private var domainPolicies: [Int: [Int]] = [:]
    private var domainUsers: [Int: [Int]] = [:]
    private var emails: [String: Int] = [:]
    /// `domain:7` / `user:12` -> rule ids.
    private var ownerRules: [String: [Int]] = [:]
    /// Filtered and sorted lists by query, forgotten at every write (`page`).
    private var sorted: [String: [Int]] = [:]

    public init() {}

    private func locked<T>(_ body: () -> T) -> T { lock.withLock(body) }

    /// For the seeding helpers: a write, so the cached lists go.
    private func writing<T>(_ body: () -> T) -> T {
        lock.withLock {
            sorted = [:]
            return body()
        }
    }

    // MARK: seeding helpers (the same validation as the API; nil when refused)

    /// Creates a domain as `POST /domains` would, with a default platform when a
    /// destination is given; returns its id.
    @discardableResult
    public func addDomain(_ name: String, status: String = "ENABLED", description: String? = nil, language: String = "EN",
                          destination: String? = nil, port: Int = 25, fallback: String? = nil, outgoing: Bool = false,
                          externalId: String? = nil, quarantine: Bool = true) -> String? {
        var body = JSONObject([("name", .string(name)), ("status", .string(status)), ("incoming", true), ("outgoing", .bool(outgoing)),
                               ("quarantine", .bool(quarantine)), ("retention", false), ("archive", false),
                               ("defaultLanguage", .string(language))])
        if let description { body["description"] = .string(description) }
        if let externalId { body["externalId"] = .string(externalId) }
        if let destination {
            var p = JSONObject([("name", "platform"), ("transportDest", .string(destination)), ("transportType", "SMTP"),
                                ("transportPort", .int(port))])
            if let fallback {
                p["fallbackTransportDest"] = .string(fallback)
                p["fallbackTransportType"] = "SMTP"
                p["fallbackTransportPort"] = .int(port)
            }
            p["authType"] = "local"
            p["default"] = true
            body["platforms"] = [.object(p)]
        }
        return writing { (try? createDomain(body)).map { CleanmailID.encode($0) } }
    }

    @discardableResult
    public func addAlias(domainID: String, _ name: String) -> String? {
        writing {
            guard let d = CleanmailID.decode(domainID), domains[d] != nil, (try? validateAliasNames([.string(name)])) != nil,
                  names[name.lowercased()] == nil else { return nil }
            return CleanmailID.encode(insertAlias(name.lowercased(), domain: d))
        }
    }

    @discardableResult
    public func addUser(domainID: String, email: String, firstname: String? = nil, lastname: String? = nil,
                        status: String = "ENABLED", language: String? = nil) -> String? {
        var body = JSONObject([("email", .string(email)), ("status", .string(status)), ("domainId", .string(domainID))])
        if let firstname { body["firstname"] = .string(firstname) }
        if let lastname { body["lastname"] = .string(lastname) }
        if let language { body["language"] = .string(language) }
        return writing { (try? createUser(body)).map { CleanmailID.encode($0) } }
    }

    /// A sender rule of a domain: `type` ALLOW, BLOCK or PROTECTED.
    @discardableResult
    public func addRule(domainID: String, value: String, type: String, description: String? = nil) -> String? {
        writing {
            guard let d = CleanmailID.decode(domainID), domains[d] != nil else { return nil }
            return addRule(owner: "domain:\(d)", value: value, type: type, description: description)
        }
    }

    /// A sender rule of a mailbox.
    @discardableResult
    public func addRule(userID: String, value: String, type: String, description: String? = nil) -> String? {
        writing {
            guard let u = CleanmailID.decode(userID), users[u] != nil else { return nil }
            return addRule(owner: "user:\(u)", value: value, type: type, description: description)
        }
    }

    private func addRule(owner: String, value: String, type: String, description: String?) -> String? {
        var o = JSONObject([("value", .string(value)), ("type", .string(type))])
        if let description { o["description"] = .string(description) }
        if type == "ALLOW" { o["spfOn"] = false }
        guard let rule = try? parseRule(.object(o)), !isDuplicate(rule.value, owner: owner, except: nil) else { return nil }
        return CleanmailID.encode(insertRule(rule, owner: owner))
    }

    /// The id of the domain with this name, if any.
    public func domainID(named name: String) -> String? {
        locked {
            guard let d = names[name.lowercased()], domains[d]?["name"]?.string == name.lowercased() else { return nil }
            return CleanmailID.encode(d)
        }
    }

    // MARK: requests

    public func handle(_ r: SandboxRequest) -> SandboxResponse {
        locked {
            let parts = r.path.split(separator: "/").map { String($0).percentDecoded() }
            let auth = r.header("Authorization") ?? ""
            let scheme = auth.prefix(7).lowercased()
            let presented = scheme == "bearer " ? String(auth.dropFirst(7)).trimmingCharacters(in: " ") : nil
            // Section 1: "If authentication is invalid or omitted ... 401". ASSUMED body
            // and challenge header (Spring Security's).
            guard let presented, presented == Self.token || presented == Self.readOnlyToken else {
                let why = presented == nil ? "Full authentication is required to access this resource" : "Invalid or expired token"
                var e = errorResponse(401, why, r)
                e.headers.append(("WWW-Authenticate", "Bearer"))
                return e
            }
            let canWrite = presented == Self.token
            if r.method != "GET" {
                // A write to one domain's aliases or rules leaves the domain list's
                // order and membership as they were (it sorts and filters on the
                // domain's own fields): that ordering is kept, everything else dropped.
                let subResource = parts.count >= 3 && parts[0] == "domains" && ["aliases", "wblist"].contains(parts[2])
                sorted = subResource ? sorted.filter { $0.key.hasPrefix("/domains?") } : [:]
            }
            do {
                return try route(r, parts, canWrite: canWrite)
            } catch let f as Failure {
                var e = errorResponse(f.status, f.message, r)
                e.headers += f.headers
                return e
            } catch {
                return errorResponse(500, "\(error)", r)
            }
        }
    }

    private func route(_ r: SandboxRequest, _ p: [String], canWrite: Bool) throws -> SandboxResponse {
        /// Section 2: a write without the permission is a 403, with the endpoint's message.
        func write(_ message: String = Message.forbidden) throws {
            if !canWrite { throw Failure(403, message) }
        }
        func methods(_ allowed: [String]) throws -> Never {
            // ASSUMED: Spring's 405 for a known path with another method.
            throw Failure(405, "Request method '\(r.method)' is not supported", headers: [("Allow", allowed.joined(separator: ", "))])
        }
        switch p.count {
        case 1 where p[0] == "domains":
            switch r.method {
            case "GET": return try listDomains(r)
            case "POST": try write(Message.createDomainForbidden); return try postDomain(r)
            default: try methods(["GET", "POST"])
            }
        case 2 where p[0] == "domains":
            switch r.method {
            case "GET": return .json(200, renderDomain(try domain(p[1], Message.domainNotFound)))
            case "PATCH": try write(); return try patchDomain(p[1], r)
            case "DELETE": try write(Message.sysadmin); return try deleteDomain(p[1])
            default: try methods(["GET", "PATCH", "DELETE"])
            }
        case 3 where p[0] == "domains" && p[2] == "aliases":
            switch r.method {
            case "GET": return try listAliases(p[1], r)
            case "POST": try write(); return try postAliases(p[1], r)
            case "PUT": try write(); return try putAliases(p[1], r)
            default: try methods(["GET", "POST", "PUT"])
            }
        case 4 where p[0] == "domains" && p[2] == "aliases":
            guard r.method == "DELETE" else { try methods(["DELETE"]) }
            try write()
            return try deleteAlias(p[1], p[3])
        case 3 where p[0] == "domains" && p[2] == "users":
            guard r.method == "GET" else { try methods(["GET"]) }
            let d = try domain(p[1], Message.domainNotFound)
            return try listUsers(r, in: d)
        case 3 where p[0] == "domains" && p[2] == "policies":
            switch r.method {
            case "GET": return try listPolicies(p[1], r)
            case "POST": try write(Message.sysadmin); return try postPolicy(p[1], r)
            default: try methods(["GET", "POST"])
            }
        case 2 where p[0] == "policies":
            switch r.method {
            case "GET": return .json(200, .object(try policy(p[1], Message.policyNotFound).1))
            case "PATCH": try write(Message.sysadmin); return try patchPolicy(p[1], r)
            case "DELETE": try write(Message.sysadmin); return try deletePolicy(p[1])
            default: try methods(["GET", "PATCH", "DELETE"])
            }
        case 1 where p[0] == "users":
            switch r.method {
            case "GET": return try listUsers(r, in: nil)
            case "POST": try write(); return try postUser(r)
            default: try methods(["GET", "POST"])
            }
        case 2 where p[0] == "users":
            switch r.method {
            // ASSUMED: the document lists no code for GET /users/{id}; 404 as for PATCH.
            case "GET": return .json(200, renderUser(try user(p[1], Message.userNotFound)))
            case "PATCH": try write(); return try patchUser(p[1], r)
            case "DELETE": try write(); return try deleteUser(p[1])
            default: try methods(["GET", "PATCH", "DELETE"])
            }
        case 1 where p[0] == "wblist":
            guard r.method == "POST" else { try methods(["POST"]) }
            try write()
            return try postRulesWithOwners(r)
        case 3 where (p[0] == "domains" || p[0] == "users") && p[2] == "wblist":
            let owner = try ruleOwner(p[0], p[1], missing: p[0] == "domains" ? Message.ruleDomainMissing : Message.ruleUserMissing,
                                      canWrite: canWrite, method: r.method)
            switch r.method {
            case "GET": return try listRules(owner, r, defaultSort: p[0] == "domains" ? "owner" : "id")
            case "POST": return try postRules(owner, r)
            case "PUT": return try putRules(owner, r)
            default: try methods(["GET", "POST", "PUT"])
            }
        case 4 where (p[0] == "domains" || p[0] == "users") && p[2] == "wblist":
            guard r.method == "PUT" || r.method == "DELETE" else { try methods(["PUT", "DELETE"]) }
            let isDomain = p[0] == "domains"
            let missing = r.method == "PUT" ? (isDomain ? Message.ruleDomainMissing : Message.ruleUserMissing)
                                            : (isDomain ? Message.ruleDomainGone : Message.ruleUserGone)
            let owner = try ruleOwner(p[0], p[1], missing: missing, canWrite: canWrite, method: r.method)
            guard let rid = CleanmailID.decode(p[3]), let rule = rules[rid], ownerKey(rule) == owner else {
                throw Failure(404, missing)
            }
            if r.method == "DELETE" {
                removeRule(rid)
                return .empty(204)
            }
            return try putRule(rid, owner, r)
        default:
            break
        }
        // ASSUMED: Spring's answer for a path it has no handler for. The document's
        // other endpoints (DKIM, options, admins, tokens, health, emails...) are not
        // simulated and answer this too.
        throw Failure(404, "No endpoint \(r.method) \(r.path).")
    }

    // MARK: errors and bodies

    func errorResponse(_ status: Int, _ message: String, _ r: SandboxRequest) -> SandboxResponse {
        .json(status, .object(JSONObject([("timestamp", .string(Self.isoTimestamp(clock))), ("status", .int(status)),
                                          ("error", .string(Self.reason(status))), ("message", .string(message)),
                                          ("path", .string(r.path))])))
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 409: return "Conflict"
        case 422: return "Unprocessable Entity"
        case 429: return "Too Many Requests"
        case 503: return "Service Unavailable"
        default: return "Internal Server Error"
        }
    }

    /// ASSUMED: a 503 with the same error body.
    public func serverFault(_ request: SandboxRequest) -> SandboxResponse {
        locked { errorResponse(503, "Service temporarily unavailable", request) }
    }

    /// ASSUMED: the document publishes no rate limit; a throttle is a 429 with
    /// `Retry-After` and the same error body.
    public func throttled(retryAfter: Int) -> SandboxResponse {
        var r = locked { errorResponse(429, "Too many requests", SandboxRequest(method: "", path: "")) }
        r.headers.append(("Retry-After", String(retryAfter)))
        return r
    }

    /// The request's body as JSON; a body that does not parse is a 400 (ASSUMED wording).
    func body(_ r: SandboxRequest) throws -> JSON {
        guard let j = r.json else { throw Failure(400, "JSON parse error: the request body is not valid JSON") }
        return j
    }

    func bodyObject(_ r: SandboxRequest) throws -> JSONObject {
        guard let o = try body(r).object else { throw Failure(400, "JSON parse error: the request body must be a JSON object") }
        return o
    }

    /// `Location` of a created resource, as in the document's examples.
    func location(_ r: SandboxRequest, _ path: String) -> [(name: String, value: String)] {
        let root = r.header("Host").map { "http://\($0)" } ?? ""
        return [("Access-Control-Expose-Headers", "Content-Location"), ("Location", root + path)]
    }

    func now() -> Int {
        clock += Self.tick
        return clock
    }

    func next(_ kind: Kind) -> Int {
        let n = (counters[kind] ?? 0) + 1
        counters[kind] = n
        return n
    }

    // MARK: lookups

    func domain(_ id: String, _ missing: String) throws -> Int {
        guard let n = CleanmailID.decode(id), domains[n] != nil else { throw Failure(404, missing) }
        return n
    }

    func user(_ id: String, _ missing: String) throws -> Int {
        guard let n = CleanmailID.decode(id), users[n] != nil else { throw Failure(404, missing) }
        return n
    }

    func policy(_ id: String, _ missing: String) throws -> (Int, JSONObject) {
        guard let n = CleanmailID.decode(id), let p = policies[n] else { throw Failure(404, missing) }
        return (n, p)
    }

    /// The integer behind a stored public id (`"Eygdk"`).
    func num(_ v: JSON?) -> Int? { v?.string.flatMap(CleanmailID.decode) }

    // MARK: lists (sections 3 and 4)

    struct ListQuery {
        var offset = 0
        var pageSize = CleanmailSimulation.defaultPageSize
        var sort: [(field: String, descending: Bool)] = []
    }

    /// `offset`, `pageSize` and `sort` (`name`, `-name`; ASSUMED: several fields may be
    /// given separated by commas, and an unknown field is Spring Data's 400).
    func listQuery(_ r: SandboxRequest, defaultSort: String, fields: Set<String>, type: String) throws -> ListQuery {
        var q = ListQuery()
        if let o = r.queryValue("offset"), !o.isEmpty {
            // ASSUMED: a value that is not a non-negative integer is a 400.
            guard let n = Int(o), n >= 0 else { throw Failure(400, "Failed to convert value of parameter 'offset': '\(o)' is not a non-negative integer") }
            q.offset = n
        }
        if let s = r.queryValue("pageSize"), !s.isEmpty {
            guard let n = Int(s), n > 0 else { throw Failure(400, "Failed to convert value of parameter 'pageSize': '\(s)' is not a positive integer") }
            q.pageSize = n
        }
        let spec = r.queryValue("sort").flatMap { $0.isEmpty ? nil : $0 } ?? defaultSort
        for raw in spec.split(separator: ",") {
            let item = String(raw).trimmingCharacters(in: " ")
            let descending = item.hasPrefix("-")
            let field = descending || item.hasPrefix("+") ? String(item.dropFirst()) : item
            guard fields.contains(field) else { throw Failure(400, "No property '\(field)' found for type '\(type)'") }
            q.sort.append((field, descending))
        }
        return q
    }

    /// Section 3.1: "Only one filter is allowed". ASSUMED: more than one is a 400.
    /// Returns the one given (name, value), if any; an empty value counts as absent.
    func singleFilter(_ r: SandboxRequest, _ names: [String]) throws -> (String, String)? {
        let given = names.compactMap { n in r.queryValue(n).flatMap { $0.isEmpty ? nil : (n, $0) } }
        if given.count > 1 { throw Failure(400, "Only one filter is allowed (got \(given.map(\.0).joined(separator: ", ")))") }
        return given.first
    }

    /// Filter, sort, slice, render: a page of a list with `X-Total-Count`. The filtered
    /// and sorted ids are kept until the next write, so paging through a long list
    /// sorts it once, not once per page.
    func page(_ r: SandboxRequest, _ q: ListQuery, _ ids: () throws -> [Int], key: (Int, String) -> JSON,
              render: (Int) -> JSON) throws -> SandboxResponse {
        let cacheKey = r.path + "?" + r.query.filter { $0.name != "offset" && $0.name != "pageSize" }
            .map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        let ordered: [Int]
        if let hit = sorted[cacheKey] {
            ordered = hit
        } else {
            var keyed: [(keys: [SortKey], id: Int)] = try ids().map { id in (q.sort.map { SortKey(key(id, $0.field)) }, id) }
            keyed.sort { a, b in
                for (i, s) in q.sort.enumerated() {
                    let c = a.keys[i].compare(b.keys[i])
                    if c != 0 { return s.descending ? c > 0 : c < 0 }
                }
                return a.id < b.id  // ASSUMED: ties in id order
            }
            ordered = keyed.map(\.id)
            if sorted.count >= 64 { sorted = [:] }
            sorted[cacheKey] = ordered
        }
        let slice = ordered.dropFirst(q.offset).prefix(q.pageSize)
        return .json(200, .array(slice.map(render)),
                     headers: [("Access-Control-Expose-Headers", "X-Total-Count"), ("X-Total-Count", String(ordered.count))])
    }

    /// A value to sort on, prepared once. ASSUMED ordering (PostgreSQL's): nulls after
    /// values when ascending, before them when descending; text without regard to case.
    struct SortKey {
        var isNull = false
        var number = 0.0
        var text = ""
        var raw = ""

        init(_ v: JSON) {
            switch v {
            case .null: isNull = true
            case .int(let i): number = Double(i)
            case .double(let d): number = d
            case .bool(let b): number = b ? 1 : 0
            case .string(let s): text = s.lowercased(); raw = s
            default: raw = v.text
            }
        }

        func compare(_ o: SortKey) -> Int {
            if isNull || o.isNull { return isNull == o.isNull ? 0 : (isNull ? 1 : -1) }
            if number != o.number { return number < o.number ? -1 : 1 }
            if text != o.text { return text < o.text ? -1 : 1 }
            return raw == o.raw ? 0 : (raw < o.raw ? -1 : 1)
        }
    }

    /// Section 3.1: `name`, `name*`, `*name`, `*name*`; ASSUMED: `*` anywhere, and
    /// without regard to case.
    static func matches(_ text: String, _ pattern: String) -> Bool {
        let t = Array(text.lowercased()), p = Array(pattern.lowercased())
        var ti = 0, pi = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] != "*", p[pi] == t[ti] { ti += 1; pi += 1 }
            else if pi < p.count, p[pi] == "*" { star = pi; mark = ti; pi += 1 }
            else if star >= 0 { pi = star + 1; mark += 1; ti = mark }
            else { return false }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    // MARK: domains (5.5)

    static let domainSortFields: Set<String> = ["id", "name", "description", "status", "wblistPriority", "defaultLanguage",
                                                "autoProvisioningOn", "senderVerifyOn", "externalId", "creationDate",
                                                "deletionDate", "purgeDate"]

    func listDomains(_ r: SandboxRequest) throws -> SandboxResponse {
        let q = try listQuery(r, defaultSort: "name", fields: Self.domainSortFields, type: "Domain")
        let filter = try singleFilter(r, ["name", "status", "customerId", "externalId", "platformId", "platformName"])
        if let (field, value) = filter, field == "status", !Self.domainStatuses.contains(value) {
            // ASSUMED: an unknown status is a 400 (the enum does not convert).
            throw Failure(400, "Failed to convert value of parameter 'status': '\(value)' is not one of \(Self.domainStatuses.joined(separator: ", "))")
        }
        return try page(r, q, {
            let ids = Array(domains.keys)
            guard let (field, value) = filter else { return ids }
            switch field {
            case "name": return ids.filter { Self.matches(domains[$0]!["name"]?.string ?? "", value) }
            case "status": return ids.filter { domains[$0]!["status"]?.string == value }
            case "customerId": return ids.filter { domains[$0]!["customerId"]?.string == value }
            case "externalId": return ids.filter { domains[$0]!["externalId"]?.string == value }
            case "platformId":
                return ids.filter { (domains[$0]!["platforms"]?.array ?? []).contains { $0["id"]?.string == value } }
            default:  // platformName; ASSUMED: wildcards as for names
                return ids.filter { (domains[$0]!["platforms"]?.array ?? []).contains { Self.matches($0["name"]?.string ?? "", value) } }
            }
        }, key: { id, f in f == "id" ? .int(id) : domains[id]![f] ?? .null }, render: renderDomain)
    }

    func renderDomain(_ id: Int) -> JSON {
        let d = domains[id]!
        let own = (domainPolicies[id] ?? []).compactMap { policies[$0] }
        func any(_ k: String) -> JSON { .bool(own.contains { $0[k]?.bool == true }) }
        let active = (domainUsers[id] ?? []).filter { users[$0]?["status"]?.string == "ENABLED" }.count
        let aliasList = (domainAliases[id] ?? []).compactMap { aliases[$0] }
            .sorted { ($0["name"]?.string ?? "") < ($1["name"]?.string ?? "") }
            .map { a in JSON.object(JSONObject([("id", a["id"]!), ("name", a["name"]!)])) }
        return .object(JSONObject([
            ("id", d["id"]!), ("name", d["name"]!), ("description", d["description"] ?? .null), ("status", d["status"]!),
            ("wblistPriority", d["wblistPriority"] ?? "USER"), ("defaultLanguage", d["defaultLanguage"] ?? "EN"),
            ("autoProvisioningOn", d["autoProvisioningOn"] ?? false), ("senderVerifyOn", d["senderVerifyOn"] ?? true),
            ("externalId", d["externalId"] ?? .null),
            ("policy", num(d["policyId"]).flatMap { policies[$0] }.map(JSON.object) ?? .null),
            ("domainAliases", .array(aliasList)), ("activeUsersCount", .int(active)), ("policiesCount", .int(own.count)),
            ("quarantine", any("quarantine")), ("retention", any("retention")), ("archive", any("archive")),
            ("incoming", any("incoming")), ("outgoingSubnets", d["outgoingSubnets"] ?? []),
            ("creationDate", d["creationDate"] ?? .null), ("deletionDate", d["deletionDate"] ?? .null),
            ("purgeDate", d["purgeDate"] ?? .null), ("outgoingProviders", []), ("customer", .object(Self.customer)),
            ("platforms", d["platforms"] ?? []),
        ]))
    }

    func postDomain(_ r: SandboxRequest) throws -> SandboxResponse {
        let id = try createDomain(try bodyObject(r))
        return .json(201, renderDomain(id), headers: location(r, "/domains/\(CleanmailID.encode(id))"))
    }

    /// `DomainAdd` (6.20) -> a new domain with its default policy (5.5.1: "System will
    /// create a default policy with the given data").
    func createDomain(_ o: JSONObject) throws -> Int {
        guard let raw = o["name"]?.string, Self.isDomainName(raw) else { throw Failure(400, Message.domainNameFormat) }
        let name = raw.lowercased()
        let status = try required(o, "status") { v in v.string.flatMap { Self.domainStatuses.contains($0) ? $0 : nil } }
        let quarantine = try required(o, "quarantine") { $0.bool }
        let retention = try required(o, "retention") { $0.bool }
        let archive = try required(o, "archive") { $0.bool }
        let language = try required(o, "defaultLanguage") { Self.language($0) }
        let description = try optional(o, "description") { $0.string }
        let priority = try optional(o, "wblistPriority") { v in v.string.flatMap { Self.wblistPriorities.contains($0) ? $0 : nil } }
        let incoming = try optional(o, "incoming") { $0.bool } ?? true
        let outgoing = try optional(o, "outgoing") { $0.bool } ?? false
        let autoProvisioning = try optional(o, "autoProvisioningOn") { $0.bool } ?? false
        let senderVerify = try optional(o, "senderVerifyOn") { $0.bool } ?? true
        let customer = try optional(o, "customerId") { $0.string }
        let externalId = try optional(o, "externalId") { $0.string }
        let subnets = try optional(o, "outgoingSubnets") { Self.subnets($0) } ?? []
        let providers = try optional(o, "outgoingProvidersIds") { v in v.array.flatMap { a in a.allSatisfy { $0.string != nil || $0.int != nil } ? a : nil } } ?? []
        var platforms = try optional(o, "platforms") { $0.array.map(JSON.array) }.map { try parsePlatforms($0, current: []) } ?? []
        if names[name] != nil { throw Failure(409, Message.domainExists) }
        // ASSUMED conditions of the 422: a domain is not created deleted; the customer
        // and the outgoing providers must exist (the sandbox has one customer, no providers).
        if status == "DELETED" { throw Failure(422, Message.conditions + " A domain cannot be created with status DELETED.") }
        if let customer, CleanmailID.decode(customer) != Self.customerID { throw Failure(422, Message.conditions + " Unknown customer \(customer).") }
        if !providers.isEmpty { throw Failure(422, Message.conditions + " Unknown outgoing provider.") }

        let id = next(.domain)
        let created = now()
        assignPlatformIDs(&platforms)
        let policyID = next(.policy)
        policies[policyID] = Self.defaultPolicy(id: policyID, domain: id, name: "Politique-\(name)", quarantine: quarantine,
                                                retention: retention, archive: archive, incoming: incoming, outgoing: outgoing)
        domainPolicies[id] = [policyID]
        domains[id] = JSONObject([
            ("id", .string(CleanmailID.encode(id))), ("name", .string(name)), ("description", description.map(JSON.string) ?? .null),
            ("status", .string(status)), ("wblistPriority", .string(priority ?? "USER")), ("defaultLanguage", .string(language)),
            ("autoProvisioningOn", .bool(autoProvisioning)), ("senderVerifyOn", .bool(senderVerify)),
            ("externalId", externalId.map(JSON.string) ?? .null), ("policyId", .string(CleanmailID.encode(policyID))),
            ("outgoingSubnets", .array(subnets.map(JSON.string))), ("customerId", .string(CleanmailID.encode(Self.customerID))),
            ("creationDate", .int(created)), ("deletionDate", .null), ("purgeDate", .null),
            ("platforms", .array(platforms.map(JSON.object))),
        ])
        names[name] = id
        return id
    }

    /// The default policy of a new domain, with the document's defaults (5.5.1's example).
    static func defaultPolicy(id: Int, domain: Int, name: String, quarantine: Bool, retention: Bool, archive: Bool,
                              incoming: Bool, outgoing: Bool) -> JSONObject {
        JSONObject([
            ("id", .string(CleanmailID.encode(id))), ("name", .string(name)), ("domainId", .string(CleanmailID.encode(domain))),
            ("quarantine", .bool(quarantine)), ("retention", .bool(retention)), ("archive", .bool(archive)),
            ("mailSizeLimit", 21), ("spamScore", .double(5.0)), ("incoming", .bool(incoming)),
            ("relayProps", .object(JSONObject([("relaySpam", false), ("relayAdvert", true), ("advertPrefix", ""), ("prefixSpam", .null),
                                               ("relayBadHeaders", false), ("relayBadAttachments", false), ("spamScoreLimit", .double(5.0))]))),
            ("quarantineProps", quarantine ? .object(quarantineProps) : .null),
            ("retentionProps", retention ? .object(JSONObject([("duration", 5), ("storeMailOut", true), ("storeCleanMailIn", true)])) : .null),
            ("archiveProps", archive ? .object(archiveProps) : .null),
            ("outgoing", .bool(outgoing)),
        ])
    }

    static let quarantineProps = JSONObject([("duration", 31), ("storeSpam", true), ("storeVirus", false), ("storeAdvert", false),
                                             ("storeBlacklisted", false), ("storeSenderVerify", false), ("storeBadHeaders", true),
                                             ("storeBadEncoding", true), ("storeBadAttachments", true)])
    static let archiveProps = JSONObject([("duration", 48), ("archiveByCopy", false), ("storeMailOut", true), ("storeCleanMailIn", true),
                                          ("storeSpam", true), ("storeBadHeaders", true), ("storeBadEncoding", true),
                                          ("storeBadAttachments", true), ("storeAdvert", false), ("storeBlacklisted", false),
                                          ("storeSenderVerify", false)])

    /// `PATCH /domains/{id}` with a `DomainUpdate` (6.21): only the members given
    /// change; everything is checked before anything is applied. 204.
    func patchDomain(_ idText: String, _ r: SandboxRequest) throws -> SandboxResponse {
        let id = try domain(idText, Message.domainNotFound)
        let o = try bodyObject(r)
        var d = domains[id]!
        var newName: String?
        if o["name"] != nil {
            guard let raw = o["name"]?.string, Self.isDomainName(raw) else { throw Failure(400, Message.domainNameFormatPatch) }
            newName = raw.lowercased()
        }
        let description = try optional(o, "description") { $0.string }
        let status = try optional(o, "status") { v in v.string.flatMap { Self.domainStatuses.contains($0) ? $0 : nil } }
        let priority = try optional(o, "wblistPriority") { v in v.string.flatMap { Self.wblistPriorities.contains($0) ? $0 : nil } }
        let quarantine = try optional(o, "quarantine") { $0.bool }
        let retention = try optional(o, "retention") { $0.bool }
        let archive = try optional(o, "archive") { $0.bool }
        let language = try optional(o, "defaultLanguage") { Self.language($0) }
        let autoProvisioning = try optional(o, "autoProvisioningOn") { $0.bool }
        let senderVerify = try optional(o, "senderVerifyOn") { $0.bool }
        let customer = try optional(o, "customerId") { $0.string }
        let policyText = try optional(o, "policyId") { $0.string }
        let externalId = try optional(o, "externalId") { $0.string }
        let subnets = try optional(o, "outgoingSubnets") { Self.subnets($0) }
        let providers = try optional(o, "outgoingProvidersIds") { $0.array }
        var platforms = try optional(o, "platforms") { $0.array.map(JSON.array) }
            .map { try parsePlatforms($0, current: d["platforms"]?.array?.compactMap(\.object) ?? []) }
        // ASSUMED: `null` for a member that is not nullable is a 400.
        for key in ["status", "defaultLanguage", "wblistPriority", "name"] where o[key] == .null {
            throw Failure(400, "Validation failed: \(key) must not be null")
        }
        if let newName, newName != d["name"]?.string, names[newName] != nil {
            // ASSUMED: the document lists no 409 for PATCH; a taken name is the same conflict as in POST.
            throw Failure(409, Message.domainExists)
        }
        if let customer, CleanmailID.decode(customer) != Self.customerID { throw Failure(422, Message.conditions + " Unknown customer \(customer).") }
        var newPolicy: Int?
        if let policyText {
            guard let p = CleanmailID.decode(policyText), policies[p] != nil, num(policies[p]!["domainId"]) == id else {
                throw Failure(422, Message.conditions + " Policy \(policyText) is not a policy of this domain.")
            }
            newPolicy = p
        }
        if let providers, !providers.isEmpty { throw Failure(422, Message.conditions + " Unknown outgoing provider.") }

        if let newName, newName != d["name"]?.string {
            names[d["name"]!.string!] = nil
            names[newName] = id
            d["name"] = .string(newName)
        }
        if o["description"] != nil { d["description"] = description.map(JSON.string) ?? .null }
        if let status, status != d["status"]?.string {
            if status == "DELETED" {
                let t = now()
                d["deletionDate"] = .int(t)
                d["purgeDate"] = .int(t + Self.purgeDelay)
            } else if d["status"]?.string == "DELETED" {
                // ASSUMED: 5.5.6 "You can revert the deletion during this quarantine":
                // setting another status on a deleted domain restores it.
                d["deletionDate"] = .null
                d["purgeDate"] = .null
            }
            d["status"] = .string(status)
        }
        if let priority { d["wblistPriority"] = .string(priority) }
        if let language { d["defaultLanguage"] = .string(language) }
        if let autoProvisioning { d["autoProvisioningOn"] = .bool(autoProvisioning) }
        if let senderVerify { d["senderVerifyOn"] = .bool(senderVerify) }
        if o["externalId"] != nil { d["externalId"] = externalId.map(JSON.string) ?? .null }
        if let subnets { d["outgoingSubnets"] = .array(subnets.map(JSON.string)) }
        if let newPolicy { d["policyId"] = .string(CleanmailID.encode(newPolicy)) }
        if platforms != nil {
            assignPlatformIDs(&platforms!)
            d["platforms"] = .array(platforms!.map(JSON.object))
        }
        // ASSUMED: the service switches of DomainUpdate apply to the default policy.
        if let p = num(d["policyId"]), policies[p] != nil {
            if let quarantine {
                policies[p]!["quarantine"] = .bool(quarantine)
                if quarantine, policies[p]!["quarantineProps"] == .null { policies[p]!["quarantineProps"] = .object(Self.quarantineProps) }
            }
            if let retention { policies[p]!["retention"] = .bool(retention) }
            if let archive {
                policies[p]!["archive"] = .bool(archive)
                if archive, policies[p]!["archiveProps"] == .null { policies[p]!["archiveProps"] = .object(Self.archiveProps) }
            }
        }
        domains[id] = d
        return .empty(204)
    }

    /// 5.5.6: the domain is only tagged as deleted; its names stay taken until purged.
    func deleteDomain(_ idText: String) throws -> SandboxResponse {
        let id = try domain(idText, Message.domainNotFound)
        // ASSUMED condition of the 422: a domain already deleted cannot be deleted again.
        // (The MX check that X-Ignore-MX skips needs DNS; the sandbox has none.)
        if domains[id]!["status"]?.string == "DELETED" { throw Failure(422, Message.conditions + " The domain is already deleted.") }
        let t = now()
        domains[id]!["status"] = "DELETED"
        domains[id]!["deletionDate"] = .int(t)
        domains[id]!["purgeDate"] = .int(t + Self.purgeDelay)
        return .empty(204)
    }

    // MARK: platforms (6.47)

    /// Validates a `platforms` list. A platform that names one of the domain's current
    /// platforms by `id` keeps it; the others get new ids (`assignPlatformIDs`).
    func parsePlatforms(_ v: JSON, current: [JSONObject]) throws -> [JSONObject] {
        let known = Set(current.compactMap { $0["id"]?.string })
        var used = Set<String>()
        var out: [JSONObject] = []
        for (i, item) in (v.array ?? []).enumerated() {
            guard let p = item.object else { throw Failure(400, "JSON parse error: platforms[\(i)] must be an object") }
            let at = "platforms[\(i)]."
            guard let name = p["name"]?.string, !name.isEmpty else { throw Failure(400, "Validation failed: \(at)name must not be blank") }
            guard let dest = p["transportDest"]?.string, Self.isHost(dest) else {
                throw Failure(400, "Validation failed: \(at)transportDest must be an IP address or a host name")
            }
            guard let type = p["transportType"]?.string, Self.transportTypes.contains(type) else {
                throw Failure(400, "Validation failed: \(at)transportType must be one of \(Self.transportTypes.joined(separator: ", "))")
            }
            guard let port = p["transportPort"]?.int, (1...65535).contains(port) else {
                throw Failure(400, "Validation failed: \(at)transportPort must be a port number")
            }
            let fallback = try optional(p, "fallbackTransportDest", at: at) { v in v.string.flatMap { Self.isHost($0) ? $0 : nil } }
            let fallbackType = try optional(p, "fallbackTransportType", at: at) { v in v.string.flatMap { Self.transportTypes.contains($0) ? $0 : nil } }
            let fallbackPort = try optional(p, "fallbackTransportPort", at: at) { v in v.int.flatMap { (1...65535).contains($0) ? $0 : nil } }
            // ASSUMED: `apiType` is listed as required but the document's own create
            // example omits it and reads back null; it is optional here.
            let apiType = try optional(p, "apiType", at: at) { v in v.string.flatMap { Self.apiTypes.contains($0) ? $0 : nil } }
            let authType = try optional(p, "authType", at: at) { v in v.string.flatMap { Self.authTypes.contains($0) ? $0 : nil } }
            let isDefault = try optional(p, "default", at: at) { $0.bool } ?? false
            var id: JSON = .null
            if let given = p["id"]?.string, known.contains(given), !used.contains(given) {
                id = .string(given)
                used.insert(given)
            }
            // ASSUMED: apiData/authData hold credentials; like the document's example
            // (authData "" read back null) the sandbox keeps an object and drops the rest.
            out.append(JSONObject([
                ("id", id), ("name", .string(name)), ("transportDest", .string(dest)), ("transportType", .string(type)),
                ("transportPort", .int(port)), ("fallbackTransportDest", fallback.map(JSON.string) ?? .null),
                ("fallbackTransportType", fallbackType.map(JSON.string) ?? .null),
                ("fallbackTransportPort", fallbackPort.map(JSON.int) ?? .null), ("apiType", apiType.map(JSON.string) ?? .null),
                ("apiData", p["apiData"]?.object.map(JSON.object) ?? .null), ("authType", .string(authType ?? "local")),
                ("authData", p["authData"]?.object.map(JSON.object) ?? .null), ("default", .bool(isDefault)),
            ]))
        }
        return out
    }

    func assignPlatformIDs(_ list: inout [JSONObject]) {
        for i in list.indices where list[i]["id"] == .null {
            list[i]["id"] = .string(CleanmailID.encode(next(.platform)))
        }
    }

    /// The platform used when a user has none: the default one, else the first.
    func defaultPlatform(_ domainID: Int) -> JSONObject? {
        let all = domains[domainID]?["platforms"]?.array?.compactMap(\.object) ?? []
        return all.first { $0["default"]?.bool == true } ?? all.first
    }

    // MARK: aliases (5.3)

    func listAliases(_ idText: String, _ r: SandboxRequest) throws -> SandboxResponse {
        let id = try domain(idText, Message.aliasDomainMissing)
        let q = try listQuery(r, defaultSort: "name", fields: ["id", "name"], type: "Alias")
        return try page(r, q, { domainAliases[id] ?? [] }, key: { a, f in f == "id" ? .int(a) : aliases[a]![f] ?? .null },
                    render: { .object(JSONObject([("id", self.aliases[$0]!["id"]!), ("name", self.aliases[$0]!["name"]!)])) })
    }

    /// A list of domain names, lower case, each once. ASSUMED: a name that is not a
    /// domain name is a 400 (the document's wording for a parameter format).
    func validateAliasNames(_ items: [JSON]) throws -> [String] {
        var out: [String] = []
        for item in items {
            guard let s = item.string else { throw Failure(400, "JSON parse error: the body must be a list of names") }
            guard Self.isDomainName(s) else { throw Failure(400, Message.parameterFormat + " ('\(s)' is not a domain name)") }
            if !out.contains(s.lowercased()) { out.append(s.lowercased()) }
        }
        return out
    }

    /// 5.3.1: adds names; 201 with the added `Alias` list; 409 when one is taken.
    func postAliases(_ idText: String, _ r: SandboxRequest) throws -> SandboxResponse {
        let id = try domain(idText, Message.aliasDomainMissing)
        guard let items = try body(r).array else { throw Failure(400, "JSON parse error: the body must be a list of names") }
        let wanted = try validateAliasNames(items)
        if wanted.contains(where: { names[$0] != nil }) { throw Failure(409, Message.aliasOrDomainExists) }
        let added: [JSON] = wanted.map { name in
            let a = insertAlias(name, domain: id)
            return .object(JSONObject([("id", .string(CleanmailID.encode(a))), ("name", .string(name))]))
        }
        return .json(201, .array(added), headers: location(r, "/domains/\(CleanmailID.encode(id))/aliases"))
    }

    /// 5.3.4: replaces the whole list; aliases kept keep their ids. 204 as in the example.
    func putAliases(_ idText: String, _ r: SandboxRequest) throws -> SandboxResponse {
        let id = try domain(idText, Message.aliasDomainMissing)
        guard let items = try body(r).array else { throw Failure(400, "JSON parse error: the body must be a list of names") }
        let wanted = try validateAliasNames(items)
        let mine = Dictionary(uniqueKeysWithValues: (domainAliases[id] ?? []).compactMap { a in aliases[a]?["name"]?.string.map { ($0, a) } })
        if wanted.contains(where: { names[$0] != nil && mine[$0] == nil }) { throw Failure(409, Message.aliasExists) }
        for (name, a) in mine where !wanted.contains(name) { removeAlias(a) }
        for name in wanted where mine[name] == nil { insertAlias(name, domain: id) }
        return .empty(204)
    }

    func deleteAlias(_ idText: String, _ aliasText: String) throws -> SandboxResponse {
        // The document lists a 400 for a parameter that does not match its format.
        guard let id = CleanmailID.decode(idText), let a = CleanmailID.decode(aliasText) else { throw Failure(400, Message.parameterFormat) }
        guard domains[id] != nil, let alias = aliases[a], num(alias["domainId"]) == id else { throw Failure(404, Message.aliasMissing) }
        removeAlias(a)
        return .empty(204)
    }

    @discardableResult
    func insertAlias(_ name: String, domain: Int) -> Int {
        let a = next(.alias)
        aliases[a] = JSONObject([("id", .string(CleanmailID.encode(a))), ("name", .string(name)),
                                 ("domainId", .string(CleanmailID.encode(domain)))])
        domainAliases[domain, default: []].append(a)
        names[name] = domain
        return a
    }

    func removeAlias(_ a: Int) {
        guard let alias = aliases.removeValue(forKey: a), let d = num(alias["domainId"]) else { return }
        domainAliases[d]?.removeAll { $0 == a }
        if let n = alias["name"]?.string, names[n] == d { names[n] = nil }
    }

    // MARK: policies (5.4)

    static let policySortFields: Set<String> = ["id", "name", "quarantine", "retention", "archive", "mailSizeLimit",
                                                "spamScore", "incoming", "outgoing"]

    func listPolicies(_ idText: String, _ r: SandboxRequest) throws -> SandboxResponse {
        let id = try domain(idText, Message.domainNotFound)  // ASSUMED: no 404 is listed; the domains' one
        let q = try listQuery(r, defaultSort: "name", fields: Self.policySortFields, type: "Policy")
        return try page(r, q, { domainPolicies[id] ?? [] }, key: { p, f in f == "id" ? .int(p) : policies[p]![f] ?? .null },
                    render: { .object(self.policies[$0]!) })
    }

    /// The members of `Policy` (6.48) a body sets, checked.
    func policyFields(_ o: JSONObject, creating: Bool) throws -> JSONObject {
        var out = JSONObject()
        if creating || o["name"] != nil {
            guard let name = o["name"]?.string, !name.trimmingCharacters(in: " ").isEmpty else {
                throw Failure(400, Message.policyNameFormat)
            }
            out["name"] = .string(name)
        }
        for key in ["quarantine", "retention", "incoming"] {
            if creating, o[key] == nil || o[key] == .null { throw Failure(400, "Validation failed: \(key) must not be null") }
        }
        for key in ["quarantine", "retention", "archive", "incoming", "outgoing"] {
            if let b = try optional(o, key, { $0.bool }) { out[key] = .bool(b) }
        }
        if let n = try optional(o, "mailSizeLimit", { v in v.int.flatMap { $0 > 0 ? $0 : nil } }) { out["mailSizeLimit"] = .int(n) }
        if let s = try optional(o, "spamScore", { v -> Double? in
            if case .double(let d) = v { return d }
            return v.int.map(Double.init)
        }) { out["spamScore"] = .double(s) }
        for key in ["relayProps", "quarantineProps", "retentionProps", "archiveProps"] where o[key] != nil {
            out[key] = try optional(o, key) { $0.object }.map(JSON.object) ?? .null
        }
        return out
    }

    func postPolicy(_ idText: String, _ r: SandboxRequest) throws -> SandboxResponse {
        let id = try domain(idText, Message.domainNotFound)
        let fields = try policyFields(try bodyObject(r), creating: true)
        let name = fields["name"]!.string!
        if (domainPolicies[id] ?? []).contains(where: { policies[$0]?["name"]?.string?.lowercased() == name.lowercased() }) {
            throw Failure(409, Message.policyExists)
        }
        let p = next(.policy)
        var policy = Self.defaultPolicy(id: p, domain: id, name: name, quarantine: fields["quarantine"]?.bool ?? false,
                                        retention: fields["retention"]?.bool ?? false, archive: fields["archive"]?.bool ?? false,
                                        incoming: fields["incoming"]?.bool ?? true, outgoing: fields["outgoing"]?.bool ?? false)
        for (k, v) in fields.pairs { policy[k] = v }
        policies[p] = policy
        domainPolicies[id, default: []].append(p)
        return .json(201, .object(policy), headers: location(r, "/policies/\(CleanmailID.encode(p))"))
    }

    func patchPolicy(_ idText: String, _ r: SandboxRequest) throws -> SandboxResponse {
        let (p, current) = try policy(idText, Message.policyNotFound)
        let fields = try policyFields(try bodyObject(r), creating: false)
        if let name = fields["name"]?.string, let d = num(current["domainId"]),
           (domainPolicies[d] ?? []).contains(where: { $0 != p && policies[$0]?["name"]?.string?.lowercased() == name.lowercased() }) {
            // ASSUMED: a name taken in the domain is a 422 (the document lists no 409 here).
            throw Failure(422, Message.conditions + " A policy named \(name) exists in this domain.")
        }
        for (k, v) in fields.pairs { policies[p]![k] = v }
        return .empty(204)
    }

    func deletePolicy(_ idText: String) throws -> SandboxResponse {
        let (p, current) = try policy(idText, Message.policyNotFoundDot)
        let d = num(current["domainId"])
        let code = CleanmailID.encode(p)
        if let d, domains[d]?["policyId"]?.string == code { throw Failure(400, Message.policyInUse) }
        if let d, (domainUsers[d] ?? []).contains(where: { users[$0]?["policyId"]?.string == code }) { throw Failure(400, Message.policyInUse) }
        policies[p] = nil
        if let d { domainPolicies[d]?.removeAll { $0 == p } }
        return .empty(204)
    }

    // MARK: users (5.14)

    static let userSortFields: Set<String> = ["id", "email", "firstname", "lastname", "status", "language", "creationDate",
                                              "senderVerifyOn", "mfaType", "lastConnectionDate"]

    /// `GET /users` and `GET /domains/{id}/users`. The filter is `email` (the
    /// document's table lost the parameter's name, "Filter by email"); the examples'
    /// `name=` is not a filter of users and, as there, changes nothing.
    func listUsers(_ r: SandboxRequest, in domainID: Int?) throws -> SandboxResponse {
        // ASSUMED default sort: by email, as the examples' lists come.
        let q = try listQuery(r, defaultSort: "email", fields: Self.userSortFields, type: "User")
        let filter = try singleFilter(r, ["email", "platformName"])
        return try page(r, q, {
            let ids = domainID.map { domainUsers[$0] ?? [] } ?? Array(users.keys)
            guard let (field, value) = filter else { return ids }
            if field == "email" { return ids.filter { Self.matches(users[$0]!["email"]?.string ?? "", value) } }
            return ids.filter { Self.matches(userPlatform(users[$0]!)?["name"]?.string ?? "", value) }
        }, key: { u, f in f == "id" ? .int(u) : users[u]![f] ?? .null }, render: renderUser)
    }

    func userPlatform(_ u: JSONObject) -> JSONObject? {
        guard let d = num(u["domainId"]) else { return nil }
        if let p = u["platformId"]?.string,
           let found = domains[d]?["platforms"]?.array?.compactMap(\.object).first(where: { $0["id"]?.string == p }) {
            return found
        }
        return defaultPlatform(d)
    }

    func renderUser(_ id: Int) -> JSON {
        let u = users[id]!
        let d = num(u["domainId"]) ?? 0
        let domain = domains[d]
        let policy = (num(u["policyId"]) ?? num(domain?["policyId"])).flatMap { policies[$0] }
        let platform = userPlatform(u)
        return .object(JSONObject([
            ("id", u["id"]!), ("email", u["email"]!), ("firstname", u["firstname"] ?? .null), ("lastname", u["lastname"] ?? .null),
            ("status", u["status"]!), ("language", u["language"] ?? "EN"), ("creationDate", u["creationDate"] ?? .null),
            ("domainId", u["domainId"]!), ("policy", policy.map(JSON.object) ?? .null), ("senderVerifyOn", u["senderVerifyOn"] ?? true),
            ("domainPolicyId", domain?["policyId"] ?? .null), ("domainStatus", domain?["status"] ?? .null),
            ("domainPlatformId", defaultPlatform(d)?["id"] ?? .null), ("platform", platform.map(JSON.object) ?? .null),
            ("mfaType", u["mfaType"] ?? .null), ("lastConnectionDate", u["lastConnectionDate"] ?? .null),
        ]))
    }

    func postUser(_ r: SandboxRequest) throws -> SandboxResponse {
        let id = try createUser(try bodyObject(r))
        return .json(201, renderUser(id), headers: location(r, "/users/\(CleanmailID.encode(id))"))
    }

    /// `NewUser` (6.39) -> a user. 400 for a bad email or an unknown domain (as
    /// documented), 409 for an existing address, 422 for the conditions below.
    func createUser(_ o: JSONObject) throws -> Int {
        guard let raw = o["email"]?.string, Self.isEmail(raw) else { throw Failure(400, Message.newUserInvalid) }
        let email = raw.lowercased()
        let status = try required(o, "status") { v in v.string.flatMap { Self.userStatuses.contains($0) ? $0 : nil } }
        let domainText = try required(o, "domainId") { $0.string }
        guard let d = CleanmailID.decode(domainText), let domain = domains[d] else { throw Failure(400, Message.newUserInvalid) }
        let language = try optional(o, "language") { Self.language($0) }
        let firstname = try optional(o, "firstname") { $0.string }
        let lastname = try optional(o, "lastname") { $0.string }
        let senderVerify = try optional(o, "senderVerifyOn") { $0.bool } ?? true
        let policyText = try optional(o, "policyId") { $0.string }
        let platformText = try optional(o, "platformId") { $0.string }
        _ = try optional(o, "password") { $0.string }
        _ = try optional(o, "sendNotification") { $0.bool }
        if emails[email] != nil { throw Failure(409, Message.userExists) }
        try checkUserPlacement(email: email, domain: d, policy: policyText, platform: platformText)
        let u = next(.user)
        // ASSUMED: the sandbox keeps no passwords (they are never read back: 6.39).
        users[u] = JSONObject([
            ("id", .string(CleanmailID.encode(u))), ("email", .string(email)), ("firstname", firstname.map(JSON.string) ?? .null),
            ("lastname", lastname.map(JSON.string) ?? .null), ("status", .string(status)),
            ("language", .string(language ?? domain["defaultLanguage"]?.string ?? "EN")), ("creationDate", .int(now())),
            ("domainId", .string(CleanmailID.encode(d))), ("policyId", policyText.map(JSON.string) ?? .null),
            ("platformId", platformText.map(JSON.string) ?? .null), ("senderVerifyOn", .bool(senderVerify)),
            ("mfaType", .null), ("lastConnectionDate", .null),
        ])
        emails[email] = u
        domainUsers[d, default: []].append(u)
        return u
    }

    /// ASSUMED conditions of the 422: the address is in the domain ("the domain
    /// specified in user's email address": its name or one of its aliases); the domain
    /// is not deleted; a policy or platform given is the domain's own.
    func checkUserPlacement(email: String, domain d: Int, policy: String?, platform: String?) throws {
        let part = String(email.split(separator: "@").last ?? "")
        guard names[part] == d else { throw Failure(422, Message.conditions + " \(email) is not an address of domain \(domains[d]!["name"]!.string!).") }
        if domains[d]!["status"]?.string == "DELETED" { throw Failure(422, Message.conditions + " The domain is deleted.") }
        if let policy {
            guard let p = CleanmailID.decode(policy), let found = policies[p], num(found["domainId"]) == d else {
                throw Failure(422, Message.conditions + " Policy \(policy) is not a policy of this domain.")
            }
        }
        if let platform {
            guard (domains[d]!["platforms"]?.array ?? []).contains(where: { $0["id"]?.string == platform }) else {
                throw Failure(422, Message.conditions + " Platform \(platform) is not a platform of this domain.")
            }
        }
    }

    /// `PATCH /users/{id}` with an `UpdateUser` (6.61): 204 as in the example.
    func patchUser(_ idText: String, _ r: SandboxRequest) throws -> SandboxResponse {
        let id = try user(idText, Message.userNotFound)
        let o = try bodyObject(r)
        var u = users[id]!
        var email = u["email"]!.string!
        if o["email"] != nil {
            guard let raw = o["email"]?.string, Self.isEmail(raw) else { throw Failure(400, Message.userEmailFormat) }
            email = raw.lowercased()
        }
        for key in ["status", "language", "email"] where o[key] == .null {
            throw Failure(400, "Validation failed: \(key) must not be null")
        }
        let status = try optional(o, "status") { v in v.string.flatMap { Self.userStatuses.contains($0) ? $0 : nil } }
        let language = try optional(o, "language") { Self.language($0) }
        let firstname = try optional(o, "firstname") { $0.string }
        let lastname = try optional(o, "lastname") { $0.string }
        let senderVerify = try optional(o, "senderVerifyOn") { $0.bool }
        let domainText = try optional(o, "domainId") { $0.string }
        let policyText = try optional(o, "policyId") { $0.string }
        let platformText = try optional(o, "platformId") { $0.string }
        let mfa = try optional(o, "mfaType") { v in v.string.flatMap { ["NONE", "TOTP"].contains($0) ? $0 : nil } }
        _ = try optional(o, "password") { $0.string }
        var d = num(u["domainId"])!
        if let domainText {
            // ASSUMED: an unknown domain is a 422 here (the document lists 400 only for the email).
            guard let nd = CleanmailID.decode(domainText), domains[nd] != nil else {
                throw Failure(422, Message.conditions + " Unknown domain \(domainText).")
            }
            d = nd
        }
        if email != u["email"]!.string!, emails[email] != nil {
            throw Failure(409, Message.userExists)  // ASSUMED: the same conflict as in POST /users
        }
        // ASSUMED: "Disable account's multi-factor authentication": only NONE is accepted.
        if mfa == "TOTP" { throw Failure(422, Message.conditions + " Multi-factor authentication can only be disabled (NONE).") }
        let policy = o["policyId"] != nil ? policyText : u["policyId"]?.string
        let platform = o["platformId"] != nil ? platformText : u["platformId"]?.string
        let oldDomain = num(u["domainId"])!
        try checkUserPlacement(email: email, domain: d, policy: d == oldDomain || o["policyId"] != nil ? policy : nil,
                               platform: d == oldDomain || o["platformId"] != nil ? platform : nil)

        if email != u["email"]!.string! {
            emails[u["email"]!.string!] = nil
            emails[email] = id
            u["email"] = .string(email)
        }
        if d != oldDomain {
            domainUsers[oldDomain]?.removeAll { $0 == id }
            domainUsers[d, default: []].append(id)
            u["domainId"] = .string(CleanmailID.encode(d))
            if o["policyId"] == nil { u["policyId"] = .null }
            if o["platformId"] == nil { u["platformId"] = .null }
        }
        if let status { u["status"] = .string(status) }
        if let language { u["language"] = .string(language) }
        if o["firstname"] != nil { u["firstname"] = firstname.map(JSON.string) ?? .null }
        if o["lastname"] != nil { u["lastname"] = lastname.map(JSON.string) ?? .null }
        if let senderVerify { u["senderVerifyOn"] = .bool(senderVerify) }
        if o["policyId"] != nil { u["policyId"] = policyText.map(JSON.string) ?? .null }
        if o["platformId"] != nil { u["platformId"] = platformText.map(JSON.string) ?? .null }
        if let mfa { u["mfaType"] = .string(mfa) }
        users[id] = u
        return .empty(204)
    }

    func deleteUser(_ idText: String) throws -> SandboxResponse {
        let id = try user(idText, Message.userOrDomainNotFound)
        let u = users.removeValue(forKey: id)!
        emails[u["email"]!.string!] = nil
        if let d = num(u["domainId"]) { domainUsers[d]?.removeAll { $0 == id } }
        // The mailbox's own filtering rules go with it.
        for rid in ownerRules["user:\(id)"] ?? [] { rules[rid] = nil }
        ownerRules["user:\(id)"] = nil
        return .empty(204)
    }

    // MARK: filtering rules on senders (5.9)

    struct Rule {
        var value: String
        var type: String
        var expireAt: JSON
        var description: JSON
        var spfOn: JSON
    }

    static let ruleSortFields: Set<String> = ["id", "value", "owner", "type", "createdDate", "expireAt", "description", "spfOn"]

    func ownerKey(_ rule: JSONObject) -> String {
        "\(rule["ownerType"]?.string ?? ""):\(num(rule["ownerId"]) ?? 0)"
    }

    /// The owner named by the path; a write by a token without the right is a 403
    /// before anything else.
    func ruleOwner(_ kind: String, _ idText: String, missing: String, canWrite: Bool, method: String) throws -> String {
        if method != "GET", !canWrite { throw Failure(403, Message.forbidden) }
        if kind == "domains" {
            return "domain:\(try domain(idText, missing))"
        }
        return "user:\(try user(idText, missing))"
    }

    /// What a rule's `owner` shows: the domain's name or the mailbox's address.
    func ownerName(_ key: String) -> String {
        let parts = key.split(separator: ":")
        guard parts.count == 2, let n = Int(parts[1]) else { return "" }
        return (parts[0] == "domain" ? domains[n]?["name"] : users[n]?["email"])?.string ?? ""
    }

    func renderRule(_ id: Int) -> JSON {
        let rule = rules[id]!
        return .object(JSONObject([
            ("id", rule["id"]!), ("value", rule["value"]!), ("owner", .string(ownerName(ownerKey(rule)))), ("type", rule["type"]!),
            ("createdDate", rule["createdDate"] ?? .null), ("expireAt", rule["expireAt"] ?? .null),
            ("description", rule["description"] ?? .null), ("spfOn", rule["spfOn"] ?? .null),
        ]))
    }

    func listRules(_ owner: String, _ r: SandboxRequest, defaultSort: String) throws -> SandboxResponse {
        let q = try listQuery(r, defaultSort: defaultSort, fields: Self.ruleSortFields, type: "FilterSender")
        let filter = try singleFilter(r, ["type", "value"])
        if let (field, value) = filter, field == "type", !Self.ruleTypes.contains(value) {
            throw Failure(400, "Failed to convert value of parameter 'type': '\(value)' is not one of \(Self.ruleTypes.joined(separator: ", "))")
        }
        return try page(r, q, {
            let ids = ownerRules[owner] ?? []
            guard let (field, value) = filter else { return ids }
            if field == "type" { return ids.filter { rules[$0]?["type"]?.string == value } }
            // ASSUMED: wildcards as for names.
            return ids.filter { Self.matches(rules[$0]?["value"]?.string ?? "", value) }
        }, key: { id, f in
            switch f {
            case "id": return .int(id)
            case "owner": return .string(ownerName(owner))
            default: return rules[id]![f] ?? .null
            }
        }, render: renderRule)
    }

    /// One `FilterSenderAdd` (6.27). ASSUMED: a missing or mistyped member is a 400;
    /// a value that is neither an address nor a domain (`*@domain` allowed) is the 422.
    /// `spfOn` is kept for ALLOW only (false when not given), null otherwise, as the
    /// examples read back.
    func parseRule(_ v: JSON) throws -> Rule {
        guard let o = v.object else { throw Failure(400, "JSON parse error: a rule must be an object") }
        let value = try required(o, "value") { $0.string }
        let type = try required(o, "type") { v in v.string.flatMap { Self.ruleTypes.contains($0) ? $0 : nil } }
        let expireAt = try optional(o, "expireAt") { $0.int }
        let description = try optional(o, "description") { $0.string }
        let spfOn = try optional(o, "spfOn") { $0.bool }
        let lower = value.lowercased().trimmingCharacters(in: " ")
        let domainPart = lower.hasPrefix("*@") ? String(lower.dropFirst(2)) : lower
        guard Self.isEmail(lower) || Self.isDomainName(domainPart) else {
            throw Failure(422, Message.conditions + " '\(value)' is neither an email address nor a domain.")
        }
        return Rule(value: lower, type: type, expireAt: expireAt.map(JSON.int) ?? .null,
                    description: description.map(JSON.string) ?? .null,
                    spfOn: type == "ALLOW" ? .bool(spfOn ?? false) : .null)
    }

    func parseRules(_ r: SandboxRequest) throws -> [Rule] {
        let b = try body(r)
        guard let items = b.array else { throw Failure(400, "JSON parse error: the body must be a list of rules") }
        return try items.map(parseRule)
    }

    /// ASSUMED identity of a rule: its owner and its value (one decision per sender).
    func isDuplicate(_ value: String, owner: String, except: Int?) -> Bool {
        (ownerRules[owner] ?? []).contains { $0 != except && rules[$0]?["value"]?.string == value }
    }

    func hasRepeats(_ list: [Rule]) -> Bool { Set(list.map(\.value)).count != list.count }

    @discardableResult
    func insertRule(_ rule: Rule, owner: String) -> Int {
        let id = next(.rule)
        let parts = owner.split(separator: ":")
        rules[id] = JSONObject([
            ("id", .string(CleanmailID.encode(id))), ("value", .string(rule.value)), ("ownerType", .string(String(parts[0]))),
            ("ownerId", .string(CleanmailID.encode(Int(parts[1])!))), ("type", .string(rule.type)), ("createdDate", .int(now())),
            ("expireAt", rule.expireAt), ("description", rule.description), ("spfOn", rule.spfOn),
        ])
        ownerRules[owner, default: []].append(id)
        return id
    }

    func removeRule(_ id: Int) {
        guard let rule = rules.removeValue(forKey: id) else { return }
        ownerRules[ownerKey(rule)]?.removeAll { $0 == id }
    }

    /// 5.9.2 / 5.9.3: adds rules; 201 with the added ones; 409 when one exists.
    func postRules(_ owner: String, _ r: SandboxRequest) throws -> SandboxResponse {
        let list = try parseRules(r)
        if hasRepeats(list) || list.contains(where: { isDuplicate($0.value, owner: owner, except: nil) }) {
            throw Failure(409, Message.ruleExists)
        }
        let added = list.map { insertRule($0, owner: owner) }
        let (kind, n) = splitOwner(owner)
        return .json(201, .array(added.map(renderRule)), headers: location(r, "/\(kind)/\(CleanmailID.encode(n))/wblist"))
    }

    /// 5.9.10 / 5.9.11: replaces the owner's whole list; 200 with the new rules.
    func putRules(_ owner: String, _ r: SandboxRequest) throws -> SandboxResponse {
        let list = try parseRules(r)
        if hasRepeats(list) { throw Failure(409, Message.ruleExistsS) }
        for id in ownerRules[owner] ?? [] { rules[id] = nil }
        ownerRules[owner] = []
        let added = list.map { insertRule($0, owner: owner) }
        return .json(200, .array(added.map(renderRule)))
    }

    /// 5.9.8 / 5.9.9: replaces one rule (same id and creation date); 200 with it.
    func putRule(_ id: Int, _ owner: String, _ r: SandboxRequest) throws -> SandboxResponse {
        let rule = try parseRule(try body(r))
        if isDuplicate(rule.value, owner: owner, except: id) { throw Failure(409, Message.ruleExistsS) }
        rules[id]!["value"] = .string(rule.value)
        rules[id]!["type"] = .string(rule.type)
        rules[id]!["expireAt"] = rule.expireAt
        rules[id]!["description"] = rule.description
        rules[id]!["spfOn"] = rule.spfOn
        return .json(200, renderRule(id))
    }

    /// 5.9.1: `POST /wblist`, rules naming their owner (a domain or a mailbox).
    /// ASSUMED: an owner that does not exist is the 422.
    func postRulesWithOwners(_ r: SandboxRequest) throws -> SandboxResponse {
        guard let items = try body(r).array else { throw Failure(400, "JSON parse error: the body must be a list of rules") }
        var parsed: [(Rule, String)] = []
        for item in items {
            let rule = try parseRule(item)
            let ownerText = try required(item.object!, "owner") { $0.string }.lowercased()
            let owner: String
            if let d = names[ownerText], domains[d]?["name"]?.string == ownerText {
                owner = "domain:\(d)"
            } else if let u = emails[ownerText] {
                owner = "user:\(u)"
            } else {
                throw Failure(422, Message.conditions + " Unknown owner \(ownerText).")
            }
            parsed.append((rule, owner))
        }
        let keys = parsed.map { "\($0.1) \($0.0.value)" }
        if Set(keys).count != keys.count || parsed.contains(where: { isDuplicate($0.0.value, owner: $0.1, except: nil) }) {
            throw Failure(409, Message.ruleExistsS)
        }
        let added = parsed.map { insertRule($0.0, owner: $0.1) }
        return .json(201, .array(added.map(renderRule)))
    }

    func splitOwner(_ owner: String) -> (String, Int) {
        let parts = owner.split(separator: ":")
        return (parts[0] == "domain" ? "domains" : "users", Int(parts[1]) ?? 0)
    }

    // MARK: member checks

    /// A required member: absent, null or of the wrong type is a 400.
    func required<T>(_ o: JSONObject, _ key: String, _ get: (JSON) -> T?) throws -> T {
        try required(o, key, at: "", get)
    }

    func required<T>(_ o: JSONObject, _ key: String, at: String, _ get: (JSON) -> T?) throws -> T {
        guard let v = o[key], v != .null else { throw Failure(400, "Validation failed: \(at)\(key) must not be null") }
        guard let t = get(v) else { throw Failure(400, "JSON parse error: \(at)\(key) has an invalid value") }
        return t
    }

    /// An optional member: nil when absent or null; of the wrong type, a 400.
    func optional<T>(_ o: JSONObject, _ key: String, _ get: (JSON) throws -> T?) throws -> T? {
        try optional(o, key, at: "", get)
    }

    func optional<T>(_ o: JSONObject, _ key: String, at: String, _ get: (JSON) throws -> T?) throws -> T? {
        guard let v = o[key], v != .null else { return nil }
        guard let t = try get(v) else { throw Failure(400, "JSON parse error: \(at)\(key) has an invalid value") }
        return t
    }

    /// FR, EN, DE, ES, DA, NB; ASSUMED: accepted in either case ("fr (French)"), kept upper case.
    static func language(_ v: JSON) -> String? {
        v.string.map { $0.uppercased() }.flatMap { languages.contains($0) ? $0 : nil }
    }

    /// `a.b.c.d/y` (6.20: "required format: a.b.c.d/y").
    static func subnets(_ v: JSON) -> [String]? {
        guard let list = v.array else { return nil }
        var out: [String] = []
        for item in list {
            guard let s = item.string else { return nil }
            let parts = s.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let bits = Int(parts[1]), (0...32).contains(bits), isIPv4(String(parts[0])) else { return nil }
            out.append(s)
        }
        return out
    }

    static func isIPv4(_ s: String) -> Bool {
        let octets = s.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { o in !o.isEmpty && o.count <= 3 && o.allSatisfy(\.isASCIIDigit) && Int(o)! <= 255 }
    }

    /// ASSUMED format of a domain name: two or more labels of letters, digits and
    /// inner hyphens, at most 63 characters each, 253 in all, the last not numeric.
    static func isDomainName(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 253 else { return false }
        let labels = s.lowercased().split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for l in labels {
            guard !l.isEmpty, l.count <= 63, !l.hasPrefix("-"), !l.hasSuffix("-"),
                  l.allSatisfy({ $0.isASCIIDigit || ("a"..."z").contains($0) || $0 == "-" }) else { return false }
        }
        return !labels.last!.allSatisfy(\.isASCIIDigit)
    }

    static func isEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64,
              !parts[0].contains(where: { $0 == " " || $0 == "\t" || $0 == "," || $0 == ";" }) else { return false }
        return isDomainName(String(parts[1]))
    }

    static func isHost(_ s: String) -> Bool {
        !s.isEmpty && !s.contains(where: { $0 == " " || $0 == "\t" || $0 == "/" || $0 == "," }) && (isIPv4(s) || isDomainName(s) || s.contains(":"))
    }

    /// Spring Boot's `timestamp`: `2026-01-01T00:00:01.000+00:00`.
    static func isoTimestamp(_ ms: Int) -> String {
        let seconds = ms / 1000, millis = ms % 1000
        let days = seconds / 86_400, rest = seconds % 86_400
        // Days to a civil date (H. Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let three = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(year)-\(two(month))-\(two(day))T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60)).\(three)+00:00"
    }

    // MARK: state

    /// The whole store: the clock, the id counters, and every record with its public
    /// ids, in id order. `load(state())` gives the same store back.
    public func state() -> JSON {
        locked {
            func dump(_ records: [Int: JSONObject]) -> JSON {
                .array(records.keys.sorted().map { .object(records[$0]!) })
            }
            return .object(JSONObject([
                ("clock", .int(clock)),
                ("counters", .object(JSONObject(Kind.allCases.map { k -> (String, JSON) in (k.rawValue, .int(counters[k] ?? 0)) }))),
                ("domains", dump(domains)), ("aliases", dump(aliases)), ("policies", dump(policies)),
                ("users", dump(users)), ("rules", dump(rules)),
            ]))
        }
    }

    public func load(_ state: JSON) throws {
        guard let all = state.object else { throw JSONError(offset: 0, message: "cleanmail state is an object") }
        func records(_ key: String) throws -> [(Int, JSONObject)] {
            try (all[key]?.array ?? []).map { v in
                guard let o = v.object, let id = o["id"]?.string.flatMap(CleanmailID.decode) else {
                    throw JSONError(offset: 0, message: "cleanmail state: every \(key) record needs a valid id")
                }
                return (id, o)
            }
        }
        let d = try records("domains"), a = try records("aliases"), p = try records("policies")
        let u = try records("users"), r = try records("rules")
        locked {
            clock = all["clock"]?.int ?? Self.epoch
            domains = [:]; aliases = [:]; policies = [:]; users = [:]; rules = [:]; sorted = [:]
            names = [:]; domainAliases = [:]; domainPolicies = [:]; domainUsers = [:]; emails = [:]; ownerRules = [:]
            var top: [Kind: Int] = [:]
            func seen(_ k: Kind, _ n: Int) { top[k] = max(top[k] ?? 0, n) }
            for (id, o) in d {
                domains[id] = o
                seen(.domain, id)
                if let n = o["name"]?.string { names[n] = id }
                for pl in o["platforms"]?.array ?? [] { if let n = num(pl["id"]) { seen(.platform, n) } }
            }
            for (id, o) in a.sorted(by: { $0.0 < $1.0 }) {
                aliases[id] = o
                seen(.alias, id)
                if let dom = num(o["domainId"]) {
                    domainAliases[dom, default: []].append(id)
                    if let n = o["name"]?.string { names[n] = dom }
                }
            }
            for (id, o) in p.sorted(by: { $0.0 < $1.0 }) {
                policies[id] = o
                seen(.policy, id)
                if let dom = num(o["domainId"]) { domainPolicies[dom, default: []].append(id) }
            }
            for (id, o) in u.sorted(by: { $0.0 < $1.0 }) {
                users[id] = o
                seen(.user, id)
                if let e = o["email"]?.string { emails[e] = id }
                if let dom = num(o["domainId"]) { domainUsers[dom, default: []].append(id) }
            }
            for (id, o) in r.sorted(by: { $0.0 < $1.0 }) {
                rules[id] = o
                seen(.rule, id)
                ownerRules[ownerKey(o), default: []].append(id)
            }
            let given = all["counters"]?.object
            for k in Kind.allCases { counters[k] = max(given?[k.rawValue]?.int ?? 0, top[k] ?? 0) }
        }
    }
}

/// Cleanmail's ids as its API shows them (`"Eygdk"`): five characters from a shuffled
/// alphabet, a fixed bijection of the integer id (ASSUMED: the real ids are hashids of
/// the database ids; the sandbox's are of the same look, not the same values).
public enum CleanmailID {
    static let alphabet: [Character] = Array("mUk5Z1EqatyliD92vOwWsFCRV7QMrbNH6YohKXSJTp3ABfcnG4LxgI0edPzj8u")
    static let space = 916_132_832  // 62^5
    static let factor = 387_420_489  // 3^18: prime to 62^5 = 2^5 * 31^5
    static let shift = 104_729
    static let inverse: Int = {
        var (t, newT, r, newR) = (0, 1, space, factor)
        while newR != 0 {
            let q = r / newR
            (t, newT) = (newT, t - q * newT)
            (r, newR) = (newR, r - q * newR)
        }
        return t < 0 ? t + space : t
    }()
    static let index: [Character: Int] = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map { ($1, $0) })

    public static func encode(_ n: Int) -> String {
        var x = (n % space * factor + shift) % space
        var out = [Character](repeating: "a", count: 5)
        for i in stride(from: 4, through: 0, by: -1) {
            out[i] = alphabet[x % 62]
            x /= 62
        }
        return String(out)
    }

    /// The integer behind an id; nil when the text is not one.
    public static func decode(_ s: String) -> Int? {
        guard s.count == 5 else { return nil }
        var x = 0
        for c in s {
            guard let v = index[c] else { return nil }
            x = x * 62 + v
        }
        let n = ((x - shift) % space + space) % space * inverse % space
        return n > 0 ? n : nil
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
