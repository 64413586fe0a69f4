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
