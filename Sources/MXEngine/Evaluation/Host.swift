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
}

extension Host {
    public func assertionFailed(_ failure: Diagnostic) -> Bool { false }
    /// Text, where `output` may carry a rendered value: a host that writes one JSON
    /// document keeps the two apart; others print both alike.
    public func printed(_ text: String) { output(text) }
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
