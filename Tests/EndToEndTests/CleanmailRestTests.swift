import Foundation
import Testing

/// The rest of Cleanmail's surface, end to end over HTTP against a sandbox server: the
/// mails of 5.12, a mailbox's own fields and password (5.14), options and end users'
/// access (5.5, 5.14), X-Ignore-MX (5.5.6, 5.5.15), new API tokens (5.2.1) and sender
/// rules one at a time (5.9).
@Suite(.serialized)
struct CleanmailTaskTests {
    static let user = "cm.user \"patti@contoso-cm.net\""
    static let inbox = "print (call cm GET \"/users/patti@contoso-cm.net/emails/INBOX\")\n"

    @Test func aWelcomeMailIsPlannedAsIrreversibleAndSent() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let script = "send-welcome-mail (\(Self.user))\nsend-token-mail (\(Self.user)) validity=24\n"
        let plan = try b.run(script, command: "plan")
        #expect(plan.status == 3, "\(plan.stderr)")
        #expect(plan.stdout.contains("! user \"patti@contoso-cm.net\" at cm"), "\(plan.stdout)")
        let quiet = try b.run(Self.inbox, ["--no-journal"])
        #expect(!quiet.stdout.contains("Welcome to Cleanmail"), "a plan sends nothing: \(quiet.stdout)")

        let run = try b.run(script, ["--trace"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("\"command\":\"send_welcome_mail\""), "5.12's body: \(run.stderr)")
        #expect(run.stderr.contains("\"validity\":24"), "\(run.stderr)")
        let inbox = try b.run(Self.inbox, ["--no-journal"])
        #expect(inbox.stdout.contains("Welcome to Cleanmail"), "\(inbox.stdout)")
        #expect(inbox.stdout.contains("Your Cleanmail access link"), "\(inbox.stdout)")

        let undo = try runMxsh(["undo", try b.lastRun(), "--dry-run"], in: b.home, environment: b.env)
        #expect(
            (undo.stdout + undo.stderr).contains("a mail once sent cannot be taken back"),
            "\(undo.stdout) \(undo.stderr)")
    }

    @Test func badMailsFailTheCheckAndTheRunAlike() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let cases: [(String, String)] = [
            ("send-token-mail (\(Self.user)) validity=1000\n", "validity"),
            ("send-welcome-mail (\(Self.user)) validity=2\n", "'validity' for 'send-welcome-mail'"),
            ("for d in cm.domains < send-welcome-mail d >\n", "'send-welcome-mail' needs a user, not a domain")
        ]
        for (script, message) in cases {
            for command in ["check", "run"] {
                let r = try b.run(script, command: command)
                #expect(r.status == 2, "\(command) \(script): \(r.stdout) \(r.stderr)")
                #expect(r.stderr.contains(message), "\(command) \(script): \(r.stderr)")
            }
        }
        let inbox = try b.run(Self.inbox, ["--no-journal"])
        #expect(!inbox.stdout.contains("Cleanmail access link"), "nothing was sent: \(inbox.stdout)")
    }

    @Test func aQuarantinedMessageIsRemediated() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let count = "print count(quarantine of (cm.user \"nancy@northwind-mail.com\"))\n"
        let before = try b.run(count, ["--no-journal"])
        let n = Int(before.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(n > 0, "the demo seed holds quarantined mail: \(before.stdout) \(before.stderr)")
        let script = "for m in quarantine of (cm.user \"nancy@northwind-mail.com\") < remediate m\nbreak >\n"
        let plan = try b.run(script, command: "plan")
        #expect(plan.stdout.contains("! message "), "\(plan.stdout)")
        let run = try b.run(script)
        #expect(run.status == 0, "\(run.stderr)")
        let after = try b.run(count, ["--no-journal"])
        #expect(after.stdout == "\(n - 1)\n", "\(after.stdout) \(after.stderr)")
    }
}

/// A mailbox's own fields (UpdateUser, 6.61) and its password, a secret.
@Suite(.serialized)
struct CleanmailUserFieldTests {
    @Test func aMailboxsFieldsAndPasswordAreSetMaskedAndUndone() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let read = try b.run(
            """
            let u = cm.user "patti@contoso-cm.net"
            print u.senderVerifyOn u.mfaType u.domainStatus u.created
            """, ["--no-journal"])
        #expect(read.status == 0, "\(read.stderr)")
        #expect(read.stdout.hasPrefix("true none ENABLED 20"), "dates read as ISO 8601: \(read.stdout)")

