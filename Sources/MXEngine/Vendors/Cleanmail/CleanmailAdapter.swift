import MXJSON
import MXModel

/// Cleanmail REST API (vendors/cleanmail-api.txt): `/domains`, `/domains/{id}/aliases`,
/// `/domains/{id}/wblist`, `/policies/{id}`, `/users`; `Authorization: Bearer`; lists
/// paged with `offset`/`pageSize` and counted in `X-Total-Count`; one filter per list.
final class CleanmailAdapter: Adapter {
    let capabilities = VendorCatalog.cleanmail
    let api: VendorAPI
    static let pageSize = 100

    init(api: VendorAPI) { self.api = api }

    // MARK: reading

    /// Pages through `GET /domains`, pushing the name pattern (or, failing that, the
    /// status) down as the document's single filter; each page's filtering rules are
    /// read in one round of concurrent requests.
    func forEachDomain(matching query: DomainQuery, _ body: (Domain) throws -> Bool) throws {
        var filter: [(String, String)] = []
        if let p = query.namePattern { filter = [("name", p)] } else if let s = query.status { filter = [("status", s.rawValue)] }
        // The sender rules are one request per domain: left out here (allow/block are
        // nil, "not read") and filled in by `complete` for the domains that need them.
        try pages("/domains", filter: filter + [("sort", "name")], what: "domains") { page in
            for case .object(let o) in page {
                // Deleted domains stay listed until purged; they are shown only when asked for.
                if o["status"]?.string == "DELETED", query.status != .deleted { continue }
                if try !body(CleanmailMapping.domain(o, rules: nil)) { return false }
            }
            return true
        }
    }

    /// One fallback transport per platform: failovers after the first are not kept.
    /// Languages are codes, compared in lower case.
    func stored(_ domain: Domain) -> Domain {
        var d = domain
        if let f = d.failovers, f.count > 1 { d.failovers = Array(f.prefix(1)) }
        if let l = d.language { d.language = l.lowercased() }
        return d
    }

    /// Reads the sender rules of the domains that lack them, all at once.
    func complete(_ domains: [Domain]) throws -> [Domain] {
        let partial = domains.indices.filter { domains[$0].allow == nil && domains[$0].block == nil && domains[$0].raw["id"] != nil }
        if partial.isEmpty { return domains }
        let replies = try api.getAll(partial.map { "/domains/\(pathSegment(domains[$0].raw["id"]!.text))/wblist?pageSize=1000" })
        var out = domains
        for (i, reply) in zip(partial, replies) {
            let rules = try expect(reply, "read", "filtering rules of domain \(domains[i].name)").json?.array ?? []
            out[i].allow = CleanmailMapping.senders(rules, "ALLOW")
            out[i].block = CleanmailMapping.senders(rules, "BLOCK")
            out[i].raw["wblist"] = Value(json: .array(rules))
        }
        return out
    }

    /// Calls `body` with each page until it returns false or the list ends. The first
    /// page's `X-Total-Count` tells how many pages follow: those are read together, a
    /// few at a time, in order.
    func pages(_ path: String, filter: [(String, String)], what: String, _ body: ([JSON]) throws -> Bool) throws {
        func pagePath(_ offset: Int) -> String {
            path + "?" + (filter + [("offset", String(offset)), ("pageSize", String(Self.pageSize))])
                .map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&")
        }
        let first = try expect(api.call(.GET, path, query: filter + [("offset", "0"), ("pageSize", String(Self.pageSize))]),
                               "list", what)
        let items = first.json?.array ?? []
        if try items.isEmpty || !body(items) { return }
        guard let total = first.header("X-Total-Count").flatMap({ Int($0) }) else {
            // No count: page by page until a short page.
            var offset = items.count
            while true {
                let reply = try expect(api.call(.GET, path, query: filter + [("offset", String(offset)), ("pageSize", String(Self.pageSize))]),
                                       "list", what)
                let more = reply.json?.array ?? []
                if try more.isEmpty || !body(more) { return }
                offset += more.count
            }
        }
        var offset = items.count
        while offset < total {
            // Eight pages a round keeps memory bounded and stops early when `body` does.
            let offsets = Array(stride(from: offset, to: total, by: Self.pageSize).prefix(8))
            for reply in try api.getAll(offsets.map(pagePath)) {
                let page = try expect(reply, "list", what).json?.array ?? []
                if try page.isEmpty || !body(page) { return }
            }
            offset = offsets.last! + Self.pageSize
        }
    }

