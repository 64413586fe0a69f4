import MXEngine
import MXJSON

#if canImport(Glibc)
    import Glibc
#endif

/// Writes results to stdout (buffered, flushed at each prompt and at exit) and
/// messages to stderr (unbuffered, so they interleave sensibly).
final class TerminalHost: Host {
    let format: OutputFormat
    private let out: UnsafeMutablePointer<FILE>
    private let err: UnsafeMutablePointer<FILE>

    init(format: OutputFormat) {
        self.format = format
        out = fdopen(1, "w")
        err = fdopen(2, "w")
        setvbuf(err, nil, _IONBF, 0)
    }

    /// On a terminal, control characters other than newline and tab are shown escaped
    /// (`\x1B`): text from a vendor cannot move the cursor, retitle the window or hide
    /// what follows. Files and pipes get the text as it is.
    private let outIsTerminal = isatty(1) != 0
    private let errIsTerminal = isatty(2) != 0

    /// `--format json` for a script: stdout is one JSON document (`JSONDocument`),
    /// written as results come; nil when none was begun.
    private var document: JSONDocument?

    func beginDocument() {
        // JSON escapes C0 controls itself; on a terminal DEL and C1 ones (U+009B, a CSI to
        // some terminals) are escaped too, as in any output there.
        if format == .json {
            document = JSONDocument { [unowned self] in write(outIsTerminal ? escapingControls($0) : $0) }
        }
    }

    /// Ends the document with `fields` after `output`; nothing when none was begun.
    func endDocument(_ fields: [(String, JSON)] = []) {
        guard var whole = document else { return }
        document = nil
        if !whole.end(fields) {
            message("mxsh: the JSON on stdout stops at the error above: it is cut short, not a whole document\n")
        }
        fflush(out)
    }

    func printed(_ text: String) {
        guard document != nil else { return output(text) }
        document!.addPrinted(text)
    }

    func output(_ text: String) {
        guard document == nil else { return document!.add(text) }
        write(outIsTerminal ? escapingControls(text) : text)
    }

    func outputPart(_ text: String, _ part: OutputPart) {
        guard document == nil else { return document!.addPart(text, part) }
        if !text.isEmpty { output(text) }
    }

    private func write(_ text: String) {
        // Only where a progress line is drawn on the terminal that shows this text too must
        // the line be cleared first and the text written through at once; elsewhere stdout
        // stays buffered (a flush per line is a system call per `print`).
        guard let progress = ProgressReporter.current, progress.terminal, outIsTerminal else {
            put(text, out)
            return
        }
        progress.hold {
            put(text, out); fflush(out)
        }
    }
    func message(_ text: String) {
        let text = errIsTerminal ? escapingControls(text) : text
        guard let progress = ProgressReporter.current else {
            fflush(out)
            put(text, err)
            return
        }
        progress.hold {
            fflush(out)
            put(text, err)
            fflush(err)
        }
    }
    func flush() { fflush(out) }

    /// The text's bytes, all of them: `fputs` stops at a NUL, so a value holding one (a
    /// CSV cell) cut its line short and lost the line's end.
    private func put(_ text: String, _ file: UnsafeMutablePointer<FILE>) {
        var text = text
        text.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, file) }
    }

    var terminalWidth: Int? {
        guard isatty(1) != 0 else { return nil }
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}

/// `text` with C0 and C1 control characters (but newline and tab) and DEL as `\xHH`.
func escapingControls(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isEscaped) else { return text }
    var out = String.UnicodeScalarView()
    for s in text.unicodeScalars {
        if isEscaped(s) {
            let hex = Array("0123456789ABCDEF".unicodeScalars)
            out.append(contentsOf: ["\\", "x", hex[Int(s.value >> 4) & 15], hex[Int(s.value & 15)]])
        } else {
            out.append(s)
        }
    }
    return String(out)
}

private func isEscaped(_ s: Unicode.Scalar) -> Bool {
    (s.value < 0x20 && s != "\n" && s != "\t") || (0x7F...0x9F).contains(s.value)
}

/// A line to stderr, unbuffered, outside any session (the sandbox command's notices).
func printError(_ text: String) {
    var bytes = Array(text.utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
}
