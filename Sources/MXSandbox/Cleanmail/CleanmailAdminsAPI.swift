import MXJSON

/// Administrators (5.1 AccessControls, and a domain's admin accesses 5.5.3/5/7/9/13):
/// accounts (`Admin`, 6.3) holding authorities, one per domain (`Authority`, 6.15),
/// each a list of permissions (5.1.4 lists the ones a scope offers).
///
/// ASSUMED (the document gives these endpoints no responses or examples):
/// - 404 "Resource does not exist." (5.2's wording) for an unknown account, and for an
///   account without an access on the domain of the path; 204 for PATCH, PUT and DELETE;
///   201 with the `Admin` (and its `Location`) for a new access.
/// - the permissions (`permissionCatalog`) and the scopes DOMAIN, CUSTOMER, BROKER.
/// - the member named `email`: 6.3, 6.4 and 6.5 lost its name ("String | Email address").
/// - 5.1.2 lists the admins on which the caller has GRANT: the sandbox's token is a
///   sysadmin's, so every account.
/// - an account's password is write-only: checked, never stored, never answered.
/// - the sandbox's own account (id 1, the tokens' owner) cannot be deleted or disabled (422).
/// - lists: `search` matches login, email or displayName, containing the text (`*` allowed);
///   `offset`/`pageSize`/`X-Total-Count` as every list of the document.
extension CleanmailAPI {
    static func registerAdmins(_ r: inout Router<Route>) {
        r.read("/security/admins") { s, c in try listAdmins(&s, c.request, domain: nil) }
        r.read("/security/admins/{adminId}") { s, c in .json(200, renderAdmin(s, try admin(s, c["adminId"]))) }
        r.write("PATCH", "/security/admins/{adminId}", patchAdmin)
        r.write("DELETE", "/security/admins/{adminId}") { s, c in
            let a = try admin(s, c["adminId"])
            if a == 1 { throw Failure(422, Message.conditions + " The sandbox's own account cannot be deleted.") }
            deleteAdmin(&s, a)
            return .empty(204)
        }
        r.read("/security/permissions", listPermissions)
        r.read("/domains/{domainId}/admins") { s, c in
            try listAdmins(&s, c.request, domain: try domain(s, c["domainId"], Message.domainNotFound))
        }
        r.write("POST", "/domains/{domainId}/admins", addAdminAccess)
        r.read("/domains/{domainId}/admins/{adminId}") { s, c in
            let (_, a) = try adminAccess(s, c)
            return .json(200, renderAdmin(s, a))
        }
        r.write("DELETE", "/domains/{domainId}/admins/{adminId}") { s, c in
            let (d, a) = try adminAccess(s, c)
            s.update(.admin, a) {
                $0["authorities"] = .array(
                    ($0["authorities"]?.array ?? []).filter { $0["objectId"] != .string(CleanmailID.encode(d)) })
            }
            // 5.5.5: "If this admin has no other access, the account will be deleted."
            if let o = s.record(.admin, a), o["sysAdmin"] != true, o["authorities"]?.array?.isEmpty ?? true {
                deleteAdmin(&s, a)
            }
            return .empty(204)
        }
        r.write("PUT", "/domains/{domainId}/admins/{adminId}/authorities") { s, c in
            let (d, a) = try adminAccess(s, c)
            let permissions = try permissionList(try body(c.request), scope: "DOMAIN")
            s.update(.admin, a) { o in
                o["authorities"] = .array(
                    (o["authorities"]?.array ?? []).map { au in
                        guard au["objectId"] == .string(CleanmailID.encode(d)), var x = au.object else { return au }
                        x["permissions"] = .array(permissions.map(JSON.string))
                        return .object(x)
                    })
            }
            return .empty(204)
        }
    }

    static let adminMissing = "Resource does not exist."

    /// ASSUMED permission names, by scope (5.1.4 names none).
    static let permissionCatalog: [String: [String]] = {
        let domain = [
            "DOMAIN_READ", "DOMAIN_WRITE", "USER_READ", "USER_WRITE", "POLICY_READ", "FILTER_READ", "FILTER_WRITE",
            "QUARANTINE_READ", "QUARANTINE_RELEASE", "ARCHIVE_READ", "HEALTH_READ", "GRANT", "IMPERSONATE"
        ]
        return [
            "DOMAIN": domain, "CUSTOMER": domain + ["DOMAIN_CREATE"],
            "BROKER": domain + ["DOMAIN_CREATE", "CUSTOMER_WRITE"]
        ]
    }()

