import Foundation
import Testing

/// A domain's policies other than the default (5.4.1, 5.4.2, 5.4.4), end to end over
/// HTTP against a sandbox server: listed, created, deleted, undone; `d.policy` kept.
@Suite(.serialized)
struct CleanmailPolicyTests {
    static let domain = "contoso-cm.net"
    static let policies = "policies of (cm.domain \"contoso-cm.net\")"

    @Test func aPolicyIsCreatedListedAndUndone() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let listing = "for p in \(Self.policies) < print p.policy p.default p.spamScore >\n"
        let before = try b.run(listing + "print (cm.domain \"\(Self.domain)\").policy.name\n", ["--no-journal"])
        #expect(before.status == 0, "\(before.stderr)")
        let defaults = before.stdout.split(separator: "\n").filter { $0.contains(" true ") }
        #expect(defaults.count == 1, "exactly one policy is the domain's default: \(before.stdout)")

        let make =
            "create-policy \"strict@\(Self.domain)\" quarantine=true retention=false incoming=true spamScore=3.5 "
            + "mailSizeLimit=10\n"
        let plan = try b.run(make, command: "plan")
        #expect(plan.status == 3, "\(plan.stderr)")
        #expect(plan.stdout.contains("+ domain-policy \"strict@\(Self.domain)\" at cm"), "\(plan.stdout)")
        let run = try b.run(make, ["--trace"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            run.stderr.contains("-> POST ") && run.stderr.contains("/policies\n"),
            "5.4.1 is what is sent: \(run.stderr)")
        let made = try b.lastRun()
        let after = try b.run(
            "for p in \(Self.policies) where name = \"strict\" < print p.policy p.default p.spamScore p.mailSizeLimit "
                + "p.quarantine >\n",
            ["--no-journal"])
        #expect(after.stdout == "strict@\(Self.domain) false 3.5 10 true\n", "\(after.stdout) \(after.stderr)")
        let again = try b.run(make, ["--no-journal"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("already as asked"), "a re-run makes no second policy: \(again.stderr)")
        let still = try b.run(listing + "print (cm.domain \"\(Self.domain)\").policy.name\n", ["--no-journal"])
        #expect(
            still.stdout.hasSuffix(before.stdout.split(separator: "\n").last.map { "\($0)\n" } ?? "-"),
            "d.policy is still the default one: \(still.stdout)")

        let set = try b.run("for p in \(Self.policies) where name = \"strict\" < set p spamScore=4.5 >\n", ["--trace"])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stderr.contains("-> PATCH "), "5.4.5 is what is sent: \(set.stderr)")
        let spam = "for p in \(Self.policies) where name = \"strict\" < print p.spamScore >\n"
        #expect(try b.run(spam, ["--no-journal"]).stdout == "4.5\n")
        let unset = try runMxsh(["undo", try b.lastRun()], in: b.home, environment: b.env)
        #expect(unset.status == 0, "\(unset.stderr)")
        #expect(try b.run(spam, ["--no-journal"]).stdout == "3.5\n", "undo restores the field")

        let undo = try runMxsh(["undo", made], in: b.home, environment: b.env)
        #expect(undo.status == 0, "\(undo.stderr)")
        let gone = try b.run("print count(\(Self.policies) where name = \"strict\")\n", ["--no-journal"])
        #expect(gone.stdout == "0\n", "undo deletes the policy the run made: \(gone.stdout) \(gone.stderr)")
    }

    @Test func aDeletedPolicyComesBackWithUndoAndTheDefaultOneCannotBeDeleted() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let made = try b.run(
            "create-policy \"loose@\(Self.domain)\" quarantine=false retention=true incoming=true outgoing=true "
                + "spamScore=9\n",
            ["--no-journal"])
        #expect(made.status == 0, "\(made.stderr)")
        let show =
            "for p in \(Self.policies) where name = \"loose\" < print p.quarantine p.retention p.outgoing p.spamScore "
            + "p.retentionProps >\n"
        let was = try b.run(show, ["--no-journal"])
        #expect(was.stdout.hasPrefix("false true true 9 "), "\(was.stdout) \(was.stderr)")

        let plan = try b.run("for p in \(Self.policies) where name = \"loose\" < delete-policy p >\n", command: "plan")
        #expect(plan.stdout.contains("- domain-policy \"loose@\(Self.domain)\" at cm"), "\(plan.stdout)")
        let deleted = try b.run("for p in \(Self.policies) where name = \"loose\" < delete-policy p >\n")
        #expect(deleted.status == 0, "\(deleted.stderr)")
        let gone = try b.run("print count(\(Self.policies) where name = \"loose\")\n", ["--no-journal"])
        #expect(gone.stdout == "0\n", "\(gone.stdout) \(gone.stderr)")

        let undo = try runMxsh(["undo", try b.lastRun()], in: b.home, environment: b.env)
        #expect(undo.status == 0, "\(undo.stderr)")
        let back = try b.run(show, ["--no-journal"])
        #expect(back.stdout == was.stdout, "re-created from its before-state: \(back.stdout) \(back.stderr)")

        let inUse = try b.run("for p in \(Self.policies) where default < delete-policy p >\n", ["--no-journal"])
        #expect(inUse.status == 1, "\(inUse.stderr)")
        #expect(
            inUse.stderr.contains("the policy is affected to a domain or a user"), "the vendor's 400: \(inUse.stderr)")
    }

    @Test func badPoliciesFailTheCheckAndTheRunAlike() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let cases: [(String, String)] = [
            (
                "create-policy \"x@\(Self.domain)\" quarantine=true retention=true incoming=true mailSizeLimit=0\n",
                "mailSizeLimit"
            ),
            (
                "create-policy \"x@\(Self.domain)\" quarantine=true retention=true incoming=true spamscore=5\n",
                "spamscore"
            ),
            (
                "create-policy \"x@\(Self.domain)\" quarantine=true retention=true incoming=true default=true\n",
                "read-only"
            ),
            ("for p in \(Self.policies) < set p name=\"other\" >\n", "read-only"),
            ("for p in \(Self.policies) < set p spamScore=400 >\n", "spamScore")
        ]
        for (script, message) in cases {
            for command in ["check", "run"] {
                let r = try b.run(script, command: command)
                #expect(r.status == 2, "\(command) \(script): \(r.stdout) \(r.stderr)")
                #expect(r.stderr.contains(message), "\(command) \(script): \(r.stderr)")
            }
        }
        let missing = try b.run("create-policy \"x@\(Self.domain)\" quarantine=true\n", ["--no-journal"])
        // Refused by the check, before anything is sent (the run refused it at the change).
        #expect(missing.status == 2, "\(missing.stderr)")
        #expect(
            missing.stderr.contains("cleanmail needs retention to create-policy")
                && missing.stderr.contains("cleanmail needs incoming to create-policy"),
            "nothing is sent without the document's required members: \(missing.stderr)")
        let unnamed = try b.run(
            "create-policy \"strict\" quarantine=true retention=true incoming=true\n", ["--no-journal"])
        #expect(unnamed.stderr.contains("name it NAME@DOMAIN"), "\(unnamed.stderr)")
        let none = try b.run("print count(\(Self.policies) where name = \"x\")\n", ["--no-journal"])
        #expect(none.stdout == "0\n", "nothing was created: \(none.stdout)")
    }
}
