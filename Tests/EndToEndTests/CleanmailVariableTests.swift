import Foundation
import Testing

/// What a variable shows after a change moves its object, and a field the vendor never
/// gives back (Cleanmail, over HTTP against a sandbox server).
@Suite(.serialized)
struct CleanmailVariableTests {
    /// A mailbox moved, then changed through a second variable looked up at its new address.
    static let moveAndFollow = """
        let u = cm.user "kim@contoso-cm.net"
        move-user u "kim.abercrombie@northwind-mail.com"
        print u.email u.domain
        let k = cm.user "kim.abercrombie@northwind-mail.com"
        set k name="Kim B"
        print u.name

        """

    @Test func aVariableHoldingAMovedMailboxFollowsIt() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let script = Self.moveAndFollow
        for extra in [["--no-journal"], []] {
            let run = try b.run(script, extra)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(
                run.stdout == "kim.abercrombie@northwind-mail.com northwind-mail.com\nKim B\n",
                "\(extra): the variable is the mailbox, wherever it went: \(run.stdout)")
            let back = try b.run("move-user (cm.user \"kim.abercrombie@northwind-mail.com\") \"kim@contoso-cm.net\"\n")
            #expect(back.status == 0, "\(back.stderr)")
        }
    }

    /// A plan moves the mailbox as the run does: the variable follows it, a lookup of the
    /// new address is the same mailbox, a later change is planned at the new address, and
    /// the old address holds nothing.
    @Test func aPlannedMoveIsFollowedByTheVariable() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let script =
            Self.moveAndFollow
            + "print count(users of (cm.domain \"contoso-cm.net\") where email = \"kim@contoso-cm.net\")\n"
        let plan = try b.run(script, command: "plan")
        #expect(plan.status == 3, "\(plan.stderr)")
        #expect(plan.stdout.contains("move-user: address \"kim.abercrombie@northwind-mail.com\""), "\(plan.stdout)")
        #expect(
            plan.stdout.hasPrefix("kim.abercrombie@northwind-mail.com northwind-mail.com\nKim B\n0\n"),
            "\(plan.stdout)")
        #expect(plan.stdout.contains("kim.abercrombie@northwind-mail.com"), "the set is planned at the new address")
    }

    /// A move to a domain the connection does not have is a predicted failure, as the vendor
    /// would refuse it; a move to where it already is changes nothing. (A local part in
    /// other letters is another address: Cleanmail is sent that move, and so is it planned.)
    @Test func aPlannedMoveToAMissingDomainIsRefused() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let missing = try b.run(
            "move-user (cm.user \"kim@contoso-cm.net\") \"kim@nowhere-at-all.example\"\n", command: "plan")
        #expect(missing.status == 1, "\(missing.stdout) \(missing.stderr)")
        #expect(
            (missing.stdout + missing.stderr).contains("domain nowhere-at-all.example does not exist"),
            "\(missing.stdout) \(missing.stderr)")
        let same = try b.run("move-user (cm.user \"kim@contoso-cm.net\") \"kim@contoso-cm.net\"\n", command: "plan")
        #expect(same.status == 0, "unchanged: \(same.stdout) \(same.stderr)")
        #expect(same.stdout.contains("No changes"), "\(same.stdout)")
        let letters = try b.run("move-user (cm.user \"kim@contoso-cm.net\") \"Kim@contoso-cm.net\"\n", command: "plan")
        #expect(letters.status == 3, "planned, not refused as taken: \(letters.stdout) \(letters.stderr)")
    }

    /// What the vendor refuses, the plan refuses: a move onto a mailbox that is there, an
    /// alias renamed out of its domain or onto another alias.
    @Test func aPlannedMoveOntoATakenAddressOrOutOfItsDomainIsRefused() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let cases = [
            ("move-user (cm.user \"kim@contoso-cm.net\") \"nancy@northwind-mail.com\"", "is taken"),
            // One address is one object's: a mailbox cannot take an alias's, nor the reverse.
            ("move-user (cm.user \"kim@contoso-cm.net\") \"sales@northwind-mail.com\"", "is taken"),
            (
                "for g in groups of (cm.domain \"northwind-mail.com\") where email = \"sales@northwind-mail.com\" "
                    + "< rename-group g \"nancy@northwind-mail.com\" >", "is taken"
            ),
            (
                "for g in groups of (cm.domain \"northwind-mail.com\") where email = \"sales@northwind-mail.com\" "
                    + "< rename-group g \"sales@contoso-cm.net\" >", "is not of its domain northwind-mail.com"
            ),
            (
                "for g in groups of (cm.domain \"northwind-mail.com\") where email = \"sales@northwind-mail.com\" "
                    + "< rename-group g \"all@northwind-mail.com\" >", "is taken"
            )
        ]
        for (script, why) in cases {
            let plan = try b.run(script + "\n", command: "plan")
            #expect(plan.status == 1, "\(script): \(plan.stdout) \(plan.stderr)")
            #expect((plan.stdout + plan.stderr).contains(why), "\(script): \(plan.stdout) \(plan.stderr)")
        }
    }

    /// A mailbox moved to another domain in a plan, then changed at its new address: the
    /// vendor's own fields there are unknown to the plan (Cleanmail drops the old domain's
    /// policy), so `apply` finds no drift and does both.
    @Test func aPlannedMoveToAnotherDomainIsApplied() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let planFile = b.home.appendingPathComponent("move.json").path
        let script = """
            move-user (cm.user "kim@contoso-cm.net") "kim.b@northwind-mail.com"
            set (cm.user "kim.b@northwind-mail.com") name="Kim B"

            """
        let plan = try b.run(script, ["--plan-out", planFile], command: "plan")
        #expect(plan.status == 3, "\(plan.stdout) \(plan.stderr)")
        #expect(plan.stdout.contains(" -> set by cleanmail"), "the new domain's policy is the vendor's: \(plan.stdout)")
        let apply = try runMxsh(["apply", planFile], in: b.home, environment: b.env)
        #expect(apply.status == 0, "\(apply.stdout) \(apply.stderr)")
        #expect(!(apply.stdout + apply.stderr).contains("drift"), "\(apply.stdout) \(apply.stderr)")
        let after = try b.run("print (cm.user \"kim.b@northwind-mail.com\").name\n", ["--no-journal"])
        #expect(after.stdout == "Kim B\n", "\(after.stdout) \(after.stderr)")
    }

    @Test func aRenamedAliasIsFollowedAndRenamedBackByUndo() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let script = """
            let d = cm.domain "northwind-mail.com"
            for g in groups of d where email = "sales@northwind-mail.com" <
                rename-group g "team@northwind-mail.com"
                print g.email
            >
            print count(groups of d where email = "team@northwind-mail.com")

            """
        let plan = try b.run(script, command: "plan")
        #expect(plan.status == 3, "\(plan.stderr)")
        #expect(plan.stdout.contains("rename-group: address \"team@northwind-mail.com\" (undo sends it back)"))
        #expect(plan.stdout.hasPrefix("team@northwind-mail.com\n1\n"), "the plan follows the alias: \(plan.stdout)")
        let run = try b.run(script)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "team@northwind-mail.com\n1\n", "\(run.stdout)")
        let undo = try runMxsh(["undo", try b.lastRun()], in: b.home, environment: b.env)
        #expect(undo.status == 0, "\(undo.stdout) \(undo.stderr)")
        let back = try b.run(
            "print count(groups of (cm.domain \"northwind-mail.com\") where email = \"sales@northwind-mail.com\")\n",
            ["--no-journal"])
        #expect(back.stdout == "1\n", "renamed back: \(back.stdout) \(back.stderr)")
    }

    @Test func readingAWriteOnlyFieldIsALocatedErrorAtCheckAndAtRun() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let script = """
            let u = cm.user "kim@contoso-cm.net"
            print u.password

            """
        for command in ["check", "run"] {
            let r = try b.run(script, command: command)
            #expect(r.status == 2, "\(command): \(r.stdout) \(r.stderr)")
            #expect(r.stderr.contains(".mxsh:3:7: error: password is write-only"), "\(command): \(r.stderr)")
            #expect(r.stdout.isEmpty, "nothing ran: \(r.stdout)")
        }
        let filtered = try b.run("print count(cm.users where password = \"x\")\n", command: "check")
        #expect(filtered.status == 2 && filtered.stderr.contains(":2:28: error: password is write-only"))
        let admins = "for a in cm.admins < print a.password >\n"
        let r = try b.run(admins, command: "check")
        #expect(r.status == 2 && r.stderr.contains("password is write-only"), "\(r.stderr)")
    }
}
