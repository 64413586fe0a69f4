import Foundation
import Testing

/// More of Cleanmail's own kinds, end to end over HTTP against a sandbox server:
/// a domain's attachment and URI rules (5.8, 5.10).
@Suite(.serialized)
struct CleanmailFilterTests {
    static let domain = "contoso-cm.net"

    @Test func anAttachmentRuleIsMadeChangedReRunAndUndone() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let make = """
            create-attachment-filter "\\\\.iso$@\(Self.domain)" action="deny" checkType=FILENAME description="no disks"
            for f in attachment_filters of (cm.domain "\(Self.domain)") where filter = "\\\\.iso$" <
              set f action=ALLOW
              print f.rule f.action f.checkType f.description f.domain
            >
            """
        let plan = try b.run(make, command: "plan")
        #expect(plan.stdout.contains("+ attachment-filter \"\\.iso$@\(Self.domain)\" at cm"), "\(plan.stdout)")
        // A planned object has the fields its key is made of (the kind's keyParts): the
        // loop finds it by `filter` before the vendor has made it.
        #expect(plan.status == 3, "\(plan.stderr)")
        #expect(
            plan.stdout.contains("\\.iso$@\(Self.domain) ALLOW FILENAME no disks \(Self.domain)\n"), "\(plan.stdout)")

        let made = try b.run(make)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout == "\\.iso$@\(Self.domain) ALLOW FILENAME no disks \(Self.domain)\n", "\(made.stdout)")
        let run = try b.lastRun()

        let create = "create-attachment-filter \"\\\\.iso$@\(Self.domain)\" checkType=\"filename\""
        let again = try b.run(create + " action=ALLOW\n", ["--no-journal"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("already as asked"), "a re-run makes no second rule: \(again.stderr)")
        let conflict = try b.run(create + " action=DENY\n", ["--no-journal"])
        #expect(conflict.status == 1, "\(conflict.stderr)")
        #expect(conflict.stderr.contains("already exists with other values of action"), "\(conflict.stderr)")

        let undo = try runMxsh(["undo", run], in: b.home, environment: b.env)
        #expect(undo.status == 0, "\(undo.stderr)")
        let rules = "attachment_filters of (cm.domain \"\(Self.domain)\") where filter = \"\\\\.iso$\""
        let after = try b.run("print count(\(rules))\n", ["--no-journal"])
        #expect(after.stdout == "0\n", "undo deletes the rule the run made: \(after.stdout) \(after.stderr)")
    }

    @Test func aDeletedURIRuleComesBackWithUndo() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let made = try b.run(
            """
            create-uri-filter "evil.example@\(Self.domain)" action=BLACKLIST_URI_HOST description="phishing links"
            """, ["--no-journal"])
        #expect(made.status == 0, "\(made.stderr)")
        let deleted = try b.run("for f in uri_filters of (cm.domain \"\(Self.domain)\") < delete-uri-filter f >\n")
        #expect(deleted.status == 0, "\(deleted.stderr)")
        let gone = try b.run("print count(uri_filters of (cm.domain \"\(Self.domain)\"))\n", ["--no-journal"])
        #expect(gone.stdout == "0\n", "\(gone.stdout) \(gone.stderr)")

        let undo = try runMxsh(["undo", try b.lastRun()], in: b.home, environment: b.env)
        #expect(undo.status == 0, "\(undo.stderr)")
        let back = try b.run(
            """
            for f in uri_filters of (cm.domain "\(Self.domain)") < print f.rule f.action f.description >
            """, ["--no-journal"])
        #expect(
            back.stdout == "evil.example@\(Self.domain) BLACKLIST_URI_HOST phishing links\n",
            "\(back.stdout) \(back.stderr)")
    }

    /// 105 rules: more than one page of the adapter's 100, so the last is found only on
    /// the second page (a lookup that read one page would say "none" and create again).
    @Test func rulesPastTheFirstPageAreFound() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let names = (1...105).map { "\"host\($0).example\"" }.joined(separator: ", ")
        let made = try b.run(
            """
            for h in [\(names)] < create-uri-filter "${h}@\(Self.domain)" action=WHITELIST_URI_HOST >
            print count(uri_filters of (cm.domain "\(Self.domain)"))
            """, ["--no-journal"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout == "105\n", "\(made.stdout)")
        let again = try b.run(
            "create-uri-filter \"host105.example@\(Self.domain)\" action=WHITELIST_URI_HOST\n",
            ["--no-journal"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("already as asked"), "\(again.stderr)")
    }

    @Test func badRulesFailTheCheckAndTheRunAlike() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let cases: [(String, String)] = [
            (
                "create-attachment-filter \"x@\(Self.domain)\" action=BLOCK checkType=FILENAME\n",
                "action takes one of DENY, ALLOW"
            ),
            (
                "create-attachment-filter \"x@\(Self.domain)\" action=DENY checkType=\"name\"\n",
                "checkType takes one of"
            ),
            ("create-uri-filter \"x@\(Self.domain)\" action=DENY\n", "action takes one of BLACKLIST_URI_HOST"),
            ("create-uri-filter \"x@\(Self.domain)\" action=BLACKLIST_URI_HOST priority=1\n", "read-only")
        ]
        for (script, message) in cases {
            for command in ["check", "run"] {
                let r = try b.run(script, command: command)
                #expect(r.status == 2, "\(command) \(script): \(r.stdout) \(r.stderr)")
                #expect(r.stderr.contains(message), "\(command) \(script): \(r.stderr)")
            }
        }
        let missing = try b.run("create-uri-filter \"x@\(Self.domain)\" description=\"no action\"\n", ["--no-journal"])
        // Refused by the check, before anything is sent (the run refused it at the change).
        #expect(missing.status == 2, "\(missing.stderr)")
        #expect(
            missing.stderr.contains("cleanmail needs action to create-uri-filter"),
            "nothing is sent without the vendor's required fields: \(missing.stderr)")
        let unnamed = try b.run("create-uri-filter \"evil.example\" action=BLACKLIST_URI_HOST\n", ["--no-journal"])
        #expect(unnamed.stderr.contains("name it FILTER@DOMAIN"), "\(unnamed.stderr)")
    }
}

