import Dispatch
import MXHTTP
import MXJSON
import MXModel

/// Undoing one run, as values: which of its changes are the run's to take back, their
/// inverses applied (or planned) newest first, and what became of each. The command
/// line only picks the run, connects, and renders the outcome.
public struct UndoRun {
    public let target: Journal.RunSummary
    /// The run's changes to invert, newest first.
    public let changes: [Journal.ChangeRecord]
    /// Changes sent but not the run's doing (an add whose alias was there before), why.
    public let notTheRuns: [String]
    /// Changes queued and never sent: nothing to undo.
    public let neverSent: Int
    /// Inverses an earlier (interrupted) undo of this run already applied or found
    /// done, by identity: not applied twice.
    let takenBack: [String: Int]

    public init(target: Journal.RunSummary, journal: Journal, runs: [Journal.RunSummary]) throws {
        self.target = target
        let all = try journal.changes(of: target.id)
        var takenBack: [String: Int] = [:]
        // An undo of this run that was itself undone since put the changes back: what it
        // took back is to take back again.
        let undone = UndoRun.whollyUndone(runs)
        for u in runs where u.kind == .undo && u.parent == target.id && !undone.contains(u.id) {
            for c in try journal.changes(of: u.id) where [.done, .skipped].contains(c.state) {
                takenBack[
                    JournalSink.identity(
                        connection: c.connection, kind: c.kind, key: c.key, operation: c.operation, fields: c.fields),
                    default: 0] += 1
            }
        }
        self.takenBack = takenBack
        var notTheRuns: [String] = []
        changes = all.filter { c in
            guard let why = Undo.notTheRuns(c) else { return true }
            if c.state == .done || c.state == .sent {
                notTheRuns.append("\(c.operation) \(c.kind) \(c.key) (\(c.location)): \(why)")
            }
            return false
        }.reversed()
        self.notTheRuns = notTheRuns
        neverSent = all.filter { $0.state == .queued }.count
    }

    /// The undo runs a later undo took back whole: one that finished (`done`: every
    /// inverse sent and answered) and was not itself undone so. An undo of an undo that
    /// was refused, failed or was interrupted leaves the first undo standing.
    static func whollyUndone(_ runs: [Journal.RunSummary]) -> Set<String> {
        let undos = runs.filter { $0.kind == .undo }
        var memo: [String: Bool] = [:]
        func undone(_ id: String, depth: Int = 0) -> Bool {
            if let known = memo[id] { return known }
            guard depth < 64 else { return false }
            let result = undos.contains { $0.parent == id && $0.status == .done && !undone($0.id, depth: depth + 1) }
            memo[id] = result
            return result
        }
        return Set(undos.map(\.id).filter { undone($0) })
    }

    /// What the undo did (or, planned, would do).
    public struct Outcome {
        public var applied = 0, unchanged = 0, earlier = 0
        /// Inverses not sent: Ctrl-C stopped the undo before them.
        public var notSent = 0
        public var impossible: [String] = [], refused: [String] = [], failed: [String] = []
        public var succeeded: Bool { impossible.isEmpty && refused.isEmpty && failed.isEmpty && notSent == 0 }

        public init(
            applied: Int = 0, unchanged: Int = 0, earlier: Int = 0, notSent: Int = 0, impossible: [String] = [],
            refused: [String] = [], failed: [String] = []
        ) {
            (self.applied, self.unchanged, self.earlier, self.notSent) = (applied, unchanged, earlier, notSent)
            (self.impossible, self.refused, self.failed) = (impossible, refused, failed)
        }
    }

    /// Applies the inverses through `sink` (a journal, or a plan), at most `jobs` objects
    /// at once. Changes in one domain (the domain, its mailboxes, its own objects) are
    /// undone one at a time, newest first: a domain the run made is deleted only after
    /// the mailboxes it made there. Different domains go concurrently. `refuse` journals
    /// an inverse refused because its object changed since the run.
    public func apply(
        connections: [String: Connection], sink: any ChangeSink, jobs: Int,
        refuse: @escaping (Change, Connection, String) -> Void
    ) -> Outcome {
        let groups = Self.byScope(changes)
        let outcome = Locked(Tally())
        let taken = Locked(takenBack)
        let next = Locked(0)
        // Serial queues of their own, not concurrentPerform: its threads are capped at the
        // core count, and each worker here mostly waits for the vendor.
        // What the workers share: the sink and the adapters are made for concurrent
        // sends (the executor's workers use them so); the rest is read-only or locked.
        struct Shared: @unchecked Sendable {
            let run: UndoRun, groups: [[(place: Int, record: Journal.ChangeRecord)]]
            let connections: [String: Connection], sink: any ChangeSink
            let refuse: (Change, Connection, String) -> Void
            let taken: Locked<[String: Int]>, outcome: Locked<Tally>, next: Locked<Int>
        }
        let shared = Shared(
            run: self, groups: groups, connections: connections, sink: sink, refuse: refuse, taken: taken,
            outcome: outcome, next: next)
        let all = DispatchGroup()
        for w in 0..<max(1, min(jobs, groups.count)) {
            DispatchQueue(label: "mxsh.undo.\(w)").async(group: all) {
                let s = shared
                while true {
                    let g: Int = s.next.withLock { n in
                        defer { n += 1 }
                        return n
                    }
                    guard g < s.groups.count else { return }
                    for (place, record) in s.groups[g] {
                        s.run.undo(
                            record, place: place, connections: s.connections, sink: s.sink, taken: s.taken,
                            refuse: s.refuse, into: s.outcome)
                    }
                }
            }
        }
        all.wait()
        return outcome.withLock { $0.inUndoOrder() }
    }

