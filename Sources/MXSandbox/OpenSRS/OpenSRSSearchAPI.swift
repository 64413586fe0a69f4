import MXJSON

/// `search_domains` and `search_users` answer summaries, as the real API does
/// (NOTES.md): `{"success": true, "count": N, "total": T, "domains": [{"domain": NAME,
/// "type": "domain"|"alias"}]}` (`users`, `user`, `mailbox`|`alias` for users). A row
/// names the object and its type, nothing more: the attributes (aliases, allow, block,
/// filtermx, disabled, ...) come only from `get_domain` / `get_user`, so a client
/// cannot mistake a summary for a record.
///
/// The request: `criteria{match, type, deleted}` (users also `domain`),
/// `range{first, limit}`, `sort{by, direction}`.
extension OpenSRSAPI {
    struct Row {
        var name: String
        var type: String
    }

    /// ASSUMED: without `criteria.type` every type is listed; `mailbox` is the one
    /// user type the sandbox has besides aliases (`forward` and `filter` match nothing).
    static let domainTypes = ["domain", "alias"]
    static let userTypes = ["mailbox", "alias", "forward", "filter"]
    /// ASSUMED: `range.limit` when none is given.
    static let defaultLimit = 100

    static func search(_ s: inout OpenSRSStore, _ body: JSONObject, users isUser: Bool) -> SandboxResponse {
        let criteria = body["criteria"]?.object ?? JSONObject()
        let allowedTypes = isUser ? userTypes : domainTypes
        var hints = JSONObject()
        let match = criteria["match"].flatMap { $0 == .null ? nil : $0 }
        if let match, match.string == nil { hints["criteria.match"] = "a name, with * and ? wildcards" }
        var types = allowedTypes
        if let t = criteria["type"], t != .null {
            // ASSUMED: one type may be given alone, as a string.
            let given = t.array?.compactMap(\.string) ?? t.string.map { [$0] } ?? []
            if given.isEmpty || given.contains(where: { !allowedTypes.contains($0) }) {
                hints["criteria.type"] = .string("a list of: \(allowedTypes.joined(separator: ", "))")
            }
            types = given
        }
        if let d = criteria["deleted"], d != .null, d.bool == nil { hints["criteria.deleted"] = "true or false" }
        let range = body["range"]?.object
        let first = range?["first"].map { $0 == .null ? 0 : $0.int ?? -1 } ?? 0
        let limit = range?["limit"].map { $0 == .null ? defaultLimit : $0.int ?? -1 } ?? defaultLimit
        if first < 0 { hints["range.first"] = "a number from 0" }
        if limit < 0 { hints["range.limit"] = "a number from 0" }
        let key = isUser ? "user" : "domain"
        let sortBy = body["sort"]?["by"]?.string ?? key
        let direction = body["sort"]?["direction"]?.string ?? "ascending"
        if ![key, "type"].contains(sortBy) { hints["sort.by"] = .string("\(key) or type") }
        if !["ascending", "descending"].contains(direction) { hints["sort.direction"] = "ascending or descending" }
        if hints.count > 0 { return failure(6, "Attribute is badly formatted", hints: hints) }

        let wantDeleted = criteria["deleted"]?.bool ?? false
        // ASSUMED: without `criteria.domain` a user search spans every domain of the company.
        let scope = criteria["domain"]?.string?.lowercased()
        var rows = isUser ? userRows(s, deleted: wantDeleted, in: scope) : domainRows(s, deleted: wantDeleted)
        let pattern = match?.string
        rows = rows.filter { row in types.contains(row.type) && (pattern.map { wildcard(row.name, $0) } ?? true) }
        rows.sort { a, b in
            sortBy == "type" && a.type != b.type ? a.type < b.type : a.name < b.name
        }
        if direction == "descending" { rows.reverse() }
        let page = rows.dropFirst(first).prefix(limit).map { row in
            JSON.object(JSONObject([(key, .string(row.name)), ("type", .string(row.type))]))
        }
        return .json(
            200,
            .object(
                JSONObject([
                    ("success", true), ("count", .int(page.count)), ("total", .int(rows.count)),
                    (isUser ? "users" : "domains", .array(Array(page)))
                ])))
    }

    /// Each domain, and each of its aliases as a row of its own.
    static func domainRows(_ s: OpenSRSStore, deleted: Bool) -> [Row] {
        s.domainOrder.flatMap { n -> [Row] in
            guard let e = s.domains[n], e.deleted == deleted else { return [] }
            return [Row(name: n, type: "domain")]
                + OpenSRSStore.aliases(e.attributes).map { Row(name: $0, type: "alias") }
        }
    }

    /// Each mailbox, and each of its alias addresses as a row of its own.
    static func userRows(_ s: OpenSRSStore, deleted: Bool, in domain: String?) -> [Row] {
        s.userOrder.flatMap { n -> [Row] in
            guard let e = s.users[n], e.deleted == deleted, domain.map({ n.hasSuffix("@" + $0) }) ?? true else {
                return []
            }
            let aliases = e.attributes["aliases"]?.array?.compactMap { $0.string?.lowercased() } ?? []
            return [Row(name: n, type: "mailbox")] + aliases.map { Row(name: $0, type: "alias") }
        }
    }
}
