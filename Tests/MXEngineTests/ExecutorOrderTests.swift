import Dispatch
import MXHTTP
import MXModel
import Testing

@testable import MXEngine

/// The executor's ordering: changes to one object in the order the script made them,
/// a mailbox's change after its domain's earlier one, and a domain's after the changes
/// to its mailboxes made before it; other objects go at once beside them. Each test
/// holds the first change's send until the later ones are queued, so a later one that
/// could start early would have had every chance to.
struct ExecutorOrderTests {
    final class Log: @unchecked Sendable {
        private let entries = Locked<[String]>([])
        func add(_ s: String) { entries.withLock { $0.append(s) } }
        var all: [String] { entries.withLock { $0 } }
    }

    static func change(_ operation: Operation, _ kind: ObjectKind, _ key: String) -> Change {
        Change(
            connection: "m", kind: kind, key: key, operation: operation, fields: Record(), before: nil,
            location: ScriptLocation(file: "t.mxsh", line: 1, column: 1))
    }

    /// Sends `changes` through one executor (`jobs` wide); the first one's send waits
    /// until every change is queued. The order in which the sends began and ended.
    static func sendOrder(_ changes: [Change], jobs: Int = 8) -> [String] {
        let executor = Executor(onError: .continue) { _ in jobs }
        let connection = Connection(name: "m", adapter: MemoryAdapter())
        let log = Log()
        let allQueued = DispatchSemaphore(value: 0)
        for (i, c) in changes.enumerated() {
            let name = "\(c.operation.rawValue) \(c.key)"
            executor.enqueue(
                c, to: connection,
                send: {
                    log.add("start " + name)
                    if i == 0 { allQueued.wait() }
                    log.add("end " + name)
                    return .applied(nil)
                }, done: { _ in })
        }
        allQueued.signal()
        executor.drain()
        return log.all
    }

    static func before(_ a: String, _ b: String, in log: [String]) -> Bool {
        guard let i = log.firstIndex(of: a), let j = log.firstIndex(of: b) else { return false }
        return i < j
    }

    @Test func changesToOneObjectGoInTheScriptsOrder() {
        let log = Self.sendOrder([
            Self.change(.addAlias, .domain, "a.com"), Self.change(.removeAlias, .domain, "a.com")
        ])
        #expect(Self.before("end add-alias a.com", "start remove-alias a.com", in: log), "\(log)")
    }

    /// While one object's change is held, another object's change is sent: the held
    /// change waits for it to start (a generous bound, not a measure of speed).
    @Test func anotherObjectDoesNotWaitBehindAHeldOne() {
        let executor = Executor(onError: .continue) { _ in 8 }
        let connection = Connection(name: "m", adapter: MemoryAdapter())
        let otherStarted = DispatchSemaphore(value: 0)
        let sawOther = Locked(false)
        executor.enqueue(
            Self.change(.addAlias, .domain, "a.com"), to: connection,
            send: {
                sawOther.withLock { $0 = otherStarted.wait(timeout: .now() + 30) == .success }
                return .applied(nil)
            }, done: { _ in })
        executor.enqueue(
            Self.change(.addAlias, .domain, "b.com"), to: connection,
            send: {
                otherStarted.signal()
                return .applied(nil)
            }, done: { _ in })
        executor.drain()
        #expect(sawOther.withLock { $0 }, "b.com's change waited behind a.com's")
    }

    @Test func aMailboxWaitsForItsDomainsEarlierChange() {
        let log = Self.sendOrder([
            Self.change(.createDomain, .domain, "new.com"), Self.change(.createUser, .user, "ann@new.com")
        ])
        #expect(Self.before("end create-domain new.com", "start create-user ann@new.com", in: log), "\(log)")
    }

    @Test func aDomainWaitsForItsMailboxesEarlierChanges() {
        let log = Self.sendOrder([
            Self.change(.deleteUser, .user, "ann@old.com"), Self.change(.deleteDomain, .domain, "old.com")
        ])
        #expect(Self.before("end delete-user ann@old.com", "start delete-domain old.com", in: log), "\(log)")
    }
}
