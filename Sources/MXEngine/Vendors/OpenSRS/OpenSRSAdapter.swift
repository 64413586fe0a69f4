import MXHTTP
import MXJSON
import MXModel

/// OpenSRS Email API (vendors/opensrs-email-get_domain.txt, vendors/NOTES.md): method
/// calls `POST /api/<method>` with a `credentials` object in every body; the answer is
/// HTTP 200 with `success` and, on failure, `error_number`.
final class OpenSRSAdapter: Adapter {
    let capabilities = VendorCatalog.opensrs
    let api: VendorAPI
    /// `{"user": ..., "password"|"token": ..., "client": "mxsh"}`: the only place the
    /// credential lives; traces mask the whole object.
    let credentials: JSON
    static let pageSize = 100

    init(api: VendorAPI, credentials: JSON) {
        self.api = api
        self.credentials = credentials
    }

    /// One method call. Reads, and writes that set rather than add, may be repeated
    /// after a lost reply; errors 20/22/25/28-30 are retried by the client.
    func call(_ method: String, _ fields: JSONObject, safeToRepeat: Bool = true) throws -> JSONObject {
        var body = fields
        body["credentials"] = credentials
        let reply = try api.call(.POST, "/" + method, body: .json(.object(body)), safeToRepeat: safeToRepeat,
                                 retryWhen: { r in
                                     guard r.status == 200, let n = (try? JSON.parse(r.body))?["error_number"]?.int else { return false }
                                     return OpenSRSMapping.retryable.contains(n)
                                 })
        guard reply.status == 200 else {
            let why = reply.status == 400 ? "malformed request" : reply.status == 404 ? "unknown method \(method)" : "HTTP \(reply.status)"
            throw VendorError(vendor: "opensrs", code: "http \(reply.status)", message: "\(method): \(why)")
        }
        guard let o = reply.json?.object else {
            throw VendorError(vendor: "opensrs", code: "reply", message: "\(method): the reply is not a JSON object")
        }
        return o
    }

    /// The error of a failed call, as a vendor error naming the action and object.
    func failure(_ o: JSONObject, _ action: String, _ object: String) -> VendorError {
        let n = o["error_number"]?.int ?? 0
        var message = "\(action) \(object): \(OpenSRSMapping.meaning(n))"
        if let text = o["error"]?.string, text.lowercased() != OpenSRSMapping.meaning(n) { message += " (\(text))" }
        if let hints = o["hints"]?.object, hints.count > 0 {
            message += "; " + hints.pairs.map { "\($0.0): \($0.1.string ?? $0.1.text)" }.joined(separator: ", ")
        }
        return VendorError(vendor: "opensrs", code: String(n), message: message)
    }

    func succeeded(_ o: JSONObject) -> Bool { o["success"]?.bool == true }

    // MARK: reading

    /// `search_domains`, 100 at a time; a name pattern goes to `criteria.match`.
    /// A `disabled` flag is all OpenSRS has of a status: anything else is ENABLED.
    func stored(_ domain: Domain) -> Domain {
        var d = domain
        if d.status != .disabled { d.status = .enabled }
        return d
    }

    func forEachDomain(matching query: DomainQuery, _ body: (Domain) throws -> Bool) throws {
        var criteria = JSONObject()
        if let p = query.namePattern { criteria["match"] = .string(p) }
        try page("search_domains", criteria: criteria, key: "domains") { item in
            let name = item["domain"]?.string ?? ""
            return try body(OpenSRSMapping.domain(name: name, attributes: item["attributes"]?.object ?? JSONObject(),
                                                  createtime: item["createtime"], raw: item))
        }
    }

    func page(_ method: String, criteria: JSONObject, key: String, _ body: (JSONObject) throws -> Bool) throws {
        var first = 0
        while true {
            let o = try call(method, JSONObject([("criteria", .object(criteria)),
                                                 ("range", ["first": .int(first), "limit": .int(Self.pageSize)])]))
            guard succeeded(o) else { throw failure(o, "list", key) }
            let items = o[key]?.array ?? []
            for case .object(let item) in items where try !body(item) { return }
            first += items.count
            if items.count < Self.pageSize || first >= (o["total_count"]?.int ?? Int.max) { return }
        }
    }

    func domain(named name: String) throws -> Domain? {
        let o = try call("get_domain", ["domain": .string(name)])
        if o["error_number"]?.int == 2 { return nil }
        guard succeeded(o) else { throw failure(o, "read", "domain \(name)") }
        return OpenSRSMapping.domain(name: name, attributes: o["attributes"]?.object ?? JSONObject(),
                                     createtime: o["metadata"]?["createtime"], raw: o)
    }

    func forEachUser(domain: String?, _ body: (User) throws -> Bool) throws {
        var criteria = JSONObject()
        if let domain { criteria["domain"] = .string(domain) }
        try page("search_users", criteria: criteria, key: "users") { item in
            try body(OpenSRSMapping.user(email: item["user"]?.string ?? "", attributes: item["attributes"]?.object ?? JSONObject(), raw: item))
        }
    }

