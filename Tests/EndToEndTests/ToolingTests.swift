import Foundation
import Testing

/// `mxsh fmt` and `mxsh test` as a user runs them.
struct ToolingTests {
    @Test func fmtRewritesAndCheckNamesFilesThatWouldChange() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let messy = dir.appendingPathComponent("messy.mxsh")
        try "for d in x < print  d; print 1 >\n".write(to: messy, atomically: true, encoding: .utf8)
        let check = try runMxsh(["fmt", "--check", "messy.mxsh"], in: dir)
        #expect(check.status == 1)
        #expect(check.stdout == "messy.mxsh\n")
        let fmt = try runMxsh(["fmt", "messy.mxsh"], in: dir)
        #expect(fmt.status == 0, "\(fmt.stderr)")
        #expect(try String(contentsOf: messy, encoding: .utf8) == "for d in x <\n  print d\n  print 1\n>\n")
        #expect(try runMxsh(["fmt", "--check", "messy.mxsh"], in: dir).status == 0)

        try "for d in <\n".write(to: messy, atomically: true, encoding: .utf8)
        let broken = try runMxsh(["fmt", "messy.mxsh"], in: dir)
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("does not parse; left as it is"))
        #expect(try String(contentsOf: messy, encoding: .utf8) == "for d in <\n")
    }

    @Test func testReportsEachFailedAssertionWithItsValuesAndWritesJUnit() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
        connect sandbox
        let x = 2
        assert x = 3 "x is three"
        assert count(cm.domains) = 12
        assert (x > 1)
        print "reached the end"

        """.write(to: dir.appendingPathComponent("a.test.mxsh"), atomically: true, encoding: .utf8)
        // A runbook and its test: the runbook runs first, on a sandbox of its own.
        try "connect sandbox\ndelete-domain cm.domain \"contoso-cm.net\"\n"
            .write(to: dir.appendingPathComponent("b.mxsh"), atomically: true, encoding: .utf8)
        try "assert count(cm.domains) = 11\n"
            .write(to: dir.appendingPathComponent("b.test.mxsh"), atomically: true, encoding: .utf8)
        let r = try runMxsh(["test", "--junit", "junit.xml"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("FAIL a.test.mxsh\na.test.mxsh:3:8: error: assertion failed: x is three"))
        #expect(r.stdout.contains("  note: left:  2\n  note: right: 3\n"))
        #expect(!r.stdout.contains("a.test.mxsh:4:"), "the sandbox is fresh: cm has its 12 demo domains")
        #expect(r.stdout.contains("PASS b.test.mxsh"), "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("1 passed, 1 failed (1 failed assertion) in 2 test scripts"))
        let junit = try String(contentsOf: dir.appendingPathComponent("junit.xml"), encoding: .utf8)
        #expect(junit.contains("<testsuites tests=\"2\" failures=\"1\">"))
        #expect(junit.contains("<failure message=\"a.test.mxsh:3:8: error: assertion failed: x is three\">"))
    }

    /// A value with a control character (a vendor's may hold one) in a failed assertion:
    /// the JUnit report still parses, the character written as U+0001.
    @Test func aJUnitReportHoldsNoCharacterXMLCannot() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "let x = \"a<b&\\u{1}\"\nassert x = \"zz\"\n".write(
            to: dir.appendingPathComponent("c.test.mxsh"), atomically: true, encoding: .utf8)
        let r = try runMxsh(["test", "--junit", "junit.xml"], in: dir)
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        let junit = try Data(contentsOf: dir.appendingPathComponent("junit.xml"))
        #expect(!junit.contains(1), "a raw U+0001 makes the XML ill-formed")
        let text = String(decoding: junit, as: UTF8.self)
        #expect(text.contains("a&lt;b&amp;U+0001"), "\(text)")
    }

    /// `mxsh test` runs `X.test.mxsh` after the runbook `X.mxsh`: `check` and `fmt` read it
    /// after the runbook too (its connections, variables and defs), so they accept it.
    @Test func aTestIsCheckedAndFormattedAfterItsRunbook() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "connect sandbox\nlet keep = \"contoso-cm.net\"\ndef named n < print n >\n"
            .write(to: dir.appendingPathComponent("c.mxsh"), atomically: true, encoding: .utf8)
        let test = "assert (cm.domain keep).name = keep\nnamed keep\n"
        try test.write(to: dir.appendingPathComponent("c.test.mxsh"), atomically: true, encoding: .utf8)
        let checked = try runMxsh(["check", "c.test.mxsh"], in: dir)
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(try runMxsh(["fmt", "--check", "c.test.mxsh"], in: dir).status == 0)
        #expect(try runMxsh(["test", "c.test.mxsh"], in: dir).status == 0)
        // Without its runbook, the same text names nothing it knows.
        try test.write(to: dir.appendingPathComponent("alone.test.mxsh"), atomically: true, encoding: .utf8)
        let alone = try runMxsh(["check", "alone.test.mxsh"], in: dir)
        #expect(alone.status == 2)

        let runbooks = try FileManager.default.contentsOfDirectory(
            atPath: packageRoot.appendingPathComponent("scripts/runbooks").path
        ).filter { $0.hasSuffix(".mxsh") }.sorted().map { "scripts/runbooks/" + $0 }
        #expect(runbooks.count(where: { $0.hasSuffix(".test.mxsh") }) >= 8)
        for file in runbooks {
            let r = try runMxsh(["check", file], in: packageRoot)
            #expect(r.status == 0, "\(file): \(r.stderr)")
        }
        let fmt = try runMxsh(["fmt", "--check"] + runbooks, in: packageRoot)
        #expect(fmt.status == 0, "\(fmt.stdout)\(fmt.stderr)")
    }

    @Test func theRunbooksPassTheirTests() throws {
        let r = try runMxsh(["test", "scripts/runbooks"], in: packageRoot)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("10 passed, 0 failed"))
    }
}

/// docs/ is what `mxsh docs` writes from the tables today.
struct DocsTests {
    @Test func docsAreNotStale() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runMxsh(["docs", dir.path], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let generated = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".md") }
        #expect(generated.count >= 6)
        for name in generated {
            let fresh = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            let committed = try? String(contentsOf: packageRoot.appendingPathComponent("docs/" + name), encoding: .utf8)
            #expect(committed == fresh, "docs/\(name) is stale: run scripts/docs.sh")
        }
    }
}
