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
    public private(set) var applied = 0
    public private(set) var unchanged = 0
    public private(set) var skipped = 0
    public private(set) var failed = 0

    public init(alreadyDone: [String: Int] = [:], doneIn: String? = nil, begin: @escaping () throws -> (Journal, String)) {
        self.begin = begin
        self.alreadyDone = alreadyDone
        self.doneIn = doneIn
    }

    /// Marks the run's end, if it began.
    public func finish(status: String) {
        if let (journal, run) = opened { try? journal.finishRun(run, status: status) }
    }

    public func submit(_ change: Change, to connection: Connection) throws -> ChangeOutcome {
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
            _ = try journal.record(run: run, seq: seq, change: change, vendor: connection.vendor, connect: connection.origin, csvRow: nil,
                                   state: "skipped", answer: "done in run \(doneIn ?? "?")")
            skipped += 1
            return .unchanged(nil)
        }
        let row = try journal.record(run: run, seq: seq, change: change, vendor: connection.vendor, connect: connection.origin, csvRow: nil)
        let outcome: ChangeOutcome
        do {
            outcome = try connection.adapter.apply(change)
        } catch let e as VendorError {
            failed += 1
            try? journal.mark(row, state: "failed", answer: "\(e.vendor) \(e.code): \(e.message)")
            throw e
        } catch is Cancelled {
            // Sent or not, nobody knows: left pending, and resolved by reading on resume.
            throw Cancelled()
        }
        switch outcome {
        case .applied:
            applied += 1
            try journal.mark(row, state: "done", answer: nil)
        case .unchanged:
            unchanged += 1
            try journal.mark(row, state: "unchanged", answer: "already as asked")
        }
        return outcome
    }

    /// What makes two changes "the same change" across a run and its resume.
    public static func identity(_ c: Change) -> String {
        identity(connection: c.connection, kind: c.kind.rawValue, key: c.key, operation: c.operation.rawValue,
                 fields: JSON.object(PlanFile.fieldsJSON(c.fields)).text)
    }

    public static func identity(connection: String, kind: String, key: String, operation: String, fields: String) -> String {
        [connection, kind, key.lowercased(), operation, fields].joined(separator: "\u{1}")
    }
}
