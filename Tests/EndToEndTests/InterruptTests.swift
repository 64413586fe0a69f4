import Foundation
import MXJSON
import Testing

/// Ctrl-C during `mxsh run`, sent as SIGINT to a real process adding aliases at the
/// sandbox: the first stops sending, waits for the change in flight, reports what was
/// done and how to resume, and leaves the rest journaled `queued`; the sandbox holds
/// exactly the changes journaled done, and `resume` finishes the run. A second press
/// leaves at once, and the journal still accounts for every change.
@Suite(.serialized)
struct InterruptTests {
    struct Setup {
        let home: URL
        let server: SandboxCommandTests.Server
        let env: [String: String]
        let script: URL
        var url: String { server.url("cleanmail") }
    }

    /// A script adding 200 aliases to one domain (one at a time: changes to one object
    /// keep their order), at a sandbox answering each request after 25 ms.
    func setUp(_ domain: String) throws -> Setup {
        let home = try makeTemporaryDirectory()
        let port = SandboxCommandTests.freeBasePort()
        let server = try SandboxCommandTests.Server(
            ["--port", String(port), "--seed", "demo", "--latency-ms", "25"], in: home)
        var env = testEnvironment(home: home)
        env["CM_TOKEN"] = "sandbox-token"
        let rows = (1...200).map { "a\($0).\(domain)" }.joined(separator: "\n")
        try ("alias\n" + rows + "\n").write(
            to: home.appendingPathComponent("aliases.csv"), atomically: true, encoding: .utf8)
        let script = home.appendingPathComponent("long.mxsh")
        try """
        connect cleanmail as cm url="\(server.url("cleanmail"))" token=env("CM_TOKEN")
        create-domain "\(domain)" destination="10.0.0.1"
        let d = domain "\(domain)"
        for row in csv("aliases.csv") < add-alias d row.alias >
        """.write(to: script, atomically: true, encoding: .utf8)
        return Setup(home: home, server: server, env: env, script: script)
    }

    /// `mxsh run` started, once the sandbox holds a few of its aliases.
    func started(_ s: Setup, domain: String) throws -> (Process, Pipe) {
        try launched(s, ["run", s.script.path]) { try (JournalStateTests.cleanmail(s.url)[domain]?.count ?? 0) >= 5 }
    }

    /// Sends SIGINT `presses` times to a run started, and waits for its end.
    func interrupt(_ run: (Process, Pipe), presses: Int) -> ProcessResult {
        let (process, err) = run
        for _ in 0..<presses { kill(process.processIdentifier, SIGINT) }
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProcessResult(
            stdout: "", stderr: String(decoding: stderr, as: UTF8.self), status: process.terminationStatus)
    }

    func interrupted(_ s: Setup, domain: String, presses: Int) throws -> ProcessResult {
        interrupt(try started(s, domain: domain), presses: presses)
    }

    /// The run's changes from `runs show --format json`: (state, alias) of each add-alias.
    func journaled(_ s: Setup) throws -> (id: String, aliases: [(state: String, alias: String)]) {
        let runs = try runMxsh(["runs", "--format", "json"], in: s.home, environment: s.env)
        let id = try #require(try JSON.parse(Array(runs.stdout.utf8)).array?.first?["id"]?.string)
        let show = try runMxsh(["runs", "show", id, "--format", "json"], in: s.home, environment: s.env)
        let changes = try JSON.parse(Array(show.stdout.utf8))["changes"]?.array ?? []
        return (
            id,
            changes.filter { $0["operation"] == "add-alias" }.map {
                ($0["state"]?.string ?? "", $0["fields"]?["alias"]?.string ?? "")
            }
        )
    }

