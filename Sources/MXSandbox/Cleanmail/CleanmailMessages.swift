import MXJSON

/// The messages of a mailbox as the sandbox keeps them (5.7): quarantined, archived,
/// delivered and sent mail, each in one folder of one user. What the API shows of them
/// (`ImapMessage`, 6.34; `ImapMessageContent`, 6.37; `ImapMessageAttachment`, 6.35).
///
/// ASSUMED throughout: the document lost every field name of these models (NOTES in
/// CONTRADICTIONS.md); the sandbox names them after their descriptions and 5.7.8's
/// `sentDate`: `headers`, `attachments`, `id`, `uri`, `seen`, `answered`, `recent`,
/// `deleted`, `hasAttachments`, `important`, `sentDate`, `subject`, `from`, `to`, `cc`,
/// `bcc`, `size` (and `body`, `source`); an attachment is `partId`, `name`,
/// `contentType`, `size`, `downloadUri`, `displayUri`; a list of them `attachments`,
/// `archiveUri`, `count`. A message's `id` is its X-Fuglu-Id (32 hex digits); its
/// Message-ID finds it too. Quarantined mail is in the folder "Quarantine" with the
/// header `X-Cleanmail-Reason` (SPAM, VIRUS, BAD_ATTACHMENT, BLACKLISTED, ...); a virus
/// also has `X-Virus-Name`. Archived mail is under "Archive".
extension CleanmailAPI {
    static let baseFolders = ["INBOX", "Drafts", "Sent", "Quarantine", "Archive"]
    static let quarantineFolder = "Quarantine"

    struct NewMessage {
        var from: String
        var to: [String]
        var cc: [String] = []
        var bcc: [String] = []
        var subject: String
        var body: String
        var date: Int
        var reason: String? = nil
        var virus: String? = nil
        var spamScore: Double? = nil
        /// (name, content type, content): kept base64-encoded, so any bytes come back as sent.
        var attachments: [(String, String, [UInt8])] = []
        var important = false
        var seen = false
    }

    @discardableResult
    static func deliver(_ s: inout CleanmailStore, to u: Int, folder: String, _ m: NewMessage) -> Int {
        let n = s.next(.message)
        let fuglu = hex64(fnv("fuglu:\(n):\(m.date)")) + hex64(fnv("\(m.subject):\(n)"))
        let host = m.from.split(separator: "@").last.map(String.init) ?? "localhost"
        let messageID = "<\(hex64(fnv("mid:\(n):\(m.from)")))@\(host)>"
        var headers: [(String, JSON)] = [("From", .string(m.from)), ("To", .string(m.to.joined(separator: ", ")))]
        if !m.cc.isEmpty { headers.append(("Cc", .string(m.cc.joined(separator: ", ")))) }
        headers += [
            ("Subject", .string(m.subject)), ("Date", .string(isoTimestamp(m.date))),
            ("Message-ID", .string(messageID)),
            ("X-Fuglu-Id", .string(fuglu))
        ]
        if let score = m.spamScore { headers.append(("X-Spam-Score", .string(String(score)))) }
        if let reason = m.reason { headers.append(("X-Cleanmail-Reason", .string(reason))) }
        if let virus = m.virus { headers.append(("X-Virus-Name", .string(virus))) }
        let attachments: [JSON] = m.attachments.enumerated().map { i, a in
            .object(
                JSONObject([
                    ("partId", .string(String(i + 2))), ("name", .string(a.0)), ("contentType", .string(a.1)),
                    ("size", .int(a.2.count)), ("content", .string(base64(a.2)))
                ]))
        }
        let size =
            m.body.utf8.count + m.subject.utf8.count + 600 + m.attachments.reduce(0) { $0 + $1.2.count * 4 / 3 }
        s.records[.message, default: [:]][n] = JSONObject([
            ("id", .string(CleanmailID.encode(n))), ("userId", .string(CleanmailID.encode(u))),
            ("folder", .string(folder)),
            ("fugluId", .string(fuglu)), ("messageId", .string(messageID)), ("headers", .object(JSONObject(headers))),
            ("from", .string(m.from)), ("to", .array(m.to.map(JSON.string))), ("cc", .array(m.cc.map(JSON.string))),
            ("bcc", .array(m.bcc.map(JSON.string))), ("subject", .string(m.subject)), ("body", .string(m.body)),
            ("sentDate", .int(m.date)), ("size", .int(size)), ("seen", .bool(m.seen)), ("answered", false),
            ("recent", .bool(!m.seen)),
            ("deleted", false), ("important", .bool(m.important)), ("virus", m.virus.map(JSON.string) ?? .null),
            ("attachments", .array(attachments))
        ])
        return n
    }

