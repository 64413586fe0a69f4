import MXJSON
import MXModel

/// Proofpoint Essentials API v1 (vendors/proofpoint-essentials-*.txt): the
/// organisation's domains and users under `/orgs/{org}`, `X-User`/`X-Password` on
/// every request; POST 201 (207 for a batch), PUT and DELETE 204.
final class ProofpointAdapter: ResolvingAdapter {
    var vendor: Vendor { .proofpoint }
    let api: VendorAPI
    let org: String

    init(api: VendorAPI, org: String) {
        self.api = api
        self.org = org
    }

    var orgPath: String { "/orgs/\(pathSegment(org))" }

    // MARK: reading

    /// The API has no paging or filter for domains: one GET returns them all.
    /// `is_active` is all Proofpoint has of a status: anything not DISABLED is ENABLED.
    func stored(_ domain: Domain) -> Domain {
        var d = domain
        if d.status != .disabled { d.status = .enabled }
        return d
    }

    /// Users are licensed: `GET /orgs/{org}/licensing` (vendors/proofpoint-essentials-
    /// overview.txt, "Licensing"). ASSUMED field `licensed_users`, as the public API's.
    func capacity(_ kind: ObjectKind) throws -> Int? {
        guard kind == .user else { return nil }
        let reply = try api.call(.GET, orgPath + "/licensing")
        guard reply.isSuccess else { return nil }
        return reply.json?["licensed_users"]?.int
    }

    func forEachDomain(matching query: DomainQuery, _ body: (Domain) throws -> Bool) throws {
        let reply = try expect(api.call(.GET, orgPath + "/domains"), "list", "domains of \(org)")
        for case .object(let o) in try listed(reply.json, key: "domains", identity: "name")
        where try !body(ProofpointMapping.domain(o)) {
            return
        }
    }

    func domain(named name: String) throws -> Domain? {
        let reply = try api.call(.GET, orgPath + "/domains/" + pathSegment(name))
        if ProofpointMapping.isMissingDomain(reply.status, reply.json) { return nil }
        return ProofpointMapping.domain(try record(of: expect(reply, "read", "domain \(name)"), "domain \(name)"))
    }

    func forEachUser(domain: String?, _ body: (User) throws -> Bool) throws {
        let reply = try expect(api.call(.GET, orgPath + "/users"), "list", "users of \(org)")
        for case .object(let o) in try listed(reply.json, key: "users", identity: "primary_email") {
            let u = ProofpointMapping.user(o)
            if let domain, u.domain != domain { continue }
            if try !body(u) { return }
        }
    }

    func user(email: String) throws -> User? {
        let reply = try api.call(.GET, orgPath + "/users/" + pathSegment(email))
        if reply.status == 404 { return nil }
        return ProofpointMapping.user(try record(of: expect(reply, "read", "user \(email)"), "user \(email)"))
    }

    /// A read's record. A success that holds none (an empty 200, a list) is not "there
    /// is no such object": that would call a delete done and send a create again.
    func record(of reply: VendorAPI.Reply, _ what: String) throws -> JSONObject {
        if let o = reply.json?.object { return o }
        throw VendorError(
            vendor: vendor.name, kind: .reply, code: "reply",
            message: "read \(what): the answer is not a record (HTTP \(reply.status)), so whether it exists is unknown")
    }

    /// ASSUMED list envelope: `{"domains": [...]}`; a bare array or a single record
    /// (the document's GET sample shows one object) is read too. A single object without
    /// the record's `identity` member (a proxy's JSON error page) is an error: read as a
    /// record it listed one nameless domain, and as nothing, none.
    func listed(_ body: JSON?, key: String, identity: String) throws -> [JSON] {
        if let items = body?[key]?.array { return items }
        if let items = body?.array { return items }
        if let one = body, one.object != nil, one[identity]?.string != nil { return [one] }
        throw VendorError(
            vendor: vendor.name, kind: .reply, code: "reply",
            message: "list \(key) of \(org): the answer is not the documented shape")
    }

    /// The organisation's record: proves the credentials and the org.
    func probe() throws { try expect(api.call(.GET, orgPath), "read", "organisation \(org)") }

    // MARK: changes (their meaning is ChangeResolver's)

    func current(for change: Change) throws -> ObjectRef.Object? {
        switch change.kind {
        case .user: return try user(email: change.key).map { .user($0) }
        case .domain: return try domain(named: change.key).map { .domain($0) }
        case .settings: return try object(change.resource ?? change.key, key: change.key).map { .settings($0) }
        }
    }

