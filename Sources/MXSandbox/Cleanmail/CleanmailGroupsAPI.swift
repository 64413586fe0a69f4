import MXJSON

/// Email aliases, "groups" in the paths (5.15): an address of a domain that forwards to
/// a list of recipients (`EmailAlias` 6.22, `EmailAliasRecipient` 6.23): list, create,
/// read, edit (address and recipients), add and remove recipients, delete.
///
/// A recipient is typed USER (an account of the same domain, with its names), ALIAS
/// (another email alias) or EXTERNAL_ADDRESS. Its `id` is the user's id (5.15.4 removes
/// "using the user ID"), the alias's id, or (ASSUMED) an id of its own for an external
/// address, from a range apart (500001 and up) so it never equals a user's.
///
/// ASSUMED: a USER recipient follows its account (renamed, it shows the new address;
/// deleted, it leaves the alias); a deleted alias leaves the aliases it was in. The
/// address of an alias must be in its domain (its name or an alias of it: 400) and be no
/// other alias's nor an account's (409); a deleted domain is the 422. Lists sort by
/// `email` by default and filter by `email` (the name the table lost, "Filter groups by
/// the alias's email"; `*` wildcards) or `recipient` (one recipient's address,
/// wildcards too); 5.15.6's example `address=` is not a filter and changes nothing, as
/// Spring ignores unknown parameters. `offset` starts at 0 (the table's default; its
/// text says 1). An address already there is not added twice; the alias's own address
/// as its recipient is a 400. `Accept: application/vnd.ms-excel` exports the list
/// (CleanmailExport.swift).
extension CleanmailAPI {
    static let groupDomainMissing = "A problem occured. The domain may not exist"
    static let groupOrDomainMissing = "A problem occured. The domain or the user may not exist"
    static let groupMissing = "A problem occured. The domain and/or the alias may not exist"
    static let groupRecipientMissing =
        "A problem occured. The domain and/or the user and/or the alias may not exist ; the domain may not contain the "
        + "user"
    static let groupEditMissing = "A problem occured. The domain and/or the email alias may not exist"
    static let groupFormat =
        "A problem occured. Arguments passed to the request may not match required format or the email's domain may "
        + "not match the domain"
    static let groupParameter =
        "A problem occured. Possible cause: at least one parameter might not match required format or the domain of "
        + "the alias may not match the domain"
    static let groupExists = "A email alias may already exists with the given name"

    static func registerGroups(_ r: inout Router<Route>) {
        r.read("/domains/{domainId}/groups", listGroups)
        r.write("POST", "/domains/{domainId}/groups") { s, c in
            let d = try domain(s, c["domainId"], groupDomainMissing)
            let o = try groupBody(c.request)
            let email = try groupAddress(s, o, d, except: nil)
            if s.domains[d]!["status"]?.string == "DELETED" {
                throw Failure(422, Message.conditions + " The domain is deleted.")
            }
            // A 400 is the request refused whole: a recipient refused leaves no alias behind.
            let saved = s
            let g = s.insert(
                .group, [("domainId", .string(CleanmailID.encode(d))), ("email", .string(email)), ("recipients", [])])
            do { try addRecipients(&s, g, o["recipients"] ?? [], format: groupFormat) } catch {
                s = saved
                throw error
            }
            return .json(
                201, renderGroup(s, g),
                headers: location(c.request, "/domains/\(c["domainId"])/groups/\(CleanmailID.encode(g))"))
        }
        r.read("/domains/{domainId}/groups/{groupId}") { s, c in
            .json(
                200, renderGroup(s, try group(s, c, domainMissing: groupOrDomainMissing, missing: groupOrDomainMissing))
            )
        }
        r.write("PATCH", "/domains/{domainId}/groups/{groupId}") { s, c in
            let g = try group(
                s, c, domainMissing: groupEditMissing, missing: groupEditMissing, elsewhere: groupParameter)
            let o = try groupBody(c.request, format: groupParameter)
            let d = s.num(s.record(.group, g)!["domainId"])!
            let email = try groupAddress(s, o, d, except: g, format: groupParameter)
            let old = s.record(.group, g)!
            s.update(.group, g) { $0["email"] = .string(email) }
            if let list = o["recipients"], list != .null {
                s.update(.group, g) { $0["recipients"] = [] }
                do { try addRecipients(&s, g, list, format: groupParameter) } catch {
                    s.records[.group]![g] = old
                    throw error
                }
            }
            return .empty(204)
        }
        r.write("DELETE", "/groups/{groupId}") { s, c in
            guard let g = CleanmailID.decode(c["groupId"]) else { throw Failure(400, groupParameter) }
            guard s.record(.group, g) != nil else { throw Failure(404, groupMissing) }
            s.remove(.group, g)
            let gid = JSON.string(CleanmailID.encode(g))
            for (other, o) in s.all(.group) {
                let kept = (o["recipients"]?.array ?? []).filter { !($0["type"] == "ALIAS" && $0["id"] == gid) }
                s.records[.group]![other]!["recipients"] = .array(kept)
            }
            return .empty(204)
        }
        r.write("POST", "/domains/{domainId}/groups/{groupId}/addresses") { s, c in
            let g = try group(s, c, domainMissing: groupOrDomainMissing, missing: groupOrDomainMissing)
            try addRecipients(&s, g, try body(c.request), format: groupFormat)
            return .json(201, renderGroup(s, g))
        }
        r.write("DELETE", "/domains/{domainId}/groups/{groupId}/addresses/{addressId}") { s, c in
            let g = try group(
                s, c, domainMissing: groupRecipientMissing, missing: groupRecipientMissing, elsewhere: groupParameter)
            let list = s.record(.group, g)!["recipients"]?.array ?? []
            guard list.contains(where: { $0["id"]?.string == c["addressId"] }) else {
                throw Failure(404, groupRecipientMissing)
            }
            s.update(.group, g) { $0["recipients"] = .array(list.filter { $0["id"]?.string != c["addressId"] }) }
            return .empty(204)
        }
    }

