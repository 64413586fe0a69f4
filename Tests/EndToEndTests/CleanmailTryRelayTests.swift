import Foundation
import Testing

/// Trying a relay before it is configured (5.11.6), end to end over HTTP against a
/// sandbox server: a reading command that gives a value and changes nothing.
@Suite(.serialized)
struct CleanmailTryRelayTests {
    @Test func aRelayIsTriedAndItsReportIsAValue() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let script = """
            let r = try-relay {transportDest: "mx.example.com", transportPort: 25, authType: "local"}
            print r.name r.type r.ok r.failures
            let bad = try-relay {transportDest: "mx.example.com", transportPort: 26, authType: "local", \
            fallbackTransportDest: "relay.invalid", fallbackTransportPort: 587}
            print bad.ok bad.failures

            """
        let plan = try b.run(script, command: "plan")
        #expect(plan.status == 0, "a reading command runs in plans and plans nothing: \(plan.stdout) \(plan.stderr)")
        let run = try b.run(script, ["--trace"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            run.stdout == "mx.example.com RELAY true []\nfalse [\"SMTP: ERROR\", \"SMTP_FALLBACK: ERROR\"]\n",
            "\(run.stdout)")
        #expect(run.stderr.contains("-> POST ") && run.stderr.contains("/health/try-relay"), "\(run.stderr)")
        #expect(run.stderr.contains("\"fallbackTransportPort\":587"), "the document's member names: \(run.stderr)")
    }

    @Test func badRelaysFailTheCheckAndTheRunAlike() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let cases: [(String, String)] = [
            ("let r = try-relay {transportDest: \"mx.example.com\", transportPort: 25}\n", "needs authType"),
            (
                "let r = try-relay {transportDest: \"mx.example.com\", transportPort: 70000, authType: \"local\"}\n",
                "transportPort"
            ),
            (
                "let r = try-relay {transportDest: \"mx.example.com\", port: 25, authType: \"local\"}\n",
                "takes no 'port'"
            ),
            ("let r = try-relay \"mx.example.com\"\n", "takes a record")
        ]
        for (script, message) in cases {
            for command in ["check", "run"] {
                let r = try b.run(script, command: command)
                #expect(r.status == 2, "\(command) \(script): \(r.stdout) \(r.stderr)")
                #expect(r.stderr.contains(message), "\(command) \(script): \(r.stderr)")
            }
        }
        let port =
            "let p = 70000\nlet r = try-relay {transportDest: \"mx.example.com\", transportPort: p, authType: "
            + "\"local\"}\n"
        let late = try b.run(port, ["--trace"])
        #expect(late.status != 0, "\(late.stderr)")
        #expect(late.stderr.contains("transportPort"), "a value known only when running is checked too: \(late.stderr)")
        #expect(!late.stderr.contains("/health/try-relay"), "nothing is sent: \(late.stderr)")
    }
}

/// A domain's relays (platforms): their last checks (5.11.5) and a new check of the
/// default one (5.11.2), as health reports.
@Suite(.serialized)
struct CleanmailPlatformHealthTests {
    @Test func aDomainsRelaysAreCheckedAndTheirLastChecksRead() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let script = """
            let d = cm.domain "contoso-cm.net"
            let h = diagnose-relay d
            print h.type h.ok count(h.entries)
            for r in relay_health of d < print r.type r.ok r.failures >

            """
        let plan = try b.run(script, command: "plan")
        #expect(plan.status == 0, "a reading command plans nothing: \(plan.stdout) \(plan.stderr)")
        let run = try b.run(script, ["--trace"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("PLATFORM true 1\n"), "\(run.stdout)")
        #expect(run.stdout.contains("PLATFORM true []\n"), "the last check is the one just run: \(run.stdout)")
        #expect(run.stderr.contains("-> POST ") && run.stderr.contains("/health"), "5.11.2: \(run.stderr)")
        #expect(run.stderr.contains("-> GET ") && run.stderr.contains("/platforms/"), "5.11.5: \(run.stderr)")
        for command in ["check", "run"] {
            let bad = try b.run("let h = diagnose-relay (cm.user \"nancy@northwind-mail.com\")\n", command: command)
            #expect(bad.status == 2, "\(command): \(bad.stdout) \(bad.stderr)")
            #expect(bad.stderr.contains("'diagnose-relay' needs a domain, not a user"), "\(command): \(bad.stderr)")
        }
    }
}
