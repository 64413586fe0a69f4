import MXJSON

/// Domain aliases (5.3): list, add, replace all, remove one. An alias name is taken
/// when it is any domain's name (this domain's own included) or any domain's alias,
/// compared without case; POST and PUT answer the document's own 409 messages.
extension CleanmailAPI {
    static func registerAliases(_ r: inout Router<Route>) {
        r.read("/domains/{domainId}/aliases", listAliases)
        r.write("POST", "/domains/{domainId}/aliases", postAliases)
        r.write("PUT", "/domains/{domainId}/aliases", putAliases)
        r.write("DELETE", "/domains/{domainId}/aliases/{aliasId}", deleteAlias)
    }

    static func listAliases(_ s: inout CleanmailStore, _ c: Call) throws -> SandboxResponse {
        let id = try domain(s, c["domainId"], Message.aliasDomainMissing)
        let q = try listQuery(c.request, defaultSort: "name", fields: ["id", "name"], type: "Alias")
        return try page(
            &s, c.request, q, { s in s.domainAliases[id] ?? [] },
            key: { s, a, f in f == "id" ? .int(a) : s.aliases[a]![f] ?? .null },
            render: { s, a in .object(JSONObject([("id", s.aliases[a]!["id"]!), ("name", s.aliases[a]!["name"]!)])) })
    }

    /// A list of domain names, lower case, each once. ASSUMED: a name that is not a
    /// domain name is a 400 (the document's wording for a parameter format).
    static func aliasNames(_ r: SandboxRequest) throws -> [String] {
        guard let items = try body(r).array else {
            throw Failure(400, "JSON parse error: the body must be a list of names")
        }
        var out: [String] = []
        for item in items {
            guard let name = item.string else {
                throw Failure(400, "JSON parse error: the body must be a list of names")
            }
            guard isDomainName(name) else {
                throw Failure(400, Message.parameterFormat + " ('\(name)' is not a domain name)")
            }
            if !out.contains(name.lowercased()) { out.append(name.lowercased()) }
        }
        return out
    }

    /// 5.3.1: adds names; 201 with the added `Alias` list; 409 when one is taken.
    static func postAliases(_ s: inout CleanmailStore, _ c: Call) throws -> SandboxResponse {
        let id = try domain(s, c["domainId"], Message.aliasDomainMissing)
        let wanted = try aliasNames(c.request)
        if wanted.contains(where: { s.names[$0] != nil }) { throw Failure(409, Message.aliasOrDomainExists) }
        let added: [JSON] = wanted.map { name in
            let a = s.insertAlias(name, domain: id)
            return .object(JSONObject([("id", .string(CleanmailID.encode(a))), ("name", .string(name))]))
        }
        return .json(201, .array(added), headers: location(c.request, "/domains/\(CleanmailID.encode(id))/aliases"))
    }

    /// 5.3.4: replaces the whole list; aliases kept keep their ids. 204 as in the example.
    static func putAliases(_ s: inout CleanmailStore, _ c: Call) throws -> SandboxResponse {
        let id = try domain(s, c["domainId"], Message.aliasDomainMissing)
        let wanted = try aliasNames(c.request)
        let mine = Dictionary(
            uniqueKeysWithValues: (s.domainAliases[id] ?? []).compactMap { a in
                s.aliases[a]?["name"]?.string.map { ($0, a) }
            })
        if wanted.contains(where: { s.names[$0] != nil && mine[$0] == nil }) { throw Failure(409, Message.aliasExists) }
        for (name, a) in mine where !wanted.contains(name) { s.removeAlias(a) }
        for name in wanted where mine[name] == nil { s.insertAlias(name, domain: id) }
        return .empty(204)
    }

    static func deleteAlias(_ s: inout CleanmailStore, _ c: Call) throws -> SandboxResponse {
        // The document lists a 400 for a parameter that does not match its format.
        guard let id = CleanmailID.decode(c["domainId"]), let a = CleanmailID.decode(c["aliasId"]) else {
            throw Failure(400, Message.parameterFormat)
        }
        guard s.domains[id] != nil, let alias = s.aliases[a], s.num(alias["domainId"]) == id else {
            throw Failure(404, Message.aliasMissing)
        }
        s.removeAlias(a)
        return .empty(204)
    }
}
