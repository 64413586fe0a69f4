#if canImport(Glibc)
import Glibc
#endif
import MXJSON

/// Every request a vendor port received, with the status it got: what tests read
/// to prove, say, that a dry run sent nothing that changes things.
final class RequestLog: @unchecked Sendable {
    struct Entry {
        var method: String
        var path: String
        var status: Int
        /// What the fault injector did, if anything: fail, throttle, drop.
        var fault: String?
    }

    private var mutex = pthread_mutex_t()
    private var entries: [Entry] = []

    init() { pthread_mutex_init(&mutex, nil) }

    func append(_ e: Entry) {
        pthread_mutex_lock(&mutex)
        entries.append(e)
        pthread_mutex_unlock(&mutex)
    }

    var count: Int {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return entries.count
    }

    var json: JSON {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return .array(entries.map { e in
            var o = JSONObject([("method", .string(e.method)), ("path", .string(e.path)), ("status", .int(e.status))])
            if let f = e.fault { o["fault"] = .string(f) }
            return .object(o)
        })
    }
}
