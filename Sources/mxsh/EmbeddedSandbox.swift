import MXEngine
import MXHTTP
import MXSandbox

/// What every session of this program gets: `connect sandbox` (the simulations,
/// started inside this process) and `--trace`. (`--limit` is the run's: its request
/// carries it, which is what the journal keeps and resume reads.)
func configure(_ session: Session, _ options: ScriptOptions) {
    session.interpreter.sandboxLauncher = EmbeddedSandbox.launch
    if options.trace { session.interpreter.setTrace(true) }
}

/// The sandbox `connect sandbox` starts: once per process, on free loopback ports; a
/// second `connect sandbox` connects to the same servers.
enum EmbeddedSandbox {
    private static let running = Locked<[(vendor: String, url: String)]?>(nil)

    static func launch(_ request: SandboxLaunch) throws -> [(vendor: String, url: String)] {
        if let urls = running.withLock({ $0 }) { return urls }
        guard let seed = SandboxSeed(request.seed) else {
            throw SandboxLaunchError(message: "seed is \"demo\" or a number of domains, not '\(request.seed)'")
        }
        var faults = FaultOptions()
        faults.latencyMs = max(0, request.latencyMs)
        let sandbox = VendorSandbox(seed: seed, faults: faults)
        let urls = try startBlocking { try await sandbox.start(basePort: request.basePort) }
        running.withLock { $0 = urls }
        return urls
    }
}

struct SandboxLaunchError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
