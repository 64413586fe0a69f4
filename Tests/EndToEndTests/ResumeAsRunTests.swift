import Foundation
import MXJSON
import Testing

/// `resume` takes a run up as it was made, and `undo` finds the run that changed
/// something: a rehearsal (`--limit`) resumed stays a rehearsal, a run whose objects
/// ended with its process is refused rather than reported done, and a run that finished
/// finding everything already as asked does not hide the run before it.
@Suite(.serialized)
struct ResumeAsRunTests {
    /// A line that fails at run (check passes it), so that the run can be resumed.
    static let failingLine = "let xs = [1]\nprint xs[5]\n"

    @Test func aRehearsalResumedMovesNoMoreThanItsLimit() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let script = try s.script(
            "rehearse.mxsh",
            s.connectCleanmail
                + "connect opensrs as os url=\"\(s.server.url("opensrs"))\" user=\"admin@example.com\" "
                + "password=env(\"OS_PASSWORD\")\n" + "copy domains where status=ENABLED from os to cm\n"
                + Self.failingLine)
        let before = try JournalStateTests.cleanmail(s.server.url("cleanmail")).count
        let ran = try s.mxsh(["run", script, "--limit", "1"])
        #expect(ran.status == 1, "the last line fails: \(ran.stderr)")
        #expect(try JournalStateTests.cleanmail(s.server.url("cleanmail")).count == before + 1)

        let other = try s.mxsh(["resume", "--limit", "2"])
        #expect(other.status == 2, "\(other.stderr)")
        #expect(other.stderr.contains("was run with --limit 1; resume takes it up as it was run"), "\(other.stderr)")

        let resumed = try s.mxsh(["resume"])
        #expect(resumed.status == 1, "the last line fails again: \(resumed.stderr)")
        #expect(resumed.stderr.contains("(with --limit 1, as it was run)"), "\(resumed.stderr)")
        #expect(
            try JournalStateTests.cleanmail(s.server.url("cleanmail")).count == before + 1,
            "the resume moved more than the rehearsal's one domain: \(resumed.stdout)")

        // The resume failed too: resuming it keeps the limit it had from the first run.
        let again = try s.mxsh(["resume"])
        #expect(again.stderr.contains("(with --limit 1, as it was run)"), "\(again.stderr)")
        #expect(try JournalStateTests.cleanmail(s.server.url("cleanmail")).count == before + 1)
    }

    @Test func aRunWhoseObjectsEndedWithItsProcessIsNotResumed() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let script = home.appendingPathComponent("gone.mxsh")
        try ("connect memory as m seed=\"demo\"\nadd-alias (domain \"got.com\") \"gone.example\"\n" + Self.failingLine)
            .write(to: script, atomically: false, encoding: .utf8)
        let env = testEnvironment(home: home)
        #expect(try runMxsh(["run", script.path], in: home, environment: env).status == 1)
        let resumed = try runMxsh(["resume"], in: home, environment: env)
        #expect(resumed.status == 2, "\(resumed.stdout)\(resumed.stderr)")
        #expect(
            resumed.stderr.contains("changed objects at m, whose objects ended with the process that ran it"),
            "\(resumed.stderr)")
        #expect(!resumed.stderr.contains("done before are skipped"), "\(resumed.stderr)")
    }

    @Test func aPlainUndoPassesOverARunThatChangedNothing() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let script = try s.script(
            "alias.mxsh", s.connectCleanmail + "add-alias (cm.domain \"contoso-cm.net\") \"undo-me.example\"\n")
        #expect(try s.mxsh(["run", script]).status == 0)
        let first = try #require(
            try JSON.parse(Array(try s.mxsh(["runs", "--format", "json"]).stdout.utf8)).array?.first)
        let again = try s.mxsh(["run", script])
        #expect(again.status == 0 && again.stderr.contains("already as asked"), "\(again.stderr)")

        let undo = try s.mxsh(["undo"])
        #expect(undo.status == 0, "\(undo.stdout)\(undo.stderr)")
        #expect(undo.stderr.contains("undo of run \(first["id"]?.string ?? "?"): 1 change(s) undone"), "\(undo.stderr)")
        #expect(
            try JournalStateTests.cleanmail(s.server.url("cleanmail"))["contoso-cm.net"]?.contains("undo-me.example")
                == false)
    }

    @Test func anUndoPlanWithNothingToTakeBackDoesNotSayAllIsAsAsked() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let env = testEnvironment(home: home)
        let script = home.appendingPathComponent("m.mxsh")
        try "connect memory as m seed=\"demo\"\nadd-alias (domain \"got.com\") \"gone.example\"\n"
            .write(to: script, atomically: false, encoding: .utf8)
        #expect(try runMxsh(["run", script.path], in: home, environment: env).status == 0)
        let planned = try runMxsh(["undo", "--dry-run"], in: home, environment: env)
        #expect(planned.stderr.contains("cannot undo"), "\(planned.stderr)")
        #expect(!planned.stdout.contains("already as the script asks"), "\(planned.stdout)")
        #expect(planned.stdout.contains("Nothing of it can be undone. Nothing has been sent."), "\(planned.stdout)")
    }

    /// A run that failed keeps its status (it did fail), and `runs` says which resume took
    /// it up and how that ended: "failed" alone read as if nothing had been done since.
    @Test func aResumedRunSaysWhichResumeTookItUp() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let script = try s.script(
            "alias-then-fail.mxsh",
            s.connectCleanmail + "add-alias (cm.domain \"contoso-cm.net\") \"resumed.example\"\n" + Self.failingLine)
        #expect(try s.mxsh(["run", script]).status == 1)
        #expect(try s.mxsh(["resume"]).status == 1, "the last line fails again")

        let runs = try #require(try JSON.parse(Array(try s.mxsh(["runs", "--format", "json"]).stdout.utf8)).array)
        let first = try #require(runs.first { $0["kind"]?.string == "run" })
        let resume = try #require(runs.first { $0["kind"]?.string == "resume" })
        let (firstID, resumeID) = (first["id"]?.string ?? "?", resume["id"]?.string ?? "?")
        #expect(first["status"]?.string == "failed")
        #expect(first["resumedBy"]?.string == resumeID)
        #expect(resume["resumedBy"] == .null)

        let table = try s.mxsh(["runs"]).stdout
        #expect(table.contains("failed, resumed by \(resumeID) (failed)"), "\(table)")
        let shown = try s.mxsh(["runs", "show", firstID]).stdout
        #expect(shown.contains("run \(firstID) (run): failed, resumed by \(resumeID) (failed)"), "\(shown)")
        let csv = try s.mxsh(["runs", "--format", "csv"]).stdout
        #expect(csv.split(separator: "\n").first?.hasSuffix(",resumedBy") == true, "\(csv)")
    }
}