        var env = b.env
        env["PATTI_PW"] = "Corr3ct-Horse-Battery"
        let file = b.home.appendingPathComponent("pw.mxsh")
        try
            (b.connect + """
                let u = cm.user "patti@contoso-cm.net"
                set u senderVerifyOn=false mfaType=NONE password=env("PATTI_PW")
                print (cm.user "patti@contoso-cm.net").senderVerifyOn
                """).write(to: file, atomically: true, encoding: .utf8)
        let plan = try runMxsh(["plan", file.path], in: b.home, environment: env)
        #expect(plan.status == 3, "\(plan.stderr)")
        #expect(plan.stdout.contains("password: set (****)"), "\(plan.stdout)")
        let set = try runMxsh(["run", file.path, "--trace"], in: b.home, environment: env)
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout == "false\n", "\(set.stdout)")
        #expect(set.stderr.contains("\"password\": \"****\""), "sent, and masked in the trace: \(set.stderr)")
        let shown = try runMxsh(["runs", "show", try b.lastRun(), "--format", "json"], in: b.home, environment: env)
        for text in [plan.stdout, plan.stderr, set.stdout, set.stderr, shown.stdout] {
            #expect(!text.contains("Corr3ct"), "the password never shows: \(text)")
        }
        let files = try FileManager.default.subpathsOfDirectory(atPath: b.home.path).compactMap { path in
            try? String(contentsOf: b.home.appendingPathComponent(path), encoding: .isoLatin1)
        }
        #expect(!files.contains { $0.contains("Corr3ct") }, "nor is it written anywhere under the home")

        let undo = try runMxsh(["undo", try b.lastRun()], in: b.home, environment: env)
        #expect(undo.status == 0, "\(undo.stderr)")
        let after = try b.run("print (cm.user \"patti@contoso-cm.net\").senderVerifyOn\n", ["--no-journal"])
        #expect(after.stdout == "true\n", "\(after.stdout) \(after.stderr)")
    }

    @Test func badUserFieldsFailTheCheckAndTheRun() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let u = "(cm.user \"patti@contoso-cm.net\")"
        for (script, message) in [
            ("set \(u) mfaType=SMS\n", "mfaType takes one of NONE, TOTP"),
            ("set \(u) created=\"2020-01-01\"\n", "read-only"),
            ("set \(u) senderVerifyOn=\"no\"\n", "takes true or false")
        ] {
            for command in ["check", "run"] {
                let r = try b.run(script, command: command)
                #expect(r.status == 2, "\(command) \(script): \(r.stderr)")
                #expect(r.stderr.contains(message), "\(command) \(script): \(r.stderr)")
            }
        }
    }
}

/// `X-Ignore-MX` (5.5.6, 5.5.15): an explicit option, never a default.
@Suite(.serialized)
struct CleanmailIgnoreMXTests {
    @Test func aDomainWhoseMXPointsHereIsDeletedOnlyWithIgnoreMX() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let d = "(cm.domain \"woodgrove-bank.fr\")"
        let refused = try b.run("delete-domain \(d)\n", ["--no-journal"])
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(
            refused.stderr.contains("its MX still points to Cleanmail; give ignoreMX=true if you mean it"),
            "\(refused.stderr)")
        let disabled = try b.run("set \(d) status=DISABLED ignoreMX=true\nprint \(d).status\n", ["--trace"])
        #expect(disabled.status == 0, "\(disabled.stderr)")
        #expect(disabled.stderr.contains("X-Ignore-MX: true"), "\(disabled.stderr)")
        #expect(disabled.stdout == "DISABLED\n", "\(disabled.stdout)")
        // The option is how the change was sent, not a field: undo is not refused for it.
        let undo = try runMxsh(["undo", try b.lastRun()], in: b.home, environment: b.env)
        #expect(undo.status == 0, "\(undo.stdout) \(undo.stderr)")
        let enabled = try b.run("print \(d).status\n", ["--no-journal"])
        #expect(enabled.stdout == "ENABLED\n", "\(enabled.stdout)")
        let deleted = try b.run("delete-domain \(d) ignoreMX=true\n")
        #expect(deleted.status == 0, "\(deleted.stderr)")
        let gone = try b.run(
            "print count(cm.domains where name = \"woodgrove-bank.fr\") count(cm.users where domain = "
                + "\"woodgrove-bank.fr\")\n",
            ["--no-journal"])
        #expect(gone.stdout == "0 0\n", "the domain and its users are gone (5.5.6): \(gone.stdout) \(gone.stderr)")
    }

    @Test func ignoreMXIsCheckedBeforeAnythingIsSent() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let cases: [(String, String)] = [
            ("delete-domain (cm.domain \"woodgrove-bank.fr\") ignoreMX=\"yes\"\n", "takes true or false"),
            ("delete-domain (cm.domain \"woodgrove-bank.fr\") ignoreMx=true\n", "ignoreMx")
        ]
        for (script, message) in cases {
            for command in ["check", "run"] {
                let r = try b.run(script, command: command)
                #expect(r.status == 2, "\(command) \(script): \(r.stdout) \(r.stderr)")
                #expect(r.stderr.contains(message), "\(command) \(script): \(r.stderr)")
            }
        }
        let still = try b.run("print count(cm.domains where name = \"woodgrove-bank.fr\")\n", ["--no-journal"])
        #expect(still.stdout == "1\n", "\(still.stdout)")
    }
}