    func id(_ o: JSONObject) -> String { o["id"]?.string ?? o["id"]?.int.map(String.init) ?? "" }

    /// The domain's record, found by exact name (`GET /domains?name=x`). A deleted
    /// domain (kept, DELETED, until purged) counts as absent unless `includeDeleted`.
    func record(named name: String, includeDeleted: Bool = false) throws -> JSONObject? {
        let reply = try expect(api.call(.GET, "/domains", query: [("name", name)]), "read", "domain \(name)")
        guard let o = (reply.json?.array ?? []).compactMap(\.object).first(where: { $0["name"]?.string?.lowercased() == name.lowercased() })
        else { return nil }
        if o["status"]?.string == "DELETED", !includeDeleted { return nil }
        return o
    }

    func rules(_ domainID: String) throws -> [JSON] {
        try expect(api.call(.GET, "/domains/\(pathSegment(domainID))/wblist", query: [("pageSize", "1000")]),
                   "read", "filtering rules").json?.array ?? []
    }

    func domain(named name: String) throws -> Domain? {
        guard let o = try record(named: name) else { return nil }
        return CleanmailMapping.domain(o, rules: try rules(id(o)))
    }

    func forEachUser(domain: String?, _ body: (User) throws -> Bool) throws {
        var path = "/users"
        if let domain {
            guard let o = try record(named: domain) else { return }
            path = "/domains/\(pathSegment(id(o)))/users"
        }
        try pages(path, filter: [], what: "users") { page in
            for case .object(let o) in page where try !body(CleanmailMapping.user(o)) { return false }
            return true
        }
    }

    /// ASSUMED: `GET /users?email=x` filters by address, like `name` on domains.
    func userRecord(_ email: String) throws -> JSONObject? {
        let reply = try expect(api.call(.GET, "/users", query: [("email", email)]), "read", "user \(email)")
        return (reply.json?.array ?? []).compactMap(\.object).first { $0["email"]?.string?.lowercased() == email.lowercased() }
    }

    func user(email: String) throws -> User? { try userRecord(email).map(CleanmailMapping.user) }

    func settings(_ name: String) throws -> Settings? { nil }

    // MARK: changes

    func apply(_ change: Change) throws -> ChangeOutcome {
        switch change.operation {
        case .createDomain: return try createDomain(change)
        case .updateDomain: return try updateDomain(change)
        case .addAlias: return try addAlias(change)
        case .removeAlias: return try removeAlias(change)
        case .deleteDomain:
            guard let o = try record(named: change.key) else { return .unchanged(nil) }
            let reply = try api.call(.DELETE, "/domains/\(pathSegment(id(o)))")
            if reply.status == 404 { return .unchanged(nil) }
            try expect(reply, "delete", "domain \(change.key)")
            return .applied(nil)
        case .createUser: return try createUser(change)
        case .updateUser:
            guard let o = try userRecord(change.key) else { throw VendorError.notFound("cleanmail", "user", change.key) }
            let current = CleanmailMapping.user(o)
            var u = current
            try assign(change.fields, to: &u, vendor: "cleanmail")
            if differing(current, u, change.fields).isEmpty { return .unchanged(.user(current)) }
            var patch = JSONObject()
            CleanmailMapping.userFields(change.fields, of: u, into: &patch)
            try expect(api.call(.PATCH, "/users/\(pathSegment(id(o)))", body: .json(.object(patch)), safeToRepeat: true), "update", "user \(change.key)")
            return .applied(.user(try user(email: change.key) ?? u))
        case .deleteUser:
            guard let o = try userRecord(change.key) else { return .unchanged(nil) }
            let reply = try api.call(.DELETE, "/users/\(pathSegment(id(o)))")
            if reply.status == 404 { return .unchanged(nil) }
            try expect(reply, "delete", "user \(change.key)")
            return .applied(nil)
        case .updateSettings, .setCredential:
            throw VendorError(vendor: "cleanmail", code: "unsupported", message: "Cleanmail has no \(change.operation.rawValue)")
        }
    }

