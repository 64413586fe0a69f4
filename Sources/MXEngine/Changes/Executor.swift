import Dispatch
import MXHTTP
import MXJSON
import MXModel

/// Sends changes concurrently: at most `jobs` at a time per connection, changes to one
/// object strictly in the order the script made them, and a read on a connection
/// waiting until that connection's earlier changes are answered (a script reads its
/// own writes). The interpreter goes on meanwhile; outcomes arrive on worker threads.
public final class Executor: @unchecked Sendable {
    public enum OnError: String, Sendable { case stop, `continue` }

    struct Job: @unchecked Sendable {
        let change: Change
        let connection: Connection
        let objectKey: String
        /// The object this one lives in (a mailbox's domain, a filter's domain, a
        /// signature's mailbox): a change to it waits for the parent's earlier changes
        /// (a mailbox is not made before its domain), and the parent's waits for it (a
        /// domain is not deleted before the mailboxes deleted ahead of it).
        let parentKey: String?
        /// Sends the change (the journal's marks around the adapter's `apply`).
        let send: () throws -> ChangeOutcome
        /// Set when the change may share one request with others of the same key
        /// (`Adapter.batchKey`): the journal's marks, taken apart.
        let batch: (key: String, member: any BatchMember)?
        let done: (Result<ChangeOutcome, any Error>) -> Void
    }

    /// One change of a batch: told just before the request carrying it leaves (with
    /// the object as the vendor held it), and given the vendor's answer for it.
    public protocol BatchMember: AnyObject {
        func willSend(before: ObjectRef.Object?) throws
        func settle(_ outcome: ChangeOutcome) throws -> ChangeOutcome
    }

    /// A connection's queue. A class, changed in place under the lock: a struct here
    /// was copied whole (thousands of jobs) at every change taken.
    final class Lane {
        var limit: Int
        var running = 0
        /// In arrival order; a job taken leaves a hole (nil) until the front moves past it.
        var queue: [Job?] = []
        var head = 0
        var waiting = 0
        var busyObjects = Set<String>()
        /// Changes in flight by the parent they live in.
        var busyChildren: [String: Int] = [:]
        /// Most changes in one batch (the adapter's `batchLimit`).
        var batchLimit: Int
        var pending: Int { running + waiting }
        init(limit: Int, batchLimit: Int) {
            self.limit = limit
            self.batchLimit = batchLimit
        }
    }

    private let state = Locked(State())
    struct State {
        var lanes: [String: Lane] = [:]
        var stopped = false
        /// Interrupted: nothing queued is started any more.
        var halted = false
    }
    private let idle = DispatchSemaphore(value: 0)
    /// One serial queue per change in flight. A change blocks its thread until the
    /// vendor answers; a concurrent queue's threads are capped near the core count and
    /// grow slowly, which held 32 jobs to a few. Serial queues get threads of their own.
    private let workers = Locked((all: [DispatchQueue](), free: [Int]()))

    private func worker() -> (Int, DispatchQueue) {
        workers.withLock { w in
            if let i = w.free.popLast() { return (i, w.all[i]) }
            w.all.append(DispatchQueue(label: "mxsh.executor.\(w.all.count)"))
            return (w.all.count - 1, w.all[w.all.count - 1])
        }
    }
    let jobsFor: (Connection) -> Int
    public let onError: OnError

    public init(onError: OnError = .stop, jobs: @escaping (Connection) -> Int) {
        self.onError = onError
        self.jobsFor = jobs
    }

    /// After a failure under `--on-error stop`, nothing new is sent.
    public var isStopped: Bool { state.withLock { $0.stopped } }

    /// A change failed under `--on-error stop`: those in flight finish, those still
    /// queued are answered `NotSent` at once (they stay journaled `queued`, for resume),
    /// and nothing queued later is sent.
    public func stop() { drop(halting: false) }
    /// Changes being sent at this moment, over every connection.
    public var running: Int { state.withLock { $0.lanes.values.reduce(0) { $0 + $1.running } } }

    /// Stops sending: the changes still queued are answered `NotSent` at once (they were
    /// never sent), those in flight finish. For Ctrl-C.
    public func halt() { drop(halting: true) }

    private func drop(halting: Bool) {
        let dropped: [Job] = state.withLock { s in
            if halting { s.halted = true }
            s.stopped = true
            var out: [Job] = []
            for lane in s.lanes.values {
                out += lane.queue[lane.head...].compactMap { $0 }
                lane.queue = []
                lane.head = 0
                lane.waiting = 0
            }
            return out
        }
        for job in dropped { job.done(.failure(NotSent())) }
        idle.signal()
    }