/// Sender rules (5.9) of domains and mailboxes: every page read, changes sent rule by
/// rule, the rules a script did not name left as they were.
@Suite(.serialized)
struct CleanmailSenderRuleTests {
    @Test func aMailboxsListsAreSetRuleByRuleAndUndone() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let user = "cm.user \"nancy@northwind-mail.com\""
        let before = try b.run("let u = \(user)\nprint u.allow u.block\n", ["--no-journal"])
        #expect(
            before.stdout == "[\"family.example\"] [\"newsletter@deals.example.com\"]\n",
            "\(before.stdout) \(before.stderr)")

        let plan = try b.run("set (\(user)) allow=[\"family.example\", \"friend@x.com\"]\n", command: "plan")
        // A vendor's own field of a user is planned and shown (PlanReport.vendorLines).
        #expect(plan.status == 3, "\(plan.stderr)")
        #expect(plan.stdout.contains("~ user \"nancy@northwind-mail.com\" at cm"), "\(plan.stdout)")

        let refused = try b.run(
            "set (\(user)) block=[\"newsletter@deals.example.com\", \"family.example\"]\n",
            ["--no-journal"])
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("family.example is in allow of nancy@northwind-mail.com"), "\(refused.stderr)")

        let set = try b.run(
            """
            let u = \(user)
            set u allow=["friend@x.com"] block=["newsletter@deals.example.com", "family.example"]
            print u.allow u.block
            """)
        #expect(set.status == 0, "\(set.stderr)")
        #expect(
            set.stdout == "[\"friend@x.com\"] [\"newsletter@deals.example.com\", \"family.example\"]\n",
            "setting both lists moves a value: \(set.stdout)")
        let undo = try runMxsh(["undo", try b.lastRun()], in: b.home, environment: b.env)
        #expect(undo.status == 0, "\(undo.stderr)")
        let after = try b.run("let u = \(user)\nprint u.allow u.block\n", ["--no-journal"])
        // The journal keeps a user's own fields too (PlanFile.neutralJSON with its vendor).
        #expect(after.stdout == before.stdout, "\(after.stdout) \(after.stderr)")
    }

    /// 1,005 rules: past the vendor page of 1,000 the adapter reads. Adding one keeps
    /// every other (a list read from one page and written back would lose five).
    @Test func rulesPastOnePageAreNeverLost() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let many = (1...1005).map { "\"s\($0)@senders.example\"" }.joined(separator: ", ")
        let made = try b.run("set (cm.domain \"contoso-cm.net\") block=[\(many)]\n", ["--no-journal"])
        #expect(made.status == 0, "\(made.stderr)")
        let added = try b.run(
            """
            let d = cm.domain "contoso-cm.net"
            set d block=(d.block + ["one-more@senders.example"])
            print count((cm.domain "contoso-cm.net").block)
            for x in cm.domains where name = "contoso-cm.net" < print count(x.block) >
            """, ["--no-journal"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout == "1006\n1006\n", "\(added.stdout)")
    }

    @Test func aBadSenderListFailsTheCheck() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        for command in ["check", "run"] {
            let r = try b.run("set (cm.user \"nancy@northwind-mail.com\") allow=42\n", command: command)
            #expect(r.status == 2, "\(command): \(r.stderr)")
            #expect(r.stderr.contains("allow takes a list"), "\(command): \(r.stderr)")
        }
    }
}