    /// What the workers found, each message with its change's place in the undo order.
    struct Tally {
        var applied = 0, unchanged = 0, earlier = 0, notSent = 0
        var impossible: [(Int, String)] = [], refused: [(Int, String)] = [], failed: [(Int, String)] = []

        func inUndoOrder() -> Outcome {
            func sorted(_ l: [(Int, String)]) -> [String] { l.sorted { $0.0 < $1.0 }.map(\.1) }
            return Outcome(
                applied: applied, unchanged: unchanged, earlier: earlier, notSent: notSent,
                impossible: sorted(impossible), refused: sorted(refused), failed: sorted(failed))
        }
    }

    /// One inverse: read the object, refuse it when it changed since the run, send it.
    private func undo(
        _ record: Journal.ChangeRecord, place: Int, connections: [String: Connection], sink: any ChangeSink,
        taken: Locked<[String: Int]>, refuse: (Change, Connection, String) -> Void, into outcome: Locked<Tally>
    ) {
        // Ctrl-C: the inverses not started are not sent (those in flight finish).
        if (sink as? JournalSink)?.isHalted == true { return outcome.withLock { $0.notSent += 1 } }
        let what = "\(record.operation) \(record.kind) \(record.key) (\(record.location))"
        let connection = connections[record.connection]
        let step = Undo.inverse(of: record, vendor: connection?.adapter.vendor ?? VendorRegistry.named(record.vendor))
        guard var change = step.change, let connection else {
            outcome.withLock { $0.impossible.append((place, "\(what): \(step.impossible ?? "no connection")")) }
            return
        }
        let identity = JournalSink.identity(change)
        let earlier: Bool = taken.withLock { t in
            guard let n = t[identity], n > 0 else { return false }
            t[identity] = n - 1
            return true
        }
        if earlier { return outcome.withLock { $0.earlier += 1 } }
        do {
            // What the undo changes is recorded too, so an undo can be undone.
            change.before = try JournalSink.read(change, from: connection.adapter)
            // Only what the run did, to an object still as the run left it.
            if let why = try Undo.refusal(
                of: record, current: change.before, vendor: connection.declaration,
                users: {
                    var n = 0
                    try connection.adapter.forEachUser(domain: record.key) { _ in
                        n += 1
                        return true
                    }
                    return n
                })
            {
                outcome.withLock { $0.refused.append((place, "\(what): \(why)")) }
                refuse(change, connection, why)
                return
            }
            let result = try sink.submit(change, to: connection)
            outcome.withLock {
                if case .applied = result { $0.applied += 1 } else { $0.unchanged += 1 }
            }
        } catch let e as VendorError {
            outcome.withLock {
                $0.failed.append(
                    (
                        place,
                        "\(change.operation.rawValue) \(change.kind.rawValue) \(change.key): \(e.message) (\(e.vendor) "
                            + "\(e.code))"
                    )
                )
            }
        } catch is Cancelled {
            outcome.withLock { $0.notSent += 1 }
        } catch {
            outcome.withLock {
                $0.failed.append(
                    (place, "\(change.operation.rawValue) \(change.kind.rawValue) \(change.key): \(error)"))
            }
        }
    }

    /// The records grouped by the domain they live in, each group newest first, the
    /// groups in the order of their newest change; each record with its place in `records`.
    static func byScope(_ records: [Journal.ChangeRecord]) -> [[(place: Int, record: Journal.ChangeRecord)]] {
        var index: [String: Int] = [:]
        var groups: [[(place: Int, record: Journal.ChangeRecord)]] = []
        for (place, r) in records.enumerated() {
            let scope = r.connection + "\u{1}" + Self.scope(kind: r.kind, key: r.key)
            if let i = index[scope] {
                groups[i].append((place, r))
            } else {
                index[scope] = groups.count
                groups.append([(place, r)])
            }
        }
        return groups
    }

    /// The domain a change lives in: a domain's own name, a mailbox's or an address's
    /// domain, or (a vendor object keyed by its domain, or by an id) its key.
    static func scope(kind: String, key: String) -> String {
        let key = key.lowercased()
        if kind != "domain", let at = key.lastIndex(of: "@") { return String(key[key.index(after: at)...]) }
        return key
    }
}