    func createDomain(_ change: Change) throws -> ChangeOutcome {
        var d = Domain(name: change.key.lowercased(), status: .enabled, aliases: [], failovers: [], relay: false, allow: [], block: [])
        try assign(change.fields, to: &d, vendor: "cleanmail")
        // DomainAdd's required members: the services of the default policy are on, as
        // in the document's example.
        var body = JSONObject([("name", .string(d.name)), ("status", .string(d.status.rawValue)), ("incoming", true),
                               ("outgoing", .bool(d.relay ?? false)), ("quarantine", true), ("retention", true),
                               ("archive", true), ("defaultLanguage", .string((d.language ?? "en").uppercased()))])
        if let text = d.description { body["description"] = .string(text) }
        if d.destination != nil { body["platforms"] = CleanmailMapping.platforms(nil, d) }
        guard let reply = try api.create("/domains", body: .json(.object(body)), exists: { try record(named: d.name) != nil }) else {
            // An earlier attempt made it; its reply was lost. Finish what the POST does not.
            var rest = change
            rest.operation = .updateDomain
            _ = try updateDomain(rest)
            return .applied(.domain(try domain(named: d.name) ?? d))
        }
        if reply.status == 409, let deleted = try record(named: d.name, includeDeleted: true), deleted["status"]?.string == "DELETED" {
            // Deleted but not yet purged: the name is still taken. Bring it back as asked.
            try expect(api.call(.PATCH, "/domains/\(pathSegment(id(deleted)))", body: .json(["status": .string(d.status.rawValue)]), safeToRepeat: true),
                       "restore", "domain \(d.name)")
            var restored = change
            restored.operation = .updateDomain
            _ = try updateDomain(restored)
            return .applied(.domain(try domain(named: d.name) ?? d))
        }
        if reply.status == 409, let existing = try domain(named: d.name) {
            if differing(existing, d, change.fields).isEmpty { return .unchanged(.domain(existing)) }
            throw VendorError(vendor: "cleanmail", code: "409",
                              message: "create domain \(d.name): already exists with other values of \(differing(existing, d, change.fields).joined(separator: ", "))")
        }
        guard let created = try expect(reply, "create", "domain \(d.name)").json?.object else {
            throw VendorError(vendor: "cleanmail", code: "reply", message: "create domain \(d.name): no domain in the reply")
        }
        let domainID = id(created)
        // What POST /domains does not take goes in the sub-resources' own calls.
        if let aliases = d.aliases, !aliases.isEmpty {
            try expect(api.call(.PUT, "/domains/\(pathSegment(domainID))/aliases", body: .json(.array(aliases.map(JSON.string)))),
                       "set aliases of", "domain \(d.name)")
        }
        var rules: [JSON] = []
        if !(d.allow ?? []).isEmpty || !(d.block ?? []).isEmpty {
            let sent = CleanmailMapping.rules([], allow: d.allow ?? [], block: d.block ?? [])
            try expect(api.call(.PUT, "/domains/\(pathSegment(domainID))/wblist", body: .json(sent)),
                       "set filtering rules of", "domain \(d.name)")
            rules = sent.array ?? []
        }
        // The state after, from what was created and sent: no read back.
        var made = created
        if let aliases = d.aliases, !aliases.isEmpty {
            made["domainAliases"] = JSON.array(aliases.map { JSON.object(JSONObject([("name", JSON.string($0))])) })
        }
        return .applied(.domain(CleanmailMapping.domain(made, rules: rules)))
    }

