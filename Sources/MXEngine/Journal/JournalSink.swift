import MXHTTP
import MXJSON
import MXModel

/// Apply mode with a journal: each change is journaled `queued`, marked `sent` just
/// before its request leaves, and settled after the answer (`ChangeState`). Whether a
/// change was this run's doing is decided by the before-state the journal holds, not by
/// the vendor's answer alone: an object not as asked before and as asked after was made
/// so by this run, even when a request sent again after a lost answer was told "exists".
/// On resume, changes the earlier run did are skipped, and those whose answer it lost
/// are read first: found done, they are settled there; not done, they are sent again.
public final class JournalSink: ChangeSink {
    /// Opens the journal and starts the run on the first change: a script that changes
    /// nothing leaves no run behind (and pays nothing for SQLite).
    let begin: () throws -> (Journal, String)
    var opened: (journal: Journal, run: String)?
    public var run: String? { opened?.run }
    public var journal: Journal? { opened?.journal }
    var seq = 0
    /// Resume: identity of each change done before -> how many times.
    var alreadyDone: [String: Int]
    /// Resume: identity of each change whose answer the runs resumed lost -> their rows.
    var unknownBefore: [String: [Int64]]
    /// Resume: identity of each create a run of the chain sent when its object was
    /// absent -> that run (`ResumePoint.madeIfThere`).
    let madeIfThere: [String: String]
    let doneIn: String?
    struct Counts {
        var done = 0, alreadyAsAsked = 0, doneBefore = 0, failed = 0, refused = 0, notSent = 0, submitted = 0
        /// Sent, and the answer lost (or the change done in part): neither done nor failed.
        var unknown = 0
        var failures: [String] = []
        /// Per operation, for statements that report their own (copy).
        var doneBy: [Operation: Int] = [:], failedBy: [Operation: Int] = [:]
    }
    private let counts = Locked(Counts())
    private let halted = Locked(false)
    /// Changes handed to the sink so far (answered or not): the progress bar's total.
    public var submitted: Int { counts.withLock { $0.submitted } }
    /// Answered, whatever the answer.
    public var finished: Int {
        counts.withLock { $0.done + $0.alreadyAsAsked + $0.doneBefore + $0.failed + $0.unknown }
    }
    /// Being sent now (the rest of submitted - finished waits its turn).
    public var inFlight: Int { executor?.running ?? 0 }
    public var applied: Int { counts.withLock { $0.done } }
    /// Found already as asked: nothing sent, or the vendor said so and the journal agrees.
    public var unchanged: Int { counts.withLock { $0.alreadyAsAsked } }
    /// Done by the run resumed.
    public var skipped: Int { counts.withLock { $0.doneBefore } }
    public var failed: Int { counts.withLock { $0.failed } }
    /// Sent with the answer lost, or done in part: `sent` in the journal, read on resume.
    public var unknown: Int { counts.withLock { $0.unknown } }
    public var refused: Int { counts.withLock { $0.refused } }
    /// Queued, then dropped unsent by an interrupt.
    public var notSent: Int { counts.withLock { $0.notSent } }
    /// Changes of one operation answered done, or failed, so far.
    public func done(_ operation: Operation) -> Int { counts.withLock { $0.doneBy[operation] ?? 0 } }
    public func failed(_ operation: Operation) -> Int { counts.withLock { $0.failedBy[operation] ?? 0 } }
    /// Changes that failed while the script went on (sent by the executor), with where
    /// the script made them.
    public var failures: [String] { counts.withLock { $0.failures } }
    /// Sends changes concurrently when set; otherwise each is sent before the script goes on.
    public var executor: Executor?
    /// `--no-journal`: for measuring the journal's cost only (nothing to resume or undo).
    public var keepsJournal = true
    /// True while a change is sent on the caller's thread (no executor): an interrupt
    /// then waits for its answer instead of cancelling it.
    public var sendingInline: Bool { inline.withLock { $0 > 0 } }
    private let inline = Locked(0)
    /// The journal's bookkeeping (opening it, numbering changes, resume's tallies): taken
    /// by each submit, so several threads may submit at once (undo does).
    private let bookkeeping = Locked(())

    public init(
        alreadyDone: [String: Int] = [:], unknownBefore: [String: [Int64]] = [:],
        madeIfThere: [String: String] = [:], doneIn: String? = nil,
        begin: @escaping () throws -> (Journal, String)
    ) {
        self.begin = begin
        self.alreadyDone = alreadyDone
        self.unknownBefore = unknownBefore
        self.madeIfThere = madeIfThere
        self.doneIn = doneIn
    }

