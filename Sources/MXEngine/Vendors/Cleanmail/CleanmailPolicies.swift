import MXJSON
import MXModel

/// Reading, creating and deleting a domain's policies (5.4.1, 5.4.2, 5.4.4). A policy is
/// found by its name among every page of its domain's policies (the list has no name
/// filter); the vendor's id is then what a DELETE is sent to.
extension CleanmailAdapter {
    /// `NAME@DOMAIN` split at its last `@`.
    func policyKey(_ key: String) throws -> (name: String, domain: String) {
        guard let parts = CleanmailPolicyKinds.key.split(key) else {
            throw VendorError(
                vendor: vendor.name, kind: .invalid, code: "invalid",
                message: "policy \"\(key)\": name it NAME@DOMAIN, like \"strict@example.com\"")
        }
        return (parts[0].1, parts[1].1.lowercased())
    }

    /// Every policy of a domain, every page read.
    func domainPolicies(ofDomain name: String) throws -> [Settings] {
        guard let o = try record(named: name) else { throw VendorError.notFound(vendor.name, "domain", name) }
        let defaultID = policyID(o)
        var out: [Settings] = []
        try pages("/domains/\(pathSegment(id(o)))/policies", filter: [], what: "policies of \(name)") { page in
            for case .object(let p) in page {
                out.append(try domainPolicyObject(p, domain: name, defaultID: defaultID))
            }
            return true
        }
        return out
    }

    /// The policy a key names, or nil when its domain has none by that name (or no such domain).
    func domainPolicy(_ key: String) throws -> Settings? {
        let (name, domain) = try policyKey(key)
        guard try record(named: domain) != nil else { return nil }
        return try domainPolicies(ofDomain: domain).first { $0.fields["name"]?.text.lowercased() == name.lowercased() }
    }

    func domainPolicyObject(_ p: JSONObject, domain: String, defaultID: String?) throws -> Settings {
        guard let name = p["name"]?.string, p["id"] != nil else { throw shape("read policies of \(domain)") }
        let key = "\(name)@\(domain.lowercased())"
        var fields = Record([
            ("policy", .string(key)), ("name", .string(name)), ("domain", .string(domain.lowercased())),
            ("id", .string(id(p))), ("default", .bool(defaultID == id(p)))
        ])
        for f in CleanmailPolicyKinds.domainPolicy.fields where f.access == .readWrite {
            if let v = p[f.wire] { fields[f.name] = Value(json: v) }
        }
        return Settings(kind: "domain-policy", key: key, owner: domain.lowercased(), fields: fields)
    }

    /// The document's 403 for a token that is not a sysadmin's, said in words.
    func sysadminOnly(_ reply: VendorAPI.Reply, _ action: String, _ key: String) throws {
        if reply.status == 403 {
            throw VendorError(
                vendor: vendor.name, kind: .refused, code: "403",
                message: "\(action) \(key): only a sysadmin token can create or delete a policy (403)")
        }
    }

    /// 5.4.1: the members the document requires are checked before anything is sent.
    func createDomainPolicy(_ s: Settings) throws -> ChangeOutcome {
        let (name, domain) = try policyKey(s.key)
        let kind = CleanmailPolicyKinds.domainPolicy
        let missing = kind.requiredToCreate.filter { f in
            guard let v = s.fields[f] else { return true }
            if case .none = v { return true }
            return false
        }
        if !missing.isEmpty {
            throw VendorError(
                vendor: vendor.name, kind: .invalid, code: "invalid",
                message: "create-policy \(s.key): give " + missing.map { "\($0)=" }.joined(separator: " "),
                hints: missing.map { ($0, "required") })
        }
        guard let o = try record(named: domain) else { throw VendorError.notFound(vendor.name, "domain", domain) }
        var body = JSONObject([("name", .string(name)), ("domainId", .string(id(o)))])
        for f in kind.fields where f.access == .readWrite {
            if let v = s.fields[f.name], let json = v.json { body[f.wire] = json }
        }
        let reply = try api.create(
            "/domains/\(pathSegment(id(o)))/policies", body: .json(.object(body)),
            exists: { try domainPolicy(s.key) != nil })
        if let reply {
            try sysadminOnly(reply, "create-policy", s.key)
            try expect(reply, "create-policy", s.key)
        }
        return .applied(try domainPolicy(s.key).map(ObjectRef.Object.settings))
    }

    /// 5.4.5: only the changed members are sent (the PATCH is partial).
    func updateDomainPolicy(_ s: Settings, changed: [String], from before: Settings) throws -> ChangeOutcome {
        try patchPolicy(s, changed: changed, from: before, what: "policy \(s.key)")
        return .applied(try domainPolicy(s.key).map(ObjectRef.Object.settings))
    }

    /// 5.4.5, for any policy (a domain's default one too): the changed members only, by
    /// the policy's id; a 403 names the sysadmin token it needs.
    func patchPolicy(_ s: Settings, changed: [String], from before: Settings, what: String) throws {
        guard case .string(let pid)? = before.fields["id"] else { throw shape("read \(what)") }
        var patch = JSONObject()
        for name in changed { patch[name] = s.fields[name]?.json ?? .null }
        let reply = try api.call(
            .PATCH, "/policies/\(pathSegment(pid))", body: .json(.object(patch)), safeToRepeat: true)
        if reply.status == 403 {
            throw VendorError(
                vendor: vendor.name, kind: .refused, code: "403",
                message: "set \(what): a policy is changed only with a sysadmin token (403)")
        }
        try expect(reply, "set", what)
    }

    /// 5.4.2: a policy deleted meanwhile (404) is what was asked; one in use is the
    /// vendor's 400, said as it says it.
    func deleteDomainPolicy(_ s: Settings) throws -> ChangeOutcome {
        guard case .string(let pid)? = s.fields["id"] else { throw shape("read policy \(s.key)") }
        let reply = try api.call(.DELETE, "/policies/\(pathSegment(pid))")
        try sysadminOnly(reply, "delete-policy", s.key)
        if reply.status != 404 { try expect(reply, "delete-policy", s.key) }
        return .applied(nil)
    }
}
