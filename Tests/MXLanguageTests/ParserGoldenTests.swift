import Foundation
import MXEngine
import MXLanguage
import Testing

let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

/// Each `Golden/<case>.mxsh` parses to exactly `Golden/<case>.ast` (S-expressions with
/// line:column). Regenerate one with `mxsh parse FILE > FILE.ast` and review the diff.
struct ParserGoldenTests {
    static var cases: [String] {
        let dir = testsDirectory.appendingPathComponent("Golden").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .filter { $0.hasSuffix(".mxsh") }.sorted()
    }

    @Test("AST golden", arguments: cases)
    func golden(_ name: String) throws {
        let dir = testsDirectory.appendingPathComponent("Golden")
        let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
        let expected = try String(
            contentsOf: dir.appendingPathComponent(name.replacingOccurrences(of: ".mxsh", with: ".ast")),
            encoding: .utf8)
        let source = Source(name: name, text: text)
        // As in a REPL where os and m are connected: `os.domain "x"` and `m.domain r.domain`
        // are lookups there, while `r.domain` stays a field.
        let (program, diagnostics) = parse(source, commands: CommandTable.standard, connections: ["os", "m"])
        #expect(diagnostics.isEmpty, "\(DiagnosticList(diagnostics).render(in: source))")
        #expect(dump(program) == expected)
    }

    /// DESIGN.md's "language by example" must parse as written.
    @Test func designExamplesParse() throws {
        let url = testsDirectory.appendingPathComponent("Fixtures/design-examples.mxsh")
        let text = try String(contentsOf: url, encoding: .utf8)
        let source = Source(name: "design-examples.mxsh", text: text)
        let (program, diagnostics) = parse(source, commands: CommandTable.standard)
        #expect(diagnostics.isEmpty, "\(DiagnosticList(diagnostics).render(in: source))")
        #expect(program.statements.count == 29)  // every example, multi-line blocks as one
    }
}
