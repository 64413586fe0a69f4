import MXJSON

/// `get_domain_changes` and `get_user_changes` (NOTES.md: the audit trail). ASSUMED
/// shape, the documents having none, as the real API answers: the request names the
/// `domain` (or `user`) and may page with `range{first, limit}`; the answer is
/// `{"success": true, "count": N, "total": T, "changes": [record, ...]}`, newest first,
/// each record `{"application", "msg", "time", "user"}` (OpenSRSStore.HistoryRecord);
/// a password change shows "****". An object the service never had is error 2
/// (domain) or 13 (user); a deleted one keeps its history.
extension OpenSRSAPI {
    static func registerHistory(_ r: inout Router<Handler>) {
        r.add("POST", "/get_domain_changes", { s, b in changes(&s, b, kind: "domain") })
        r.add("POST", "/get_user_changes", { s, b in changes(&s, b, kind: "user") })
    }

    static func changes(_ s: inout OpenSRSStore, _ body: JSONObject, kind: String) -> SandboxResponse {
        guard let n = name(body, kind) else { return badlyFormatted(kind, "required") }
        let known = kind == "domain" ? s.domains[n] != nil : s.users[n] != nil
        guard known else {
            return kind == "domain"
                ? failure(2, "The requested object does not exist") : failure(13, "User does not exist")
        }
        let range = body["range"]?.object
        let first = range?["first"].map { $0 == .null ? 0 : $0.int ?? -1 } ?? 0
        let limit = range?["limit"].map { $0 == .null ? defaultLimit : $0.int ?? -1 } ?? defaultLimit
        var hints = JSONObject()
        if first < 0 { hints["range.first"] = "a number from 0" }
        if limit < 0 { hints["range.limit"] = "a number from 0" }
        if hints.count > 0 { return failure(6, "Attribute is badly formatted", hints: hints) }
        let all = s.history.filter { $0.kind == kind && $0.object == n }.reversed()
        let page = all.dropFirst(first).prefix(limit).map(\.json)
        return .json(
            200,
            .object(
                JSONObject([
                    ("success", true), ("count", .int(page.count)), ("total", .int(all.count)),
                    ("changes", .array(Array(page)))
                ])))
    }
}
