import CCurl
import CCurlShim

#if canImport(Glibc)
    import Glibc
#endif

/// A request with its place in the retry sequence and whom to tell when it is done.
final class Job: @unchecked Sendable {
    let id: Int
    let request: HTTPRequest
    var attempt = 1
    /// Not to be started before this time (a back-off or a `Retry-After`).
    var notBefore: Double = 0
    let completion: @Sendable (Result<HTTPResponse, HTTPError>) -> Void

    init(id: Int, request: HTTPRequest, completion: @escaping @Sendable (Result<HTTPResponse, HTTPError>) -> Void) {
        self.id = id
        self.request = request
        self.completion = completion
    }
}

/// The one thread that drives libcurl's multi interface: many transfers at once,
/// connections reused, limits and retries applied per connection (`limiterKey`).
/// Callers hand in jobs from any thread; `curl_multi_wakeup` breaks the poll.
final class CurlLoop: @unchecked Sendable {
    struct Shared {
        var incoming: [Job] = []
        var cancelled: Set<Int> = []
        var cancelKeys: Set<String> = []
        var limits: [String: ConnectionLimits] = [:]
        /// Its client is gone: cancel what is left and end the thread.
        var stopping = false
    }

    /// One connection's queue and pacing, owned by the loop thread: jobs start in the
    /// order they came, retries wait aside until their time.
    struct Lane {
        /// Started jobs leave a nil: a job keeps its completion, which may hold the
        /// answers of a whole batch (`VendorAPI.sendAll`), so none is kept once started
        /// (a listing of 100,000 domains kept every page it had read).
        var ready: [Job?] = []
        var head = 0
        var delayed: [Job] = []
        var inFlight = 0
        var tokens: Double = 1
        var refilled: Double = now()

        var isEmpty: Bool { head == ready.count && delayed.isEmpty }

        mutating func popReady() -> Job? {
            guard head < ready.count else { return nil }
            let job = ready[head]
            ready[head] = nil
            head += 1
            if head > 1024, head * 2 > ready.count { ready.removeFirst(head); head = 0 }
            return job
        }
    }

    let shared = Locked(Shared())
    private let multi: UnsafeMutableRawPointer
    /// Owned by the loop thread only.
    private var lanes: [String: Lane] = [:]
    private var limits: [String: ConnectionLimits] = [:]
    private var active: [Int: Transfer] = [:]
    var onTrace: (@Sendable (String) -> Void)?

