import MXJSON
import MXModel

/// A domain's DKIM key, `/orgs/{org}/domains/{domain}/dkim` (NOTES.md; every shape
/// ASSUMED, the documents have none): read (GET), made (POST `{"selector", "key_size"}`),
/// switched on or off (PUT `{"is_enabled"}`), removed (DELETE). Functions for the
/// language layer to call; each change says whether it was applied or already as asked.
extension ProofpointAdapter {
    static let dkimKeySizes = [1024, 2048]

    func dkimPath(_ domain: String) -> String { orgPath + "/domains/" + pathSegment(domain) + "/dkim" }

    /// The domain's key (`selector`, `key_size`, `is_enabled`, `public_key`,
    /// `txt_name`, `txt_record`, as answered); nil when the domain has none (404). A
    /// domain the organisation does not have is an error that says so.
    func dkim(of domain: String) throws -> Record? {
        let reply = try api.call(.GET, dkimPath(domain))
        if reply.status == 404 { return nil }
        if ProofpointMapping.isMissingDomain(reply.status, reply.json) {
            throw VendorError.notFound(vendor.name, "domain", domain)
        }
        guard let o = try expect(reply, "read", "the DKIM key of \(domain)").json?.object else {
            throw VendorError(
                vendor: vendor.name, kind: .reply, code: "reply",
                message: "read the DKIM key of \(domain): the answer is not a JSON object")
        }
        return Record(json: o)
    }

    /// Makes the domain's key. The selector and size are checked before sending
    /// (letters, digits and -; 1024 or 2048 bits). A key already there with the
    /// selector and size asked (those given) is already as asked; another is the
    /// conflict, named.
    func createDKIM(of domain: String, selector: String? = nil, keySize: Int? = nil) throws -> ChangeOutcome {
        var body = JSONObject()
        if let selector {
            guard !selector.isEmpty, selector.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
            else {
                throw VendorError(
                    vendor: vendor.name, kind: .invalid, code: "422",
                    message: "a DKIM selector is letters, digits and -",
                    hints: [("selector", "letters, digits and -")])
            }
            body["selector"] = .string(selector)
        }
        if let keySize {
            guard Self.dkimKeySizes.contains(keySize) else {
                throw VendorError(
                    vendor: vendor.name, kind: .invalid, code: "422",
                    message: "a DKIM key is 1024 or 2048 bits, not \(keySize)",
                    hints: [("key_size", "1024 or 2048")])
            }
            body["key_size"] = .int(keySize)
        }
        let asked = { (r: Record) -> Bool in
            (selector.map { r["selector"]?.equals(.string($0)) == true } ?? true)
                && (keySize.map { r["key_size"]?.equals(.number(Double($0))) == true } ?? true)
        }
        if let existing = try dkim(of: domain) {
            if asked(existing) { return .unchanged(.settings(Settings(kind: "dkim", fields: existing))) }
            throw VendorError(
                vendor: vendor.name, kind: .exists, code: "409",
                message: "domain \(domain) already has a DKIM key with another selector or size")
        }
        guard
            let reply = try api.create(
                dkimPath(domain), body: .json(.object(body)), exists: { try dkim(of: domain) != nil })
        else {
            return .applied(try dkim(of: domain).map { .settings(Settings(kind: "dkim", fields: $0)) })
        }
        let made = try expect(reply, "create", "the DKIM key of \(domain)")
        guard let o = made.json?.object else {
            return .applied(try dkim(of: domain).map { .settings(Settings(kind: "dkim", fields: $0)) })
        }
        return .applied(.settings(Settings(kind: "dkim", fields: Record(json: o))))
    }

    /// Switches the key on or off: nothing is sent when it already is as asked.
    func setDKIM(of domain: String, enabled: Bool) throws -> ChangeOutcome {
        guard var key = try dkim(of: domain) else {
            throw VendorError(
                vendor: vendor.name, kind: .notFound, code: "404", message: "domain \(domain) has no DKIM key")
        }
        // Unknown is not "off": a key whose state was not answered is sent the value asked.
        if key["is_enabled"]?.equals(.bool(enabled)) == true {
            return .unchanged(.settings(Settings(kind: "dkim", fields: key)))
        }
        try expect(
            api.call(.PUT, dkimPath(domain), body: .json(["is_enabled": .bool(enabled)])), "update",
            "the DKIM key of \(domain)")
        key["is_enabled"] = .bool(enabled)
        return .applied(.settings(Settings(kind: "dkim", fields: key)))
    }

    /// Removes the key; a domain without one is already as asked.
    func deleteDKIM(of domain: String) throws -> ChangeOutcome {
        let reply = try api.call(.DELETE, dkimPath(domain))
        if reply.status == 404 { return .unchanged(nil) }
        if ProofpointMapping.isMissingDomain(reply.status, reply.json) {
            throw VendorError.notFound(vendor.name, "domain", domain)
        }
        try expect(reply, "delete", "the DKIM key of \(domain)")
        return .applied(nil)
    }
}
