import MXJSON

/// Filtering rules on senders (5.9): ALLOW, BLOCK or PROTECTED decisions on an address
/// or a domain, owned by a domain or by a mailbox. Each owner's list: read, add,
/// replace all, replace one, delete one; and `POST /wblist` for rules naming their
/// owners. A rule is identified by its owner and its value (lower case).
extension CleanmailAPI {
    typealias Owner = CleanmailStore.Owner

    /// The two kinds of owner, as paths name them, with the document's 404 messages.
    enum OwnerKind: Sendable {
        case domains, users

        var path: String { self == .domains ? "domains" : "users" }
        /// 404 of the list and of PUT on one rule.
        var missing: String { self == .domains ? Message.ruleDomainMissing : Message.ruleUserMissing }
        /// 404 of DELETE on one rule.
        var gone: String { self == .domains ? Message.ruleDomainGone : Message.ruleUserGone }
    }

    static func registerRules(_ r: inout Router<Route>) {
        r.write("POST", "/wblist", postRulesWithOwners)
        for kind in [OwnerKind.domains, .users] {
            let list = "/\(kind.path)/{ownerId}/wblist", one = list + "/{ruleId}"
            r.read(list) { s, c in
                try listRules(
                    &s, c.request, try owner(s, kind, c, kind.missing), defaultSort: kind == .domains ? "owner" : "id")
            }
            r.write("POST", list) { s, c in try postRules(&s, c.request, try owner(s, kind, c, kind.missing)) }
            r.write("PUT", list) { s, c in try putRules(&s, c.request, try owner(s, kind, c, kind.missing)) }
            r.write("PUT", one) { s, c in
                let o = try owner(s, kind, c, kind.missing)
                return try putRule(&s, c.request, try rule(s, c, of: o, kind.missing), o)
            }
            r.write("DELETE", one) { s, c in
                let o = try owner(s, kind, c, kind.gone)
                s.removeRule(try rule(s, c, of: o, kind.gone))
                return .empty(204)
            }
        }
    }

    static let ruleSortFields: Set<String> = [
        "id", "value", "owner", "type", "createdDate", "expireAt", "description", "spfOn"
    ]

    static func owner(_ s: CleanmailStore, _ kind: OwnerKind, _ c: Call, _ missing: String) throws -> Owner {
        kind == .domains ? .domain(try domain(s, c["ownerId"], missing)) : .user(try user(s, c["ownerId"], missing))
    }

    static func rule(_ s: CleanmailStore, _ c: Call, of owner: Owner, _ missing: String) throws -> Int {
        guard let id = CleanmailID.decode(c["ruleId"]), let rule = s.rules[id], s.owner(of: rule) == owner else {
            throw Failure(404, missing)
        }
        return id
    }

    static func renderRule(_ s: CleanmailStore, _ id: Int) -> JSON {
        let rule = s.rules[id]!
        return .object(
            JSONObject([
                ("id", rule["id"]!), ("value", rule["value"]!),
                ("owner", .string(s.owner(of: rule).map(s.ownerName) ?? "")),
                ("type", rule["type"]!), ("createdDate", rule["createdDate"] ?? .null),
                ("expireAt", rule["expireAt"] ?? .null),
                ("description", rule["description"] ?? .null), ("spfOn", rule["spfOn"] ?? .null)
            ]))
    }

    static func listRules(_ s: inout CleanmailStore, _ r: SandboxRequest, _ owner: Owner, defaultSort: String) throws
        -> SandboxResponse
    {
        let q = try listQuery(r, defaultSort: defaultSort, fields: ruleSortFields, type: "FilterSender")
        let filter = try singleFilter(r, ["type", "value"])
        if let (field, value) = filter, field == "type", !ruleTypes.contains(value) {
            throw Failure(
                400,
                "Failed to convert value of parameter 'type': '\(value)' is not one of "
                    + "\(ruleTypes.joined(separator: ", "))"
            )
        }
        return try page(
            &s, r, q,
            { s in
                let ids = s.ownerRules[owner] ?? []
                guard let (field, value) = filter else { return ids }
                if field == "type" { return ids.filter { s.rules[$0]?["type"]?.string == value } }
                // ASSUMED: wildcards as for names.
                return ids.filter { matches(s.rules[$0]?["value"]?.string ?? "", value) }
            },
            key: { s, id, f in
                switch f {
                case "id": return .int(id)
                case "owner": return .string(s.ownerName(owner))
                default: return s.rules[id]![f] ?? .null
                }
            }, render: renderRule)
    }

