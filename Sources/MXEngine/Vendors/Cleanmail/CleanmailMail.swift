import MXJSON
import MXModel

/// Sending mail as a mailbox (5.7.10) with files attached (uploaded first, 5.7.11, and
/// read back, 5.7.4; an upload the message never took is deleted, 5.7.1), and an attachment's content
/// (5.7.3). Everything a send needs is checked and every file read before the first
/// request: a bad address or an unreadable file sends nothing.
extension CleanmailAdapter {
    /// The largest file attached (ASSUMED: the document gives no limit; 25 MB is the
    /// usual limit of mail servers, and a larger message would not be delivered).
    static let largestAttachment = 25 << 20

    func sendMail(_ u: User, _ change: Change) throws -> ChangeOutcome {
        let what = "send-mail \(u.email)"
        func invalid(_ why: String) -> VendorError {
            VendorError(
                vendor: vendor.name, kind: .invalid, code: "invalid", message: "\(what): \(why); nothing is sent")
        }
        func addresses(_ name: String) throws -> [String] {
            try (change.fields[name]?.listValues ?? []).map { v in
                guard case .string(let text) = v, let a = try? EmailAddress.normalize(text) else {
                    throw invalid("\(name)= holds \(v.literal), which is not an email address")
                }
                return a
            }
        }
        let to = try addresses("to"), cc = try addresses("cc"), bcc = try addresses("bcc")
        guard !(to + cc + bcc).isEmpty else { throw invalid("it needs a recipient (to=, cc= or bcc=)") }
        var files: [(name: String, bytes: [UInt8])] = []
        for v in change.fields["attachments"]?.listValues ?? [] {
            guard case .string(let path) = v, !path.isEmpty else { throw invalid("attachments= holds \(v.literal)") }
            do {
                files.append((Self.baseName(path), try readBinaryFile(path, limit: Self.largestAttachment)))
            } catch let e as FileError {
                throw invalid(e.message)
            }
        }
        var uploaded: [(uid: String, name: String)] = []
        do {
            for f in files { uploaded.append(try upload(f.name, f.bytes, for: what)) }
        } catch var e as VendorError where e.code == VendorError.lost {
            // An upload's answer lost: no mail went, so the send failed (and may be sent again).
            deleteUploads(uploaded)
            e.code = "transport"
            e.message += "; nothing is sent"
            throw e
        } catch {
            deleteUploads(uploaded)
            throw error
        }
        var message = JSONObject([
            ("to", .array(to.map(JSON.string))), ("cc", .array(cc.map(JSON.string))),
            ("bcc", .array(bcc.map(JSON.string))),
            ("subject", .string(change.fields["subject"]?.text ?? "")),
            ("body", .string(change.fields["body"]?.text ?? "")),
            (
                "attachments",
                .array(uploaded.map { .object(JSONObject([("name", .string($0.name)), ("uid", .string($0.uid))])) })
            )
        ])
        if case .bool(let important)? = change.fields["important"] { message["important"] = .bool(important) }
        // Never repeated: a lost answer leaves the mail unknown (sent or not), which the
        // journal says; repeating could send it twice.
        let reply: VendorAPI.Reply
        do {
            reply = try api.call(
                .POST, "/users/\(pathSegment(u.email))/emails/send", body: .json(.object(message)),
                safeToRepeat: false)
        } catch var e as VendorError where e.code == VendorError.lost {
            // The uploads are kept: if the mail went, the vendor deleted them; if not, they expire.
            e.message = "\(what): unknown whether the mail was sent (\(e.message)); it is not sent again"
            throw e
        }
        guard reply.isSuccess else {
            // Not sent: the uploads it would have taken are deleted (5.7.1).
            deleteUploads(uploaded)
            try expect(reply, "send-mail as", u.email)
            return .applied(change.before)
        }
        // Sent: "Files are automaticaly deleted on server when they are included in an
        // e-mail during its sending" (5.7.11), so nothing is left to delete.
        return .applied(change.before)
    }

    /// 5.7.11: one file, its AttachmentFile (6.8) answer's `uid` and `name`.
    func upload(_ name: String, _ bytes: [UInt8], for what: String) throws -> (uid: String, name: String) {
        let reply = try api.call(
            .POST, "/emails/attachments",
            body: .file(part: "file", filename: name, type: Self.contentType(name), bytes: bytes),
            safeToRepeat: false)
        guard let o = try expect(reply, "\(what): upload", name).json?.object, let uid = o["uid"]?.string else {
            throw shape("\(what): upload \(name)")
        }
        let stored = o["name"]?.string ?? name
        // 5.7.4: the file read back before it is sent, so a mail never carries a file
        // cut short or changed on the way (the upload is one request, never resumed).
        let back = try api.call(
            .GET, "/emails/attachments/\(pathSegment(uid))/\(pathSegment(stored))", fileReply: true)
        guard try expect(back, "\(what): read back", name).bytes == bytes else {
            deleteUploads([(uid, stored)])
            throw VendorError(
                vendor: vendor.name, kind: .reply, code: "reply",
                message: "\(what): the upload of \(name) reads back different from the file; nothing is sent")
        }
        return (uid, stored)
    }

    /// 5.7.1, best effort: an upload not deleted is the vendor's to expire; a failure
    /// here does not hide why the send failed.
    func deleteUploads(_ uploads: [(uid: String, name: String)]) {
        for u in uploads {
            _ = try? api.call(.DELETE, "/emails/attachments/\(pathSegment(u.uid))/\(pathSegment(u.name))")
        }
    }

    /// 5.7.3: the bytes of an attachment (`?dl=true`: as a download).
    func content(of object: Settings) throws -> [UInt8] {
        guard object.kind == "attachment", let owner = object.owner, let (mailbox, folder, id) = messagePlace(owner),
            case .string(let part)? = object.fields["partId"]
        else { throw shape("read attachment \(object.key)") }
        let path =
            "/users/\(pathSegment(mailbox))/emails/\(pathSegment(folder))/\(pathSegment(id))"
            + "/attachments/\(pathSegment(part))"
        let reply = try api.call(.GET, path, query: [("dl", "true")], fileReply: true)
        if reply.status == 404 { throw VendorError.notFound(vendor.name, "attachment", object.key) }
        return try expect(reply, "read", "attachment \(object.key)").bytes
    }

    /// A message key's mailbox, folder (which may hold `/`) and id: `mailbox/folder/id`.
    func messagePlace(_ key: String) -> (String, String, String)? {
        guard let first = key.firstIndex(of: "/"), let last = key.lastIndex(of: "/"), first < last else { return nil }
        return (
            String(key[..<first]), String(key[key.index(after: first)..<last]), String(key[key.index(after: last)...])
        )
    }

    static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// The upload's content type, from the file's extension (the server may sniff its own).
    static func contentType(_ name: String) -> String {
        let types = [
            "pdf": "application/pdf", "txt": "text/plain", "html": "text/html", "htm": "text/html",
            "csv": "text/csv", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
            "zip": "application/zip", "json": "application/json", "xml": "application/xml",
            "ics": "text/calendar", "eml": "message/rfc822"
        ]
        let ext = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
        return name.contains(".") ? types[ext] ?? "application/octet-stream" : "application/octet-stream"
    }
}
