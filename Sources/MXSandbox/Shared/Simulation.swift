import MXJSON

/// A request as a vendor simulation sees it: no framework types, so simulations are
/// plain functions, testable without a socket.
public struct SandboxRequest: Sendable {
    public var method: String
    public var path: String
    public var query: [(name: String, value: String)]
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(
        method: String, path: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [], body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }

    public func queryValue(_ name: String) -> String? { query.first { $0.name == name }?.value }

    /// Path components after a prefix: `/api/v1/orgs/x/domains` - `/api/v1` = [orgs, x, domains].
    public func components(after prefix: String) -> [String]? {
        guard path.hasPrefix(prefix) else { return nil }
        return path.dropFirst(prefix.count).split(separator: "/").map { String($0).percentDecoded() }
    }

    public var json: JSON? { try? JSON.parse(body) }
}

public struct SandboxResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func json(_ status: Int, _ value: JSON, headers: [(name: String, value: String)] = [])
        -> SandboxResponse
    {
        SandboxResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: value.bytes)
    }

    public static func empty(_ status: Int) -> SandboxResponse { SandboxResponse(status: status) }
}

/// One vendor's API, simulated: its paths, auth, validation, status codes and bodies.
public protocol VendorSimulation: AnyObject, Sendable {
    /// `proofpoint`, `cleanmail`, `opensrs`, `ad360`.
    var vendor: String { get }
    func handle(_ request: SandboxRequest) -> SandboxResponse
    /// The whole store, for `GET /_sandbox/state` and `--state FILE`.
    func state() -> JSON
    func load(_ state: JSON) throws
    /// What a 5xx looks like at this vendor (OpenSRS answers HTTP 200 with an error number).
    func serverFault(_ request: SandboxRequest) -> SandboxResponse
    /// What a throttle looks like: 429 with `Retry-After` by default.
    func throttled(retryAfter: Int) -> SandboxResponse
}

extension VendorSimulation {
    public func serverFault(_ request: SandboxRequest) -> SandboxResponse {
        .json(503, ["error": "service temporarily unavailable"])
    }
    public func throttled(retryAfter: Int) -> SandboxResponse {
        .json(429, ["error": "too many requests"], headers: [("Retry-After", String(retryAfter))])
    }
}

/// What a simulation starts with: `--seed demo` (a small believable tenant) or
/// `--seed N` (N generated domains, with aliases and users).
public enum SandboxSeed: Sendable, Equatable {
    case demo
    case generated(Int)

    /// `demo` or a count; nil for anything else.
    public init?(_ text: String) {
        if text == "demo" { self = .demo; return }
        guard let n = Int(text), n >= 0 else { return nil }
        self = .generated(n)
    }
}

/// Filled in by each vendor's seed file (`<Vendor>/<Vendor>Seed.swift`).
public protocol SeedableSimulation: VendorSimulation {
    func seed(_ seed: SandboxSeed)
}
