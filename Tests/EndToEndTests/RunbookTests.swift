import Foundation
import Testing

/// The shipped runbooks (scripts/demo.mxsh and scripts/runbooks/) run as a user runs
/// them, from the repository's root, against the in-process sandbox.
struct RunbookTests {
    func run(_ script: String) throws -> ProcessResult {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        return try runMxsh(["run", script], in: packageRoot, environment: testEnvironment(home: home))
    }

    @Test func demoTour() throws {
        let r = try run("scripts/demo.mxsh")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("dragonstone.io is ENABLED and delivers to mx.dragonstone.io"))
        #expect(r.stdout.contains("aliases      stark.net, si.net, mail-stark-industries.net"))
        #expect(r.stdout.contains("cm now holds 13 domains"))
        #expect(r.stderr.contains("copied: 1 created, 0 updated, 0 already the same"))
        #expect(!r.stdout.contains("sandbox-token") && !r.stderr.contains("sandbox-token"))
    }

    @Test func bulkAliasChange() throws {
        let r = try run("scripts/runbooks/bulk-alias-change.mxsh")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "  stark-industries.net: old.net -> new.net\n1 domain(s) changed; 0 still carry old.net\n")
    }

    @Test func auditOfDisabledDomains() throws {
        let r = try run("scripts/runbooks/audit-disabled.mxsh")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.stdout.split(separator: "\n") == [
                "domain,vendor,mailboxes", "dragonstone.io,proofpoint,1", "old.com,proofpoint,0",
                "pyke.net,proofpoint,0",
                "proseware.co,cleanmail,0", "wingtip-air.net,cleanmail,0",
                "initech.biz,opensrs,1", "tyrell.co,opensrs,0", "vandelay.industries,opensrs,0"
            ])
    }

    @Test func csvImportIsIdempotent() throws {
        let r = try run("scripts/runbooks/csv-import.mxsh")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "3 imported domains at cm\n")
        #expect(r.stderr.contains("3 changes applied, 3 already as asked"), "\(r.stderr)")
    }

    @Test func quarantineReleaseBySender() throws {
        let r = try run("scripts/runbooks/quarantine-release.mxsh")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.stdout
                == "  nancy@northwind-mail.com: Purchase order PO-5521 (from orders@partners.example.com)\n1 "
                + "message(s) released\n"
        )
    }

    @Test func dkimOnboardingPrintsTheRecordsToPublish() throws {
        let r = try run("scripts/runbooks/dkim-onboarding.mxsh")
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.last == "7 DKIM key(s) made; publish the records above", "\(r.stdout)")
        #expect(
            lines.dropLast().allSatisfy { $0.hasPrefix("protect._domainkey.") && $0.contains(" TXT v=DKIM1; p=") },
            "\(r.stdout)")
    }

    @Test func healthReportDiagnosesEveryEnabledDomain() throws {
        let r = try run("scripts/runbooks/health-report.mxsh")
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first == "domain,test" && lines.last == "8 domain(s) need attention", "\(r.stdout)")
        #expect(lines.contains("woodgrove-bank.fr,DKIM: ERROR_DKIM_INVALID_COUPLE"), "\(r.stdout)")
    }

    @Test func blockingAnAttachmentTypeEverywhere() throws {
        let r = try run("scripts/runbooks/block-attachment.mxsh")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "8 domain(s) now block .iso attachments\n", "\(r.stdout)")
    }

    @Test func senderRulesWithDescriptionsAndExpiry() throws {
        let r = try run("scripts/runbooks/sender-rules.mxsh")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("campaign.partner.example spring campaign 2031-12-31T00:00:00Z\n"), "\(r.stdout)")
        #expect(
            r.stdout.contains("partners.example.com Suppliers' portal none\n"),
            "the domain's other rules stay: \(r.stdout)")
    }
}