/// A mailbox's signature (5.16): read, made, changed, deleted, each undone.
@Suite(.serialized)
struct CleanmailSignatureTests {
    static let user = "cm.user \"nancy@northwind-mail.com\""
    static let seeded = "Nancy Davolio<br/>Sales Representative, Northwind Traders\n"

    @Test func aDeletedSignatureComesBackWithUndo() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let deleted = try b.run("let u = \(Self.user)\ndelete-signature u\nprint u.signature\n")
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(deleted.stdout == "none\n", "\(deleted.stdout)")
        let again = try b.run("delete-signature (\(Self.user))\n", ["--no-journal"])
        #expect(again.stderr.contains("already as asked"), "\(again.stderr)")
        let undo = try runMxsh(["undo", try b.lastRun()], in: b.home, environment: b.env)
        #expect(undo.status == 0, "\(undo.stderr)")
        let back = try b.run("print (\(Self.user)).signature.html\n", ["--no-journal"])
        #expect(back.stdout == Self.seeded, "\(back.stdout) \(back.stderr)")
    }

    @Test func aSignatureIsSetInHTMLAndUndone() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let script = "set (\(Self.user)).signature html=\"<p>Nancy — Northwind</p>\"\n"
        let plan = try b.run(script, command: "plan")
        #expect(plan.status == 3, "\(plan.stderr)")
        #expect(plan.stdout.contains("-> \"<p>Nancy — Northwind</p>\""), "\(plan.stdout)")
        let set = try b.run(script + "print (\(Self.user)).signature.html\n")
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout == "<p>Nancy — Northwind</p>\n", "\(set.stdout)")
        let read = "let u = \(Self.user)\nprint (call cm GET \"/users/${u.raw.id}/sign\").sign\n"
        let raw = try b.run(read, ["--no-journal"])
        #expect(
            raw.stdout == "PHA+TmFuY3kg4oCUIE5vcnRod2luZDwvcD4=\n",
            "sent base64-encoded, as Sign says: \(raw.stdout)")
        let undo = try runMxsh(["undo", try b.lastRun()], in: b.home, environment: b.env)
        #expect(undo.status == 0, "\(undo.stderr)")
        let back = try b.run("print (\(Self.user)).signature.html\n", ["--no-journal"])
        #expect(back.stdout == Self.seeded, "\(back.stdout) \(back.stderr)")
    }

    @Test func aNewSignatureIsUndoneByDeletingIt() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        _ = try b.run("delete-signature (\(Self.user))\n", ["--no-journal"])
        let made = try b.run("create-signature (\(Self.user)) html=\"<b>N</b>\"\n")
        #expect(made.status == 0, "\(made.stderr)")
        let undo = try runMxsh(["undo", try b.lastRun()], in: b.home, environment: b.env)
        #expect(undo.status == 0, "\(undo.stderr)")
        let gone = try b.run("print (\(Self.user)).signature\n", ["--no-journal"])
        #expect(gone.stdout == "none\n", "\(gone.stdout) \(gone.stderr)")
    }

    @Test func badSignatureWritesFailTheCheck() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        for (script, message) in [
            ("set (\(Self.user)).signature mailbox=\"x\"\n", "read-only"),
            ("create-signature (\(Self.user)) text=\"x\"\n", "signature has no field 'text'")
        ] {
            for command in ["check", "run"] {
                let r = try b.run(script, command: command)
                #expect(r.status == 2, "\(command) \(script): \(r.stderr)")
                #expect(r.stderr.contains(message), "\(command) \(script): \(r.stderr)")
            }
        }
    }
}

