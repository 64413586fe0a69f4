import MXJSON

/// Domain policies (5.4), where a domain's services live (quarantine, retention,
/// archive, incoming, `outgoing`): list a domain's, create, read, edit, delete one not
/// in use. A new domain gets a default policy (`defaultPolicy`).
extension CleanmailAPI {
    static func registerPolicies(_ r: inout Router<Route>) {
        r.read("/domains/{domainId}/policies", listPolicies)
        r.write("POST", "/domains/{domainId}/policies", denied: Message.sysadmin, postPolicy)
        r.read("/policies/{policyId}") { s, c in
            .json(200, .object(try policy(s, c["policyId"], Message.policyNotFound).1))
        }
        r.write("PATCH", "/policies/{policyId}", denied: Message.sysadmin, patchPolicy)
        r.write("DELETE", "/policies/{policyId}", denied: Message.sysadmin, deletePolicy)
    }

    /// The default policy of a new domain, with the document's defaults (5.5.1's example).
    static func defaultPolicy(
        id: Int, domain: Int, name: String, quarantine: Bool, retention: Bool, archive: Bool,
        incoming: Bool, outgoing: Bool
    ) -> JSONObject {
        JSONObject([
            ("id", .string(CleanmailID.encode(id))), ("name", .string(name)),
            ("domainId", .string(CleanmailID.encode(domain))),
            ("quarantine", .bool(quarantine)), ("retention", .bool(retention)), ("archive", .bool(archive)),
            ("mailSizeLimit", 21), ("spamScore", .double(5.0)), ("incoming", .bool(incoming)),
            (
                "relayProps",
                .object(
                    JSONObject([
                        ("relaySpam", false), ("relayAdvert", true), ("advertPrefix", ""), ("prefixSpam", .null),
                        ("relayBadHeaders", false), ("relayBadAttachments", false), ("spamScoreLimit", .double(5.0))
                    ]))
            ),
            ("quarantineProps", quarantine ? .object(quarantineProps) : .null),
            (
                "retentionProps",
                retention
                    ? .object(JSONObject([("duration", 5), ("storeMailOut", true), ("storeCleanMailIn", true)])) : .null
            ),
            ("archiveProps", archive ? .object(archiveProps) : .null),
            ("outgoing", .bool(outgoing))
        ])
    }

    static let quarantineProps = JSONObject([
        ("duration", 31), ("storeSpam", true), ("storeVirus", false), ("storeAdvert", false),
        ("storeBlacklisted", false), ("storeSenderVerify", false), ("storeBadHeaders", true),
        ("storeBadEncoding", true), ("storeBadAttachments", true)
    ])
    static let archiveProps = JSONObject([
        ("duration", 48), ("archiveByCopy", false), ("storeMailOut", true), ("storeCleanMailIn", true),
        ("storeSpam", true), ("storeBadHeaders", true), ("storeBadEncoding", true),
        ("storeBadAttachments", true), ("storeAdvert", false), ("storeBlacklisted", false),
        ("storeSenderVerify", false)
    ])

    static let policySortFields: Set<String> = [
        "id", "name", "quarantine", "retention", "archive", "mailSizeLimit",
        "spamScore", "incoming", "outgoing"
    ]

    static func policy(_ s: CleanmailStore, _ id: String, _ missing: String) throws -> (Int, JSONObject) {
        guard let n = CleanmailID.decode(id), let p = s.policies[n] else { throw Failure(404, missing) }
        return (n, p)
    }

    static func listPolicies(_ s: inout CleanmailStore, _ c: Call) throws -> SandboxResponse {
        let id = try domain(s, c["domainId"], Message.domainNotFound)  // ASSUMED: no 404 is listed; the domains' one
        let q = try listQuery(c.request, defaultSort: "name", fields: policySortFields, type: "Policy")
        return try page(
            &s, c.request, q, { s in s.domainPolicies[id] ?? [] },
            key: { s, p, f in f == "id" ? .int(p) : s.policies[p]![f] ?? .null },
            render: { s, p in .object(s.policies[p]!) })
    }

