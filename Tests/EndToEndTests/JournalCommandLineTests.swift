import Foundation
import Testing

/// `runs`, `resume`, `undo` and `docs` as their help and the README describe them: an
/// option a command would ignore is refused, `resume` prints in the format asked for,
/// and a run that changed nothing has nothing to undo (exit 2, as for `resume`).
@Suite(.serialized)
struct JournalCommandLineTests {
    @Test func aRunThatChangedNothingIsResumedInItsFormatAndHasNothingToUndo() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let server = try SandboxCommandTests.Server(
            ["--port", String(SandboxCommandTests.freeBasePort()), "--seed", "demo"], in: home)
        defer { _ = server.stop() }
        var env = testEnvironment(home: home)
        env["CM_TOKEN"] = "sandbox-token"
        // The alias is taken (a domain of that name): the one change fails, 409.
        let script = home.appendingPathComponent("taken.mxsh")
        try """
        connect cleanmail as cm url="\(server.url("cleanmail"))" token=env("CM_TOKEN")
        add-alias (cm.domain "litware-inc.com") "lucerne-publishing.de"
        """.write(to: script, atomically: true, encoding: .utf8)
        let run = try runMxsh(["run", script.path], in: home, environment: env)
        #expect(run.status == 1, "\(run.stderr)")

        let undo = try runMxsh(["undo"], in: home, environment: env)
        #expect(undo.status == 2 && undo.stdout.isEmpty, "\(undo.stdout)")
        #expect(undo.stderr.hasSuffix("changed nothing; nothing to undo\n"), "\(undo.stderr)")
        let undoJSON = try runMxsh(["undo", "--format", "json"], in: home, environment: env)
        #expect(undoJSON.status == 2, "\(undoJSON.stdout) \(undoJSON.stderr)")

        let resumed = try runMxsh(["resume", "--format", "json"], in: home, environment: env)
        #expect(resumed.status == 1, "\(resumed.stderr)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(resumed.stdout.utf8)) as? [String: Any], "\(resumed.stdout)")
        #expect(document["status"] as? String == "failed", "\(document)")

