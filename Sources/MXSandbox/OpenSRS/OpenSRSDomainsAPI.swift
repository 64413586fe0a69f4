import MXJSON

/// Domain methods: `get_domain`, `change_domain` (create or update), `delete_domain`
/// and `restore_domain` (soft), `search_domains` (OpenSRSSearchAPI.swift).
///
/// One name is one object's: a domain's name or one domain's alias, never both, and
/// never two domains' aliases (the real service refuses the rest). ASSUMED error
/// numbers, from NOTES.md's list: 3 "Object is an alias" for a domain named like an
/// existing alias; 7 "Object exists" for an alias that is another domain's name or
/// alias; 6 "Attribute is badly formatted" for an alias that is the domain's own name.
///
/// `get_domain` answers, as the document's Example 1, `success`, `settable_attributes`
/// (the document's list), `metadata` {`options`, `bulletins`, `createtime`, `inherit`}
/// and every attribute of the table (null where unset: the company's value in
/// `metadata.inherit` applies). ASSUMED where the document contradicts itself
/// (CONTRADICTIONS.md): the key is `settable_attributes` (both examples), `inherit` sits
/// inside `metadata` (the metadata table), and `options` is answered for a missing
/// domain too (Example 2). A domain that does not exist but could be created answers
/// error 2 with `settable_attributes` and `metadata` {`options`, `defaults`}; a name
/// that is another domain's alias cannot be created and answers error 2 alone.
///
/// `change_domain` takes exactly the settable attributes, each checked against the
/// document's allowed values: an unknown attribute or a value not allowed is error 6
/// "Attribute is badly formatted", an attribute of the table that is not settable is
/// error 4 "No permission for attribute" (ASSUMED numbers, from NOTES.md's list), each
/// with `hints` {attribute: why}.
extension OpenSRSAPI {
    static let settable = JSON.array(OpenSRSAttributes.domainSettable.map(JSON.string))

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
            var o = JSONObject([
                ("success", false), ("error_number", 2), ("error", "The requested object does not exist")
            ])
            if s.aliasOwners[d] == nil {
                o["settable_attributes"] = settable
                o["metadata"] = .object(
                    JSONObject([
                        ("options", .object(OpenSRSAttributes.options)),
                        ("defaults", .object(OpenSRSAttributes.defaults))
                    ]))
            }
            return .json(200, .object(o))
        }
        var attributes = JSONObject()
        for f in OpenSRSAttributes.domainFields { attributes[f] = e.attributes[f] ?? .null }
        // The table: "If a password exists, it is displayed as ****".
        if attributes["password"] != .null { attributes["password"] = "****" }
        return .json(
            200,
            .object(
                JSONObject([
                    ("success", true),
                    ("settable_attributes", settable),
                    (
                        "metadata",
                        .object(
                            JSONObject([
                                ("options", .object(OpenSRSAttributes.options)),
                                ("bulletins", ["manual": [], "auto": []]),
                                ("createtime", .string(String(e.createtime))),
                                ("inherit", .object(OpenSRSAttributes.inherit))
                            ]))
                    ),
                    ("attributes", .object(attributes))
                ])))
    }

    static func changeDomain(_ s: inout OpenSRSStore, _ body: JSONObject) -> SandboxResponse {
        guard let d = name(body, "domain"), d.contains(".") else {
            return badlyFormatted("domain", "required, a domain name")
        }
        if let a = body["attributes"], a != .null, a.object == nil {
            return badlyFormatted("attributes", "an object of attributes")
        }
        let attributes = body["attributes"]?.object ?? JSONObject()
        if let refused = OpenSRSAttributes.checkDomain(attributes).response() { return refused }
        let aliases = attributes["aliases"].map { OpenSRSStore.aliases(OpenSRSStore.normalised(["aliases": $0])) }
        // The table: "The maximum number of aliases is 2000."
        if let aliases, aliases.count > 2000 { return failure(16, "Domain aliases full") }
        if let owner = s.aliasOwners[d], owner != d {
            return failure(3, "Object is an alias", hints: ["domain": .string("\(d) is an alias of \(owner)")])
        }
        if let aliases, let refused = aliasConflict(s, domain: d, aliases) { return refused }
        if let e = s.domains[d], !e.deleted {
            if body["create_only"]?.bool == true { return failure(23, "Object already exists") }
            let before = e.attributes
            s.updateDomain(d, attributes)
            record(
                &s, body, kind: "domain", object: d, method: "change_domain", action: "change",
                diff(before, s.domains[d]!.attributes, given: attributes))
        } else {
            s.createDomain(d, attributes)
            record(
                &s, body, kind: "domain", object: d, method: "change_domain", action: "create",
                diff(nil, s.domains[d]!.attributes, given: attributes))
        }
        return success
    }

    /// The first alias `domain` may not have, as the service answers it; nil when all may.
    static func aliasConflict(_ s: OpenSRSStore, domain: String, _ aliases: [String]) -> SandboxResponse? {
        for a in aliases {
            if a == domain {
                return failure(
                    6, "Attribute is badly formatted", hints: ["aliases": .string("\(a) is the domain itself")])
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
    /// ASSUMED (NOTES.md names the method only): restoring a domain that is not deleted
    /// answers as for one that does not exist (error 2): there is no deleted domain.
    static func setDomainDeleted(_ s: inout OpenSRSStore, _ body: JSONObject, _ deleted: Bool) -> SandboxResponse {
        guard let d = name(body, "domain") else { return badlyFormatted("domain", "required") }
        guard let e = s.domains[d], e.deleted != deleted else {
            return failure(2, "The requested object does not exist")
        }
        if deleted, s.hasLiveUsers(d) { return failure(10, "Object is not empty") }
        s.domains[d]!.deleted = deleted
        record(
            &s, body, kind: "domain", object: d, method: deleted ? "delete_domain" : "restore_domain",
            action: deleted ? "delete" : "restore",
            ["deleted": .object(JSONObject([("old", .bool(!deleted)), ("new", .bool(deleted))]))])
        return success
    }
}
