import Foundation
import MXLanguage
import Testing

@testable import MXEngine

/// A long script is checked on a second thread while it is parsed (`parseAndCheck`).
/// Whatever the script, the answer must be the one parsing, then checking, gives.
struct ParseAndCheckTests {
    /// What `parse` then `check` say, rendered (message, place, excerpt and notes).
    func inOrder(_ source: Source, connections: Set<String> = []) -> String {
        let (program, parseErrors) = parse(source, commands: CommandTable.standard, connections: connections)
        let errors = parseErrors.isEmpty ? check(program) : parseErrors
        return DiagnosticList(errors).render(in: source)
    }

    func onTwoThreads(_ source: Source, batchSize: Int, connections: Set<String> = []) -> String {
        let (_, errors) = parseAndCheck(source, connections: connections, batchSize: batchSize, threshold: 0)
        return DiagnosticList(errors).render(in: source)
    }

    static let scripts: [String] = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../EndToEndTests/Scripts").standardized.path
        let all = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        return all.filter { $0.hasSuffix(".mxsh") }.sorted().map { root + "/" + $0 }
    }()

    /// Every golden script, whole statements handed over one at a time and three at a time.
    @Test func everyGoldenScriptGetsTheSameAnswer() {
        #expect(Self.scripts.count > 100)
        for path in Self.scripts {
            // A script that is not UTF-8 (a golden test of that error) has nothing to parse.
            guard let text = try? readTextFile(path) else { continue }
            let source = Source(name: path, text: text)
            let expected = inOrder(source)
            for batch in [1, 3] {
                #expect(onTwoThreads(source, batchSize: batch) == expected, "\(path), batches of \(batch)")
            }
        }
    }

    /// The cases where a check made while parsing cannot know the answer: a def further
    /// down decides it. Each is checked again in order, and says what that check says.
    @Test(arguments: [
        // a def's body calls a def further down with the wrong number of arguments
        "def a < b 1 2 >\ndef b x < print x >\na\n",
        // a def inside a def takes the name of a top-level def further down
        "def a < def b < print 1 > >\ndef b < print 2 >\na\n",
        // a def's parameter named as a def further down: read bare, it is that def's call
        // (with too few arguments), which only the def further down can say
        "def a b < b >\ndef b x < print x >\na 1\n",
        // a call before its def, at the top level
        "f 1\ndef f x < print x >\n",
        // no error at all, with defs calling each other
        "def even n < if (n = 0) < return true > >\ndef odd n < return even(n - 1) >\nprint odd(3)\n"
    ])
    func aDefFurtherDownDecides(_ text: String) {
        let source = Source(name: "t.mxsh", text: text)
        for batch in [1, 2, 100] { #expect(onTwoThreads(source, batchSize: batch) == inOrder(source)) }
    }

    /// The case above that only the names noted along the way catch: checked a statement
    /// at a time, nothing is wrong until the def further down is known.
    @Test func aNameNotedAlongTheWayMakesTheCheckBeDoneAgain() {
        let source = Source(name: "t.mxsh", text: "def a b < b >\ndef b x < print x >\na 1\n")
        var checker = Checker(commands: .standard, context: CheckContext(), source: source)
        checker.streaming = true
        let (program, _) = parse(source, commands: CommandTable.standard)
        checker.collectDefs([program.statements[0]])
        checker.checkBlock([program.statements[0]])
        #expect(checker.diagnostics.isEmpty)
        #expect(checker.namesNotYetDefs == ["b"])
        #expect(inOrder(source).contains("'b' takes 1 argument(s), given 0"))
    }

    /// The benchmark's script: nothing wrong, so the check made while parsing is kept.
    @Test func aLongCleanScriptIsClean() {
        var lines = ["connect memory as m seed=\"demo\"", "let d0 = domain \"got.com\""]
        for i in 1...3_000 {
            lines += [
                "let d\(i) = domain \"d\(i).net\"",
                "if d\(i - 1).status = DISABLED < print \"disabled:\" d\(i - 1).name > else < print \"ok\" >",
                "for x in domains where status=ENABLED and name~\"*.net\" < add-alias x \"a-\(i).example\" >"
            ]
        }
        let source = Source(name: "long.mxsh", text: lines.joined(separator: "\n") + "\n")
        #expect(onTwoThreads(source, batchSize: 256) == "")
        #expect(inOrder(source) == "")
        let (program, _) = parseAndCheck(source, threshold: 0)
        #expect(program.statements.count == lines.count)
    }
}
