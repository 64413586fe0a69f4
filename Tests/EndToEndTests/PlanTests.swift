import Foundation
import MXHTTP
import MXJSON
import Testing

/// `--dry-run`, `mxsh plan`, `--plan-out` and `mxsh apply` against `mxsh sandbox`:
/// nothing that changes anything is sent while planning, later reads see the plan,
/// and a saved plan applies exactly, refusing objects that drifted.
@Suite(.serialized)
struct PlanTests {
    static let script = """
        connect proofpoint as pp url="${PP_URL}" org="example.com" user="admin@example.com" password=env("PP_PASSWORD")
        connect cleanmail as cm url="${CM_URL}" token=env("CM_TOKEN")
        connect opensrs as os url="${OS_URL}" user="admin@example.com" password=env("OS_PASSWORD")
        connect ad360 as ad url="${AD_URL}" token=env("CM_TOKEN")
        for d in os.domains where aliases has "old.net" <
          remove-alias d "old.net"
          add-alias d "new-${d.name}"
        >
        let g = pp.domain "got.com"
        set g destination="10.0.0.99"
        disable g
        create-domain "planned.com" destination="1.1.1.1" at=pp
        delete-domain (pp.domain "old.com")
        disable (cm.domain "litware-inc.com")
        add-alias (cm.domain "litware-inc.com") "litware.net"
        set ad.mailserver port=587
        print count(pp.domains) (pp.domain "got.com").status count(os.domains where aliases has "old.net")
        """

    struct Setup {
        let home: URL
        let server: SandboxCommandTests.Server
        let env: [String: String]
        let scriptPath: String
    }

    func setUp() throws -> Setup {
        let home = try makeTemporaryDirectory()
        let port = SandboxCommandTests.freeBasePort()
        let server = try SandboxCommandTests.Server(["--port", String(port), "--seed", "demo"], in: home)
        var env = testEnvironment(home: home)
        env["PP_PASSWORD"] = "sandbox"
        env["OS_PASSWORD"] = "sandbox"
        env["CM_TOKEN"] = "sandbox-token"
        let text = Self.script.replacingOccurrences(of: "${PP_URL}", with: server.url("proofpoint"))
            .replacingOccurrences(of: "${CM_URL}", with: server.url("cleanmail"))
            .replacingOccurrences(of: "${OS_URL}", with: server.url("opensrs"))
            .replacingOccurrences(of: "${AD_URL}", with: server.url("ad360"))
        let path = home.appendingPathComponent("change.mxsh").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return Setup(home: home, server: server, env: env, scriptPath: path)
    }

    /// Requests that change something, per vendor, as the sandbox logged them.
    func mutating(_ s: Setup) throws -> [String] {
        let client = sandboxReader
        var found: [String] = []
        for vendor in ["proofpoint", "cleanmail", "opensrs", "ad360"] {
            let r = try client.sendBlocking(HTTPRequest(.GET, s.server.url(vendor) + "/_sandbox/requests"))
            for entry in try JSON.parse(r.body).array ?? [] {
                let method = entry["method"]?.string ?? "", path = entry["path"]?.string ?? ""
                let reads =
                    method == "GET" || (vendor == "opensrs" && (path.contains("/get_") || path.contains("/search_")))
                if !reads { found.append("\(vendor) \(method) \(path)") }
            }
        }
        return found
    }

    @Test func dryRunSendsNothingThatChangesAndLaterReadsSeeThePlan() throws {
        let s = try setUp()
        defer { _ = s.server.stop(); try? FileManager.default.removeItem(at: s.home) }
        let r = try runMxsh(["run", "--dry-run", s.scriptPath], in: s.home, environment: s.env)
        #expect(r.status == 3, "changes were planned: \(r.stderr)")
        let sent = try mutating(s)
        #expect(sent.isEmpty, "a dry run sent: \(sent)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "12 DISABLED 0", "reads after planned changes see them: \(r.stdout)")
        #expect(lines.contains { $0.hasPrefix("~ domain \"got.com\" at pp (proofpoint)") })
        #expect(lines.contains("    destination: \"10.0.0.5\" -> \"10.0.0.99\""))
        #expect(lines.contains("    aliases: + \"new-stark-industries.net\", - \"old.net\""))
        #expect(lines.contains { $0.hasPrefix("+ domain \"planned.com\" at pp") })
        #expect(lines.contains { $0.hasPrefix("- domain \"old.com\" at pp") })
        #expect(lines.contains("    port: 25 -> 587"))
        #expect(lines.last == "Plan: 1 to create, 4 to change, 1 to delete. Nothing has been sent.")
    }

