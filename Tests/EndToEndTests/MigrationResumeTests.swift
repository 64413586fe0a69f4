import Foundation
import MXHTTP
import MXJSON
import Testing

/// Issue 5's proof: 2,000 domains with aliases copied from opensrs to cleanmail under
/// faults, the client killed (SIGKILL) partway, resumed, and then undone: the end state
/// is exactly the expected one with nothing missing or duplicated, undo restores the
/// before-state, and the journal never holds a secret.
@Suite(.serialized)
struct MigrationResumeTests {
    func state(_ url: String, _ vendor: String) throws -> JSON {
        try JSON.parse(try sandboxReader.sendBlocking(HTTPRequest(.GET, url + "/_sandbox/state")).body)
    }

    /// Cleanmail's live domains (not soft-deleted): name -> aliases.
    func liveDomains(_ cm: JSON) -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        let aliasNames = Dictionary(
            uniqueKeysWithValues: (cm["aliases"]?.array ?? []).compactMap { a -> (String, (String, String))? in
                guard let id = a["id"]?.string, let name = a["name"]?.string, let d = a["domainId"]?.string else {
                    return nil
                }
                return (id, (d, name))
            })
        var byDomain: [String: Set<String>] = [:]
        for (_, (d, name)) in aliasNames { byDomain[d, default: []].insert(name) }
        for d in cm["domains"]?.array ?? [] where d["status"]?.string != "DELETED" {
            guard let name = d["name"]?.string, let id = d["id"]?.string else { continue }
            #expect(out[name] == nil, "domain \(name) twice at cleanmail")
            out[name] = byDomain[id] ?? []
        }
        return out
    }

    @Test func killedMigrationResumesExactlyAndUndoRestores() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let port = SandboxCommandTests.freeBasePort()
        let server = try SandboxCommandTests.Server(
            [
                "--port", String(port), "--seed", "2000", "--fail-rate", "0.1", "--throttle-rate", "0.05",
                "--drop-rate", "0.02", "--retry-after", "0"
            ], in: home)
        defer { _ = server.stop() }
        let cmURL = server.url("cleanmail"), osURL = server.url("opensrs")
        var env = testEnvironment(home: home)
        env["OS_PASSWORD"] = "sandbox"
        env["CM_TOKEN"] = "sandbox-token"

        let cmBefore = liveDomains(try state(cmURL, "cleanmail"))
        let osState = try state(osURL, "opensrs")
        var expectedCopies: [String: Set<String>] = [:]
        for d in osState["domains"]?.array ?? [] where d["deleted"]?.bool != true {
            expectedCopies[d["name"]!.string!] = Set((d["attributes"]?["aliases"]?.array ?? []).compactMap(\.string))
        }
        #expect(expectedCopies.count == 2000 && cmBefore.count == 2000)

        let script = home.appendingPathComponent("migrate.mxsh")
        try """
        connect opensrs as os url="\(osURL)" user="admin@example.com" password=env("OS_PASSWORD")
        connect cleanmail as cm url="\(cmURL)" token=env("CM_TOKEN")
        connect ad360 as ad url="\(server.url("ad360"))" token=env("CM_TOKEN")
        set ad.proxy enabled=true server="proxy.corp" port=3128 user="svc" password=secret("demo")
        copy domains from os to cm
        """.write(to: script, atomically: true, encoding: .utf8)

        // Run, and kill -9 once some domains have been created at cleanmail.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: mxshBinary)
        process.arguments = ["run", script.path]
        process.currentDirectoryURL = home
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try launch(process)
        let deadline = Date().addingTimeInterval(120)
        // A random point of the copy, named in the message below so a failure can be replayed.
        let killAt = Int.random(in: 1...400)
        while Date() < deadline {
            let live = liveDomains(try state(cmURL, "cleanmail"))
            if live.count >= cmBefore.count + killAt { break }
            usleep(100_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let partial = liveDomains(try state(cmURL, "cleanmail")).count - cmBefore.count
        #expect(partial > 0 && partial < 2000, "killed after \(killAt) copied: \(partial) copied")

        let runs = try runMxsh(["runs", "--format", "json"], in: home, environment: env)
        #expect(try JSON.parse(Array(runs.stdout.utf8)).array?.first?["status"] == "interrupted", "\(runs.stdout)")

        let resumed = try runMxsh(["resume"], in: home, environment: env)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let after = liveDomains(try state(cmURL, "cleanmail"))
        #expect(after.count == 4000, "nothing missing, nothing duplicated: \(after.count)")
        for (name, aliases) in expectedCopies {
            #expect(
                after[name] == aliases, "\(name): \(after[name].map { Array($0) } ?? []) instead of \(Array(aliases))")
        }
        for (name, aliases) in cmBefore { #expect(after[name] == aliases, "\(name) changed") }

        // The journal never holds a credential: neither the database nor its write-ahead log.
        for file in ["journal.sqlite", "journal.sqlite-wal"] {
            let url = home.appendingPathComponent("state/mxsh/" + file)
            guard let bytes = try? Data(contentsOf: url) else { continue }
            for secret in [plantedSecret, "sandbox-token"] {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file) holds \(secret)")
            }
        }

        // Undo the resume, then the killed run: cleanmail is as before.
        let undoResume = try runMxsh(["undo"], in: home, environment: env)
        #expect(undoResume.status == 0, "\(undoResume.stderr)")
        let first =
            try JSON.parse(Array(try runMxsh(["runs", "--format", "json"], in: home, environment: env).stdout.utf8))
            .array?.first { $0["kind"] == "run" }?["id"]?.string ?? ""
        let undoFirst = try runMxsh(["undo", first], in: home, environment: env)
        #expect(
            undoFirst.status == 0 || undoFirst.stderr.contains("cannot undo: set-credential"), "\(undoFirst.stderr)")
        #expect(liveDomains(try state(cmURL, "cleanmail")) == cmBefore, "undo restores cleanmail's domains exactly")
    }
}
