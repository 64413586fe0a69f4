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

    public var diagnostic: Diagnostic { Diagnostic(message, at: range, notes: notes, kind: .runtime) }
}

/// Ctrl-C (or another cancellation) stopped the running statement.
public struct Cancelled: Error {}