    static func admin(_ s: CleanmailStore, _ id: String) throws -> Int {
        guard let n = CleanmailID.decode(id), s.record(.admin, n) != nil else { throw Failure(404, adminMissing) }
        return n
    }

    /// The domain and the admin of a `/domains/{d}/admins/{a}` path: the admin must hold an access there.
    static func adminAccess(_ s: CleanmailStore, _ c: Call) throws -> (Int, Int) {
        let d = try domain(s, c["domainId"], Message.domainNotFound)
        let a = try admin(s, c["adminId"])
        guard hasAccess(s.record(.admin, a)!, d) else { throw Failure(404, adminMissing) }
        return (d, a)
    }

    static func hasAccess(_ admin: JSONObject, _ d: Int) -> Bool {
        (admin["authorities"]?.array ?? []).contains { $0["objectId"] == .string(CleanmailID.encode(d)) }
    }

    static func renderAdmin(_ s: CleanmailStore, _ id: Int) -> JSON {
        let a = s.record(.admin, id)!
        let authorities = (a["authorities"]?.array ?? []).map { au -> JSON in
            // The domain's current name, as it may have been renamed since.
            guard var o = au.object, let d = s.num(o["objectId"]), let name = s.domains[d]?["name"] else { return au }
            o["objectName"] = name
            o["securedObjectName"] = name
            return .object(o)
        }
        return .object(
            JSONObject([
                ("id", a["id"]!), ("login", a["login"] ?? .null), ("displayName", a["displayName"] ?? .null),
                ("email", a["email"] ?? .null),
                ("enabled", a["enabled"] ?? true), ("language", a["language"] ?? "EN"), ("totp", a["totp"] ?? false),
                ("sysAdmin", a["sysAdmin"] ?? false), ("authorities", .array(authorities)),
                ("authoritiesCount", .int(authorities.count)),
                ("lastConnectionDate", a["lastConnectionDate"] ?? .null), ("createdAt", a["createdAt"] ?? .null)
            ]))
    }

    static let adminSortFields: Set<String> = [
        "id", "login", "displayName", "email", "enabled", "language", "createdAt", "lastConnectionDate"
    ]

    static func listAdmins(_ s: inout CleanmailStore, _ r: SandboxRequest, domain: Int?) throws -> SandboxResponse {
        let q = try listQuery(r, defaultSort: "login", fields: adminSortFields, type: "Admin")
        let search = r.queryValue("search").flatMap { $0.isEmpty ? nil : $0 }
        return try page(
            &s, r, q,
            { s in
                s.all(.admin).filter { id, a in
                    if let domain, !hasAccess(a, domain) { return false }
                    guard let search else { return true }
                    let pattern = search.contains("*") ? search : "*\(search)*"
                    return ["login", "email", "displayName"].contains { matches(a[$0]?.string ?? "", pattern) }
                }.map(\.key)
            }, key: { s, id, f in f == "id" ? .int(id) : s.record(.admin, id)![f] ?? .null }, render: renderAdmin)
    }

    /// 5.1.4: `scope` and `id` both required (ASSUMED: Spring's 400 when absent).
    static func listPermissions(_ s: inout CleanmailStore, _ c: Call) throws -> SandboxResponse {
        guard let scope = c.request.queryValue("scope"), !scope.isEmpty else {
            throw Failure(400, "Required parameter 'scope' is not present.")
        }
        guard let id = c.request.queryValue("id"), !id.isEmpty else {
            throw Failure(400, "Required parameter 'id' is not present.")
        }
        guard let names = permissionCatalog[scope.uppercased()] else {
            throw Failure(
                400, "Failed to convert value of parameter 'scope': '\(scope)' is not one of DOMAIN, CUSTOMER, BROKER")
        }
        switch scope.uppercased() {
        case "DOMAIN": _ = try domain(s, id, Message.domainNotFound)
        default: if CleanmailID.decode(id) != customerID { throw Failure(404, adminMissing) }
        }
        return .json(200, .array(names.map { .object(JSONObject([("name", .string($0)), ("editable", true)])) }))
    }

    static func permissionList(_ v: JSON?, scope: String) throws -> [String] {
        guard let list = v?.array, list.allSatisfy({ $0.string != nil }) else {
            throw Failure(400, "JSON parse error: permissions must be a list of permission names")
        }
        let known = permissionCatalog[scope] ?? []
        var out: [String] = []
        for p in list.compactMap(\.string) {
            guard known.contains(p) else { throw Failure(400, "Unknown permission '\(p)' for scope \(scope)") }
            if !out.contains(p) { out.append(p) }
        }
        return out
    }

