import MXHTTP
import MXJSON
import MXSandbox
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A small API served through the real sandbox server (faults and request log
/// included), so the client is tested over loopback HTTP without any vendor's rules.
final class ItemsSimulation: VendorSimulation, @unchecked Sendable {
    let vendor = "items"
    private var mutex = pthread_mutex_t()
    private var items: [String: JSON] = [:]
    private var hits: [String: Int] = [:]
    private(set) var times: [String: [Double]] = [:]

    init() { pthread_mutex_init(&mutex, nil) }

    func handle(_ r: SandboxRequest) -> SandboxResponse {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        hits[r.method + r.path, default: 0] += 1
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        times[r.path, default: []].append(Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9)
        let parts = r.components(after: "/") ?? []
        switch (r.method, parts.first) {
        case ("GET", "items"): return .json(200, ["id": .string(parts.last ?? "")])
        case ("PUT", "items"):
            items[parts.last ?? ""] = r.json ?? .null
            return .json(200, ["id": .string(parts.last ?? "")])
        case ("POST", "items"): return .json(503, ["error": "down"])
        case ("GET", "flaky"):
            if hits[r.method + r.path] == 1 {
                return .json(429, ["error": "slow down"], headers: [("Retry-After", "1")])
            }
            return .json(200, ["ok": true])
        default: return .json(404, ["error": "no such path"])
        }
    }

    func state() -> JSON {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return .object(JSONObject(items.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
    }

    func load(_ state: JSON) throws {}
}

func startSandbox(_ faults: FaultOptions = FaultOptions()) async throws -> (ItemsSimulation, String) {
    let sim = ItemsSimulation()
    let sandbox = Sandbox(simulations: [sim], faults: faults)
    let ports = try await sandbox.start()
    return (sim, "http://127.0.0.1:\(ports[0])")
}

/// The sandbox's request log: (method, path, status).
func requestLog(_ base: String, _ client: HTTPClient) async throws -> [(String, String, Int)] {
    let r = try await client.send(HTTPRequest(.GET, base + "/_sandbox/requests"))
    return (try JSON.parse(r.body).array ?? []).map {
        ($0["method"]?.string ?? "", $0["path"]?.string ?? "", $0["status"]?.int ?? -1)
    }
}

@Suite(.serialized)
struct HTTPClientTests {
    let client = HTTPClient()

    @Test func getRoundTrip() async throws {
        let (_, base) = try await startSandbox()
        let r = try await client.send(HTTPRequest(.GET, base + "/items/7", headers: [("Accept", "application/json")]))
        #expect(r.status == 200)
        #expect(r.header("content-type") == "application/json")
        #expect(try JSON.parse(r.body)["id"] == "7")
        #expect(r.attempts == 1)
    }

    @Test func manyAtOnceEachAnsweredOnce() async throws {
        var faults = FaultOptions()
        faults.latencyMs = 10
        let (_, base) = try await startSandbox(faults)
        client.setLimits(ConnectionLimits(maxConcurrent: 16), for: "many")
        try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<300 {
                group.addTask {
                    try await client.send(HTTPRequest(.GET, base + "/items/\(i)", limiterKey: "many")).status
                }
            }
            for try await status in group { #expect(status == 200) }
        }
        let log = try await requestLog(base, client).filter { $0.1.hasPrefix("/items/") }
        #expect(log.count == 300)
        #expect(Set(log.map(\.1)).count == 300)
    }

    /// With every fault knob on, idempotent requests all end answered, each path ends
    /// with exactly one success in the sandbox's log, and every PUT is applied.
    @Test func faultsAreRetriedToExactlyOneSuccess() async throws {
        var faults = FaultOptions()
        faults.failRate = 0.2
        faults.throttleRate = 0.1
        faults.dropRate = 0.1
        faults.retryAfter = 0
        let (sim, base) = try await startSandbox(faults)
        client.setLimits(
            ConnectionLimits(maxConcurrent: 8, retry: RetryPolicy(maxAttempts: 30, baseDelay: 0.005, maxDelay: 0.05)),
            for: "faulty")
        try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<150 {
                group.addTask {
                    let method: HTTPRequest.Method = i % 2 == 0 ? .GET : .PUT
                    let body = method == .PUT ? JSON.object(JSONObject([("n", .int(i))])).bytes : []
                    return try await client.send(
                        HTTPRequest(method, base + "/items/\(i)", body: body, limiterKey: "faulty")
                    ).status
                }
            }
            for try await status in group { #expect(status == 200) }
        }
        let log = try await requestLog(base, client).filter { $0.1.hasPrefix("/items/") }
        for i in 0..<150 {
            let successes = log.filter { $0.1 == "/items/\(i)" && $0.2 == 200 }
            #expect(successes.count == 1, "path /items/\(i): \(successes.count) successes")
        }
        #expect(log.contains { $0.2 == 503 })
        #expect(sim.state().object?.count == 75)
    }

    @Test func retryAfterIsHonoured() async throws {
        let (sim, base) = try await startSandbox()
        let r = try await client.send(HTTPRequest(.GET, base + "/flaky/1"))
        #expect(r.status == 200)
        #expect(r.attempts == 2)
        let times = sim.times["/flaky/1"] ?? []
        #expect(times.count == 2)
        if times.count == 2 {
            #expect(times[1] - times[0] >= 0.95, "waited \(times[1] - times[0]) s of Retry-After: 1")
        }
    }

    @Test func postIsNotRetriedBlindly() async throws {
        let (_, base) = try await startSandbox()
        let r = try await client.send(HTTPRequest(.POST, base + "/items", body: Array("{}".utf8)))
        #expect(r.status == 503)
        #expect(r.attempts == 1)
        let posts = try await requestLog(base, client).filter { $0.0 == "POST" }
        #expect(posts.count == 1)
    }

    @Test func timeoutsAreReported() async throws {
        var faults = FaultOptions()
        faults.latencyMs = 1500
        let (_, base) = try await startSandbox(faults)
        await #expect(throws: HTTPError.timedOut(url: base + "/items", seconds: 0.3)) {
            _ = try await client.send(HTTPRequest(.POST, base + "/items", timeout: 0.3))
        }
    }

    @Test func nothingListeningIsCouldNotConnect() async throws {
        client.setLimits(ConnectionLimits(retry: .none), for: "closed")
        do {
            _ = try await client.send(HTTPRequest(.GET, "http://127.0.0.1:1/x", limiterKey: "closed"))
            Issue.record("expected a failure")
        } catch {
            if case .couldNotConnect = error {} else { Issue.record("got \(error)") }
        }
    }

    @Test func cancellingAConnectionEndsItsRequests() async throws {
        var faults = FaultOptions()
        faults.latencyMs = 2000
        let (_, base) = try await startSandbox(faults)
        let task = Task { try await client.send(HTTPRequest(.GET, base + "/items/slow", limiterKey: "cancel-me")) }
        try await Task.sleep(nanoseconds: 200_000_000)
        client.cancelAll(key: "cancel-me")
        await #expect(throws: HTTPError.cancelled) { _ = try await task.value }
    }

    /// Each knob of `mxsh sandbox` alone: every request still ends in exactly one
    /// success as the sandbox's log sees it, and the state holds each PUT once.
    @Test(arguments: ["latency-ms", "fail-rate", "throttle-rate", "drop-rate", "rate-limit"])
    func eachFaultKnobAloneStillAnswersEveryRequestOnce(_ knob: String) async throws {
        var faults = FaultOptions()
        faults.retryAfter = 0
        switch knob {
        case "latency-ms": faults.latencyMs = 30
        case "fail-rate": faults.failRate = 0.3
        case "throttle-rate": faults.throttleRate = 0.3
        case "drop-rate": faults.dropRate = 0.2
        default:
            // Throttled replies say when to come back; the client must wait that long.
            faults.rateLimit = 40
            faults.retryAfter = 1
        }
        let (sim, base) = try await startSandbox(faults)
        let key = "knob-" + knob
        client.setLimits(
            ConnectionLimits(maxConcurrent: 16, retry: RetryPolicy(maxAttempts: 40, baseDelay: 0.005, maxDelay: 0.05)),
            for: key)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<120 {
                group.addTask {
                    let method: HTTPRequest.Method = i % 3 == 0 ? .PUT : i % 3 == 1 ? .GET : .DELETE
                    let body = method == .PUT ? JSON.object(JSONObject([("n", .int(i))])).bytes : []
                    let path = method == .DELETE ? "/gone/\(i)" : "/items/\(i)"
                    return try await client.send(HTTPRequest(method, base + path, body: body, limiterKey: key)).status
                }
            }
            for try await status in group { #expect(status == 200 || status == 404) }
        }
        let log = try await requestLog(base, client)
        for i in 0..<120 {
            let path = i % 3 == 2 ? "/gone/\(i)" : "/items/\(i)"
            let answered = log.filter { $0.1 == path && ($0.2 == 200 || $0.2 == 404) }
            #expect(answered.count == 1, "\(knob): \(path) answered \(answered.count) times")
        }
        #expect(sim.state().object?.count == 40)
        let faulted = log.filter { $0.2 != 200 && $0.2 != 404 }.count
        if knob == "latency-ms" { #expect(faulted == 0) } else { #expect(faulted > 0, "\(knob) injected nothing") }
    }

    @Test func traceMasksEveryCredential() async throws {
        let (_, base) = try await startSandbox()
        let lines = TraceCollector()
        client.setTrace { lines.add($0) }
        defer { client.setTrace(nil) }
        let secrets = ["Bearer-t0ken-SECRET", "pp-PASSWORD-1", "os-pass-2", "form-pw-3", "tok-4"]
        _ = try await client.send(
            HTTPRequest(
                .PUT, base + "/items/t",
                headers: [
                    ("Authorization", "Bearer \(secrets[0])"), ("X-Password", secrets[1]),
                    ("X-User", "admin@example.com")
                ],
                body: Array(
                    ("{\"credentials\": {\"user\": \"a\", \"password\": \"\(secrets[2])\"}, \"token\": "
                        + "\"\(secrets[4])\", \"x\": 1}").utf8)))
        _ = try await client.send(
            HTTPRequest(.PUT, base + "/items/f", body: Array("name=a&PASSWORD=\(secrets[3])&b=2".utf8)))
        let text = lines.text
        #expect(text.contains("-> PUT"))
        #expect(text.contains("Authorization: ****"))
        #expect(text.contains("\"x\": 1") || text.contains("\"x\":1"))
        for s in secrets + ["admin@example.com"] { #expect(!text.contains(s), "trace shows \(s)") }
    }
}

final class TraceCollector: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var lines: [String] = []
    init() { pthread_mutex_init(&mutex, nil) }
    func add(_ s: String) { pthread_mutex_lock(&mutex); lines.append(s); pthread_mutex_unlock(&mutex) }
    var text: String {
        pthread_mutex_lock(&mutex); defer { pthread_mutex_unlock(&mutex) }; return lines.joined(separator: "\n")
    }
}
