import Foundation
import Testing

/// What a long bulk run shows and keeps: progress lines when stderr is not a
/// terminal, the CSV row of each change (journal, errors, failed-changes export), and
/// `--limit N` rehearsing a migration on the first N domains.
struct BulkRunTests {
    @Test func csvRowsAreNamedInErrorsAndKeptInTheJournal() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        try
            ("name,status,note\nok-1.example,ENABLED,a\n\n\"ok-2.example\",DISABLED,b\nbad.example,BOGUS,\"two\nlines"
            + "\"\n")
            .write(to: home.appendingPathComponent("rows.csv"), atomically: true, encoding: .utf8)
        try """
        connect memory as m
        for r in csv("rows.csv") < create-domain r.name status=r.status >
        """.write(to: home.appendingPathComponent("import.mxsh"), atomically: true, encoding: .utf8)
        let env = testEnvironment(home: home)
        let r = try runMxsh(["run", "import.mxsh"], in: home, environment: env)
        // The third row (it starts on line 5, after a blank line; its note is a quoted
        // field over two lines) has a status no vendor knows: refused before it becomes
        // a change, so nothing is sent or journaled for it, and the error names the row.
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("while on rows.csv row 5"), "\(r.stderr)")
        let runs = try runMxsh(["runs", "--format", "json"], in: home, environment: env)
        let run = try #require(runs.stdout.firstMatch(of: /"id":"([^"]+)"/)?.1)
        let shown = try runMxsh(
            ["runs", "show", String(run), "--format", "json", "--failed-csv", "failed.csv"], in: home, environment: env)
        #expect(shown.stdout.contains("\"csvRow\":2"), "\(shown.stdout)")
        #expect(shown.stdout.contains("\"csvRow\":4"), "\(shown.stdout)")
        #expect(shown.stdout.contains("(rows.csv row 4)"), "\(shown.stdout)")
        let failed = try String(contentsOf: home.appendingPathComponent("failed.csv"), encoding: .utf8)
        #expect(failed.hasPrefix("seq,connection,vendor,kind,key,operation,fields,location,csvRow,answer,state\n"))
        #expect(!failed.contains("bad.example"), "\(failed)")
        #expect(r.stderr.contains("status takes ENABLED or DISABLED, not \"BOGUS\""), "\(r.stderr)")
    }

    @Test func limitRehearsesACopyOnTheFirstDomains() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let script = """
            connect memory as src seed="demo"
            connect memory as dst
            copy domains from src to dst
            print count(dst.domains)
            """
        let r = try runMxsh(["-c", script, "--limit", "2"], in: home)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "2\n")
        #expect(r.stderr.contains("copy 2 domain(s) from src (memory) to dst (memory)"), "\(r.stderr)")
        let bad = try runMxsh(["-c", script, "--limit=-1"], in: home)
        #expect(bad.status != 0, "\(bad.stderr)")
        #expect(bad.stderr.contains("--limit"), "\(bad.stderr)")
        // A plan rehearses as the run would: the limit reaches it through its request too.
        let file = home.appendingPathComponent("copy.mxsh")
        try script.write(to: file, atomically: true, encoding: .utf8)
        let planned = try runMxsh(["plan", file.path, "--limit", "2"], in: home)
        #expect(planned.stderr.contains("copy 2 domain(s) from src (memory) to dst (memory)"), "\(planned.stderr)")
    }

    @Test func progressLinesWhenStderrIsNotATerminal() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        var env = testEnvironment(home: home)
        env["MXSH_PROGRESS_SECONDS"] = "0.2"
        // 60 changes at a sandbox answering in 40 ms, two at a time: over a second.
        let script = """
            connect sandbox latency-ms=40
            use cm
            for d in domains <
              add-alias d "p1-${d.name}"
              add-alias d "p2-${d.name}"
              add-alias d "p3-${d.name}"
              add-alias d "p4-${d.name}"
              add-alias d "p5-${d.name}"
            >
            """
        let r = try runMxsh(["-c", script, "--jobs", "2"], in: home, environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("progress: ") }
        #expect(!lines.isEmpty, "\(r.stderr)")
        #expect(
            lines.allSatisfy {
                $0.contains(" done, ") && $0.contains(" failed, ") && $0.contains(" in flight of ") && $0.contains("/s")
            }, "\(lines)")
    }
}
