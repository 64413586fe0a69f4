import MXJSON

/// Filtering rules on attachments (5.8) and on URIs (5.10), per domain: list (paged,
/// `action` filter, sorted by `action`), add (201 with the rule), edit (PATCH, partial,
/// 204), delete (204). The two differ in their fields and messages only (`FilterKind`).
///
/// ASSUMED: enum values are accepted in either case, with `-` or `_` (the models write
/// "deny", "archive-filename"; the examples "ALLOW", "CONTENTTYPE"), and answered in upper
/// case with `_` (ARCHIVE_FILENAME). `priority` is the rule's rank in its domain, by
/// creation (1 first). "Same rules" (409) is the same `filter` (and `checkType`), without
/// regard to case, whatever the action: one decision per pattern. A missing or invalid
/// member, or a `filter` that is not a regular expression (unbalanced brackets), is the
/// documented 400 "A problem occured" (also for POST, which documents no 400); a path id
/// that is not an id at all is that 400 too, an unknown one the 404. `Accept:
/// application/vnd.ms-excel` exports the page (CleanmailExport.swift).
extension CleanmailAPI {
    struct FilterKind: Sendable {
        let kind: CleanmailStore.Kind
        let path: String
        let actions: [String]
        let checkTypes: [String]?
        let missing: String
        let keys: [String]
    }

    static let attachmentFilters = FilterKind(
        kind: .attachmentFilter, path: "attachments", actions: ["ALLOW", "DENY"],
        checkTypes: ["FILENAME", "CONTENTTYPE", "ARCHIVE_CONTENTTYPE", "ARCHIVE_FILENAME"],
        missing: "No attachment filter found with given id",
        keys: ["id", "action", "checkType", "filter", "scope", "priority", "description", "createdDate"])
    static let uriFilters = FilterKind(
        kind: .uriFilter, path: "uris", actions: ["URIDNSBL_SKIP_DOMAIN", "WHITELIST_URI_HOST", "BLACKLIST_URI_HOST"],
        checkTypes: nil,
        missing: "No uriBl filter found with given id",
        keys: ["id", "scope", "action", "filter", "priority", "description", "createdDate"])

    static let filterProblem = "A problem occured"
    static let filterExists = "This item may already exists with same rules"
    static let filterDomainMissing = "Domain may not exist"

    static func registerFilters(_ r: inout Router<Route>) {
        for f in [attachmentFilters, uriFilters] {
            r.read("/domains/{domainId}/filters/\(f.path)") { s, c in
                try listFilters(&s, c.request, f, try domain(s, c["domainId"], filterDomainMissing))
            }
            r.write("POST", "/domains/{domainId}/filters/\(f.path)") { s, c in
                let d = try domain(s, c["domainId"], filterDomainMissing)
                let id = try addFilter(&s, f, d, try filterBody(c.request))
                return .json(
                    201, renderFilter(s, f, id),
                    headers: location(c.request, "/domains/\(c["domainId"])/filters/\(f.path)"))
            }
            r.write("PATCH", "/filters/\(f.path)/{filterId}") { s, c in
                let id = try filter(s, f, c["filterId"])
                try patchFilter(&s, f, id, try filterBody(c.request))
                return .empty(204)
            }
            r.write("DELETE", "/filters/\(f.path)/{filterId}") { s, c in
                s.remove(f.kind, try filter(s, f, c["filterId"]))
                return .empty(204)
            }
        }
    }

    static func filterBody(_ r: SandboxRequest) throws -> JSONObject {
        guard let o = r.json?.object else { throw Failure(400, filterProblem) }
        return o
    }

    static func filter(_ s: CleanmailStore, _ f: FilterKind, _ id: String) throws -> Int {
        guard let n = CleanmailID.decode(id) else { throw Failure(400, filterProblem) }
        guard s.record(f.kind, n) != nil else { throw Failure(404, f.missing) }
        return n
    }

    /// An enum value as the sandbox keeps it: upper case, `_`.
    static func enumValue(_ v: JSON?, _ allowed: [String]) -> String? {
        guard let text = v?.string else { return nil }
        let norm = text.uppercased().swapping("-", "_")
        return allowed.contains(norm) ? norm : nil
    }

    static func isPattern(_ p: String) -> Bool {
        guard !p.isEmpty else { return false }
        var depth = 0, inClass = false, escaped = false
        for ch in p {
            if escaped { escaped = false; continue }
            switch ch {
            case "\\": escaped = true
            case "[" where !inClass: inClass = true
            case "]" where inClass: inClass = false
            case "(" where !inClass: depth += 1
            case ")" where !inClass: depth -= 1; if depth < 0 { return false }
            default: break
            }
        }
        return depth == 0 && !inClass && !escaped
    }