    /// Marks the run's end, if it began.
    public func finish(status: RunStatus) {
        if let (journal, run) = opened { try? journal.finishRun(run, status: status) }
    }

    /// Ctrl-C: nothing more is sent. Changes queued are dropped (journaled `queued`: never
    /// sent), those in flight are answered and journaled; new ones are refused.
    public func halt() {
        halted.withLock { $0 = true }
        executor?.halt()
    }

    public var isHalted: Bool { halted.withLock { $0 } }

    public func adapter(for base: any Adapter) -> any Adapter {
        guard let executor, base.vendor.outlivesProcess else { return base }
        return DrainingAdapter(base: base, executor: executor)
    }

    /// Waits for every change in flight (the end of a script, or before it reports).
    public func drain() { executor?.drain() }

    public func submit(_ change: Change, to connection: Connection) throws -> ChangeOutcome {
        if isHalted { throw Cancelled() }
        if let executor, executor.isStopped {
            throw VendorError(
                vendor: "mxsh", code: "stopped",
                message: "not sent: an earlier change failed and --on-error is stop (use --on-error continue to go on)")
        }
        counts.withLock { $0.submitted += 1 }
        if !keepsJournal { return try submitUnjournaled(change, to: connection) }
        let identity = Self.identity(change)
        let recorded: (journal: Journal, run: String, row: Int64, lost: Int64?)? = try bookkeeping.withLock { _ in
            let (journal, run) = try opening()
            seq += 1
            if let n = alreadyDone[identity], n > 0 {
                alreadyDone[identity] = n - 1
                _ = try journal.record(
                    run: run, seq: seq, change: change, vendor: connection.vendor,
                    connect: connection.origin?.json.text, csvRow: change.location.row?.line, state: .skipped,
                    answer: "done in run \(doneIn ?? "?")")
                counts.withLock { $0.doneBefore += 1 }
                return nil
            }
            let lost = unknownBefore[identity]?.first
            if lost != nil { unknownBefore[identity]!.removeFirst() }
            let row = try journal.record(
                run: run, seq: seq, change: change, vendor: connection.vendor,
                connect: connection.origin?.json.text, csvRow: change.location.row?.line)
            return (journal, run, row, lost)
        }
        guard let (journal, run, row, lost) = recorded else { return .unchanged(nil) }
        let sending = Sending(change: change, connection: connection, row: row, lost: lost, journal: journal, run: run)
        if let executor, connection.declaration.outlivesProcess, !change.answerNeeded {
            // A change whose earlier answer was lost is read on its own first.
            let member = lost == nil ? Batched(sink: self, sending: sending) : nil
            let send: () throws -> ChangeOutcome = { [self] in try self.send(sending) }
            executor.enqueue(change, to: connection, send: send, batch: member) { [self] result in
                switch result {
                case .success: break  // settled by send
                case .failure(let error as VendorError) where error.keepsChangeSent:
                    lose(row, change, journal: journal, error)
                    if executor.onError == .stop { executor.stop() }
                case .failure(let error as VendorError):
                    fail(
                        row, change.operation, journal: journal,
                        answer: "\(error.vendor) \(error.code): \(error.message)",
                        report:
                            "\(change.location): error: \(change.operation.rawValue) \(change.kindName) "
                            + "\"\(change.key)\" "
                            + "at \(change.connection) failed: \(error.message) (\(error.vendor) \(error.code))")
                    if executor.onError == .stop { executor.stop() }
                case .failure(is NotSent):
                    counts.withLock { $0.notSent += 1 }  // left queued: never sent
                case .failure(is Cancelled):
                    break  // left sent: unknown, read on resume
                case .failure(let error):
                    fail(
                        row, change.operation, journal: journal, answer: "\(error)",
                        report: "\(change.location): error: \(change.operation.rawValue) \(change.key): \(error)")
                    if executor.onError == .stop { executor.stop() }
                }
            }
            // The script goes on with the change's expected effect.
            return .applied(Self.predicted(change, vendor: connection.declaration))
        }
        inline.withLock { $0 += 1 }
        defer { inline.withLock { $0 -= 1 } }
        do {
            return try send(sending)
        } catch let e as VendorError where e.keepsChangeSent {
            lose(row, change, journal: journal, e, report: false)
            throw e
        } catch let e as VendorError {
            fail(row, change.operation, journal: journal, answer: "\(e.vendor) \(e.code): \(e.message)", report: nil)
            throw e
        }
        // Cancelled (the REPL's Ctrl-C) goes up as it is: the row stays queued or sent.
    }

