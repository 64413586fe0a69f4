import MXHTTP
import MXJSON
import MXModel

/// OpenSRS Email API (vendors/opensrs-email-get_domain.txt, vendors/NOTES.md): method
/// calls `POST /api/<method>` with a `credentials` object in every body; the answer is
/// HTTP 200 with `success` and, on failure, `error_number`.
final class OpenSRSAdapter: ResolvingAdapter {
    var vendor: Vendor { .opensrs }
    let api: VendorAPI
    /// `{"user": ..., "password"|"token": ..., "client": "mxsh"}`: the only place the
    /// credential lives; traces mask the whole object.
    let credentials: JSON
    static let pageSize = 100

    init(api: VendorAPI, credentials: JSON) {
        self.api = api
        self.credentials = credentials
    }

    static func connect(_ context: ConnectContext) throws -> any Adapter {
        let o = context.options
        let user = try o.required("user", "user=\"admin@example.com\"")
        var credentials = JSONObject([("user", .string(user))])
        if let token = try o.text("token") {
            credentials["token"] = .string(token)
        } else {
            credentials["password"] = .string(try o.required("password", "password=secret(\"opensrs\")"))
        }
        credentials["client"] = "mxsh"
        let cluster = try o.text("cluster") ?? "a"
        // Only the clusters there are: a typo must not send the password to another host.
        guard ["a", "b", "test"].contains(cluster) else {
            throw RuntimeError(
                "cluster is a, b or test, not '\(cluster)'", at: o.values["cluster"]!.range,
                notes: [.init("or give the whole address: url=\"https://admin.a.hostedemail.com\"")])
        }
        let root = try o.url() ?? "https://admin.\(cluster).hostedemail.com"
        return OpenSRSAdapter(api: context.api(root + "/api", []), credentials: .object(credentials))
    }

    /// The request body of a method call: its fields and the credentials.
    func body(_ fields: JSONObject) -> VendorAPI.Body {
        var body = fields
        body["credentials"] = credentials
        return .json(.object(body))
    }

    /// One method call. Reads, and writes that set rather than add, may be repeated
    /// after a lost reply; errors 20/22/25/28-30 are retried by the client.
    func call(_ method: String, _ fields: JSONObject, safeToRepeat: Bool = true) throws -> JSONObject {
        let reply = try api.call(
            .POST, "/" + method, body: body(fields), safeToRepeat: safeToRepeat, retryWhen: Self.retryable)
        return try object(reply, method)
    }

    /// Errors 20/22/25/28-30 are contention, not a verdict: the client tries again.
    static let retryable: @Sendable (HTTPResponse) -> Bool = { r in
        guard r.status == 200, let n = (try? JSON.parse(r.body))?["error_number"]?.int else { return false }
        return OpenSRSMapping.retryable.contains(n)
    }

    /// The answer's JSON object; anything else is not the documented shape.
    func object(_ reply: VendorAPI.Reply, _ method: String) throws -> JSONObject {
        guard reply.status == 200 else {
            let why =
                reply.status == 400
                ? "malformed request" : reply.status == 404 ? "unknown method \(method)" : "HTTP \(reply.status)"
            throw VendorError(
                vendor: vendor.name, kind: reply.status >= 500 ? .transport : .refused, code: "http \(reply.status)",
                message: "\(method): \(why)")
        }
        guard let o = reply.json?.object, o["success"]?.bool != nil else {
            throw VendorError(
                vendor: vendor.name, kind: .reply, code: "reply",
                message: "\(method): the answer is not an OpenSRS reply (no JSON object with success)")
        }
        return o
    }