    func create(_ object: ObjectRef.Object, _ change: Change) throws -> ChangeOutcome {
        let path: String, record: JSON, what: String
        switch object {
        case .domain(let d):
            guard d.destination?.isEmpty == false else {
                throw VendorError(
                    vendor: vendor.name, kind: .invalid, code: "422",
                    message: "Proofpoint needs a destination to create a domain: add destination=\"host or IP\"",
                    hints: [("destination", "required")])
            }
            (path, record, what) = (
                orgPath + "/domains/" + pathSegment(d.name), ProofpointMapping.record(d), "domain \(d.name)"
            )
        case .user(let u):
            (path, record, what) = (
                orgPath + "/users", ProofpointMapping.userRecord(u, base: ProofpointMapping.json(u.raw)),
                "user \(u.email)"
            )
        case .settings(let s):
            return try createObject(s, change)
        }
        guard let reply = try api.create(path, body: .json(record), exists: { try current(for: change) != nil }) else {
            return .applied(try current(for: change) ?? object)
        }
        let created = try expect(reply, "create", what)
        switch object {
        case .domain: return .applied(created.json?.object.map { .domain(ProofpointMapping.domain($0)) } ?? object)
        default: return .applied(created.json?.object.map { .user(ProofpointMapping.user($0)) } ?? object)
        }
    }

    /// PUT replaces the record: every field is sent, changed or not.
    func update(_ object: ObjectRef.Object, changed: [String], from current: ObjectRef.Object, _ change: Change) throws
        -> ChangeOutcome
    {
        switch (object, current) {
        case (.domain(let d), _):
            // The PUT sends every field: one the vendor did not return is unknown, and
            // sending it would overwrite what is there.
            // A status is read as ENABLED unless `is_active` is false: one the record
            // lacks (or gives as something else) is unknown too, unless the change sets it.
            var statusKnown = changed.contains("status")
            if case .bool? = d.raw["is_active"] { statusKnown = true }
            if let unknown = [
                ("relay", d.relay == nil), ("failovers", d.failovers == nil), ("destination", d.destination == nil),
                ("is_active", !statusKnown)
            ]
            .first(where: { $0.1 })?.0 {
                throw VendorError(
                    vendor: vendor.name, kind: .reply, code: "unknown",
                    message:
                        "the vendor's record of \(d.name) has no \(unknown), so a PUT would overwrite it: nothing is "
                        + "sent"
                )
            }
            _ = try expect(
                api.call(
                    .PUT, orgPath + "/domains/" + pathSegment(change.key), body: .json(ProofpointMapping.record(d))),
                "update", "domain \(change.key)")
            var after = d
            after.raw = Record(json: ProofpointMapping.record(d).object!)
            return .applied(.domain(after))
        case (.user(let u), .user):
            // `u.raw` is the record read, with the vendor's own fields as set.
            let base = ProofpointMapping.json(u.raw)
            // An `is_active` the record lacks is unknown: left as the vendor has it.
            let record = ProofpointMapping.userRecord(
                u, base: base, status: changed.contains("status") || base["is_active"]?.bool != nil)
            _ = try expect(
                api.call(.PUT, orgPath + "/users/" + pathSegment(change.key), body: .json(record)), "update",
                "user \(change.key)")
            return .applied(.user(ProofpointMapping.user(record.object!)))
        case (.settings(let s), _) where s.kind == "dkim":
            guard case .bool(let on)? = s.fields["is_enabled"], changed == ["is_enabled"] else {
                throw VendorError(
                    vendor: vendor.name, kind: .invalid, code: "invalid",
                    message:
                        "a DKIM key is switched on or off (is_enabled=); for another selector or size, delete-dkim and "
                        + "create-dkim"
                )
            }
            return keyed(try setDKIM(of: s.key, enabled: on), "dkim", s.key)
        case (.settings(let s), _) where s.kind == "package":
            return try updatePackage(Record(changed.compactMap { name in s.fields[name].map { (name, $0) } }))
        case (.settings(let s), _):
            return try updateSettings(s, changed: changed)
        default:
            throw VendorError.unsupported(vendor, change.operation)
        }
    }

    func delete(_ object: ObjectRef.Object, _ change: Change) throws -> ChangeOutcome {
        if case .settings(let s) = object { return try deleteObject(s, change) }
        let path = orgPath + (change.kind == .user ? "/users/" : "/domains/") + pathSegment(change.key)
        _ = try expect(api.call(.DELETE, path), "delete", "\(change.kind.rawValue) \(change.key)")
        return .applied(nil)
    }

    /// A 2xx reply, or the vendor's error as a message: the status, its documented
    /// meaning and the body's own words. 207 (a batch) is reported per item.
    @discardableResult
    func expect(_ reply: VendorAPI.Reply, _ action: String, _ object: String) throws -> VendorAPI.Reply {
        if reply.status == 207 {
            let failed = (reply.json?["results"]?.array ?? []).filter { ($0["status"]?.int ?? 0) >= 300 }
            if failed.isEmpty { return reply }
            let items = failed.map {
                "\($0["status"]?.int ?? 0) "
                    + "\(ProofpointMapping.details($0) ?? ProofpointMapping.meaning($0["status"]?.int ?? 0))"
            }
            throw VendorError(
                vendor: vendor.name, kind: .refused, code: "207",
                message: "\(action) \(object): \(failed.count) item(s) failed: \(items.joined(separator: "; "))")
        }
        guard !reply.isSuccess else { return reply }
        var message = "\(action) \(object): \(ProofpointMapping.meaning(reply.status))"
        if let d = ProofpointMapping.details(reply.json) { message += " (\(d))" }
        throw VendorError(
            vendor: vendor.name, kind: ProofpointMapping.kind(reply.status, reply.json), code: String(reply.status),
            message: message)
    }
}