/// A new API token (5.2.1): its value printed once, nowhere else.
@Suite(.serialized)
struct CleanmailNewTokenTests {
    @Test func aTokensValueIsShownOnceAndNeverKept() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let script = "create-token \"helpdesk/ci-deploy\" expiration=\"2031-06-01\"\n"
        let plan = try b.run(script, command: "plan")
        #expect(plan.status == 3, "\(plan.stderr)")
        #expect(plan.stdout.contains("+ token \"helpdesk/ci-deploy\" at cm"), "\(plan.stdout)")
        #expect(!plan.stdout.contains("value:"), "a plan makes no token: \(plan.stdout)")

        let made = try b.run(
            script + "for t in cm.tokens where name = \"ci-deploy\" < print t.admin t.expiration t.value >\n",
            ["--trace"])
        #expect(made.status == 0, "\(made.stderr)")
        let value = String(
            try #require(made.stdout.firstMatch(of: /token helpdesk\/ci-deploy value: ([0-9a-f]{32})\n/)?.1))
        #expect(
            made.stdout.hasSuffix("helpdesk 2031-06-01T00:00:00Z none\n"),
            "listed afterwards, without its value: \(made.stdout)")
        #expect(made.stdout.components(separatedBy: value).count == 2, "printed exactly once: \(made.stdout)")
        #expect(!made.stderr.contains(value), "never in the trace: \(made.stderr)")
        #expect(made.stderr.contains("not shown: the answer carries a secret"), "\(made.stderr)")
        let run = try b.lastRun()
        let shown = try runMxsh(["runs", "show", run, "--format", "json"], in: b.home, environment: b.env)
        #expect(!shown.stdout.contains(value), "\(shown.stdout)")
        let files = try FileManager.default.subpathsOfDirectory(atPath: b.home.path).compactMap { path in
            try? String(contentsOf: b.home.appendingPathComponent(path), encoding: .isoLatin1)
        }
        #expect(!files.contains { $0.contains(value) }, "nor written anywhere under the home")

        let again = try b.run(script, ["--no-journal"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(
            again.stderr.contains("already as asked") && !again.stdout.contains("value:"),
            "a re-run makes no second token: \(again.stdout) \(again.stderr)")

        let undo = try runMxsh(["undo", run], in: b.home, environment: b.env)
        #expect(undo.status == 0, "\(undo.stderr)")
        let left = try b.run("print count(cm.tokens where name = \"ci-deploy\")\n", ["--no-journal"])
        #expect(left.stdout == "0\n", "undo revokes the token the run made: \(left.stdout) \(left.stderr)")
    }

    @Test func badTokensFailBeforeAnythingIsSent() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        for command in ["check", "run"] {
            let r = try b.run("create-token \"helpdesk/x\" value=\"abc\"\n", command: command)
            #expect(r.status == 2 && r.stderr.contains("read-only"), "\(command): \(r.stderr)")
        }
        for command in ["check", "run"] {
            let bad = try b.run("create-token \"helpdesk/x\" expiration=\"next week\"\n", command: command)
            #expect(
                bad.status == 2 && bad.stderr.contains("expiration takes a date (2027-01-01 or 2027-01-01T00:00:00Z)"),
                "\(command): \(bad.stderr)")
        }
        let left = try b.run("print count(cm.tokens where name = \"x\")\n", ["--no-journal"])
        #expect(left.stdout == "0\n", "nothing was made: \(left.stdout)")
    }
}

