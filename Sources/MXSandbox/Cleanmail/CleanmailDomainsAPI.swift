import MXJSON

/// Domains (5.5): list, create (with a default policy), read, edit
/// (CleanmailDomainPatch.swift), delete. A domain's name shares one namespace with
/// every domain alias: a name is one domain's or one alias's, compared without case.
extension CleanmailAPI {
    static func registerDomains(_ r: inout Router<Route>) {
        r.read("/domains", listDomains)
        r.write("POST", "/domains", denied: Message.createDomainForbidden) { s, c in
            let id = try createDomain(&s, try bodyObject(c.request))
            return .json(201, renderDomain(s, id), headers: location(c.request, "/domains/\(CleanmailID.encode(id))"))
        }
        r.read("/domains/{domainId}") { s, c in
            .json(200, renderDomain(s, try domain(s, c["domainId"], Message.domainNotFound)))
        }
        r.write("PATCH", "/domains/{domainId}", patchDomain)
        r.write("DELETE", "/domains/{domainId}", denied: Message.sysadmin, deleteDomain)
    }

    static let domainSortFields: Set<String> = [
        "id", "name", "description", "status", "wblistPriority", "defaultLanguage",
        "autoProvisioningOn", "senderVerifyOn", "externalId", "creationDate",
        "deletionDate", "purgeDate"
    ]

    /// ASSUMED: every domain belongs to the one customer of the sandbox's account.
    static let customerID = 1
    static let customer = JSONObject([
        ("id", .string(CleanmailID.encode(customerID))), ("brokerId", .string(CleanmailID.encode(customerID))),
        ("name", "Sandbox"), ("description", .null), ("externalId", .null),
        ("createdAt", .int(CleanmailSimulation.epoch))
    ])

    static func domain(_ s: CleanmailStore, _ id: String, _ missing: String) throws -> Int {
        guard let n = CleanmailID.decode(id), s.domains[n] != nil else { throw Failure(404, missing) }
        return n
    }

    static func listDomains(_ s: inout CleanmailStore, _ c: Call) throws -> SandboxResponse {
        let r = c.request
        let q = try listQuery(r, defaultSort: "name", fields: domainSortFields, type: "Domain")
        let filter = try singleFilter(r, ["name", "status", "customerId", "externalId", "platformId", "platformName"])
        if let (field, value) = filter, field == "status", !domainStatuses.contains(value) {
            // ASSUMED: an unknown status is a 400 (the enum does not convert).
            throw Failure(
                400,
                "Failed to convert value of parameter 'status': '\(value)' is not one of "
                    + "\(domainStatuses.joined(separator: ", "))"
            )
        }
        return try page(
            &s, r, q,
            { s in
                let ids = Array(s.domains.keys)
                guard let (field, value) = filter else { return ids }
                func platforms(_ id: Int) -> [JSON] { s.domains[id]!["platforms"]?.array ?? [] }
                switch field {
                case "name": return ids.filter { matches(s.domains[$0]!["name"]?.string ?? "", value) }
                case "platformId": return ids.filter { platforms($0).contains { $0["id"]?.string == value } }
                // ASSUMED: wildcards as for names.
                case "platformName":
                    return ids.filter { platforms($0).contains { matches($0["name"]?.string ?? "", value) } }
                default: return ids.filter { s.domains[$0]![field]?.string == value }  // status, customerId, externalId
                }
            }, key: { s, id, f in f == "id" ? .int(id) : s.domains[id]![f] ?? .null }, render: renderDomain)
    }

    /// A `Domain` (6.19) in the examples' key order: the stored record, with what is
    /// derived from the domain's policies, aliases and users.
    static func renderDomain(_ s: CleanmailStore, _ id: Int) -> JSON {
        let d = s.domains[id]!
        let own = (s.domainPolicies[id] ?? []).compactMap { s.policies[$0] }
        func any(_ k: String) -> JSON { .bool(own.contains { $0[k]?.bool == true }) }
        let active = (s.domainUsers[id] ?? []).filter { s.users[$0]?["status"]?.string == "ENABLED" }.count
        let aliasList = (s.domainAliases[id] ?? []).compactMap { s.aliases[$0] }
            .sorted { ($0["name"]?.string ?? "") < ($1["name"]?.string ?? "") }
            .map { a in JSON.object(JSONObject([("id", a["id"]!), ("name", a["name"]!)])) }
        return .object(
            JSONObject([
                ("id", d["id"]!), ("name", d["name"]!), ("description", d["description"] ?? .null),
                ("status", d["status"]!),
                ("wblistPriority", d["wblistPriority"] ?? "USER"), ("defaultLanguage", d["defaultLanguage"] ?? "EN"),
                ("autoProvisioningOn", d["autoProvisioningOn"] ?? false),
                ("senderVerifyOn", d["senderVerifyOn"] ?? true),
                ("externalId", d["externalId"] ?? .null),
                ("policy", s.num(d["policyId"]).flatMap { s.policies[$0] }.map(JSON.object) ?? .null),
                ("domainAliases", .array(aliasList)), ("activeUsersCount", .int(active)),
                ("policiesCount", .int(own.count)),
                ("quarantine", any("quarantine")), ("retention", any("retention")), ("archive", any("archive")),
                ("incoming", any("incoming")), ("outgoingSubnets", d["outgoingSubnets"] ?? []),
                ("creationDate", d["creationDate"] ?? .null), ("deletionDate", d["deletionDate"] ?? .null),
                ("purgeDate", d["purgeDate"] ?? .null), ("outgoingProviders", []), ("customer", .object(customer)),
                ("platforms", d["platforms"] ?? [])
            ]))
    }

