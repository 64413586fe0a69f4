import CEditlineShim
import MXEngine
import MXJSON

#if canImport(Glibc)
    import Glibc
#endif

/// The interactive shell: read a line (more while a `<` block is open), run it, and
/// never leave on an error. Ctrl-C discards the line or cancels the running
/// statement; Ctrl-D leaves. Input from a pipe runs as a script, with no prompts.
func runREPL(options: ScriptOptions) -> Int32 {
    guard isatty(0) != 0 else {
        return runScript(text: readAllStandardInput(), name: "<stdin>", options: options)
    }
    let host = TerminalHost(format: options.format)
    // A session's changes are journaled like a run's (one run per session, begun at
    // its first change), so `mxsh runs` shows them and `mxsh undo` can take them back.
    // Each is sent before the next line is read: no executor here.
    let sink = JournalSink {
        let journal = try Journal()
        return (
            journal,
            try journal.beginRun(
                kind: .repl, script: "<repl>", fingerprint: "",
                // Names only: a session is never resumed, and a value may be a password.
                variables: options.variables.map { String($0.prefix { $0 != "=" }) },
                parent: nil)
        )
    }
    // A session in which a statement was interrupted is not done: its last change may
    // have been cut off, unknown.
    var interrupted = false
    defer { sink.finish(status: interrupted ? .interrupted : sink.failed > 0 ? .failed : .done) }
    let session = Session(host: host, sink: sink)
    configure(session, options)
    session.interpreter.echoChanges = true
    guard defineVariables(options.variables, in: session) else { return 2 }
    mx_interrupt_install()
    session.interpreter.shouldCancel = { mx_interrupt_take() != 0 }

    let stateDirectory = xdgDirectory("XDG_STATE_HOME", default: ".local/state") + "/mxsh"
    makeDirectories(stateDirectory)
    let reader = EditlineReader(historyPath: stateDirectory + "/history") { line in
        completionEdit(session.complete(line), line: line)
    }
    defer { reader.close() }

    host.message("mxsh: one language for your mail domains. 'help' lists commands; Ctrl-D leaves.\n")
    var buffer = ""
    while true {
        host.flush()
        let prompt =
            buffer.isEmpty ? "mxsh" + (session.interpreter.defaultConnection.map { "(\($0))" } ?? "") + "> " : "...> "
        switch reader.read(prompt: prompt) {
        case .end:
            host.output("\n")
            return 0
        case .interrupted:
            // The shim has echoed ^C and ended the line; drop what was typed.
            buffer = ""
            continue
        case .text(let line):
            let trimmed = line.trimmingCharacters(in: " \t")
            if buffer.isEmpty, trimmed == "exit" || trimmed == "quit" { return 0 }
            if buffer.isEmpty, trimmed.isEmpty { continue }
            buffer += buffer.isEmpty ? line : "\n" + line
            mx_interrupt_clear()
            let outcome = session.run(buffer, name: "<repl>", allowIncomplete: true)
            if outcome == .incomplete { continue }
            if outcome == .interrupted, sink.run != nil { interrupted = true }
            if !carriesSecret(buffer) { reader.remember(buffer) }
            buffer = ""
        }
    }
}

/// Lines that hold a credential never reach the history file.
func carriesSecret(_ text: String) -> Bool {
    let t = Array(text.lowercased().utf8)
    for word in ["password", "token", "api_key", "secret"] {
        let w = Array(word.utf8)
        var i = 0
        while i + w.count <= t.count {
            if Array(t[i..<(i + w.count)]) == w {
                var j = i + w.count
                while j < t.count, t[j] == UInt8(ascii: " ") { j += 1 }
                if j < t.count, t[j] == UInt8(ascii: "=") || t[j] == UInt8(ascii: "(") { return true }
            }
            i += 1
        }
    }
    return false
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