    /// A change not sent because its object drifted (apply) or changed since (undo).
    public func refuse(_ change: Change, to connection: Connection, why: String) {
        journalUnsent(change, to: connection, .refused, why) { $0.refused += 1 }
    }

    /// A change not sent because its object already is as asked (a plan applied again):
    /// journaled `skipped`, as a run journals what it finds so.
    public func skip(_ change: Change, to connection: Connection, why: String) {
        journalUnsent(change, to: connection, .skipped, why) { $0.alreadyAsAsked += 1 }
    }

    private func journalUnsent(
        _ change: Change, to connection: Connection, _ state: ChangeState, _ why: String, count: (inout Counts) -> Void
    ) {
        bookkeeping.withLock { _ in
            guard keepsJournal, let (journal, run) = try? opening() else { return }
            seq += 1
            counts.withLock { count(&$0) }
            _ = try? journal.record(
                run: run, seq: seq, change: change, vendor: connection.vendor, connect: connection.origin?.json.text,
                csvRow: change.location.row?.line, state: state, answer: why)
        }
    }

    private func opening() throws -> (Journal, String) {
        if let opened { return opened }
        do {
            let o = try begin()
            opened = o
            return o
        } catch let e as JournalError {
            throw VendorError(vendor: "mxsh", code: "journal", message: e.message)
        } catch {
            throw VendorError(
                vendor: "mxsh", code: "journal",
                message:
                    "the journal cannot be written (\(error)); nothing was sent. Fix it, or move "
                    + "\(Journal.defaultPath) aside"
            )
        }
    }

    struct Sending {
        let change: Change
        let connection: Connection
        let row: Int64
        /// The row of the run resumed whose answer was lost, for the same change.
        let lost: Int64?
        let journal: Journal
        let run: String
    }

    /// Reads what must be known first, marks the change sent, sends it and settles it.
    private func send(_ s: Sending) throws -> ChangeOutcome {
        let change = s.change, vendor = s.connection.declaration
        // Reads go to the vendor's own adapter: the executor's would wait for this change.
        let base = (s.connection.adapter as? DrainingAdapter)?.base ?? s.connection.adapter
        var before = change.before
        var known = change.before != nil
        // An unknown change of the run resumed is read to learn what became of it. (The
        // before-state journaled is the adapter's own read, just before the request.)
        if s.lost != nil {
            before = try Self.read(change, from: base)
            known = true
        }
        if let lost = s.lost, let command = change.objectCommand, command.effect == .action,
            let why = command.irreversibleReason
        {
            // An action whose answer was lost (a mail sent, a message released) leaves
            // nothing to read back: sending it again could do it twice.
            throw VendorError(
                vendor: "mxsh", kind: .refused, code: "unknown",
                message: "not sent again: its answer was lost in row \(lost) of the run resumed, and whether it was "
                    + "done cannot be read back (\(why)); check at the vendor, then run it by hand if it was not")
        }
        if let lost = s.lost {
            let found = Self.alreadyAsAsked(change, before, vendor)
            if found == true {
                try? s.journal.settle(lost, state: .done, answer: "its answer was lost; run \(s.run) read it done")
                try s.journal.mark(
                    s.row, state: .skipped, answer: "done in run \(doneIn ?? "?") (its answer was lost; read now)")
                counts.withLock { $0.doneBefore += 1 }
                return .unchanged(before)
            }
            if let before, let maker = madeIfThere[Self.identity(change)] {
                return try finishCreate(s, lost: lost, before: before, madeBy: maker)
            }
            // Not judged (nil): it stays unknown there, and the vendor decides here.
            if found == false {
                try? s.journal.settle(
                    lost, state: .failed, answer: "its answer was lost; run \(s.run) read it not done and sent it again"
                )
            }
        }
        // The before-state kept is the object as the adapter read it just before its
        // request left, not the script's copy: that may be older (another run changed
        // or deleted the object since), and undo restores what this change replaced.
        // A change the adapter finds already as asked is never announced, never sent.
        var announced = false
        let result = s.connection.adapter.applyAll([change]) { _, now in
            if change.operation != .call {
                before = now
                known = true
            }
            announced = true
            try s.journal.markSent(s.row, before: before, known: known, vendor: vendor)
        }[0]
        let outcome: ChangeOutcome
        do { outcome = try result.get() } catch let refusal as VendorError {
            guard announced, let after = madeByLostAnswer(s, refusal: refusal, before: before, known: known, from: base)
            else { throw refusal }
            return after
        }
        return settle(s, outcome, before: before, known: announced && known)
    }