    /// One `FilterSenderAdd` (6.27). ASSUMED: a missing or mistyped member is a 400;
    /// a value that is neither an address nor a domain (`*@domain` allowed) is the 422.
    /// `spfOn` is kept for ALLOW only (false when not given), null otherwise, as the
    /// examples read back.
    static func parseRule(_ v: JSON) throws -> CleanmailStore.NewRule {
        guard let o = v.object else { throw Failure(400, "JSON parse error: a rule must be an object") }
        let value = try required(o, "value") { $0.string }
        let type = try required(o, "type") { v in v.string.flatMap { ruleTypes.contains($0) ? $0 : nil } }
        let expireAt = try optional(o, "expireAt") { $0.int }
        let description = try optional(o, "description") { $0.string }
        let spfOn = try optional(o, "spfOn") { $0.bool }
        let lower = value.lowercased().trimmingCharacters(in: " ")
        let domainPart = lower.hasPrefix("*@") ? String(lower.dropFirst(2)) : lower
        guard isEmail(lower) || isDomainName(domainPart) else {
            throw Failure(422, Message.conditions + " '\(value)' is neither an email address nor a domain.")
        }
        return .init(
            value: lower, type: type, expireAt: expireAt.map(JSON.int) ?? .null,
            description: description.map(JSON.string) ?? .null, spfOn: type == "ALLOW" ? .bool(spfOn ?? false) : .null)
    }

    static func parseRules(_ r: SandboxRequest) throws -> [CleanmailStore.NewRule] {
        guard let items = try body(r).array else {
            throw Failure(400, "JSON parse error: the body must be a list of rules")
        }
        return try items.map(parseRule)
    }

    static func hasRepeats(_ list: [CleanmailStore.NewRule]) -> Bool { Set(list.map(\.value)).count != list.count }

    /// 5.9.2 / 5.9.3: adds rules; 201 with the added ones; 409 when one exists.
    static func postRules(_ s: inout CleanmailStore, _ r: SandboxRequest, _ owner: Owner) throws -> SandboxResponse {
        let list = try parseRules(r)
        if hasRepeats(list) || list.contains(where: { s.hasRule($0.value, owner: owner) }) {
            throw Failure(409, Message.ruleExists)
        }
        let added = list.map { s.insertRule($0, owner: owner) }
        let path: String =
            switch owner {
            case .domain(let n): "/domains/\(CleanmailID.encode(n))/wblist"
            case .user(let n): "/users/\(CleanmailID.encode(n))/wblist"
            }
        let store = s
        return .json(201, .array(added.map { renderRule(store, $0) }), headers: location(r, path))
    }

    /// 5.9.10 / 5.9.11: replaces the owner's whole list; 200 with the new rules.
    static func putRules(_ s: inout CleanmailStore, _ r: SandboxRequest, _ owner: Owner) throws -> SandboxResponse {
        let list = try parseRules(r)
        if hasRepeats(list) { throw Failure(409, Message.ruleExistsS) }
        s.removeRules(of: owner)
        let added = list.map { s.insertRule($0, owner: owner) }
        let store = s
        return .json(200, .array(added.map { renderRule(store, $0) }))
    }

    /// 5.9.8 / 5.9.9: replaces one rule (same id and creation date); 200 with it.
    static func putRule(_ s: inout CleanmailStore, _ r: SandboxRequest, _ id: Int, _ owner: Owner) throws
        -> SandboxResponse
    {
        let rule = try parseRule(try body(r))
        if s.hasRule(rule.value, owner: owner, except: id) { throw Failure(409, Message.ruleExistsS) }
        s.rules[id]!["value"] = .string(rule.value)
        s.rules[id]!["type"] = .string(rule.type)
        s.rules[id]!["expireAt"] = rule.expireAt
        s.rules[id]!["description"] = rule.description
        s.rules[id]!["spfOn"] = rule.spfOn
        return .json(200, renderRule(s, id))
    }

    /// 5.9.1: `POST /wblist`, rules naming their owner (a domain or a mailbox).
    /// ASSUMED: an owner that does not exist is the 422.
    static func postRulesWithOwners(_ s: inout CleanmailStore, _ c: Call) throws -> SandboxResponse {
        guard let items = try body(c.request).array else {
            throw Failure(400, "JSON parse error: the body must be a list of rules")
        }
        var parsed: [(CleanmailStore.NewRule, Owner)] = []
        for item in items {
            let rule = try parseRule(item)
            let ownerText = try required(item.object!, "owner") { $0.string }.lowercased()
            let owner: Owner
            if let d = s.domainNamed(ownerText) {
                owner = .domain(d)
            } else if let u = s.emails[ownerText] {
                owner = .user(u)
            } else {
                throw Failure(422, Message.conditions + " Unknown owner \(ownerText).")
            }
            parsed.append((rule, owner))
        }
        let keys = parsed.map { "\($0.1.key) \($0.0.value)" }
        if Set(keys).count != keys.count || parsed.contains(where: { s.hasRule($0.0.value, owner: $0.1) }) {
            throw Failure(409, Message.ruleExistsS)
        }
        let added = parsed.map { s.insertRule($0.0, owner: $0.1) }
        let store = s
        return .json(201, .array(added.map { renderRule(store, $0) }))
    }
}
