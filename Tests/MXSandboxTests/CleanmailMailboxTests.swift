import MXHTTP
import MXJSON
import MXSandbox
import Testing

/// Quarantine and archived mail (5.7): folders, searching a folder, reading a message and
/// its attachments, releasing (412 for a virus without `X-Virus-Lover`), uploading and
/// sending, over HTTP.
@Suite(.serialized)
struct CleanmailMailboxTests {
    static let messageKeys = [
        "headers", "attachments", "id", "uri", "seen", "answered", "recent", "deleted", "hasAttachments", "important",
        "sentDate", "subject", "from", "to", "cc", "bcc", "size"
    ]
    static let virusRefused =
        "Release not allowed. The email you attempt to release is infected and no header X-Virus-Lover found in the "
        + "request OR the header X-Virus-Lover is present in the request while the email is not infected"

    @Test func foldersByIdOrAddressWithStatsAndChildren() async throws {
        let k = try await CleanmailKit.start()
        let folders = try await k.get("/users/nancy@northwind-mail.com/emails/folders")
        #expect(folders.array?.map { $0["path"] } == ["INBOX", "Drafts", "Sent", "Quarantine", "Archive"])
        #expect(
            folders.array?.first?.object?.keys == [
                "name", "path", "unreadMessageCount", "messageCount", "messagesUri", "childrenUri"
            ])
        #expect(folders.array?[3]["messageCount"] == .null)
        let nancy = try await k.user("nancy@northwind-mail.com")
        let stats = try await k.get("/users/\(nancy)/emails/folders?fields=STATS")
        #expect(stats.array?[3]["messageCount"] == 4)
        #expect(stats.array?[3]["unreadMessageCount"] == 4)
        #expect(stats.array?[0]["unreadMessageCount"] == 0)
        #expect(stats.array?[3]["messagesUri"] == .string("/users/\(nancy)/emails/Quarantine"))

        let archive = try await k.get("/users/helene@woodgrove-bank.fr/emails/folders/Archive?fields=STATS")
        #expect(archive.array?.map { $0["path"] } == ["Archive/2025", "Archive/2026"])
        #expect(archive.array?.map { $0["name"] } == ["2025", "2026"])
        #expect(archive.array?.first?["messagesUri"]?.string?.hasSuffix("/emails/Archive%2F2025") == true)
        #expect(try await k.get("/users/helene@woodgrove-bank.fr/emails/Archive%2F2025").array?.count == 1)

