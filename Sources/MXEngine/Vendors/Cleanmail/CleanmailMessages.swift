import MXJSON
import MXModel

/// A mailbox's folders (5.7.6, 5.7.7), the messages of any folder (5.7.8, every page,
/// searched by the vendor where the script's `where` allows: CleanmailSearch.swift),
/// one message (5.7.5), its attachments (5.7.2, 5.7.3) and releasing it (5.7.9). The
/// quarantine is the folder the mailbox's folder list names "Quarantine" (ASSUMED: the
/// document gives no folder names).
extension CleanmailAdapter {
    static let quarantineName = "quarantine"

    func quarantine(of mailbox: String, search: [SearchTerm] = []) throws -> [Settings] {
        let all = try folders(of: mailbox, parent: nil).compactMap { f -> String? in
            guard case .string(let path)? = f.fields["path"] else { return nil }
            return path
        }
        // The name is an assumption. A mailbox with no such folder has nothing
        // quarantined (its policy keeps none, or none came yet); but one whose folder
        // reads as a quarantine under another name (Quarantäne, Quarantaine, INBOX/
        // Quarantine, Cuarentena) has a quarantine this cannot be sure of: an error
        // naming the folders, not an empty list.
        guard let folder = all.first(where: { $0.lowercased() == Self.quarantineName }) else {
            let lookalike = all.contains { f in ["quarant", "cuarent"].contains { f.lowercased().contains($0) } }
            if !lookalike { return [] }
            throw VendorError(
                vendor: vendor.name, kind: .notFound, code: "not-found",
                message: "\(mailbox) has no folder named Quarantine (its folders: \(all.joined(separator: ", "))), "
                    + "so its quarantine is unknown; "
                    + "read a folder's with `messages of f`, f from `folders of u`")
        }
        return try messages(of: mailbox, folder: folder, search: search)
    }

    /// Every message of a folder that may meet `search` (all of them when it is empty).
    func messages(of mailbox: String, folder: String, search: [SearchTerm]) throws -> [Settings] {
        var out: [Settings] = []
        try pages(
            "/users/\(pathSegment(mailbox))/emails/\(pathSegment(folder))", filter: Self.searchQuery(search),
            what: "messages of \(mailbox) in \(folder)"
        ) { page in
            for m in page {
                guard let o = m.object else { throw shape("read messages of \(mailbox) in \(folder)") }
                out.append(try messageObject(o, mailbox: mailbox, folder: folder))
            }
            return true
        }
        return out
    }

    /// 5.7.6 (the top folders) or 5.7.7 (the folders inside `parent`), with their
    /// counts (`fields=STATS`). The answer is a whole list: the document pages neither.
    func folders(of mailbox: String, parent: String?) throws -> [Settings] {
        let path = "/users/\(pathSegment(mailbox))/emails/folders" + (parent.map { "/" + pathSegment($0) } ?? "")
        let what = parent.map { "folders of \(mailbox) in \($0)" } ?? "folders of \(mailbox)"
        let reply = try expect(api.call(.GET, path, query: [("fields", "STATS")]), "read", what)
        guard let list = reply.json?.array else { throw shape("read \(what)") }
        return try list.map { f in
            guard let o = f.object, let path = o["path"]?.string else { throw shape("read \(what)") }
            let name = o["name"]?.string ?? String(path.split(separator: "/").last ?? "")
            // Counts not given (no STATS) are unknown: none, never 0.
            let count = { (k: String) -> Value in o[k].map(Value.init(json:)) ?? .none }
            return Settings(
                kind: "folder", key: "\(mailbox.lowercased())/\(path)", owner: mailbox.lowercased(),
                fields: Record([
                    ("path", .string(path)), ("name", .string(name)), ("mailbox", .string(mailbox.lowercased())),
                    ("messageCount", count("messageCount")), ("unreadMessageCount", count("unreadMessageCount"))
                ]))
        }
    }

    /// One folder by its key (`mailbox/path`): found in its parent's list.
    func folder(_ key: String) throws -> Settings? {
        guard let slash = key.firstIndex(of: "/") else { return nil }
        let mailbox = String(key[..<slash]), path = String(key[key.index(after: slash)...])
        let parent = path.lastIndex(of: "/").map { String(path[..<$0]) }
        return try folders(of: mailbox, parent: parent).first { $0.key == key.lowercased() || $0.key == key }
    }

    /// The mailbox and path of a folder object.
    func folderPlace(_ f: Settings) throws -> (mailbox: String, path: String) {
        guard f.kind == "folder", case .string(let mailbox)? = f.fields["mailbox"],
            case .string(let path)? = f.fields["path"]
        else { throw shape("read folder \(f.key)") }
        return (mailbox, path)
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
        guard let id = m["id"]?.string else { throw shape("read messages of \(mailbox) in \(folder)") }
        let fields = Record([
            ("id", .string(id)), ("mailbox", .string(mailbox.lowercased())), ("folder", .string(folder)),
            ("sender", m["from"].map { Value(json: $0) } ?? .none),
            ("recipients", m["to"].map { Value(json: $0) } ?? .none),
            ("cc", m["cc"].map { Value(json: $0) } ?? .none),
            ("subject", m["subject"].map { Value(json: $0) } ?? .none),
            (
                "date",
                m["sentDate"].map { CleanmailMapping.millisecondsDate($0).map(Value.string) ?? Value(json: $0) }
                    ?? .none
            ),
            ("size", m["size"].map { Value(json: $0) } ?? .none),
            ("seen", m["seen"].map { Value(json: $0) } ?? .none),
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
                fields: declared(o, CleanmailMailKinds.attachment))
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
