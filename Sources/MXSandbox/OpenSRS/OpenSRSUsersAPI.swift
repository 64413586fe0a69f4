import MXJSON

/// User methods: `get_user`, `change_user` (create or update; the password is taken
/// and never answered), `delete_user` / `restore_user` (soft), `search_users`.
extension OpenSRSAPI {
    static let userAttributes: Set<String> = ["name", "password", "aliases", "language", "disabled", "quota", "timezone"]

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
        return .json(200, .object(JSONObject([("success", true), ("attributes", .object(e.attributes))])))
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
        let attributes = body["attributes"]?.object ?? JSONObject()
        for (k, _) in attributes.pairs where !userAttributes.contains(k) {
            return failure(6, "Attribute is badly formatted", hints: [k: "not a settable attribute"])
        }
        if let e = s.users[u], !e.deleted {
            if body["create_only"]?.bool == true { return failure(23, "Object already exists") }
            for (k, v) in attributes.pairs where k != "password" { s.users[u]!.attributes[k] = v }
        } else {
            s.users[u] = nil
            s.userOrder.removeAll { $0 == u }
            s.createUser(u, attributes)
        }
        return success
    }

    static func setUserDeleted(_ s: inout OpenSRSStore, _ body: JSONObject, _ deleted: Bool) -> SandboxResponse {
        guard let u = name(body, "user") else { return badlyFormatted("user", "required") }
        guard let e = s.users[u], e.deleted != deleted else { return failure(13, "User does not exist") }
        s.users[u]!.deleted = deleted
        return success
    }
}
