import MXHTTP
import MXJSON
import MXModel

/// Apply mode with a journal: each change is recorded (pending) before it is sent and
/// marked done, unchanged or failed after the answer. On resume, changes the earlier
/// run already did are recorded as skipped and not sent again.
public final class JournalSink: ChangeSink {
    /// Opens the journal and starts the run on the first change: a script that changes
    /// nothing leaves no run behind (and pays nothing for SQLite).
    let begin: () throws -> (Journal, String)
    var opened: (journal: Journal, run: String)?
    public var run: String? { opened?.run }
    var seq = 0
    /// Resume: identity of each change done before -> how many times.
    var alreadyDone: [String: Int]
    let doneIn: String?
    private let counts = Locked((applied: 0, unchanged: 0, skipped: 0, failed: 0, failures: [String](), submitted: 0))
    /// Changes handed to the sink so far (answered or not): the progress bar's total.
    public var submitted: Int { counts.withLock { $0.submitted } }
    /// Answered, whatever the answer.
    public var finished: Int { counts.withLock { $0.applied + $0.unchanged + $0.skipped + $0.failed } }
    /// Being sent now (the rest of submitted - finished waits its turn).
    public var inFlight: Int { executor?.running ?? 0 }
    public var applied: Int { counts.withLock { $0.applied } }
    public var unchanged: Int { counts.withLock { $0.unchanged } }
    public var skipped: Int { counts.withLock { $0.skipped } }
    public var failed: Int { counts.withLock { $0.failed } }
    /// Changes that failed while the script went on (sent by the executor), with where
    /// the script made them.
    public var failures: [String] { counts.withLock { $0.failures } }
    /// Sends changes concurrently when set; otherwise each is sent before the script goes on.
    public var executor: Executor?
    /// `--no-journal`: for measuring the journal's cost only (nothing to resume or undo).
    public var keepsJournal = true

    public init(alreadyDone: [String: Int] = [:], doneIn: String? = nil, begin: @escaping () throws -> (Journal, String)) {
        self.begin = begin
        self.alreadyDone = alreadyDone
        self.doneIn = doneIn
    }

    /// Marks the run's end, if it began.
    public func finish(status: String) {
        if let (journal, run) = opened { try? journal.finishRun(run, status: status) }
    }

    public func adapter(for base: any Adapter) -> any Adapter {
        guard let executor, base.vendor.outlivesProcess else { return base }
        return DrainingAdapter(base: base, executor: executor)
    }

    /// Waits for every change in flight (the end of a script, or before it reports).
    public func drain() { executor?.drain() }

    public func submit(_ change: Change, to connection: Connection) throws -> ChangeOutcome {
        if let executor, executor.isStopped {
            throw VendorError(vendor: "mxsh", code: "stopped",
                              message: "not sent: an earlier change failed and --on-error is stop (use --on-error continue to go on)")
        }
        counts.withLock { $0.submitted += 1 }
        if !keepsJournal { return try submitUnjournaled(change, to: connection) }
        if opened == nil {
            do { opened = try begin() } catch {
                throw VendorError(vendor: "mxsh", code: "journal",
                                  message: "the journal cannot be written (\(error)); nothing was sent. Fix it, or move \(Journal.defaultPath) aside")
            }
        }
        let (journal, run) = opened!
        seq += 1
        let identity = Self.identity(change)
        if let n = alreadyDone[identity], n > 0 {
            alreadyDone[identity] = n - 1
            _ = try journal.record(run: run, seq: seq, change: change, vendor: connection.vendor, connect: connection.origin?.json.text, csvRow: change.location.row?.line,
                                   state: "skipped", answer: "done in run \(doneIn ?? "?")")
            counts.withLock { $0.skipped += 1 }
            return .unchanged(nil)
        }
        let row = try journal.record(run: run, seq: seq, change: change, vendor: connection.vendor, connect: connection.origin?.json.text, csvRow: change.location.row?.line)
        if let executor, connection.declaration.outlivesProcess {
            executor.enqueue(change, to: connection) { [self] result in
                switch result {
                case .success(let outcome): settle(outcome, row: row, journal: journal)
                case .failure(let error as VendorError):
                    fail(row, journal: journal, answer: "\(error.vendor) \(error.code): \(error.message)",
                         report: "\(change.location): error: \(change.operation.rawValue) \(change.kindName) \"\(change.key)\" at \(change.connection) failed: \(error.message) (\(error.vendor) \(error.code))")
                    if executor.onError == .stop { executor.stop() }
                case .failure(is Cancelled):
                    break  // left pending: settled by reading on resume
                case .failure(let error):
                    fail(row, journal: journal, answer: "\(error)", report: "\(change.location): error: \(change.operation.rawValue) \(change.key): \(error)")
                    if executor.onError == .stop { executor.stop() }
                }
            }
            // The script goes on with the change's expected effect.
            return .applied(Self.predicted(change, vendor: connection.declaration))
        }
        let outcome: ChangeOutcome
        do {
            outcome = try connection.adapter.apply(change)
        } catch let e as VendorError {
            fail(row, journal: journal, answer: "\(e.vendor) \(e.code): \(e.message)", report: nil)
            throw e
        } catch is Cancelled {
            // Sent or not, nobody knows: left pending, and resolved by reading on resume.
            throw Cancelled()
        }
        settle(outcome, row: row, journal: journal)
        return outcome
    }

