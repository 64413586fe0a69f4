import MXJSON

/// Options of a domain (5.5.4/10/14) and of a user (5.14.2/6/8): `Option` (6.40), a
/// value for this scope, the parent scope's value, and the option's definition
/// (`OptionDef`, 6.42). Lists answer `X-Total-Count` as the examples do.
///
/// ASSUMED: the catalog (`optionCatalog`) has the document's four options plus three
/// believable ones; "GET /options" (which 5.5.14 points to) is not in section 5, so the
/// catalog is only seen through the lists. A list shows every option of its scope, set or
/// not (`value` null, as APP_URL in 5.5.10). The platform's defaults are the parents of
/// a domain; the domain's value (else the platform's) the parent of a user (6.40).
/// DOMAIN_ADMIN's default is 5.5.10's "noreply@cleanmail.eu" (5.5.14 says
/// "support@cleanmail.tld"). Unknown option: 404 "Option not found with given name";
/// an option of another scope: 422; a value not of the option's type: 400; deleting a
/// value never set: 204.
extension CleanmailAPI {
    struct OptionDef {
        let name: String, type: String, domain: Bool, user: Bool, restricted: Bool, parent: String?
        var values: [String]? = nil
        var description: String? = nil
        var customer = false

        var json: JSON {
            .object(
                JSONObject([
                    ("ptfScope", true), ("urlScope", false), ("customerScope", .bool(customer)),
                    ("domainScope", .bool(domain)),
                    ("userScope", .bool(user)), ("restricted", .bool(restricted)), ("group", .null),
                    ("name", .string(name)),
                    ("type", .string(type)), ("values", values.map { .array($0.map(JSON.string)) } ?? .null),
                    ("description", description.map(JSON.string) ?? .null)
                ]))
        }
    }

    static let optionCatalog: [OptionDef] = [
        OptionDef(
            name: "APP_URL", type: "HOST", domain: true, user: false, restricted: true, parent: "protect.cleanmail.eu",
            customer: true),
        OptionDef(
            name: "DOMAIN_OPTION_EXAMPLE", type: "STRING", domain: true, user: false, restricted: false,
            parent: "value_by_default"),
        OptionDef(
            name: "DOMAIN_ADMIN", type: "EMAIL", domain: true, user: false, restricted: false,
            parent: "noreply@cleanmail.eu"),
        OptionDef(
            name: "TIMEZONE", type: "TIMEZONE", domain: true, user: true, restricted: false, parent: "Europe/Paris",
            description: "Time zone of dates in reports"),
        OptionDef(
            name: "QUARANTINE_REPORT_FREQUENCY", type: "LIST", domain: true, user: true, restricted: false,
            parent: "DAILY",
            values: ["NEVER", "DAILY", "WEEKLY"], description: "How often the quarantine report is mailed"),
        OptionDef(
            name: "SPAM_REPORT_ENABLED", type: "BOOL", domain: true, user: true, restricted: false, parent: "true"),
        OptionDef(
            name: "USER_OPTION_EXAMPLE", type: "STRING", domain: false, user: true, restricted: false, parent: "0")
    ]

    static func registerOptions(_ r: inout Router<Route>) {
        r.read("/domains/{domainId}/options") { s, c in
            listOptions(s, .domain(try domain(s, c["domainId"], Message.domainNotFound)))
        }
        r.write("POST", "/domains/{domainId}/options") { s, c in
            try setOption(&s, c.request, .domain(try domain(s, c["domainId"], Message.domainNotFound)))
        }
        r.write("DELETE", "/domains/{domainId}/options/{optionName}") { s, c in
            try deleteOption(&s, c["optionName"], .domain(try domain(s, c["domainId"], Message.domainNotFound)))
        }
        r.read("/users/{userId}/options") { s, c in
            listOptions(s, .user(try user(s, c["userId"], Message.userNotFound)))
        }
        r.write("POST", "/users/{userId}/options") { s, c in
            try setOption(&s, c.request, .user(try user(s, c["userId"], Message.userNotFound)))
        }
        r.write("DELETE", "/users/{userId}/options/{optionName}") { s, c in
            try deleteOption(&s, c["optionName"], .user(try user(s, c["userId"], Message.userNotFound)))
        }
    }

    static func inScope(_ o: OptionDef, _ owner: Owner) -> Bool {
        if case .domain = owner { return o.domain }
        return o.user
    }

    static func optionValues(_ s: CleanmailStore, _ owner: Owner) -> JSONObject {
        s.keyed[CleanmailStore.key("options", owner)]?.object ?? JSONObject()
    }

    static func renderOption(_ s: CleanmailStore, _ o: OptionDef, _ owner: Owner) -> JSON {
        var parent = o.parent.map(JSON.string) ?? .null
        if case .user(let u) = owner, let d = s.num(s.users[u]?["domainId"]),
            let v = optionValues(s, .domain(d))[o.name], o.domain
        {
            parent = v
        }
        return .object(
            JSONObject([("value", optionValues(s, owner)[o.name] ?? .null), ("parentValue", parent), ("option", o.json)]
            ))
    }

    static func listOptions(_ s: CleanmailStore, _ owner: Owner) -> SandboxResponse {
        let list = optionCatalog.filter { inScope($0, owner) }
        return .json(
            200, .array(list.map { renderOption(s, $0, owner) }),
            headers: [("Access-Control-Expose-Headers", "X-Total-Count"), ("X-Total-Count", String(list.count))])
    }

    static func optionDef(_ name: String, _ owner: Owner) throws -> OptionDef {
        guard let o = optionCatalog.first(where: { $0.name == name }) else {
            throw Failure(404, "Option not found with given name")
        }
        guard inScope(o, owner) else {
            throw Failure(
                422,
                Message.conditions
                    + " Option \(name) cannot be set on a \(owner.key.hasPrefix("user") ? "user" : "domain").")
        }
        return o
    }

    /// `OptionAdd` (6.41): name and value, both required. 201 with the `Option`.
    static func setOption(_ s: inout CleanmailStore, _ r: SandboxRequest, _ owner: Owner) throws -> SandboxResponse {
        let o = try bodyObject(r)
        let name = try required(o, "name") { $0.string }
        let value = try required(o, "value") { $0.string }
        let def = try optionDef(name, owner)
        guard validOptionValue(value, def) else {
            throw Failure(400, "Invalid value for option \(name) of type \(def.type)")
        }
        var values = optionValues(s, owner)
        values[name] = .string(value)
        s.keyed[CleanmailStore.key("options", owner)] = .object(values)
        return .json(201, renderOption(s, def, owner))
    }

    static func deleteOption(_ s: inout CleanmailStore, _ name: String, _ owner: Owner) throws -> SandboxResponse {
        _ = try optionDef(name, owner)
        var values = optionValues(s, owner)
        values[name] = nil
        s.keyed[CleanmailStore.key("options", owner)] = values.count == 0 ? nil : .object(values)
        return .empty(204)
    }

    static func validOptionValue(_ v: String, _ o: OptionDef) -> Bool {
        switch o.type {
        case "EMAIL": return isEmail(v)
        case "HOST": return isHost(v)
        case "BOOL": return v == "true" || v == "false"
        case "LIST": return o.values?.contains(v) ?? true
        case "URL": return v.hasPrefix("https://") || v.hasPrefix("http://")
        case "TIMEZONE": return v == "UTC" || v.contains("/")
        default: return true
        }
    }
}
