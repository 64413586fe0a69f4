import Foundation
import Testing

/// Input that once overflowed the stack (SIGSEGV): long flat chains must run, in `run`
/// and in `check`; truly deep nesting must be a located error, never a crash.
struct DeepInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let script: String
        let stdout: String
        let stderr: String
        let status: Int32
        var testDescription: String { name }
    }

    static let nestedInterpolation: String = {
        var s = "1"
        for _ in 0..<2000 { s = "\"${" + s + "}\"" }
        return "print " + s + "\n"
    }()

    static let cases: [Case] = [
        Case(
            name: "4,000 chained +",
            script: "print (" + Array(repeating: "1", count: 4000).joined(separator: " + ") + ")\n",
            stdout: "4000\n", stderr: "", status: 0),
        Case(
            name: "5,000 or terms in a for's where",
            script: "for x in [1, 2, 3] where " + (0..<5000).map { "x = \($0)" }.joined(separator: " or ")
                + " < print x >\n",
            stdout: "1\n2\n3\n", stderr: "", status: 0),
        Case(
            name: "5,000 or terms in a collection's where",
            script: "connect memory as m seed=\"demo\"\nprint count(domains where "
                + (0..<5000).map { "name = \"x\($0).net\"" }.joined(separator: " or ") + ")\n",
            stdout: "0\n", stderr: "", status: 0),
        Case(
            name: "interpolation nested 2,000 deep", script: nestedInterpolation, stdout: "",
            stderr: "t.mxsh:1:391: error: interpolations nest deeper than 128 levels; build the text in steps with let",
            status: 2),
        Case(
            name: "100,000 chained +",
            script: "print (" + Array(repeating: "1", count: 100_000).joined(separator: " + ") + ")\n",
            stdout: "", stderr: "t.mxsh:1:40006: error: an expression more than 10000 levels deep", status: 2),
        // A chain of lookups or indexes is as deep as a chain of operators: 15,000 of
        // them overflowed the checker's stack (SIGSEGV) before the limit counted them.
        Case(
            name: "15,000 field lookups",
            script: "let r = {a: 1}\nprint r" + String(repeating: ".a", count: 15_000) + "\n",
            stdout: "", stderr: "t.mxsh:2:20007: error: an expression more than 10000 levels deep", status: 2),
        // Within the limit, a long chain is checked and run in a loop, not a level of
        // recursion a link: the run reaches the second link, whose base is a number.
        Case(
            name: "7,000 field lookups",
            script: "let r = {a: 1}\nprint r" + String(repeating: ".a", count: 7_000) + "\n",
            stdout: "", stderr: "t.mxsh:2:7: error: a number has no field 'a'", status: 1),
        // A lookup's argument is parsed as a bracket's is: nested, and counted so.
        Case(
            name: "12,000 lookups in one another",
            script: "connect memory as m seed=\"demo\"\nprint " + String(repeating: "m.domain ", count: 12_000)
                + "\"got.com\"\n",
            stdout: "", stderr: "t.mxsh:2:1161: error: nesting is deeper than 128 levels", status: 2),
        Case(
            name: "12,000 indexes",
            script: "let r = [1]\nprint r" + String(repeating: "[0]", count: 12_000) + "\n",
            stdout: "", stderr: "t.mxsh:2:30007: error: an expression more than 10000 levels deep", status: 2),
        // Parentheses let a chain go on inside another: three of 4,000 are 12,000 deep
        // (freeing ten of 19,000 overflowed the stack at the end of a run).
        Case(
            name: "chains of 4,000 inside chains",
            script: "print " + (0..<3).reduce("1") { s, _ in "(" + s + String(repeating: " + 1", count: 4000) + ")" }
                + "\n",
            stdout: "", stderr: "t.mxsh:1:40010: error: an expression more than 10000 levels deep", status: 2),
        Case(
            name: "5,000 nested parentheses",
            script: "print " + String(repeating: "(", count: 5000) + "1"
                + String(repeating: ")", count: 5000) + "\n",
            stdout: "", stderr: "t.mxsh:1:135: error: nesting is deeper than 128 levels", status: 2)
    ]

    @Test(arguments: cases)
    func runsOrFailsWithALocatedError(_ c: Case) throws {
        let work = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        try c.script.write(to: work.appendingPathComponent("t.mxsh"), atomically: true, encoding: .utf8)
        for mode in ["run", "check"] {
            let r = try runMxsh([mode, "t.mxsh"], in: work)
            // `check` finds what parses or checks wrong (2); a run-time error (1) it cannot.
            let expectedStatus: Int32 = mode == "check" && c.status != 2 ? 0 : c.status
            #expect(r.status == expectedStatus, "\(mode): \(r.stderr.prefix(400))")
            if mode == "run" { #expect(r.stdout == c.stdout) }
            let expectedError = expectedStatus == 0 ? "" : c.stderr
            #expect(r.stderr.hasPrefix(expectedError), "\(mode): \(r.stderr.prefix(400))")
        }
    }

    /// A def nesting 45 blocks and calling itself 199 times is within both limits (128
    /// levels, 200 calls) but went past an 8 MB stack and died on SIGSEGV. Near the end of
    /// the stack the script is stopped with an error at its line, the innermost calls,
    /// and the call that began it. The test nests 120 blocks, 24,000 levels in all, past
    /// 8 MB in a release build as in a debug one (a debug frame is about four times
    /// larger). The stack is set to Linux's usual 8 MB: with no limit the script runs.
    @Test func blocksInsideDeepCallsStopBeforeTheStackEnds() throws {
        let work = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        var lines = ["def walk n <"]
        for _ in 0..<120 { lines.append("if true <") }
        lines.append("if (n > 0) < walk (n - 1) >")
        lines += Array(repeating: ">", count: 120) + [">", "print \"start\"", "walk 199"]
        try (lines.joined(separator: "\n") + "\n").write(
            to: work.appendingPathComponent("t.mxsh"), atomically: true, encoding: .utf8)
        #expect(try runMxsh(["check", "t.mxsh"], in: work).status == 0)
        let r = try runProcess("/bin/sh", ["-c", "ulimit -s 8192 && exec \"$0\" run t.mxsh", mxshBinary], in: work)
        #expect(r.status == 1, "\(r.status): \(r.stderr.suffix(600))")
        #expect(r.stdout == "start\n")
        #expect(r.stderr.contains("error: blocks and def calls nest too deep here ("), "\(r.stderr.prefix(300))")
        #expect(r.stderr.contains("more calls between"), "\(r.stderr.suffix(600))")
        #expect(
            r.stderr.hasSuffix("t.mxsh:245:1: note: in 'walk', called here\n 245 | walk 199\n     | ^^^^^^^^\n"),
            "\(r.stderr.suffix(300))")
    }
}