    /// The rule's fields from a body: all required on POST (`partial` false).
    static func filterFields(_ f: FilterKind, _ o: JSONObject, partial: Bool) throws -> [(String, JSON)] {
        var out: [(String, JSON)] = []
        func take(_ key: String, _ check: (JSON) -> JSON?) throws {
            guard let v = o[key], v != .null else {
                if !partial { throw Failure(400, filterProblem) }
                return
            }
            guard let x = check(v) else { throw Failure(400, filterProblem) }
            out.append((key, x))
        }
        try take("action") { enumValue($0, f.actions).map(JSON.string) }
        if let types = f.checkTypes { try take("checkType") { enumValue($0, types).map(JSON.string) } }
        try take("filter") { v in v.string.flatMap { isPattern($0) ? .string($0) : nil } }
        if let d = o["description"] {
            guard d == .null || d.string != nil else { throw Failure(400, filterProblem) }
            out.append(("description", d))
        }
        return out
    }

    static func sameRule(_ s: CleanmailStore, _ f: FilterKind, domain d: Int, _ rule: JSONObject, except: Int?) -> Bool
    {
        s.ids(f.kind, where: "domainId", is: d).contains { id in
            guard id != except, let other = s.record(f.kind, id) else { return false }
            return other["filter"]?.string?.lowercased() == rule["filter"]?.string?.lowercased()
                && other["checkType"] == rule["checkType"]
        }
    }

    @discardableResult
    static func addFilter(_ s: inout CleanmailStore, _ f: FilterKind, _ d: Int, _ o: JSONObject) throws -> Int {
        let fields = try filterFields(f, o, partial: false)
        var rule = JSONObject(fields)
        if rule["description"] == nil { rule["description"] = .null }
        if sameRule(s, f, domain: d, rule, except: nil) { throw Failure(409, filterExists) }
        let now = s.now()
        return s.insert(
            f.kind, [("domainId", .string(CleanmailID.encode(d)))] + rule.pairs + [("createdDate", .int(now))])
    }

    static func patchFilter(_ s: inout CleanmailStore, _ f: FilterKind, _ id: Int, _ o: JSONObject) throws {
        let fields = try filterFields(f, o, partial: true)
        var rule = s.record(f.kind, id)!
        for (k, v) in fields { rule[k] = v }
        if let d = s.num(rule["domainId"]), sameRule(s, f, domain: d, rule, except: id) {
            throw Failure(409, filterExists)
        }
        s.records[f.kind]![id] = rule
    }

    static func renderFilter(_ s: CleanmailStore, _ f: FilterKind, _ id: Int) -> JSON {
        let rule = s.record(f.kind, id)!
        let d = s.num(rule["domainId"]) ?? 0
        let rank = (s.ids(f.kind, where: "domainId", is: d).firstIndex(of: id) ?? 0) + 1
        return .object(
            JSONObject(
                f.keys.map { k in
                    switch k {
                    case "scope": return (k, s.domains[d]?["name"] ?? .null)
                    case "priority": return (k, .int(rank))
                    default: return (k, rule[k] ?? .null)
                    }
                }))
    }

    static func listFilters(_ s: inout CleanmailStore, _ r: SandboxRequest, _ f: FilterKind, _ d: Int) throws
        -> SandboxResponse
    {
        let q = try listQuery(
            r, defaultSort: "action", fields: Set(f.keys),
            type: f.kind == .uriFilter ? "FilterUriBl" : "FilterAttachment")
        let action = r.queryValue("action").flatMap { $0.isEmpty ? nil : $0 }
        var wanted: String?
        if let action {
            guard let v = enumValue(.string(action), f.actions) else {
                throw Failure(
                    400,
                    "Failed to convert value of parameter 'action': '\(action)' is not one of "
                        + "\(f.actions.joined(separator: ", "))"
                )
            }
            wanted = v
        }
        return exportIfAsked(
            r,
            try page(
                &s, r, q,
                { s in
                    s.ids(f.kind, where: "domainId", is: d).filter {
                        wanted == nil || s.record(f.kind, $0)!["action"]?.string == wanted
                    }
                },
                key: { s, id, k in
                    k == "id"
                        ? .int(id)
                        : (k == "scope" || k == "priority")
                            ? renderFilter(s, f, id)[k] ?? .null : s.record(f.kind, id)![k] ?? .null
                }, render: { s, id in renderFilter(s, f, id) }))
    }
}

extension String {
    func swapping(_ a: Character, _ b: Character) -> String { String(map { $0 == a ? b : $0 }) }
}
