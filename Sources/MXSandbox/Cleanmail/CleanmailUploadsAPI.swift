import MXJSON

/// Files uploaded to be attached to a message (5.7.11 upload, 5.7.4 download, 5.7.1
/// delete) and sending a message (5.7.10) as a user, with them attached.
///
/// ASSUMED: the upload is `multipart/form-data` with a part named `file`
/// (`UploadFileRequest`, 6.62), answered 200 with an `AttachmentFile` (6.8); without it,
/// Spring's 400 "Required request part 'file' is not present". An unknown upload (or a
/// file name that is not its own) is a 404 "Resource does not exist.". Sending checks
/// `SmtpMessage` (6.58): at least one recipient, every address well formed, every
/// attachment's `uid` uploaded, else the documented 400 "Error in given parameters.";
/// the sender is the user of the path (an unknown one: 404 "The user not exist."). The
/// message is kept in the user's "Sent" folder and delivered to the INBOX of every
/// recipient who is a user of the sandbox; its uploads are deleted ("Files are
/// automaticaly deleted ... during its sending"). 200, no body.
extension CleanmailAPI {
    static let sendInvalid = "Error in given parameters."

    static func registerUploads(_ r: inout Router<Route>) {
        r.write("POST", "/emails/attachments") { s, c in
            guard let file = multipartFile(c.request) else {
                throw Failure(400, "Required request part 'file' is not present")
            }
            let n = s.next(.upload)
            let uid = hex64(fnv("upload:\(n):\(s.clock)")) + hex64(fnv(file.name + ":\(n)"))
            let uri = "/emails/attachments/\(uid)/\(encodePath(file.name))"
            let record = JSONObject([
                ("id", .string(CleanmailID.encode(n))), ("uid", .string(uid)), ("name", .string(file.name)),
                ("uri", .string(uri)), ("type", .string(file.type)), ("size", .int(file.bytes.count)),
                ("content", .string(base64(file.bytes)))
            ])
            s.records[.upload, default: [:]][n] = record
            return .json(200, .object(JSONObject(["uid", "name", "uri", "type", "size"].map { ($0, record[$0]!) })))
        }
        r.read("/emails/attachments/{uid}/{filename}") { s, c in
            let (_, f) = try upload(s, c)
            return SandboxResponse(
                status: 200,
                headers: [
                    ("Content-Type", f["type"]?.string ?? "application/octet-stream"),
                    ("Content-Disposition", "attachment; filename=\"\(f["name"]!.string!)\"")
                ],
                body: unbase64(f["content"]?.string ?? ""))
        }
        r.write("DELETE", "/emails/attachments/{uid}/{filename}") { s, c in
            s.remove(.upload, try upload(s, c).0)
            return .empty(204)
        }
        r.write("POST", "/users/{userIdOrEmail}/emails/send", denied: "Authorisation failure.", send)
    }

    static func upload(_ s: CleanmailStore, _ c: Call) throws -> (Int, JSONObject) {
        guard let (n, f) = s.all(.upload).first(where: { $0.value["uid"]?.string == c["uid"] }),
            f["name"]?.string == c["filename"]
        else {
            throw Failure(404, adminMissing)
        }
        return (n, f)
    }

    static func send(_ s: inout CleanmailStore, _ c: Call) throws -> SandboxResponse {
        let u = try mailbox(s, c["userIdOrEmail"], mailboxUserMissing)
        guard let o = c.request.json?.object else { throw Failure(400, sendInvalid) }
        func addresses(_ k: String) throws -> [String] {
            guard let v = o[k], v != .null else { return [] }
            guard let list = v.array?.compactMap(\.string), list.count == v.array?.count, list.allSatisfy(isEmail)
            else {
                throw Failure(400, sendInvalid)
            }
            return list.map { $0.lowercased() }
        }
        let to = try addresses("to"), cc = try addresses("cc"), bcc = try addresses("bcc")
        guard !(to + cc + bcc).isEmpty else { throw Failure(400, sendInvalid) }
        let subject = try optional(o, "subject") { $0.string } ?? ""
        let body = try optional(o, "body") { $0.string } ?? ""
        let important = o["important"]?.bool ?? false
        var files: [(Int, (String, String, [UInt8]))] = []
        for a in o["attachments"]?.array ?? [] {
            guard let uid = a["uid"]?.string, let name = a["name"]?.string,
                let (n, f) = s.all(.upload).first(where: { $0.value["uid"]?.string == uid })
            else { throw Failure(400, sendInvalid) }
            let bytes = unbase64(f["content"]?.string ?? "")
            files.append((n, (name, f["type"]?.string ?? "application/octet-stream", bytes)))
        }
        let from = s.users[u]!["email"]!.string!
        let now = s.now()
        var m = NewMessage(
            from: from, to: to, cc: cc, bcc: bcc, subject: subject, body: body, date: now,
            attachments: files.map(\.1), important: important, seen: true)
        deliver(&s, to: u, folder: "Sent", m)
        m.seen = false
        m.bcc = []
        for r in Set(to + cc + bcc) { if let local = s.emails[r] { deliver(&s, to: local, folder: "INBOX", m) } }
        for (n, _) in files { s.remove(.upload, n) }
        return .empty(200)
    }

