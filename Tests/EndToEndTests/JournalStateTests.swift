import Foundation
import MXHTTP
import MXJSON
import Testing

/// Every change of every run is in one state (queued, sent, done, failed, skipped,
/// refused), decided by the before-state the journal holds: an add whose alias or
/// object was there before the run is never taken back, and one whose answer was lost
/// (the sandbox applies it and drops the reply) is still the run's, and undone.
@Suite(.serialized)
struct JournalStateTests {
    static let states: Set<String> = ["queued", "sent", "done", "failed", "skipped", "refused"]

    /// Cleanmail's live domains and their aliases, from the sandbox's own store.
    static func cleanmail(_ url: String) throws -> [String: Set<String>] {
        let state = try JSON.parse(try sandboxReader.sendBlocking(HTTPRequest(.GET, url + "/_sandbox/state")).body)
        var names: [String: String] = [:]
        for d in state["domains"]?.array ?? [] where d["status"]?.string != "DELETED" {
            if let id = d["id"]?.string, let name = d["name"]?.string { names[id] = name }
        }
        var out = Dictionary(uniqueKeysWithValues: names.values.map { ($0, Set<String>()) })
        for a in state["aliases"]?.array ?? [] {
            guard let d = a["domainId"]?.string, let domain = names[d], let name = a["name"]?.string else { continue }
            out[domain, default: []].insert(name)
        }
        return out
    }

    func newestRun(_ home: URL, _ env: [String: String]) throws -> JSON {
        let runs = try runMxsh(["runs", "--format", "json"], in: home, environment: env)
        return try #require(try JSON.parse(Array(runs.stdout.utf8)).array?.first, "\(runs.stdout)\(runs.stderr)")
    }

    func shown(_ id: String, _ home: URL, _ env: [String: String]) throws -> JSON {
        let show = try runMxsh(["runs", "show", id, "--format", "json"], in: home, environment: env)
        #expect(show.status == 0, "\(show.stderr)")
        return try JSON.parse(Array(show.stdout.utf8))
    }