    /// A create whose object is there, not as asked, though a run of the chain sent it
    /// when the object was absent: that run made it, in part (a follow-up request
    /// refused) or before it was killed. What is left is sent as an update of it; the
    /// create sent again would meet the object as "exists with other values". The object
    /// stays that run's: its row is what undo takes back.
    private func finishCreate(_ s: Sending, lost: Int64, before: ObjectRef.Object, madeBy run: String) throws
        -> ChangeOutcome
    {
        let change = s.change
        var rest = change
        rest.operation = change.operation == .createDomain ? .updateDomain : .updateUser
        rest.before = before
        let what = "\(change.kindName) \(change.key)"
        try s.journal.markSent(s.row, before: before, known: true, vendor: s.connection.declaration)
        let outcome: ChangeOutcome
        do { outcome = try s.connection.adapter.apply(rest) } catch let e as VendorError where !e.keepsChangeSent {
            throw VendorError(
                vendor: e.vendor, kind: e.kind, code: e.code,
                message: "\(what) was made in part by run \(run), and finishing it failed: \(e.message); "
                    + "mxsh undo \(run) takes back what was made")
        }
        try? s.journal.settle(lost, state: .done, answer: "made in part; run \(s.run) finished it")
        counts.withLock {
            $0.done += 1
            $0.doneBy[change.operation, default: 0] += 1
        }
        try? s.journal.mark(
            s.row, state: .done,
            answer: "finished \(what), made in part by run \(run): mxsh undo \(run) takes it back")
        switch outcome {
        case .applied(let after), .unchanged(let after): return .applied(after)
        }
    }

    /// A request whose answer was lost is sent again by the transport, and the vendor
    /// answers the second one: a DELETE meets "already deleted" or "not found", a POST
    /// "exists". The journal's before-state decides, not that answer: an object not as
    /// asked before the change and as asked after it was made so by this run. Nil when
    /// that is not what happened (the refusal stands).
    private func madeByLostAnswer(
        _ s: Sending, refusal: VendorError, before: ObjectRef.Object?, known: Bool, from base: any Adapter
    ) -> ChangeOutcome? {
        let vendor = s.connection.declaration
        guard known, Self.alreadyAsAsked(s.change, before, vendor) == false else { return nil }
        let after: ObjectRef.Object?
        do { after = try Self.read(s.change, from: base) } catch { return nil }
        guard Self.alreadyAsAsked(s.change, after, vendor) == true else { return nil }
        counts.withLock {
            $0.done += 1
            $0.doneBy[s.change.operation, default: 0] += 1
        }
        try? s.journal.mark(
            s.row, state: .done,
            answer: "read after the vendor's \(refusal.code) (\(refusal.message)): done, the answer to a request "
                + "sent again after a lost one")
        return .applied(after)
    }

    /// Counts and journals the vendor's answer to a change sent.
    private func settle(_ s: Sending, _ outcome: ChangeOutcome, before: ObjectRef.Object?, known: Bool)
        -> ChangeOutcome
    {
        let change = s.change
        if case .unchanged = outcome, !known || Self.alreadyAsAsked(change, before, s.connection.declaration) != false {
            counts.withLock { $0.alreadyAsAsked += 1 }
            try? s.journal.mark(s.row, state: .skipped, answer: "already as asked")
        } else {
            counts.withLock {
                $0.done += 1
                $0.doneBy[change.operation, default: 0] += 1
            }
            let answer: String? =
                if case .unchanged = outcome {
                    "the vendor found it already as asked, but it was not before this change: a request sent again "
                        + "after a lost answer"
                } else { nil }
            try? s.journal.mark(s.row, state: .done, answer: answer)
            // Whoever counts outcomes (apply's report, undo's, the shell's echo) counts
            // what the journal says: done by this run, not "already as asked".
            if case .unchanged(let after) = outcome { return .applied(after) }
        }
        return outcome
    }

    /// A change sent in a batch (`Adapter.applyAll`): the adapter reads the objects
    /// once for the whole batch, and says each one's before-state just before its
    /// request leaves; the journal marks it sent then, as `send` does for one change.
    final class Batched: Executor.BatchMember {
        let sink: JournalSink
        let sending: Sending
        private var before: ObjectRef.Object?
        private var known = false

        init(sink: JournalSink, sending: Sending) {
            self.sink = sink
            self.sending = sending
        }

