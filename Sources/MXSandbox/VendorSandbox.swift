import MXJSON

/// All four vendors' simulations in DESIGN.md's order (proofpoint on the base port,
/// cleanmail +1, opensrs +2, ad360 +3), seeded, with their servers: what
/// `mxsh sandbox` serves and `connect sandbox` starts inside the process. Adding a
/// vendor's simulation is one entry in `make`; each names its own vendor.
public final class VendorSandbox: Sendable {
    static func make() -> [any SeedableSimulation] {
        [ProofpointSimulation(), CleanmailSimulation(), OpenSRSSimulation(), AD360Simulation()]
    }
    public let simulations: [any SeedableSimulation]
    public let server: Sandbox
    /// The vendors simulated, in port order.
    public var vendors: [String] { simulations.map(\.vendor) }

    public init(seed: SandboxSeed? = nil, faults: FaultOptions = FaultOptions()) {
        simulations = Self.make()
        if let seed { for s in simulations { s.seed(seed) } }
        server = Sandbox(simulations: simulations, faults: faults)
    }

    /// Listens on `basePort`...`basePort + 3` (free ports when 0); the base URL of each
    /// vendor, in `vendors` order. The vendor's own path prefix is not part of it.
    /// `ownThreads: false` serves on Swift's cooperative pool: for a process that is only
    /// the sandbox (`mxsh sandbox`), where nothing else waits on that pool.
    public func start(
        host: String = "127.0.0.1", basePort: Int = 0, ownThreads: Bool = true
    ) async throws -> [(vendor: String, url: String)] {
        let ports = try await server.start(host: host, basePort: basePort, ownThreads: ownThreads)
        let shown = host.contains(":") ? "[\(host)]" : host
        return zip(vendors, ports).map { ($0, "http://\(shown):\($1)") }
    }

    /// Every vendor's store, keyed by vendor name (`--state FILE`).
    public func state() -> JSON {
        .object(JSONObject(simulations.map { ($0.vendor, $0.state()) }))
    }

    /// Loads what `state()` wrote; vendors missing from `state` keep what they have.
    public func load(_ state: JSON) throws {
        guard let all = state.object else {
            throw JSONError(offset: 0, message: "a sandbox state file is a JSON object keyed by vendor")
        }
        for s in simulations {
            if let mine = all[s.vendor] { try s.load(mine) }
        }
    }

    /// Requests answered so far, all vendors together: tells a state saver whether
    /// anything may have changed.
    public var requestCount: Int { server.requestCount }
}
