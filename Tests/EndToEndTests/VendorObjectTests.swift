import Foundation
import Testing

/// A vendor's own kinds of object, declared once in its table and reached from the
/// language (DESIGN.md, "Each vendor's whole API"): read, checked, planned, changed,
/// journaled and undone like domains, against a sandbox server over HTTP.
@Suite(.serialized)
struct VendorObjectTests {
    /// A sandbox server and the `connect` line of its Cleanmail seat.
    struct Bench {
        let home: URL
        let server: SandboxCommandTests.Server
        let env: [String: String]
        let connect: String

        init() throws {
            home = try makeTemporaryDirectory()
            let port = SandboxCommandTests.freeBasePort()
            server = try SandboxCommandTests.Server(["--port", String(port), "--seed", "demo"], in: home)
            var env = testEnvironment(home: home)
            env["CM_TOKEN"] = "sandbox-token"
            self.env = env
            connect = "connect cleanmail as cm url=\"\(server.url("cleanmail"))\" token=env(\"CM_TOKEN\")\n"
        }

        func run(_ script: String, _ extra: [String] = [], command: String = "run") throws -> ProcessResult {
            let file = home.appendingPathComponent("s\(UUID().uuidString.prefix(6)).mxsh")
            try (connect + script).write(to: file, atomically: true, encoding: .utf8)
            return try runMxsh([command, file.path] + extra, in: home, environment: env)
        }

        func lastRun() throws -> String {
            let runs = try runMxsh(["runs", "--format", "json"], in: home, environment: env)
            return String(try #require(runs.stdout.firstMatch(of: /"id":"([^"]+)"/)?.1))
        }

        func stop() {
            _ = server.stop()
            try? FileManager.default.removeItem(at: home)
        }
    }

    @Test func aDomainsPolicyIsReadPlannedSetAndUndone() throws {
        let b = try Bench()
        defer { b.stop() }
        let read = try b.run(
            "let c = cm.domain \"contoso-cm.net\"\nprint c.policy.spamScore c.policy.mailSizeLimit "
                + "c.policy.quarantine\n",
            ["--no-journal"])
        #expect(read.status == 0, "\(read.stderr)")
        let before = read.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(before.split(separator: " ").count == 3, "\(read.stdout)")

        let change = "let c = cm.domain \"contoso-cm.net\"\nset c.policy spamScore=6.5 mailSizeLimit=20\n"
        let plan = try b.run(change, command: "plan")
        #expect(plan.status == 3, "\(plan.stderr)")
        #expect(plan.stdout.contains("~ policy \"contoso-cm.net\" at cm"), "\(plan.stdout)")
        #expect(plan.stdout.contains("spamScore:") && plan.stdout.contains("-> 6.5"), "\(plan.stdout)")

        let applied = try b.run(change)
        #expect(applied.status == 0, "\(applied.stderr)")
        let after = try b.run("print (cm.domain \"contoso-cm.net\").policy.spamScore\n", ["--no-journal"])
        #expect(after.stdout.hasPrefix("6.5"), "\(after.stdout) \(after.stderr)")

        let undo = try runMxsh(["undo", try b.lastRun()], in: b.home, environment: b.env)
        #expect(undo.status == 0, "\(undo.stderr)")
        let restored = try b.run(
            "let c = cm.domain \"contoso-cm.net\"\nprint c.policy.spamScore c.policy.mailSizeLimit "
                + "c.policy.quarantine\n",
            ["--no-journal"])
        #expect(restored.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == before, "\(restored.stdout)")
    }

