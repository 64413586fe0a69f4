import MXJSON
import MXModel

/// A mailbox's quarantine (5.7.6, 5.7.8) and releasing a message from it (5.7.9).
/// Every page of the folder is read; the folder is the one the mailbox's folder list
/// names "Quarantine" (ASSUMED: the document gives no folder names).
extension CleanmailAdapter {
    static let quarantineName = "quarantine"

    func quarantine(of mailbox: String) throws -> [Settings] {
        guard let folder = try quarantineFolder(mailbox) else { return [] }
        var out: [Settings] = []
        try pages(
            "/users/\(pathSegment(mailbox))/emails/\(pathSegment(folder))", filter: [], what: "quarantine of \(mailbox)"
        ) { page in
            for case .object(let m) in page { out.append(try messageObject(m, mailbox: mailbox, folder: folder)) }
            return true
        }
        return out
    }

    /// The folder's path, or nil when the mailbox has none (an account without a mail store).
    func quarantineFolder(_ mailbox: String) throws -> String? {
        let reply = try expect(
            api.call(.GET, "/users/\(pathSegment(mailbox))/emails/folders"), "read", "folders of \(mailbox)")
        guard let folders = reply.json?.array else { throw shape("read folders of \(mailbox)") }
        return folders.compactMap { $0["path"]?.string }.first { $0.lowercased() == Self.quarantineName }
    }

    /// One message by its key (`mailbox/folder/id`); nil when the vendor says there is none.
    func message(_ key: String) throws -> Settings? {
        let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, let slash = parts[1].lastIndex(of: "/") else { return nil }
        let (mailbox, folder, id) = (
            parts[0], String(parts[1][..<slash]), String(parts[1][parts[1].index(after: slash)...])
        )
        let reply = try api.call(
            .GET, "/users/\(pathSegment(mailbox))/emails/\(pathSegment(folder))/\(pathSegment(id))")
        if reply.status == 404 { return nil }
        guard let m = try expect(reply, "read", "message \(id) of \(mailbox)").json?.object else {
            throw shape("read message \(id)")
        }
        return try messageObject(m, mailbox: mailbox, folder: folder)
    }

    func messageObject(_ m: JSONObject, mailbox: String, folder: String) throws -> Settings {
        guard let id = m["id"]?.string else { throw shape("read quarantine of \(mailbox)") }
        let fields = Record([
            ("id", .string(id)), ("mailbox", .string(mailbox.lowercased())), ("folder", .string(folder)),
            ("sender", m["from"].map { Value(json: $0) } ?? .none),
            ("recipients", m["to"].map { Value(json: $0) } ?? .none),
            ("subject", m["subject"].map { Value(json: $0) } ?? .none),
            (
                "date",
                m["sentDate"].map { CleanmailMapping.millisecondsDate($0).map(Value.string) ?? Value(json: $0) }
                    ?? .none
            ),
            ("size", m["size"].map { Value(json: $0) } ?? .none),
            ("hasAttachments", m["hasAttachments"].map { Value(json: $0) } ?? .none),
            ("headers", m["headers"].map { Value(json: $0) } ?? .none)
        ])
        return Settings(
            kind: "message", key: "\(mailbox.lowercased())/\(folder)/\(id)", owner: mailbox.lowercased(), fields: fields
        )
    }

    /// 5.7.2: the attachments' metadata of a message (`attachments of m`); the answer's
    /// `attachments` list, every entry read (the document gives the list no paging).
    func attachments(of m: Settings) throws -> [Settings] {
        guard m.kind == "message", case .string(let mailbox)? = m.fields["mailbox"],
            case .string(let folder)? = m.fields["folder"], case .string(let id)? = m.fields["id"]
        else { throw shape("read attachments of \(m.key)") }
        let reply = try expect(
            api.call(
                .GET, "/users/\(pathSegment(mailbox))/emails/\(pathSegment(folder))/\(pathSegment(id))/attachments"),
            "read", "attachments of message \(m.key)")
        guard let list = reply.json?["attachments"]?.array else { throw shape("read attachments of \(m.key)") }
        return try list.map { a in
            guard let o = a.object, let part = o["partId"].map({ $0.string ?? $0.text }) else {
                throw shape("read attachments of \(m.key)")
            }
            return Settings(
                kind: "attachment", key: "\(m.key)/\(part)", owner: m.key,
                fields: declared(o, CleanmailObjectKinds.attachment))
        }
    }

    /// 5.7.9: a message flagged as infected is released only with `virus=true`, which
    /// sends `X-Virus-Lover`; the vendor's 412 is said in words.
    func release(_ s: Settings, _ change: Change) throws -> ChangeOutcome {
        guard case .string(let mailbox)? = s.fields["mailbox"], case .string(let folder)? = s.fields["folder"],
            case .string(let id)? = s.fields["id"]
        else { throw shape("read message \(s.key)") }
        let virus: Bool
        if case .bool(true)? = change.fields["virus"] { virus = true } else { virus = false }
        let reply = try api.call(
            .POST, "/users/\(pathSegment(mailbox))/emails/\(pathSegment(folder))/\(pathSegment(id))/release",
            headers: virus ? [("X-Virus-Lover", "true")] : [], safeToRepeat: false)
        if reply.status == 412 {
            throw VendorError(
                vendor: vendor.name, kind: .refused, code: "412",
                message: virus
                    ? "release \(s.key): the message is not flagged as infected; release it without virus=true"
                    : "release \(s.key): the message is flagged as infected; release it with virus=true if you mean it")
        }
        try expect(reply, "release", "message \(s.key)")
        return .applied(.settings(s))
    }
}
