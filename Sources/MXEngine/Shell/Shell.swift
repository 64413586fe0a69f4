import MXJSON
import MXLanguage

/// The interactive shell: read a line (more while a `<` block is open), run it, and
/// never leave on an error. Ctrl-C while typing drops the line; Ctrl-D leaves. The loop
/// runs on any `LineReader`, so it is the same on a terminal and in a test.
public final class Shell {
    public let session: Session
    /// A session's changes are journaled like a run's (one run per session, begun at its
    /// first change), so `mxsh runs` shows them and `mxsh undo` can take them back. Each
    /// is sent before the next line is read: no executor here.
    public let sink: JournalSink
    private let variables: [String]
    /// Called before each prompt (the terminal's output is flushed then).
    public var beforePrompt: () -> Void = {}
    /// Called before each statement runs (a Ctrl-C pressed while typing is forgotten).
    public var beforeStatement: () -> Void = {}

    public init(
        host: any Host, variables: [String] = [], journalPath: String = Journal.defaultPath,
        configure: (Session) -> Void = { _ in }
    ) {
        self.variables = variables
        sink = JournalSink {
            let journal = try Journal(path: journalPath)
            return (
                journal,
                try journal.beginRun(
                    kind: .repl, script: "<repl>", fingerprint: "",
                    // Names only: a session is never resumed, and a value may be a password.
                    variables: variables.map { String($0.prefix { $0 != "=" }) },
                    parent: nil)
            )
        }
        session = Session(host: host, sink: sink)
        session.interactive = true
        configure(session)
        session.interpreter.echoChanges = true
    }

    /// The prompt: the default connection's name in it, `...>` inside an open block.
    func prompt(continuing: Bool) -> String {
        continuing ? "...> " : "mxsh" + (session.interpreter.defaultConnection.map { "(\($0))" } ?? "") + "> "
    }

    /// Runs the session until the input ends or `exit`; the exit status.
    public func run(_ reader: any LineReader) -> Int32 {
        // A session in which a statement was interrupted is not done: its last change
        // may have been cut off, unknown.
        var interrupted = false
        var history = ShellHistory()
        defer { sink.finish(status: interrupted ? .interrupted : sink.failed + sink.unknown > 0 ? .failed : .done) }
        guard session.define(variables: variables) else { return 2 }
        let host = session.host
        host.message("mxsh: one language for your mail domains. 'help' lists commands; Ctrl-D leaves.\n")
        var buffer = ""
        while true {
            beforePrompt()
            switch reader.read(prompt: prompt(continuing: !buffer.isEmpty)) {
            case .end:
                host.output("\n")
                return 0
            case .interrupted:
                buffer = ""
            case .text(let line):
                let trimmed = line.trimmingCharacters(in: " \t")
                if buffer.isEmpty, trimmed == "exit" || trimmed == "quit" { return 0 }
                if buffer.isEmpty, trimmed.isEmpty { continue }
                buffer += buffer.isEmpty ? line : "\n" + line
                beforeStatement()
                let outcome = session.run(buffer, name: "<repl>", allowIncomplete: true)
                if outcome == .incomplete { continue }
                if outcome == .interrupted, sink.run != nil { interrupted = true }
                history.add(buffer, to: reader)
                buffer = ""
            }
        }
    }
}

/// What of a session reaches the history file: never a line that holds a credential,
/// and never a `let` whose variable a later line gives as one (`let pw = "..."`, then
/// `set u password=pw`): that line is taken out of the file then, as the history is
/// saved whole after each line.
struct ShellHistory {
    /// The `let` lines of this session in the history, with the variable each defines.
    private var definitions: [(name: String, line: String)] = []

    mutating func add(_ entry: String, to reader: any LineReader) {
        if carriesSecret(entry) {
            forgetCredentials(reaching: entry, in: reader)
            return
        }
        reader.remember(entry)
        let statements = parse(Source(name: "<repl>", text: entry), commands: CommandTable.standard).0.statements
        if statements.count == 1, case .let(let name, _, _) = statements[0].kind {
            definitions.append((name, entry))
        }
    }

    /// The language's own reading of which variables reach a credential, over the
    /// session's `let` lines and this one (`let a = "x"`, `let b = a`, `token=b`: both).
    private mutating func forgetCredentials(reaching entry: String, in reader: any LineReader) {
        guard !definitions.isEmpty else { return }
        let text = (definitions.map(\.line) + [entry]).joined(separator: "\n")
        let program = parse(Source(name: "<repl>", text: text), commands: CommandTable.standard).0
        let reaching = credentialVariables(in: program)
        for d in definitions where reaching.contains(d.name) { reader.forget(d.line) }
        definitions.removeAll { reaching.contains($0.name) }
    }
}

/// Lines that hold a credential never reach the history file: a credential's name given
/// a value (`password=`, `token(`), or a record's member of that name (`{password: ...}`).
public func carriesSecret(_ text: String) -> Bool {
    let t = Array(text.lowercased().utf8)
    for word in ["password", "passwd", "token", "secret", "credential", "apikey", "api_key"] {
        let w = Array(word.utf8)
        var i = 0
        while i + w.count <= t.count {
            if Array(t[i..<(i + w.count)]) == w {
                var j = i + w.count
                while j < t.count, t[j] == UInt8(ascii: " ") { j += 1 }
                if j < t.count, t[j] == UInt8(ascii: "=") || t[j] == UInt8(ascii: "(") || t[j] == UInt8(ascii: ":") {
                    return true
                }
            }
            i += 1
        }
    }
    return false
}