/// Options of a domain and of a mailbox (5.5.4/10/14, 5.14.2/6/8); end users' access (5.5.2/12).
@Suite(.serialized)
struct CleanmailOptionTests {
    @Test func aDomainOptionIsSetDeletedAndUndone() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let read =
            "for o in options of (cm.domain \"contoso-cm.net\") where name = \"DOMAIN_ADMIN\" < print o.option o.value "
            + "o.parentValue o.type >\n"
        let before = try b.run(read, ["--no-journal"])
        #expect(
            before.stdout == "contoso-cm.net/DOMAIN_ADMIN none noreply@cleanmail.eu EMAIL\n",
            "\(before.stdout) \(before.stderr)")
        let set =
            "for o in options of (cm.domain \"contoso-cm.net\") where name = \"DOMAIN_ADMIN\" < set o "
            + "value=\"it@contoso-cm.net\" >\n"
        let plan = try b.run(set, command: "plan")
        #expect(
            plan.status == 3 && plan.stdout.contains("~ option \"contoso-cm.net/DOMAIN_ADMIN\" at cm"), "\(plan.stdout)"
        )
        let run = try b.run(set + read)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            run.stdout == "contoso-cm.net/DOMAIN_ADMIN it@contoso-cm.net noreply@cleanmail.eu EMAIL\n", "\(run.stdout)")
        let undo = try runMxsh(["undo", try b.lastRun()], in: b.home, environment: b.env)
        #expect(undo.status == 0, "\(undo.stderr)")
        let after = try b.run(read, ["--no-journal"])
        #expect(after.stdout == before.stdout, "undo deletes the value the run set: \(after.stdout)")
    }

    @Test func aMailboxOptionFallsBackToItsDomains() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let run = try b.run(
            """
            let u = cm.user "patti@contoso-cm.net"
            for o in options of u where name = "TIMEZONE" < set o value="Europe/Oslo" >
            for o in options of u where name = "TIMEZONE" < print o.value
            set o value=none >
            for o in options of u where name = "TIMEZONE" < print o.value o.parentValue >
            """, ["--no-journal"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "Europe/Oslo\nnone Europe/Paris\n", "\(run.stdout)")
    }

    @Test func endUsersAccessIsSetAndUndone() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let read = "print (cm.domain \"contoso-cm.net\").access.permissions\n"
        let before = try b.run(read, ["--no-journal"])
        #expect(
            before.stdout.contains("\"QUARANTINE_RELEASE\"") && !before.stdout.contains("SIGN_WRITE"),
            "\(before.stdout)")
        let run = try b.run(
            "set (cm.domain \"contoso-cm.net\").access permissions=[\"QUARANTINE_READ\", \"SIGN_WRITE\"]\n" + read)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "[\"QUARANTINE_READ\", \"SIGN_WRITE\"]\n", "\(run.stdout)")
        let undo = try runMxsh(["undo", try b.lastRun()], in: b.home, environment: b.env)
        #expect(undo.status == 0, "\(undo.stderr)")
        let after = try b.run(read, ["--no-journal"])
        #expect(after.stdout == before.stdout, "\(after.stdout)")
        for command in ["check", "run"] {
            let r = try b.run("set (cm.domain \"contoso-cm.net\").access available=[]\n", command: command)
            #expect(r.status == 2 && r.stderr.contains("read-only"), "\(command): \(r.stderr)")
        }
    }
}

