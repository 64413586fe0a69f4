import MXJSON
import MXModel

/// An administrator's access to one domain (5.5.3/5/7/9/13): `admins of d`, named
/// `DOMAIN/LOGIN`, its `permissions` set with `set` (5.5.13). `grant-admin` gives an
/// existing account an access (5.5.3: AdminAdd by id; a new account needs a password
/// and is made in Cleanmail itself); `revoke-admin` takes it away (5.5.5), and with it
/// the account when that was its last access, as the document says: undo grants the
/// access again, which fails, saying so, when the account went with it.
enum CleanmailAdminAccessKinds {
    static func field(_ name: String, _ type: FieldType, _ access: FieldSpec.Access, _ summary: String) -> FieldSpec {
        FieldSpec(name, wire: name, type, access, neutral: false, summary)
    }

    static let access = ResourceKind(
        "admin-access", kind: .settings, placement: [.collectionOf(owner: .domain, member: "admins")],
        listing: "GET /domains/{id}/admins?offset=&pageSize=; GET, DELETE /domains/{id}/admins/{adminId}; "
            + "PUT .../authorities; POST /domains/{id}/admins",
        fields: [
            field("access", .text, .readOnly, "its name in scripts: the domain/the administrator's login"),
            field("domain", .domainName, .readOnly, "the domain it is an access to"),
            field("login", .text, .readOnly, "the administrator's login (cm.admins)"),
            field("permissions", .textList, .readWrite, "what the administrator may do on the domain"),
            field("email", .text, .readOnly, "the administrator's address"),
            field("displayName", .text, .readOnly, "the administrator's name"),
            field("id", .text, .readOnly, "the vendor's id of the administrator")
        ],
        operations: [.updateSettings], requiredToCreate: ["permissions"], key: "access",
        commands: [
            ObjectCommand(
                "grant-admin", .create, subject: .key, undo: .by("revoke-admin"),
                "give an administrator an access to a domain: grant-admin \"DOMAIN/LOGIN\" permissions=[...]"),
            ObjectCommand(
                "revoke-admin", .delete, subject: .object, undo: .by("grant-admin"),
                "take an administrator's access to a domain away (an account left with none is deleted)")
        ]
    ).keyed(by: KeyParts("/", "domain", "login", atLast: false))

    static let all = [access]
}

extension CleanmailAdapter {
    /// 5.5.9: every page of the domain's administrators, each as its access to it.
    func adminAccesses(ofDomain name: String) throws -> [Settings] {
        guard let o = try record(named: name) else { throw VendorError.notFound(vendor.name, "domain", name) }
        var out: [Settings] = []
        try pages("/domains/\(pathSegment(id(o)))/admins", filter: [], what: "administrators of \(name)") { page in
            for case .object(let a) in page { out.append(try adminAccessObject(a, domain: name, domainID: id(o))) }
            return true
        }
        return out
    }

    func adminAccessObject(_ a: JSONObject, domain: String, domainID: String) throws -> Settings {
        guard let login = a["login"]?.string else { throw shape("read administrators of \(domain)") }
        let key = "\(domain.lowercased())/\(login.lowercased())"
        let mine = (a["authorities"]?.array ?? []).first {
            $0["objectId"]?.string == domainID || $0["objectName"]?.string?.lowercased() == domain.lowercased()
        }
        var fields = Record([
            ("access", .string(key)), ("domain", .string(domain.lowercased())),
            ("login", .string(login.lowercased())), ("id", .string(id(a)))
        ])
        // No authority for the domain in the answer: its permissions are not known.
        if let p = mine?["permissions"] { fields["permissions"] = Value(json: p) }
        for f in ["email", "displayName"] { if let v = a[f] { fields[f] = Value(json: v) } }
        return Settings(kind: "admin-access", key: key, owner: domain.lowercased(), fields: fields)
    }

    /// 5.5.7, by `DOMAIN/LOGIN`: the account found by login (5.1.2), then its access.
    func adminAccess(_ key: String) throws -> Settings? {
        guard let slash = key.firstIndex(of: "/") else { return nil }
        let domain = String(key[..<slash]), login = String(key[key.index(after: slash)...])
        guard let o = try record(named: domain), let a = try admin(login: login),
            case .string(let aid)? = a.fields["id"]
        else { return nil }
        let reply = try api.call(.GET, "/domains/\(pathSegment(id(o)))/admins/\(pathSegment(aid))")
        if reply.status == 404 { return nil }
        guard let body = try expect(reply, "read", "access of \(login) to \(domain)").json?.object else {
            throw shape("read access of \(login) to \(domain)")
        }
        return try adminAccessObject(body, domain: domain, domainID: id(o))
    }

    func accessParts(_ s: Settings) throws -> (domainID: String, adminID: String, login: String) {
        guard case .string(let domain)? = s.fields["domain"], case .string(let login)? = s.fields["login"] else {
            throw VendorError(
                vendor: vendor.name, kind: .invalid, code: "invalid",
                message: "admin access \(s.key): name it DOMAIN/LOGIN")
        }
        guard let a = try admin(login: login), case .string(let aid)? = a.fields["id"] else {
            throw VendorError(
                vendor: vendor.name, kind: .notFound, code: "404",
                message: "no administrator \(login): an account is made in Cleanmail (it needs a password)")
        }
        return (try domainID(domain), pathSegment(aid), login)
    }

    /// 5.5.3 for an existing account: AdminAdd with its id and the permissions.
    func grantAdmin(_ s: Settings) throws -> ChangeOutcome {
        let (did, aid, _) = try accessParts(s)
        let permissions = (s.fields["permissions"]?.listValues ?? []).map { JSON.string($0.text) }
        let body = JSON.object(JSONObject([("id", .string(aid)), ("permissions", .array(permissions))]))
        guard
            let reply = try api.create(
                "/domains/\(did)/admins", body: .json(body), exists: { try adminAccess(s.key) != nil })
        else { return .applied(try adminAccess(s.key).map(ObjectRef.Object.settings)) }
        try expect(reply, "grant-admin", s.key)
        return .applied(try adminAccess(s.key).map(ObjectRef.Object.settings))
    }

    /// 5.5.13: the permissions as asked.
    func setAdminAccess(_ s: Settings) throws -> ChangeOutcome {
        let (did, aid, _) = try accessParts(s)
        let permissions = (s.fields["permissions"]?.listValues ?? []).map { JSON.string($0.text) }
        try expect(
            api.call(
                .PUT, "/domains/\(did)/admins/\(aid)/authorities", body: .json(.array(permissions)),
                safeToRepeat: true), "set access", s.key)
        return .applied(try adminAccess(s.key).map(ObjectRef.Object.settings))
    }

    /// 5.5.5; an access gone meanwhile (404) is what was asked.
    func revokeAdmin(_ s: Settings) throws -> ChangeOutcome {
        guard case .string(let domain)? = s.fields["domain"], case .string(let aid)? = s.fields["id"] else {
            throw shape("read access \(s.key)")
        }
        let reply = try api.call(.DELETE, "/domains/\(try domainID(domain))/admins/\(pathSegment(aid))")
        if reply.status != 404 { try expect(reply, "revoke-admin", s.key) }
        return .applied(nil)
    }
}
