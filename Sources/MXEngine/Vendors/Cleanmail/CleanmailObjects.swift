import MXJSON
import MXModel

/// Reading and changing Cleanmail's own kinds (CleanmailObjectKinds): a domain's
/// default policy, its email aliases (groups) and its DKIM key. Each is found from its
/// domain's record; a lookup reads every page before it says "none".
extension CleanmailAdapter {
    func object(_ kind: String, key: String) throws -> Settings? {
        switch kind {
        case "policy": return try policy(ofDomain: key)
        case "dkim": return try dkim(ofDomain: key)
        case "group": return try group(key)
        default:
            throw VendorError(vendor: vendor.name, kind: .unsupported, code: "unsupported", message: "Cleanmail has no \(kind) objects")
        }
    }

    func objects(_ kind: String, of owner: ObjectRef.Object?) throws -> [Settings] {
        guard kind == "group", case .domain(let d)? = owner else {
            throw VendorError(vendor: vendor.name, kind: .unsupported, code: "unsupported",
                              message: "Cleanmail lists \(kind) objects only of a domain")
        }
        guard let o = try record(named: d.name) else { throw VendorError.notFound(vendor.name, "domain", d.name) }
        return try groups(domainID: id(o), domain: d.name)
    }

    // MARK: reading

    /// The default policy's id: the domain's `policy` record (or `policyId`, ASSUMED
    /// where a listing gives only the id).
    func policyID(_ domain: JSONObject) -> String? {
        domain["policy"]?["id"].map { $0.string ?? $0.text } ?? domain["policyId"]?.string
    }

    func policy(ofDomain name: String) throws -> Settings? {
        guard let o = try record(named: name) else { return nil }
        guard let pid = policyID(o) else { return nil }
        let reply = try expect(api.call(.GET, "/policies/\(pathSegment(pid))"), "read", "policy of domain \(name)")
        guard let p = reply.json?.object else { throw shape("read policy of domain \(name)") }
        return Settings(kind: "policy", key: name.lowercased(), owner: name.lowercased(), fields: declared(p, CleanmailObjectKinds.policy))
    }

    /// 5.6.3: the key's selector and public key; a 404 is "no key" only when the domain
    /// itself exists (read first), so a lost domain is not taken for a missing key.
    func dkim(ofDomain name: String) throws -> Settings? {
        guard let o = try record(named: name) else { return nil }
        let reply = try api.call(.GET, "/domains/\(pathSegment(id(o)))/dkim")
        if reply.status == 404 { return nil }
        guard let d = try expect(reply, "read", "DKIM of domain \(name)").json?.object else { throw shape("read DKIM of domain \(name)") }
        var fields = declared(d, CleanmailObjectKinds.dkim)
        if case .string(let selector)? = fields["selector"], case .string(let key)? = fields["publicKey"] {
            // The record 5.6.1 answers on creation, in the same form.
            fields["record"] = .string("\(selector)._domainkey.\(name.lowercased()) TXT v=DKIM1; p=\(key)")
        }
        return Settings(kind: "dkim", key: name.lowercased(), owner: name.lowercased(), fields: fields)
    }

    /// An email alias by its address: every page of its domain's aliases is read and
    /// the address compared exactly (the document's `address` filter is not relied on).
    func group(_ email: String) throws -> Settings? {
        let domain = String(email.split(separator: "@").last ?? "")
        guard let o = try record(named: domain) else { return nil }
        return try groups(domainID: id(o), domain: domain).first { $0.key == email.lowercased() }
    }

    func groups(domainID: String, domain: String) throws -> [Settings] {
        var out: [Settings] = []
        try pages("/domains/\(pathSegment(domainID))/groups", filter: [], what: "email aliases of \(domain)") { page in
            for case .object(let g) in page { out.append(try groupObject(g, domain: domain)) }
            return true
        }
        return out
    }

    func groupObject(_ g: JSONObject, domain: String) throws -> Settings {
        guard let email = g["email"]?.string, let recipients = g["recipients"]?.array else {
            throw shape("read email aliases of \(domain)")
        }
        let members = recipients.compactMap { $0["email"]?.string?.lowercased() }
        return Settings(kind: "group", key: email.lowercased(), owner: domain.lowercased(),
                        fields: Record([("email", .string(email.lowercased())), ("members", .list(members.map(Value.string))),
                                        ("id", .string(id(g)))]))
    }

    /// The members a kind declares, from the vendor's record.
    func declared(_ o: JSONObject, _ kind: ResourceKind) -> Record {
        Record(kind.fields.compactMap { f in o[f.wire].map { (f.name, Value(json: $0)) } })
    }

    func shape(_ what: String) -> VendorError {
        VendorError(vendor: vendor.name, kind: .reply, code: "reply", message: "\(what): the answer is not the documented shape")
    }

    func domainID(_ name: String?) throws -> String {
        guard let name, let o = try record(named: name) else {
            throw VendorError.notFound(vendor.name, "domain", name ?? "?")
        }
        return pathSegment(id(o))
    }

    // MARK: changes

