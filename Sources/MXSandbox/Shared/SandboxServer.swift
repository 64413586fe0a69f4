import HTTPTypes
import Hummingbird
import Logging
import MXJSON
import NIOCore

/// Carries the connection so a `--drop-rate` fault can close it without a reply.
struct SandboxContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

struct DroppedConnection: Error {}

/// Serves each vendor simulation on its own loopback port, with fault injection and
/// the `/_sandbox/state` and `/_sandbox/requests` endpoints every port answers.
public final class Sandbox: Sendable {
    public let simulations: [any VendorSimulation]
    let faults: FaultOptions
    let logs: [RequestLog]
    let gates: [RateGate?]

    public init(simulations: [any VendorSimulation], faults: FaultOptions = FaultOptions()) {
        self.simulations = simulations
        self.faults = faults
        self.logs = simulations.map { _ in RequestLog() }
        self.gates = simulations.map { _ in faults.rateLimit.map(RateGate.init) }
    }

    /// Starts every server (port `basePort + i`, or free ports when `basePort` is 0) and
    /// returns once all listen, with their ports in the order of `simulations`. The
    /// servers run until `stop` or the process ends.
    public func start(host: String = "127.0.0.1", basePort: Int = 0, ownThreads: Bool = true) async throws -> [Int] {
        let ports = PortCollector(count: simulations.count)
        for (i, _) in simulations.enumerated() {
            let app = Application(
                responder: CallbackResponder<SandboxContext> { [self] request, context in
                    try await self.respond(vendor: i, request, context)
                },
                configuration: .init(
                    address: .hostname(host, port: basePort == 0 ? 0 : basePort + i),
                    serverName: simulations[i].vendor),
                onServerRunning: { channel in ports.report(i, channel.localAddress?.port ?? -1) },
                logger: Logger(
                    label: "mxsh.sandbox.\(simulations[i].vendor)", factory: { _ in SwiftLogNoOpLogHandler() }))
            // On threads of its own, not the cooperative pool (see SandboxThreads).
            Task.detached(executorPreference: ownThreads ? SandboxThreads.shared : nil) {
                do { try await app.run() } catch { ports.report(i, -1) }
            }
        }
        let result = await ports.wait()
        if let bad = result.firstIndex(where: { $0 < 0 }) {
            throw SandboxError.cannotListen(vendor: simulations[bad].vendor, port: basePort == 0 ? 0 : basePort + bad)
        }
        return result
    }

    /// Requests received so far on every port (the `/_sandbox/*` ones not counted).
    public var requestCount: Int { logs.reduce(0) { $0 + $1.count } }

    func respond(vendor i: Int, _ request: Request, _ context: SandboxContext) async throws -> Response {
        let sim = simulations[i]
        var buffer = try await request.body.collect(upTo: 32 << 20)
        let body = buffer.readBytes(length: buffer.readableBytes) ?? []
        let query = parseQuery(request.uri.query ?? "")
        let req = SandboxRequest(
            method: request.method.rawValue, path: request.uri.path, query: query,
            headers: headers(of: request), body: body)
        if req.method == "GET", req.path == "/_sandbox/state" { return response(.json(200, sim.state())) }
        if req.method == "GET", req.path == "/_sandbox/requests" { return response(.json(200, logs[i].json)) }

        if faults.latencyMs > 0 {
            // The connection's event loop keeps time to the millisecond; Task.sleep on
            // Linux overshoots by several, which a latency benchmark would count.
            try await context.channel.eventLoop.scheduleTask(in: .milliseconds(Int64(faults.latencyMs))) {}.futureResult
                .get()
        }
        let fault = decideFault()
        var answer: SandboxResponse
        switch fault {
        case .fail:
            answer = sim.serverFault(req)
        case .throttle:
            answer = sim.throttled(retryAfter: faults.retryAfter)
        case .drop, .dropAfterApply:
            // Made and then dropped, the log keeps what the vendor did (its status), so a
            // test can count every change made, answered or not; dropped before, status 0.
            let status = fault == .dropAfterApply ? sim.handle(req).status : 0
            logs[i].append(
                .init(
                    method: req.method, path: req.path, status: status,
                    fault: fault == .dropAfterApply ? "drop-after-apply" : "drop"))
            try? await context.channel.close()
            throw DroppedConnection()
        case .none:
            if let gate = gates[i], !gate.admit() {
                answer = sim.throttled(retryAfter: faults.retryAfter)
                logs[i].append(.init(method: req.method, path: req.path, status: answer.status, fault: "rate-limit"))
                return response(answer)
            }
            answer = sim.handle(req)
        }
        logs[i].append(
            .init(
                method: req.method, path: req.path, status: answer.status,
                fault: fault == .none ? nil : (fault == .fail ? "fail" : "throttle")))
        return response(answer)
    }

