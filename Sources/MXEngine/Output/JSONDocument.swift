import MXJSON

/// `--format json` for a script: stdout is one JSON document, `{"output": [...], ...}`,
/// where each result (`list`, `show`, a value) is its JSON value and each `print` line a
/// string, and the run's facts follow `output`. It is written as the results come, not
/// kept to the end, so a JSON listing of 100,000 domains streams (issue 11).
///
/// Unknown is never empty: a listing cut short by an error (a page the vendor refused)
/// is never closed, and nothing more is written, so the document on stdout is not valid
/// JSON and cannot pass for a whole, shorter listing; the error is on stderr and the
/// run's exit status is not 0.
public struct JSONDocument {
    private let write: (String) -> Void
    private var items = 0
    /// A streamed result has begun and not yet ended.
    private var partOpen = false
    /// A streamed result never ended: the document is left unfinished.
    public private(set) var isCut = false

    public init(write: @escaping (String) -> Void) { self.write = write }

    /// A whole result: its JSON when the text is JSON, else the text as a string.
    public mutating func add(_ text: String) {
        element((try? JSON.parse(Array(text.utf8)))?.text ?? Self.line(text))
    }

    /// A `print` line, as a string.
    public mutating func addPrinted(_ text: String) { element(Self.line(text)) }

    /// Part of a result written as it is read (`Host.outputPart`).
    public mutating func addPart(_ text: String, _ part: OutputPart) {
        switch part {
        case .opening:
            element(text)
            partOpen = !isCut
        case .continuing, .closing:
            guard partOpen else { return }
            write(text)
            if part == .closing { partOpen = false }
        }
    }

    /// Ends the document with `fields` after `output`; false, and the document left
    /// unfinished, when a streamed result was cut short.
    public mutating func end(_ fields: [(String, JSON)]) -> Bool {
        if partOpen { isCut = true }
        guard !isCut else {
            write("\n")
            return false
        }
        if items == 0 { write("{\"output\":[") }
        write("]" + fields.map { "," + JSON.string($0.0).text + ":" + $0.1.text }.joined() + "}\n")
        return true
    }

    private mutating func element(_ json: String) {
        // A result that begins while a streamed one is still open: the open one was cut.
        if partOpen {
            isCut = true
            partOpen = false
        }
        guard !isCut else { return }
        write(items == 0 ? "{\"output\":[" : ",")
        write(json)
        items += 1
    }

    private static func line(_ text: String) -> String {
        JSON.string(text.hasSuffix("\n") ? String(text.dropLast()) : text).text
    }
}
