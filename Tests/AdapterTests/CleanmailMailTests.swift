import Foundation
import MXEngine
import MXJSON
import MXSandbox
import Testing

/// A mailbox's mail at Cleanmail (5.7), from the language, over HTTP against the
/// sandbox: folders and sub-folders, the messages of any folder (every page, the
/// `where` searched by the vendor), sending with attachments, saving an attachment.
@Suite(.serialized)
struct CleanmailMailTests {
    static let helene = "cm.user \"helene@woodgrove-bank.fr\""

    func cleanmail(_ f: SandboxFixture) throws -> CleanmailSimulation {
        try #require(f.sandbox.simulations.compactMap { $0 as? CleanmailSimulation }.first)
    }

    @Test func foldersAndSubFoldersAreRecordsWithTheirCounts() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            for x in folders of \(Self.helene) < print x.path x.name x.messageCount x.unreadMessageCount x.mailbox >
            for x in folders of \(Self.helene) where name = "Archive" <
                for y in folders of x < print y.path y.name y.messageCount >
            >
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(
            host.lines == [
                "INBOX INBOX 0 0 helene@woodgrove-bank.fr", "Drafts Drafts 0 0 helene@woodgrove-bank.fr",
                "Sent Sent 0 0 helene@woodgrove-bank.fr", "Quarantine Quarantine 0 0 helene@woodgrove-bank.fr",
                "Archive Archive 0 0 helene@woodgrove-bank.fr", "Archive/2025 2025 1", "Archive/2026 2026 1"
            ], "\(host.lines)")
        let reads = try await f.requests("cleanmail").filter { $0.contains("/emails/folders") }
        #expect(reads.count == 3, "5.7.6 once per loop, 5.7.7 once: \(reads)")
    }

    @Test func everyPageOfAnArchivedFolderIsReadAndTheWhereIsSearchedByTheVendor() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let sim = try cleanmail(f)
        for i in 0..<230 {
            _ = sim.quarantine(
                "helene@woodgrove-bank.fr", from: "news\(i)@bulk.example", subject: "Letter \(i)",
                folder: "Archive/2026")
        }
        for i in 0..<3 {
            _ = sim.quarantine(
                "helene@woodgrove-bank.fr", from: "ceo@target.example", subject: "Board \(i)", folder: "Archive/2026")
        }
        let archive = "((folders of \(Self.helene)) where path = \"Archive\")[0]"
        let all = await f.run("for y in folders of \(archive) where name = \"2026\" < print count(messages of y) >\n")
        #expect(all.0 == .ok, "\(all.1.stderr)")
        #expect(all.1.lines == ["234"], "every page: \(all.1.lines)")
        let pagesOfAll = try await f.requests("cleanmail").filter { $0.contains("/emails/Archive") }
        #expect(pagesOfAll.count == 3, "234 at 100 a page: \(pagesOfAll)")

        let (outcome, host) = await f.run(
            """
            for y in folders of \(archive) where name = "2026" <
                for m in messages of y where sender ~ "*@target.example" and subject ~ "Board*" <
                    print m.subject m.sender
                >
                print count(messages of y where date >= "2000-01-01" and date <= "2100-01-01")
                print count(messages of y where date < "2000-01-01")
            >
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(
            host.lines.sorted() == [
                "0", "234", "Board 0 ceo@target.example", "Board 1 ceo@target.example", "Board 2 ceo@target.example"
            ], "\(host.lines)")
        let searched = try await f.requests("cleanmail").filter { $0.contains("/emails/Archive") }.dropFirst(3)
        // The sender's search is one page of three; the dates, widened, still all three pages;
        // before 2000, one empty page.
        #expect(searched.count == 1 + 3 + 1, "the vendor searched: \(searched)")
    }

    @Test func aMessageIsSentWithItsFilesAndItsAttachmentIsSavedByteForByte() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cm-mail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("report.bin")
        let bytes = (0..<600).map { UInt8($0 % 256) }
        try Data(bytes).write(to: file)
        let saved = dir.appendingPathComponent("saved.bin").path
        let inbox = "((folders of cm.user \"kim@contoso-cm.net\") where path = \"INBOX\")[0]"
        let (outcome, host) = await f.run(
            """
            let nancy = cm.user "nancy@northwind-mail.com"
            let files = ["\(file.path)"]
            let cc = ["andrew@northwind-mail.com"]
            send-mail nancy to=["kim@contoso-cm.net"] cc=cc subject="Figures" body="<p>See it.</p>" attachments=files
            for m in messages of \(inbox) where subject = "Figures" <
                print m.sender m.recipients m.cc m.hasAttachments
                for a in attachments of m < print a.filename a.size
                    save-attachment a "\(saved)" >
            >
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(
            host.lines == [
                "nancy@northwind-mail.com [\"kim@contoso-cm.net\"] [\"andrew@northwind-mail.com\"] true",
                "report.bin 600"
            ], "\(host.lines)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: saved)) == Data(bytes), "byte for byte")
        let mode = try FileManager.default.attributesOfItem(atPath: saved)[.posixPermissions] as? Int
        #expect(mode == 0o600, "a private file")
        let log = try await f.requests("cleanmail")
        #expect(log.contains("POST /emails/attachments 200"), "\(log)")
        #expect(log.contains { $0.hasPrefix("GET /emails/attachments/") && $0.hasSuffix(" 200") }, "read back: \(log)")
        #expect(log.contains { $0.hasPrefix("POST /users/") && $0.hasSuffix("/emails/send 200") }, "\(log)")
        #expect(!log.contains { $0.hasPrefix("DELETE /emails/attachments") }, "sent: the vendor deletes it: \(log)")
        #expect(log.contains { $0.contains("/attachments/2") && $0.hasPrefix("GET /users/") }, "5.7.3: \(log)")
        let state = try await f.state("cleanmail")
        #expect(state.text.contains("\"Figures\""), "kept in Sent and delivered")

        let again = await f.run(
            """
            for m in messages of \(inbox) where subject = "Figures" <
                for a in attachments of m < save-attachment a "\(saved)" >
            >
            """)
        #expect(again.0 == .failed, "\(again.1.stderr)")
        #expect(again.1.stderr.contains("\(saved) exists: nothing is written"), "\(again.1.stderr)")
        #expect(again.1.stderr.contains("give replace=true to replace it"), "\(again.1.stderr)")
        let replaced = await f.run(
            """
            for m in messages of \(inbox) where subject = "Figures" <
                for a in attachments of m < save-attachment a "\(saved)" replace=true >
            >
            """)
        #expect(replaced.0 == .ok, "\(replaced.1.stderr)")
    }

    @Test func aSendThatCannotBeMadeSendsNothing() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let nancy = "cm.user \"nancy@northwind-mail.com\""
        for (script, message) in [
            ("send-mail (\(nancy)) subject=\"x\"", "it needs a recipient (to=, cc= or bcc=)"),
            (
                "send-mail (\(nancy)) to=[\"kim@contoso-cm.net\"] attachments=[\"/nonexistent/file.pdf\"]",
                "cannot read /nonexistent/file.pdf"
            ),
            ("send-mail (\(nancy)) to=[\"kim@contoso-cm.net\"] attachments=[\"/tmp\"]", "not a regular file")
        ] {
            let (outcome, host) = await f.run(script + "\n")
            #expect(outcome == .failed, "\(script): \(host.stderr)")
            #expect(host.stderr.contains(message) && host.stderr.contains("nothing is sent"), "\(host.stderr)")
        }
        // An address is a value the check sees: refused before the script runs.
        let (outcome, host) = await f.run("send-mail (\(nancy)) to=[\"not an address\"] subject=\"x\"\n")
        #expect(outcome == .invalid, "\(host.stderr)")
        #expect(host.stderr.contains("to: 'not an address' is not an email address"), "\(host.stderr)")
        let log = try await f.requests("cleanmail")
        #expect(!log.contains { $0.contains("/emails/attachments") || $0.contains("/emails/send") }, "\(log)")
    }

    /// A mailbox whose domain has no platform: the vendor cannot reach its mail store
    /// (the sandbox's 500). The upload the message did not take is deleted (5.7.1).
    @Test func aSendTheVendorRefusesDeletesItsUploads() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cm-up-\(UUID().uuidString).txt")
        try Data("upload".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let (outcome, host) = await f.run(
            """
            create-user "ann@alpineski-house.eu" name="Ann Ski" at=cm
            send-mail (cm.user "ann@alpineski-house.eu") to=["kim@contoso-cm.net"] attachments=["\(file.path)"]
            """)
        #expect(outcome == .failed, "\(host.stderr)")
        #expect(host.stderr.contains("Possibly unable to connect to Imap"), "\(host.stderr)")
        let log = try await f.requests("cleanmail").filter { $0.contains("/emails/") }
        #expect(log.count == 4, "\(log)")
        #expect(log.first == "POST /emails/attachments 200", "\(log)")
        #expect(log.dropFirst(2).first?.hasSuffix("/emails/send 500") == true, "\(log)")
        #expect(log.last?.hasPrefix("DELETE /emails/attachments/") == true && log.last?.hasSuffix(" 204") == true)
    }

    @Test func aPlanMarksTheSendIrreversibleAndSendsNothing() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            send-mail (cm.user "nancy@northwind-mail.com") to=["kim@contoso-cm.net"] subject="Hi" body="x"
            send-sign-in-token (cm.user "nancy@northwind-mail.com") validity=2
            """, plan: true, echo: true)
        #expect(outcome == .ok, "\(host.stderr)")
        let log = try await f.requests("cleanmail")
        #expect(!log.contains { $0.contains("/emails/send") || $0.contains("/token") }, "\(log)")
        #expect(host.stderr.contains("! user \"nancy@northwind-mail.com\" at cm: send-mail"), "\(host.stderr)")
    }

    @Test func permissionsSignInTokensAndARenamedAlias() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            print (count(permissions of cm.domain "northwind-mail.com") > 0)
            for p in permissions of cm.domain "northwind-mail.com" where name = "GRANT" <
                print p.name p.editable p.domain
            >
            send-sign-in-token (cm.user "nancy@northwind-mail.com") validity=2
            for g in groups of cm.domain "northwind-mail.com" where email = "sales@northwind-mail.com" <
                rename-group g "team@northwind-mail.com"
                print g.email g.members
            >
            print count(groups of cm.domain "northwind-mail.com" where email = "sales@northwind-mail.com")
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(
            host.lines == [
                "true", "GRANT true northwind-mail.com",
                "team@northwind-mail.com [\"nancy@northwind-mail.com\", \"andrew@northwind-mail.com\", "
                    + "\"sales-backup@partner.example\"]", "0"
            ], "\(host.lines)")
        let log = try await f.requests("cleanmail")
        #expect(log.contains { $0.hasPrefix("GET /security/permissions") && $0.hasSuffix(" 200") }, "\(log)")
        #expect(log.contains("GET /token 202"), "\(log)")
        #expect(log.contains { $0.hasPrefix("PATCH /domains/") && $0.contains("/groups/") }, "\(log)")
        let away = await f.run(
            """
            for g in groups of cm.domain "northwind-mail.com" where email = "all@northwind-mail.com" <
                rename-group g "all@contoso-cm.net"
            >
            """)
        #expect(away.0 == .failed, "\(away.1.stderr)")
        #expect(away.1.stderr.contains("is not of its domain northwind-mail.com; nothing is sent"), "\(away.1.stderr)")
    }
}
