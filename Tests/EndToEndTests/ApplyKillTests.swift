import Foundation
import MXHTTP
import MXJSON
import Testing

/// `mxsh apply` killed with SIGKILL partway, then applied again: the sandbox ends
/// exactly as planned (nothing missing, nothing made twice), the killed run reads
/// interrupted, the journal's counts agree with the sandbox's request log, and undoing
/// both runs (newest first) leaves the vendor as it was before the plan.
@Suite(.serialized)
struct ApplyKillTests {
    /// Successful POST /domains in the cleanmail sandbox's request log.
    static func domainsMade(_ url: String) throws -> Int {
        let log = try JSON.parse(try sandboxReader.sendBlocking(HTTPRequest(.GET, url + "/_sandbox/requests")).body)
        return (log.array ?? []).filter {
            $0["method"]?.string == "POST" && $0["path"]?.string == "/domains" && ($0["status"]?.int ?? 0) / 100 == 2
        }.count
    }

    /// The faults: 5xx, 429, and connections dropped after the change was made.
    static let faults = [
        "--fail-rate", "0.1", "--throttle-rate", "0.05", "--drop-rate", "0.02", "--drop-after-apply", "--retry-after",
        "0"
    ]

    @Test(arguments: [false, true])
    func aKilledApplyAppliedAgainEndsExactlyAsPlanned(underFaults: Bool) throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let port = SandboxCommandTests.freeBasePort()
        let server = try SandboxCommandTests.Server(
            ["--port", String(port), "--seed", "demo", "--latency-ms", "20"] + (underFaults ? Self.faults : []),
            in: home)
        defer { _ = server.stop() }
        var env = testEnvironment(home: home)
        env["CM_TOKEN"] = "sandbox-token"
        let url = server.url("cleanmail")
        let before = try JournalStateTests.cleanmail(url)
        let names = (1...200).map { "applied-\($0).example" }
        try ("name\n" + names.joined(separator: "\n") + "\n").write(
            to: home.appendingPathComponent("domains.csv"), atomically: true, encoding: .utf8)
        let script = home.appendingPathComponent("make.mxsh")
        try """
        connect cleanmail as cm url="\(url)" token=env("CM_TOKEN")
        for row in csv("domains.csv") < create-domain row.name destination="10.0.0.1" >
        """.write(to: script, atomically: true, encoding: .utf8)
        let plan = home.appendingPathComponent("plan.json").path
        let planned = try runMxsh(["plan", script.path, "--plan-out", plan], in: home, environment: env)
        #expect(planned.status == 3, "\(planned.stderr)")

        // A random point of the run, named in every message so a failure can be replayed.
        let killAt = Int.random(in: 1...150)
        let apply = try startMxsh(["apply", plan], in: home, environment: env)
        while try JournalStateTests.cleanmail(url).count < before.count + killAt { usleep(10_000) }
        kill(apply.processIdentifier, SIGKILL)
        apply.waitUntilExit()
        let partial = try JournalStateTests.cleanmail(url).count - before.count
        #expect(partial >= killAt && partial < 200, "killed after \(killAt) made: \(partial) made")
        let killed = try #require(
            try JSON.parse(Array(try runMxsh(["runs", "--format", "json"], in: home, environment: env).stdout.utf8))
                .array?.first)
        #expect(killed["kind"]?.string == "apply" && killed["status"]?.string == "interrupted", "\(killed)")

        let again = try runMxsh(["apply", plan, "--format", "json"], in: home, environment: env)
        #expect(again.status == 0, "\(again.stderr)")
        let outcome = try JSON.parse(Array(again.stdout.utf8))
        let applied = outcome["applied"]?.int ?? -1, unchanged = outcome["unchanged"]?.int ?? -1
        #expect(applied + unchanged == 200 && unchanged >= partial, "\(again.stdout)")
        let after = try JournalStateTests.cleanmail(url)
        #expect(after.count == before.count + 200, "nothing missing, nothing made twice")
        #expect(Set(names).isSubset(of: Set(after.keys)))

        // Each domain made once, and the journal says which run made it (a change whose
        // answer the kill cut off is `sent` in the first run, and found already so by the second).
        let made = try Self.domainsMade(url)
        // A POST whose answer was dropped after the domain was made is in the log with the
        // status the vendor had (`drop-after-apply`): each domain was made exactly once.
        #expect(made == 200, "POST /domains made a domain \(made) times")
        let runs = try #require(
            try JSON.parse(Array(try runMxsh(["runs", "--format", "json"], in: home, environment: env).stdout.utf8))
                .array)
        let first = try #require(runs.first { $0["id"] == killed["id"] })
        let second = try #require(runs.first { $0["id"]?.string == outcome["run"]?.string })
        let done = (first["done"]?.int ?? 0) + (second["done"]?.int ?? 0)
        // The journal's counts against the sandbox's log: every domain made is done in one
        // of the two runs, or sent by the killed one with its answer cut off.
        #expect(done <= made && made <= done + (first["sent"]?.int ?? 0), "\(first) \(second)")
        // What the first run made is what the second found already there: the first run's
        // journal says done for each of them, or sent with the answer cut off by the kill.
        let madeByFirst = 200 - applied
        let (done1, sent1) = (first["done"]?.int ?? 0, first["sent"]?.int ?? 0)
        #expect(done1 <= madeByFirst && madeByFirst <= done1 + sent1, "\(first) \(second)")
        #expect(second["done"]?.int == applied, "\(second)")

        for _ in 0..<2 {
            let undo = try runMxsh(["undo"], in: home, environment: env)
            #expect(undo.status == 0, "\(undo.stderr)")
        }
        #expect(try JournalStateTests.cleanmail(url) == before, "both applies undone")
    }
}
