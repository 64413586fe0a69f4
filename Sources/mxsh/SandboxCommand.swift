import ArgumentParser
import Dispatch
import MXEngine
import MXJSON
import MXSandbox

#if canImport(Glibc)
    import Glibc
#endif

/// `mxsh sandbox`: the four vendor simulations on loopback until interrupted.
struct SandboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Serve a simulation of each vendor's API on loopback until interrupted.",
        discussion: """
            proofpoint on --port, cleanmail on --port+1, opensrs on +2, ad360 on +3. Credentials: proofpoint and \
            opensrs user admin@example.com, password sandbox (proofpoint organisation example.com); cleanmail and \
            ad360 token sandbox-token. Every port also answers GET /_sandbox/state and GET /_sandbox/requests.
            """)

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "Proofpoint's port; the other vendors take the next three.") var port = 9100
    @Option(
        help: ArgumentHelp(
            "What to start with: demo (a small tenant per vendor) or N generated domains per vendor.",
            valueName: "demo|N"))
    var seed: String?
    @Option(
        help: ArgumentHelp(
            "Load the vendors' stores from FILE if it exists, and save them there while running and on exit.",
            valueName: "file"))
    var state: String?
    @Option(name: .customLong("latency-ms"), help: "Milliseconds added to every reply.") var latencyMs = 0
    @Option(
        name: .customLong("fail-rate"),
        help: "Fraction of requests answered with the vendor's server error (not applied).") var failRate = 0.0
    @Option(name: .customLong("throttle-rate"), help: "Fraction answered 429 with Retry-After (not applied).")
    var throttleRate = 0.0
    @Option(name: .customLong("drop-rate"), help: "Fraction whose connection is closed with no reply (not applied).")
    var dropRate = 0.0
    @Flag(
        name: .customLong("drop-after-apply"),
        help: "Dropped requests are applied first: the change is made and the reply lost.")
    var dropAfterApply = false
    @Option(
        name: .customLong("rate-limit"),
        help: ArgumentHelp("Requests per second per vendor; more are answered 429.", valueName: "R"))
    var rateLimit: Double?
    @Option(name: .customLong("retry-after"), help: "Seconds in the Retry-After of throttled replies.") var retryAfter =
        1

    func validate() throws {
        guard (1...65532).contains(port) else {
            throw ValidationError("--port must be between 1 and 65532 (four consecutive ports are used)")
        }
        if let seed, SandboxSeed(seed) == nil {
            throw ValidationError("--seed takes 'demo' or a number of domains, not '\(seed)'")
        }
        for (name, p) in [("--fail-rate", failRate), ("--throttle-rate", throttleRate), ("--drop-rate", dropRate)]
        where !(0...1).contains(p) {
            throw ValidationError("\(name) is a fraction between 0 and 1, not \(p)")
        }
        if failRate + throttleRate + dropRate > 1 {
            throw ValidationError("--fail-rate, --throttle-rate and --drop-rate add up to more than 1")
        }
        if latencyMs < 0 { throw ValidationError("--latency-ms cannot be negative") }
        if let rateLimit, rateLimit <= 0 { throw ValidationError("--rate-limit is requests per second, more than 0") }
        if retryAfter < 0 { throw ValidationError("--retry-after cannot be negative") }
    }

    func run() throws {
        var faults = FaultOptions()
        faults.latencyMs = latencyMs
        faults.failRate = failRate
        faults.throttleRate = throttleRate
        faults.dropRate = dropRate
        faults.dropAfterApply = dropAfterApply
        faults.rateLimit = rateLimit
        faults.retryAfter = retryAfter
        let stateFile = state.map(SandboxStateFile.init)
        let existing = try stateFile?.read()
        // A saved state is the tenant; --seed only fills a sandbox that has none yet.
        let sandbox = VendorSandbox(seed: existing == nil ? seed.flatMap(SandboxSeed.init) : nil, faults: faults)
        if let existing {
            do { try sandbox.load(existing) } catch {
                throw ValidationError("\(state!): not a sandbox state file: \(error)")
            }
        }

        // Signals are taken synchronously below; block them before any server thread starts
        // so that none of those threads receives them instead.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)

        let endpoints: [(vendor: String, url: String)]
        do {
            // The process is only the sandbox: nothing else waits on the cooperative pool.
            endpoints = try startBlocking { try await sandbox.start(host: host, basePort: port, ownThreads: false) }
        } catch {
            printError("mxsh sandbox: \(error)\n")
            finish(1)
        }
        for e in endpoints { print("\(e.vendor.padding(10)) \(e.url)") }
        fflush(nil)
        printError("mxsh sandbox: serving; Ctrl-C stops\(state.map { " (state is saved to \($0))" } ?? "").\n")

        var savedAt = -1
        var timeout = timespec(tv_sec: 2, tv_nsec: 0)
        while true {
            let sig = sigtimedwait(&signals, nil, &timeout)
            if let stateFile, sandbox.requestCount != savedAt {
                savedAt = sandbox.requestCount
                stateFile.save(sandbox.state())
            }
            if sig == SIGINT || sig == SIGTERM { break }
        }
        printError("mxsh sandbox: stopped.\n")
        finish(0)
    }
}

/// `--state FILE`: written through a temporary file and a rename, private (0600).
struct SandboxStateFile {
    let path: String

    func read() throws -> JSON? {
        guard access(path, F_OK) == 0 else { return nil }
        let text: String
        do { text = try readTextFile(path) } catch let e as FileError { throw ValidationError(e.message) }
        do { return try JSON.parse(Array(text.utf8)) } catch { throw ValidationError("\(path): not JSON: \(error)") }
    }

    func save(_ state: JSON) {
        do { try writeTextFile(path, state.text + "\n", mode: 0o600) } catch let e as FileError {
            printError("mxsh sandbox: \(e.message)\n")
        } catch {}
    }
}

/// Runs async work to completion from synchronous code (the CLI's commands are sync).
func startBlocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let done = DispatchSemaphore(value: 0)
    let box = ResultBox<T>()
    Task.detached {
        do { box.result = .success(try await work()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}

final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
