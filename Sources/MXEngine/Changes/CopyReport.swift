import MXModel

/// What `copy` says once its changes are submitted, in the tense of the mode: in a plan
/// "will copy" (and how many the target would refuse); applied, "copied" with the real
/// counts, once the vendor has answered each change, failures included.
public enum CopyReport {
    /// The sink's counts when the copy starts sending, to tell its own from the rest.
    public struct Mark {
        var done: [Operation: Int] = [:]
        var failed: [Operation: Int] = [:]
        var predictedFailures = 0
    }

    public static func mark(_ sink: any ChangeSink, _ operations: [Operation]) -> Mark {
        var m = Mark()
        if let journal = sink as? JournalSink {
            for op in operations {
                m.done[op] = journal.done(op)
                m.failed[op] = journal.failed(op)
            }
        }
        if let plan = sink as? PlanSink { m.predictedFailures = plan.failures.count }
        return m
    }

    /// `sent`: the creates and updates the copy submitted; `same`: left alone.
    public static func after(
        _ sink: any ChangeSink, since mark: Mark, create: Operation, update: Operation,
        sent: (creates: Int, updates: Int), same: Int
    ) -> String {
        if let plan = sink as? PlanSink {
            let failing = plan.failures.count - mark.predictedFailures
            return "will copy: \(sent.creates - failing) to create, \(sent.updates) to update, \(same) already the same"
                + (failing > 0 ? ", \(failing) will fail" : "") + "\n"
        }
        guard let journal = sink as? JournalSink else {
            // Sent one by one: a failure would have stopped the copy before this line.
            return "copied: \(sent.creates) created, \(sent.updates) updated, \(same) already the same\n"
        }
        journal.drain()
        func since(_ op: Operation, _ now: (Operation) -> Int, _ then: [Operation: Int]) -> Int {
            now(op) - (then[op] ?? 0)
        }
        let created = since(create, journal.done, mark.done), updated = since(update, journal.done, mark.done)
        let failed = since(create, journal.failed, mark.failed) + since(update, journal.failed, mark.failed)
        let unsent = sent.creates + sent.updates - created - updated - failed
        return "copied: \(created) created, \(updated) updated, \(same) already the same"
            + (failed > 0 ? ", \(failed) failed" : "")
            + (unsent > 0 ? ", \(unsent) not done (already so, or not sent)" : "") + "\n"
    }
}
