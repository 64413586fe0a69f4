import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The threads the sandbox's servers run on, apart from Swift's cooperative pool (as wide
/// as the machine has cores). A client in the same process that waits without yielding
/// (the interpreter's blocking requests, a test waiting for a child process) holds a
/// pool thread: on two cores, two such waits left no thread to answer them, and every
/// request to an in-process sandbox timed out together. A task run with this executor
/// as its preference (and its child tasks: the servers' connections) never needs the
/// pool.
final class SandboxThreads: TaskExecutor, @unchecked Sendable {
    static let shared = SandboxThreads(count: 4)

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    init(count: Int) {
        for i in 0..<count {
            let thread = Thread { [unowned self] in self.work() }
            thread.name = "mxsh-sandbox-\(i)"
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