    /// Queues a change. With `batch`, it may go in one request with other changes of
    /// the same key queued behind a busy lane (the adapter says which may).
    public func enqueue(
        _ change: Change, to connection: Connection, send: (() throws -> ChangeOutcome)? = nil,
        batch member: (any BatchMember)? = nil, done: @escaping (Result<ChangeOutcome, any Error>) -> Void
    ) {
        let batch = member.flatMap { m in connection.adapter.batchKey(of: change).map { (key: $0, member: m) } }
        let job = Job(
            change: change, connection: connection, objectKey: change.kindName + " " + change.key.lowercased(),
            parentKey: Self.parentKey(of: change), send: send ?? { try connection.adapter.apply(change) }, batch: batch,
            done: done)
        let limit = jobsFor(connection)
        let ready: [[Job]]? = state.withLock { s in
            if s.halted || s.stopped { return nil }
            let lane = s.lanes[connection.name] ?? Lane(limit: limit, batchLimit: connection.adapter.batchLimit)
            s.lanes[connection.name] = lane
            lane.queue.append(job)
            lane.waiting += 1
            return take(&s, connection.name)
        }
        guard let ready else { return done(.failure(NotSent())) }
        for j in ready { run(j) }
    }

    /// Jobs that may start now, each list one request's worth: under the lane's limit,
    /// not behind another change to the same object, and batchable changes of one key
    /// gathered into one slot. A batch forms only from changes already waiting: the
    /// first changes of a loop go at once, and while they are in flight the rest pile
    /// up and leave together.
    private func take(_ s: inout State, _ name: String) -> [[Job]] {
        guard let lane = s.lanes[name], !s.halted else { return [] }
        var out: [[Job]] = []
        // Batch key -> its open batch in `out`, while it has room.
        var open: [String: Int] = [:]
        // Objects of changes passed over: a later change to one of them must wait too;
        // and the parents of those passed over, whose later changes wait for them.
        var passed = Set<String>()
        var passedParents = Set<String>()
        var i = lane.head
        // How far past a full lane to look for changes that join an open batch: a queue
        // of thousands of other changes is not walked at every change taken.
        var lookahead = 1000
        while lane.running < lane.limit || (!open.isEmpty && lookahead > 0), i < lane.queue.count {
            guard let job = lane.queue[i] else {
                if i == lane.head { lane.head += 1 }
                i += 1
                continue
            }
            let joins = job.batch.flatMap { open[$0.key] }
            if lane.running >= lane.limit { lookahead -= 1 }
            let behindParent = job.parentKey.map { lane.busyObjects.contains($0) || passed.contains($0) } ?? false
            let behindChild = (lane.busyChildren[job.objectKey] ?? 0) > 0 || passedParents.contains(job.objectKey)
            if lane.busyObjects.contains(job.objectKey) || passed.contains(job.objectKey) || behindParent
                || behindChild || (joins == nil && lane.running >= lane.limit)
            {
                passed.insert(job.objectKey)
                if let parent = job.parentKey { passedParents.insert(parent) }
                i += 1
                continue
            }
            lane.queue[i] = nil
            if i == lane.head { lane.head += 1 }
            lane.waiting -= 1
            lane.busyObjects.insert(job.objectKey)
            if let parent = job.parentKey { lane.busyChildren[parent, default: 0] += 1 }
            if let joins {
                out[joins].append(job)
                if out[joins].count >= lane.batchLimit { open[job.batch!.key] = nil }
            } else {
                lane.running += 1
                if let key = job.batch?.key, lane.batchLimit > 1 { open[key] = out.count }
                out.append([job])
            }
            i += 1
        }
        // Drop the taken front now and then, not at every change.
        if lane.head > 4096, lane.head * 2 > lane.queue.count {
            lane.queue.removeFirst(lane.head)
            lane.head = 0
        }
        return out
    }

    private func run(_ jobs: [Job]) {
        let (slot, queue) = worker()
        queue.async { [self] in
            if jobs.count == 1 {
                let job = jobs[0]
                job.done(Result { try job.send() })
            } else {
                sendTogether(jobs)
            }
            workers.withLock { $0.free.append(slot) }
            let name = jobs[0].connection.name
            let (next, drained): ([[Job]], Bool) = state.withLock { s in
                let lane = s.lanes[name]!
                lane.running -= 1
                for job in jobs {
                    lane.busyObjects.remove(job.objectKey)
                    if let parent = job.parentKey {
                        lane.busyChildren[parent]! -= 1
                        if lane.busyChildren[parent] == 0 { lane.busyChildren[parent] = nil }
                    }
                }
                let next = take(&s, name)
                return (next, lane.pending == 0)
            }
            for j in next { run(j) }
            if drained { idle.signal() }
        }
    }