    /// `DomainAdd` (6.20) -> a new domain with its default policy (5.5.1: "System will
    /// create a default policy with the given data"). A name that is a domain's or a
    /// domain alias's is the 409.
    static func createDomain(_ s: inout CleanmailStore, _ o: JSONObject) throws -> Int {
        guard let raw = o["name"]?.string, isDomainName(raw) else { throw Failure(400, Message.domainNameFormat) }
        let name = raw.lowercased()
        let status = try required(o, "status") { v in v.string.flatMap { domainStatuses.contains($0) ? $0 : nil } }
        let quarantine = try required(o, "quarantine") { $0.bool }
        let retention = try required(o, "retention") { $0.bool }
        let archive = try required(o, "archive") { $0.bool }
        let language = try required(o, "defaultLanguage") { Self.language($0) }
        let description = try optional(o, "description") { $0.string }
        let priority = try optional(o, "wblistPriority") { v in
            v.string.flatMap { wblistPriorities.contains($0) ? $0 : nil }
        }
        let incoming = try optional(o, "incoming") { $0.bool } ?? true
        let outgoing = try optional(o, "outgoing") { $0.bool } ?? false
        let autoProvisioning = try optional(o, "autoProvisioningOn") { $0.bool } ?? false
        let senderVerify = try optional(o, "senderVerifyOn") { $0.bool } ?? true
        let customer = try optional(o, "customerId") { $0.string }
        let externalId = try optional(o, "externalId") { $0.string }
        let subnets = try optional(o, "outgoingSubnets") { Self.subnets($0) } ?? []
        let providers =
            try optional(o, "outgoingProvidersIds") { v in
                v.array.flatMap { a in a.allSatisfy { $0.string != nil || $0.int != nil } ? a : nil }
            } ?? []
        var platforms =
            try optional(o, "platforms") { $0.array.map(JSON.array) }.map { try parsePlatforms($0, current: []) } ?? []
        if s.names[name] != nil { throw Failure(409, Message.domainExists) }
        // ASSUMED conditions of the 422: a domain is not created deleted; the customer
        // and the outgoing providers must exist (the sandbox has one customer, no providers).
        if status == "DELETED" {
            throw Failure(422, Message.conditions + " A domain cannot be created with status DELETED.")
        }
        if let customer, CleanmailID.decode(customer) != customerID {
            throw Failure(422, Message.conditions + " Unknown customer \(customer).")
        }
        if !providers.isEmpty { throw Failure(422, Message.conditions + " Unknown outgoing provider.") }

        let id = s.next(.domain)
        let created = s.now()
        assignPlatformIDs(&s, &platforms)
        let policyID = s.next(.policy)
        s.insertPolicy(
            policyID,
            defaultPolicy(
                id: policyID, domain: id, name: "Politique-\(name)", quarantine: quarantine,
                retention: retention, archive: archive, incoming: incoming, outgoing: outgoing),
            domain: id)
        s.insertDomain(
            id,
            JSONObject([
                ("id", .string(CleanmailID.encode(id))), ("name", .string(name)),
                ("description", description.map(JSON.string) ?? .null),
                ("status", .string(status)), ("wblistPriority", .string(priority ?? "USER")),
                ("defaultLanguage", .string(language)),
                ("autoProvisioningOn", .bool(autoProvisioning)), ("senderVerifyOn", .bool(senderVerify)),
                ("externalId", externalId.map(JSON.string) ?? .null),
                ("policyId", .string(CleanmailID.encode(policyID))),
                ("outgoingSubnets", .array(subnets.map(JSON.string))),
                ("customerId", .string(CleanmailID.encode(customerID))),
                ("creationDate", .int(created)), ("deletionDate", .null), ("purgeDate", .null),
                ("platforms", .array(platforms.map(JSON.object)))
            ]))
        return id
    }

    /// `X-Ignore-MX` (5.5.6, 5.5.15). ASSUMED meaning: Cleanmail refuses (422) to delete,
    /// rename or disable a domain whose MX still points to it (mail would bounce) unless
    /// the header is given (any value but "false"). The sandbox's DNS facts are those of
    /// health (CleanmailHealthAPI.swift): only a domain whose MX is "OK" is protected; a
    /// domain created through the API has no MX yet. A rename forgets the old name's facts.
    static func checkMX(_ s: CleanmailStore, _ d: Int, _ r: SandboxRequest, _ what: String) throws {
        guard s.keyed["dns/\(d)"]?["mx"] == "OK" else { return }
        if let v = r.header("X-Ignore-MX"), v.lowercased() != "false" { return }
        throw Failure(
            422,
            Message.conditions
                + " The MX of \(s.domains[d]!["name"]!.string!) still points to Cleanmail; send X-Ignore-MX: true to "
                + "\(what) it anyway."
        )
    }

    /// 5.5.6: "Delete an existing domain and its users. Domain is just tagged as
    /// deleted": the domain keeps its names until purged, and its users go, with their
    /// sender rules. ASSUMED (CONTRADICTIONS.md: the deletion "can be reverted"): a
    /// revert (PATCH of the status) brings the domain back, not its users.
    static func deleteDomain(_ s: inout CleanmailStore, _ c: Call) throws -> SandboxResponse {
        let id = try domain(s, c["domainId"], Message.domainNotFound)
        // ASSUMED condition of the 422: a domain already deleted cannot be deleted again.
        if s.domains[id]!["status"]?.string == "DELETED" {
            throw Failure(422, Message.conditions + " The domain is already deleted.")
        }
        try checkMX(s, id, c.request, "delete")
        let t = s.now()
        s.domains[id]!["status"] = "DELETED"
        s.domains[id]!["deletionDate"] = .int(t)
        s.domains[id]!["purgeDate"] = .int(t + CleanmailSimulation.purgeDelay)
        for u in s.domainUsers[id] ?? [] { s.removeUser(u) }
        return .empty(204)
    }
}
