/// One read of the shell's line editor.
public enum EditedLine: Equatable, Sendable {
    case text(String)
    /// Ctrl-C while typing: the line (and any open block) is dropped.
    case interrupted
    /// Ctrl-D, or the input ended.
    case end
}

/// What the shell needs of a line editor: libedit on a terminal (the executable's),
/// a list of lines in tests.
public protocol LineReader: AnyObject {
    func read(prompt: String) -> EditedLine
    /// A statement entered, for the history (never one that carries a credential).
    func remember(_ entry: String)
    /// An entry remembered before that turned out to hold a credential: `let pw = "..."`
    /// once a later line gives `pw` as a password. It leaves the history file too.
    func forget(_ entry: String)
}

/// Lines given in advance, as if typed, then the end of input; it keeps the prompts it
/// was shown and what it was asked to remember, for tests to look at.
public final class ScriptedLineReader: LineReader {
    private var lines: [EditedLine]
    public private(set) var prompts: [String] = []
    public private(set) var history: [String] = []

    public init(_ lines: [EditedLine]) { self.lines = lines }

    /// Each string a typed line.
    public convenience init(typing lines: [String]) { self.init(lines.map(EditedLine.text)) }

    public func read(prompt: String) -> EditedLine {
        prompts.append(prompt)
        return lines.isEmpty ? .end : lines.removeFirst()
    }

    public func remember(_ entry: String) { history.append(entry) }

    public func forget(_ entry: String) { history.removeAll { $0 == entry } }
}
