import MXJSON

/// Domain methods: `get_domain`, `change_domain` (create or update), `delete_domain`
/// and `restore_domain` (soft), `search_domains` (OpenSRSSearchAPI.swift).
///
/// One name is one object's: a domain's name or one domain's alias, never both, and
/// never two domains' aliases (the real service refuses the rest). ASSUMED error
/// numbers, from NOTES.md's list: 3 "Object is an alias" for a domain named like an
/// existing alias; 7 "Object exists" for an alias that is another domain's name or
/// alias; 6 "Attribute is badly formatted" for an alias that is the domain's own name.
extension OpenSRSAPI {
    /// Attributes `change_domain` accepts (the document's attribute table).
    static let domainAttributes: Set<String> = [
        "aliases", "allow", "block", "brand", "catchall", "disabled", "filterdelivery", "filtermx", "language",
        "limit_aliases", "limit_users", "notes_external", "password_strength", "quota", "quota_maximum", "regen_passwords",
        "service_smtpin", "service_smtprelay", "service_smtprelay_webmail", "service_webmail", "smtp_sent_limit",
        "spamfolder", "spamheader", "spamlevel", "spamtag", "timezone", "wm_domainalias", "workgroup",
    ]
    static let settable = JSON.array(domainAttributes.sorted().map(JSON.string))

    static func registerDomains(_ r: inout Router<Handler>) {
        r.add("POST", "/get_domain", getDomain)
        r.add("POST", "/change_domain", changeDomain)
        r.add("POST", "/delete_domain", { s, b in setDomainDeleted(&s, b, true) })
        r.add("POST", "/restore_domain", { s, b in setDomainDeleted(&s, b, false) })
        r.add("POST", "/search_domains", { s, b in search(&s, b, users: false) })
    }

    static func getDomain(_ s: inout OpenSRSStore, _ body: JSONObject) -> SandboxResponse {
        guard let d = name(body, "domain") else { return badlyFormatted("domain", "required") }
        guard let e = s.domains[d], !e.deleted else {
            return .json(200, .object(JSONObject([("success", false), ("error_number", 2), ("error", "The requested object does not exist"),
                                                  ("settable_attributes", settable)])))
        }
        return .json(200, .object(JSONObject([
            ("success", true),
            ("settable_attributes", settable),
            ("metadata", .object(JSONObject([("createtime", .string(String(e.createtime))),
                                             ("bulletins", ["manual": [], "auto": []])]))),
            ("attributes", .object(e.attributes)),
        ])))
    }

    static func changeDomain(_ s: inout OpenSRSStore, _ body: JSONObject) -> SandboxResponse {
        guard let d = name(body, "domain"), d.contains(".") else { return badlyFormatted("domain", "required, a domain name") }
        let attributes = body["attributes"]?.object ?? JSONObject()
        var hints = JSONObject()
        for (k, v) in attributes.pairs {
            if !domainAttributes.contains(k) { hints[k] = "not a settable attribute"; continue }
            if ["aliases", "allow", "block"].contains(k), v.array?.allSatisfy({ $0.string != nil }) != true { hints[k] = "a list of strings" }
            if k == "disabled", v.bool == nil { hints[k] = "true or false" }
        }
        if hints.count > 0 { return failure(6, "Attribute is badly formatted", hints: hints) }
        let aliases = attributes["aliases"].map { OpenSRSStore.aliases(OpenSRSStore.normalised(["aliases": $0])) }
        if let aliases, aliases.count > 2000 { return failure(16, "Domain aliases full") }
        if let owner = s.aliasOwners[d], owner != d {
            return failure(3, "Object is an alias", hints: ["domain": .string("\(d) is an alias of \(owner)")])
        }
        if let aliases, let refused = aliasConflict(s, domain: d, aliases) { return refused }
        if let e = s.domains[d], !e.deleted {
            if body["create_only"]?.bool == true { return failure(23, "Object already exists") }
            s.updateDomain(d, attributes)
        } else {
            s.createDomain(d, attributes)
        }
        return success
    }

    /// The first alias `domain` may not have, as the service answers it; nil when all may.
    static func aliasConflict(_ s: OpenSRSStore, domain: String, _ aliases: [String]) -> SandboxResponse? {
        for a in aliases {
            if a == domain {
                return failure(6, "Attribute is badly formatted", hints: ["aliases": .string("\(a) is the domain itself")])
            }
            if s.domains[a] != nil {
                return failure(7, "Object exists", hints: ["aliases": .string("\(a) is a domain")])
            }
            if let owner = s.aliasOwners[a], owner != domain {
                return failure(7, "Object exists", hints: ["aliases": .string("\(a) is an alias of \(owner)")])
            }
        }
        return nil
    }

    /// `delete_domain` refuses a domain with live users (error 10). A deleted domain's
    /// name and aliases stay taken, so `restore_domain` has nothing to conflict with.
    static func setDomainDeleted(_ s: inout OpenSRSStore, _ body: JSONObject, _ deleted: Bool) -> SandboxResponse {
        guard let d = name(body, "domain") else { return badlyFormatted("domain", "required") }
        guard let e = s.domains[d], e.deleted != deleted else { return failure(2, "The requested object does not exist") }
        if deleted, s.hasLiveUsers(d) { return failure(10, "Object is not empty") }
        s.domains[d]!.deleted = deleted
        return success
    }
}
