import Foundation
import MXHTTP
import MXJSON
import Testing

/// A loop that creates many Proofpoint domains sends them in the document's 207
/// batches (one POST for many), each change journaled with its own item's outcome:
/// one refused item fails alone, one already there is "already as asked", and undo
/// takes back exactly the ones the run made.
@Suite(.serialized)
struct ProofpointBatchRunTests {
    @Test func aLoopOfCreatesGoesInBatchesEachWithItsOutcome() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let server = s.server
        // 300 new domains; got.com is the organisation's already (as asked: unchanged);
        // northwind-shop.example belongs to another organisation (the item's 409).
        var rows = ["name,dest"]
        for i in 1...300 { rows.append("batch-\(i).example,10.9.\(i / 250).\(i % 250)") }
        rows.insert("got.com,10.0.0.5", at: 150)
        rows.insert("northwind-shop.example,10.9.9.9", at: 200)
        _ = try s.script("new.csv", rows.joined(separator: "\n"))
        let script = try s.script(
            "create.mxsh",
            """
            connect proofpoint as pp url="\(server.url("proofpoint"))" org="example.com" user="admin@example.com" \
            password=env("PP_PASSWORD")
            for r in csv("new.csv") < create-domain r.name destination=r.dest >
            """)

        let r = try s.mxsh(["run", script, "--on-error", "continue"])
        #expect(r.status == 1, "one item was refused: \(r.stderr)")
        #expect(r.stderr.contains("northwind-shop.example"), "\(r.stderr)")
        #expect(r.stderr.contains("already exists on the platform"), "\(r.stderr)")

        // Far fewer requests than changes, and at least one of them a batch.
        let log = try sandboxReader.sendBlocking(
            HTTPRequest(.GET, server.url("proofpoint") + "/_sandbox/requests"))
        let posts = try (JSON.parse(log.body).array ?? []).filter {
            $0["method"]?.string == "POST" && $0["path"]?.string == "/api/v1/orgs/example.com/domains"
        }
        #expect(posts.count < 100, "\(posts.count) POSTs for 302 creates")
        #expect(posts.contains { $0["status"]?.int == 207 }, "no batch was sent: \(posts.map { $0["status"] })")
        let domains = try sandboxReader.sendBlocking(
            HTTPRequest(.GET, server.url("proofpoint") + "/_sandbox/state"))
        let held =
            try JSON.parse(domains.body)["example.com"]?["domains"]?.array?.compactMap { $0["name"]?.string } ?? []
        #expect((1...300).allSatisfy { held.contains("batch-\($0).example") }, "\(held.count) domains held")

        // The journal has each change's own outcome.
        let runs = try s.mxsh(["runs", "--format", "json"])
        let run = try #require(runs.stdout.firstMatch(of: /"id":"([^"]+)"/)?.1)
        let shown = try s.mxsh(["runs", "show", String(run), "--format", "json"])
        let changes = try JSON.parse(shown.stdout)["changes"]?.array ?? []
        #expect(changes.count == 302, "\(changes.count)")
        let states = Dictionary(grouping: changes, by: { $0["state"]?.string ?? "?" }).mapValues(\.count)
        #expect(states == ["done": 300, "skipped": 1, "failed": 1], "\(states)")
        #expect(changes.first { $0["key"]?.string == "got.com" }?["state"]?.string == "skipped")
        #expect(
            changes.first { $0["key"]?.string == "northwind-shop.example" }?["answer"]?.string?
                .contains("already exists on the platform") == true)

        // Undo deletes the 300 the run made: not got.com, not the refused one.
        let dry = try s.mxsh(["undo", "--dry-run"])
        #expect(dry.status == 3, "\(dry.stderr)")
        #expect(dry.stdout.contains("batch-300.example"), "\(dry.stdout)")
        #expect(!dry.stdout.contains("\"got.com\""), "\(dry.stdout)")
        #expect(!dry.stdout.contains("northwind-shop.example"), "\(dry.stdout)")
        let undo = try s.mxsh(["undo"])
        #expect(undo.status == 0, "\(undo.stderr)")
        let after = try sandboxReader.sendBlocking(HTTPRequest(.GET, server.url("proofpoint") + "/_sandbox/state"))
        let left = try JSON.parse(after.body)["example.com"]?["domains"]?.array?.compactMap { $0["name"]?.string } ?? []
        #expect(!left.contains { $0.hasPrefix("batch-") }, "\(left)")
        #expect(left.contains("got.com"))
    }
}
