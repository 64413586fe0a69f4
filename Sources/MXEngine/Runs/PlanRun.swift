import MXJSON
import MXModel

/// What planning a script found, for the command line to render.
public struct PlanRunReport {
    public var outcome: Session.Outcome
    /// The diff; nil when the script did not parse or check (nothing was planned).
    public var plan: PlanReport?
    /// The plan file written (`--plan-out`), or why it could not be.
    public var saved: String?
    public var saveFailure: String?
    /// Planned changes that carry a credential: the saved plan does not keep it, and
    /// `apply` refuses them.
    public var withCredential = 0

    /// 0 nothing to change, 3 changes planned, 1 a statement failed or the vendor would
    /// refuse a change, 2 the script did not parse or check.
    public var exitStatus: Int32 {
        guard let plan, outcome == .ok else { return outcome.exitStatus }
        if saveFailure != nil || !plan.failures.isEmpty { return 1 }
        return plan.isEmpty ? 0 : 3
    }
}

/// `mxsh plan` and `run --dry-run`: the script against overlays (later reads see the
/// planned changes), nothing sent that changes anything; with `planOut`, the plan file
/// that `mxsh apply` applies exactly.
public enum PlanRun {
    public static func plan(
        _ request: RunRequest, planOut: String? = nil, host: any Host, around: RunSurroundings = RunSurroundings()
    ) -> PlanRunReport {
        let sink = PlanSink()
        sink.continuesPastFailures = true
        let session = Session(host: host, sink: sink)
        around.configure(session)
        session.interpreter.copyLimit = request.copyLimit
        guard session.define(variables: request.variables) else { return PlanRunReport(outcome: .invalid) }
        if let stopped = session.openTenant(request.variables) { return PlanRunReport(outcome: stopped) }
        let outcome = session.run(request.text, name: request.name)
        if outcome == .invalid { return PlanRunReport(outcome: .invalid) }
        var report = PlanRunReport(outcome: outcome, plan: PlanReport(sink.entries))
        guard outcome == .ok, let path = planOut else { return report }
        let interpreter = session.interpreter
        let connections = interpreter.connectionOrder.compactMap { interpreter.connections[$0] }
        do {
            let plan = try PlanFile.encode(sink.entries, script: request.name, connections: connections)
            try writeTextFile(path, plan.text + "\n", mode: 0o600)
            report.saved = path
            // A credential is never written to a plan, so `apply` refuses those changes:
            // said now, not first when the plan is applied.
            let withSecret = sink.effective.filter { e in
                e.change.fields.pairs.contains { if case .secret = $0.1 { true } else { false } }
            }.count
            report.withCredential = withSecret
            if withSecret > 0 {
                let one = withSecret == 1
                let (changes, carry, them) = one ? ("change", "carries", "it") : ("changes", "carry", "them")
                host.message(
                    "mxsh: note: \(withSecret) planned \(changes) \(carry) a credential, which a plan does not keep: "
                        + "apply will refuse \(them); run the script to send \(them)\n")
            }
        } catch let e as PlanFile.Failure {
            report.saveFailure = e.message
        } catch let e as FileError {
            report.saveFailure = e.message
        } catch {
            report.saveFailure = "\(error)"
        }
        return report
    }
}