    static func groupBody(_ r: SandboxRequest, format: String = groupFormat) throws -> JSONObject {
        guard let o = r.json?.object else { throw Failure(400, format) }
        return o
    }

    /// The alias of the path; `elsewhere` is the answer when it is another domain's.
    static func group(_ s: CleanmailStore, _ c: Call, domainMissing: String, missing: String, elsewhere: String? = nil)
        throws -> Int
    {
        let d = try domain(s, c["domainId"], domainMissing)
        guard let g = CleanmailID.decode(c["groupId"]), let o = s.record(.group, g) else { throw Failure(404, missing) }
        if s.num(o["domainId"]) != d { throw Failure(elsewhere == nil ? 404 : 400, elsewhere ?? missing) }
        return g
    }

    /// The alias's address from a body: required, well formed, in the domain, free.
    static func groupAddress(_ s: CleanmailStore, _ o: JSONObject, _ d: Int, except: Int?, format: String = groupFormat)
        throws -> String
    {
        guard let raw = o["email"]?.string, isEmail(raw) else { throw Failure(400, format) }
        let email = raw.lowercased()
        guard s.names[String(email.split(separator: "@")[1])] == d else { throw Failure(400, format) }
        if s.emails[email] != nil
            || s.all(.group).contains(where: { $0.key != except && $0.value["email"]?.string == email })
        {
            throw Failure(409, groupExists)
        }
        return email
    }

    static func addRecipients(_ s: inout CleanmailStore, _ g: Int, _ v: JSON, format: String) throws {
        guard let list = v.array?.compactMap(\.string), list.count == v.array?.count else { throw Failure(400, format) }
        let own = s.record(.group, g)!
        let d = s.num(own["domainId"])!
        var recipients = own["recipients"]?.array ?? []
        for raw in list {
            guard isEmail(raw) else { throw Failure(400, format) }
            let email = raw.lowercased()
            if email == own["email"]?.string { throw Failure(400, format) }
            if recipients.contains(where: { recipientEmail(s, $0) == email }) { continue }
            let entry: (String, String)
            if let u = s.emails[email], s.num(s.users[u]?["domainId"]) == d {
                entry = (CleanmailID.encode(u), "USER")
            } else if let (other, _) = s.all(.group).first(where: { $0.value["email"]?.string == email }) {
                entry = (CleanmailID.encode(other), "ALIAS")
            } else {
                entry = (CleanmailID.encode(500_000 + s.next(.recipient)), "EXTERNAL_ADDRESS")
            }
            recipients.append(
                .object(JSONObject([("id", .string(entry.0)), ("email", .string(email)), ("type", .string(entry.1))])))
        }
        s.update(.group, g) { $0["recipients"] = .array(recipients) }
    }

    static func recipientEmail(_ s: CleanmailStore, _ r: JSON) -> String {
        switch r["type"]?.string {
        case "USER": return s.num(r["id"]).flatMap { s.users[$0]?["email"]?.string } ?? r["email"]?.string ?? ""
        case "ALIAS":
            return s.num(r["id"]).flatMap { s.record(.group, $0)?["email"]?.string } ?? r["email"]?.string ?? ""
        default: return r["email"]?.string ?? ""
        }
    }

    static func renderGroup(_ s: CleanmailStore, _ g: Int) -> JSON {
        let o = s.record(.group, g)!
        let recipients = (o["recipients"]?.array ?? []).map { r -> JSON in
            let user = r["type"] == "USER" ? s.num(r["id"]).flatMap { s.users[$0] } : nil
            return .object(
                JSONObject([
                    ("id", r["id"]!), ("email", .string(recipientEmail(s, r))),
                    ("firstname", user?["firstname"] ?? .null), ("lastname", user?["lastname"] ?? .null),
                    ("type", r["type"]!)
                ]))
        }
        return .object(JSONObject([("id", o["id"]!), ("email", o["email"]!), ("recipients", .array(recipients))]))
    }

    static func listGroups(_ s: inout CleanmailStore, _ c: Call) throws -> SandboxResponse {
        let d = try domain(s, c["domainId"], groupDomainMissing)
        let q = try listQuery(c.request, defaultSort: "email", fields: ["id", "email"], type: "EmailAlias")
        let filter = try singleFilter(c.request, ["email", "recipient"])
        return exportIfAsked(
            c.request,
            try page(
                &s, c.request, q,
                { s in
                    s.ids(.group, where: "domainId", is: d).filter { g in
                        guard let (field, value) = filter else { return true }
                        let o = s.record(.group, g)!
                        if field == "email" { return matches(o["email"]?.string ?? "", value) }
                        return (o["recipients"]?.array ?? []).contains { matches(recipientEmail(s, $0), value) }
                    }
                }, key: { s, g, f in f == "id" ? .int(g) : s.record(.group, g)![f] ?? .null }, render: renderGroup))
    }
}