    func updateDomain(_ change: Change) throws -> ChangeOutcome {
        guard let o = try record(named: change.key) else { throw VendorError.notFound("cleanmail", "domain", change.key) }
        let domainID = pathSegment(id(o))
        let currentRules = try rules(id(o))
        let current = CleanmailMapping.domain(o, rules: currentRules)
        var d = current
        try assign(change.fields, to: &d, vendor: "cleanmail")
        let changed = Set(differing(current, d, change.fields))
        if changed.isEmpty { return .unchanged(.domain(current)) }
        // PATCH /domains/{id} applies only the members given (5.5.15).
        var patch = JSONObject()
        if changed.contains("status") { patch["status"] = .string(d.status.rawValue) }
        if changed.contains("description") { patch["description"] = d.description.map(JSON.string) ?? .null }
        if changed.contains("language") { patch["defaultLanguage"] = d.language.map { .string($0.uppercased()) } ?? .null }
        if changed.contains("destination") || changed.contains("failovers") { patch["platforms"] = CleanmailMapping.platforms(o, d) }
        if patch.count > 0 {
            try expect(api.call(.PATCH, "/domains/\(domainID)", body: .json(.object(patch)), safeToRepeat: true), "update", "domain \(change.key)")
        }
        // `outgoing` belongs to the domain's default policy (DomainUpdate has no such member).
        if changed.contains("relay") {
            guard let policy = o["policy"]?["id"].map({ $0.string ?? $0.text }) else {
                throw VendorError(vendor: "cleanmail", code: "policy", message: "update domain \(change.key): it has no default policy to carry relay")
            }
            try expect(api.call(.PATCH, "/policies/\(pathSegment(policy))", body: .json(["outgoing": .bool(d.relay ?? false)]), safeToRepeat: true),
                       "update", "policy of domain \(change.key)")
        }
        if changed.contains("aliases") {
            try expect(api.call(.PUT, "/domains/\(domainID)/aliases", body: .json(.array((d.aliases ?? []).map(JSON.string)))),
                       "set aliases of", "domain \(change.key)")
        }
        if changed.contains("allow") || changed.contains("block") {
            try expect(api.call(.PUT, "/domains/\(domainID)/wblist",
                                body: .json(CleanmailMapping.rules(currentRules, allow: d.allow ?? [], block: d.block ?? []))),
                       "set filtering rules of", "domain \(change.key)")
        }
        return .applied(.domain(try domain(named: change.key) ?? d))
    }

    func addAlias(_ change: Change) throws -> ChangeOutcome {
        let alias = try aliasName(change, vendor: "cleanmail")
        // The domain as the script holds it (read moments ago, with its id) spares a
        // read: an add-alias is then one request. A stale view is caught by the 409.
        let known = recordKnown(change)
        guard let o = try known ?? record(named: change.key) else { throw VendorError.notFound("cleanmail", "domain", change.key) }
        if CleanmailMapping.aliasNames(o["domainAliases"]).map({ $0.lowercased() }).contains(alias) {
            return .unchanged(.domain(known != nil ? beforeDomain(change)! : CleanmailMapping.domain(o, rules: try rules(id(o)))))
        }
        let hasAlias = { try self.record(named: change.key).map { CleanmailMapping.aliasNames($0["domainAliases"]).contains(alias) } ?? false }
        guard let reply = try api.create("/domains/\(pathSegment(id(o)))/aliases", body: .json([.string(alias)]), exists: hasAlias) else {
            return .applied(.domain(try domain(named: change.key) ?? CleanmailMapping.domain(o, rules: nil)))
        }
        if reply.status == 409 {
            // Ours already (added meanwhile), or another domain's name: say which.
            if let now = try domain(named: change.key), (now.aliases ?? []).contains(alias) { return .unchanged(.domain(now)) }
            throw VendorError(vendor: "cleanmail", code: "409",
                              message: "add-alias \(alias) to domain \(change.key): an alias or a domain named \(alias) already exists")
        }
        if reply.status == 404, known != nil {
            // Our view was stale: the domain is gone, or was re-created under another id.
            var fresh = change
            fresh.before = nil
            return try addAlias(fresh)
        }
        try expect(reply, "add-alias \(alias) to", "domain \(change.key)")
        var after = beforeDomain(change) ?? CleanmailMapping.domain(o, rules: nil)
        after.aliases = (after.aliases ?? []) + [alias]
        return .applied(.domain(after))
    }

