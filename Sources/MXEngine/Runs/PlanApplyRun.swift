import MXJSON
import MXModel

/// What `mxsh apply PLAN` did, for the command line to render.
public struct PlanApplyReport {
    public var result = PlanApplier.Result()
    /// The run the journal keeps for it (nil when nothing was journaled).
    public var run: String?
    /// 0 all applied, 1 something refused or failed, 2 not a plan.
    public var exitStatus: Int32

    /// `--format json`: the same facts as the text, as one document.
    public func json(plan path: String) -> JSON {
        .object(
            JSONObject([
                ("plan", .string(path)), ("run", run.map(JSON.string) ?? .null),
                ("applied", .int(result.applied)), ("unchanged", .int(result.unchanged)),
                // Drift and the changes with a credential alike: not sent, each with why;
                // the second also on their own.
                ("refused", .array((result.refused + result.withCredential).map(JSON.string))),
                ("refusedForCredential", .array(result.withCredential.map(JSON.string))),
                ("failed", .array(result.failed.map(JSON.string))), ("status", .int(Int(exitStatus)))
            ]))
    }
}

/// `mxsh apply PLAN`: a saved plan applied exactly, as a run like any other (journaled,
/// so it can be undone), refusing each object that drifted since it was planned.
public enum PlanApplyRun {
    /// `text` is the plan file's content; `script` the absolute path the journal keeps.
    public static func apply(
        _ text: String, file: String, script: String, host: any Host, around: RunSurroundings = RunSurroundings(),
        journalPath: String = Journal.defaultPath
    ) -> PlanApplyReport {
        let json: JSON
        do { json = try JSON.parse(Array(text.utf8)) } catch {
            host.message("mxsh apply: \(file) is not JSON (\(error))\n")
            return PlanApplyReport(exitStatus: 2)
        }
        let sink = JournalSink {
            let journal = try Journal(path: journalPath)
            let run = try journal.beginRun(
                kind: .apply, script: script, fingerprint: fingerprint(text), variables: [], parent: nil)
            return (journal, run)
        }
        let session = Session(host: host, sink: sink)
        around.configure(session)
        // Ctrl-C and the progress line, as for a run: the change in flight finishes.
        around.sending(sink, session)
        let (result, status) = PlanApplier(session: session).apply(json, file: file)
        around.answered()
        let interrupted = around.wasInterrupted()
        sink.finish(status: interrupted ? .interrupted : status == 0 ? .done : .failed)
        return PlanApplyReport(result: result, run: sink.run, exitStatus: interrupted ? 130 : status)
    }
}