    @Test func lostAnswersAreTheRunsAndUndoTakesThemBack() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let port = SandboxCommandTests.freeBasePort()
        let server = try SandboxCommandTests.Server(
            [
                "--port", String(port), "--seed", "demo", "--drop-rate", "0.25",
                "--drop-after-apply", "--retry-after", "0"
            ], in: home)
        defer { _ = server.stop() }
        var env = testEnvironment(home: home)
        env["CM_TOKEN"] = "sandbox-token"
        let url = server.url("cleanmail")
        let before = try Self.cleanmail(url)
        let script = home.appendingPathComponent("lost.mxsh")
        try """
        connect cleanmail as cm url="\(url)" token=env("CM_TOKEN")
        create-domain "lost-a.example" destination="10.0.0.1"
        create-domain "lost-b.example" destination="10.0.0.1"
        for d in cm.domains where name ~ "lost-*" <
          add-alias d "one-${d.name}"
          add-alias d "two-${d.name}"
          add-alias d "three-${d.name}"
        >
        """.write(to: script, atomically: true, encoding: .utf8)
        let run = try runMxsh(["run", script.path], in: home, environment: env)
        #expect(run.status == 0, "\(run.stderr)")
        let id = try #require(try newestRun(home, env)["id"]?.string)
        let changes = try #require(try shown(id, home, env)["changes"]?.array)
        #expect(changes.count == 8, "\(changes)")
        #expect(
            changes.allSatisfy { $0["state"]?.string == "done" },
            "every change done, whatever a re-sent request was told: \(changes)")

        let undo = try runMxsh(["undo", id], in: home, environment: env)
        // A DELETE whose answer was lost is sent again and meets 422 "already deleted": the
        // domain was there before and is gone after, so the undo did it.
        #expect(undo.status == 0, "\(undo.stderr)")
        #expect(try Self.cleanmail(url) == before, "undo leaves nothing the run made behind")
    }

    @Test func whatWasThereBeforeTheRunIsNeverTakenBack() throws {
        let sandbox = try SandboxHome()
        defer { sandbox.close() }
        let home = sandbox.home
        let server = sandbox.server
        let env = sandbox.env
        let url = server.url("cleanmail")
        let before = try Self.cleanmail(url)
        let (domain, aliases) = try #require(
            before.first { !$0.value.isEmpty }, "a seeded domain with aliases: \(before)")
        let alias = try #require(aliases.sorted().first)
        let script = home.appendingPathComponent("again.mxsh")
        try """
        connect cleanmail as cm url="\(url)" token=env("CM_TOKEN")
        add-alias (domain "\(domain)") "\(alias)"
        add-alias (domain "\(domain)") "new-\(alias)"
        """.write(to: script, atomically: true, encoding: .utf8)
        #expect(try runMxsh(["run", script.path], in: home, environment: env).status == 0)
        let id = try #require(try newestRun(home, env)["id"]?.string)
        let states = try #require(try shown(id, home, env)["changes"]?.array).compactMap { $0["state"]?.string }
        #expect(states == ["skipped", "done"], "\(states)")

        let csv = try runMxsh(["runs", "show", id, "--format", "csv"], in: home, environment: env)
        let lines = csv.stdout.split(separator: "\n")
        #expect(
            lines.first == "seq,state,operation,kind,key,connection,location,csvRow,answer,fields", "\(csv.stdout)")
        #expect(
            lines.count == 3 && lines[1].hasPrefix("1,skipped,add-alias,") && lines[2].hasPrefix("2,done,add-alias,"),
            "\(csv.stdout)")
        // What each change set, as the table shows it.
        #expect(lines[2].hasSuffix(",\"alias=\"\"new-\(alias)\"\"\""), "\(csv.stdout)")
        let runsCSV = try runMxsh(["runs", "--format", "csv"], in: home, environment: env)
        #expect(
            runsCSV.stdout.hasPrefix(
                "id,kind,status,started,finished,done,failed,sent,queued,skipped,refused,parent,script,resumedBy\n"),
            "\(runsCSV.stdout)")

        #expect(try runMxsh(["undo", id], in: home, environment: env).status == 0)
        #expect(try Self.cleanmail(url) == before, "the alias there before the run stays; the new one goes")
        let all = try runMxsh(["runs", "--format", "json"], in: home, environment: env)
        for run in try JSON.parse(Array(all.stdout.utf8)).array ?? [] {
            for c in try shown(run["id"]?.string ?? "", home, env)["changes"]?.array ?? [] {
                #expect(Self.states.contains(c["state"]?.string ?? ""), "\(c)")
            }
        }
    }

    @Test func aDamagedJournalIsAnErrorOnEveryCommandBeforeAnythingIsSent() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let script = home.appendingPathComponent("many.mxsh")
        try """
        connect memory as m seed=300
        for d in domains < add-alias d "more-${d.name}" >
        print "after the changes"
        """.write(to: script, atomically: true, encoding: .utf8)
        #expect(try runMxsh(["run", script.path], in: home).status == 0)
        let id = try #require(
            try JSON.parse(Array(try runMxsh(["runs", "--format", "json"], in: home).stdout.utf8)).array?
                .first?["id"]?.string)
        // A page in the middle of the journal overwritten.
        let path = home.appendingPathComponent("state/mxsh/journal.sqlite").path
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        let pages = try handle.seekToEnd() / 4096
        try handle.seek(toOffset: pages / 2 * 4096)
        handle.write(Data(repeating: 0xFF, count: 4096))
        try handle.close()

        for arguments in [
            ["runs"], ["runs", "show", id], ["resume"], ["resume", id], ["undo"], ["undo", id], ["run", script.path]
        ] {
            let r = try runMxsh(arguments, in: home)
            #expect(r.status == 1, "\(arguments): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains("the journal \(path) is damaged"), "\(arguments): \(r.stderr)")
            #expect(!r.stdout.contains("after the changes"), "\(arguments): the run stopped at its first change")
        }
    }
}
