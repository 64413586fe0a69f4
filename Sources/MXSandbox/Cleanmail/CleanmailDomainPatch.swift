import MXJSON

/// `PATCH /domains/{domainId}` (5.5.15): the one edit of a domain, partial.
extension CleanmailAPI {
    /// `PATCH /domains/{id}` with a `DomainUpdate` (6.21): only the members given
    /// change; everything is checked before anything is applied. 204.
    static func patchDomain(_ s: inout CleanmailStore, _ c: Call) throws -> SandboxResponse {
        let id = try domain(s, c["domainId"], Message.domainNotFound)
        let o = try bodyObject(c.request)
        var d = s.domains[id]!
        var newName: String?
        if o["name"] != nil {
            guard let raw = o["name"]?.string, Self.isDomainName(raw) else {
                throw Failure(400, Message.domainNameFormatPatch)
            }
            newName = raw.lowercased()
        }
        let description = try optional(o, "description") { $0.string }
        let status = try optional(o, "status") { v in v.string.flatMap { Self.domainStatuses.contains($0) ? $0 : nil } }
        let priority = try optional(o, "wblistPriority") { v in
            v.string.flatMap { Self.wblistPriorities.contains($0) ? $0 : nil }
        }
        let quarantine = try optional(o, "quarantine") { $0.bool }
        let retention = try optional(o, "retention") { $0.bool }
        let archive = try optional(o, "archive") { $0.bool }
        let language = try optional(o, "defaultLanguage") { Self.language($0) }
        let autoProvisioning = try optional(o, "autoProvisioningOn") { $0.bool }
        let senderVerify = try optional(o, "senderVerifyOn") { $0.bool }
        let customer = try optional(o, "customerId") { $0.string }
        let policyText = try optional(o, "policyId") { $0.string }
        let externalId = try optional(o, "externalId") { $0.string }
        let subnets = try optional(o, "outgoingSubnets") { Self.subnets($0) }
        let providers = try optional(o, "outgoingProvidersIds") { $0.array }
        var platforms = try optional(o, "platforms") { $0.array.map(JSON.array) }
            .map { try parsePlatforms($0, current: d["platforms"]?.array?.compactMap(\.object) ?? []) }
        // ASSUMED: `null` for a member that is not nullable is a 400.
        for key in ["status", "defaultLanguage", "wblistPriority", "name"] where o[key] == .null {
            throw Failure(400, "Validation failed: \(key) must not be null")
        }
        if let newName, newName != d["name"]?.string, s.names[newName] != nil {
            // ASSUMED: the document lists no 409 for PATCH; a taken name (a domain's or
            // an alias's, this domain's own aliases included) is the same conflict as in POST.
            throw Failure(409, Message.domainExists)
        }
        if let customer, CleanmailID.decode(customer) != Self.customerID {
            throw Failure(422, Message.conditions + " Unknown customer \(customer).")
        }
        var newPolicy: Int?
        if let policyText {
            guard let p = CleanmailID.decode(policyText), s.policies[p] != nil, s.num(s.policies[p]!["domainId"]) == id
            else {
                throw Failure(422, Message.conditions + " Policy \(policyText) is not a policy of this domain.")
            }
            newPolicy = p
        }
        if let providers, !providers.isEmpty { throw Failure(422, Message.conditions + " Unknown outgoing provider.") }
        if let newName, newName != d["name"]?.string { try checkMX(s, id, c.request, "rename") }
        if let status, status == "DISABLED" || status == "DELETED", status != d["status"]?.string {
            try checkMX(s, id, c.request, "disable")
        }

        if let newName, newName != d["name"]?.string {
            s.keyed["dns/\(id)"] = nil
            s.renameDomain(id, to: newName)
            d["name"] = .string(newName)
        }
        if o["description"] != nil { d["description"] = description.map(JSON.string) ?? .null }
        if let status, status != d["status"]?.string {
            if status == "DELETED" {
                let t = s.now()
                d["deletionDate"] = .int(t)
                d["purgeDate"] = .int(t + CleanmailSimulation.purgeDelay)
            } else if d["status"]?.string == "DELETED" {
                // ASSUMED: 5.5.6 "You can revert the deletion during this quarantine":
                // setting another status on a deleted domain restores it.
                d["deletionDate"] = .null
                d["purgeDate"] = .null
            }
            d["status"] = .string(status)
        }
        if let priority { d["wblistPriority"] = .string(priority) }
        if let language { d["defaultLanguage"] = .string(language) }
        if let autoProvisioning { d["autoProvisioningOn"] = .bool(autoProvisioning) }
        if let senderVerify { d["senderVerifyOn"] = .bool(senderVerify) }
        if o["externalId"] != nil { d["externalId"] = externalId.map(JSON.string) ?? .null }
        if let subnets { d["outgoingSubnets"] = .array(subnets.map(JSON.string)) }
        if let newPolicy { d["policyId"] = .string(CleanmailID.encode(newPolicy)) }
        if platforms != nil {
            assignPlatformIDs(&s, &platforms!)
            d["platforms"] = .array(platforms!.map(JSON.object))
        }
        // ASSUMED: the service switches of DomainUpdate apply to the default policy.
        if let p = s.num(d["policyId"]), s.policies[p] != nil {
            if let quarantine {
                s.policies[p]!["quarantine"] = .bool(quarantine)
                if quarantine, s.policies[p]!["quarantineProps"] == .null {
                    s.policies[p]!["quarantineProps"] = .object(Self.quarantineProps)
                }
            }
            if let retention { s.policies[p]!["retention"] = .bool(retention) }
            if let archive {
                s.policies[p]!["archive"] = .bool(archive)
                if archive, s.policies[p]!["archiveProps"] == .null {
                    s.policies[p]!["archiveProps"] = .object(Self.archiveProps)
                }
            }
        }
        s.domains[id] = d
        return .empty(204)
    }

}
