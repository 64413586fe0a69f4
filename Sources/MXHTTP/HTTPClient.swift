import CCurl
import CCurlShim
import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// HTTP for mxsh, on libcurl's multi interface: many requests at once from one thread,
/// connections kept alive, per-connection concurrency and rate limits, and retries of
/// what may safely be retried. Async for the executor, blocking for the interpreter.
///
/// Each session owns one (its trace, its limits and cancellations keyed by its own
/// connection names, its pool of connections): two sessions in one process, whose
/// connections may share a name, never see each other's. The curl thread starts with
/// the first request and ends with the client.
public final class HTTPClient: Sendable {
    private struct State {
        var loop: CurlLoop?
        var started = false
        var trace: (@Sendable (String) -> Void)?
        var limits: [String: ConnectionLimits] = [:]
    }
    private let state = Locked(State())
    private let ids = Locked(0)

    public init() {}

    deinit { state.withLock { $0.loop?.stop() } }

    /// The curl thread, started on first use: a session that never speaks HTTP (the
    /// memory vendor, `mxsh check`) loads no libcurl and starts no thread.
    private var loop: CurlLoop? {
        state.withLock { s in
            if !s.started {
                s.started = true
                s.loop = globalInit ? CurlLoop() : nil
                s.loop?.onTrace = s.trace
                s.loop?.shared.withLock { $0.limits = s.limits }
            }
            return s.loop
        }
    }

    /// The curl thread if it started: cancelling starts nothing.
    private var startedLoop: CurlLoop? { state.withLock { $0.loop } }

    /// Why a request cannot be sent at all on this machine.
    static let missingLibcurl = HTTPError.invalid(
        "libcurl is not installed (libcurl.so.4); install it: apt-get install libcurl4")

    /// Limits for one connection (its `limiterKey`); until set, the defaults apply.
    public func setLimits(_ limits: ConnectionLimits, for key: String) {
        state.withLock { s in
            s.limits[key] = limits
            s.loop?.shared.withLock { $0.limits[key] = limits }
        }
    }

    /// Where `--trace` lines go: each request and answer, with credentials masked.
    public func setTrace(_ sink: (@Sendable (String) -> Void)?) {
        state.withLock { s in
            s.trace = sink
            s.loop?.onTrace = sink
        }
    }

    private func nextID() -> Int {
        ids.withLock {
            $0 += 1; return $0
        }
    }

    /// Sends a request; `completion` runs on the curl thread, so keep it short.
    @discardableResult
    public func send(_ request: HTTPRequest, completion: @escaping @Sendable (Result<HTTPResponse, HTTPError>) -> Void)
        -> Int
    {
        let id = nextID()
        guard let loop else {
            completion(.failure(Self.missingLibcurl))
            return id
        }
        loop.submit(Job(id: id, request: request, completion: completion))
        return id
    }

    public func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        let id = Locked<Int?>(nil)
        let result: Result<HTTPResponse, HTTPError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let n = send(request) { continuation.resume(returning: $0) }
                id.withLock { $0 = n }
            }
        } onCancel: {
            if let n = id.withLock({ $0 }) { self.startedLoop?.cancel(id: n) }
        }
        return try result.get()
    }

    /// Blocks the calling thread until the answer comes (the interpreter's way). Never
    /// call it from the cooperative thread pool. `shouldCancel` is polled meanwhile
    /// (Ctrl-C in the REPL).
    public func sendBlocking(_ request: HTTPRequest, shouldCancel: () -> Bool = { false }) throws(HTTPError)
        -> HTTPResponse
    {
        let done = DispatchSemaphore(value: 0)
        let box = Locked<Result<HTTPResponse, HTTPError>?>(nil)
        let id = send(request) { result in
            box.withLock { $0 = result }
            done.signal()
        }
        while done.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
            if shouldCancel() { startedLoop?.cancel(id: id) }
        }
        return try box.withLock { $0! }.get()
    }

    /// Cancels a connection's queued and in-flight requests.
    public func cancelAll(key: String) { startedLoop?.cancelAll(key: key) }
}

/// libcurl is opened, and curl_global_init run, once, before any thread uses curl.
private let globalInit: Bool = {
    signal(SIGPIPE, SIG_IGN)
    guard mx_curl_load() == 1 else { return false }
    mx_curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    return true
}()