    /// The error of a failed call, as a typed vendor error naming the action and object.
    func failure(_ o: JSONObject, _ action: String, _ object: String) -> VendorError {
        let n = o["error_number"]?.int ?? 0
        var message = "\(action) \(object): \(OpenSRSMapping.meaning(n))"
        if let text = o["error"]?.string, text.lowercased() != OpenSRSMapping.meaning(n) { message += " (\(text))" }
        let hints = (o["hints"]?.object?.pairs ?? []).map { (field: $0.0, reason: $0.1.string ?? $0.1.text) }
        if !hints.isEmpty { message += "; " + hints.map { "\($0.field): \($0.reason)" }.joined(separator: ", ") }
        return VendorError(
            vendor: vendor.name, kind: OpenSRSMapping.kind(n), code: String(n), message: message, hints: hints)
    }

    func succeeded(_ o: JSONObject) -> Bool { o["success"]?.bool == true }

    // MARK: reading

    /// A `disabled` flag is all OpenSRS has of a status: anything else is ENABLED.
    func stored(_ domain: Domain) -> Domain {
        var d = domain
        if d.status != .disabled { d.status = .enabled }
        return d
    }

    /// `search_domains` answers summaries (NOTES.md): names, not attributes. Each page's
    /// domains are then read whole with `get_domain`, all at once, so nothing shown,
    /// filtered, compared or copied is a value that was never read.
    func forEachDomain(matching query: DomainQuery, _ body: (Domain) throws -> Bool) throws {
        var criteria = JSONObject([("type", .array(["domain"]))])
        // `match` is "wild*" in the notes: `*` only, as for Cleanmail.
        if let p = query.namePattern { criteria["match"] = .string(query.nameIsExact ? p : globAsStars(p)) }
        let rows = try search("search_domains", criteria: criteria, key: "domains")
        // ASSUMED: a row of type "alias" names another domain's alias, not a domain.
        let names = rows.filter { $0["type"]?.string != "alias" }.compactMap { $0["domain"]?.string }
        try readInPages(names, method: "get_domain", key: "domain", as: domain, body)
    }

    /// Each name read whole, a page at a time (`readAll`), until `body` returns false.
    func readInPages<T>(
        _ names: [String], method: String, key: String, as make: (String, JSONObject) -> T,
        _ body: (T) throws -> Bool
    ) throws {
        var seen = Set<String>()
        let names = names.filter { seen.insert($0.lowercased()).inserted }
        for start in stride(from: 0, to: names.count, by: Self.pageSize) {
            let part = Array(names[start..<min(start + Self.pageSize, names.count)])
            for item in try readAll(part, method: method, key: key, as: make) where try !body(item) { return }
        }
    }

    /// `get_domain` (or `get_user`) for each name at once; names gone meanwhile are skipped.
    func readAll<T>(_ names: [String], method: String, key: String, as make: (String, JSONObject) -> T) throws -> [T] {
        let replies = try api.sendAll(
            names.map { (.POST, "/" + method, body([key: .string($0)])) }, retryWhen: Self.retryable)
        var out: [T] = []
        for (name, reply) in zip(names, replies) {
            let o = try object(reply, method)
            if succeeded(o) { out.append(make(name, o)); continue }
            let n = o["error_number"]?.int ?? 0
            if OpenSRSMapping.kind(n) == .notFound { continue }
            throw failure(o, "read", "\(key) \(name)")
        }
        return out
    }

    func domain(_ name: String, _ o: JSONObject) -> Domain {
        OpenSRSMapping.domain(
            name: name, attributes: o["attributes"]?.object ?? JSONObject(),
            createtime: o["metadata"]?["createtime"], raw: o)
    }

    func user(_ email: String, _ o: JSONObject) -> User {
        OpenSRSMapping.user(email: email, attributes: o["attributes"]?.object ?? JSONObject(), raw: o)
    }

