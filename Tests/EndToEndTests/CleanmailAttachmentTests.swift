import Foundation
import Testing

/// A quarantined message's attachments (5.7.2), end to end over HTTP against a sandbox
/// server: `attachments of m` in `for` and `where`, and a bad member refused by the check.
@Suite(.serialized)
struct CleanmailAttachmentTests {
    static let nancy = "quarantine of (cm.user \"nancy@northwind-mail.com\")"

    @Test func aMessagesAttachmentsAreReadPrintedAndFiltered() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let script = """
            for m in \(Self.nancy) where m.hasAttachments < for a in attachments of m < print a.filename a.size \
            a.type a.partId > >
            for m in \(Self.nancy) < for a in attachments of m where a.type = "application/x-msdownload" < print \
            "risky" m.subject > >
            for m in \(Self.nancy) where not m.hasAttachments < print "none" count(attachments of m) >

            """
        let run = try b.run(script, ["--trace"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("invoice-88231.pdf.exe 42 application/x-msdownload 2"), "\(run.stdout)")
        #expect(
            lines.contains("PO-5521.xlsx 19 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet 2"),
            "\(run.stdout)")
        #expect(lines.contains("risky Invoice 88231 overdue"), "\(run.stdout)")
        #expect(!run.stdout.contains("risky Purchase"), "\(run.stdout)")
        #expect(lines.filter { $0 == "none 0" }.count == 2, "messages without attachments have none: \(run.stdout)")
        #expect(run.stderr.contains("/attachments"), "5.7.2 is what is read: \(run.stderr)")
    }

    @Test func aMemberAMessageDoesNotHaveFailsTheCheckAndTheRunAlike() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let script = "for m in \(Self.nancy) < print count(attachment of m) >\n"
        for command in ["check", "run"] {
            let r = try b.run(script, command: command)
            #expect(r.status == 2, "\(command): \(r.stdout) \(r.stderr)")
            #expect(r.stderr.contains("a message has no 'attachment'"), "\(command): \(r.stderr)")
            #expect(r.stderr.contains("it has: attachments"), "\(command): \(r.stderr)")
        }
    }
}
