import MXLanguage

/// An error while running a statement, located in the script like a parse error.
public struct RuntimeError: Error {
    public var message: String
    public var range: SourceRange
    public var notes: [Diagnostic.Note]

    public init(_ message: String, at range: SourceRange, notes: [Diagnostic.Note] = []) {
        self.message = message
        self.range = range
        self.notes = notes
    }

    /// Calls between the innermost and the outermost that `noteCall` left out.
    var callsLeftOut = 0
    /// The text `range` is in: the innermost def's, once the error has left one (in the
    /// shell, a def may come from an earlier entry).
    var source: Source?

    public var diagnostic: Diagnostic {
        var d = Diagnostic(message, at: range, notes: notes, kind: .runtime)
        d.source = source
        return d
    }

    /// Notes the call of a def the error passed through on its way out. A deep chain
    /// keeps the four innermost calls and the outermost, the line that started it, and
    /// counts the ones between.
    mutating func noteCall(_ name: String, at range: SourceRange, in source: Source) {
        let note = Diagnostic.Note("in '\(name)', called here", at: range, in: source)
        let calls = notes.indices.filter { notes[$0].message.hasPrefix("in '") && notes[$0].range != nil }
        guard calls.count >= 5, let outermost = calls.last else {
            notes.append(note)
            return
        }
        // The level left out goes whole: its call, and what its loops noted after it
        // (`while on FILE row N`).
        notes.removeSubrange((outermost + 1)...)
        notes[outermost] = note
        callsLeftOut += 1
        let between = Diagnostic.Note("... and \(callsLeftOut) more call\(callsLeftOut == 1 ? "" : "s") between")
        if callsLeftOut == 1 { notes.insert(between, at: outermost) } else { notes[outermost - 1] = between }
    }
}

/// Ctrl-C (or another cancellation) stopped the running statement.
public struct Cancelled: Error {}

/// What `run` says of a value it will not use, and `check` of the same value written out:
/// one text for both, so the two cannot drift apart.
enum Refusal {
    static let secretJoined = "a secret cannot be joined to text"
    static let secretAsText = "a secret cannot be turned into text"
    static let secretInString = "a secret cannot be put into a string"
    static let secretInStringNote = Diagnostic.Note("pass it directly as an option, like password=secret(\"name\")")
    static let loopNote = Diagnostic.Note("loop over a list, a collection like domains, or csv(\"file\")")
}
