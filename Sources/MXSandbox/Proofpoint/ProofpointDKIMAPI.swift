import MXJSON

/// A domain's DKIM key, `/orgs/{org}/domains/{domain}/dkim` (NOTES.md; every shape here
/// ASSUMED, the documents have none):
/// - `GET`: `{"domain", "selector", "key_size", "is_enabled", "public_key",
///   "txt_name", "txt_record"}`, or 404 when the domain has no key yet;
/// - `POST` `{"selector"?: text, "key_size"?: 1024 | 2048}` makes one: 201 with it, 409
///   when there is one;
/// - `PUT` `{"is_enabled": true|false}`: 204 (422 for anything else);
/// - `DELETE`: 204, 404 when there is none.
/// A domain the organisation does not have is 403 "incorrect domain", as for the domain.
extension ProofpointAPI {
    static func registerDKIM(_ r: inout Router<Handler>) {
        r.add(
            "GET", "/orgs/{org}/domains/{domain}/dkim",
            { s, c in
                withDomain(s, c) { k, d in s.orgs[k]!.dkim[d].map { .json(200, .object($0)) } ?? noKey(d) }
            })
        r.add("POST", "/orgs/{org}/domains/{domain}/dkim", createDKIM)
        r.add("PUT", "/orgs/{org}/domains/{domain}/dkim", updateDKIM)
        r.add(
            "DELETE", "/orgs/{org}/domains/{domain}/dkim",
            { s, c in
                let k = ProofpointStore.key(c.org), d = ProofpointStore.key(c["domain"])
                guard s.domain(c.org, d) != nil else { return incorrectDomain(c.org, c["domain"]) }
                return s.orgs[k]!.dkim.removeValue(forKey: d) == nil ? noKey(d) : .empty(204)
            })
    }

    static func noKey(_ domain: String) -> SandboxResponse {
        .json(404, ["errors": .array([.string("no DKIM key for \(domain)")])])
    }

    static func withDomain(_ s: ProofpointStore, _ c: Call, _ body: (String, String) -> SandboxResponse)
        -> SandboxResponse
    {
        guard s.domain(c.org, c["domain"]) != nil else { return incorrectDomain(c.org, c["domain"]) }
        return body(ProofpointStore.key(c.org), ProofpointStore.key(c["domain"]))
    }

    static func createDKIM(_ s: inout ProofpointStore, _ c: Call) -> SandboxResponse {
        let k = ProofpointStore.key(c.org), d = ProofpointStore.key(c["domain"])
        guard s.domain(c.org, d) != nil else { return incorrectDomain(c.org, c["domain"]) }
        let o = c.request.body.isEmpty ? JSONObject() : (c.request.json?.object ?? JSONObject([("", .null)]))
        var errors: [String: String] = [:]
        for (f, v) in o.pairs {
            switch f {
            case "selector":
                if v.string.map({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" } }) != true {
                    errors[f] = "letters, digits and -"
                }
            case "key_size": if ![1024, 2048].contains(v.int ?? 0) { errors[f] = "1024 or 2048" }
            default: errors[f.isEmpty ? "body" : f] = "not a field of a DKIM key"
            }
        }
        if !errors.isEmpty { return invalid(errors) }
        if s.orgs[k]!.dkim[d] != nil { return conflict("domain \(d) already has a DKIM key") }
        let selector = o["selector"]?.string ?? "pp"
        let size = o["key_size"]?.int ?? 2048
        let key = fakeKey(d + selector, size: size)
        let record = JSONObject([
            ("domain", .string(d)), ("selector", .string(selector)), ("key_size", .int(size)), ("is_enabled", false),
            ("public_key", .string(key)), ("txt_name", .string("\(selector)._domainkey.\(d)")),
            ("txt_record", .string("v=DKIM1; k=rsa; p=\(key)"))
        ])
        s.orgs[k]!.dkim[d] = record
        return .json(201, .object(record))
    }

    static func updateDKIM(_ s: inout ProofpointStore, _ c: Call) -> SandboxResponse {
        let k = ProofpointStore.key(c.org), d = ProofpointStore.key(c["domain"])
        guard s.domain(c.org, d) != nil else { return incorrectDomain(c.org, c["domain"]) }
        guard s.orgs[k]!.dkim[d] != nil else { return noKey(d) }
        guard let o = c.request.json?.object else { return badRequest("the body is not a JSON object") }
        var errors: [String: String] = [:]
        for (f, v) in o.pairs where f != "is_enabled" || v.bool == nil {
            errors[f] = f == "is_enabled" ? "true or false" : "not writable (only is_enabled is)"
        }
        if o["is_enabled"] == nil, errors.isEmpty { errors["is_enabled"] = "required, true or false" }
        if !errors.isEmpty { return invalid(errors) }
        s.orgs[k]!.dkim[d]!["is_enabled"] = o["is_enabled"]!
        return .empty(204)
    }

    /// A base64-looking public key, the same for the same domain and selector.
    static func fakeKey(_ seed: String, size: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var h: UInt64 = 1_469_598_103_934_665_603
        for b in seed.utf8 { h = (h ^ UInt64(b)) &* 1_099_511_628_211 }
        var out = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"
        for _ in 0..<(size / 8 - 44) {
            h = h &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            out.append(alphabet[Int(h >> 58)])
        }
        return out + "IDAQAB"
    }
}
