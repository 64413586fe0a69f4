import MXJSON
import MXModel

/// Cleanmail REST API (vendors/cleanmail-api.txt): `/domains`, `/domains/{id}/aliases`,
/// `/domains/{id}/wblist`, `/policies/{id}`, `/users`; `Authorization: Bearer`; lists
/// paged with `offset`/`pageSize` and counted in `X-Total-Count`; one filter per list.
final class CleanmailAdapter: ResolvingAdapter {
    var vendor: Vendor { .cleanmail }
    let api: VendorAPI
    static let pageSize = 100

    init(api: VendorAPI) { self.api = api }

    static func connect(_ context: ConnectContext) throws -> any Adapter {
        let (root, auth) = try context.options.bearer(
            token: "token=env(\"CM_TOKEN\")", server: "your Cleanmail API address",
            url: "url=\"https://api.example.net\"")
        return CleanmailAdapter(api: context.api(root, auth))
    }

    // MARK: reading

    /// Pages through `GET /domains`, pushing the name pattern (or, failing that, the
    /// status) down as the document's single filter; each page's filtering rules are
    /// read in one round of concurrent requests.
    func forEachDomain(matching query: DomainQuery, _ body: (Domain) throws -> Bool) throws {
        var filter: [(String, String)] = []
        if let p = query.namePattern {
            // The document's filter knows `*` only ("mydomain*", "*mydomain*").
            filter = [("name", query.nameIsExact ? p : globAsStars(p))]
        } else if let s = query.status {
            filter = [("status", s.rawValue)]
        }
        // The sender rules are one request per domain: left out here (allow/block are
        // nil, "not read") and filled in by `complete` for the domains that need them.
        try pages("/domains", filter: filter + [("sort", "name")], what: "domains", whole: query.status != nil) {
            page in
            for case .object(let o) in page {
                // Deleted domains stay listed until purged; they are shown only when asked for.
                if o["status"]?.string == "DELETED", query.status != .deleted { continue }
                if try !body(CleanmailMapping.domain(o, rules: nil)) { return false }
            }
            return true
        }
    }

    /// One fallback transport per platform: failovers after the first are not kept.
    /// Languages are codes, compared in lower case. A destination is a host and a port,
    /// read back without SMTP's own (`mx.x.org:25` is held as `mx.x.org`): a copy that
    /// compared the form given would find it different at every re-run.
    func stored(_ domain: Domain) -> Domain {
        var d = domain
        func held(_ text: String) -> String {
            let (host, port) = CleanmailMapping.destination(text)
            return CleanmailMapping.destinationText(host, port)
        }
        if let f = d.failovers { d.failovers = Array(f.prefix(1)).map(held) }
        if let x = d.destination { d.destination = held(x) }
        if let l = d.language { d.language = l.lowercased() }
        return d
    }

    /// Reads the sender rules of the domains that lack them, all at once.
    func complete(_ domains: [Domain]) throws -> [Domain] {
        let partial = domains.indices.filter {
            domains[$0].allow == nil && domains[$0].block == nil && domains[$0].raw["id"] != nil
        }
        if partial.isEmpty { return domains }
        let owners = partial.map { "/domains/\(pathSegment(domains[$0].raw["id"]!.text))" }
        let replies = try api.getAll(owners.map { "\($0)/wblist?pageSize=\(Self.rulePageSize)" })
        var out = domains
        for (n, (i, reply)) in zip(partial, replies).enumerated() {
            // A domain with more rules than one page has the rest read now: none is lost.
            let rules = try restOfRules(reply, owner: owners[n], what: "domain \(domains[i].name)")
            out[i].allow = CleanmailMapping.senders(rules, "ALLOW")
            out[i].block = CleanmailMapping.senders(rules, "BLOCK")
            out[i].raw["wblist"] = Value(json: .array(rules))
        }
        return out
    }

    /// Calls `body` with each page, as it comes, until it returns false or the list ends.
    ///
    /// `whole`: every page read first. Pages are read by position (`offset`): a loop
    /// disabling what it lists `where status=ENABLED`, or deleting users it lists, while
    /// the listing went on would shift the later pages under it, and rows would be
    /// skipped with no error. (Deleted domains stay listed, DELETED, so a listing of
    /// domains not filtered by status keeps its positions, and streams.)
    func pages(
        _ path: String, filter: [(String, String)], what: String, pageSize: Int = CleanmailAdapter.pageSize,
        whole: Bool = false, _ body: ([JSON]) throws -> Bool
    ) throws {
        guard whole else { return try readPages(path, filter: filter, what: what, pageSize: pageSize, body) }
        var all: [[JSON]] = []
        try readPages(path, filter: filter, what: what, pageSize: pageSize) {
            all.append($0)
            return true
        }
        for page in all where try !body(page) { return }
    }