    @Test func badPolicyValuesAndForeignCommandsFailTheCheck() throws {
        let b = try Bench()
        defer { b.stop() }
        let cases: [(String, String)] = [
            ("set (cm.domain \"contoso-cm.net\").policy spamScore=\"high\"\n", "spamScore takes a number"),
            ("set (cm.domain \"contoso-cm.net\").policy bogus=1\n", "policy has no field 'bogus'"),
            ("set (cm.domain \"contoso-cm.net\").policy id=\"x\"\n", "read-only"),
            ("connect memory as m seed=\"demo\"\ncreate-group \"sales@got.com\" at=m\n", "memory cannot create-group"),
            ("print (cm.domain \"contoso-cm.net\").bogus_member\n", "bogus_member"),
            (
                "connect memory as m seed=\"demo\"\nlet h = diagnose (m.domain \"got.com\")\n",
                "memory has no 'diagnose'"
            ),
            (
                "for g in groups of (cm.domain \"contoso-cm.net\") < release g >\n",
                "'release' acts on a message, not a group"
            ),
            (
                "for m in quarantine of (cm.user \"nancy@northwind-mail.com\") < print m.nosuch >\n",
                "unknown message field 'nosuch'"
            ),
            (
                "for g in groups of (cm.domain \"contoso-cm.net\") where bogus = 1 < print g >\n",
                "unknown field or variable 'bogus'"
            ),
            ("for g in groups of (cm.domain \"contoso-cm.net\") < set g bogus=1 >\n", "group has no field 'bogus'"),
            ("connect memory as m seed=\"demo\"\nuse m\ndiagnose \"got.com\"\n", "memory has no 'diagnose'")
        ]
        for (script, message) in cases {
            let check = try b.run(script, command: "check")
            #expect(check.status == 2, "\(script): \(check.stdout) \(check.stderr)")
            #expect(check.stderr.contains(message), "\(script): \(check.stderr)")
            let run = try b.run(script, ["--no-journal"])
            #expect(run.status == 2, "run refuses what check refuses: \(script): \(run.stderr)")
        }
    }
}

/// `call`: what the tables do not describe, as written; reads run in plans, writes are
/// journaled changes that cannot be undone, and no path leaves the vendor's API.
@Suite(.serialized)
struct RawCallTests {
    @Test func readsGiveValuesWritesAreJournaledAndIrreversible() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let read = try b.run(
            """
            let c = cm.domain "contoso-cm.net"
            let r = call cm GET "/domains/${c.raw.id}/policies"
            print count(r) (r[0].domainId = c.raw.id)
            """, ["--no-journal"])
        #expect(read.status == 0, "\(read.stderr)")
        #expect(read.stdout.hasPrefix("1 true"), "\(read.stdout)")

        let write = "let c = cm.domain \"contoso-cm.net\"\ncall cm PATCH \"/policies/${c.policy.id}\" {spamScore: 8}\n"
        let plan = try b.run(write, command: "plan")
        #expect(plan.status == 3, "\(plan.stderr)")
        #expect(plan.stdout.contains("! request \"PATCH /policies/"), "\(plan.stdout)")
        #expect(plan.stdout.contains("cannot be previewed or undone"), "\(plan.stdout)")
        let untouched = try b.run("print (cm.domain \"contoso-cm.net\").policy.spamScore\n", ["--no-journal"])
        #expect(!untouched.stdout.hasPrefix("8"), "a plan sent the write: \(untouched.stdout)")