    /// A message of the user by X-Fuglu-Id or Message-ID (with or without `<>`), in a folder or anywhere.
    static func findMessage(_ s: CleanmailStore, _ u: Int, folder: String?, _ key: String) -> Int? {
        let bare = key.hasPrefix("<") && key.hasSuffix(">") ? String(key.dropFirst().dropLast()) : key
        return s.ids(.message, where: "userId", is: u).first { id in
            let m = s.record(.message, id)!
            guard folder == nil || m["folder"]?.string == folder else { return false }
            return m["fugluId"]?.string == key || m["messageId"]?.string == key || m["messageId"]?.string == "<\(bare)>"
        }
    }

    static func encodePath(_ p: String) -> String {
        var out = ""
        for b in p.utf8 {
            let c = Character(UnicodeScalar(b))
            if c.isLetter && c.isASCII || c.isNumber && c.isASCII || "-._~".contains(c) {
                out.append(c)
            } else {
                out += "%" + String(hex64(UInt64(b)).suffix(2)).uppercased()
            }
        }
        return out
    }

    static func messageURI(_ s: CleanmailStore, _ m: JSONObject) -> String {
        "/users/\(m["userId"]!.string!)/emails/\(encodePath(m["folder"]!.string!))/\(m["fugluId"]!.string!)"
    }

    static func renderAttachment(_ base: String, _ a: JSON) -> JSON {
        let part = a["partId"]?.string ?? ""
        return .object(
            JSONObject([
                ("partId", .string(part)), ("name", a["name"] ?? .null), ("contentType", a["contentType"] ?? .null),
                ("size", a["size"] ?? .null), ("downloadUri", .string("\(base)/attachments/\(part)?dl=true")),
                ("displayUri", .string("\(base)/attachments/\(part)"))
            ]))
    }

    /// `ImapMessage`, or `ImapMessageContent` with `body`/`source` when asked.
    static func renderMessage(
        _ s: CleanmailStore, _ id: Int, headers: Bool = true, body: Bool = false, source: Bool = false
    ) -> JSON {
        let m = s.record(.message, id)!
        let uri = messageURI(s, m)
        let attachments = (m["attachments"]?.array ?? []).map { renderAttachment(uri, $0) }
        var out: [(String, JSON)] = [
            ("headers", headers ? m["headers"] ?? .null : .null), ("attachments", .array(attachments)),
            ("id", m["fugluId"]!),
            ("uri", .string(uri)), ("seen", m["seen"] ?? false), ("answered", m["answered"] ?? false),
            ("recent", m["recent"] ?? false),
            ("deleted", m["deleted"] ?? false), ("hasAttachments", .bool(!attachments.isEmpty)),
            ("important", m["important"] ?? false),
            ("sentDate", m["sentDate"]!), ("subject", m["subject"]!), ("from", m["from"]!), ("to", m["to"]!),
            ("cc", m["cc"]!),
            ("bcc", m["bcc"]!), ("size", m["size"]!)
        ]
        if body || source {
            out.append(("body", body ? m["body"]! : .null))
            out.append(("source", source ? .string(messageSource(m)) : .null))
        }
        return .object(JSONObject(out))
    }

    static func messageSource(_ m: JSONObject) -> String {
        let headers = (m["headers"]?.object?.pairs ?? []).map { "\($0.0): \($0.1.string ?? $0.1.text)" }.joined(
            separator: "\r\n")
        return headers + "\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + (m["body"]?.string ?? "")
    }
}
