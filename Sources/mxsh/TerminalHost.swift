#if canImport(Glibc)
import Glibc
#endif
import MXEngine

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

    func output(_ text: String) {
        guard let progress = ProgressReporter.current else { fputs(text, out); return }
        progress.hold { fputs(text, out); fflush(out) }
    }
    func message(_ text: String) {
        guard let progress = ProgressReporter.current else {
            fflush(out)
            fputs(text, err)
            return
        }
        progress.hold {
            fflush(out)
            fputs(text, err)
            fflush(err)
        }
    }
    func flush() { fflush(out) }

    var terminalWidth: Int? {
        guard isatty(1) != 0 else { return nil }
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}

/// A line to stderr, unbuffered, outside any session (the sandbox command's notices).
func printError(_ text: String) {
    var bytes = Array(text.utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
}
