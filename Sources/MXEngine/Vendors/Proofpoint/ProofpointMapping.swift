import MXJSON
import MXModel

/// Proofpoint Essentials records <-> neutral objects (DESIGN.md's mapping table):
/// `name`, `is_active` -> status, `destination`, `failovers`, `is_relay` -> relay.
enum ProofpointMapping {
    static func domain(_ o: JSONObject) -> Domain {
        Domain(
            name: o["name"]?.string ?? "", status: o["is_active"]?.bool == false ? .disabled : .enabled,
            destination: o["destination"]?.string, failovers: o["failovers"]?.strings,
            relay: o["is_relay"]?.bool, raw: Record(json: o))
    }

    /// The whole record PUT and POST require (every field is mandatory there).
    static func record(_ d: Domain) -> JSON {
        .object(
            JSONObject([
                ("name", .string(d.name)), ("is_active", .bool(d.status != .disabled)),
                ("is_relay", .bool(d.relay ?? false)), ("destination", .string(d.destination ?? "")),
                ("failovers", .array((d.failovers ?? []).map(JSON.string)))
            ]))
    }

    /// ASSUMED user record (the documents cover domains only): the public API's
    /// `primary_email`, `firstname`, `surname`, `is_active`, `alias_emails`.
    static func user(_ o: JSONObject) -> User {
        let name = [o["firstname"]?.string, o["surname"]?.string].compactMap { $0 }.filter { !$0.isEmpty }.joined(
            separator: " ")
        return User(
            email: o["primary_email"]?.string ?? "", name: name.isEmpty ? nil : name,
            status: o["is_active"]?.bool == false ? .disabled : .enabled,
            // A list the answer lacks is unknown (nil), never empty.
            aliases: o["alias_emails"]?.strings, raw: Record(json: o))
    }

    /// The user's record to send: `base` (what was read, with the vendor's own fields
    /// as set) and the neutral fields. What is unknown (aliases not returned, no name
    /// read) is left as the vendor has it, never sent as empty.
    /// `status`: whether `is_active` is written (not when it was never read).
    static func userRecord(_ u: User, base: JSONObject = JSONObject(), status: Bool = true) -> JSON {
        var o = base
        o["primary_email"] = .string(u.email)
        if u.name != nil || base["firstname"] != nil || base["surname"] != nil {
            let parts = (u.name ?? "").split(separator: " ", maxSplits: 1).map(String.init)
            o["firstname"] = .string(parts.first ?? "")
            o["surname"] = .string(parts.count > 1 ? parts[1] : "")
        }
        if status { o["is_active"] = .bool(u.status != .disabled) }
        if let aliases = u.aliases { o["alias_emails"] = .array(aliases.map(JSON.string)) }
        return .object(o)
    }

    /// A record's members as JSON (the language's values back in the vendor's form).
    static func json(_ r: Record) -> JSONObject { JSONObject(r.pairs.compactMap { k, v in v.json.map { (k, $0) } }) }

    /// The documents' meaning of each status, for error messages.
    static func meaning(_ status: Int) -> String {
        switch status {
        case 400: return "bad request"
        case 401: return "invalid credentials"
        case 403: return "not authorized for this organisation"
        case 404: return "not found"
        case 409: return "already exists on the platform"
        case 422: return "invalid request data"
        case 429: return "too many requests"
        default: return status >= 500 ? "server error" : "HTTP \(status)"
        }
    }

    /// What each status means for the engine. 404 is not in the documents (a missing
    /// domain is 400 or 403 there: CONTRADICTIONS.md); ASSUMED as the REST reading.
    static func kind(_ status: Int, _ body: JSON? = nil) -> VendorError.Kind {
        isMissingDomain(status, body) ? .notFound : .ofHTTP(status)
    }

    /// The documents answer a missing domain with 403 "incorrect domain" (or "not
    /// associated with the domain"), not 404 (CONTRADICTIONS.md); a 403 that says
    /// neither is an organisation the credentials do not reach, and stays refused.
    static func isMissingDomain(_ status: Int, _ body: JSON?) -> Bool {
        if status == 404 { return true }
        guard status == 403, let text = details(body)?.lowercased() else { return false }
        return text.contains("incorrect domain") || text.contains("not associated with the domain")
    }

    /// `{"errors": [...]}` or `{"errors": {field: why}}` as one line.
    static func details(_ body: JSON?) -> String? {
        guard let errors = body?["errors"] else { return body?["error"]?.string ?? body?["message"]?.string }
        if let list = errors.strings, !list.isEmpty { return list.joined(separator: "; ") }
        if let fields = errors.object, fields.count > 0 {
            return fields.pairs.map { "\($0.0): \($0.1.string ?? $0.1.text)" }.joined(separator: "; ")
        }
        return nil
    }
}
