import MXJSON
import MXModel

/// What a run of a script did, for the command line to render: how the script ended,
/// the run's id and status in the journal, and its changes counted by what became of
/// them.
public struct RunReport {
    public var outcome: Session.Outcome
    /// The journal's status for the run (nil: the run never started, `--var` was wrong).
    public var status: RunStatus?
    public var run: String?
    public var done = 0, alreadyAsAsked = 0, doneBefore = 0, failed = 0, notSent = 0
    /// Sent with the answer lost (or done in part): unknown, read first on resume.
    public var unknown = 0
    /// Changes that failed while the script went on, each with where the script made it.
    public var failures: [String] = []
    /// After Ctrl-C: the journal's count of the run's changes in each state.
    public var interruptedCounts: Journal.RunSummary?

    /// Some change was answered or left unsent: worth a summary line.
    public var touchedAnything: Bool { done + alreadyAsAsked + doneBefore + failed + unknown + notSent > 0 }

    public var exitStatus: Int32 { outcome == .interrupted ? 130 : outcome.exitStatus }

    /// `--format json`: the run beside the script's output.
    public var jsonFields: [(String, JSON)] {
        [
            ("run", run.map(JSON.string) ?? .null), ("status", status.map { .string($0.rawValue) } ?? .null),
            (
                "changes",
                .object(
                    JSONObject([
                        ("done", .int(done)), ("alreadyAsAsked", .int(alreadyAsAsked)),
                        ("doneBefore", .int(doneBefore)), ("failed", .int(failed)), ("unknown", .int(unknown)),
                        ("notSent", .int(notSent))
                    ]))
            )
        ]
    }
}

/// `mxsh run`, `-c`, piped input and `resume`: the script in apply mode, its changes
/// journaled and sent concurrently, then every change in flight answered before the
/// run is reported.
public enum ScriptRun {
    public static func apply(_ request: RunRequest, host: any Host, around: RunSurroundings = RunSurroundings())
        -> RunReport
    {
        let sink = JournalSink(
            alreadyDone: request.resume?.alreadyDone ?? [:], unknownBefore: request.resume?.unknown ?? [:],
            madeIfThere: request.resume?.madeIfThere ?? [:], doneIn: request.resume?.parent
        ) {
            let journal = try Journal(path: request.journalPath)
            let run = try journal.beginRun(
                kind: request.kind, script: request.script, fingerprint: fingerprint(request.text),
                variables: journaled(request.variables, text: request.text, name: request.name),
                parent: request.resume?.parent, copyLimit: request.copyLimit)
            return (journal, run)
        }
        sink.keepsJournal = request.keepsJournal
        if request.jobs.map({ $0 > 1 }) ?? true {
            sink.executor = Executor(onError: request.onError) { connection in
                request.jobs ?? connection.declaration.defaultJobs
            }
        }
        let session = Session(host: host, sink: sink)
        around.configure(session)
        session.interpreter.copyLimit = request.copyLimit
        // Room for the reads (pages of a listing) beside the changes in flight, so that
        // listing the next domains never waits behind the changes to the last ones.
        session.interpreter.httpConcurrency = (request.jobs ?? 8) + 8
        guard session.define(variables: request.variables) else { return RunReport(outcome: .invalid) }
        if let stopped = session.openTenant(request.variables) { return RunReport(outcome: stopped) }
        around.sending(sink, session)
        var outcome = session.run(request.text, name: request.name)
        // Changes still in flight are answered before the run is reported.
        sink.drain()
        around.answered()
        if around.wasInterrupted() { outcome = .interrupted }
        if outcome == .ok, !sink.failures.isEmpty { outcome = .failed }
        let status: RunStatus = outcome == .ok ? .done : outcome == .interrupted ? .interrupted : .failed
        sink.finish(status: status)
        var report = RunReport(
            outcome: outcome, status: status, run: sink.run, done: sink.applied, alreadyAsAsked: sink.unchanged,
            doneBefore: sink.skipped, failed: sink.failed, notSent: sink.notSent, unknown: sink.unknown,
            failures: sink.failures)
        if outcome == .interrupted, let journal = sink.journal, let id = sink.run {
            report.interruptedCounts = try? journal.run(id)
        }
        return report
    }
}