    func createObject(_ s: Settings, _ change: Change) throws -> ChangeOutcome {
        switch s.kind {
        case "group":
            let domain = try domainID(s.owner)
            guard let reply = try api.create("/domains/\(domain)/groups", body: .json(["email": .string(s.key)]),
                                             exists: { try group(s.key) != nil }) else {
                return .applied(try group(s.key).map(ObjectRef.Object.settings))
            }
            guard let g = try expect(reply, "create-group", s.key).json?.object else { throw shape("create-group \(s.key)") }
            let members = (s.fields["members"]?.listValues ?? []).map { $0.text.lowercased() }
            if !members.isEmpty {
                try expect(api.call(.POST, "/domains/\(domain)/groups/\(pathSegment(id(g)))/addresses",
                                    body: .json(.array(members.map(JSON.string))), safeToRepeat: true),
                           "add members to", "email alias \(s.key)")
            }
            return .applied(try group(s.key).map(ObjectRef.Object.settings))
        case "dkim":
            let domain = try domainID(s.owner ?? s.key)
            var body = JSONObject()
            if case .string(let selector)? = s.fields["selector"] { body["selector"] = .string(selector) }
            let reply = try api.create("/domains/\(domain)/dkim", body: .json(.object(body)), exists: { try dkim(ofDomain: s.key) != nil })
            guard var made = try dkim(ofDomain: s.key) else { throw shape("create-dkim \(s.key)") }
            // The TXT record exactly as the vendor answered it, when it did.
            if let reply, let text = try expect(reply, "create-dkim", "domain \(s.key)").json?.array?.first?.string {
                made.fields["record"] = .string(text)
            }
            return .applied(.settings(made))
        default:
            throw VendorError.unsupported(vendor, change.operation)
        }
    }

    func updateObject(_ s: Settings, changed: [String], from before: Settings, _ change: Change) throws -> ChangeOutcome {
        switch s.kind {
        case "policy":
            guard case .string(let pid)? = before.fields["id"] else { throw shape("read policy of domain \(s.key)") }
            var patch = JSONObject()
            for name in changed { patch[name] = s.fields[name]?.json ?? .null }
            let reply = try api.call(.PATCH, "/policies/\(pathSegment(pid))", body: .json(.object(patch)), safeToRepeat: true)
            if reply.status == 403 {
                throw VendorError(vendor: vendor.name, kind: .refused, code: "403",
                                  message: "set policy of domain \(s.key): a policy is changed only with a sysadmin token (403)")
            }
            try expect(reply, "set policy of", "domain \(s.key)")
            return .applied(try policy(ofDomain: s.key).map(ObjectRef.Object.settings))
        case "group":
            return try setMembers(s, before: before)
        default:
            throw VendorError.unsupported(vendor, change.operation)
        }
    }

    /// An alias's members as asked: additions in one request (5.15.1), each removal by
    /// its recipient's id (5.15.4), read from the alias now.
    func setMembers(_ s: Settings, before: Settings) throws -> ChangeOutcome {
        let domain = try domainID(s.owner)
        guard case .string(let gid)? = before.fields["id"] else { throw shape("read email alias \(s.key)") }
        let want = Set((s.fields["members"]?.listValues ?? []).map { $0.text.lowercased() })
        let had = Set((before.fields["members"]?.listValues ?? []).map { $0.text.lowercased() })
        let base = "/domains/\(domain)/groups/\(pathSegment(gid))"
        let added = want.subtracting(had).sorted()
        if !added.isEmpty {
            try expect(api.call(.POST, base + "/addresses", body: .json(.array(added.map(JSON.string))), safeToRepeat: true),
                       "add members to", "email alias \(s.key)")
        }
        let removed = had.subtracting(want)
        if !removed.isEmpty {
            let now = try expect(api.call(.GET, base), "read", "email alias \(s.key)").json
            for r in now?["recipients"]?.array ?? [] {
                guard let email = r["email"]?.string?.lowercased(), removed.contains(email) else { continue }
                let reply = try api.call(.DELETE, base + "/addresses/\(pathSegment(id(r.object ?? JSONObject())))")
                if reply.status != 404 { try expect(reply, "remove \(email) from", "email alias \(s.key)") }
            }
        }
        return .applied(try group(s.key).map(ObjectRef.Object.settings))
    }

    func deleteObject(_ s: Settings, _ change: Change) throws -> ChangeOutcome {
        switch s.kind {
        case "group":
            guard case .string(let gid)? = s.fields["id"] else { throw shape("read email alias \(s.key)") }
            try expect(api.call(.DELETE, "/groups/\(pathSegment(gid))"), "delete-group", s.key)
        case "dkim":
            try expect(api.call(.DELETE, "/domains/\(try domainID(s.owner ?? s.key))/dkim"), "delete-dkim", "domain \(s.key)")
        default:
            throw VendorError.unsupported(vendor, change.operation)
        }
        return .applied(nil)
    }
}

extension Value {
    /// The items of a list (a single value as one item; none as none).
    var listValues: [Value] {
        switch self {
        case .list(let l): return l
        case .none: return []
        default: return [self]
        }
    }
}
