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

    /// `LOGIN/ID` or `LOGIN/NAME`: the administrator's tokens are read and the id
    /// compared, else the name (one token of that name; several are ambiguous). A token
    /// found by name keeps the key it was asked by, so a journaled create is undone by it.
    func token(_ key: String) throws -> Settings? {
        guard let slash = key.firstIndex(of: "/") else { return nil }
        let login = String(key[..<slash])
        guard let a = try admin(login: login), case .string(let aid)? = a.fields["id"] else { return nil }
        // Ids are case-sensitive (`gMKGW`); logins are not.
        let tid = String(key[key.index(after: slash)...])
        let all = try tokens(adminID: aid, login: login)
        if let byID = all.first(where: { $0.fields["id"]?.text == tid }) { return byID }
        let named = all.filter { $0.fields["name"]?.text == tid }
        if named.count > 1 {
            throw VendorError(
                vendor: vendor.name, kind: .invalid, code: "ambiguous",
                message:
                    "\(login) has \(named.count) tokens named \(tid); name one by its id (\(login)/ID, cm.tokens lists "
                    + "them)"
            )
        }
        return named.first.map { Settings(kind: "token", key: key, fields: $0.fields) }
    }

    /// 5.2.1: `LOGIN/NAME`, with an expiration when given. The answer's value is the
    /// secret, once: kept in the object given back (and printed), never read again.
    /// Not sent twice after a lost answer: a second token would be one nobody holds.
    func createToken(_ s: Settings, _ change: Change) throws -> ChangeOutcome {
        guard let slash = s.key.firstIndex(of: "/") else {
            throw VendorError(
                vendor: vendor.name, kind: .invalid, code: "invalid",
                message: "create-token \(s.key): name it LOGIN/NAME (the administrator's login, the token's name)")
        }
        let login = String(s.key[..<slash]), name = String(s.key[s.key.index(after: slash)...])
        guard let a = try admin(login: login), case .string(let aid)? = a.fields["id"] else {
            throw VendorError.notFound(vendor.name, "admin", login)
        }
        var body = JSONObject([("name", .string(name))])
        if case .string(let text)? = change.fields["expiration"] {
            guard let ms = Self.milliseconds(text) else {
                throw VendorError(
                    vendor: vendor.name, kind: .invalid, code: "invalid",
                    message:
                        "create-token \(s.key): expiration \(text) is not a date (2027-01-01 or 2027-01-01T00:00:00Z)")
            }
            body["expiration"] = .int(ms)
        }
        let reply = try api.call(
            .POST, "/admins/\(pathSegment(aid))/tokens", body: .json(.object(body)),
            safeToRepeat: false, secretReply: true)
        guard let t = try expect(reply, "create-token", s.key).json?.object, let value = t["value"]?.string else {
            throw shape("create-token \(s.key)")
        }
        var made = tokenObject(t, login: login)
        made = Settings(kind: "token", key: s.key, fields: made.fields)
        made.fields["value"] = .secret(Secret(value))
        return .applied(.settings(made))
    }

    /// `2027-01-01` or `2027-01-01T00:00:00Z` as epoch milliseconds (PersonalTokenAdd's date).
    static func milliseconds(_ text: String) -> Int? {
        let date = text.count == 10 ? text + "T00:00:00Z" : text
        return parseISODate(date).map { $0 * 1000 }
    }

    /// 5.2.3; a token revoked meanwhile (404) is what was asked.
    func deleteToken(_ s: Settings) throws -> ChangeOutcome {
        guard case .string(let login)? = s.fields["admin"], case .string(let tid)? = s.fields["id"] else {
            throw shape("delete-token \(s.key)")
        }
        // The administrator gone, the token is too: nothing sent, nothing done.
        guard let a = try admin(login: login) else { return .unchanged(nil) }
        guard case .string(let aid)? = a.fields["id"] else { throw shape("read administrator \(login)") }
        let reply = try api.call(.DELETE, "/admins/\(pathSegment(aid))/tokens/\(pathSegment(tid))")
        if reply.status != 404 { try expect(reply, "delete-token", s.key) }
        return .applied(nil)
    }
}

/// Epoch seconds of `YYYY-MM-DDTHH:MM:SSZ` (days-from-civil, no Foundation); nil when
/// the text is not that.
func parseISODate(_ text: String) -> Int? {
    let c = Array(text.utf8)
    guard c.count == 20, c[4] == UInt8(ascii: "-"), c[7] == UInt8(ascii: "-"), c[10] == UInt8(ascii: "T"),
        c[13] == UInt8(ascii: ":"), c[16] == UInt8(ascii: ":"), c[19] == UInt8(ascii: "Z")
    else { return nil }
    func number(_ from: Int, _ to: Int) -> Int? { Int(String(decoding: c[from..<to], as: UTF8.self)) }
    guard let y = number(0, 4), let m = number(5, 7), let d = number(8, 10), let h = number(11, 13),
        let mi = number(14, 16), let s = number(17, 19), (1...12).contains(m), (1...31).contains(d), h < 24, mi < 60,
        s < 60
    else { return nil }
    let yy = m <= 2 ? y - 1 : y
    let era = (yy >= 0 ? yy : yy - 399) / 400
    let yoe = yy - era * 400
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    let days = era * 146097 + doe - 719468
    return days * 86400 + h * 3600 + mi * 60 + s
}
