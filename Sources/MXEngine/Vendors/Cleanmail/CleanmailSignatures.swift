import MXJSON
import MXModel

/// Reading and changing a mailbox's signature (5.16.1-5.16.3). A mailbox that does not
/// exist has none; one whose answer is `{"sign": null}` has none either.
extension CleanmailAdapter {
    func signature(of email: String) throws -> Settings? {
        guard let u = try userRecord(email) else { return nil }
        let reply = try expect(api.call(.GET, "/users/\(pathSegment(id(u)))/sign"), "read", "signature of \(email)")
        guard let o = reply.json?.object else { throw shape("read signature of \(email)") }
        guard let sign = o["sign"], sign != .null else { return nil }
        guard let encoded = sign.string, let html = Base64.decode(encoded) else {
            throw shape("read signature of \(email)")
        }
        return signatureObject(html, email)
    }

    func signatureObject(_ html: String, _ email: String) -> Settings {
        Settings(
            kind: "signature", key: email.lowercased(), owner: email.lowercased(),
            fields: Record([("html", .string(html)), ("mailbox", .string(email.lowercased()))]))
    }

    /// 5.16.3 for a new signature and a changed one alike (PUT replaces it).
    func putSignature(_ s: Settings) throws -> ChangeOutcome {
        guard case .string(let html)? = s.fields["html"] else {
            throw VendorError(
                vendor: vendor.name, kind: .invalid, code: "invalid",
                message: "signature of \(s.key): give html=", hints: [("html", "required")])
        }
        guard let u = try userRecord(s.key) else { throw VendorError.notFound(vendor.name, "user", s.key) }
        let body = JSON.object(JSONObject([("sign", .string(Base64.encode(html)))]))
        try expect(
            api.call(.PUT, "/users/\(pathSegment(id(u)))/sign", body: .json(body), safeToRepeat: true),
            "set", "signature of \(s.key)")
        return .applied(.settings(signatureObject(html, s.key)))
    }

    /// 5.16.1.
    func deleteSignature(_ s: Settings) throws -> ChangeOutcome {
        // The mailbox gone, its signature is too: nothing sent, nothing done.
        guard let u = try userRecord(s.key) else { return .unchanged(nil) }
        let reply = try api.call(.DELETE, "/users/\(pathSegment(id(u)))/sign")
        if reply.status != 404 { try expect(reply, "delete", "signature of \(s.key)") }
        return .applied(nil)
    }
}

/// The `Sign` model's encoding (RFC 4648 base64 of the HTML's UTF-8), without Foundation.
enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        for i in stride(from: 0, to: bytes.count, by: 3) {
            let chunk = bytes[i..<min(i + 3, bytes.count)]
            let n = chunk.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
            for k in 0..<4 {
                out.append(k <= chunk.count ? alphabet[(n >> (18 - 6 * k)) & 63] : UInt8(ascii: "="))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The text, or nil when it is not base64 of UTF-8.
    static func decode(_ text: String) -> String? {
        var values: [Int] = []
        for c in text.utf8 where c != UInt8(ascii: "=") {
            guard let v = alphabet.firstIndex(of: c) else { return nil }
            values.append(v)
        }
        var bytes: [UInt8] = []
        for i in stride(from: 0, to: values.count, by: 4) {
            let chunk = values[i..<min(i + 4, values.count)]
            guard chunk.count > 1 else { return nil }
            let n = chunk.enumerated().reduce(0) { $0 | $1.element << (18 - 6 * $1.offset) }
            for k in 0..<(chunk.count - 1) { bytes.append(UInt8((n >> (16 - 8 * k)) & 255)) }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