/// Sender rules one at a time (5.9.2-5.9.9), with their descriptions and expiry.
@Suite(.serialized)
struct CleanmailSenderRuleObjectTests {
    @Test func aRuleIsListedMadeChangedDeletedAndUndone() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let list = try b.run(
            """
            for r in sender_rules of (cm.domain "northwind-mail.com") where type = "ALLOW" < print r.rule \
            r.description >
            """, ["--no-journal"])
        #expect(
            list.stdout
                == "northwind-mail.com/partners.example.com Suppliers' "
                + "portal\nnorthwind-mail.com/billing@invoices.example.net none\n"
                || list.stdout
                    == "northwind-mail.com/billing@invoices.example.net none\nnorthwind-mail.com/partners.example.com "
                    + "Suppliers' portal\n",
            "\(list.stdout) \(list.stderr)")

        let make = """
            create-sender-rule "nancy@northwind-mail.com/promo.example" type=BLOCK description="promotions" \
            expires="2031-01-01"
            for r in sender_rules of (cm.user "nancy@northwind-mail.com") where value = "promo.example" <
              print r.type r.description r.expires
            >
            print (cm.user "nancy@northwind-mail.com").block
            """
        let plan = try b.run(make, command: "plan")
        #expect(plan.status == 3, "\(plan.stderr)")
        #expect(
            plan.stdout.contains("+ sender-rule \"nancy@northwind-mail.com/promo.example\" at cm"), "\(plan.stdout)")
        let made = try b.run(make)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(
            made.stdout
                == "BLOCK promotions 2031-01-01T00:00:00Z\n[\"newsletter@deals.example.com\", \"promo.example\"]\n",
            "one rule added, the list sees it: \(made.stdout)")
        let made1 = try b.lastRun()
        let again = try b.run(make, ["--no-journal"])
        #expect(again.stderr.contains("already as asked"), "\(again.stderr)")

        let changed = try b.run(
            """
            for r in sender_rules of (cm.user "nancy@northwind-mail.com") where value = "promo.example" < set r \
            description="all promotions" >
            for r in sender_rules of (cm.user "nancy@northwind-mail.com") where value = "family.example" < \
            delete-sender-rule r >
            for r in sender_rules of (cm.user "nancy@northwind-mail.com") < print r.value r.description >
            """)
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(
            !changed.stdout.contains("family.example") && changed.stdout.contains("promo.example all promotions"),
            "\(changed.stdout)")
        let undo = try runMxsh(["undo", try b.lastRun()], in: b.home, environment: b.env)
        #expect(undo.status == 0, "\(undo.stderr)")
        let undoMade = try runMxsh(["undo", made1], in: b.home, environment: b.env)
        #expect(undoMade.status == 0, "\(undoMade.stderr)")
        let after = try b.run("let u = cm.user \"nancy@northwind-mail.com\"\nprint u.allow u.block\n", ["--no-journal"])
        #expect(
            after.stdout == "[\"family.example\"] [\"newsletter@deals.example.com\"]\n",
            "\(after.stdout) \(after.stderr)")
    }

    @Test func badRulesFailTheCheckAndTheRun() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        for (script, message) in [
            ("create-sender-rule \"contoso-cm.net/x.example\" type=DENY\n", "type takes one of ALLOW, BLOCK"),
            ("create-sender-rule \"contoso-cm.net/x.example\" type=BLOCK id=\"1\"\n", "read-only"),
            (
                "create-sender-rule \"contoso-cm.net/x.example\" type=BLOCK expires=\"2031-13-01\"\n",
                "expires takes a date"
            )
        ] {
            for command in ["check", "run"] {
                let r = try b.run(script, command: command)
                #expect(r.status == 2, "\(command) \(script): \(r.stderr)")
                #expect(r.stderr.contains(message), "\(command) \(script): \(r.stderr)")
            }
        }
        let missing = try b.run(
            "create-sender-rule \"contoso-cm.net/x.example\" description=\"no type\"\n", ["--no-journal"])
        // Refused by the check, before anything is sent (the run refused it at the change).
        #expect(
            missing.status == 2 && missing.stderr.contains("cleanmail needs type to create-sender-rule"),
            "\(missing.stderr)")
    }
}

