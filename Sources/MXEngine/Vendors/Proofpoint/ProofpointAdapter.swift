import MXJSON
import MXModel

/// Proofpoint Essentials API v1 (vendors/proofpoint-essentials-*.txt): the
/// organisation's domains and users under `/orgs/{org}`, `X-User`/`X-Password` on
/// every request; POST 201 (207 for a batch), PUT and DELETE 204.
final class ProofpointAdapter: Adapter {
    let capabilities = VendorCatalog.proofpoint
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
        for case .object(let o) in listed(reply.json, key: "domains") where try !body(ProofpointMapping.domain(o)) { return }
    }

    func domain(named name: String) throws -> Domain? {
        let reply = try api.call(.GET, orgPath + "/domains/" + pathSegment(name))
        if reply.status == 404 { return nil }
        guard let o = try expect(reply, "read", "domain \(name)").json?.object else { return nil }
        return ProofpointMapping.domain(o)
    }

    func forEachUser(domain: String?, _ body: (User) throws -> Bool) throws {
        let reply = try expect(api.call(.GET, orgPath + "/users"), "list", "users of \(org)")
        for case .object(let o) in listed(reply.json, key: "users") {
            let u = ProofpointMapping.user(o)
            if let domain, u.domain != domain { continue }
            if try !body(u) { return }
        }
    }

    func user(email: String) throws -> User? {
        let reply = try api.call(.GET, orgPath + "/users/" + pathSegment(email))
        if reply.status == 404 { return nil }
        guard let o = try expect(reply, "read", "user \(email)").json?.object else { return nil }
        return ProofpointMapping.user(o)
    }

    func settings(_ name: String) throws -> Settings? { nil }

    /// ASSUMED list envelope: `{"domains": [...]}`; a bare array or a single record
    /// (the document's GET sample shows one object) is read too.
    func listed(_ body: JSON?, key: String) -> [JSON] {
        if let items = body?[key]?.array { return items }
        if let items = body?.array { return items }
        if let one = body, one.object != nil { return [one] }
        return []
    }

    // MARK: changes

    func apply(_ change: Change) throws -> ChangeOutcome {
        switch change.operation {
        case .createDomain:
            var d = Domain(name: change.key.lowercased(), status: .enabled, destination: nil, failovers: [], relay: false)
            try assign(change.fields, to: &d, vendor: "proofpoint")
            guard d.destination?.isEmpty == false else {
                throw VendorError(vendor: "proofpoint", code: "422",
                                  message: "Proofpoint needs a destination to create a domain: add destination=\"host or IP\"")
            }
            guard let reply = try api.create(orgPath + "/domains/" + pathSegment(d.name), body: .json(ProofpointMapping.record(d)),
                                             exists: { try domain(named: d.name) != nil }) else {
                return .applied(.domain(try domain(named: d.name) ?? d))
            }
            if reply.status == 409, let existing = try domain(named: d.name), differing(existing, d, change.fields).isEmpty {
                return .unchanged(.domain(existing))
            }
            let created = try expect(reply, "create", "domain \(d.name)")
            return .applied(.domain(created.json?.object.map(ProofpointMapping.domain) ?? d))
        case .updateDomain:
            guard let current = try domain(named: change.key) else { throw VendorError.notFound("proofpoint", "domain", change.key) }
            var d = current
            try assign(change.fields, to: &d, vendor: "proofpoint")
            if differing(current, d, change.fields).isEmpty { return .unchanged(.domain(current)) }
            // PUT replaces the record: every field is sent, changed or not.
            _ = try expect(api.call(.PUT, orgPath + "/domains/" + pathSegment(change.key), body: .json(ProofpointMapping.record(d))),
                           "update", "domain \(change.key)")
            var after = d
            after.raw = Record(json: ProofpointMapping.record(d).object!)
            return .applied(.domain(after))
        case .deleteDomain:
            let reply = try api.call(.DELETE, orgPath + "/domains/" + pathSegment(change.key))
            if reply.status == 404 { return .unchanged(nil) }
            _ = try expect(reply, "delete", "domain \(change.key)")
            return .applied(nil)
        case .createUser:
            var u = User(email: change.key.lowercased())
            try assign(change.fields, to: &u, vendor: "proofpoint")
            guard let reply = try api.create(orgPath + "/users", body: .json(ProofpointMapping.userRecord(u)),
                                             exists: { try user(email: u.email) != nil }) else {
                return .applied(.user(try user(email: u.email) ?? u))
            }
            if reply.status == 409, let existing = try user(email: u.email), differing(existing, u, change.fields).isEmpty {
                return .unchanged(.user(existing))
            }
            let created = try expect(reply, "create", "user \(u.email)")
            return .applied(.user(created.json?.object.map(ProofpointMapping.user) ?? u))
        case .updateUser:
            guard let current = try user(email: change.key) else { throw VendorError.notFound("proofpoint", "user", change.key) }
            var u = current
            try assign(change.fields, to: &u, vendor: "proofpoint")
            if differing(current, u, change.fields).isEmpty { return .unchanged(.user(current)) }
            let base = JSONObject(current.raw.pairs.compactMap { k, v in v.json.map { (k, $0) } })
            let record = ProofpointMapping.userRecord(u, base: base)
            _ = try expect(api.call(.PUT, orgPath + "/users/" + pathSegment(change.key), body: .json(record)), "update", "user \(change.key)")
            return .applied(.user(ProofpointMapping.user(record.object!)))
        case .deleteUser:
            let reply = try api.call(.DELETE, orgPath + "/users/" + pathSegment(change.key))
            if reply.status == 404 { return .unchanged(nil) }
            _ = try expect(reply, "delete", "user \(change.key)")
            return .applied(nil)
        case .addAlias, .removeAlias, .updateSettings, .setCredential:
            throw VendorError(vendor: "proofpoint", code: "unsupported", message: "Proofpoint Essentials has no \(change.operation.rawValue)")
        }
    }

    /// A 2xx reply, or the vendor's error as a message: the status, its documented
    /// meaning and the body's own words. 207 (a batch) is reported per item.
    @discardableResult
    func expect(_ reply: VendorAPI.Reply, _ action: String, _ object: String) throws -> VendorAPI.Reply {
        if reply.status == 207 {
            let failed = (reply.json?["results"]?.array ?? []).filter { ($0["status"]?.int ?? 0) >= 300 }
            if failed.isEmpty { return reply }
            let items = failed.map { "\($0["status"]?.int ?? 0) \(ProofpointMapping.details($0) ?? ProofpointMapping.meaning($0["status"]?.int ?? 0))" }
            throw VendorError(vendor: "proofpoint", code: "207", message: "\(action) \(object): \(failed.count) item(s) failed: \(items.joined(separator: "; "))")
        }
        guard !reply.isSuccess else { return reply }
        var message = "\(action) \(object): \(ProofpointMapping.meaning(reply.status))"
        if let d = ProofpointMapping.details(reply.json) { message += " (\(d))" }
        throw VendorError(vendor: "proofpoint", code: String(reply.status), message: message)
    }
}