        try k.expectError(
            try await k.send(.GET, "/users/nobody@northwind-mail.com/emails/folders"), 404, "The user not exist.")
        try k.expectError(
            try await k.send(.GET, "/users/\(nancy)/emails/folders/Nowhere"), 404, "The user or the folder not exist.")
        // A mailbox whose domain has no platform: no IMAP server to reach.
        let pending = k.domain("alpineski-house.eu")
        #expect(
            try await k.send(
                .POST, "/users", ["email": "eva@alpineski-house.eu", "status": "ENABLED", "domainId": .string(pending)]
            ).status == 201)
        try k.expectError(
            try await k.send(.GET, "/users/eva@alpineski-house.eu/emails/folders"), 500,
            "Something went wrong. Possibly unable to connect to Imap.")
    }

    @Test func searchAFolderWithTheDocumentedParameters() async throws {
        let k = try await CleanmailKit.start()
        let base = "/users/nancy@northwind-mail.com/emails/Quarantine"
        let r = try await k.send(.GET, base)
        #expect(r.header("X-Total-Count") == "4")
        let all = try k.json(r).array ?? []
        #expect(all.first?.object?.keys == Self.messageKeys)
        // Default sort -sentDate: newest first.
        let dates = all.compactMap { $0["sentDate"]?.int }
        #expect(dates == dates.sorted(by: >))
        func subjects(_ q: String) async throws -> [String] {
            try await k.get(base + "?" + q).array?.compactMap { $0["subject"]?.string } ?? []
        }
        #expect(try await subjects("from=mega-offers") == ["You won a free cruise!!!"])
        #expect(try await subjects("subject=INVOICE") == ["Invoice 88231 overdue"])
        #expect(try await subjects("body=purchase%20order") == ["Purchase order PO-5521"])
        #expect(try await subjects("to=nancy@northwind-mail.com").count == 4)
        #expect(try await subjects("cc=someone").isEmpty)
        #expect(
            try await subjects("from=mega-offers&subject=invoice&operator=OR").sorted() == [
                "Invoice 88231 overdue", "You won a free cruise!!!"
            ])
        #expect(try await subjects("from=mega-offers&subject=invoice").isEmpty)
        #expect(try await subjects("from=mega-offers&operator=NOT").count == 3)
        #expect(try await subjects("sort=send_date").first == "Invoice 88231 overdue")
        #expect(try await subjects("sort=subject").first == "Invoice 88231 overdue")
        let newest = try #require(dates.first)
        #expect(try await subjects("receivedAfter=\(newest)").count == 1)
        #expect(try await subjects("receivedBefore=\(newest - 1)").count == 3)
        #expect(try await subjects("receivedAfter=2026-01-21").count == 4)
        #expect(try await subjects("receivedBefore=2026-01-21T00:00:00Z").isEmpty)
        let id = try #require(all.first?["id"]?.string)
        #expect(try await k.get(base + "?id=\(id)").array?.count == 1)
        #expect(try await k.send(.GET, base + "?operator=XOR").status == 400)
        #expect(try await k.send(.GET, base + "?receivedAfter=yesterday").status == 400)
        try k.expectError(
            try await k.send(.GET, "/users/nancy@northwind-mail.com/emails/Spam"), 404,
            "The user or the folder not exist.")
        try k.expectError(try await k.send(.GET, "/users/zzzzz/emails/INBOX"), 404, "The user or the folder not exist.")
    }

    @Test func pagesPastOnePage() async throws {
        let k = try await CleanmailKit.start()
        for i in 0..<45 {
            let r = try await k.send(
                .POST, "/users/andrew@northwind-mail.com/emails/send",
                ["to": ["patti@contoso-cm.net"], "subject": .string("Report \(i)"), "body": "<p>Weekly</p>"])
            #expect(r.status == 200)
        }
        let first = try await k.send(.GET, "/users/patti@contoso-cm.net/emails/INBOX")
        #expect(try k.json(first).array?.count == 40)
        #expect(first.header("X-Total-Count") == "45")
        let all = try await k.pages("/users/patti@contoso-cm.net/emails/INBOX?sort=sentDate", pageSize: 40)
        #expect(all.map { $0["subject"]?.string ?? "" } == (0..<45).map { "Report \($0)" })
        #expect(try await k.get("/users/andrew@northwind-mail.com/emails/Sent").array?.count == 40)
    }

    @Test func readAMessageAndItsAttachments() async throws {
        let k = try await CleanmailKit.start()
        let base = "/users/nancy@northwind-mail.com/emails/Quarantine"
        let virus = try #require(try await k.get(base + "?subject=Invoice").array?.first)
        let id = try #require(virus["id"]?.string)
        #expect(id.count == 32)
        let message = try await k.get("\(base)/\(id)")
        #expect(message["headers"]?["X-Cleanmail-Reason"] == "VIRUS")
        #expect(message["headers"]?["X-Virus-Name"] == "Win.Trojan.Agent-1234")
        #expect(message["hasAttachments"] == true)
        #expect(message.object?["body"] == nil)
        let full = try await k.get("\(base)/\(id)?fields=HEADERS,BODY,SOURCE")
        #expect(full["body"] == "Please find attached the overdue invoice.")
        #expect(full["source"]?.string?.contains("X-Fuglu-Id: \(id)") == true)
        let bodyOnly = try await k.get("\(base)/\(id)?fields=BODY")
        #expect(bodyOnly["headers"] == .null)
        // By Message-ID too.
        let mid = try #require(message["headers"]?["Message-ID"]?.string)
        #expect(try await k.get("\(base)/\(CleanmailAPIPath.encode(mid))")["id"] == .string(id))
        #expect(try await k.send(.GET, "\(base)/\(id)?fields=EVERYTHING").status == 400)
        try k.expectError(try await k.send(.GET, "\(base)/0000"), 404, "The user or the mail not exist.")
        try k.expectError(
            try await k.send(.GET, "/users/nancy@northwind-mail.com/emails/INBOX/\(id)"), 404,
            "The user or the mail not exist.")

        let nancy = try await k.user("nancy@northwind-mail.com")
        let list = try await k.get("/users/\(nancy)/emails/Quarantine/\(id)/attachments")
        #expect(list.object?.keys == ["attachments", "archiveUri", "count"])
        #expect(list["count"] == 1)
        let part = try #require(list["attachments"]?.array?.first)
        #expect(part.object?.keys == ["partId", "name", "contentType", "size", "downloadUri", "displayUri"])
        #expect(part["name"] == "invoice-88231.pdf.exe")
        let download = try await k.send(
            .GET, "/users/\(nancy)/emails/Quarantine/\(id)/attachments/\(part["partId"]!.string!)?dl=true")
        #expect(download.status == 200)
        #expect(download.header("Content-Type") == "application/x-msdownload")
        #expect(download.header("Content-Disposition") == "attachment; filename=\"invoice-88231.pdf.exe\"")
        #expect(download.body.count == part["size"]?.int)
        let zip = try await k.send(.GET, "/users/\(nancy)/emails/Quarantine/\(id)/attachments?dl=true")
        #expect(zip.header("Content-Type") == "application/zip")
        #expect(try await k.send(.GET, "/users/\(nancy)/emails/Quarantine/\(id)/attachments/99").status == 404)
    }

    @Test func releaseAVirusNeedsXVirusLoverAndACleanMessageMustNotHaveIt() async throws {
        let k = try await CleanmailKit.start()
        let base = "/users/nancy@northwind-mail.com/emails/Quarantine"
        let virus = try #require(try await k.get(base + "?subject=Invoice").array?.first?["id"]?.string)
        let spam = try #require(try await k.get(base + "?subject=cruise").array?.first?["id"]?.string)

        try k.expectError(
            try await k.send(.POST, "\(base)/\(virus)/release"), 412, Self.virusRefused,
            path: "\(base)/\(virus)/release")
        try k.expectError(
            try await k.send(.POST, "\(base)/\(spam)/release", headers: [("X-Virus-Lover", "true")]), 412,
            Self.virusRefused)
        #expect(try await k.send(.POST, "\(base)/\(spam)/release", readOnly: true).status == 403)

        #expect(try await k.send(.POST, "\(base)/\(spam)/release").status == 204)
        let inbox = try await k.get("/users/nancy@northwind-mail.com/emails/INBOX?subject=cruise").array ?? []
        #expect(inbox.count == 1)
        #expect(inbox.first?["seen"] == false)
        #expect(inbox.first?["headers"]?["X-Cleanmail-Released"] != nil)
        #expect(inbox.first?["headers"]?["X-Cleanmail-Reason"] == nil)
        #expect(inbox.first?["headers"]?["X-Spam-Score"] == nil)
        try k.expectError(
            try await k.send(.POST, "\(base)/\(spam)/release"), 404,
            "The user or the couple folder/fugluId may not exist")
        #expect(try await k.send(.POST, "\(base)/\(virus)/release", headers: [("X-Virus-Lover", "yes")]).status == 204)
        #expect(try await k.get(base).array?.count == 2)
        try k.expectError(
            try await k.send(.POST, "/users/nobody@northwind-mail.com/emails/Quarantine/\(spam)/release"), 404,
            "The user or the couple folder/fugluId may not exist")

        // From the archive, a copy is delivered and the original stays.
        let archived = try #require(
            try await k.get("/users/helene@woodgrove-bank.fr/emails/Archive%2F2026").array?.first?["id"]?.string)
        #expect(
            try await k.send(.POST, "/users/helene@woodgrove-bank.fr/emails/Archive%2F2026/\(archived)/release").status
                == 204)
        #expect(try await k.get("/users/helene@woodgrove-bank.fr/emails/Archive%2F2026").array?.count == 1)
        #expect(try await k.get("/users/helene@woodgrove-bank.fr/emails/INBOX").array?.count == 1)

        // A disabled account cannot receive: the documented 400.
        let kim = try await k.user("kim@contoso-cm.net")
        #expect(try await k.send(.PATCH, "/users/\(kim)", ["status": "DISABLED"]).status == 204)
        let held = try #require(try await k.get("/users/\(kim)/emails/Quarantine").array?.first?["id"]?.string)
        try k.expectError(
            try await k.send(.POST, "/users/\(kim)/emails/Quarantine/\(held)/release"), 400,
            "An internal problem occured.")
    }

    @Test func uploadAttachSendAndDeleteFiles() async throws {
        let k = try await CleanmailKit.start()
        let boundary = "----mxsh-boundary"
        let content = "col1;col2\r\n1;2\r\n"
        let multipart =
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"report.csv\"\r\nContent-Type: "
            + "text/csv\r\n\r\n\(content)\r\n--\(boundary)--\r\n"
        let up = try await k.raw(
            .POST, "/emails/attachments", body: Array(multipart.utf8),
            contentType: "multipart/form-data; boundary=\(boundary)")
        #expect(up.status == 200)
        let file = try k.json(up)
        #expect(file.object?.keys == ["uid", "name", "uri", "type", "size"])
        #expect(file["size"] == .int(content.utf8.count))
        let uri = try #require(file["uri"]?.string)
        let uid = try #require(file["uid"]?.string)
        let back = try await k.send(.GET, uri)
        #expect(back.status == 200)
        #expect(String(decoding: back.body, as: UTF8.self) == content)
        #expect(back.header("Content-Type") == "text/csv")
        #expect(try await k.send(.GET, "/emails/attachments/\(uid)/other.csv").status == 404)
        #expect(try await k.raw(.POST, "/emails/attachments", body: [], contentType: "application/json").status == 400)

        let sent = try await k.send(
            .POST, "/users/nancy@northwind-mail.com/emails/send",
            [
                "to": ["andrew@northwind-mail.com"], "cc": ["someone@elsewhere.example"], "subject": "Figures",
                "body": "<p>See attached</p>", "attachments": [["name": "figures.csv", "uid": .string(uid)]],
                "important": true
            ])
        #expect(sent.status == 200)
        let received = try #require(
            try await k.get("/users/andrew@northwind-mail.com/emails/INBOX?subject=Figures").array?.first)
        #expect(received["from"] == "nancy@northwind-mail.com")
        #expect(received["attachments"]?.array?.first?["name"] == "figures.csv")
        #expect(received["important"] == true)
        #expect(try await k.get("/users/nancy@northwind-mail.com/emails/Sent?subject=Figures").array?.count == 1)
        // Sending deleted the upload.
        #expect(try await k.send(.GET, uri).status == 404)

        let invalid = "Error in given parameters."
        try k.expectError(
            try await k.send(.POST, "/users/nancy@northwind-mail.com/emails/send", ["subject": "nobody"]), 400, invalid)
        try k.expectError(
            try await k.send(.POST, "/users/nancy@northwind-mail.com/emails/send", ["to": ["not an address"]]), 400,
            invalid)
        try k.expectError(
            try await k.send(
                .POST, "/users/nancy@northwind-mail.com/emails/send",
                ["to": ["a@b.fr"], "attachments": [["name": "x", "uid": "missing"]]]), 400, invalid)
        #expect(
            try await k.send(.POST, "/users/nobody@northwind-mail.com/emails/send", ["to": ["a@b.fr"]]).status == 404)

        let again = try await k.raw(
            .POST, "/emails/attachments", body: Array(multipart.utf8),
            contentType: "multipart/form-data; boundary=\(boundary)")
        let second = try k.json(again)
        #expect(try await k.send(.DELETE, second["uri"]!.string!).status == 204)
        #expect(try await k.send(.DELETE, second["uri"]!.string!).status == 404)
    }
}

