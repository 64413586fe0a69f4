import MXJSON

/// `/orgs/{org}/users[/{email}]`. ASSUMED user record shape (the documents here cover
/// domains only): the public API's `primary_email`, `firstname`, `surname`, `uid`,
/// `type`, `is_active`, `alias_emails`.
extension ProofpointAPI {
    static func registerUsers(_ r: inout Router<Handler>) {
        r.add("GET", "/orgs/{org}/users", { s, c in .json(200, ["users": .array(s.users(c.org).map(JSON.object))]) })
        r.add("POST", "/orgs/{org}/users", createUsers)
        r.add("GET", "/orgs/{org}/users/{email}", getUser)
        r.add("PUT", "/orgs/{org}/users/{email}", updateUser)
        r.add("DELETE", "/orgs/{org}/users/{email}", { s, c in s.removeUser(c.org, c["email"]) ? .empty(204) : notFound() })
    }

    static func getUser(_ s: inout ProofpointStore, _ c: Call) -> SandboxResponse {
        guard let u = s.user(c.org, c["email"]) else { return notFound() }
        return .json(200, .object(u))
    }

    /// One user (201 or its error) or a batch `[...]` (207, one result per item).
    static func createUsers(_ s: inout ProofpointStore, _ c: Call) -> SandboxResponse {
        guard let body = c.request.json else { return badRequest("the body is not valid JSON") }
        let items = body.array ?? [body]
        var results: [JSON] = []
        for item in items {
            guard let o = item.object, let email = o["primary_email"]?.string, email.contains("@") else {
                results.append(.object(JSONObject([("status", 422), ("errors", ["primary_email": "required, an email address"])])))
                continue
            }
            let domain = String(email.split(separator: "@").last ?? "")
            if s.domain(c.org, domain) == nil {
                results.append(.object(JSONObject([("status", 422), ("errors", ["primary_email": .string("domain \(domain) is not in the organisation")])])))
            } else if s.user(c.org, email) != nil {
                results.append(.object(JSONObject([("status", 409), ("errors", [.string("user \(email) already exists")])])))
            } else {
                s.putUser(c.org, o)
                results.append(.object(JSONObject([("status", 201), ("body", .object(o))])))
            }
        }
        if body.array == nil {
            let only = results[0]
            let status = only["status"]?.int ?? 500
            return .json(status, status == 201 ? only["body"]! : .object(JSONObject([("errors", only["errors"] ?? .null)])))
        }
        return .json(207, ["results": .array(results)])
    }

    /// Merges the members given; the address does not change.
    static func updateUser(_ s: inout ProofpointStore, _ c: Call) -> SandboxResponse {
        guard var u = s.user(c.org, c["email"]) else { return notFound() }
        guard let o = c.request.json?.object else { return badRequest("the body is not a JSON object") }
        for (k, v) in o.pairs where k != "primary_email" { u[k] = v }
        s.putUser(c.org, u)
        return .empty(204)
    }
}