/// A domain's own members (DomainUpdate, 6.21) as fields of the domain kind.
@Suite(.serialized)
struct CleanmailDomainFieldTests {
    @Test func aDomainsOwnFieldsAreReadSetAndCreated() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let set = try b.run(
            """
            let d = cm.domain "contoso-cm.net"
            print d.senderVerifyOn d.wblistPriority
            set d senderVerifyOn=false wblistPriority=USER externalId="crm-42" outgoingSubnets=["192.0.2.0/24"]
            let again = cm.domain "contoso-cm.net"
            print again.senderVerifyOn again.wblistPriority again.externalId again.outgoingSubnets
            create-domain "new-cm.example" autoProvisioningOn=true externalId="crm-43" at=cm
            let n = cm.domain "new-cm.example"
            print n.autoProvisioningOn n.externalId
            """, ["--no-journal"])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(
            set.stdout.split(separator: "\n").dropFirst() == [
                "false USER crm-42 [\"192.0.2.0/24\"]", "true crm-43"
            ], "\(set.stdout)")
    }

    @Test func badDomainFieldsFailTheCheckAndTheRun() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let d = "(cm.domain \"contoso-cm.net\")"
        for (script, message) in [
            ("set \(d) wblistPriority=MAILBOX\n", "wblistPriority takes one of"),
            ("set \(d) senderVerifyOn=\"no\"\n", "takes true or false")
        ] {
            for command in ["check", "run"] {
                let r = try b.run(script, command: command)
                #expect(r.status == 2, "\(command) \(script): \(r.stderr)")
                #expect(r.stderr.contains(message), "\(command) \(script): \(r.stderr)")
            }
        }
    }
}

