import MXJSON
import MXModel

/// Personal API tokens (5.2.2 list, 5.2.3 revoke), of every administrator. The listing
/// never carries a token's value (the document's `PersonalToken` has it on creation
/// only), so nothing read here is a secret.
extension CleanmailAdapter {
    func tokens() throws -> [Settings] {
        var out: [Settings] = []
        for a in try admins() {
            guard case .string(let aid)? = a.fields["id"] else { throw shape("read administrators") }
            out += try tokens(adminID: aid, login: a.key)
        }
        return out
    }

    func tokens(adminID: String, login: String) throws -> [Settings] {
        let path = "/admins/\(pathSegment(adminID))/tokens"
        let reply = try expect(api.call(.GET, path), "read", "API tokens of \(login)")
        guard let list = reply.json?.array else { throw shape("read API tokens of \(login)") }
        return list.compactMap(\.object).map { tokenObject($0, login: login) }
    }

    func tokenObject(_ t: JSONObject, login: String) -> Settings {
        let key = "\(login.lowercased())/\(id(t))"
        var fields = Record([("token", .string(key)), ("admin", .string(login.lowercased())), ("id", .string(id(t)))])
        if let name = t["name"] { fields["name"] = Value(json: name) }
        for (field, wire) in [("expiration", "expiration"), ("created", "createdAt"), ("lastUse", "lastUse")] {
            // Members left out are null (5.2.2's example): no date, not an unknown one.
            guard let v = t[wire] else { fields[field] = Value.none; continue }
            fields[field] = CleanmailMapping.millisecondsDate(v).map(Value.string) ?? Value(json: v)
        }
        return Settings(kind: "token", key: key, fields: fields)
    }

    /// `LOGIN/ID`: the administrator's tokens are read and the id compared.
    func token(_ key: String) throws -> Settings? {
        guard let slash = key.lastIndex(of: "/") else { return nil }
        let login = String(key[..<slash])
        guard let a = try admin(login: login), case .string(let aid)? = a.fields["id"] else { return nil }
        // Ids are case-sensitive (`gMKGW`); logins are not.
        let tid = String(key[key.index(after: slash)...])
        return try tokens(adminID: aid, login: login).first { $0.fields["id"]?.text == tid }
    }

    /// 5.2.3; a token revoked meanwhile (404) is what was asked.
    func deleteToken(_ s: Settings) throws -> ChangeOutcome {
        guard case .string(let login)? = s.fields["admin"], case .string(let tid)? = s.fields["id"],
              let a = try admin(login: login), case .string(let aid)? = a.fields["id"] else { return .applied(nil) }
        let reply = try api.call(.DELETE, "/admins/\(pathSegment(aid))/tokens/\(pathSegment(tid))")
        if reply.status != 404 { try expect(reply, "delete-token", s.key) }
        return .applied(nil)
    }
}
