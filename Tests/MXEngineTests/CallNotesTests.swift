import MXLanguage
import Testing

@testable import MXEngine

/// How an error keeps the calls it passed through: the four innermost and the
/// outermost, the rest counted, and each left-out level's loop notes with it.
struct CallNotesTests {
    let source = Source(name: "s.mxsh", text: String(repeating: "x", count: 20))

    @Test func aDeepChainKeepsTheInnermostCallsAndTheOutermost() {
        var e = RuntimeError("boom", at: SourceRange(0, 1))
        for level in 1...10 {
            e.noteCall("f\(level)", at: SourceRange(level, level + 1), in: source)
            e.notes.append(.init("while on rows.csv row \(level)"))
        }
        #expect(
            e.notes.map(\.message) == [
                "in 'f1', called here", "while on rows.csv row 1", "in 'f2', called here", "while on rows.csv row 2",
                "in 'f3', called here", "while on rows.csv row 3", "in 'f4', called here", "while on rows.csv row 4",
                "... and 5 more calls between", "in 'f10', called here", "while on rows.csv row 10"
            ])
        #expect(e.notes[9].range == SourceRange(10, 11))
    }

    @Test func aShortChainKeepsEveryCall() {
        var e = RuntimeError("boom", at: SourceRange(0, 1), notes: [.init("usage: f n")])
        for level in 1...5 { e.noteCall("f", at: SourceRange(level, level + 1), in: source) }
        #expect(e.notes.count == 6 && e.notes[0].message == "usage: f n")
        #expect(!e.notes.contains { $0.message.hasPrefix("...") })
    }
}
