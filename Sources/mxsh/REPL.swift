import CEditlineShim
import MXEngine
import MXJSON

#if canImport(Glibc)
    import Glibc
#endif

/// The interactive shell (the engine's `Shell`) on libedit: Ctrl-C discards the line
/// or cancels the running statement. Input from a pipe runs as a script, with no prompts.
func runREPL(options: ScriptOptions) -> Int32 {
    guard isatty(0) != 0 else {
        return runScript(options.request(text: readAllStandardInput(), name: "<stdin>"), options: options)
    }
    let host = TerminalHost(format: options.format)
    // The shell runs no request: its `--limit` is given to its session here.
    let shell = Shell(host: host, variables: options.variables) {
        configure($0, options)
        $0.interpreter.copyLimit = options.limit
    }
    mx_interrupt_install()
    shell.session.interpreter.shouldCancel = { mx_interrupt_take() != 0 }
    shell.beforePrompt = { host.flush() }
    shell.beforeStatement = { mx_interrupt_clear() }
    let stateDirectory = xdgDirectory("XDG_STATE_HOME", default: ".local/state") + "/mxsh"
    makeDirectories(stateDirectory)
    let session = shell.session
    let reader: EditlineReader
    do {
        reader = try EditlineReader(historyPath: stateDirectory + "/history") { line in
            completionEdit(session.complete(line), line: line)
        }
    } catch {
        // The one error libedit's opening throws (typed): what to tell the user.
        host.message("mxsh: \(error.message); scripts, -c and piped input run without it\n")
        return 1
    }
    defer { reader.close() }
    return shell.run(reader)
}

/// Turns completion candidates into an edit: the unique candidate (with a space
/// after it), else their longest common prefix, else a listing.
func completionEdit(_ c: Completion, line: String) -> (replace: Int, insert: String, listing: String) {
    let word = String(decoding: Array(line.utf8)[c.wordStart...], as: UTF8.self)
    guard !c.candidates.isEmpty else { return (0, "", "") }
    if c.candidates.count == 1 {
        let only = c.candidates[0]
        return (word.count, only + (only.hasSuffix("=") ? "" : " "), "")
    }
    var prefix = c.candidates[0]
    for s in c.candidates.dropFirst() {
        while !s.hasPrefix(prefix) { prefix.removeLast() }
    }
    if prefix.count > word.count { return (word.count, prefix, "") }
    let width = (c.candidates.map(\.count).max() ?? 0) + 2
    let perLine = max(1, 78 / width)
    var listing = ""
    for (i, s) in c.candidates.enumerated() {
        listing += s + String(repeating: " ", count: width - s.count)
        if (i + 1) % perLine == 0 && i + 1 < c.candidates.count { listing += "\n" }
    }
    return (0, "", listing)
}
