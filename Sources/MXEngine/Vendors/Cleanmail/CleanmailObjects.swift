import MXJSON
import MXModel

/// Reading and changing Cleanmail's own kinds (CleanmailObjectKinds): a domain's
/// default policy, its email aliases (groups) and its DKIM key. Each is found from its
/// domain's record; a lookup reads every page before it says "none".
extension CleanmailAdapter {
    func object(_ kind: String, key: String) throws -> Settings? {
        if let place = Self.filterPlace(kind) { return try filterRule(place, key: key) }
        switch kind {
        case "signature": return try signature(of: key)
        case "admin": return try admin(login: key)
        case "token": return try token(key)
        case "policy": return try policy(ofDomain: key)
        case "domain-policy": return try domainPolicy(key)
        case "dkim": return try dkim(ofDomain: key)
        case "group": return try group(key)
        case "message": return try message(key)
        case "folder": return try folder(key)
        case "health": return try health(ofDomain: key)
        case "option": return try option(key)
        case "sender-rule": return try senderRule(key)
        case "admin-access": return try adminAccess(key)
        case "access": return try access(ofDomain: key)
        default:
            throw VendorError(
                vendor: vendor.name, kind: .unsupported, code: "unsupported",
                message: "Cleanmail has no \(kind) objects")
        }
    }

    func objects(_ kind: String, of owner: ObjectRef.Object?) throws -> [Settings] {
        try objects(kind, of: owner, search: [])
    }