    /// The same sending, with no journal at all.
    private func submitUnjournaled(_ change: Change, to connection: Connection) throws -> ChangeOutcome {
        guard let executor, connection.declaration.outlivesProcess else {
            let outcome = try connection.adapter.apply(change)
            counts.withLock { if case .applied = outcome { $0.applied += 1 } else { $0.unchanged += 1 } }
            return outcome
        }
        executor.enqueue(change, to: connection) { [self] result in
            counts.withLock { c in
                switch result {
                case .success(.applied): c.applied += 1
                case .success(.unchanged): c.unchanged += 1
                case .failure(let error):
                    c.failed += 1
                    c.failures.append("\(change.location): error: \(change.operation.rawValue) \(change.key) failed: \(error)")
                }
            }
            if case .failure = result, executor.onError == .stop { executor.stop() }
        }
        return .applied(Self.predicted(change, vendor: connection.declaration))
    }

    private func settle(_ outcome: ChangeOutcome, row: Int64, journal: Journal) {
        switch outcome {
        case .applied:
            counts.withLock { $0.applied += 1 }
            try? journal.mark(row, state: "done", answer: nil)
        case .unchanged:
            counts.withLock { $0.unchanged += 1 }
            try? journal.mark(row, state: "unchanged", answer: "already as asked")
        }
    }

    private func fail(_ row: Int64, journal: Journal, answer: String, report: String?) {
        counts.withLock {
            $0.failed += 1
            if let report { $0.failures.append(report) }
        }
        try? journal.mark(row, state: "failed", answer: answer)
    }

    /// What a change will make of its object, for the script to go on with while the
    /// change is in flight (the vendor's answer is in the journal and the summary).
    static func predicted(_ change: Change, vendor: Vendor) -> ObjectRef.Object? {
        // ChangeResolver's answer against the state the script held: what the vendor
        // will hold if the change is done as sent.
        switch try? ChangeResolver.resolve(change, current: change.before, vendor: vendor) {
        case .create(let o)?, .update(let o, _)?, .alreadyAsAsked(let o?)?: return o
        case .delete?, .alreadyAsAsked(nil)?: return nil
        case nil: return change.before
        }
    }

    /// What makes two changes "the same change" across a run and its resume.
    public static func identity(_ c: Change) -> String {
        identity(connection: c.connection, kind: c.kindName, key: c.key, operation: c.operation.rawValue,
                 fields: JSON.object(PlanFile.fieldsJSON(c.fields)).text)
    }

    public static func identity(connection: String, kind: String, key: String, operation: String, fields: String) -> String {
        [connection, kind, key.lowercased(), operation, fields].joined(separator: "\u{1}")
    }
}