    @Test func aSavedPlanAppliesExactlyAndRefusesDriftedObjects() throws {
        let s = try setUp()
        defer { _ = s.server.stop(); try? FileManager.default.removeItem(at: s.home) }
        let planPath = s.home.appendingPathComponent("plan.json").path
        let planned = try runMxsh(["plan", s.scriptPath, "--plan-out", planPath], in: s.home, environment: s.env)
        #expect(planned.status == 3, "\(planned.stderr)")
        let planText = try String(contentsOfFile: planPath, encoding: .utf8)
        #expect(!planText.contains("sandbox-token") && !planText.contains("\"sandbox\""), "no credential in the plan")
        #expect(try mutating(s).isEmpty)

        // Someone changes got.com in between: that object must be refused, the rest applied.
        let drift = try runMxsh(
            [
                "-c",
                "connect proofpoint as pp url=\"\(s.server.url("proofpoint"))\" org=\"example.com\" "
                    + "user=\"admin@example.com\" password=env(\"PP_PASSWORD\")\nset (pp.domain \"got.com\") relay=true"
            ],
            in: s.home, environment: s.env)
        #expect(drift.status == 0, "\(drift.stderr)")
        let applied = try runMxsh(["apply", planPath], in: s.home, environment: s.env)
        #expect(applied.status == 1)
        #expect(
            applied.stderr.contains(
                "refused (drift): domain \"got.com\" at pp: changed since the plan: relay was false, now true"),
            "\(applied.stderr)")
        #expect(applied.stderr.contains("7 changes applied, 1 object refused for drift"), "\(applied.stderr)")

