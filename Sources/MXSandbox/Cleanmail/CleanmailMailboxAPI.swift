import MXJSON

/// A mailbox's folders and messages (5.7.2/3/5/6/7/8/9): quarantine, archive and the
/// rest, read over the API; searching a folder; releasing a message. Users are named by
/// id or address (`{userIdOrEmail}`); folder paths are percent-encoded in the path
/// (`Archive%2F2025`). The model: CleanmailMessages.swift.
///
/// The documented answers: 404 "The user not exist." (folders), "The user or the folder
/// not exist." (a folder's content), "The user or the mail not exist." (a message),
/// "The user or the couple folder/fugluId may not exist" (release); 412 for a release
/// of an infected message without `X-Virus-Lover`, or with it for a clean one; 500
/// "Something went wrong. Possibly unable to connect to Imap." (ASSUMED: a user whose
/// domain has no platform, so no mail server to reach).
///
/// ASSUMED: folders are INBOX, Drafts, Sent, Quarantine and Archive, and any folder a
/// message is in (`Archive/2025`); `fields=STATS` fills the counts (null otherwise).
/// Search: `from`, `to`, `cc`, `subject`, `body` contain the text (any case), `id` is the
/// X-Fuglu-Id or Message-ID; `operator` AND (default), OR or NOT (none matches) combines
/// them; `receivedAfter`/`receivedBefore` (epoch milliseconds or ISO 8601 dates,
/// inclusive) always restrict; `sort` on sentDate (`send_date` too), subject, from, size.
/// A message's `fields`: HEADERS (default), BODY, SOURCE, comma-separated. Release from
/// the quarantine moves the message to INBOX (unread, its spam tags `X-Cleanmail-Reason`
/// and `X-Spam-Score` removed, `X-Cleanmail-Released` added);
/// from another folder it delivers a copy to INBOX; a disabled account or a domain that
/// is not enabled is the 400 "An internal problem occured.". `dl=true` on the list of
/// attachments answers an (empty) zip archive.
extension CleanmailAPI {
    static let mailboxUserMissing = "The user not exist."
    static let folderMissing = "The user or the folder not exist."
    static let mailMissing = "The user or the mail not exist."
    static let releaseMissing = "The user or the couple folder/fugluId may not exist"
    static let imapDown = "Something went wrong. Possibly unable to connect to Imap."
    static let releaseVirus =
        "Release not allowed. The email you attempt to release is infected and no header X-Virus-Lover found in the "
        + "request OR the header X-Virus-Lover is present in the request while the email is not infected"

    static func registerMailboxes(_ r: inout Router<Route>) {
        // Registered before the `{folderPath}` routes they would otherwise meet.
        r.read("/users/{userIdOrEmail}/emails/folders") { s, c in
            try folders(s, c.request, try mailbox(s, c["userIdOrEmail"], mailboxUserMissing), parent: nil)
        }
        r.read("/users/{userIdOrEmail}/emails/folders/{path}") { s, c in
            let u = try mailbox(s, c["userIdOrEmail"], mailboxUserMissing)
            guard folderList(s, u).contains(c["path"]) else { throw Failure(404, folderMissing) }
            return try folders(s, c.request, u, parent: c["path"])
        }
        r.read("/users/{userIdOrEmail}/emails/{folderPath}") { s, c in
            let u = try mailbox(s, c["userIdOrEmail"], folderMissing)
            guard folderList(s, u).contains(c["folderPath"]) else { throw Failure(404, folderMissing) }
            return try searchFolder(&s, c.request, u, c["folderPath"])
        }
        r.read("/users/{userIdOrEmail}/emails/{folderPath}/{fugluIdOrMailId}") { s, c in
            let (_, m) = try message(s, c, "fugluIdOrMailId", mailMissing)
            let fields = try messageFields(c.request)
            return .json(
                200,
                renderMessage(
                    s, m, headers: fields.contains("HEADERS"), body: fields.contains("BODY"),
                    source: fields.contains("SOURCE")))
        }
        r.read("/users/{userId}/emails/{folderPath}/{messageId}/attachments") { s, c in
            let (_, m) = try message(s, c, "messageId", mailMissing, user: "userId")
            if c.request.queryValue("dl") == "true" {
                // An empty zip archive (its end-of-central-directory record alone).
                return SandboxResponse(
                    status: 200,
                    headers: [
                        ("Content-Type", "application/zip"),
                        ("Content-Disposition", "attachment; filename=\"attachments.zip\"")
                    ],
                    body: [0x50, 0x4b, 0x05, 0x06] + [UInt8](repeating: 0, count: 18))
            }
            let msg = s.record(.message, m)!
            let base = messageURI(s, msg)
            let list = (msg["attachments"]?.array ?? []).map { renderAttachment(base, $0) }
            return .json(
                200,
                .object(
                    JSONObject([
                        ("attachments", .array(list)), ("archiveUri", .string(base + "/attachments?dl=true")),
                        ("count", .int(list.count))
                    ])))
        }
        r.read("/users/{userId}/emails/{folderPath}/{emailId}/attachments/{partId}") { s, c in
            let (_, m) = try message(s, c, "emailId", mailMissing, user: "userId")
            guard
                let part = s.record(.message, m)!["attachments"]?.array?.first(where: {
                    $0["partId"]?.string == c["partId"]
                })
            else {
                throw Failure(404, mailMissing)
            }
            let name = part["name"]?.string ?? "attachment"
            let disposition = c.request.queryValue("dl") == "true" ? "attachment" : "inline"
            return SandboxResponse(
                status: 200,
                headers: [
                    ("Content-Type", part["contentType"]?.string ?? "application/octet-stream"),
                    ("Content-Disposition", "\(disposition); filename=\"\(name)\"")
                ],
                body: unbase64(part["content"]?.string ?? ""))
        }
        r.write(
            "POST", "/users/{userIdOrEmail}/emails/{folderPath}/{fugluId}/release", denied: "Authorisation failure.",
            release)
    }