/// The tenant's administrators (5.1): listed, changed (a password is a secret), deleted.
@Suite(.serialized)
struct CleanmailAdminObjectTests {
    @Test func adminsAreListedChangedAndUndone() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let list = try b.run("for a in cm.admins < print a.login a.enabled >\n", ["--no-journal"])
        #expect(
            list.stdout == "dpo.woodgrove true\nhelpdesk true\nsandbox-admin true\n",
            "\(list.stdout) \(list.stderr)")

        var env = b.env
        env["HELPDESK_PW"] = "Tr0ub4dor-and-3"
        let file = b.home.appendingPathComponent("pw.mxsh")
        try
            (b.connect + """
                for a in cm.admins where login = "helpdesk" <
                  set a displayName="Helpdesk" enabled=false password=env("HELPDESK_PW")
                >
                """).write(to: file, atomically: true, encoding: .utf8)
        let plan = try runMxsh(["plan", file.path], in: b.home, environment: env)
        #expect(plan.status == 3, "\(plan.stderr)")
        #expect(plan.stdout.contains("displayName: \"Helpdesk Team\" -> \"Helpdesk\""), "\(plan.stdout)")
        let set = try runMxsh(["run", file.path, "--trace"], in: b.home, environment: env)
        #expect(set.status == 0, "\(set.stderr)")
        let shown = try runMxsh(["runs", "show", try b.lastRun(), "--format", "json"], in: b.home, environment: env)
        for text in [plan.stdout, plan.stderr, set.stdout, set.stderr, shown.stdout] {
            #expect(!text.contains("Tr0ub4dor"), "the password never shows: \(text)")
        }
        let journal = try FileManager.default.subpathsOfDirectory(atPath: b.home.path).compactMap { path in
            try? String(contentsOf: b.home.appendingPathComponent(path), encoding: .isoLatin1)
        }
        #expect(!journal.contains { $0.contains("Tr0ub4dor") }, "nor is it written anywhere under the home")

        let undo = try runMxsh(["undo", try b.lastRun()], in: b.home, environment: env)
        #expect(undo.status == 0, "\(undo.stderr)")
        let after = try b.run(
            "for a in cm.admins where login = \"helpdesk\" < print a.displayName a.enabled >\n",
            ["--no-journal"])
        #expect(after.stdout == "Helpdesk Team true\n", "\(after.stdout) \(after.stderr)")
    }

    @Test func deletingAnAdminIsIrreversibleAndChecked() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let script = "for a in cm.admins where login = \"dpo.woodgrove\" < delete-admin a >\n"
        let plan = try b.run(script, command: "plan")
        #expect(plan.stdout.contains("- admin \"dpo.woodgrove\" at cm"), "\(plan.stdout)")
        let run = try b.run(script)
        #expect(run.status == 0, "\(run.stderr)")
        let left = try b.run("print count(cm.admins)\n", ["--no-journal"])
        #expect(left.stdout == "2\n", "\(left.stdout)")
        let undo = try runMxsh(["undo", try b.lastRun(), "--dry-run"], in: b.home, environment: b.env)
        #expect((undo.stdout + undo.stderr).contains("API tokens go with it"), "\(undo.stdout) \(undo.stderr)")
        let own = try b.run("for a in cm.admins where login = \"sandbox-admin\" < delete-admin a >\n", ["--no-journal"])
        #expect(
            own.status == 1 && own.stderr.contains("cannot be deleted"),
            "the vendor's 422, in words: \(own.stderr)")

        for (script, message) in [
            ("for a in cm.admins < set a sysAdmin=true >\n", "read-only"),
            ("for a in cm.admins < set a enabled=\"no\" >\n", "takes true or false")
        ] {
            let run = try b.run(script, ["--no-journal"])
            #expect(run.status != 0 && run.stderr.contains(message), "nothing is sent: \(script): \(run.stderr)")
            // `check` knows the kind of a loop's variable over a vendor's own collection.
            let check = try b.run(script, command: "check")
            #expect(check.status == 2 && check.stderr.contains(message), "\(script): \(check.stderr)")
        }
    }
}

/// Administrators' API tokens (5.2): every administrator's listed, revoked for good.
@Suite(.serialized)
struct CleanmailTokenObjectTests {
    @Test func tokensAreListedAndRevokedIrreversibly() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let list = try b.run("for t in cm.tokens < print t.token t.name t.expiration >\n", ["--no-journal"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(
            list.stdout.contains("helpdesk/") && list.stdout.contains(" helpdesk-scripts 2026-04-01T00:00:00Z\n"),
            "\(list.stdout)")
        #expect(list.stdout.contains(" monitoring none\n"), "no expiration is none, said so: \(list.stdout)")
        let script = "for t in cm.tokens where name = \"monitoring\" < delete-token t >\n"
        let plan = try b.run(script, command: "plan")
        #expect(plan.stdout.contains("- token \"sandbox-admin/"), "\(plan.stdout)")
        let run = try b.run(script)
        #expect(run.status == 0, "\(run.stderr)")
        let left = try b.run("print count(cm.tokens where name = \"monitoring\") count(cm.tokens)\n", ["--no-journal"])
        #expect(left.stdout == "0 2\n", "\(left.stdout) \(left.stderr)")
        let again = try b.run(script, ["--no-journal"])
        #expect(again.status == 0, "nothing left to revoke: \(again.stderr)")
        let undo = try runMxsh(["undo", try b.lastRun(), "--dry-run"], in: b.home, environment: b.env)
        #expect(
            (undo.stdout + undo.stderr).contains("a token's value is given only when it is made"),
            "\(undo.stdout) \(undo.stderr)")
    }
}