    /// The `file` part of a multipart/form-data body: its file name, type and bytes.
    static func multipartFile(_ r: SandboxRequest) -> (name: String, type: String, bytes: [UInt8])? {
        guard let ct = r.header("Content-Type"), ct.lowercased().hasPrefix("multipart/form-data"),
            let b = ct.split(separator: ";").map({ String($0).trimmingCharacters(in: " ") }).first(where: {
                $0.hasPrefix("boundary=")
            })
        else { return nil }
        var boundary = String(b.dropFirst("boundary=".count))
        if boundary.hasPrefix("\""), boundary.hasSuffix("\""), boundary.count >= 2 {
            boundary = String(boundary.dropFirst().dropLast())
        }
        let delimiter = Array("--\(boundary)".utf8), body = r.body
        var starts: [Int] = []
        var i = 0
        while i + delimiter.count <= body.count {
            if body[i] == delimiter[0], Array(body[i..<i + delimiter.count]) == delimiter {
                starts.append(i); i += delimiter.count
            } else {
                i += 1
            }
        }
        for (k, start) in starts.enumerated() where k + 1 < starts.count {
            var part = Array(body[(start + delimiter.count)..<starts[k + 1]])
            if part.starts(with: [13, 10]) { part.removeFirst(2) }
            if part.suffix(2) == [13, 10] { part.removeLast(2) }
            let crlf2: [UInt8] = [13, 10, 13, 10]
            guard let split = (0..<max(0, part.count - 3)).first(where: { j in Array(part[j..<j + 4]) == crlf2 }) else {
                continue
            }
            let head = String(decoding: part[..<split], as: UTF8.self)
            let content = Array(part[(split + 4)...])
            guard head.lowercased().contains("name=\"file\"") else { continue }
            var name = "file", type = "application/octet-stream"
            for line in head.split(separator: "\r\n") {
                let l = String(line)
                if l.lowercased().hasPrefix("content-type:") {
                    type = String(l.dropFirst("content-type:".count)).trimmingCharacters(in: " ")
                }
                if let range = l.range(of: "filename=\"") {
                    name = String(l[range.upperBound...].prefix { $0 != "\"" })
                }
            }
            return (name, type, content)
        }
        return nil
    }

    static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    static func base64(_ bytes: [UInt8]) -> String {
        var out = ""
        var i = 0
        while i < bytes.count {
            let n = bytes.count - i
            let b0 = Int(bytes[i]), b1 = n > 1 ? Int(bytes[i + 1]) : 0, b2 = n > 2 ? Int(bytes[i + 2]) : 0
            out.append(base64Alphabet[b0 >> 2])
            out.append(base64Alphabet[(b0 & 3) << 4 | b1 >> 4])
            out.append(n > 1 ? base64Alphabet[(b1 & 15) << 2 | b2 >> 6] : "=")
            out.append(n > 2 ? base64Alphabet[b2 & 63] : "=")
            i += 3
        }
        return out
    }

    static func unbase64(_ text: String) -> [UInt8] {
        var map: [Character: Int] = [:]
        for (i, c) in base64Alphabet.enumerated() { map[c] = i }
        var out: [UInt8] = [], acc = 0, bits = 0
        for c in text {
            guard let v = map[c] else { continue }
            acc = acc << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((acc >> bits) & 0xff))
            }
        }
        return out
    }
}