    /// A user by id or address.
    static func mailbox(_ s: CleanmailStore, _ key: String, _ missing: String) throws -> Int {
        let u: Int?
        if key.contains("@") {
            u = s.emails[key.lowercased()]
        } else {
            u = CleanmailID.decode(key).flatMap { s.users[$0] != nil ? $0 : nil }
        }
        guard let u else { throw Failure(404, missing) }
        if let d = s.num(s.users[u]!["domainId"]), s.defaultPlatform(d) == nil { throw Failure(500, imapDown) }
        return u
    }

    static func message(
        _ s: CleanmailStore, _ c: Call, _ key: String, _ missing: String, user: String = "userIdOrEmail"
    ) throws -> (Int, Int) {
        let u = try mailbox(s, c[user], missing)
        guard let m = findMessage(s, u, folder: c["folderPath"], c[key]) else { throw Failure(404, missing) }
        return (u, m)
    }

    static func folderList(_ s: CleanmailStore, _ u: Int) -> [String] {
        var all = baseFolders
        for id in s.ids(.message, where: "userId", is: u) {
            guard let f = s.record(.message, id)?["folder"]?.string else { continue }
            var prefix = ""
            for part in f.split(separator: "/") {
                prefix = prefix.isEmpty ? String(part) : prefix + "/" + part
                if !all.contains(prefix) { all.append(prefix) }
            }
        }
        return all
    }

    static func folders(_ s: CleanmailStore, _ r: SandboxRequest, _ u: Int, parent: String?) throws -> SandboxResponse {
        let stats = (r.queryValue("fields") ?? "").uppercased().split(separator: ",").contains("STATS")
        let all = folderList(s, u)
        let children = all.filter { f in
            guard let parent else { return !f.contains("/") }
            return f.hasPrefix(parent + "/") && !f.dropFirst(parent.count + 1).contains("/")
        }
        let uid = CleanmailID.encode(u)
        let messages = s.ids(.message, where: "userId", is: u).compactMap { s.record(.message, $0) }
        return .json(
            200,
            .array(
                children.map { f in
                    let inside = messages.filter { $0["folder"]?.string == f }
                    return .object(
                        JSONObject([
                            ("name", .string(String(f.split(separator: "/").last ?? ""))), ("path", .string(f)),
                            ("unreadMessageCount", stats ? .int(inside.filter { $0["seen"] != true }.count) : .null),
                            ("messageCount", stats ? .int(inside.count) : .null),
                            ("messagesUri", .string("/users/\(uid)/emails/\(encodePath(f))")),
                            ("childrenUri", .string("/users/\(uid)/emails/folders/\(encodePath(f))"))
                        ]))
                }))
    }

    static func messageFields(_ r: SandboxRequest) throws -> Set<String> {
        guard let text = r.queryValue("fields"), !text.isEmpty else { return ["HEADERS"] }
        var out = Set<String>()
        for f in text.uppercased().split(separator: ",").map({ String($0).trimmingCharacters(in: " ") }) {
            guard ["HEADERS", "BODY", "SOURCE"].contains(f) else {
                throw Failure(
                    400, "Failed to convert value of parameter 'fields': '\(f)' is not one of HEADERS, BODY, SOURCE")
            }
            out.insert(f)
        }
        return out
    }