        let applied = try b.run(write)
        #expect(applied.status == 0, "\(applied.stderr)")
        let after = try b.run("print (cm.domain \"contoso-cm.net\").policy.spamScore\n", ["--no-journal"])
        #expect(after.stdout.hasPrefix("8"), "\(after.stdout)")
        let shown = try runMxsh(["runs", "show", try b.lastRun()], in: b.home, environment: b.env)
        #expect(shown.stdout.contains("call"), "\(shown.stdout)")
        let undo = try runMxsh(["undo", try b.lastRun(), "--dry-run"], in: b.home, environment: b.env)
        #expect(
            undo.stderr.contains("cannot know what it changed") || undo.stdout.contains("cannot know what it changed"),
            "\(undo.stdout) \(undo.stderr)")
    }

    @Test func aPathThatLeavesTheAPIOrABadMethodFailsTheCheck() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        for script in [
            "call cm GET \"https://elsewhere.example/x\"\n", "call cm GET \"//elsewhere.example/x\"\n",
            "let r = call cm GET \"/x y\"\n", "call cm \"GET /x\" \"/domains\"\n",
            "connect memory as m\ncall m GET \"/x\"\n"
        ] {
            let check = try b.run(script, command: "check")
            #expect(check.status == 2, "\(script): \(check.stderr)")
            let run = try b.run(script)
            #expect(run.status == 2, "run must refuse what check refuses: \(script): \(run.stderr)")
        }
        // A credential in a body is refused before anything is sent, however it is written.
        for body in [
            "{password: \"x\"}", "{user: {api_token: \"x\"}}", "[secret(\"demo\")]", "{credentials: env(\"CM_TOKEN\")}"
        ] {
            let run = try b.run("call cm POST \"/domains\" \(body)\n")
            #expect(run.status == 1, "\(body): \(run.stderr)")
            #expect(run.stderr.contains("the body carries a credential"), "\(body): \(run.stderr)")
        }
        for script in [String]() {
            let check = try b.run(script, command: "check")
            #expect(check.status == 2, "\(script): \(check.stderr)")
            let run = try b.run(script)
            #expect(run.status == 2, "run must refuse what check refuses: \(script): \(run.stderr)")
        }
    }
}

/// Cleanmail's email aliases, DKIM keys and quarantine, end to end over HTTP.
@Suite(.serialized)
struct CleanmailObjectTests {
    @Test func emailAliasesAreMadeChangedAndUndone() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let made = try b.run(
            """
            create-group "sales@contoso-cm.net" members=["ann@contoso-cm.net"] at=cm
            for g in groups of (cm.domain "contoso-cm.net") where email = "sales@contoso-cm.net" <
              add-member g "bob@contoso-cm.net"
              add-member g "bob@contoso-cm.net"
              remove-member g "ann@contoso-cm.net"
              print g.members
            >
            """)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout == "[\"bob@contoso-cm.net\"]\n", "\(made.stdout)")
        #expect(made.stderr.contains("1 already as asked"), "the second add-member is a no-op: \(made.stderr)")
        let undo = try runMxsh(["undo", try b.lastRun()], in: b.home, environment: b.env)
        #expect(undo.status == 0, "\(undo.stderr)")
        let after = try b.run(
            "print count(groups of (cm.domain \"contoso-cm.net\") where email = \"sales@contoso-cm.net\")\n",
            ["--no-journal"])
        #expect(after.stdout == "0\n", "undo deletes the alias the run made: \(after.stdout) \(after.stderr)")
    }

    @Test func aDkimKeyIsMadeShownAndUndone() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let made = try b.run("let d = cm.domain \"contoso-cm.net\"\nprint d.dkim\ncreate-dkim d\nprint d.dkim.record\n")
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.hasPrefix("none\nprotect._domainkey.contoso-cm.net TXT v=DKIM1; p="), "\(made.stdout)")
        let again = try b.run("create-dkim (cm.domain \"contoso-cm.net\")\n", ["--no-journal"])
        #expect(again.stderr.contains("already as asked"), "a re-run makes no second key: \(again.stderr)")
        let undo = try runMxsh(["undo", try b.lastRun()], in: b.home, environment: b.env)
        #expect(undo.status == 0, "\(undo.stderr)")
        let after = try b.run("print (cm.domain \"contoso-cm.net\").dkim\n", ["--no-journal"])
        #expect(after.stdout == "none\n", "\(after.stdout) \(after.stderr)")
    }

    @Test func releasingAnInfectedMessageNeedsVirusTrue() throws {
        let b = try VendorObjectTests.Bench()
        defer { b.stop() }
        let script =
            "for m in quarantine of (cm.user \"nancy@northwind-mail.com\") where subject ~ \"Invoice*\" < release m >\n"
        let plan = try b.run(script, command: "plan")
        #expect(plan.stdout.contains("release: cannot be undone"), "\(plan.stdout)")
        let refused = try b.run(script)
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("flagged as infected; release it with virus=true"), "\(refused.stderr)")
        let forced = try b.run(script.replacingOccurrences(of: "release m", with: "release m virus=true"))
        #expect(forced.status == 0, "\(forced.stderr)")
        let left = try b.run(
            "print count(quarantine of (cm.user \"nancy@northwind-mail.com\") where subject ~ \"Invoice*\")\n",
            ["--no-journal"])
        #expect(left.stdout == "0\n", "\(left.stdout)")
        let undo = try runMxsh(["undo", try b.lastRun(), "--dry-run"], in: b.home, environment: b.env)
        #expect(
            (undo.stdout + undo.stderr).contains("cannot be put back in quarantine"), "\(undo.stdout) \(undo.stderr)")
    }
}

