import Foundation
import MXEngine
import MXHTTP
import MXJSON
import MXSandbox
import Testing

/// The orchestration of `run`, `plan` and `resume` is the engine's: functions that
/// return values (a run report, a plan, a request or a refusal), called here in-process
/// as the command line calls them, against the sandbox over HTTP.
struct EngineRunTests {
    /// A journal of its own, in a fresh directory.
    static func journalPath() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mxsh-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("journal.sqlite").path
    }

    /// The engine's blocking calls on a thread of their own (they wait for HTTP).
    func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    func script(_ f: SandboxFixture, _ body: String) -> String {
        // A credential comes from the environment: a literal one is refused in a journaled run.
        setenv("CM_TOKEN", "sandbox-token", 1)
        return "connect cleanmail as cm url=\"\(f.urls["cleanmail"]!)\" token=env(\"CM_TOKEN\")\n" + body
    }

    struct Ran: @unchecked Sendable {
        let report: RunReport
        let host: BufferHost
    }

    @Test func aRunReturnsWhatItDidAndTheJournalAgrees() async throws {
        let f = try await SandboxFixture(seed: .demo)
        var request = RunRequest(
            text: script(
                f,
                "create-domain \"engine-run.example\" destination=\"10.0.0.1\"\n"
                    + "add-alias (domain \"engine-run.example\") \"alias-engine-run.example\"\n"),
            name: "t.mxsh", script: "/nowhere/t.mxsh")
        request.journalPath = try Self.journalPath()
        request.jobs = 4
        let ran = await onThread { [request] in
            let host = BufferHost()
            return Ran(report: ScriptRun.apply(request, host: host), host: host)
        }
        let report = ran.report
        #expect(report.outcome == .ok, "\(ran.host.stderr)")
        #expect(report.status == .done && report.exitStatus == 0)
        #expect(report.done == 2 && report.failed == 0 && report.notSent == 0)
        let id = try #require(report.run)
        let run = try #require(try Journal(path: request.journalPath).run(id))
        #expect(run.kind == .run && run.status == .done && run.done == 2 && run.script == "/nowhere/t.mxsh")
        let state = try await f.state("cleanmail")
        #expect(state["domains"]?.array?.contains { $0["name"]?.string == "engine-run.example" } == true)
    }

    @Test func aFailedChangeIsInTheReportAndTheExitStatus() async throws {
        let f = try await SandboxFixture(seed: .demo)
        var request = RunRequest(
            text: script(f, "add-alias (domain \"northwind-mail.com\") \"woodgrove-bank.fr\"\n"), name: "t.mxsh")
        request.journalPath = try Self.journalPath()
        let ran = await onThread { [request] in
            let host = BufferHost()
            return Ran(report: ScriptRun.apply(request, host: host), host: host)
        }
        #expect(ran.report.outcome == .failed && ran.report.exitStatus == 1, "\(ran.host.stderr)")
    }

    @Test func aPlanSendsNothingAndReturnsTheDiff() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let request = RunRequest(
            text: script(f, "create-domain \"planned.example\" destination=\"10.0.0.1\"\n"), name: "t.mxsh")
        struct Planned: @unchecked Sendable { let report: PlanRunReport }
        let planned = await onThread { [request] in Planned(report: PlanRun.plan(request, host: BufferHost())) }
        let report = planned.report
        #expect(report.outcome == .ok && report.exitStatus == 3)
        let plan = try #require(report.plan)
        #expect(plan.objects.map(\.key) == ["planned.example"] && plan.objects.first?.sign == "+")
        #expect(try await f.requests("cleanmail").allSatisfy { $0.hasPrefix("GET ") }, "nothing but reads")
    }

    @Test(
        arguments: [
            ("an id the journal lacks", "nope", RunRefusal.noSuchRun("nope")),
            ("no id and nothing unfinished", nil, RunRefusal.nothingToResume)
        ] as [(String, String?, RunRefusal)])
    func resumeRefusesAsData(_ name: String, _ id: String?, _ refusal: RunRefusal) throws {
        let journal = try Journal(path: Self.journalPath())
        #expect(throws: refusal, "\(name)") { try journal.pickForResume(id) }
    }

    @Test func aRunFromTextIsNotResumable() async throws {
        let f = try await SandboxFixture(seed: .demo)
        var request = RunRequest(
            text: script(f, "add-alias (domain \"northwind-mail.com\") \"woodgrove-bank.fr\"\n"), name: "<-c>")
        request.journalPath = try Self.journalPath()
        let ran = await onThread { [request] in
            let host = BufferHost()
            return Ran(report: ScriptRun.apply(request, host: host), host: host)
        }
        let journal = try Journal(path: request.journalPath)
        let (target, runs) = try journal.pickForResume(nil)
        #expect(target.id == ran.report.run, "\(ran.host.stderr)")
        #expect(throws: RunRefusal.notAFile(target.id, script: "<-c>")) {
            try ResumeRun.request(resuming: target, runs: runs, journal: journal, given: [])
        }
    }

    /// A run on a connection that ends with its process (the memory vendor) is journaled,
    /// and undo says why nothing of it can be taken back, rather than "already as before".
    @Test func aRunOnAConnectionThatEndedWithItsProcessIsNotUndone() async throws {
        var request = RunRequest(
            text: "connect memory as m seed=\"demo\"\nadd-alias (domain \"got.com\") \"gone-with-the-process.net\"\n",
            name: "t.mxsh")
        request.journalPath = try Self.journalPath()
        let ran = await onThread { [request] in
            let host = BufferHost()
            return Ran(report: ScriptRun.apply(request, host: host), host: host)
        }
        #expect(ran.report.exitStatus == 0 && ran.report.done == 1, "\(ran.host.stderr)")
        let journal = try Journal(path: request.journalPath)
        let (target, runs) = try journal.pickForUndo(nil)
        #expect(target.id == ran.report.run)
        let undo = try UndoRun(target: target, journal: journal, runs: runs)
        let report = try undo.run(dryRun: false, jobs: nil, host: BufferHost())
        #expect(report.outcome.applied == 0 && report.outcome.unchanged == 0 && report.exitStatus == 1)
        #expect(
            report.outcome.impossible.count == 1
                && report.outcome.impossible[0].contains("ended with the process that made it"),
            "\(report.outcome.impossible)")
    }
}