    init() {
        multi = mx_curl_multi_init()
        mx_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, 64)
        let unmanaged = Unmanaged.passRetained(self)
        var thread = pthread_t()
        pthread_create(
            &thread, nil,
            { arg in
                let loop = Unmanaged<CurlLoop>.fromOpaque(arg!).takeRetainedValue()
                loop.run()
                return nil
            }, unmanaged.toOpaque())
        pthread_detach(thread)
    }

    func submit(_ job: Job) {
        shared.withLock { $0.incoming.append(job) }
        mx_curl_multi_wakeup(multi)
    }

    func cancel(id: Int) {
        shared.withLock { _ = $0.cancelled.insert(id) }
        mx_curl_multi_wakeup(multi)
    }

    /// The client is gone: what is left is cancelled, and the thread ends.
    func stop() {
        shared.withLock { $0.stopping = true }
        mx_curl_multi_wakeup(multi)
    }

    /// Cancels every request of a connection, queued or in flight.
    func cancelAll(key: String) {
        shared.withLock { _ = $0.cancelKeys.insert(key) }
        mx_curl_multi_wakeup(multi)
    }

    private func run() {
        while true {
            let (incoming, cancelled, cancelKeys, newLimits, stopping) = shared.withLock {
                s -> ([Job], Set<Int>, Set<String>, [String: ConnectionLimits], Bool) in
                defer { s.incoming.removeAll(); s.cancelled.removeAll(); s.cancelKeys.removeAll() }
                return (s.incoming, s.cancelled, s.cancelKeys, s.limits, s.stopping)
            }
            limits = newLimits
            for job in incoming { lanes[job.request.limiterKey, default: Lane()].ready.append(job) }
            if stopping {
                applyCancellations([], Set(lanes.keys).union(active.values.map(\.job.request.limiterKey)))
                mx_curl_multi_cleanup(multi)
                return
            }
            if !cancelled.isEmpty || !cancelKeys.isEmpty { applyCancellations(cancelled, cancelKeys) }
            var wait = startDueJobs()
            var running: Int32 = 0
            mx_curl_multi_perform(multi, &running)
            if collectFinished() {
                // Slots were freed: fill them now rather than after the next poll,
                // which may sleep until some other socket stirs.
                wait = startDueJobs()
                mx_curl_multi_perform(multi, &running)
            }
            // Sleep until a socket is ready, a job falls due, or a caller wakes us.
            let idle = active.isEmpty && lanes.values.allSatisfy(\.isEmpty)
            mx_curl_multi_poll(multi, nil, 0, idle ? 1000 : Int32(max(1, min(wait, 1.0) * 1000)), nil)
        }
    }

    /// Starts what each connection's limits allow; returns seconds until a waiting job
    /// may start.
    private func startDueJobs() -> Double {
        let t = now()
        var nextWake = 1.0
        for key in Array(lanes.keys) {
            // Taken out of the table while it changes, so its queue is not copied.
            var lane = lanes.removeValue(forKey: key)!
            let lim = limits[key] ?? ConnectionLimits()
            if !lane.delayed.isEmpty {
                let due = lane.delayed.filter { $0.notBefore <= t }
                if !due.isEmpty {
                    lane.delayed.removeAll { $0.notBefore <= t }
                    // Retries go first: they are the oldest work of the connection.
                    lane.ready.replaceSubrange(lane.head..<lane.head, with: due.map(Optional.some))
                }
                for job in lane.delayed { nextWake = min(nextWake, job.notBefore - t) }
            }
            if let rate = lim.requestsPerSecond {
                lane.tokens = min(max(1, rate), lane.tokens + (t - lane.refilled) * rate)
                lane.refilled = t
            }
            while lane.inFlight < lim.maxConcurrent, lane.head < lane.ready.count {
                if let rate = lim.requestsPerSecond, lane.tokens < 1 {
                    nextWake = min(nextWake, (1 - lane.tokens) / rate)
                    break
                }
                guard let job = lane.popReady() else { break }
                if start(job) {
                    lane.inFlight += 1
                    if lim.requestsPerSecond != nil { lane.tokens -= 1 }
                }
            }
            lanes[key] = lane
        }
        return nextWake
    }

    private func start(_ job: Job) -> Bool {
        guard let transfer = Transfer(job: job) else {
            job.completion(.failure(.invalid("curl could not make a handle")))
            return false
        }
        transfer.configure(Unmanaged.passUnretained(transfer).toOpaque())
        active[job.id] = transfer
        mx_curl_multi_add_handle(multi, transfer.handle)
        onTrace?(traceRequest(job.request, attempt: job.attempt))
        return true
    }

    /// Completes finished transfers; true when any did.
    @discardableResult
    private func collectFinished() -> Bool {
        var finished = false
        var left: Int32 = 0
        while let msg = mx_curl_multi_info_read(multi, &left) {
            guard msg.pointee.msg == CURLMSG_DONE, let easy = msg.pointee.easy_handle else { continue }
            let code = msg.pointee.data.result
            var raw: UnsafeMutableRawPointer?
            mx_easy_getinfo_pointer(easy, CURLINFO_PRIVATE, &raw)
            guard let raw else { continue }
            let transfer = Unmanaged<Transfer>.fromOpaque(raw).takeUnretainedValue()
            mx_curl_multi_remove_handle(multi, easy)
            active[transfer.job.id] = nil
            lanes[transfer.job.request.limiterKey]?.inFlight -= 1
            finish(transfer.job, transfer.result(code))
            finished = true
        }
        return finished
    }

    /// Completes a job, or queues it again when the policy says another try may help.
    private func finish(_ job: Job, _ result: Result<HTTPResponse, HTTPError>) {
        let policy = (limits[job.request.limiterKey] ?? ConnectionLimits()).retry
        let idempotent = job.request.isIdempotent
        var retryAfter: Double? = nil
        var again = false
        switch result {
        case .success(let response):
            onTrace?(traceResponse(response, for: job.request))
            again =
                policy.shouldRetry(status: response.status, idempotent: idempotent)
                || job.request.retryWhen?(response) == true
            retryAfter = parseRetryAfter(response.header("Retry-After"))
        case .failure(let error):
            onTrace?("<- \(job.request.method.rawValue) \(redactURL(job.request.url)): \(error)")
            again = policy.shouldRetry(error, idempotent: idempotent)
        }
        if again, job.attempt < policy.maxAttempts {
            job.notBefore = now() + policy.delay(after: job.attempt, retryAfter: retryAfter)
            job.attempt += 1
            lanes[job.request.limiterKey, default: Lane()].delayed.append(job)
        } else {
            job.completion(result)
        }
    }

    private func applyCancellations(_ ids: Set<Int>, _ keys: Set<String>) {
        func hit(_ job: Job) -> Bool { ids.contains(job.id) || keys.contains(job.request.limiterKey) }
        for (id, transfer) in active where hit(transfer.job) {
            mx_curl_multi_remove_handle(multi, transfer.handle)
            active[id] = nil
            lanes[transfer.job.request.limiterKey]?.inFlight -= 1
            transfer.job.completion(.failure(.cancelled))
        }
        for key in Array(lanes.keys) {
            var lane = lanes[key]!
            let pending = lane.ready[lane.head...].compactMap { $0 } + lane.delayed
            let gone = pending.filter(hit)
            guard !gone.isEmpty else { continue }
            lane.ready = pending.filter { !hit($0) && $0.notBefore == 0 }.map(Optional.some)
            lane.delayed = pending.filter { !hit($0) && $0.notBefore != 0 }
            lane.head = 0
            lanes[key] = lane
            for job in gone { job.completion(.failure(.cancelled)) }
        }
    }
}
