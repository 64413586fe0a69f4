import MXJSON
import Dispatch
import MXHTTP
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
        let done: (Result<ChangeOutcome, any Error>) -> Void
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
        var pending: Int { running + waiting }
        init(limit: Int) { self.limit = limit }
    }

    private let state = Locked(State())
    struct State {
        var lanes: [String: Lane] = [:]
        var stopped = false
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
    public func stop() { state.withLock { $0.stopped = true } }
    /// Changes being sent at this moment, over every connection.
    public var running: Int { state.withLock { $0.lanes.values.reduce(0) { $0 + $1.running } } }

    public func enqueue(_ change: Change, to connection: Connection, done: @escaping (Result<ChangeOutcome, any Error>) -> Void) {
        let job = Job(change: change, connection: connection,
                      objectKey: change.kindName + " " + change.key.lowercased(), done: done)
        let limit = jobsFor(connection)
        let ready: [Job] = state.withLock { s in
            let lane = s.lanes[connection.name] ?? Lane(limit: limit)
            s.lanes[connection.name] = lane
            lane.queue.append(job)
            lane.waiting += 1
            return take(&s, connection.name)
        }
        for j in ready { run(j) }
    }

    /// Jobs that may start now: under the lane's limit, and not behind another change
    /// to the same object.
    private func take(_ s: inout State, _ name: String) -> [Job] {
        guard let lane = s.lanes[name] else { return [] }
        var out: [Job] = []
        // Objects of changes passed over: a later change to one of them must wait too.
        var passed = Set<String>()
        var i = lane.head
        while lane.running < lane.limit, i < lane.queue.count {
            guard let job = lane.queue[i] else {
                if i == lane.head { lane.head += 1 }
                i += 1
                continue
            }
            if lane.busyObjects.contains(job.objectKey) || passed.contains(job.objectKey) {
                passed.insert(job.objectKey)
                i += 1
                continue
            }
            lane.queue[i] = nil
            if i == lane.head { lane.head += 1 }
            lane.waiting -= 1
            lane.busyObjects.insert(job.objectKey)
            lane.running += 1
            out.append(job)
            i += 1
        }
        // Drop the taken front now and then, not at every change.
        if lane.head > 4096, lane.head * 2 > lane.queue.count {
            lane.queue.removeFirst(lane.head)
            lane.head = 0
        }
        return out
    }

    private func run(_ job: Job) {
        let (slot, queue) = worker()
        queue.async { [self] in
            let result: Result<ChangeOutcome, any Error>
            do { result = .success(try job.connection.adapter.apply(job.change)) } catch { result = .failure(error) }
            job.done(result)
            workers.withLock { $0.free.append(slot) }
            let (next, drained): ([Job], Bool) = state.withLock { s in
                let lane = s.lanes[job.connection.name]!
                lane.running -= 1
                lane.busyObjects.remove(job.objectKey)
                let next = take(&s, job.connection.name)
                return (next, s.lanes[job.connection.name]!.pending == 0)
            }
            for j in next { run(j) }
            if drained { idle.signal() }
        }
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
    func objects(_ kind: String, of owner: ObjectRef.Object?) throws -> [Settings] { wait(); return try base.objects(kind, of: owner) }
    func raw(_ request: RawRequest) throws -> JSON { wait(); return try base.raw(request) }
    func tenant(_ key: String) throws -> any Adapter { try base.tenant(key) }
    func read(_ command: String, of subject: ObjectRef.Object) throws -> Settings { wait(); return try base.read(command, of: subject) }
    func rawIsRead(_ request: RawRequest) -> Bool { base.rawIsRead(request) }
    func apply(_ change: Change) throws -> ChangeOutcome { try base.apply(change) }
    func complete(_ domains: [Domain]) throws -> [Domain] { wait(); return try base.complete(domains) }
    func stored(_ domain: Domain) -> Domain { base.stored(domain) }
    func capacity(_ kind: ObjectKind) throws -> Int? { try base.capacity(kind) }
}