    @Test func firstCtrlCStopsSendingWaitsAndSaysHowToResume() throws {
        let domain = "interrupted.example"
        let s = try setUp(domain)
        defer { _ = s.server.stop(); try? FileManager.default.removeItem(at: s.home) }
        let run = try interrupted(s, domain: domain, presses: 1)
        #expect(run.status == 130, "\(run.stderr)")
        let (id, aliases) = try journaled(s)
        #expect(run.stderr.contains("mxsh resume \(id)"), "\(run.stderr)")
        #expect(run.stderr.contains("queued and never sent"), "\(run.stderr)")
        #expect(!aliases.isEmpty && aliases.count <= 200, "the script stopped where it was: \(aliases.count)")
        #expect(!aliases.contains { $0.state == "sent" }, "the change in flight was waited for: nothing unknown")
        let done = Set(aliases.filter { $0.state == "done" }.map(\.alias))
        #expect(aliases.allSatisfy { $0.state == "done" || $0.state == "queued" }, "\(aliases.map(\.state))")
        #expect(
            try JournalStateTests.cleanmail(s.url)[domain] == done,
            "the sandbox holds exactly the changes journaled done")
        let runs = try runMxsh(["runs", "--format", "json"], in: s.home, environment: s.env)
        #expect(try JSON.parse(Array(runs.stdout.utf8)).array?.first?["status"] == "interrupted", "\(runs.stdout)")

