import Foundation
import Testing

/// `undo` takes back only what a run did, and only from objects still as the run left
/// them: anything changed since is refused per object, saying which field and how; an
/// inverse that would orphan mailboxes is refused; `undo --dry-run` exits as plans do.
@Suite(.serialized)
struct UndoTests {
    @Test func undoRefusesDriftAndOrphansAndTakesBackTheRest() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let port = SandboxCommandTests.freeBasePort()
        let server = try SandboxCommandTests.Server(["--port", String(port), "--seed", "demo"], in: home)
        defer { _ = server.stop() }
        var env = testEnvironment(home: home)
        env["CM_TOKEN"] = "sandbox-token"
        let connect = "connect cleanmail as cm url=\"\(server.url("cleanmail"))\" token=env(\"CM_TOKEN\")\n"
        let run = home.appendingPathComponent("run.mxsh")
        try (connect + """
            create-domain "kept-a.example" destination="10.0.0.1"
            create-domain "drifted.example" destination="10.0.0.1"
            create-domain "peopled.example" destination="10.0.0.1"
            set (domain "contoso-cm.net") description="from the run"
            """).write(to: run, atomically: true, encoding: .utf8)
        let first = try runMxsh(["run", run.path], in: home, environment: env)
        #expect(first.status == 0, "\(first.stderr)")

        // Since the run: someone changes one domain and puts a mailbox in another.
        let later = home.appendingPathComponent("later.mxsh")
        try (connect + """
            set (domain "drifted.example") destination="10.9.9.9"
            create-user "ann@peopled.example" name="Ann"
            """).write(to: later, atomically: true, encoding: .utf8)
        let other = try runMxsh(["run", later.path, "--no-journal"], in: home, environment: env)
        #expect(other.status == 0, "\(other.stderr)")

        let runs = try runMxsh(["runs", "--format", "json"], in: home, environment: env)
        let id = try #require(runs.stdout.firstMatch(of: /"id":"([^"]+)"/)?.1)
        let dry = try runMxsh(["undo", String(id), "--dry-run"], in: home, environment: env)
        #expect(dry.status == 1, "refusals make a dry run fail too: \(dry.stderr)")
        #expect(dry.stderr.contains("refused: create-domain domain drifted.example"), "\(dry.stderr)")
        #expect(dry.stderr.contains("destination is \"10.9.9.9\" now (the run left \"10.0.0.1\")"), "\(dry.stderr)")
        #expect(dry.stderr.contains("refused: create-domain domain peopled.example"), "\(dry.stderr)")
        #expect(dry.stderr.contains("it now has 1 mailbox, which deleting it would leave without their domain"), "\(dry.stderr)")

        let undo = try runMxsh(["undo", String(id)], in: home, environment: env)
        #expect(undo.status == 1, "\(undo.stderr)")
        let check = home.appendingPathComponent("check.mxsh")
        try (connect + """
            print count(domains where name = "kept-a.example") count(domains where name = "drifted.example") count(domains where name = "peopled.example")
            print (domain "contoso-cm.net").description
            """).write(to: check, atomically: true, encoding: .utf8)
        let after = try runMxsh(["run", check.path, "--no-journal"], in: home, environment: env)
        #expect(after.stdout.split(separator: "\n").first == "0 1 1", "\(after.stdout)\(after.stderr)")
        #expect(!after.stdout.contains("from the run"), "\(after.stdout)")
    }

    @Test func undoDryRunWithChangesExitsThree() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let port = SandboxCommandTests.freeBasePort()
        let server = try SandboxCommandTests.Server(["--port", String(port), "--seed", "demo"], in: home)
        defer { _ = server.stop() }
        var env = testEnvironment(home: home)
        env["CM_TOKEN"] = "sandbox-token"
        let run = home.appendingPathComponent("run.mxsh")
        try """
            connect cleanmail as cm url="\(server.url("cleanmail"))" token=env("CM_TOKEN")
            create-domain "undo-me.example" destination="10.0.0.1"
            """.write(to: run, atomically: true, encoding: .utf8)
        #expect(try runMxsh(["run", run.path], in: home, environment: env).status == 0)
        let dry = try runMxsh(["undo", "--dry-run"], in: home, environment: env)
        #expect(dry.status == 3, "\(dry.stdout)\(dry.stderr)")
        #expect(dry.stdout.contains("undo-me.example"), "\(dry.stdout)")
    }
}
