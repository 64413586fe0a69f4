import Foundation
import MXEngine
import MXHTTP
import MXSandbox
import Testing

/// Each session owns its HTTP client: two sessions in one process, with connections
/// of the same name, share neither `--trace` nor a cancellation (Ctrl-C in one cancels
/// its own requests only), nor a pool.
struct SessionHTTPTests {
    /// Lines traced by one session, from whatever thread the client calls on.
    final class Lines: @unchecked Sendable {
        private let lines = Locked<[String]>([])
        func add(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    /// A session connected to the sandbox's cleanmail as `cm`.
    func session(_ f: SandboxFixture) async -> Session {
        let s = Session(host: BufferHost())
        let connected = await run(
            "connect cleanmail as cm url=\"\(f.urls["cleanmail"]!)\" token=\"sandbox-token\"\n", in: s)
        #expect(connected == .ok)
        return s
    }

    /// A session handed to one thread at a time.
    struct Handed: @unchecked Sendable { let session: Session }

    /// Runs `text` in `session` on a thread of its own (the interpreter blocks on HTTP).
    func run(_ text: String, in session: Session) async -> Session.Outcome {
        let handed = Handed(session: session)
        return await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: handed.session.run(text, name: "t.mxsh")) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    @Test func traceIsTheSessionsOwn() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (traced, quiet) = (Lines(), Lines())
        let a = await session(f), b = await session(f)
        #expect(a.interpreter.http !== b.interpreter.http)
        a.interpreter.traceSink = { traced.add($0) }
        b.interpreter.traceSink = { quiet.add($0) }
        a.interpreter.setTrace(true)
        #expect(await run("list domains\n", in: a) == .ok)
        #expect(await run("list domains\n", in: b) == .ok)
        #expect(traced.all.contains { $0.contains("GET") && $0.contains("/domains") }, "\(traced.all)")
        #expect(quiet.all.isEmpty, "session b never turned trace on: \(quiet.all)")
        #expect(!traced.all.contains { $0.contains("sandbox-token") }, "credentials masked")
    }

    @Test func cancellingOneSessionsConnectionLeavesAnothersOfTheSameName() async throws {
        var faults = FaultOptions()
        // Each page takes a while, so b's requests are in flight while a cancels.
        faults.latencyMs = 150
        let f = try await SandboxFixture(seed: .demo, faults: faults)
        let a = await session(f), b = await session(f)
        #expect(await run("list domains\n", in: a) == .ok)
        let listed = Locked(false)
        // What Ctrl-C in session a does to its connection `cm`, again and again until
        // b's listing (on its own `cm`) is answered.
        let client = a.interpreter.http
        let cancelling = Thread {
            while !listed.withLock({ $0 }) {
                client.cancelAll(key: "cm")
                usleep(1000)
            }
        }
        cancelling.start()
        let outcome = await run("list domains\nshow domain \"northwind-mail.com\"\n", in: b)
        listed.withLock { $0 = true }
        #expect(outcome == .ok, "\((b.host as? BufferHost)?.stderr ?? "")")
        #expect((b.host as? BufferHost)?.stdout.contains("northwind-mail.com") == true)
    }
}
