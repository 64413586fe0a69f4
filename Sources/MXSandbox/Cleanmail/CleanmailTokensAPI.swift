import MXJSON

/// Personal API tokens of an admin (5.2): create (the value is answered once, 201),
/// list (never the values), revoke. The document's messages: 404 "Resource does not
/// exist.", 403 "Only sysadmin or target user can call this endpoint.".
///
/// ASSUMED: the sandbox keeps no token value (not even in its state), so tokens it hands
/// out are not accepted as bearer tokens; only `sandbox-token` is. Null members are left
/// out of a token, as in 5.2.2's example (`mytoken2` has no `expiration`). An
/// `expiration` in the past is a 400. The list is not paged (5.2.2 documents no paging).
extension CleanmailAPI {
    static let tokenForbidden = "Only sysadmin or target user can call this endpoint."

    static func registerTokens(_ r: inout Router<Route>) {
        r.write("POST", "/admins/{adminId}/tokens", denied: tokenForbidden) { s, c in
            let a = try admin(s, c["adminId"])
            let o = try bodyObject(c.request)
            let name = try required(o, "name") { $0.string.flatMap { $0.isEmpty ? nil : $0 } }
            let expiration = try optional(o, "expiration") { $0.int }
            let now = s.now()
            if let expiration, expiration <= now {
                throw Failure(400, "Validation failed: expiration must be a future date")
            }
            let t = s.insert(
                .token,
                [
                    ("adminId", .string(CleanmailID.encode(a))), ("name", .string(name)),
                    ("expiration", expiration.map(JSON.int) ?? .null), ("createdAt", .int(now)), ("lastUse", .null)
                ])
            var shown = renderToken(s.record(.token, t)!)
            // The value, once: never stored.
            shown["value"] = .string(tokenValue(t, now, name))
            let order = ["id", "name", "value", "expiration", "createdAt", "lastUse"]
            return .json(201, .object(JSONObject(order.compactMap { k in shown[k].map { (k, $0) } })))
        }
        r.write("GET", "/admins/{adminId}/tokens", denied: tokenForbidden) { s, c in
            let a = try admin(s, c["adminId"])
            return .json(
                200, .array(s.ids(.token, where: "adminId", is: a).map { .object(renderToken(s.record(.token, $0)!)) }))
        }
        r.write("DELETE", "/admins/{adminId}/tokens/{id}", denied: tokenForbidden) { s, c in
            let a = try admin(s, c["adminId"])
            guard let t = CleanmailID.decode(c["id"]), let token = s.record(.token, t),
                token["adminId"] == .string(CleanmailID.encode(a))
            else { throw Failure(404, adminMissing) }
            s.remove(.token, t)
            return .empty(204)
        }
    }

    /// `PersonalToken` (6.45) without its value, null members left out.
    static func renderToken(_ t: JSONObject) -> JSONObject {
        JSONObject(
            ["id", "name", "expiration", "createdAt", "lastUse"].compactMap { k in
                t[k].flatMap { $0 == .null ? nil : (k, $0) }
            })
    }

    /// 32 hex digits, as in 5.2.1's example; derived, not random, so runs repeat.
    static func tokenValue(_ id: Int, _ time: Int, _ name: String) -> String {
        hex64(fnv("\(id):\(time):\(name)")) + hex64(fnv("\(name):\(time):\(id):sandbox"))
    }

    static func fnv(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    static func hex64(_ v: UInt64) -> String {
        let digits = Array("0123456789abcdef")
        return String((0..<16).map { i in digits[Int((v >> UInt64(60 - 4 * i)) & 0xf)] })
    }
}