/// OpenSRS's change history and Proofpoint's package, from the language.
struct HistoryAndPackageTests {
    func run(_ script: String) throws -> ProcessResult {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let file = home.appendingPathComponent("s.mxsh")
        try script.write(to: file, atomically: true, encoding: .utf8)
        return try runMxsh(["run", file.path], in: home)
    }

    @Test func aDomainsHistoryIsRecordsARunbookFilters() throws {
        let r = try run(
            """
            connect sandbox
            set (os.domain "tyrell.co") spamlevel="High"
            print count(changes of (os.domain "tyrell.co") where msg ~ "*spamlevel*")
            for c in changes of (os.domain "tyrell.co") < print c.user c.application >
            """)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "1\nadmin@example.com mxsh\n", "the application is the client that made it: \(r.stdout)")
    }

    @Test func thePackageIsReadSetAndAlreadyAsAskedTheSecondTime() throws {
        let r = try run(
            """
            connect sandbox
            print pp.package.package
            set pp.package package="Advanced"
            set pp.package package="advanced"
            print pp.package.package
            """)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "Business\nAdvanced\n", "\(r.stdout)")
        #expect(r.stderr.contains("1 change applied, 1 already as asked"), "\(r.stderr)")
        let bad = try run("connect sandbox\nset pp.package package=\"Gold\"\n")
        #expect(bad.status == 2 && bad.stderr.contains("package takes one of Beginner"), "\(bad.stderr)")
    }

    /// OpenSRS's null attributes inherit the company's values (`metadata.inherit`): `show`
    /// says which and what, and `d.inherited` gives them to a runbook.
    @Test func inheritedValuesAreShownAsSuch() throws {
        let r = try run(
            """
            connect sandbox
            show (os.domain "globex.org")
            print (os.domain "globex.org").inherited.spamlevel
            """)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\nopensrs's own fields:\n"), "\(r.stdout)")
        let lines = r.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(
            lines.contains {
                $0.first == "spamlevel" && $0.dropFirst().joined(separator: " ") == "none (inherits \"Normal\")"
            },
            "\(r.stdout)")
        #expect(
            lines.contains {
                $0.first == "brand" && $0.dropFirst().joined(separator: " ") == "none (inherits \"Default Brand\")"
            },
            "\(r.stdout)")
        #expect(
            lines.contains { $0.first == "workgroup" && $0.dropFirst().joined(separator: " ") == "staff" },
            "\(r.stdout)")
        #expect(r.stdout.hasSuffix("\nNormal\n"), "\(r.stdout)")
    }

    /// The document's limits (2,000 aliases, 1,000 allow or block entries, 100 usage
    /// addresses, 4,096 characters of notes) are refused by check and by run alike.
    @Test func theDocumentsLimitsAreCheckedBeforeSending() throws {
        for (field, value, message) in [
            (
                "allow", "[" + (1...1001).map { "\"a\($0)@x.com\"" }.joined(separator: ",") + "]",
                "allow takes at most 1000 entries at opensrs, not 1001"
            ),
            (
                "stats_mailout", "[" + (1...101).map { "\"s\($0)@x.com\"" }.joined(separator: ",") + "]",
                "stats_mailout takes at most 100 entries at opensrs, not 101"
            ),
            (
                "description", "\"" + String(repeating: "n", count: 4097) + "\"",
                "description takes at most 4096 characters at opensrs, not 4097"
            )
        ] {
            let r = try run("connect sandbox\nset (os.domain \"globex.org\") \(field)=\(value)\n")
            #expect(r.status == 2, "\(field): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(field): \(r.stderr)")
        }
        // A computed value is refused by run, before anything is sent.
        let computed = try run(
            """
            connect sandbox
            set (os.domain "globex.org") description=join([\"\(String(repeating: "n", count: 4000))\", \
            \"\(String(repeating: "m", count: 100))\"], "")
            """)
        #expect(computed.status == 1, "\(computed.stderr)")
        #expect(computed.stderr.contains("description takes at most 4096 characters"), "\(computed.stderr)")
    }

    /// Proofpoint answers a customer's package in lower case; mxsh spells it as the table
    /// declares, so a runbook's `where` matches what it writes.
    @Test func aCustomersPackageIsSpeltAsDeclared() throws {
        let r = try run(
            """
            connect sandbox
            print count(pp.orgs where lower(licensing_package) = "business") count(pp.orgs where licensing_package = \
            "Business")
            """)
        #expect(r.status == 0, "\(r.stderr)")
        let counts = r.stdout.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(counts.count == 2 && counts[0] != "0", "\(r.stdout)")
        #expect(counts.first == counts.last, "\(r.stdout)")
    }
}

