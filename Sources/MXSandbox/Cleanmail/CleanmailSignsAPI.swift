import MXJSON

/// A mailbox's HTML signature (5.16), base64-encoded (`Sign`, 6.57): read, set, delete.
/// 404 "Unknown user"; 400 (the documented message) for a user whose policy has no
/// quarantine, retention or archive.
///
/// ASSUMED: a user without a signature reads `{"sign": null}`; PUT answers 200 with the
/// `Sign`; a `sign` that is not base64 is a 400; reading the signature of a DISABLED
/// account is the 422 ("not met conditions"); deleting an absent signature is a 204.
extension CleanmailAPI {
    static func registerSigns(_ r: inout Router<Route>) {
        r.read("/users/{userId}/sign") { s, c in
            let u = try signUser(s, c["userId"])
            if s.users[u]?["status"]?.string == "DISABLED" {
                throw Failure(422, Message.conditions + " The account is disabled.")
            }
            return .json(200, .object(JSONObject([("sign", s.keyed["sign/\(u)"] ?? .null)])))
        }
        r.write("PUT", "/users/{userId}/sign") { s, c in
            let u = try signUser(s, c["userId"])
            let o = try bodyObject(c.request)
            let sign = try required(o, "sign") { v in v.string.flatMap { isBase64($0) ? $0 : nil } }
            s.keyed["sign/\(u)"] = .string(sign)
            return .json(200, .object(JSONObject([("sign", .string(sign))])))
        }
        r.write("DELETE", "/users/{userId}/sign") { s, c in
            let u = try signUser(s, c["userId"])
            s.keyed["sign/\(u)"] = nil
            return .empty(204)
        }
    }

    static func signUser(_ s: CleanmailStore, _ id: String) throws -> Int {
        let u = try user(s, id, "Unknown user")
        guard userHasServices(s, u) else { throw Failure(400, noService) }
        return u
    }

    static func isBase64(_ text: String) -> Bool {
        let chars = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        let body = text.hasSuffix("==") ? text.dropLast(2) : text.hasSuffix("=") ? text.dropLast() : Substring(text)
        return !text.isEmpty && text.count % 4 == 0 && body.allSatisfy { chars.contains($0) }
    }
}
