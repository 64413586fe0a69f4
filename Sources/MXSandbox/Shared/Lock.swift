#if canImport(Glibc)
    import Glibc
#endif

/// The sandbox's one lock type: a plain mutex. Each simulation's store, the request
/// logs, the rate gates and the port collector each hold one; nothing else locks.
final class SandboxLock: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}

/// One simulation's records behind one lock. Every request, seeding helper and state
/// dump of a vendor goes through `access`: a request is one critical section, so a
/// handler sees and leaves the records consistent (a create checks and inserts at once).
final class SimulationStore<Records>: @unchecked Sendable {
    private let lock = SandboxLock()
    private var records: Records

    init(_ records: Records) { self.records = records }

    func access<T>(_ body: (inout Records) throws -> T) rethrows -> T {
        try lock.withLock { try body(&records) }
    }
}