    static func searchFolder(_ s: inout CleanmailStore, _ r: SandboxRequest, _ u: Int, _ folder: String) throws
        -> SandboxResponse
    {
        var r2 = r
        // 5.7.8 writes the field `send_date` and defaults to `-sentDate`: both are accepted.
        r2.query = r.query.map { $0.name == "sort" ? ($0.name, $0.value.replacingSendDate()) : $0 }
        let q = try listQuery(
            r2, defaultSort: "-sentDate", fields: ["sentDate", "subject", "from", "size"], type: "ImapMessage")
        let op = (r.queryValue("operator") ?? "AND").uppercased()
        guard ["AND", "OR", "NOT", ""].contains(op) else {
            throw Failure(400, "Failed to convert value of parameter 'operator': '\(op)' is not one of AND, OR, NOT")
        }
        func date(_ name: String) throws -> Int? {
            guard let v = r.queryValue(name), !v.isEmpty else { return nil }
            guard let ms = parseDate(v) else {
                throw Failure(400, "Failed to convert value of parameter '\(name)': '\(v)' is not a date")
            }
            return ms
        }
        let after = try date("receivedAfter"), before = try date("receivedBefore")
        var criteria: [(JSONObject) -> Bool] = []
        func contains(_ text: String?, _ needle: String) -> Bool {
            (text ?? "").lowercased().contains(needle.lowercased())
        }
        func list(_ m: JSONObject, _ k: String) -> String {
            (m[k]?.array ?? []).compactMap(\.string).joined(separator: " ")
        }
        for (name, test) in [
            ("from", { (m: JSONObject, v: String) in contains(m["from"]?.string, v) }),
            ("to", { m, v in contains(list(m, "to"), v) }), ("cc", { m, v in contains(list(m, "cc"), v) }),
            ("subject", { m, v in contains(m["subject"]?.string, v) }),
            ("body", { m, v in contains(m["body"]?.string, v) }),
            (
                "id",
                { m, v in m["fugluId"]?.string == v || m["messageId"]?.string == v || m["messageId"]?.string == "<\(v)>"
                }
            )
        ] {
            if let v = r.queryValue(name), !v.isEmpty { criteria.append { test($0, v) } }
        }
        return try page(
            &s, r2, q,
            { s in
                s.ids(.message, where: "userId", is: u).filter { id in
                    let m = s.record(.message, id)!
                    guard m["folder"]?.string == folder else { return false }
                    let when = m["sentDate"]?.int ?? 0
                    if let after, when < after { return false }
                    if let before, when > before { return false }
                    if criteria.isEmpty { return true }
                    switch op {
                    case "OR": return criteria.contains { $0(m) }
                    case "NOT": return !criteria.contains { $0(m) }
                    default: return criteria.allSatisfy { $0(m) }
                    }
                }
            }, key: { s, id, f in s.record(.message, id)![f] ?? .null }, render: { s, id in renderMessage(s, id) })
    }

    static func release(_ s: inout CleanmailStore, _ c: Call) throws -> SandboxResponse {
        let u = try mailbox(s, c["userIdOrEmail"], releaseMissing)
        guard let m = findMessage(s, u, folder: c["folderPath"], c["fugluId"]) else {
            throw Failure(404, releaseMissing)
        }
        let infected = s.record(.message, m)!["virus"] != .null
        let lover = c.request.header("X-Virus-Lover") != nil
        if infected != lover { throw Failure(412, releaseVirus) }
        let user = s.users[u]!
        if user["status"]?.string == "DISABLED"
            || s.num(user["domainId"]).flatMap({ s.domains[$0]?["status"]?.string }) != "ENABLED"
        {
            throw Failure(400, "An internal problem occured.")
        }
        let now = s.now()
        if c["folderPath"] == quarantineFolder {
            s.update(.message, m) { x in
                x["folder"] = "INBOX"
                x["seen"] = false
                x["recent"] = true
                var h = x["headers"]?.object ?? JSONObject()
                h["X-Cleanmail-Released"] = .string(isoTimestamp(now))
                // 5.7.9: "the spam tag would be removed".
                h["X-Cleanmail-Reason"] = nil
                h["X-Spam-Score"] = nil
                x["headers"] = .object(h)
            }
        } else {
            var copy = s.record(.message, m)!
            let n = s.next(.message)
            copy["id"] = .string(CleanmailID.encode(n))
            copy["folder"] = "INBOX"
            copy["seen"] = false
            copy["recent"] = true
            copy["fugluId"] = .string(hex64(fnv("fuglu:\(n):\(now)")) + hex64(fnv("release:\(n)")))
            s.records[.message]![n] = copy
        }
        return .empty(204)
    }

    /// Epoch milliseconds, or `2026-01-15`, `2026-01-15T10:00`, `2026-01-15T10:00:00Z` (UTC).
    static func parseDate(_ text: String) -> Int? {
        if let ms = Int(text) { return ms }
        let chars = Array(text)
        func num(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= chars.count else { return nil }
            return Int(String(chars[from..<from + count]))
        }
        guard chars.count >= 10, chars[4] == "-", chars[7] == "-", let y = num(0, 4), let mo = num(5, 2),
            let d = num(8, 2),
            (1...12).contains(mo), (1...31).contains(d)
        else { return nil }
        var secs = 0
        if chars.count > 10 {
            guard chars[10] == "T" || chars[10] == " ", let h = num(11, 2), let mi = num(14, 2) else { return nil }
            secs = h * 3600 + mi * 60 + (chars.count >= 19 && chars[16] == ":" ? num(17, 2) ?? 0 : 0)
        }
        let yy = mo <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return (days * 86_400 + secs) * 1000
    }
}

extension String {
    func replacingSendDate() -> String {
        split(separator: ",", omittingEmptySubsequences: false).map { part -> String in
            let p = String(part)
            if p == "send_date" { return "sentDate" }
            if p == "-send_date" { return "-sentDate" }
            return p
        }.joined(separator: ",")
    }
}