        let resumed = try runMxsh(["resume"], in: s.home, environment: s.env)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try JournalStateTests.cleanmail(s.url)[domain]?.count == 200)
    }

    @Test func secondCtrlCLeavesAtOnceAndTheJournalStillAccounts() throws {
        let domain = "left.example"
        let s = try setUp(domain)
        defer { _ = s.server.stop(); try? FileManager.default.removeItem(at: s.home) }
        let run = try interrupted(s, domain: domain, presses: 2)
        #expect(run.status == 130, "\(run.stderr)")
        let (_, aliases) = try journaled(s)
        #expect(!aliases.isEmpty && aliases.count <= 200)
        #expect(aliases.allSatisfy { ["done", "sent", "queued"].contains($0.state) }, "\(aliases.map(\.state))")
        // At the sandbox: every change journaled done, none queued; one sent may be either.
        let held = try JournalStateTests.cleanmail(s.url)[domain] ?? []
        for (state, alias) in aliases {
            if state == "done" { #expect(held.contains(alias), "\(alias) is done but absent") }
            if state == "queued" { #expect(!held.contains(alias), "\(alias) was never sent but is there") }
        }
        let resumed = try runMxsh(["resume"], in: s.home, environment: s.env)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try JournalStateTests.cleanmail(s.url)[domain]?.count == 200)
    }

    @Test func anInterruptedShellSessionIsNotJournaledDone() throws {
        let t = try TerminalSession()
        try t.type("connect memory as m seed=200000")
        try t.waitFor("mxsh(m)>")
        try t.type("add-alias (domain \"d0000001.net\") \"shell.example\"")
        try t.waitFor("at m: add-alias")
        try t.type("let n = 0")
        try t.waitFor("mxsh(m)>", count: 3)
        // Ctrl-C once the loop runs: "go2" is printed (the typed line echoes "go${1 + 1}"). A
        // Ctrl-C that came before the shell had read the line would only discard it.
        try t.type("print \"go${1 + 1}\"; for d in domains < for e in [1, 2, 3, 4, 5, 6, 7, 8] < n = n + 1 > >")
        try t.waitFor("go2")
        Thread.sleep(forTimeInterval: 0.2)
        try t.press("C-c")
        try t.waitFor("interrupted")
        try t.press("C-d")
        #expect(t.waitForExit(timeout: 60), "the shell did not leave after Ctrl-D")
        var env = testEnvironment(home: t.home)
        env["XDG_STATE_HOME"] = t.home.path + "/state"
        let runs = try runMxsh(["runs", "--format", "json"], in: t.home, environment: env)
        let run = try #require(try JSON.parse(Array(runs.stdout.utf8)).array?.first, "\(runs.stdout)\(runs.stderr)")
        #expect(run["kind"] == "repl" && run["status"] == "interrupted", "\(runs.stdout)")
    }

    @Test func aRunStillExecutingIsNeitherResumedNorUndoneElsewhere() throws {
        let domain = "busy.example"
        let s = try setUp(domain)
        defer { _ = s.server.stop(); try? FileManager.default.removeItem(at: s.home) }
        let running = try started(s, domain: domain)
        let runs = try runMxsh(["runs", "--format", "json"], in: s.home, environment: s.env)
        let run = try #require(try JSON.parse(Array(runs.stdout.utf8)).array?.first, "\(runs.stdout)")
        #expect(run["status"] == "running")
        let id = try #require(run["id"]?.string)

        let resume = try runMxsh(["resume"], in: s.home, environment: s.env)
        #expect(resume.status == 2 && resume.stderr.contains("no unfinished run to resume"), "\(resume.stderr)")
        let resumeIt = try runMxsh(["resume", id], in: s.home, environment: s.env)
        #expect(
            resumeIt.status == 2 && resumeIt.stderr.contains("is executing in another process"), "\(resumeIt.stderr)")
        let undo = try runMxsh(["undo"], in: s.home, environment: s.env)
        #expect(undo.status == 2 && undo.stderr.contains("no run to undo"), "\(undo.stderr)")
        let undoIt = try runMxsh(["undo", id], in: s.home, environment: s.env)
        #expect(undoIt.status == 2 && undoIt.stderr.contains("is executing in another process"), "\(undoIt.stderr)")

        #expect(interrupt(running, presses: 1).status == 130)
        let after = try runMxsh(["runs", "--format", "json"], in: s.home, environment: s.env)
        #expect(try JSON.parse(Array(after.stdout.utf8)).array?.first?["status"] == "interrupted", "\(after.stdout)")
    }

    /// `mxsh` with `arguments`, started; waits until `ready` says so.
    func launched(_ s: Setup, _ arguments: [String], until ready: () throws -> Bool) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: mxshBinary)
        process.arguments = arguments
        process.currentDirectoryURL = s.home
        process.environment = s.env
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        while try !ready() { usleep(20_000) }
        return (process, err)
    }

    /// Ctrl-C during `mxsh apply` and `mxsh undo`: as for a run, sending stops, the
    /// change in flight finishes, the rest is counted not sent, the run is journaled
    /// interrupted, and the exit status is 130.
    @Test func applyAndUndoStopAtCtrlC() throws {
        let domain = "stopped-apply.example"
        let s = try setUp(domain)
        defer { _ = s.server.stop(); try? FileManager.default.removeItem(at: s.home) }
        let plan = try runMxsh(["plan", s.script.path, "--plan-out", "p.json"], in: s.home, environment: s.env)
        #expect(plan.status == 3, "\(plan.stderr)")
        let applying = try launched(s, ["apply", "p.json"]) {
            try (JournalStateTests.cleanmail(s.url)[domain]?.count ?? 0) >= 5
        }
        let applied = interrupt(applying, presses: 1)
        #expect(applied.status == 130, "\(applied.stderr)")
        #expect(applied.stderr.contains("not sent (interrupted)"), "\(applied.stderr)")
        let held = try JournalStateTests.cleanmail(s.url)[domain]?.count ?? 0
        #expect(held > 0 && held < 200, "\(held)")
        let runs = try runMxsh(["runs", "--format", "json"], in: s.home, environment: s.env)
        let run = try #require(try JSON.parse(Array(runs.stdout.utf8)).array?.first)
        #expect(run["kind"] == "apply" && run["status"] == "interrupted", "\(runs.stdout)")

        let undoing = try launched(s, ["undo", "--jobs", "1"]) {
            try (JournalStateTests.cleanmail(s.url)[domain]?.count ?? 0) <= held - 3
        }
        let undone = interrupt(undoing, presses: 1)
        #expect(undone.status == 130, "\(undone.stderr)")
        #expect(undone.stderr.contains("not sent (interrupted)"), "\(undone.stderr)")
        #expect((try JournalStateTests.cleanmail(s.url)[domain]?.count ?? 0) > 0)
    }
}
