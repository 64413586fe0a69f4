import MXJSON

/// User methods: `get_user`, `change_user` (create or update; the password is taken
/// and never answered), `delete_user` / `restore_user` (soft), `search_users`.
///
/// ASSUMED (NOTES.md: the real API's user attributes, which the document here does not
/// list): OpenSRSAttributes.userFields. get_user answers `success`,
/// `settable_attributes`, `metadata` {`createtime`} and the attributes; change_user
/// checks them as change_domain does (6 unknown or not allowed, 4 read-only), and a
/// new user's services, language, timezone, workgroup and quota start as its domain's.
/// The domain's limits hold (the document's attributes table): a new user beyond
/// `limit_users` is error 15 "Domain users full"; user aliases beyond `limit_aliases`
/// error 16 "Domain aliases full"; a quota above `quota_maximum` error 6.
extension OpenSRSAPI {
    static var userSettable: JSON { .array(OpenSRSAttributes.userSettable.map(JSON.string)) }

    static func registerUsers(_ r: inout Router<Handler>) {
        r.add("POST", "/get_user", getUser)
        r.add("POST", "/change_user", changeUser)
        r.add("POST", "/delete_user", { s, b in setUserDeleted(&s, b, true) })
        r.add("POST", "/restore_user", { s, b in setUserDeleted(&s, b, false) })
        r.add("POST", "/search_users", { s, b in search(&s, b, users: true) })
    }

    static func getUser(_ s: inout OpenSRSStore, _ body: JSONObject) -> SandboxResponse {
        guard let u = name(body, "user") else { return badlyFormatted("user", "required") }
        guard let e = s.users[u], !e.deleted else { return failure(13, "User does not exist") }
        return .json(
            200,
            .object(
                JSONObject([
                    ("success", true), ("settable_attributes", userSettable),
                    ("metadata", .object(JSONObject([("createtime", .string(String(e.createtime)))]))),
                    ("attributes", .object(e.attributes))
                ])))
    }

    static func changeUser(_ s: inout OpenSRSStore, _ body: JSONObject) -> SandboxResponse {
        guard let u = name(body, "user"), u.split(separator: "@").count == 2 else {
            return badlyFormatted("user", "required, an email address")
        }
        let domain = String(u.split(separator: "@")[1])
        // ASSUMED: mail to an alias domain is the domain's; its mailboxes live in the domain (error 3).
        if let owner = s.aliasOwners[domain] {
            return failure(3, "Object is an alias", hints: ["user": .string("\(domain) is an alias of \(owner)")])
        }
        guard let d = s.domains[domain], !d.deleted else { return failure(11, "Domain does not exist") }
        if let a = body["attributes"], a != .null, a.object == nil {
            return badlyFormatted("attributes", "an object of attributes")
        }
        let attributes = body["attributes"]?.object ?? JSONObject()
        if let refused = OpenSRSAttributes.checkUser(attributes, quotaMaximum: d.attributes["quota_maximum"]?.int)
            .response()
        {
            return refused
        }
        let existing = s.users[u].flatMap { $0.deleted ? nil : $0 }
        if existing != nil, body["create_only"]?.bool == true { return failure(23, "Object already exists") }
        if existing == nil, let limit = d.attributes["limit_users"]?.int, s.liveUsers(of: domain).count >= limit {
            return failure(15, "Domain users full")
        }
        if let aliases = attributes["aliases"]?.array, let limit = d.attributes["limit_aliases"]?.int,
            s.userAliasCount(of: domain, except: u) + aliases.count > limit
        {
            return failure(16, "Domain aliases full")
        }
        if let e = existing {
            for (k, v) in attributes.pairs where k != "password" { s.users[u]!.attributes[k] = v }
            record(
                &s, body, kind: "user", object: u, method: "change_user", action: "change",
                diff(e.attributes, s.users[u]!.attributes, given: attributes))
        } else {
            s.users[u] = nil
            s.userOrder.removeAll { $0 == u }
            s.createUser(u, attributes)
            record(
                &s, body, kind: "user", object: u, method: "change_user", action: "create",
                diff(nil, s.users[u]!.attributes, given: attributes))
        }
        return success
    }

    /// `restore_user` needs the user's domain live (ASSUMED: error 11 until the domain
    /// is restored) and room under its `limit_users` (error 15). ASSUMED: restoring a
    /// user that is not deleted answers error 13, as for one that does not exist.
    static func setUserDeleted(_ s: inout OpenSRSStore, _ body: JSONObject, _ deleted: Bool) -> SandboxResponse {
        guard let u = name(body, "user") else { return badlyFormatted("user", "required") }
        guard let e = s.users[u], e.deleted != deleted else { return failure(13, "User does not exist") }
        if !deleted {
            let domain = String(u.split(separator: "@").last ?? "")
            guard let d = s.domains[domain], !d.deleted else { return failure(11, "Domain does not exist") }
            if let limit = d.attributes["limit_users"]?.int, s.liveUsers(of: domain).count >= limit {
                return failure(15, "Domain users full")
            }
        }
        s.users[u]!.deleted = deleted
        record(
            &s, body, kind: "user", object: u, method: deleted ? "delete_user" : "restore_user",
            action: deleted ? "delete" : "restore",
            ["deleted": .object(JSONObject([("old", .bool(!deleted)), ("new", .bool(deleted))]))])
        return success
    }
}