    /// A batch: the adapter sends the changes in as few requests as it can, announcing
    /// each before it leaves; each change is then settled with its own answer.
    private func sendTogether(_ jobs: [Job]) {
        let results = jobs[0].connection.adapter.applyAll(jobs.map(\.change)) { i, before in
            try jobs[i].batch!.member.willSend(before: before)
        }
        for (job, result) in zip(jobs, results) {
            job.done(result.flatMap { outcome in Result { try job.batch!.member.settle(outcome) } })
        }
    }

    /// The key of the object a change's object lives in: a mailbox's domain, or the
    /// domain or mailbox a vendor's own object belongs to.
    static func parentKey(of change: Change) -> String? {
        func key(_ name: String) -> String {
            let name = name.lowercased()
            return (name.contains("@") ? "user " : "domain ") + name
        }
        if change.kind == .user, let at = change.key.lastIndex(of: "@") {
            return "domain " + change.key[change.key.index(after: at)...].lowercased()
        }
        return change.owner.map(key)
    }

    /// Blocks until the connection (or every connection) has no change in flight.
    public func drain(_ connection: String? = nil) {
        while true {
            let busy = state.withLock { s in
                connection.map { (s.lanes[$0]?.pending ?? 0) > 0 } ?? s.lanes.values.contains { $0.pending > 0 }
            }
            if !busy { return }
            _ = idle.wait(timeout: .now() + .milliseconds(20))
        }
    }
}

/// A change the executor dropped before sending it (the run was interrupted).
public struct NotSent: Error {}

/// An adapter under the executor: a read waits until the changes sent before it are
/// answered, so it sees them. (It waits for every connection's: a script that reads
/// one vendor after writing another usually means to see both.)
final class DrainingAdapter: Adapter {
    let base: any Adapter
    let executor: Executor
    var vendor: Vendor { base.vendor }

    init(base: any Adapter, executor: Executor) {
        self.base = base
        self.executor = executor
    }

    func wait() { executor.drain() }

    func forEachDomain(matching query: DomainQuery, _ body: (Domain) throws -> Bool) throws {
        wait()
        try base.forEachDomain(matching: query, body)
    }
    func domain(named name: String) throws -> Domain? { wait(); return try base.domain(named: name) }
    func forEachUser(domain: String?, _ body: (User) throws -> Bool) throws {
        wait()
        try base.forEachUser(domain: domain, body)
    }
    func user(email: String) throws -> User? { wait(); return try base.user(email: email) }
    func settings(_ name: String) throws -> Settings? { wait(); return try base.settings(name) }
    func object(_ kind: String, key: String) throws -> Settings? { wait(); return try base.object(kind, key: key) }
    func objects(_ kind: String, of owner: ObjectRef.Object?) throws -> [Settings] {
        wait(); return try base.objects(kind, of: owner)
    }
    func objects(_ kind: String, of owner: ObjectRef.Object?, search: [SearchTerm]) throws -> [Settings] {
        wait(); return try base.objects(kind, of: owner, search: search)
    }
    func content(of object: Settings) throws -> [UInt8] { wait(); return try base.content(of: object) }
    func raw(_ request: RawRequest) throws -> JSON { wait(); return try base.raw(request) }
    func tenant(_ key: String) throws -> any Adapter { try base.tenant(key) }
    func read(_ command: String, of subject: ObjectRef.Object) throws -> Settings {
        wait(); return try base.read(command, of: subject)
    }
    func rawIsRead(_ request: RawRequest) -> Bool { base.rawIsRead(request) }
    func apply(_ change: Change) throws -> ChangeOutcome { try base.apply(change) }
    func batchKey(of change: Change) -> String? { base.batchKey(of: change) }
    var batchLimit: Int { base.batchLimit }
    func applyAll(_ changes: [Change], willSend: ((Int, ObjectRef.Object?) throws -> Void)?)
        -> [Result<ChangeOutcome, any Error>]
    {
        base.applyAll(changes, willSend: willSend)
    }
    func complete(_ domains: [Domain]) throws -> [Domain] { wait(); return try base.complete(domains) }
    func stored(_ domain: Domain) -> Domain { base.stored(domain) }
    func capacity(_ kind: ObjectKind) throws -> Int? { try base.capacity(kind) }
}