    /// Every row of a search, 100 at a time, before any is used. Pages are read by
    /// position (`range.first`): a loop deleting or disabling what it lists while the
    /// listing went on would shift the later pages under it, and rows would be skipped
    /// with no error. The rows are summaries (names), cheap to hold. The listing ends
    /// at the answer's total; with no total, at a page shorter than asked (a server may
    /// cap `limit`, so a short page with a total still to reach is not the end).
    func search(_ method: String, criteria: JSONObject, key: String) throws -> [JSONObject] {
        var rows: [JSONObject] = []
        var previous: [JSON] = []
        while true {
            let o = try call(
                method,
                JSONObject([
                    ("criteria", .object(criteria)),
                    ("range", ["first": .int(rows.count), "limit": .int(Self.pageSize)])
                ]))
            guard succeeded(o) else { throw failure(o, "list", key) }
            guard let items = o[key]?.array, items.allSatisfy({ $0.object != nil }) else {
                throw VendorError(
                    vendor: vendor.name, kind: .reply, code: "reply",
                    message: "\(method): the answer has no \(key) list")
            }
            // A server that ignores `range` (every page the same) would be listed for ever.
            if !items.isEmpty, items == previous {
                throw VendorError(
                    vendor: vendor.name, kind: .reply, code: "reply",
                    message: "\(method): the page at row \(rows.count) repeats the one before it (the server "
                        + "ignores range?), so the listing stopped")
            }
            previous = items
            rows += items.compactMap(\.object)
            guard let total = o["total"]?.int ?? o["total_count"]?.int else {
                if items.count < Self.pageSize { return rows }
                continue
            }
            if rows.count >= total { return rows }
            if items.isEmpty {
                throw VendorError(
                    vendor: vendor.name, kind: .reply, code: "reply",
                    message: "\(method): an empty page at row \(rows.count) of \(total): the listing is not whole")
            }
        }
    }

    func domain(named name: String) throws -> Domain? {
        let o = try call("get_domain", ["domain": .string(name)])
        guard succeeded(o) else {
            let e = failure(o, "read", "domain \(name)")
            if e.kind == .notFound { return nil }
            throw e
        }
        return domain(name, o)
    }

    func forEachUser(domain: String?, _ body: (User) throws -> Bool) throws {
        var criteria = JSONObject()
        if let domain { criteria["domain"] = .string(domain) }
        let rows = try search("search_users", criteria: criteria, key: "users")
        // ASSUMED: a row of type "alias" is another mailbox's address, not a user.
        let emails = rows.filter { $0["type"]?.string != "alias" }.compactMap { $0["user"]?.string }
        try readInPages(emails, method: "get_user", key: "user", as: user, body)
    }

    func user(email: String) throws -> User? {
        let o = try call("get_user", ["user": .string(email)])
        guard succeeded(o) else {
            let e = failure(o, "read", "user \(email)")
            if e.kind == .notFound { return nil }
            throw e
        }
        return user(email, o)
    }

    func settings(_ name: String) throws -> Settings? { nil }

    /// One row of a search: proves the credentials.
    func probe() throws {
        let o = try call("search_domains", JSONObject([("range", ["first": 0, "limit": 1])]))
        guard succeeded(o) else { throw failure(o, "list", "domains") }
    }

    // MARK: changes (their meaning is ChangeResolver's)

    func current(for change: Change) throws -> ObjectRef.Object? {
        change.kind == .user
            ? try user(email: change.key).map { .user($0) } : try domain(named: change.key).map { .domain($0) }
    }