    func user(email: String) throws -> User? {
        let o = try call("get_user", ["user": .string(email)])
        if o["error_number"]?.int == 13 || o["error_number"]?.int == 2 { return nil }
        guard succeeded(o) else { throw failure(o, "read", "user \(email)") }
        return OpenSRSMapping.user(email: email, attributes: o["attributes"]?.object ?? JSONObject(), raw: o)
    }

    func settings(_ name: String) throws -> Settings? { nil }

    // MARK: changes

    func apply(_ change: Change) throws -> ChangeOutcome {
        switch change.operation {
        case .createDomain:
            var d = Domain(name: change.key.lowercased(), status: .enabled, aliases: [], allow: [], block: [])
            try assign(change.fields, to: &d, vendor: "opensrs")
            var fields = change.fields
            fields["status"] = .enumCase(d.status.rawValue)
            let o: JSONObject
            do {
                o = try call("change_domain", ["domain": .string(d.name), "create_only": true,
                                               "attributes": .object(OpenSRSMapping.attributes(fields, of: d))], safeToRepeat: false)
            } catch let e as VendorError where e.code == "transport" {
                // The answer was lost: read before sending it again.
                if let made = try domain(named: d.name) { return .applied(.domain(made)) }
                return try apply(change)
            }
            if !succeeded(o) {
                // 23: it exists. The same fields asked for again is no error (re-runs).
                if [7, 8, 23].contains(o["error_number"]?.int ?? 0), let existing = try domain(named: d.name),
                   differing(existing, d, change.fields).isEmpty {
                    return .unchanged(.domain(existing))
                }
                throw failure(o, "create", "domain \(d.name)")
            }
            return .applied(try domain(named: d.name).map(ObjectRef.Object.domain) ?? .domain(d))
        case .updateDomain, .addAlias, .removeAlias:
            guard let current = try domain(named: change.key) else { throw VendorError.notFound("opensrs", "domain", change.key) }
            var d = current
            var fields = change.fields
            if change.operation == .updateDomain {
                try assign(change.fields, to: &d, vendor: "opensrs")
                if differing(current, d, change.fields).isEmpty { return .unchanged(.domain(current)) }
            } else {
                let alias = try aliasName(change, vendor: "opensrs")
                var aliases = current.aliases ?? []
                let has = aliases.contains(alias)
                if has == (change.operation == .addAlias) { return .unchanged(.domain(current)) }
                if has { aliases.removeAll { $0 == alias } } else { aliases.append(alias) }
                d.aliases = aliases
                fields = Record([("aliases", .list(aliases.map(Value.string)))])
            }
            let attributes = OpenSRSMapping.attributes(fields, of: d)
            let o = try call("change_domain", ["domain": .string(change.key), "attributes": .object(attributes)])
            guard succeeded(o) else { throw failure(o, change.operation.rawValue, "domain \(change.key)") }
            return .applied(.domain(updated(current, d, attributes)))
        case .deleteDomain:
            let o = try call("delete_domain", ["domain": .string(change.key)])
            if o["error_number"]?.int == 2 { return .unchanged(nil) }
            guard succeeded(o) else { throw failure(o, "delete", "domain \(change.key)") }
            return .applied(nil)
        case .createUser:
            var u = User(email: change.key.lowercased(), aliases: [])
            try assign(change.fields, to: &u, vendor: "opensrs")
            let o: JSONObject
            do {
                o = try call("change_user", ["user": .string(u.email), "create_only": true,
                                             "attributes": .object(OpenSRSMapping.userAttributes(change.fields, of: u))], safeToRepeat: false)
            } catch let e as VendorError where e.code == "transport" {
                if let made = try user(email: u.email) { return .applied(.user(made)) }
                return try apply(change)
            }
            if !succeeded(o) {
                if [7, 8, 23].contains(o["error_number"]?.int ?? 0), let existing = try user(email: u.email),
                   differing(existing, u, change.fields).isEmpty {
                    return .unchanged(.user(existing))
                }
                throw failure(o, "create", "user \(u.email)")
            }
            return .applied(try user(email: u.email).map(ObjectRef.Object.user) ?? .user(u))
        case .updateUser:
            guard let current = try user(email: change.key) else { throw VendorError.notFound("opensrs", "user", change.key) }
            var u = current
            try assign(change.fields, to: &u, vendor: "opensrs")
            if differing(current, u, change.fields).isEmpty { return .unchanged(.user(current)) }
            let o = try call("change_user", ["user": .string(change.key),
                                             "attributes": .object(OpenSRSMapping.userAttributes(change.fields, of: u))])
            guard succeeded(o) else { throw failure(o, "update", "user \(change.key)") }
            return .applied(.user(u))
        case .deleteUser:
            let o = try call("delete_user", ["user": .string(change.key)])
            if o["error_number"]?.int == 13 || o["error_number"]?.int == 2 { return .unchanged(nil) }
            guard succeeded(o) else { throw failure(o, "delete", "user \(change.key)") }
            return .applied(nil)
        case .updateSettings, .setCredential:
            throw VendorError(vendor: "opensrs", code: "unsupported", message: "OpenSRS has no \(change.operation.rawValue)")
        }
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