    /// The domain a change was made on, as the script held it.
    func beforeDomain(_ change: Change) -> Domain? {
        if case .domain(let d)? = change.before { return d }
        return nil
    }

    /// That domain's Cleanmail record (its raw), when it carries the id paths need.
    func recordKnown(_ change: Change) -> JSONObject? {
        guard let d = beforeDomain(change), d.name.lowercased() == change.key.lowercased(),
              case .string? = d.raw["id"], case .record(let raw)? = Value.record(d.raw) as Value?,
              let o = Value.record(raw).json?.object else { return nil }
        return o
    }

    func removeAlias(_ change: Change) throws -> ChangeOutcome {
        let alias = try aliasName(change, vendor: "cleanmail")
        guard let o = try record(named: change.key) else { throw VendorError.notFound("cleanmail", "domain", change.key) }
        let domainID = pathSegment(id(o))
        var aliasID: String?
        try pages("/domains/\(domainID)/aliases", filter: [], what: "aliases") { page in
            aliasID = page.first { $0["name"]?.string?.lowercased() == alias }.map { $0["id"]?.string ?? $0["id"]?.text ?? "" }
            return aliasID == nil
        }
        guard let aliasID else { return .unchanged(.domain(CleanmailMapping.domain(o, rules: try rules(id(o))))) }
        let reply = try api.call(.DELETE, "/domains/\(domainID)/aliases/\(pathSegment(aliasID))")
        if reply.status != 404 { try expect(reply, "remove-alias \(alias) from", "domain \(change.key)") }
        return .applied(.domain(try domain(named: change.key) ?? CleanmailMapping.domain(o, rules: nil)))
    }

    func createUser(_ change: Change) throws -> ChangeOutcome {
        var u = User(email: change.key.lowercased())
        try assign(change.fields, to: &u, vendor: "cleanmail")
        guard let domainRecord = try record(named: u.domain) else {
            throw VendorError(vendor: "cleanmail", code: "400", message: "create user \(u.email): domain \(u.domain) does not exist")
        }
        var body = JSONObject([("email", .string(u.email)), ("status", .string(u.status.rawValue)),
                               ("domainId", domainRecord["id"] ?? .null), ("sendNotification", false)])
        var fields = change.fields
        fields["status"] = .enumCase(u.status.rawValue)
        CleanmailMapping.userFields(fields, of: u, into: &body)
        if body["language"] == nil { body["language"] = .string((domainRecord["defaultLanguage"]?.string ?? "EN").uppercased()) }
        guard let reply = try api.create("/users", body: .json(.object(body)), exists: { try userRecord(u.email) != nil }) else {
            return .applied(.user(try user(email: u.email) ?? u))
        }
        if reply.status == 409, let existing = try user(email: u.email) {
            if differing(existing, u, change.fields).isEmpty { return .unchanged(.user(existing)) }
            throw VendorError(vendor: "cleanmail", code: "409", message: "create user \(u.email): already exists with other values")
        }
        let created = try expect(reply, "create", "user \(u.email)")
        return .applied(.user(created.json?.object.map(CleanmailMapping.user) ?? u))
    }

    /// A 2xx reply, or the vendor's error: the status, the document's meaning for it,
    /// and the body's own words.
    @discardableResult
    func expect(_ reply: VendorAPI.Reply, _ action: String, _ object: String) throws -> VendorAPI.Reply {
        guard !reply.isSuccess else { return reply }
        var message = "\(action) \(object): \(CleanmailMapping.meaning(reply.status))"
        if let d = CleanmailMapping.details(reply.json) { message += " (\(d))" }
        throw VendorError(vendor: "cleanmail", code: String(reply.status), message: message)
    }
}