    /// `AdminAdd` (6.4): an existing account by `id`, or a new one (login, displayName,
    /// email, password, enabled, language), with `permissions` on this domain.
    static func addAdminAccess(_ s: inout CleanmailStore, _ c: Call) throws -> SandboxResponse {
        let d = try domain(s, c["domainId"], Message.domainNotFound)
        let o = try bodyObject(c.request)
        guard o["permissions"] != nil, o["permissions"] != .null else {
            throw Failure(400, "Validation failed: permissions must not be null")
        }
        let permissions = try permissionList(o["permissions"], scope: "DOMAIN")
        let authority = JSON.object(
            JSONObject([
                ("objectType", "DOMAIN"), ("objectId", .string(CleanmailID.encode(d))),
                ("objectName", s.domains[d]!["name"]!),
                ("permissions", .array(permissions.map(JSON.string))), ("securedObjectName", s.domains[d]!["name"]!),
                ("securedObjectClass", "Domain")
            ]))
        let a: Int
        if let given = try optional(o, "id", { $0.string }) {
            a = try admin(s, given)
            if hasAccess(s.record(.admin, a)!, d) {
                throw Failure(409, "This administrator already has an access on this domain")
            }
            s.update(.admin, a) { $0["authorities"] = .array(($0["authorities"]?.array ?? []) + [authority]) }
        } else {
            let login = try required(o, "login") { $0.string.flatMap { $0.isEmpty ? nil : $0 } }
            let displayName = try required(o, "displayName") { $0.string }
            let email = try required(o, "email") { $0.string }
            _ = try required(o, "password") { $0.string.flatMap { $0.isEmpty ? nil : $0 } }
            let enabled = try required(o, "enabled") { $0.bool }
            let language = try required(o, "language") { Self.language($0) }
            guard isEmail(email) else {
                throw Failure(400, "Validation failed: email must be a well-formed email address")
            }
            if s.all(.admin).values.contains(where: { $0["login"]?.string?.lowercased() == login.lowercased() }) {
                throw Failure(409, "An account may already exist with the given login")
            }
            let now = s.now()
            a = s.insert(
                .admin,
                [
                    ("login", .string(login)), ("displayName", .string(displayName)),
                    ("email", .string(email.lowercased())),
                    ("enabled", .bool(enabled)), ("language", .string(language)), ("totp", false), ("sysAdmin", false),
                    ("authorities", [authority]), ("lastConnectionDate", .null), ("createdAt", .int(now))
                ])
        }
        return .json(201, renderAdmin(s, a), headers: location(c.request, "/security/admins/\(CleanmailID.encode(a))"))
    }

    /// `AdminUpdate` (6.5), partial. `totp` can only be switched off (6.5).
    static func patchAdmin(_ s: inout CleanmailStore, _ c: Call) throws -> SandboxResponse {
        let a = try admin(s, c["adminId"])
        let o = try bodyObject(c.request)
        let email = try optional(o, "email") { $0.string }
        let displayName = try optional(o, "displayName") { $0.string }
        _ = try optional(o, "password") { $0.string }
        let enabled = try optional(o, "enabled") { $0.bool }
        let totp = try optional(o, "totp") { $0.bool }
        let language = try optional(o, "language") { Self.language($0) }
        if let email, !isEmail(email) {
            throw Failure(400, "Validation failed: email must be a well-formed email address")
        }
        if totp == true, s.record(.admin, a)!["totp"] != true {
            throw Failure(
                422, Message.conditions + " TOTP can only be disabled here; enabling it needs the QR code flow.")
        }
        if a == 1, enabled == false {
            throw Failure(422, Message.conditions + " The sandbox's own account cannot be disabled.")
        }
        s.update(.admin, a) { x in
            if let email { x["email"] = .string(email.lowercased()) }
            if let displayName { x["displayName"] = .string(displayName) }
            if let enabled { x["enabled"] = .bool(enabled) }
            if let totp { x["totp"] = .bool(totp) }
            if let language { x["language"] = .string(language) }
        }
        return .empty(204)
    }

    /// 5.1.1: the account and all its accesses; its tokens go with it.
    static func deleteAdmin(_ s: inout CleanmailStore, _ a: Int) {
        s.remove(.admin, a)
        for t in s.ids(.token, where: "adminId", is: a) { s.remove(.token, t) }
    }
}