/// Administrators' accesses to a domain (5.5.3/5/7/9/13): `admins of d`.
@Suite(.serialized)
struct CleanmailAdminAccessTests {
    @Test func anAccessIsGrantedChangedAndUndone() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let list = try b.run(
            "for a in admins of (cm.domain \"contoso-cm.net\") < print a.access a.permissions >\n",
            ["--no-journal"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(
            list.stdout.contains(
                "contoso-cm.net/helpdesk [\"DOMAIN_READ\", \"USER_READ\", \"USER_WRITE\", "
                    + "\"QUARANTINE_READ\", \"QUARANTINE_RELEASE\", \"FILTER_READ\"]\n"), "\(list.stdout)")
        let read =
            "for a in admins of (cm.domain \"woodgrove-bank.fr\") where login = \"helpdesk\" < print a.permissions >\n"
        let script = """
            grant-admin "woodgrove-bank.fr/helpdesk" permissions=["DOMAIN_READ", "QUARANTINE_READ"]
            for a in admins of (cm.domain "woodgrove-bank.fr") where login = "helpdesk" < set a \
            permissions=["DOMAIN_READ"] >

            """
        let plan = try b.run(script, command: "plan")
        #expect(
            plan.status == 3 && plan.stdout.contains("+ admin-access \"woodgrove-bank.fr/helpdesk\" at cm"),
            "\(plan.stdout) \(plan.stderr)")
        let run = try b.run(script + read)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "[\"DOMAIN_READ\"]\n", "\(run.stdout)")
        let undo = try runMxsh(["undo", try b.lastRun()], in: b.home, environment: b.env)
        #expect(undo.status == 0, "\(undo.stderr)")
        let after = try b.run(read + "print count(cm.admins where login = \"helpdesk\")\n", ["--no-journal"])
        #expect(after.stdout == "1\n", "the access is revoked, the account kept: \(after.stdout) \(after.stderr)")
    }

    @Test func revokingTheLastAccessDeletesTheAccountAndUndoSaysSo() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let run = try b.run(
            "for a in admins of (cm.domain \"woodgrove-bank.fr\") where login = \"dpo.woodgrove\" < revoke-admin a >\n")
        #expect(run.status == 0, "\(run.stderr)")
        let left = try b.run("print count(cm.admins where login = \"dpo.woodgrove\")\n", ["--no-journal"])
        #expect(left.stdout == "0\n", "its last access: the account went with it (5.5.5): \(left.stdout)")
        let undo = try runMxsh(["undo", try b.lastRun()], in: b.home, environment: b.env)
        #expect((undo.stdout + undo.stderr).contains("no administrator dpo.woodgrove"), "\(undo.stdout) \(undo.stderr)")
        for command in ["check", "run"] {
            let r = try b.run(
                "grant-admin \"woodgrove-bank.fr/helpdesk\" permissions=[\"DOMAIN_READ\"] email=\"x@y.z\"\n",
                command: command)
            #expect(r.status == 2 && r.stderr.contains("read-only"), "\(command): \(r.stderr)")
        }
    }
}

/// A mailbox renamed or moved to another domain (UpdateUser's email and domainId, 5.14.9).
@Suite(.serialized)
struct CleanmailMoveUserTests {
    @Test func aMailboxIsRenamedMovedAndMovedBackByUndo() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let script = """
            move-user (cm.user "kim@contoso-cm.net") "kim.abercrombie@northwind-mail.com"
            let k = cm.user "kim.abercrombie@northwind-mail.com"
            print k.email k.domain k.name
            print count(users of (cm.domain "contoso-cm.net") where email = "kim@contoso-cm.net")

            """
        let plan = try b.run(script.components(separatedBy: "\n").first! + "\n", command: "plan")
        #expect(plan.status == 3, "\(plan.stderr)")
        #expect(plan.stdout.contains("~ user \"kim@contoso-cm.net\" at cm"), "\(plan.stdout)")
        #expect(
            plan.stdout.contains("move-user: address \"kim.abercrombie@northwind-mail.com\" (undo sends it back)"),
            "\(plan.stdout)")
        let run = try b.run(script)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            run.stdout == "kim.abercrombie@northwind-mail.com northwind-mail.com Kim Abercrombie\n0\n", "\(run.stdout)")
        let undo = try runMxsh(["undo", try b.lastRun()], in: b.home, environment: b.env)
        #expect(undo.status == 0, "\(undo.stdout) \(undo.stderr)")
        let back = try b.run("print (cm.user \"kim@contoso-cm.net\").domain\n", ["--no-journal"])
        #expect(back.stdout == "contoso-cm.net\n", "moved back: \(back.stdout) \(back.stderr)")
    }

    @Test func aMoveToAnAddressTakenOrADomainElsewhereIsRefused() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let taken = try b.run("move-user (cm.user \"kim@contoso-cm.net\") \"patti@contoso-cm.net\"\n", ["--no-journal"])
        #expect(taken.status == 1 && taken.stderr.contains("409"), "\(taken.stderr)")
        let away = try b.run("move-user (cm.user \"kim@contoso-cm.net\") \"kim@nowhere.example\"\n", ["--no-journal"])
        #expect(
            away.status == 1 && away.stderr.contains("domain nowhere.example is not at this connection"),
            "nothing is sent: \(away.stderr)")
        for command in ["check", "run"] {
            let r = try b.run("for d in cm.domains < move-user d \"x@contoso-cm.net\" >\n", command: command)
            #expect(
                r.status == 2 && r.stderr.contains("'move-user' needs a user, not a domain"), "\(command): \(r.stderr)")
        }
    }
}
