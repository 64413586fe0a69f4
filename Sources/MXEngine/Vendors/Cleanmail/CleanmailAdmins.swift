import MXJSON
import MXModel

/// Reading and changing administrator accounts (5.1.1-5.1.3, 5.1.5). An account is
/// found by its login among every page the `search` filter answers, compared exactly:
/// the filter matches parts of logins, emails and names, so its answer is checked.
extension CleanmailAdapter {
    func admins() throws -> [Settings] {
        var out: [Settings] = []
        try pages("/security/admins", filter: [], what: "administrators") { page in
            for case .object(let a) in page { out.append(try adminObject(a)) }
            return true
        }
        return out
    }

    func admin(login: String) throws -> Settings? {
        var found: Settings?
        try pages("/security/admins", filter: [("search", login)], what: "administrator \(login)") { page in
            for case .object(let a) in page where a["login"]?.string?.lowercased() == login.lowercased() {
                found = try adminObject(a)
            }
            return found == nil
        }
        return found
    }

    /// The account as the kind declares it; the password is never in an answer.
    func adminObject(_ a: JSONObject) throws -> Settings {
        guard let login = a["login"]?.string else { throw shape("read administrators") }
        var fields = Record()
        for f in CleanmailAdminKinds.admin.fields where f.access != .writeOnly {
            guard let v = a[f.wire] else { continue }
            if f.name == "id" { fields["id"] = .string(id(a)); continue }
            if f.wire.hasSuffix("At") || f.wire.hasSuffix("Date") {
                fields[f.name] = CleanmailMapping.millisecondsDate(v).map(Value.string) ?? Value(json: v)
                continue
            }
            fields[f.name] = Value(json: v)
        }
        return Settings(kind: "admin", key: login.lowercased(), fields: fields)
    }

    /// 5.1.3: only the changed members; a password is sent as itself, once.
    func updateAdmin(_ s: Settings, changed: [String], from before: Settings, _ change: Change) throws -> ChangeOutcome
    {
        guard case .string(let aid)? = before.fields["id"] else { throw shape("read administrator \(s.key)") }
        var patch = JSONObject()
        for name in changed {
            // A write-only password is not kept in the object as written: the change has it
            // (without this, `set a password=...` sent `"password": null`).
            switch s.fields[name] ?? change.fields[name] {
            case .secret(let secret)?: patch[name] = .string(api.reveal(secret))
            case .enumCase(let text)?: patch[name] = .string(text)
            case let v?: patch[name] = v.json ?? .null
            case nil: patch[name] = .null
            }
        }
        if let language = patch["language"]?.string { patch["language"] = .string(language.uppercased()) }
        let path = "/security/admins/\(pathSegment(aid))"
        try expect(api.call(.PATCH, path, body: .json(.object(patch)), safeToRepeat: true), "set administrator", s.key)
        return .applied(try admin(login: s.key).map(ObjectRef.Object.settings))
    }

    /// 5.1.1; an account gone meanwhile (404) is what was asked.
    func deleteAdmin(_ s: Settings) throws -> ChangeOutcome {
        guard case .string(let aid)? = s.fields["id"] else { throw shape("read administrator \(s.key)") }
        let reply = try api.call(.DELETE, "/security/admins/\(pathSegment(aid))")
        if reply.status != 404 { try expect(reply, "delete-admin", s.key) }
        return .applied(nil)
    }
}