        func willSend(before: ObjectRef.Object?) throws {
            self.before = before
            known = true
            try sending.journal.markSent(
                sending.row, before: before, known: true, vendor: sending.connection.declaration)
        }

        /// Not announced (found already as asked in the adapter's reading): nothing was
        /// sent, and `settle` journals it so.
        func settle(_ outcome: ChangeOutcome) throws -> ChangeOutcome {
            sink.settle(sending, outcome, before: before, known: known)
        }
    }

    /// The object a change acts on, as the vendor holds it now.
    public static func read(_ change: Change, from adapter: any Adapter) throws -> ObjectRef.Object? {
        try adapter.current(of: change)
    }

    /// Whether `before` already was as the change asks (so the change did nothing); nil
    /// when the resolver cannot judge (then the vendor's answer is taken).
    static func alreadyAsAsked(_ change: Change, _ before: ObjectRef.Object?, _ vendor: Vendor) -> Bool? {
        guard let resolution = try? ChangeResolver.resolve(change, current: before, vendor: vendor) else { return nil }
        if case .alreadyAsAsked = resolution { return true }
        return false
    }

    /// The same sending, with no journal at all.
    private func submitUnjournaled(_ change: Change, to connection: Connection) throws -> ChangeOutcome {
        guard let executor, connection.declaration.outlivesProcess, !change.answerNeeded else {
            let outcome = try connection.adapter.apply(change)
            counts.withLock {
                if case .applied = outcome {
                    $0.done += 1
                    $0.doneBy[change.operation, default: 0] += 1
                } else {
                    $0.alreadyAsAsked += 1
                }
            }
            return outcome
        }
        executor.enqueue(change, to: connection) { [self] result in
            counts.withLock { c in
                switch result {
                case .success(.applied):
                    c.done += 1
                    c.doneBy[change.operation, default: 0] += 1
                case .success(.unchanged): c.alreadyAsAsked += 1
                case .failure(is NotSent): c.notSent += 1
                case .failure(let error):
                    c.failed += 1
                    c.failedBy[change.operation, default: 0] += 1
                    c.failures.append(
                        "\(change.location): error: \(change.operation.rawValue) \(change.key) failed: "
                            + ((error as? VendorError).map { "\($0.message) (\($0.vendor) \($0.code))" } ?? "\(error)"))
                }
            }
            if case .failure = result, executor.onError == .stop { executor.stop() }
        }
        return .applied(Self.predicted(change, vendor: connection.declaration))
    }

    /// A change sent whose answer was lost, or done in part: it stays `sent` (read first
    /// on resume; a create undo takes back), counted as unknown (not failed, not done),
    /// and listed with the failures so the run does not end as if all went well.
    private func lose(_ row: Int64, _ change: Change, journal: Journal, _ error: VendorError, report: Bool = true) {
        counts.withLock {
            $0.unknown += 1
            // A statement's own tally (copy's "failed") counts what is not known done.
            $0.failedBy[change.operation, default: 0] += 1
            if report {
                var why = "\(error.message) (\(error.vendor) \(error.code))"
                // A part done names its vendor and code in its message already.
                if error.code == VendorError.partial { why = "\(error.message); mxsh undo takes back what was made" }
                $0.failures.append(
                    "\(change.location): error: \(change.operation.rawValue) \(change.kindName) \"\(change.key)\" "
                        + "at \(change.connection): \(why); mxsh resume reads it first")
            }
        }
        try? journal.mark(row, state: .sent, answer: "\(error.vendor) \(error.code): \(error.message)")
    }

    private func fail(_ row: Int64, _ operation: Operation, journal: Journal, answer: String, report: String?) {
        counts.withLock {
            $0.failed += 1
            $0.failedBy[operation, default: 0] += 1
            if let report { $0.failures.append(report) }
        }
        try? journal.mark(row, state: .failed, answer: answer)
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
        identity(
            connection: c.connection, kind: c.kindName, key: c.key, operation: c.operation.rawValue,
            fields: JSON.object(PlanFile.fieldsJSON(c.fields)).text)
    }

    public static func identity(connection: String, kind: String, key: String, operation: String, fields: String)
        -> String
    {
        // A run journaled before credentials were marked "set (****)" is resumed as the same.
        let fields = fields.replacingAll(#"{"secret":"not saved"}"#, #"{"secret":"set (****)"}"#)
        return [connection, kind, key.lowercased(), operation, fields].joined(separator: "\u{1}")
    }
}