/// `restore-domain` at OpenSRS: a deleted domain back, journaled, undone by deleting it.
@Suite(.serialized)
struct RestoreTests {
    @Test func aDeletedDomainIsRestoredAndTheUndoDeletesItAgain() throws {
        let sandbox = try SandboxHome()
        defer { sandbox.close() }
        let home = sandbox.home
        let server = sandbox.server
        let env = sandbox.env
        let connect =
            "connect opensrs as os url=\"\(server.url("opensrs"))\" user=\"admin@example.com\" "
            + "password=env(\"OS_PASSWORD\")\n"
        func run(_ script: String, _ extra: [String] = []) throws -> ProcessResult {
            let file = home.appendingPathComponent("s\(UUID().uuidString.prefix(6)).mxsh")
            try (connect + script).write(to: file, atomically: true, encoding: .utf8)
            return try runMxsh(["run", file.path] + extra, in: home, environment: env)
        }
        #expect(try run("delete-domain \"tyrell.co\"\n", ["--no-journal"]).status == 0)
        let restored = try run(
            "restore-domain \"tyrell.co\"\nrestore-domain \"tyrell.co\"\nprint count(os.domains where name = "
                + "\"tyrell.co\")\n"
        )
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stdout == "1\n", "\(restored.stdout)")
        #expect(restored.stderr.contains("1 change applied, 1 already as asked"), "\(restored.stderr)")
        let runs = try runMxsh(["runs", "--format", "json"], in: home, environment: env)
        let id = try #require(runs.stdout.firstMatch(of: /"id":"([^"]+)"/)?.1)
        let undo = try runMxsh(["undo", String(id)], in: home, environment: env)
        #expect(undo.status == 0, "\(undo.stderr)")
        #expect(try run("print count(os.domains where name = \"tyrell.co\")\n", ["--no-journal"]).stdout == "0\n")

        // A vendor's own field is journaled with its before-value, planned, and undone.
        let was = try run("print (os.domain \"initech.biz\").spamlevel\n", ["--no-journal"]).stdout
        let plan = try run("set (os.domain \"initech.biz\") spamlevel=\"Very High\"\n", ["--dry-run"])
        #expect(plan.stdout.contains("spamlevel:") && plan.stdout.contains("\"Very High\""), "\(plan.stdout)")
        #expect(try run("set (os.domain \"initech.biz\") spamlevel=\"Very High\"\n").status == 0)
        let runs2 = try runMxsh(["runs", "--format", "json"], in: home, environment: env)
        let last = try #require(runs2.stdout.firstMatch(of: /"id":"([^"]+)"/)?.1)
        #expect(try runMxsh(["undo", String(last)], in: home, environment: env).status == 0)
        #expect(try run("print (os.domain \"initech.biz\").spamlevel\n", ["--no-journal"]).stdout == was)
    }
}
