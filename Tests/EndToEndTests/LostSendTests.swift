import Foundation
import MXJSON
import Testing

/// A mail whose answer was lost (the sandbox sends it and drops the reply): the journal
/// keeps it `sent` (unknown), never `failed`, and a resume does not send it again, so no
/// mail goes twice. An upload whose answer was lost sent nothing: that send failed.
@Suite(.serialized)
struct LostSendTests {
    @Test func aMailWhoseAnswerWasLostIsUnknownAndNeverSentTwice() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let server = try SandboxCommandTests.Server(
            [
                "--port", String(SandboxCommandTests.freeBasePort()), "--seed", "demo", "--drop-rate", "0.25",
                "--drop-after-apply", "--retry-after", "0"
            ], in: home)
        defer { _ = server.stop() }
        var env = testEnvironment(home: home)
        env["CM_TOKEN"] = "sandbox-token"
        let connect = "connect cleanmail as cm url=\"\(server.url("cleanmail"))\" token=env(\"CM_TOKEN\")\n"
        let subjects = (1...8).map { "Lost \($0)" }
        let script = home.appendingPathComponent("send.mxsh")
        try
            (connect + "let nancy = cm.user \"nancy@northwind-mail.com\"\n"
            + subjects.map { "send-mail nancy to=[\"kim@contoso-cm.net\"] subject=\"\($0)\"\n" }.joined())
            .write(to: script, atomically: true, encoding: .utf8)
        let run = try runMxsh(["run", script.path, "--on-error", "continue"], in: home, environment: env)
        let runs = try runMxsh(["runs", "--format", "json"], in: home, environment: env)
        let id = try #require(try JSON.parse(Array(runs.stdout.utf8)).array?.first?["id"]?.string, "\(run.stderr)")

        func delivered() throws -> [Int] {
            let count = home.appendingPathComponent("count.mxsh")
            try
                (connect + "let inbox = ((folders of cm.user \"kim@contoso-cm.net\") where path = \"INBOX\")[0]\n"
                + subjects.map { "print count(messages of inbox where subject = \"\($0)\")\n" }.joined())
                .write(to: count, atomically: true, encoding: .utf8)
            let r = try runMxsh(["run", count.path, "--no-journal"], in: home, environment: env)
            #expect(r.status == 0, "\(r.stderr)")
            return r.stdout.split(separator: "\n").compactMap { Int($0) }
        }
        let show = try runMxsh(["runs", "show", id, "--format", "json"], in: home, environment: env)
        let states = (try JSON.parse(Array(show.stdout.utf8))["changes"]?.array ?? []).compactMap {
            $0["state"]?.string
        }
        let first = try delivered()
        #expect(first.count == 8 && states.count == 8, "\(first) \(states) \(run.stderr) \(show.stdout)")
        for (state, n) in zip(states, first) {
            #expect(n <= 1, "never twice: \(first)")
            if state == "done" { #expect(n == 1, "done is delivered: \(states) \(first)") }
            if state == "failed" { #expect(n == 0, "failed is not delivered: \(states) \(first) \(run.stderr)") }
        }
        guard states.contains(where: { $0 != "done" }) else { return }
        let resume = try runMxsh(["resume", id, "--on-error", "continue"], in: home, environment: env)
        let after = try delivered()
        #expect(after.allSatisfy { $0 <= 1 }, "a resume sends no mail twice: \(states) \(first) -> \(after)")
        for (i, state) in states.enumerated() where state == "sent" {
            #expect(after[i] == first[i], "an unknown mail is not sent again: \(states) \(first) -> \(after)")
            #expect(resume.stderr.contains("not sent again: its answer was lost"), "\(resume.stderr)")
        }
    }
}