    func create(_ object: ObjectRef.Object, _ change: Change) throws -> ChangeOutcome {
        if vendor.resources.command(change.operation.rawValue)?.command.effect == .restore {
            return try restore(change.kind, change.key)
        }
        var fields = change.fields
        fields["status"] = .enumCase(Status.enabled.rawValue)
        let method: String, key: String, name: String, attributes: JSONObject
        switch object {
        case .domain(let d):
            if let s = change.fields["status"] { fields["status"] = s }
            var a = OpenSRSMapping.attributes(fields, of: d)
            for (k, v) in vendorAttributes(change.fields.keys, of: d.raw, kind: .domain).pairs { a[k] = v }
            (method, key, name, attributes) = ("change_domain", "domain", d.name, a)
        case .user(let u):
            if let s = change.fields["status"] { fields["status"] = s }
            try checkUser(u, change.fields.keys)
            var a = OpenSRSMapping.userAttributes(fields, of: u)
            for (k, v) in vendorAttributes(change.fields.keys, of: u.raw, kind: .user).pairs { a[k] = v }
            (method, key, name, attributes) = ("change_user", "user", u.email, a)
        case .settings: throw VendorError.unsupported(vendor, change.operation)
        }
        // A lost answer or a server error: read before sending it again, a bounded number
        // of times (`VendorAPI.create`); nil when an earlier attempt made it.
        let request: JSONObject = [key: .string(name), "create_only": true, "attributes": .object(attributes)]
        if let reply = try api.create(
            "/" + method, body: body(request), retryWhen: Self.retryable,
            exists: {
                try current(for: change) != nil
            })
        {
            let o = try self.object(reply, method)
            guard succeeded(o) else { throw failure(o, "create", "\(key) \(name)") }
        }
        // Made: a read-back that fails leaves its fields unknown, the change done in part
        // (kept `sent`: resume reads it, undo takes it back), never failed.
        do { return .applied(try current(for: change) ?? object) } catch let e as VendorError {
            throw VendorError.madeInPart("\(key) \(name) was created", e)
        }
    }

    func update(_ object: ObjectRef.Object, changed: [String], from current: ObjectRef.Object, _ change: Change) throws
        -> ChangeOutcome
    {
        let fields = Record(changed.map { ($0, Value.none) })
        switch object {
        case .domain(let d):
            var attributes = OpenSRSMapping.attributes(fields, of: d)
            if case .domain(let before) = current {
                let values = optionValues(changed, kind: .domain, raw: d.raw, language: d.language)
                try checkOptions(values, Self.options(of: before.raw), "at this domain")
            }
            for (k, v) in vendorAttributes(changed, of: d.raw, kind: .domain).pairs { attributes[k] = v }
            let o = try call("change_domain", ["domain": .string(change.key), "attributes": .object(attributes)])
            guard succeeded(o) else { throw failure(o, change.operation.rawValue, "domain \(change.key)") }
            guard case .domain(let before) = current else { return .applied(object) }
            return .applied(.domain(updated(before, d, attributes)))
        case .user(let u):
            try checkUser(u, changed)
            var attributes = OpenSRSMapping.userAttributes(fields, of: u)
            for (k, v) in vendorAttributes(changed, of: u.raw, kind: .user).pairs { attributes[k] = v }
            let o = try call("change_user", ["user": .string(change.key), "attributes": .object(attributes)])
            guard succeeded(o) else { throw failure(o, "update", "user \(change.key)") }
            return .applied(object)
        case .settings: throw VendorError.unsupported(vendor, change.operation)
        }
    }

    func delete(_ object: ObjectRef.Object, _ change: Change) throws -> ChangeOutcome {
        let (method, key) = change.kind == .user ? ("delete_user", "user") : ("delete_domain", "domain")
        let o = try call(method, [key: .string(change.key)])
        guard succeeded(o) else { throw failure(o, "delete", "\(key) \(change.key)") }
        return .applied(nil)
    }

    /// The vendor's own attributes among `names`, as `change_domain` takes them.
    func vendorAttributes(_ names: [String], of raw: Record, kind: ObjectKind) -> JSONObject {
        var a = JSONObject()
        for name in names {
            guard let spec = vendor.field(kind, name), !spec.neutral, let key = spec.wirePath.last else { continue }
            a[key] = (raw.value(atPath: spec.wirePath) ?? .none).json ?? .null
        }
        return a
    }

    /// The domain after a successful change, without reading it again: the new neutral
    /// fields, and the raw record's attributes updated with what was sent.
    func updated(_ current: Domain, _ d: Domain, _ sent: JSONObject) -> Domain {
        var after = d
        var raw = current.raw
        if case .record(var attributes)? = raw["attributes"] {
            for (k, v) in sent.pairs { attributes[k] = Value(json: v) }
            raw["attributes"] = .record(attributes)
        }
        after.raw = raw
        return after
    }
}
