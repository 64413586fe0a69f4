import MXJSON

/// `DomainSettings`: the domains as read, and their credentials as the one thing
/// AD360 lets a client change.
extension AD360API {
    static func registerDomains(_ r: inout Router<Handler>) {
        r.add("GET", "/DomainSettings/getDomains", { s, _ in .json(200, .array(s.domains.map(JSON.object))) })
        r.add("POST", "/DomainSettings/updateDomainCredential", updateCredentials)
    }

    static func updateCredentials(_ s: inout AD360Store, _ r: SandboxRequest) -> SandboxResponse {
        // The document: DOMAINS is mandatory, a JSON list; each item's DOMAIN_NAME is.
        guard let items = formJSON(r, "DOMAINS")?.array, !items.isEmpty else { return fail("CE001", 400) }
        func result(_ o: JSONObject) -> JSON { .string(JSON.object(o).text) }
        var results = JSONObject()
        for item in items {
            guard let name = item["DOMAIN_NAME"]?.string, !name.isEmpty else {
                results["--"] = result(JSONObject([("DOMAIN_STATUS", "FAILURE"), ("ERROR_MSG", "INVALID_DOMAIN")]))
                continue
            }
            guard let i = s.domainIndex(name) else {
                results[name] = result(JSONObject([("DOMAIN_STATUS", "FAILURE"), ("ERROR_MSG", "INVALID_DOMAIN")]))
                continue
            }
            // ASSUMED: a domain without a reachable controller (an empty DC_LIST) is the
            // document's DOMAIN_NOT_AVAILABLE (its example shows another code: CONTRADICTIONS.md).
            if s.domains[i]["DC_LIST"]?.array?.isEmpty == true {
                results[name] = result(
                    JSONObject([("DOMAIN_STATUS", "FAILURE"), ("ERROR_MSG", "DOMAIN_NOT_AVAILABLE")]))
                continue
            }
            let user = item["USER_NAME"]?.string ?? ""
            let password = item["USER_PASSWORD"]?.string ?? ""
            // ASSUMED: a credential with a user but no password cannot be verified.
            if !user.isEmpty && password.isEmpty {
                results[name] = result(
                    JSONObject([("DOMAIN_STATUS", "FAILURE"), ("ERROR_MSG", "INVALID_OR_INSUFFICIENT_CREDENTIAL")]))
                continue
            }
            s.setCredential(i, user: user, password: password)
            results[name] = result(JSONObject([("DOMAIN_STATUS", "SUCCESS")]))
        }
        // As documented: the per-domain results are JSON text inside the JSON.
        return .json(200, .object(JSONObject([("STATUS", "SUCCESS"), ("DOMAINS", .object(results))])))
    }
}