    func objects(_ kind: String, of owner: ObjectRef.Object?, search: [SearchTerm]) throws -> [Settings] {
        if let place = Self.filterPlace(kind) { return try filterRules(place, of: owner) }
        if kind == "admin", owner == nil { return try admins() }
        if kind == "token", owner == nil { return try tokens() }
        if kind == "message", case .user(let u)? = owner { return try quarantine(of: u.email, search: search) }
        if kind == "message", case .settings(let f)? = owner {
            let (mailbox, path) = try folderPlace(f)
            return try messages(of: mailbox, folder: path, search: search)
        }
        if kind == "permission", case .domain(let d)? = owner { return try permissions(ofDomain: d.name) }
        if kind == "folder", case .user(let u)? = owner { return try folders(of: u.email, parent: nil) }
        if kind == "folder", case .settings(let f)? = owner {
            let (mailbox, path) = try folderPlace(f)
            return try folders(of: mailbox, parent: path)
        }
        if kind == "attachment", case .settings(let m)? = owner { return try attachments(of: m) }
        if kind == "domain-policy", case .domain(let d)? = owner { return try domainPolicies(ofDomain: d.name) }
        if kind == "health", owner == nil { return try environmentHealth() }
        if kind == "health", case .domain(let d)? = owner { return try relayHealth(ofDomain: d.name) }
        if kind == "option", case .domain(let d)? = owner { return try options(of: d.name) }
        if kind == "option", case .user(let u)? = owner { return try options(of: u.email) }
        if kind == "sender-rule", case .domain(let d)? = owner { return try senderRuleObjects(of: d.name) }
        if kind == "sender-rule", case .user(let u)? = owner { return try senderRuleObjects(of: u.email) }
        if kind == "admin-access", case .domain(let d)? = owner { return try adminAccesses(ofDomain: d.name) }
        guard kind == "group", case .domain(let d)? = owner else {
            throw VendorError(
                vendor: vendor.name, kind: .unsupported, code: "unsupported",
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
        return Settings(
            kind: "policy", key: name.lowercased(), owner: name.lowercased(),
            fields: declared(p, CleanmailObjectKinds.policy))
    }

    /// 5.6.3: the TXT records to publish, one per name the domain answers to
    /// (`protect._domainkey.stark.com TXT v=DKIM1; p=...`); the selector and public key
    /// are read from the domain's own. A 404 is "no key" only when the domain itself
    /// exists (read first), so a lost domain is not taken for a missing key; an empty
    /// list is no key too (ASSUMED: the document shows only a domain that has one).
    func dkim(ofDomain name: String) throws -> Settings? {
        guard let o = try record(named: name) else { return nil }
        let reply = try api.call(.GET, "/domains/\(pathSegment(id(o)))/dkim")
        if reply.status == 404 { return nil }
        guard let records = try expect(reply, "read", "DKIM of domain \(name)").json?.array?.compactMap(\.string) else {
            throw shape("read DKIM of domain \(name)")
        }
        return dkimObject(records, domain: name)
    }

    /// The object from the records the API answers (on GET, POST and PUT alike).
    func dkimObject(_ records: [String], domain: String) -> Settings? {
        let name = domain.lowercased()
        guard let own = records.first(where: { $0.lowercased().contains("._domainkey.\(name) ") }) ?? records.first
        else { return nil }
        let selector = own.split(separator: ".").first.map(String.init) ?? ""
        let key = own.range(of: "p=").map { String(own[$0.upperBound...]) } ?? ""
        return Settings(
            kind: "dkim", key: name, owner: name,
            fields: Record([
                ("selector", .string(selector)), ("publicKey", .string(key)), ("record", .string(own)),
                ("records", .list(records.map(Value.string)))
            ]))
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
        return Settings(
            kind: "group", key: email.lowercased(), owner: domain.lowercased(),
            fields: Record([
                ("email", .string(email.lowercased())), ("members", .list(members.map(Value.string))),
                ("id", .string(id(g)))
            ]))
    }

    /// The members a kind declares, from the vendor's record.
    func declared(_ o: JSONObject, _ kind: ResourceKind) -> Record {
        Record(kind.fields.compactMap { f in o[f.wire].map { (f.name, Value(json: $0)) } })
    }

    func shape(_ what: String) -> VendorError {
        VendorError(
            vendor: vendor.name, kind: .reply, code: "reply", message: "\(what): the answer is not the documented shape"
        )
    }

    func domainID(_ name: String?) throws -> String {
        guard let name, let o = try record(named: name) else {
            throw VendorError.notFound(vendor.name, "domain", name ?? "?")
        }
        return pathSegment(id(o))
    }

    // MARK: changes

    func createObject(_ s: Settings, _ change: Change) throws -> ChangeOutcome {
        if let place = Self.filterPlace(s.kind) { return try createFilter(s, place) }
        if s.kind == "signature" { return try putSignature(s) }
        if s.kind == "domain-policy" { return try createDomainPolicy(s) }
        if s.kind == "token" { return try createToken(s, change) }
        if s.kind == "sender-rule" { return try createSenderRule(s) }
        if s.kind == "admin-access" { return try grantAdmin(s) }
        switch s.kind {
        case "group":
            let domain = try domainID(s.owner)
            // The members go in the create itself (NewEmailAlias 6.38 has `recipients`):
            // one request, so the alias is made with them or not at all.
            let members = (s.fields["members"]?.listValues ?? []).map { JSON.string($0.text.lowercased()) }
            let record = JSONObject([("email", .string(s.key)), ("recipients", .array(members))])
            guard
                let reply = try api.create(
                    "/domains/\(domain)/groups", body: .json(.object(record)), exists: { try group(s.key) != nil })
            else {
                let made = try finishing("email alias \(s.key) was created") { try group(s.key) }
                return .applied(made.map(ObjectRef.Object.settings))
            }
            do {
                guard try expect(reply, "create-group", s.key).json?.object != nil else {
                    throw shape("create-group \(s.key)")
                }
            } catch let e as VendorError where e.kind != .exists && reply.status < 500 {
                // The document does not say a refused recipient leaves no alias behind:
                // one there now (absent before the request) was made, in part.
                if case .some(.some) = try? group(s.key) {
                    throw VendorError.madeInPart("email alias \(s.key) was created", e)
                }
                throw e
            }
            let made = try finishing("email alias \(s.key) was created") { try group(s.key) }
            return .applied(made.map(ObjectRef.Object.settings))
        case "dkim":
            let domain = try domainID(s.owner ?? s.key)
            var body = JSONObject()
            if case .string(let selector)? = s.fields["selector"] { body["selector"] = .string(selector) }
            let reply = try api.create(
                "/domains/\(domain)/dkim", body: .json(.object(body)), exists: { try dkim(ofDomain: s.key) != nil })
            // The records exactly as the vendor answered them, when it did.
            if let reply,
                let records = try expect(reply, "create-dkim", "domain \(s.key)").json?.array?.compactMap(\.string),
                let made = dkimObject(records, domain: s.key)
            {
                return .applied(.settings(made))
            }
            guard let made = try dkim(ofDomain: s.key) else { throw shape("create-dkim \(s.key)") }
            return .applied(.settings(made))
        default:
            throw VendorError.unsupported(vendor, change.operation)
        }
    }

    func updateObject(_ s: Settings, changed: [String], from before: Settings, _ change: Change) throws -> ChangeOutcome
    {
        if let place = Self.filterPlace(s.kind) { return try updateFilter(s, changed: changed, from: before, place) }
        if s.kind == "signature" { return try putSignature(s) }
        if s.kind == "admin" { return try updateAdmin(s, changed: changed, from: before, change) }
        if s.kind == "domain-policy" { return try updateDomainPolicy(s, changed: changed, from: before) }
        if s.kind == "option" { return try setOption(s) }
        if s.kind == "access" { return try setAccess(s) }
        if s.kind == "sender-rule" { return try updateSenderRule(s, from: before) }
        if s.kind == "admin-access" { return try setAdminAccess(s) }
        switch s.kind {
        case "policy":
            try patchPolicy(s, changed: changed, from: before, what: "policy of domain \(s.key)")
            return .applied(try policy(ofDomain: s.key).map(ObjectRef.Object.settings))
        case "group":
            if change.operation == Operation(rawValue: "rename-group") { return try renameGroup(before, change) }
            return try setMembers(s, before: before)
        case "message":
            if change.operation == CleanmailTasks.remediate.operation {
                guard case .string(let mailbox)? = s.fields["mailbox"], case .string(let mid)? = s.fields["id"] else {
                    throw shape("read message \(s.key)")
                }
                _ = try sendTask(
                    "remediate_message", recipient: mailbox, change, extra: JSONObject([("messageId", .string(mid))]))
                return .applied(nil)
            }
            return try release(s, change)
        case "dkim":
            // 5.6.4 replaces the key's values (DkimDTO): the selector is what a script sets.
            let domain = try domainID(s.owner ?? s.key)
            let reply = try api.call(
                .PUT, "/domains/\(domain)/dkim", body: .json(["selector": s.fields["selector"]?.json ?? .null]),
                safeToRepeat: true)
            let records = try expect(reply, "set DKIM of", "domain \(s.key)").json?.array?.compactMap(\.string) ?? []
            return .applied(
                try dkimObject(records, domain: s.key).map(ObjectRef.Object.settings)
                    ?? dkim(ofDomain: s.key).map { .settings($0) })
        default:
            throw VendorError.unsupported(vendor, change.operation)
        }
    }

    /// 5.15.7 with the new address alone (its members stay: the sandbox and, ASSUMED, the
    /// vendor keep them when `recipients` is not sent). The address is checked first: of
    /// the alias's own domain (the vendor's 400 otherwise).
    func renameGroup(_ g: Settings, _ change: Change) throws -> ChangeOutcome {
        guard case .string(let text)? = change.fields["address"], let address = try? EmailAddress.normalize(text)
        else {
            throw VendorError(
                vendor: vendor.name, kind: .invalid, code: "invalid",
                message: "rename-group \(g.key): \(change.fields["address"]?.literal ?? "none") is not an email address"
            )
        }
        if address == g.key.lowercased() { return .unchanged(.settings(g)) }
        let domain = String(g.key.split(separator: "@").last ?? "")
        guard address.hasSuffix("@" + domain.lowercased()) else {
            throw VendorError(
                vendor: vendor.name, kind: .invalid, code: "invalid",
                message: "rename-group \(g.key): \(address) is not of the alias's domain \(domain); nothing is sent")
        }
        guard case .string(let gid)? = g.fields["id"] else { throw shape("read email alias \(g.key)") }
        try expect(
            api.call(
                .PATCH, "/domains/\(try domainID(domain))/groups/\(pathSegment(gid))",
                body: .json(.object(JSONObject([("email", .string(address))]))), safeToRepeat: true),
            "rename-group", "\(g.key) to \(address)")
        return .applied(try group(address).map(ObjectRef.Object.settings))
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
        // Each request a step: one refused after another was done leaves the change done
        // in part, never failed.
        let steps = UpdateSteps("email alias \(s.key)")
        if !added.isEmpty {
            try steps.run {
                try expect(
                    api.call(
                        .POST, base + "/addresses", body: .json(.array(added.map(JSON.string))), safeToRepeat: true),
                    "add members to", "email alias \(s.key)")
            }
        }
        let removed = had.subtracting(want)
        if !removed.isEmpty {
            // The recipients' ids, from the alias now; an answer without the list says
            // nothing of who is there, and is not "no one to remove".
            let recipients = try steps.read {
                let now = try expect(api.call(.GET, base), "read", "email alias \(s.key)")
                guard let list = now.json?["recipients"]?.array else { throw shape("read email alias \(s.key)") }
                return list
            }
            for r in recipients {
                guard let email = r["email"]?.string?.lowercased(), removed.contains(email) else { continue }
                try steps.run {
                    let reply = try api.call(.DELETE, base + "/addresses/\(pathSegment(id(r.object ?? JSONObject())))")
                    if reply.status != 404 { try expect(reply, "remove \(email) from", "email alias \(s.key)") }
                }
            }
        }
        return .applied(try steps.read { try group(s.key) }.map(ObjectRef.Object.settings))
    }

    func deleteObject(_ s: Settings, _ change: Change) throws -> ChangeOutcome {
        if let place = Self.filterPlace(s.kind) { return try deleteFilter(s, place) }
        if s.kind == "signature" { return try deleteSignature(s) }
        if s.kind == "domain-policy" { return try deleteDomainPolicy(s) }
        if s.kind == "admin" { return try deleteAdmin(s) }
        if s.kind == "token" { return try deleteToken(s) }
        if s.kind == "sender-rule" { return try deleteSenderRule(s) }
        if s.kind == "admin-access" { return try revokeAdmin(s) }
        switch s.kind {
        case "group":
            guard case .string(let gid)? = s.fields["id"] else { throw shape("read email alias \(s.key)") }
            try expect(api.call(.DELETE, "/groups/\(pathSegment(gid))"), "delete-group", s.key)
        case "dkim":
            try expect(
                api.call(.DELETE, "/domains/\(try domainID(s.owner ?? s.key))/dkim"), "delete-dkim", "domain \(s.key)")
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
