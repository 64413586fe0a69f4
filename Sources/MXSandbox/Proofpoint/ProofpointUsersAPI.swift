import MXJSON

/// `/orgs/{org}/users[/{email}]`. ASSUMED user record shape (the documents here cover
/// domains only): the public API's `primary_email`, `firstname`, `surname`, `uid`,
/// `type`, `is_active`, `alias_emails`, and the user's sender lists
/// `white_list_senders` / `black_list_senders` (NOTES.md: one public client names them
/// `safe_list_senders` / `block_list_senders`; the sandbox answers and takes the
/// white/black names only, and refuses the others as unknown, 422).
///
/// Checked on POST and PUT (422 with field errors): the lists are lists of text; an
/// alias is an address in one of the organisation's domains (422) that no other user
/// has as its address or alias (409); `type` is one of `userTypes`. A missing user is
/// 404 (ASSUMED: the documents' 403 "incorrect domain" is about domains). POST of a
/// JSON list is the documented 207 batch (ProofpointAPI.batch).
extension ProofpointAPI {
    static let userFields: Set<String> = [
        "primary_email", "firstname", "surname", "uid", "type", "is_active", "alias_emails",
        "white_list_senders", "black_list_senders", "send_welcome_email"
    ]
    static let userTypes = ["end_user", "silent_user", "organization_admin", "functional_account"]

    static func registerUsers(_ r: inout Router<Handler>) {
        r.add("GET", "/orgs/{org}/users", { s, c in .json(200, ["users": .array(s.users(c.org).map(JSON.object))]) })
        r.add("POST", "/orgs/{org}/users", createUsers)
        r.add("GET", "/orgs/{org}/users/{email}", getUser)
        r.add("PUT", "/orgs/{org}/users/{email}", updateUser)
        r.add(
            "DELETE", "/orgs/{org}/users/{email}",
            { s, c in s.removeUser(c.org, c["email"]) ? .empty(204) : userNotFound(c["email"]) })
    }

    static func userNotFound(_ email: String) -> SandboxResponse {
        .json(404, ["errors": .array([.string("user \(email) not found")])])
    }

    static func getUser(_ s: inout ProofpointStore, _ c: Call) -> SandboxResponse {
        guard let u = s.user(c.org, c["email"]) else { return userNotFound(c["email"]) }
        return .json(200, .object(u))
    }

    /// Field errors of a user body (all members optional but those `required`).
    static func userErrors(_ o: JSONObject, org: String, _ s: ProofpointStore) -> [String: String] {
        var errors: [String: String] = [:]
        for (k, v) in o.pairs {
            if !userFields.contains(k) { errors[k] = "not a field of a user"; continue }
            switch k {
            case "alias_emails", "white_list_senders", "black_list_senders":
                if v.array?.allSatisfy({ $0.string?.isEmpty == false }) != true { errors[k] = "a list of addresses" }
            case "is_active", "send_welcome_email":
                if v.bool == nil { errors[k] = "true or false" }
            case "type":
                if !(v.string.map(userTypes.contains) ?? false) {
                    errors[k] = "one of: " + userTypes.joined(separator: ", ")
                }
            case "firstname", "surname":
                if v != .null, v.string == nil { errors[k] = "text" }
            default: break
            }
        }
        if errors["alias_emails"] == nil, let aliases = o["alias_emails"]?.array?.compactMap(\.string) {
            for a in aliases {
                let domain = String(a.split(separator: "@").last ?? "")
                if !a.contains("@") || s.domain(org, domain) == nil {
                    errors["alias_emails"] = "\(a) is not an address in a domain of the organisation"
                    break
                }
            }
        }
        return errors
    }

    /// The first alias another user of the organisation already has, if any (409).
    static func takenAlias(_ o: JSONObject, of email: String, org: String, _ s: ProofpointStore) -> SandboxResponse? {
        for a in o["alias_emails"]?.array?.compactMap(\.string) ?? [] {
            if let owner = s.owner(of: a, in: org), owner != ProofpointStore.key(email) {
                return conflict("\(a) is already an address of \(owner)")
            }
        }
        return nil
    }

    /// One user (201 or its error) or a batch `[...]` (207, one result per item).
    static func createUsers(_ s: inout ProofpointStore, _ c: Call) -> SandboxResponse {
        guard let body = c.request.json else { return badRequest("the body is not valid JSON") }
        if let items = body.array {
            guard !items.isEmpty else { return badRequest("the batch is empty") }
            return batch(items.map { createUser(&s, c.org, $0.object) })
        }
        return createUser(&s, c.org, body.object)
    }

    static func createUser(_ s: inout ProofpointStore, _ org: String, _ o: JSONObject?) -> SandboxResponse {
        guard var o else { return badRequest("a user is a JSON object") }
        guard let email = o["primary_email"]?.string, email.split(separator: "@").count == 2 else {
            return invalid(["primary_email": "required, an email address"])
        }
        let domain = String(email.split(separator: "@")[1])
        var errors = userErrors(o, org: org, s)
        if s.domain(org, domain) == nil { errors["primary_email"] = "domain \(domain) is not in the organisation" }
        if !errors.isEmpty { return invalid(errors) }
        if s.user(org, email) != nil || s.owner(of: email, in: org) != nil {
            return conflict("user \(email) already exists")
        }
        if let taken = takenAlias(o, of: email, org: org, s) { return taken }
        if o["uid"] == nil { o["uid"] = .string(String(2000 + s.users(org).count + s.orgOrder.count * 100)) }
        if o["type"] == nil { o["type"] = "end_user" }
        if o["is_active"] == nil { o["is_active"] = true }
        // ASSUMED: the lists are always answered, empty when none were given.
        for list in ["alias_emails", "white_list_senders", "black_list_senders"] where o[list] == nil { o[list] = [] }
        o["send_welcome_email"] = nil
        s.putUser(org, o)
        return .json(201, .object(s.user(org, email)!))
    }

    /// Merges the members given; the address does not change.
    static func updateUser(_ s: inout ProofpointStore, _ c: Call) -> SandboxResponse {
        guard var u = s.user(c.org, c["email"]) else { return userNotFound(c["email"]) }
        guard let o = c.request.json?.object else { return badRequest("the body is not a JSON object") }
        var errors = userErrors(o, org: c.org, s)
        if let p = o["primary_email"], p.string.map(ProofpointStore.key) != ProofpointStore.key(c["email"]) {
            errors["primary_email"] = "cannot be changed (\(c["email"]))"
        }
        if !errors.isEmpty { return invalid(errors) }
        if let taken = takenAlias(o, of: c["email"], org: c.org, s) { return taken }
        for (k, v) in o.pairs where k != "primary_email" && k != "send_welcome_email" { u[k] = v }
        s.putUser(c.org, u)
        return .empty(204)
    }
}
