import MXJSON

/// Lists (sections 3 and 4 of the document): one filter at a time with `*` wildcards,
/// `sort=field` / `sort=-field`, `offset`/`pageSize` paging counted in `X-Total-Count`.
extension CleanmailAPI {
    struct ListQuery {
        var offset = 0
        var pageSize = CleanmailSimulation.defaultPageSize
        var sort: [(field: String, descending: Bool)] = []
    }

    /// `offset`, `pageSize` and `sort` (`name`, `-name`; ASSUMED: several fields may be
    /// given separated by commas, and an unknown field is Spring Data's 400).
    static func listQuery(_ r: SandboxRequest, defaultSort: String, fields: Set<String>, type: String) throws
        -> ListQuery
    {
        var q = ListQuery()
        if let o = r.queryValue("offset"), !o.isEmpty {
            // ASSUMED: a value that is not a non-negative integer is a 400.
            guard let n = Int(o), n >= 0 else {
                throw Failure(
                    400, "Failed to convert value of parameter 'offset': '\(o)' is not a non-negative integer")
            }
            q.offset = n
        }
        if let s = r.queryValue("pageSize"), !s.isEmpty {
            guard let n = Int(s), n > 0 else {
                throw Failure(400, "Failed to convert value of parameter 'pageSize': '\(s)' is not a positive integer")
            }
            q.pageSize = n
        }
        let spec = r.queryValue("sort").flatMap { $0.isEmpty ? nil : $0 } ?? defaultSort
        for raw in spec.split(separator: ",") {
            let item = String(raw).trimmingCharacters(in: " ")
            let descending = item.hasPrefix("-")
            let field = descending || item.hasPrefix("+") ? String(item.dropFirst()) : item
            guard fields.contains(field) else { throw Failure(400, "No property '\(field)' found for type '\(type)'") }
            q.sort.append((field, descending))
        }
        return q
    }

    /// Section 3.1: "Only one filter is allowed". ASSUMED: more than one is a 400.
    /// Returns the one given (name, value), if any; an empty value counts as absent.
    static func singleFilter(_ r: SandboxRequest, _ names: [String]) throws -> (String, String)? {
        let given = names.compactMap { n in r.queryValue(n).flatMap { $0.isEmpty ? nil : (n, $0) } }
        if given.count > 1 {
            throw Failure(400, "Only one filter is allowed (got \(given.map(\.0).joined(separator: ", ")))")
        }
        return given.first
    }

    /// Filter, sort, slice, render: a page of a list with `X-Total-Count`. The filtered
    /// and sorted ids are kept until the next write, so paging through a long list
    /// sorts it once, not once per page.
    ///
    /// The closures get the store as it is (a read), so they may look anything up.
    static func page(
        _ s: inout CleanmailStore, _ r: SandboxRequest, _ q: ListQuery, _ ids: (CleanmailStore) throws -> [Int],
        key: (CleanmailStore, Int, String) -> JSON, render: (CleanmailStore, Int) -> JSON
    ) throws -> SandboxResponse {
        let cacheKey =
            r.path + "?"
            + r.query.filter { $0.name != "offset" && $0.name != "pageSize" }
            .map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        let ordered: [Int]
        if let hit = s.listCache[cacheKey] {
            ordered = hit
        } else {
            let store = s
            var keyed: [(keys: [SortKey], id: Int)] = try ids(store).map { id in
                (q.sort.map { SortKey(key(store, id, $0.field)) }, id)
            }
            keyed.sort { a, b in
                for (i, field) in q.sort.enumerated() {
                    let c = a.keys[i].compare(b.keys[i])
                    if c != 0 { return field.descending ? c > 0 : c < 0 }
                }
                return a.id < b.id  // ASSUMED: ties in id order
            }
            ordered = keyed.map(\.id)
            if s.listCache.count >= 64 { s.listCache = [:] }
            s.listCache[cacheKey] = ordered
        }
        let slice = ordered.dropFirst(q.offset).prefix(q.pageSize)
        let store = s
        return .json(
            200, .array(slice.map { render(store, $0) }),
            headers: [("Access-Control-Expose-Headers", "X-Total-Count"), ("X-Total-Count", String(ordered.count))])
    }

    /// A value to sort on, prepared once. ASSUMED ordering (PostgreSQL's): nulls after
    /// values when ascending, before them when descending; text without regard to case.
    struct SortKey {
        var isNull = false
        var number = 0.0
        var text = ""
        var raw = ""

        init(_ v: JSON) {
            switch v {
            case .null: isNull = true
            case .int(let i): number = Double(i)
            case .double(let d): number = d
            case .bool(let b): number = b ? 1 : 0
            case .string(let s): text = s.lowercased(); raw = s
            default: raw = v.text
            }
        }

        func compare(_ o: SortKey) -> Int {
            if isNull || o.isNull { return isNull == o.isNull ? 0 : (isNull ? 1 : -1) }
            if number != o.number { return number < o.number ? -1 : 1 }
            if text != o.text { return text < o.text ? -1 : 1 }
            return raw == o.raw ? 0 : (raw < o.raw ? -1 : 1)
        }
    }

    /// Section 3.1: `name`, `name*`, `*name`, `*name*`; ASSUMED: `*` anywhere, and
    /// without regard to case.
    static func matches(_ text: String, _ pattern: String) -> Bool {
        let t = Array(text.lowercased()), p = Array(pattern.lowercased())
        var ti = 0, pi = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] != "*", p[pi] == t[ti] {
                ti += 1; pi += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