        let after = try runMxsh(
            [
                "-c",
                """
                connect proofpoint as pp url="\(s.server.url("proofpoint"))" org="example.com" \
                user="admin@example.com" password=env("PP_PASSWORD")
                connect opensrs as os url="\(s.server.url("opensrs"))" user="admin@example.com" \
                password=env("OS_PASSWORD")
                print (pp.domain "got.com").destination (pp.domain "got.com").status (pp.domain \
                "planned.com").destination count(pp.domains)
                print (os.domain "stark-industries.net").aliases
                """
            ], in: s.home, environment: s.env)
        #expect(
            after.stdout == "10.0.0.5 ENABLED 1.1.1.1 12\n[\"stark.net\", \"si.net\", \"new-stark-industries.net\"]\n",
            "\(after.stderr)")

        // Applying the same plan again changes nothing that was applied.
        let again = try runMxsh(["apply", planPath, "--format", "json"], in: s.home, environment: s.env)
        #expect(
            again.stderr.contains("0 changes applied, 7 already as asked, 1 object refused for drift"),
            "\(again.stderr)")
        // --format json: the same outcome as one document on stdout.
        let doc = try JSON.parse(Array(again.stdout.utf8))
        #expect(doc["applied"]?.int == 0 && doc["unchanged"]?.int == 7 && doc["status"]?.int == 1, "\(again.stdout)")
        #expect(doc["refused"]?.array?.count == 1 && doc["run"]?.string != nil, "\(again.stdout)")
        // What was already as asked is journaled so (skipped), as a run journals it.
        let shown = try runMxsh(
            ["runs", "show", doc["run"]?.string ?? "", "--format", "json"], in: s.home, environment: s.env)
        let states = try JSON.parse(Array(shown.stdout.utf8))["changes"]?.array?.compactMap { $0["state"]?.string }
        #expect(states?.filter { $0 == "skipped" }.count == 7, "\(shown.stdout)")
    }

    /// A plan applied, then undone: every change is taken back, `set` and `disable` too
    /// (apply journaled no before-state for them, and undo said it was not recorded).
    @Test func anAppliedPlanIsUndoneWhole() throws {
        let s = try setUp()
        defer { _ = s.server.stop(); try? FileManager.default.removeItem(at: s.home) }
        let state = """
            connect proofpoint as pp url="\(s.server.url("proofpoint"))" org="example.com" \
            user="admin@example.com" password=env("PP_PASSWORD")
            connect cleanmail as cm url="\(s.server.url("cleanmail"))" token=env("CM_TOKEN")
            connect opensrs as os url="\(s.server.url("opensrs"))" user="admin@example.com" \
            password=env("OS_PASSWORD")
            let g = pp.domain "got.com"
            let l = cm.domain "litware-inc.com"
            print g.destination g.status count(pp.domains) l.status l.aliases
            print (os.domain "stark-industries.net").aliases
            """
        let before = try runMxsh(["-c", state], in: s.home, environment: s.env)
        let planPath = s.home.appendingPathComponent("plan.json").path
        _ = try runMxsh(["plan", s.scriptPath, "--plan-out", planPath], in: s.home, environment: s.env)
        let applied = try runMxsh(["apply", planPath], in: s.home, environment: s.env)
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(try runMxsh(["-c", state], in: s.home, environment: s.env).stdout != before.stdout, "applied")
        let undo = try runMxsh(["undo"], in: s.home, environment: s.env)
        #expect(undo.status == 0, "\(undo.stdout)\(undo.stderr)")
        #expect(!(undo.stdout + undo.stderr).contains("not recorded"), "\(undo.stdout)\(undo.stderr)")
        let after = try runMxsh(["-c", state], in: s.home, environment: s.env)
        #expect(after.stdout == before.stdout, "undone whole: \(after.stdout) against \(before.stdout)")
    }

    /// A credential from env() is planned (shown as set (****)) but never saved, so apply
    /// refuses that change: the plan says so when it is saved, not first at apply.
    @Test func savingAPlanSaysWhichChangesApplyWillRefuseForTheirCredential() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        var env = testEnvironment(home: home)
        env["PW"] = "Secr3t-pass"
        let script = home.appendingPathComponent("p.mxsh")
        try "connect sandbox\ncreate-user \"newbie@contoso-cm.net\" password=env(\"PW\") at=cm\n".write(
            to: script, atomically: true, encoding: .utf8)
        let plan = home.appendingPathComponent("p.json").path
        let saved = try runMxsh(["plan", script.path, "--plan-out", plan], in: home, environment: env)
        #expect(saved.status == 3, "\(saved.stderr)")
        #expect(
            saved.stderr.contains(
                "note: 1 planned change carries a credential, which a plan does not keep: apply will refuse it"),
            "\(saved.stderr)")
        #expect(
            saved.stderr.contains("(it refuses the 1 change with a credential, and later changes to the same object)"),
            "\(saved.stderr)")
        #expect(try !String(contentsOfFile: plan, encoding: .utf8).contains("Secr3t"))
        // Refused for what it is, not as drift: nothing about the object changed.
        let applied = try runMxsh(["apply", plan], in: home, environment: env)
        #expect(applied.status == 1, "\(applied.stderr)")
        #expect(!applied.stderr.contains("drift"), "\(applied.stderr)")
        #expect(applied.stderr.contains("refused: user"), "\(applied.stderr)")
        #expect(
            applied.stderr.contains("0 changes applied, 1 refused for the credential the plan does not keep"),
            "\(applied.stderr)")
        // What was not made, refused as well as failed, is in the list to work from again.
        let run = try #require(applied.stderr.firstMatch(of: /run (\d{8}-\d{6}-[0-9a-f]{4})/)?.1, "\(applied.stderr)")
        let csv = home.appendingPathComponent("not-made.csv").path
        let shown = try runMxsh(["runs", "show", String(run), "--failed-csv", csv], in: home, environment: env)
        #expect(shown.status == 0, "\(shown.stderr)")
        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 2 && rows[1].hasSuffix(",refused"), "\(rows)")
        #expect(rows.allSatisfy { !$0.contains("Secr3t") })
    }

    @Test func aPlanIsNotSavedWithACredentialWrittenInTheScript() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let r = try runMxsh(["-c", "print 1"], in: home)
        #expect(r.status == 0)
        let script = home.appendingPathComponent("s.mxsh").path
        try
            ("connect sandbox\ndisable (pp.domain \"got.com\")\nconnect opensrs as os2 url=\"http://127.0.0.1:1\" "
            + "user=\"u\" password=\"Lit3ral-Pw\"\ncreate-domain \"x.org\" at=os2\n")
            .write(toFile: script, atomically: true, encoding: .utf8)
        let planned = try runMxsh(["plan", script, "--plan-out", home.appendingPathComponent("p.json").path], in: home)
        #expect(
            planned.status != 0 && planned.status != 3 || planned.stderr.contains("plan not saved"), "\(planned.stderr)"
        )
        #expect(
            !FileManager.default.fileExists(atPath: home.appendingPathComponent("p.json").path)
                || planned.stderr.contains("plan not saved"))
        #expect(!planned.stdout.contains("Lit3ral-Pw") && !planned.stderr.contains("Lit3ral-Pw"))
    }

    @Test func nothingToChangeExitsZero() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let script = home.appendingPathComponent("s.mxsh").path
        try
            ("connect sandbox\nenable (pp.domain \"got.com\")\nadd-alias (os.domain \"globex.org\") "
            + "\"globex-corp.com\"\n")
            .write(toFile: script, atomically: true, encoding: .utf8)
        let r = try runMxsh(["run", "--dry-run", script], in: home)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "No changes: everything is already as the script asks.\n")
    }

    /// A plan that stops at a failure shows what it planned before it, and never says that
    /// nothing is left to change: that is not known. In JSON its status says so.
    @Test func aPlanStoppedByAFailureDoesNotSayNothingIsLeft() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let first = home.appendingPathComponent("first.mxsh").path
        try "connect sandbox\nadd-alias (cm.domain \"nosuch.com\") \"x.net\"\n".write(
            toFile: first, atomically: true, encoding: .utf8)
        let none = try runMxsh(["plan", first], in: home)
        #expect(none.status == 1, "\(none.stderr)")
        #expect(
            none.stdout == "Plan stopped before the end of the script: nothing to change before it. "
                + "Nothing has been sent.\n")
        let later = home.appendingPathComponent("later.mxsh").path
        try "connect sandbox\ndisable (pp.domain \"got.com\")\nadd-alias (cm.domain \"nosuch.com\") \"x.net\"\n"
            .write(toFile: later, atomically: true, encoding: .utf8)
        let some = try runMxsh(["plan", later], in: home)
        #expect(some.status == 1, "\(some.stderr)")
        let upTo = "Plan up to where it stopped (the rest of the script not planned): "
        #expect(some.stdout.contains(upTo), "\(some.stdout)")
        let json = try runMxsh(["plan", first, "--format", "json"], in: home)
        #expect(json.status == 1 && json.stdout.hasSuffix(",\"status\":\"failed\"}\n"), "\(json.stdout)")
    }

    /// `copy` speaks in the mode's tense: "will copy" in a plan (nothing copied yet),
    /// "copied" with the vendor's real answers after; a change the vendor would refuse
    /// is shown with the plan (`!`), which goes on past it, and the plan exits 1.
    @Test func copyTellsWhatItWillDoAndWhatItDid() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let script = home.appendingPathComponent("copy.mxsh").path
        try """
        connect memory as src seed="demo"
        connect memory as dst
        create-domain "got.com" destination="10.9.9.9" at=dst
        create-domain "got.com" destination="10.0.0.1" at=dst
        copy domains where status = DISABLED from src to dst
        print "after the copy"
        """.write(toFile: script, atomically: true, encoding: .utf8)
        let plan = try runMxsh(["plan", script], in: home)
        #expect(plan.status == 1, "a change the vendor would refuse: \(plan.stdout)\(plan.stderr)")
        #expect(plan.stderr.contains("will copy: 3 to create, 0 to update, 0 already the same"), "\(plan.stderr)")
        #expect(!plan.stderr.contains("\ncopied:"), "\(plan.stderr)")
        #expect(plan.stdout.contains("after the copy"), "the plan went on past the predicted failure: \(plan.stdout)")
        #expect(plan.stdout.contains("! create-domain domain \"got.com\" at dst: will fail:"), "\(plan.stdout)")
        #expect(plan.stdout.contains("+ domain \"legacy.org\" at dst"), "\(plan.stdout)")
        #expect(plan.stdout.contains("Plan: 4 to create, 0 to change, 0 to delete, 1 will fail."), "\(plan.stdout)")

        let run = try runMxsh(["run", script], in: home)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(!run.stderr.contains("\ncopied:"), "the run stopped at the failing create: \(run.stderr)")
        try """
        connect memory as src seed="demo"
        connect memory as dst
        copy domains where status = DISABLED from src to dst
        """.write(toFile: script, atomically: true, encoding: .utf8)
        let copied = try runMxsh(["run", script], in: home)
        #expect(copied.status == 0, "\(copied.stderr)")
        #expect(copied.stderr.contains("copied: 3 created, 0 updated, 0 already the same"), "\(copied.stderr)")
    }

    /// A credential written in the script is refused wherever it would have to be kept:
    /// on its connect line, before anything is sent, by every command that journals, with
    /// the fix; by --plan-out. `check` and `plan` alone keep nothing and accept it.
    @Test func aLiteralCredentialIsRefusedBeforeAnythingIsSent() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let port = SandboxCommandTests.freeBasePort()
        let server = try SandboxCommandTests.Server(["--port", String(port), "--seed", "demo"], in: home)
        defer { _ = server.stop() }
        let script = home.appendingPathComponent("literal.mxsh").path
        try """
        connect cleanmail as cm url="\(server.url("cleanmail"))" token=("sandbox-" + "token")
        create-domain "literal.example" destination="10.0.0.1"
        """.write(toFile: script, atomically: true, encoding: .utf8)
        for arguments in [["run", script], [script]] {
            let r = try runMxsh(arguments, in: home)
            #expect(r.status == 1, "\(arguments): \(r.stderr)")
            #expect(
                r.stderr.contains(
                    "literal.mxsh:1:1: error: token= is written in the script (a literal, or computed): nothing is sent"
                ),
                "\(arguments): \(r.stderr)")
            #expect(
                r.stderr.contains("write token=env(\"X\") or token=secret(\"name\"), or use a profile: connect @name"),
                "\(r.stderr)")
            #expect(!r.stderr.contains("sandbox-token"))
        }
        let shell = try runMxsh([], stdin: try String(contentsOfFile: script, encoding: .utf8), in: home)
        #expect(shell.status == 1 && shell.stderr.contains("token= is written in the script"), "\(shell.stderr)")
        #expect(try runMxsh(["check", script], in: home).status == 0)
        let requests = try sandboxReader.sendBlocking(
            HTTPRequest(.GET, server.url("cleanmail") + "/_sandbox/requests")
        ).body
        #expect(!String(decoding: requests, as: UTF8.self).contains("/domains"), "nothing was sent")
        #expect(try runMxsh(["plan", script], in: home).status == 3, "a plan keeps nothing")
        let saved = try runMxsh(["plan", script, "--plan-out", home.appendingPathComponent("p.json").path], in: home)
        #expect(saved.status == 1 && saved.stderr.contains("plan not saved"), "\(saved.stderr)")
    }
}
