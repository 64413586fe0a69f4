import CEditlineShim
import MXEngine

#if canImport(Glibc)
    import Glibc
#endif

/// Tab completion as the editor asks for it: given the line before the cursor,
/// (bytes to replace, text to insert, candidates to list).
typealias Completer = (String) -> (replace: Int, insert: String, listing: String)

/// libedit, through the C shim (libedit's variadic calls cannot be made from Swift).
final class EditlineReader: LineReader {
    private let historyPath: String?
    private let completer: Completer
    private var box: Unmanaged<EditlineReader>?

    /// Why libedit could not be used, as the user is told it.
    struct Unavailable: Error {
        let message: String
    }

    init(historyPath: String?, completer: @escaping Completer) throws(Unavailable) {
        self.historyPath = historyPath
        self.completer = completer
        setlocale(LC_CTYPE, "")
        box = Unmanaged.passRetained(self)
        let opened = mx_editor_open("mxsh", box!.toOpaque(), completeTrampoline)
        guard opened == 0 else {
            box?.release()
            box = nil
            let why = String(cString: mx_editor_load_error())
            throw Unavailable(
                message: opened == -1
                    ? "the interactive shell needs libedit (Debian: apt-get install libedit2): \(why)"
                    : "the interactive shell cannot start: \(why)")
        }
        if let historyPath { _ = mx_history_load(historyPath) }
    }

    deinit { mx_editor_close() }

    func close() {
        mx_editor_close()
        box?.release()
        box = nil
    }

    func read(prompt: String) -> EditedLine {
        mx_editor_set_prompt(prompt)
        var interrupted: Int32 = 0
        guard let raw = mx_editor_read(&interrupted) else { return .end }
        defer { free(raw) }
        if interrupted != 0 { return .interrupted }
        return .text(String(cString: raw))
    }

    func remember(_ entry: String) {
        mx_history_add(entry)
        if let historyPath { _ = mx_history_save(historyPath) }
    }

    func forget(_ entry: String) {
        if mx_history_forget(entry) > 0, let historyPath { _ = mx_history_save(historyPath) }
    }

    fileprivate func complete(_ line: String) -> (Int, String, String) { completer(line) }
}

/// A C-callable function: the callback must not capture context (see SWIFT-C.md).
private func completeTrampoline(
    _ ctx: UnsafeMutableRawPointer?, _ line: UnsafePointer<CChar>?, _ cursor: Int32,
    _ replace: UnsafeMutablePointer<Int32>?, _ insert: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ listing: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) {
    guard let ctx, let line else { return }
    let reader = Unmanaged<EditlineReader>.fromOpaque(ctx).takeUnretainedValue()
    let (n, text, list) = reader.complete(String(cString: line))
    replace?.pointee = Int32(n)
    insert?.pointee = strdup(text)
    listing?.pointee = strdup(list)
}

/// Piped input: no prompts, no editing; the whole input runs as a script.
func readAllStandardInput() -> String {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = Glibc.read(0, &buffer, buffer.count)
        if n <= 0 { break }
        bytes.append(contentsOf: buffer[0..<n])
    }
    return String(decoding: bytes, as: UTF8.self)
}