        let unjournaled = try runMxsh(["resume", "--no-journal"], in: home, environment: env)
        #expect(unjournaled.status == 64, "\(unjournaled.stderr)")
        #expect(unjournaled.stderr.contains("a resume is journaled"), "\(unjournaled.stderr)")
        let csv = try runMxsh(["runs", "--failed-csv", "failed.csv"], in: home, environment: env)
        #expect(csv.status == 64 && csv.stderr.contains("mxsh runs show RUN --failed-csv"), "\(csv.stderr)")
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("failed.csv").path))
    }

    /// A chain of resumes: the run it took up is not picked again (that would send again
    /// what the resumes did), nor resumed by its id; a chain finished leaves nothing.
    @Test func aRunTakenUpByAResumeIsNotResumedAgain() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let server = try SandboxCommandTests.Server(
            ["--port", String(SandboxCommandTests.freeBasePort()), "--seed", "demo"], in: home)
        defer { _ = server.stop() }
        var env = testEnvironment(home: home)
        env["CM_TOKEN"] = "sandbox-token"
        let connect = "connect cleanmail as cm url=\"\(server.url("cleanmail"))\" token=env(\"CM_TOKEN\")\n"
        // Another domain holds the alias (an alias name is the vendor's to one domain).
        let hold = home.appendingPathComponent("hold.mxsh")
        try (connect + "add-alias (cm.domain \"lucerne-publishing.de\") \"held-by-one.net\"\n").write(
            to: hold, atomically: true, encoding: .utf8)
        #expect(try runMxsh(["run", hold.path, "--no-journal"], in: home, environment: env).status == 0)
        let script = home.appendingPathComponent("taken.mxsh")
        try (connect + "add-alias (cm.domain \"litware-inc.com\") \"held-by-one.net\"\n").write(
            to: script, atomically: true, encoding: .utf8)
        #expect(try runMxsh(["run", script.path], in: home, environment: env).status == 1)
        let first = try #require(try lastRun(home, env))
        #expect(try runMxsh(["resume"], in: home, environment: env).status == 1, "the alias is still taken")
        let second = try #require(try lastRun(home, env))
        let again = try runMxsh(["resume", first], in: home, environment: env)
        #expect(again.status == 2, "\(again.stderr)")
        #expect(again.stderr.contains("run \(first) was taken up by its resume \(second)"), "\(again.stderr)")

        // The name freed, the newest of the chain is resumed and finishes it: all of it.
        let free = home.appendingPathComponent("free.mxsh")
        try (connect + "remove-alias (cm.domain \"lucerne-publishing.de\") \"held-by-one.net\"\n").write(
            to: free, atomically: true, encoding: .utf8)
        #expect(try runMxsh(["run", free.path, "--no-journal"], in: home, environment: env).status == 0)
        let finished = try runMxsh(["resume"], in: home, environment: env)
        #expect(finished.status == 0 && finished.stderr.contains("resuming run \(second)"), "\(finished.stderr)")
        let nothing = try runMxsh(["resume"], in: home, environment: env)
        #expect(nothing.status == 2 && nothing.stderr.contains("no unfinished run"), "\(nothing.stderr)")
        let byID = try runMxsh(["resume", first], in: home, environment: env)
        #expect(byID.status == 2 && byID.stderr.contains("was finished by its resume"), "\(byID.stderr)")
    }

    /// `--on-error stop`, the default: the changes in flight finish, those still queued are
    /// not sent (journaled queued, for resume), as `run --help` says.
    @Test func onErrorStopSendsNothingStillQueued() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let server = try SandboxCommandTests.Server(
            ["--port", String(SandboxCommandTests.freeBasePort()), "--seed", "100", "--latency-ms", "20"], in: home)
        defer { _ = server.stop() }
        var env = testEnvironment(home: home)
        env["CM_TOKEN"] = "sandbox-token"
        let script = home.appendingPathComponent("same.mxsh")
        try """
        connect cleanmail as cm url="\(server.url("cleanmail"))" token=env("CM_TOKEN")
        for d in cm.domains < add-alias d "same.net" >
        """.write(to: script, atomically: true, encoding: .utf8)
        let run = try runMxsh(["run", script.path, "--jobs", "4"], in: home, environment: env)
        #expect(run.status == 1, "\(run.stderr)")
        let runs = try runMxsh(["runs", "--format", "json"], in: home, environment: env)
        let row = try #require(
            (try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [[String: Any]])?.first)
        // One done; at most the four in flight when the first 409 came back failed.
        #expect(row["done"] as? Int == 1 && (row["failed"] as? Int ?? 0) <= 4, "\(row)")
        #expect((row["queued"] as? Int ?? 0) >= 95, "\(row)")
        #expect(run.stderr.contains("not sent"), "\(run.stderr)")
    }

    /// An update of several requests whose later one is refused is done in part: sent,
    /// unknown, never failed (it did change the domain).
    @Test func anUpdateDoneInPartIsNotFailed() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let server = try SandboxCommandTests.Server(
            ["--port", String(SandboxCommandTests.freeBasePort()), "--seed", "demo"], in: home)
        defer { _ = server.stop() }
        var env = testEnvironment(home: home)
        env["CM_TOKEN"] = "sandbox-token"
        let script = home.appendingPathComponent("part.mxsh")
        try """
        connect cleanmail as cm url="\(server.url("cleanmail"))" token=env("CM_TOKEN")
        set (cm.domain "litware-inc.com") description="changed by run" aliases=["woodgrove.fr"]
        """.write(to: script, atomically: true, encoding: .utf8)
        let run = try runMxsh(["run", script.path], in: home, environment: env)
        #expect(run.status == 1)
        #expect(run.stderr.contains("domain litware-inc.com was changed, but not wholly"), "\(run.stderr)")
        #expect(run.stderr.contains("0 changes applied, 1 sent with the answer unknown"), "\(run.stderr)")
        let runs = try runMxsh(["runs", "--format", "json"], in: home, environment: env)
        #expect(runs.stdout.contains("\"sent\":1"), "\(runs.stdout)")
    }

    func lastRun(_ home: URL, _ env: [String: String]) throws -> String? {
        let runs = try runMxsh(["runs", "--format", "json"], in: home, environment: env)
        return runs.stdout.firstMatch(of: /"id":"([^"]+)"/).map { String($0.1) }
    }

    @Test func docsMakesItsDirectoryAndSaysWhyItCannot() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let made = try runMxsh(["docs", "out"], in: home)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(FileManager.default.fileExists(atPath: home.appendingPathComponent("out/commands.md").path))
        let deeper = try runMxsh(["docs", "missing/out"], in: home)
        #expect(deeper.status == 1)
        #expect(deeper.stderr == "mxsh: cannot make missing/out: No such file or directory\n", "\(deeper.stderr)")
    }
}
