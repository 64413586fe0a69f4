import MXJSON

/// DKIM of a domain (5.6): one key per domain, answered as the DNS records to publish,
/// `"<selector>._domainkey.<name> TXT v=DKIM1; p=<public key>"`.
///
/// ASSUMED: one record per name the domain answers to (its name, then its aliases; 5.6.3's
/// example shows two names), the same list for POST, PUT and GET. The selector defaults to
/// "protect" (5.6.1-5.6.4, 5.11.1). A `DkimDTO` (6.18) may give `selector`, `publicKey`
/// and `privateKey`; without keys the sandbox makes a 2048-bit-looking public key (not a
/// real key: derived from the domain, so runs repeat). The private key is never answered
/// nor kept. POST on a domain that has a key is a 409 "A DKIM entry may already exist for
/// this domain"; PUT on one without creates it; DELETE on one without is the 404. The
/// sandbox's DNS follows the key at once (health's DKIM test passes after POST or PUT).
extension CleanmailAPI {
    static let dkimForbidden = "You do not have permission to execute this request. (sysadmin required)"
    static let dkimDomainMissing = "A problem occured. The domain may not exist."
    static let dkimDomainMissingNoDot = "A problem occured. The domain may not exist"
    static let dkimNotFound = "No DKIM values found. Or the domain may not exist"

    static func registerDKIM(_ r: inout Router<Route>) {
        r.read("/domains/{domainId}/dkim") { s, c in
            let d = try domain(s, c["domainId"], dkimNotFound)
            guard s.keyed["dkim/\(d)"] != nil else { throw Failure(404, dkimNotFound) }
            return .json(200, dkimRecords(s, d))
        }
        r.write("POST", "/domains/{domainId}/dkim", denied: dkimForbidden) { s, c in
            let d = try domain(s, c["domainId"], dkimDomainMissing)
            let key = try dkimKey(s, c.request, d)
            if s.keyed["dkim/\(d)"] != nil { throw Failure(409, "A DKIM entry may already exist for this domain") }
            setDKIM(&s, d, key)
            return .json(201, dkimRecords(s, d))
        }
        r.write("PUT", "/domains/{domainId}/dkim", denied: dkimForbidden) { s, c in
            let d = try domain(s, c["domainId"], dkimDomainMissing)
            setDKIM(&s, d, try dkimKey(s, c.request, d))
            return .json(200, dkimRecords(s, d))
        }
        r.write("DELETE", "/domains/{domainId}/dkim", denied: dkimForbidden) { s, c in
            let d = try domain(s, c["domainId"], dkimDomainMissingNoDot)
            guard s.keyed["dkim/\(d)"] != nil else { throw Failure(404, dkimDomainMissingNoDot) }
            s.keyed["dkim/\(d)"] = nil
            return .empty(204)
        }
    }

    /// The key a request asks for: its selector and public key.
    static func dkimKey(_ s: CleanmailStore, _ r: SandboxRequest, _ d: Int) throws -> (String, String) {
        let o = r.body.isEmpty ? JSONObject() : try bodyObject(r)
        let selector = try optional(o, "selector") { $0.string } ?? "protect"
        guard !selector.isEmpty, selector.count <= 63,
            selector.allSatisfy({ $0.isLetter && $0.isASCII || $0.isNumber && $0.isASCII || $0 == "-" })
        else {
            throw Failure(400, "Validation failed: selector must be letters, digits and hyphens")
        }
        let base64 = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
        func key(_ name: String) throws -> String? {
            guard let k = try optional(o, name, { $0.string }) else { return nil }
            let compact = k.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == " " })
                .filter {
                    !$0.hasPrefix("-----") && !$0.hasSuffix("-----")
                        && !["BEGIN", "END", "PUBLIC", "PRIVATE", "RSA", "KEY-----"].contains(String($0))
                }
                .joined()
            guard !compact.isEmpty, compact.allSatisfy({ base64.contains($0) }) else {
                throw Failure(400, "Validation failed: \(name) must be a base64 (PEM) key")
            }
            return compact
        }
        let publicKey = try key("publicKey")
        let privateKey = try key("privateKey")
        let seed = privateKey ?? "\(s.domains[d]!["name"]!.string!):\(selector):\(s.clock)"
        return (selector, publicKey ?? generatedPublicKey(seed))
    }

    static func setDKIM(_ s: inout CleanmailStore, _ d: Int, _ key: (String, String)) {
        s.keyed["dkim/\(d)"] = .object(
            JSONObject([("selector", .string(key.0)), ("publicKey", .string(key.1)), ("createdAt", .int(s.now()))]))
        if var dns = s.keyed["dns/\(d)"]?.object, dns["dkim"] != nil {
            dns["dkim"] = nil
            s.keyed["dns/\(d)"] = .object(dns)
        }
    }

    static func dkimRecords(_ s: CleanmailStore, _ d: Int) -> JSON {
        guard let k = s.keyed["dkim/\(d)"] else { return [] }
        let selector = k["selector"]?.string ?? "protect", key = k["publicKey"]?.string ?? ""
        let aliases = (s.domainAliases[d] ?? []).compactMap { s.aliases[$0]?["name"]?.string }.sorted()
        let names = [s.domains[d]!["name"]!.string!] + aliases
        return .array(names.map { .string("\(selector)._domainkey.\($0) TXT v=DKIM1; p=\(key)") })
    }

    /// The shape of an RSA-2048 SubjectPublicKeyInfo in base64, filled from a hash.
    static func generatedPublicKey(_ seed: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var out = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"
        var h = fnv(seed)
        for i in 0..<342 {
            if i % 10 == 0 { h = fnv("\(h):\(i):\(seed)") }
            out.append(alphabet[Int(h % 64)])
            h /= 64
        }
        return out + "IDAQAB"
    }
}