    /// The request's headers, `Host` included: HTTP/1's Host arrives as the authority.
    func headers(of request: Request) -> [(name: String, value: String)] {
        var all = request.headers.map { ($0.name.rawName, $0.value) }
        if let authority = request.head.authority, !all.contains(where: { $0.0.lowercased() == "host" }) {
            all.append(("Host", authority))
        }
        return all
    }

    func decideFault() -> Fault {
        guard faults.failRate > 0 || faults.throttleRate > 0 || faults.dropRate > 0 else { return .none }
        let r = Double.random(in: 0..<1)
        if r < faults.failRate { return .fail }
        if r < faults.failRate + faults.throttleRate { return .throttle }
        if r < faults.failRate + faults.throttleRate + faults.dropRate {
            return faults.dropAfterApply ? .dropAfterApply : .drop
        }
        return .none
    }

    func response(_ r: SandboxResponse) -> Response {
        var fields = HTTPFields()
        for (name, value) in r.headers {
            if let n = HTTPField.Name(name) { fields.append(HTTPField(name: n, value: value)) }
        }
        return Response(
            status: .init(code: r.status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: r.body)))
    }
}

public enum SandboxError: Error, CustomStringConvertible {
    case cannotListen(vendor: String, port: Int)
    public var description: String {
        switch self {
        case .cannotListen(let v, let p):
            return "the \(v) simulation cannot listen on port \(p) (in use?); pick another with --port"
        }
    }
}

/// `a=1&b=two%20words` as pairs.
func parseQuery(_ q: String) -> [(name: String, value: String)] {
    q.split(separator: "&").map { pair in
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0]).percentDecoded(plusIsSpace: true)
        let value = parts.count > 1 ? String(parts[1]).percentDecoded(plusIsSpace: true) : ""
        return (name, value)
    }
}

/// Collects the ports servers report as they start; `wait` returns once all have.
final class PortCollector: @unchecked Sendable {
    private let lock = SandboxLock()
    private var ports: [Int?]
    private var waiter: CheckedContinuation<[Int], Never>?

    init(count: Int) { ports = Array(repeating: nil, count: count) }

    func report(_ i: Int, _ port: Int) {
        let done: ([Int], CheckedContinuation<[Int], Never>)? = lock.withLock {
            () -> ([Int], CheckedContinuation<[Int], Never>)? in
            guard ports[i] == nil else { return nil }
            ports[i] = port
            guard ports.allSatisfy({ $0 != nil }), let w = waiter else { return nil }
            waiter = nil
            return (ports.map { $0! }, w)
        }
        if let (p, w) = done { w.resume(returning: p) }
    }

    func wait() async -> [Int] {
        await withCheckedContinuation { c in
            let ready: [Int]? = lock.withLock { () -> [Int]? in
                if ports.allSatisfy({ $0 != nil }) { return ports.map { $0! } }
                waiter = c
                return nil
            }
            if let ready { c.resume(returning: ready) }
        }
    }
}