    /// The members of `Policy` (6.48) a body sets, checked.
    static func policyFields(_ o: JSONObject, creating: Bool) throws -> JSONObject {
        var out = JSONObject()
        if creating || o["name"] != nil {
            guard let name = o["name"]?.string, !name.trimmingCharacters(in: " ").isEmpty else {
                throw Failure(400, Message.policyNameFormat)
            }
            out["name"] = .string(name)
        }
        for key in ["quarantine", "retention", "incoming"] {
            if creating, o[key] == nil || o[key] == .null {
                throw Failure(400, "Validation failed: \(key) must not be null")
            }
        }
        for key in ["quarantine", "retention", "archive", "incoming", "outgoing"] {
            if let b = try optional(o, key, { $0.bool }) { out[key] = .bool(b) }
        }
        if let n = try optional(o, "mailSizeLimit", { v in v.int.flatMap { $0 > 0 ? $0 : nil } }) {
            out["mailSizeLimit"] = .int(n)
        }
        if let score = try optional(
            o, "spamScore",
            { v -> Double? in
                if case .double(let d) = v { return d }
                return v.int.map(Double.init)
            })
        {
            out["spamScore"] = .double(score)
        }
        for key in ["relayProps", "quarantineProps", "retentionProps", "archiveProps"] where o[key] != nil {
            out[key] = try optional(o, key) { $0.object }.map(JSON.object) ?? .null
        }
        return out
    }

    static func postPolicy(_ s: inout CleanmailStore, _ c: Call) throws -> SandboxResponse {
        let id = try domain(s, c["domainId"], Message.domainNotFound)
        let fields = try policyFields(try bodyObject(c.request), creating: true)
        let name = fields["name"]!.string!
        if (s.domainPolicies[id] ?? []).contains(where: {
            s.policies[$0]?["name"]?.string?.lowercased() == name.lowercased()
        }) {
            throw Failure(409, Message.policyExists)
        }
        let p = s.next(.policy)
        var policy = defaultPolicy(
            id: p, domain: id, name: name, quarantine: fields["quarantine"]?.bool ?? false,
            retention: fields["retention"]?.bool ?? false, archive: fields["archive"]?.bool ?? false,
            incoming: fields["incoming"]?.bool ?? true, outgoing: fields["outgoing"]?.bool ?? false)
        for (k, v) in fields.pairs { policy[k] = v }
        s.insertPolicy(p, policy, domain: id)
        return .json(201, .object(policy), headers: location(c.request, "/policies/\(CleanmailID.encode(p))"))
    }

    static func patchPolicy(_ s: inout CleanmailStore, _ c: Call) throws -> SandboxResponse {
        let (p, current) = try policy(s, c["policyId"], Message.policyNotFound)
        let fields = try policyFields(try bodyObject(c.request), creating: false)
        if let name = fields["name"]?.string, let d = s.num(current["domainId"]),
            (s.domainPolicies[d] ?? []).contains(where: {
                $0 != p && s.policies[$0]?["name"]?.string?.lowercased() == name.lowercased()
            })
        {
            // ASSUMED: a name taken in the domain is a 422 (the document lists no 409 here).
            throw Failure(422, Message.conditions + " A policy named \(name) exists in this domain.")
        }
        for (k, v) in fields.pairs { s.policies[p]![k] = v }
        return .empty(204)
    }

    static func deletePolicy(_ s: inout CleanmailStore, _ c: Call) throws -> SandboxResponse {
        let (p, current) = try policy(s, c["policyId"], Message.policyNotFoundDot)
        let d = s.num(current["domainId"])
        let code = CleanmailID.encode(p)
        if let d, s.domains[d]?["policyId"]?.string == code { throw Failure(400, Message.policyInUse) }
        if let d, (s.domainUsers[d] ?? []).contains(where: { s.users[$0]?["policyId"]?.string == code }) {
            throw Failure(400, Message.policyInUse)
        }
        s.removePolicy(p)
        return .empty(204)
    }
}
