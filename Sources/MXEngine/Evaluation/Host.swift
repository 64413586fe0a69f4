import MXLanguage

/// How results leave the engine. The library does no terminal I/O: the executable,
/// the tests and the REPL each supply a host.
public protocol Host: AnyObject {
    /// Results (`print`, `list`, `show`): stdout.
    func output(_ text: String)
    /// Progress, change summaries, warnings: stderr.
    func message(_ text: String)
    var format: OutputFormat { get }
    /// Columns available for tables, when writing to a terminal.
    var terminalWidth: Int? { get }
    /// An `assert` failed. True: recorded, the script goes on (`mxsh test`); false: the
    /// failure is a runtime error, as anywhere else.
    func assertionFailed(_ failure: Diagnostic) -> Bool
    /// A `print` line (text, never a rendered value).
    func printed(_ text: String)
    /// A result written in parts as it is read (a JSON listing, element by element), so
    /// that a long one is never held whole: the parts together are the text `output`
    /// would have been given. A result whose `.closing` part never comes was cut short
    /// by an error (a page the vendor refused), and must not pass for a whole one.
    func outputPart(_ text: String, _ part: OutputPart)
}

/// Where a part of a streamed result stands in it.
public enum OutputPart: Sendable {
    case opening, continuing, closing
}

extension Host {
    public func assertionFailed(_ failure: Diagnostic) -> Bool { false }
    /// Text, where `output` may carry a rendered value: a host that writes one JSON
    /// document keeps the two apart; others print both alike.
    public func printed(_ text: String) { output(text) }
    /// Hosts that print as they go need nothing more than `output`.
    public func outputPart(_ text: String, _ part: OutputPart) { if !text.isEmpty { output(text) } }
}

public enum OutputFormat: String, CaseIterable, Sendable {
    case table, json, csv
}

/// Collects output in memory; for tests and `-c` capture.
public final class BufferHost: Host {
    public private(set) var stdout = ""
    public private(set) var stderr = ""
    public var format: OutputFormat
    public var terminalWidth: Int? = nil

    public init(format: OutputFormat = .table) { self.format = format }
    public func output(_ text: String) { stdout += text }
    public func message(_ text: String) { stderr += text }
}