    /// Each page, in order. The first page's `X-Total-Count` tells how many pages
    /// follow: those are read together, a few at a time.
    private func readPages(
        _ path: String, filter: [(String, String)], what: String, pageSize: Int,
        _ body: ([JSON]) throws -> Bool
    ) throws {
        func pagePath(_ offset: Int) -> String {
            path + "?"
                + (filter + [("offset", String(offset)), ("pageSize", String(pageSize))])
                .map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&")
        }
        let first = try expect(
            api.call(.GET, path, query: filter + [("offset", "0"), ("pageSize", String(pageSize))]),
            "list", what)
        // A 2xx of another shape (a proxy's JSON error page) is an error, not zero objects.
        guard let items = first.json?.array else { throw shape("list \(what)") }
        if try items.isEmpty || !body(items) { return }
        guard let total = first.header("X-Total-Count").flatMap({ Int($0) }) else {
            // No count: page by page until an empty page. A server that ignores the
            // offset (every page the same) would be listed for ever: an error.
            var offset = items.count
            var previous = items
            while true {
                let query = filter + [("offset", String(offset)), ("pageSize", String(pageSize))]
                let reply = try expect(
                    api.call(.GET, path, query: query),
                    "list", what)
                guard let more = reply.json?.array else { throw shape("list \(what)") }
                if more == previous {
                    throw VendorError(
                        vendor: vendor.name, kind: .reply, code: "reply",
                        message: "list \(what): the answer for offset \(offset) repeats the page before it "
                            + "(the server ignores offset?), so the listing stopped")
                }
                if try more.isEmpty || !body(more) { return }
                offset += more.count
                previous = more
            }
        }
        // The server's own page size: one that caps `pageSize` (the document sets no
        // maximum) answers fewer rows than asked, and stepping by the size asked would
        // skip the rows between.
        let step = min(pageSize, items.count)
        var offset = items.count
        while offset < total {
            // Eight pages a round keeps memory bounded and stops early when `body` does.
            let offsets = Array(stride(from: offset, to: total, by: step).prefix(8))
            for reply in try api.getAll(offsets.map(pagePath)) {
                guard let page = try expect(reply, "list", what).json?.array else { throw shape("list \(what)") }
                // More rows than the first page held: the pages overlap, and rows would
                // come twice (a loop acting on them twice).
                if page.count > step { throw shape("list \(what): a page of \(page.count) rows after one of \(step)") }
                if try page.isEmpty || !body(page) { return }
            }
            offset = offsets.last! + step
        }
    }

    func id(_ o: JSONObject) -> String { o["id"]?.string ?? o["id"]?.int.map(String.init) ?? "" }

    /// The domain's record, found by exact name (`GET /domains?name=x`). A deleted
    /// domain (kept, DELETED, until purged) counts as absent unless `includeDeleted`.
    func record(named name: String, includeDeleted: Bool = false) throws -> JSONObject? {
        let reply = try expect(api.call(.GET, "/domains", query: [("name", name)]), "read", "domain \(name)")
        // A 2xx that is not a list says nothing of the domain: not "there is none".
        guard let found = reply.json?.array else { throw shape("read domain \(name)") }
        guard
            let o = found.compactMap(\.object).first(where: {
                $0["name"]?.string?.lowercased() == name.lowercased()
            })
        else { return nil }
        if o["status"]?.string == "DELETED", !includeDeleted { return nil }
        return o
    }

    func rules(_ domainID: String) throws -> [JSON] {
        try senderRules("/domains/\(pathSegment(domainID))", what: "domain")
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
        // A deleted user leaves the listing: read whole, as a loop may delete what it lists.
        try pages(path, filter: [], what: "users", whole: true) { page in
            for case .object(let o) in page where try !body(CleanmailMapping.user(o)) { return false }
            return true
        }
    }

    /// ASSUMED: `GET /users?email=x` filters by address, like `name` on domains (the
    /// document lost the parameter's name). The answer is checked, not trusted: every
    /// page is read until the address itself is found, so a vendor that ignores the
    /// filter costs pages, never a wrong "does not exist".
    func userRecord(_ email: String) throws -> JSONObject? {
        var found: JSONObject?
        try pages("/users", filter: [("email", email)], what: "user \(email)") { page in
            found = page.compactMap(\.object).first { $0["email"]?.string?.lowercased() == email.lowercased() }
            return found == nil
        }
        return found
    }

    /// One mailbox, with its sender rules (one more request).
    func user(email: String) throws -> User? {
        try userRecord(email).map { CleanmailMapping.user(try withSenderRules($0)) }
    }

    func settings(_ name: String) throws -> Settings? { nil }

    /// One domain of the first page: proves the token.
    func probe() throws {
        try expect(api.call(.GET, "/domains", query: [("offset", "0"), ("pageSize", "1")]), "list", "domains")
    }

    // MARK: changes (their meaning is ChangeResolver's; the verbs are in CleanmailChanges.swift)

    /// A 2xx reply, or the vendor's error: the status, the document's meaning for it,
    /// and the body's own words.
    @discardableResult
    func expect(_ reply: VendorAPI.Reply, _ action: String, _ object: String) throws -> VendorAPI.Reply {
        guard !reply.isSuccess else { return reply }
        var message = "\(action) \(object): \(CleanmailMapping.meaning(reply.status))"
        if let d = CleanmailMapping.details(reply.json) { message += " (\(d))" }
        throw VendorError(
            vendor: vendor.name, kind: CleanmailMapping.kind(reply.status), code: String(reply.status), message: message
        )
    }
}
