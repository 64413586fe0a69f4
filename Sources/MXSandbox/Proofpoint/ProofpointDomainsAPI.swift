import MXJSON

/// `/orgs/{org}/domains[/{domain}]`: list, create (one, or a batch answered 207),
/// read, replace, delete. A domain the organisation does not have is 403 "incorrect
/// domain" (ProofpointAPI.incorrectDomain), never 404: the documents list no 404.
///
/// The batch (the document's 207 "batch response, individual responses contained
/// within"): POST a JSON list of domains to `/orgs/{org}/domains`; the answer is 207
/// with `{"results": [...]}`, one per item in the order sent: `{"status": 201, "body":
/// the created domain}` or `{"status": 400|409|422, "errors": ...}` (ASSUMED
/// envelope). An empty list is 400.
extension ProofpointAPI {
    static func registerDomains(_ r: inout Router<Handler>) {
        r.add("GET", "/orgs/{org}/domains", listDomains)
        r.add("POST", "/orgs/{org}/domains", { s, c in createDomains(&s, c, named: nil) })
        r.add("GET", "/orgs/{org}/domains/{domain}", getDomain)
        r.add("POST", "/orgs/{org}/domains/{domain}", { s, c in createDomains(&s, c, named: c["domain"]) })
        r.add("PUT", "/orgs/{org}/domains/{domain}", updateDomain)
        r.add("DELETE", "/orgs/{org}/domains/{domain}", deleteDomain)
    }

    static func listDomains(_ s: inout ProofpointStore, _ c: Call) -> SandboxResponse {
        .json(200, ["domains": .array(s.domains(c.org).map(JSON.object))])
    }

    static func getDomain(_ s: inout ProofpointStore, _ c: Call) -> SandboxResponse {
        guard let d = s.domain(c.org, c["domain"]) else { return incorrectDomain(c.org, c["domain"]) }
        return .json(200, .object(d))
    }

    static func deleteDomain(_ s: inout ProofpointStore, _ c: Call) -> SandboxResponse {
        s.removeDomain(c.org, c["domain"]) ? .empty(204) : incorrectDomain(c.org, c["domain"])
    }

    /// A domain body must carry every documented field with the right type.
    static func validateDomain(_ o: JSONObject) -> [String: String] {
        var errors: [String: String] = [:]
        if o["name"]?.string?.isEmpty != false { errors["name"] = "required, a domain name" }
        for key in ["is_active", "is_relay"] where o[key]?.bool == nil { errors[key] = "required, true or false" }
        if o["destination"]?.string == nil { errors["destination"] = "required, a host name or an IP address" }
        if let f = o["failovers"] {
            if f.array?.allSatisfy({ $0.string != nil }) != true {
                errors["failovers"] = "a list of host names or IP addresses"
            }
        } else {
            errors["failovers"] = "required, a list (it may be empty: [])"
        }
        return errors
    }

    static func domainRecord(_ o: JSONObject) -> JSONObject {
        JSONObject([
            ("name", o["name"]!), ("is_active", o["is_active"]!), ("is_relay", o["is_relay"]!),
            ("destination", o["destination"]!), ("failovers", o["failovers"] ?? [])
        ])
    }

    /// POST one domain (201, echoing it) or a batch `[...]` (207, one result per item).
    static func createDomains(_ s: inout ProofpointStore, _ c: Call, named: String?) -> SandboxResponse {
        guard let body = c.request.json else { return badRequest("the body is not valid JSON") }
        if case .array(let items) = body {
            guard named == nil else { return badRequest("a batch is POSTed to /orgs/{org}/domains") }
            guard !items.isEmpty else { return badRequest("the batch is empty") }
            return batch(items.map { item in createDomain(&s, c.org, item.object, named: nil) })
        }
        return createDomain(&s, c.org, body.object, named: named)
    }

    static func createDomain(_ s: inout ProofpointStore, _ org: String, _ o: JSONObject?, named: String?)
        -> SandboxResponse
    {
        guard var o else { return badRequest("a domain is a JSON object") }
        if let named, o["name"] == nil { o["name"] = .string(named) }
        if let named, o["name"]?.string?.lowercased() != named.lowercased() {
            return invalid(["name": "does not match the address (\(named))"])
        }
        let errors = validateDomain(o)
        if !errors.isEmpty { return invalid(errors) }
        let name = o["name"]!.string!.lowercased()
        // The name is unique on the whole platform, not only in this organisation.
        if s.domainExists(name) { return conflict("domain \(name) already exists on the platform") }
        var record = domainRecord(o)
        record["name"] = .string(name)
        s.putDomain(org, record)
        return .json(201, .object(record))
    }

    static func updateDomain(_ s: inout ProofpointStore, _ c: Call) -> SandboxResponse {
        guard let current = s.domain(c.org, c["domain"]) else { return incorrectDomain(c.org, c["domain"]) }
        guard let o = c.request.json?.object else { return badRequest("the body is not a JSON object") }
        let errors = validateDomain(o)
        if !errors.isEmpty { return invalid(errors) }
        let name = current["name"]?.string ?? c["domain"]
        if o["name"]?.string?.lowercased() != name.lowercased() {
            return invalid(["name": "cannot be changed (\(name))"])
        }
        var record = domainRecord(o)
        record["name"] = .string(name)
        s.putDomain(c.org, record)
        return .empty(204)
    }
}
