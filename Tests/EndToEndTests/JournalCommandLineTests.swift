import Foundation
import Testing

/// `runs`, `resume`, `undo` and `docs` as their help and the README describe them: an
/// option a command would ignore is refused, `resume` prints in the format asked for,
/// and a run that changed nothing has nothing to undo (exit 2, as for `resume`); and
/// what becomes of changes that fail (`--on-error stop`, a change done in part).
@Suite(.serialized)
struct JournalCommandLineTests {
    @Test func aRunThatChangedNothingIsResumedInItsFormatAndHasNothingToUndo() throws {
        let s = try SandboxHome()
        defer { s.close() }
        // The alias is taken (a domain of that name): the one change fails, 409.
        let script = try s.script(
            "taken.mxsh", s.connectCleanmail + "add-alias (cm.domain \"litware-inc.com\") \"lucerne-publishing.de\"\n")
        let run = try s.mxsh(["run", script])
        #expect(run.status == 1, "\(run.stderr)")

        let undo = try s.mxsh(["undo"])
        #expect(undo.status == 2 && undo.stdout.isEmpty, "\(undo.stdout)")
        #expect(undo.stderr.hasSuffix("changed nothing; nothing to undo\n"), "\(undo.stderr)")
        let undoJSON = try s.mxsh(["undo", "--format", "json"])
        #expect(undoJSON.status == 2, "\(undoJSON.stdout) \(undoJSON.stderr)")

        let resumed = try s.mxsh(["resume", "--format", "json"])
        #expect(resumed.status == 1, "\(resumed.stderr)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(resumed.stdout.utf8)) as? [String: Any], "\(resumed.stdout)")
        #expect(document["status"] as? String == "failed", "\(document)")

        let unjournaled = try s.mxsh(["resume", "--no-journal"])
        #expect(unjournaled.status == 64, "\(unjournaled.stderr)")
        #expect(unjournaled.stderr.contains("a resume is journaled"), "\(unjournaled.stderr)")
        let csv = try s.mxsh(["runs", "--failed-csv", "failed.csv"])
        #expect(csv.status == 64 && csv.stderr.contains("mxsh runs show RUN --failed-csv"), "\(csv.stderr)")
        #expect(!FileManager.default.fileExists(atPath: s.home.appendingPathComponent("failed.csv").path))
    }

    /// A chain of resumes: the run it took up is not picked again (that would send again
    /// what the resumes did), nor resumed by its id; a chain finished leaves nothing.
    @Test func aRunTakenUpByAResumeIsNotResumedAgain() throws {
        let s = try SandboxHome()
        defer { s.close() }
        // Another domain holds the alias (an alias name is the vendor's to one domain).
        let hold = try s.script(
            "hold.mxsh", s.connectCleanmail + "add-alias (cm.domain \"lucerne-publishing.de\") \"held-by-one.net\"\n")
        #expect(try s.mxsh(["run", hold, "--no-journal"]).status == 0)
        let script = try s.script(
            "taken.mxsh", s.connectCleanmail + "add-alias (cm.domain \"litware-inc.com\") \"held-by-one.net\"\n")
        #expect(try s.mxsh(["run", script]).status == 1)
        let first = try #require(try lastRun(s))
        #expect(try s.mxsh(["resume"]).status == 1, "the alias is still taken")
        let second = try #require(try lastRun(s))
        let again = try s.mxsh(["resume", first])
        #expect(again.status == 2, "\(again.stderr)")
        #expect(again.stderr.contains("run \(first) was taken up by its resume \(second)"), "\(again.stderr)")

        // The name freed, the newest of the chain is resumed and finishes it: all of it.
        let free = try s.script(
            "free.mxsh",
            s.connectCleanmail + "remove-alias (cm.domain \"lucerne-publishing.de\") \"held-by-one.net\"\n")
        #expect(try s.mxsh(["run", free, "--no-journal"]).status == 0)
        let finished = try s.mxsh(["resume"])
        #expect(finished.status == 0 && finished.stderr.contains("resuming run \(second)"), "\(finished.stderr)")
        let nothing = try s.mxsh(["resume"])
        #expect(nothing.status == 2 && nothing.stderr.contains("no unfinished run"), "\(nothing.stderr)")
        let byID = try s.mxsh(["resume", first])
        #expect(byID.status == 2 && byID.stderr.contains("was finished by its resume"), "\(byID.stderr)")
    }

    /// `--on-error stop`, the default: the changes in flight finish, those still queued are
    /// not sent (journaled queued, for resume), as `run --help` says.
    @Test func onErrorStopSendsNothingStillQueued() throws {
        let s = try SandboxHome(["--seed", "100", "--latency-ms", "20"])
        defer { s.close() }
        let script = try s.script(
            "same.mxsh", s.connectCleanmail + "for d in cm.domains < add-alias d \"same.net\" >\n")
        let run = try s.mxsh(["run", script, "--jobs", "4"])
        #expect(run.status == 1, "\(run.stderr)")
        let runs = try s.mxsh(["runs", "--format", "json"])
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
        let s = try SandboxHome()
        defer { s.close() }
        let script = try s.script(
            "part.mxsh",
            s.connectCleanmail
                + "set (cm.domain \"litware-inc.com\") description=\"changed by run\" aliases=[\"woodgrove.fr\"]\n")
        let run = try s.mxsh(["run", script])
        #expect(run.status == 1)
        #expect(run.stderr.contains("domain litware-inc.com was changed, but not wholly"), "\(run.stderr)")
        #expect(run.stderr.contains("0 changes applied, 1 sent with the answer unknown"), "\(run.stderr)")
        #expect(try s.mxsh(["runs", "--format", "json"]).stdout.contains("\"sent\":1"))
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

    func lastRun(_ s: SandboxHome) throws -> String? {
        try s.mxsh(["runs", "--format", "json"]).stdout.firstMatch(of: /"id":"([^"]+)"/).map { String($0.1) }
    }
}
