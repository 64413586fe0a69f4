import Foundation
import MXEngine
import MXHTTP
import MXJSON
import MXSandbox
import Testing

/// The four simulations on free loopback ports, and sessions that reach them through
/// the language, exactly as a user's script does (`connect VENDOR url=...`).
final class SandboxFixture: @unchecked Sendable {
    let sandbox: VendorSandbox
    let urls: [String: String]
    let client = HTTPClient()

    init(seed: SandboxSeed?, faults: FaultOptions = FaultOptions()) async throws {
        sandbox = VendorSandbox(seed: seed, faults: faults)
        urls = Dictionary(uniqueKeysWithValues: try await sandbox.start().map { ($0.vendor, $0.url) })
    }

    /// `connect` lines for every vendor, with the sandbox credentials.
    var connectLines: String {
        """
        connect proofpoint as pp url="\(urls["proofpoint"]!)" org="example.com" user="admin@example.com" \
        password="sandbox"
        connect cleanmail as cm url="\(urls["cleanmail"]!)" token="sandbox-token"
        connect opensrs as os url="\(urls["opensrs"]!)" user="admin@example.com" password="sandbox"
        connect ad360 as ad url="\(urls["ad360"]!)" token="sandbox-token"

        """
    }

    /// Runs a script after the connect lines on a thread of its own: the interpreter
    /// blocks while it waits for HTTP, and must not hold up the cooperative pool the
    /// sandbox's handlers run on.
    /// `plan`: the changes go to the plan overlay, not the vendor. `echo`: each change
    /// is reported on stderr as the shell does (`+`, `~`, `-`, or `=` already as asked).
    func run(
        _ script: String, use connection: String? = nil, format: OutputFormat = .table,
        plan: Bool = false, echo: Bool = false
    ) async -> (Session.Outcome, BufferHost) {
        let text = connectLines + (connection.map { "use \($0)\n" } ?? "") + script
        return await withCheckedContinuation { continuation in
            let thread = Thread {
                let host = BufferHost(format: format)
                let session = Session(host: host, sink: plan ? PlanSink() : ApplySink())
                session.interpreter.echoChanges = echo
                let outcome = session.run(text, name: "t.mxsh")
                continuation.resume(returning: (outcome, host))
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// A session that has run the connect lines and `script`, for tests that go on
    /// using it (completion); run on a thread of its own, as `run` is.
    func session(_ script: String) async -> Session {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                let session = Session(host: BufferHost())
                _ = session.run(self.connectLines + script, name: "t.mxsh")
                continuation.resume(returning: session)
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// The vendor's request log: "METHOD path status" lines.
    func requests(_ vendor: String) async throws -> [String] {
        let r = try await client.send(HTTPRequest(.GET, urls[vendor]! + "/_sandbox/requests"))
        return (try JSON.parse(r.body).array ?? []).map {
            "\($0["method"]?.string ?? "") \($0["path"]?.string ?? "") \($0["status"]?.int ?? 0)"
        }
    }

    func state(_ vendor: String) async throws -> JSON {
        try JSON.parse(try await client.send(HTTPRequest(.GET, urls[vendor]! + "/_sandbox/state")).body)
    }
}

extension BufferHost {
    var lines: [String] {
        stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }
}
