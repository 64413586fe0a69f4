import Foundation
import MXEngine
import MXLanguage
import Testing

/// The grammar files in grammar/ must keep up with the command table and the keywords.
struct GrammarFilesTests {
    let grammarDirectory = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("grammar")

    @Test func ebnfNamesEveryCommandAndKeyword() throws {
        let ebnf = try String(contentsOf: grammarDirectory.appendingPathComponent("mxsh.ebnf"), encoding: .utf8)
        for name in CommandTable.standard.names { #expect(ebnf.contains("\"\(name)\""), "mxsh.ebnf lacks \(name)") }
        for k in Keyword.allCases { #expect(ebnf.contains("\"\(k.rawValue)\""), "mxsh.ebnf lacks \(k.rawValue)") }
    }

    /// The vendors' own commands are added to the table on first use: none may share a
    /// built-in's name (it would be hidden), and each is found by name like a built-in.
    @Test func everyCommandNameIsOneCommand() {
        let names = CommandTable.standard.names
        #expect(Set(names).count == names.count, "\(names.sorted())")
        for name in names { #expect(CommandTable.standard.declaration(name)?.name == name, "\(name)") }
        #expect(CommandTable.standard.signature(of: "release") != nil)
    }

    @Test func textMateGrammarIsValidAndKnowsEveryCommand() throws {
        let data = try Data(contentsOf: grammarDirectory.appendingPathComponent("mxsh.tmLanguage.json"))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(json?["scopeName"] as? String == "source.mxsh")
        let text = String(decoding: data, as: UTF8.self)
        for name in CommandTable.standard.names { #expect(text.contains(name), "the TextMate grammar lacks \(name)") }
        for f in builtinFunctions { #expect(text.contains(f.name), "the TextMate grammar lacks \(f.name)") }
    }
}