/// Percent-encoding of a path segment (a Message-ID has `<`, `>` and `@`).
enum CleanmailAPIPath {
    static func encode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(UnicodeScalar(b))
            if c.isASCII && (c.isLetter || c.isNumber || "-._~".contains(c)) {
                out.append(c)
            } else {
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded()
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded() -> String { count == 1 ? "0" + self : self }
}

/// The seeding helpers for section 5's services.
@Suite struct CleanmailServiceSeedingTests {
    @Test func quarantineAndDNSHelpers() async throws {
        let k = try await CleanmailKit.start()
        var ids: [String] = []
        for i in 0..<50 {
            ids.append(
                try #require(k.sim.quarantine("kim@contoso-cm.net", from: "wave@phish.example", subject: "Wave \(i)")))
        }
        let virus = try #require(
            k.sim.quarantine(
                "kim@contoso-cm.net", from: "wave@phish.example", subject: "Wave EICAR", virus: "Eicar-Test-Signature"))
        #expect(k.sim.quarantine("ghost@contoso-cm.net", from: "a@b.fr", subject: "x") == nil)
        let held = try await k.pages("/users/kim@contoso-cm.net/emails/Quarantine?from=phish.example", pageSize: 40)
        #expect(held.count == 51)
        #expect(try await k.send(.POST, "/users/kim@contoso-cm.net/emails/Quarantine/\(ids[0])/release").status == 204)
        #expect(try await k.send(.POST, "/users/kim@contoso-cm.net/emails/Quarantine/\(virus)/release").status == 412)
        k.sim.setDNS(domain: "contoso-cm.net", mx: "OK")
        #expect(try await k.send(.DELETE, "/domains/\(k.domain("contoso-cm.net"))").status == 422)
        k.sim.setDNS(domain: "litware-inc.com", mx: "OK", dkimMatches: false)
        #expect(try await k.send(.POST, "/domains/\(k.domain("litware-inc.com"))/dkim").status == 201)
        let h = try k.json(try await k.send(.POST, "/domains/\(k.domain("litware-inc.com"))/health"))
        // A key made through the API is published at once: the couple matches again.
        #expect(h["report"]?["entries"]?.array?.map { $0["result"] } == ["OK", "OK"])
    }
}
