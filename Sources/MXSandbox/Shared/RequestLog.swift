import MXJSON

/// Every request a vendor port received, with the status it got: what tests read
/// to prove, say, that a dry run sent nothing that changes things.
final class RequestLog: @unchecked Sendable {
    struct Entry {
        var method: String
        var path: String
        var status: Int
        /// What the fault injector did, if anything: fail, throttle, drop, drop-after-apply (made,
        /// answer lost: `status` is what the vendor did).
        var fault: String?
    }

    private let lock = SandboxLock()
    private var entries: [Entry] = []

    func append(_ e: Entry) { lock.withLock { entries.append(e) } }

    var count: Int { lock.withLock { entries.count } }

    var json: JSON {
        lock.withLock {
            .array(
                entries.map { e in
                    var o = JSONObject([
                        ("method", .string(e.method)), ("path", .string(e.path)), ("status", .int(e.status))
                    ])
                    if let f = e.fault { o["fault"] = .string(f) }
                    return .object(o)
                })
        }
    }
}
