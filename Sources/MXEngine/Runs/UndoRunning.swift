import MXJSON
import MXModel

/// What an undo did (or, with `--dry-run`, would do), for the command line to render.
public struct UndoReport {
    public let undo: UndoRun
    public var outcome = UndoRun.Outcome()
    public var dryRun: Bool
    /// The undo's own run in the journal (an undo is a run, so it can be undone).
    public var run: String?
    /// `--dry-run`: the inverses as a plan.
    public var plan: PlanReport?
    /// 0 all undone; 1 something refused, impossible or failed; a dry run exits as plans
    /// do (3 when it would change something).
    public var exitStatus: Int32 = 0

    /// `--format json`: one document with the same facts as the text.
    public var json: JSON {
        func strings(_ l: [String]) -> JSON { .array(l.map(JSON.string)) }
        let o = outcome
        var fields: [(String, JSON)] = [
            ("run", .string(undo.target.id)), ("undo_run", run.map(JSON.string) ?? .null), ("dry_run", .bool(dryRun)),
            ("undone", .int(o.applied)), ("already_as_before", .int(o.unchanged)),
            ("undone_earlier", .int(o.earlier)), ("not_sent", .int(o.notSent)), ("never_sent", .int(undo.neverSent)),
            ("not_the_runs", strings(undo.notTheRuns)), ("impossible", strings(o.impossible)),
            ("refused", strings(o.refused)), ("failed", strings(o.failed))
        ]
        if let plan { fields.append(("plan", plan.json)) }
        return .object(JSONObject(fields))
    }
}

/// Why an undo cannot start at all: nothing has been sent.
public enum UndoRefusal: Error, Equatable {
    /// A connection's credential was written into the script; the journal does not keep it.
    case literalCredential(run: String, connection: String)
    /// The run's connections were journaled as statements (an older mxsh).
    case olderJournal(run: String)
    /// A connection could not be opened again.
    case cannotConnect(String)

    public var message: String {
        switch self {
        case .literalCredential(let run, let connection):
            return "run \(run) cannot be undone: connection \(connection)'s credential was written into the script, "
                + "and the journal does not keep it. Give credentials with env(), secret() or a profile."
        case .olderJournal(let run):
            return "run \(run) was journaled by an older mxsh (its connections are statements, "
                + "which are not run again); connect and undo by hand"
        case .cannotConnect(let why): return why
        }
    }

    public var exitStatus: Int32 {
        if case .cannotConnect = self { return 1 }
        return 2
    }
}

extension UndoRun {
    /// Opens the run's connections again from the journal, then applies the inverses
    /// (journaled as a run of kind undo), or plans them with `dryRun`. `jobs`: objects
    /// undone at once (default: the widest of the connections' own).
    public func run(dryRun: Bool, jobs: Int?, host: any Host, around: RunSurroundings = RunSurroundings())
        throws(UndoRefusal) -> UndoReport
    {
        var report = UndoReport(undo: self, dryRun: dryRun)
        if changes.isEmpty { return report }
        if let c = changes.first(where: { $0.connect == nil }) {
            throw .literalCredential(run: target.id, connection: c.connection)
        }
        let plan = PlanSink()
        let target = self.target
        let journaled = JournalSink {
            let journal = try Journal()
            let id = try journal.beginRun(
                kind: .undo, script: target.script, fingerprint: target.fingerprint, variables: [], parent: target.id)
            return (journal, id)
        }
        let sink: any ChangeSink = dryRun ? plan : journaled
        let session = Session(host: host, sink: sink)
        around.configure(session)
        try reconnect(session)
        let connections = session.interpreter.connections
        // A plan reads through one overlay, one change after another; a real undo goes
        // as wide as its connections allow.
        let width = dryRun ? 1 : jobs ?? connections.values.map(\.declaration.defaultJobs).max() ?? 1
        // Ctrl-C and the progress line, as for a run: the inverses in flight finish.
        if !dryRun { around.sending(journaled, session) }
        report.outcome = apply(connections: connections, sink: sink, jobs: width) { change, connection, why in
            if !dryRun { journaled.refuse(change, to: connection, why: why) }
        }
        if !dryRun { around.answered() }
        if dryRun {
            report.plan = PlanReport(plan.entries)
            // A plan, and it exits as plans do: 3 when it would change something.
            report.exitStatus = !report.outcome.succeeded || !plan.failures.isEmpty ? 1 : plan.effective.isEmpty ? 0 : 3
        } else {
            let interrupted = around.wasInterrupted()
            journaled.finish(status: interrupted ? .interrupted : report.outcome.succeeded ? .done : .failed)
            report.run = journaled.run
            report.exitStatus = interrupted ? 130 : report.outcome.succeeded ? 0 : 1
        }
        return report
    }

    /// Each connection of the run, as the journal keeps it (vendor, URL, where its
    /// credential comes from), opened again; those that ended with their process are not.
    private func reconnect(_ session: Session) throws(UndoRefusal) {
        var seen = Set<String>()
        do {
            let key = try SealKey.user()
            for c in changes where !Undo.endedWithProcess(c) {
                guard let connect = c.connect, seen.insert(connect).inserted else { continue }
                guard let json = try? JSON.parse(connect), let origin = ConnectionOrigin(json: json) else {
                    throw UndoRefusal.olderJournal(run: target.id)
                }
                try session.interpreter.reconnect(origin, key: key, from: "journal of \(target.id)")
            }
        } catch let e as UndoRefusal {
            throw e
        } catch let e as RuntimeError {
            throw .cannotConnect(e.message)
        } catch let e as SealKey.Failure {
            throw .cannotConnect(e.message)
        } catch {
            throw .cannotConnect("\(error)")
        }
    }
}
