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
/// nor one that gives a value to a variable or a `def` parameter the session gives as
/// one (`let pw = "..."` or `pw = "..."`, then `set u password=pw`; `mk "a@b" "pw"` with
/// `def mk e p < create-user e password=p >`). Which names reach a credential is often
/// known only from a later line: each line, the session so far is read again, and a line
/// kept before that now gives one is taken out of the file (it is saved whole after
/// each line).
struct ShellHistory {
    /// Every statement entered this session, the ones kept out of the history too (a
    /// `def` with `password=p` is what makes `p` reach a credential).
    private var entered: [String] = []
    /// The entries in the history, each with its statements.
    private var kept: [(line: String, statements: [Stmt])] = []

    mutating func add(_ entry: String, to reader: any LineReader) {
        entered.append(entry)
        let text = entered.joined(separator: "\n")
        let session = parse(Source(name: "<repl>", text: text), commands: CommandTable.standard).0
        let reach = CredentialGivers(session)
        for k in kept where reach.gives(k.statements) { reader.forget(k.line) }
        kept.removeAll { reach.gives($0.statements) }
        let statements = parse(Source(name: "<repl>", text: entry), commands: CommandTable.standard).0.statements
        if carriesSecret(entry) || reach.gives(statements) { return }
        reader.remember(entry)
        kept.append((entry, statements))
    }
}

/// The variables (`credentialVariables`) and the defs (those with such a parameter) that
/// reach a credential in a session, and whether statements give either a value.
struct CredentialGivers {
    let variables: Set<String>
    private(set) var defs: Set<String> = []

    init(_ session: Program) {
        variables = credentialVariables(in: session)
        collectDefs(session.statements)
    }

    private mutating func collectDefs(_ statements: [Stmt]) {
        for s in statements {
            switch s.kind {
            case .def(let name, _, let params, let body):
                if params.contains(where: variables.contains) { defs.insert(name) }
                collectDefs(body)
            case .if(_, let then, let otherwise):
                collectDefs(then)
                collectDefs(otherwise ?? [])
            case .for(_, _, _, let body): collectDefs(body)
            default: break
            }
        }
    }

    func gives(_ statements: [Stmt]) -> Bool {
        statements.contains { s in
            switch s.kind {
            case .let(let name, _, let value), .assign(let name, _, let value):
                return variables.contains(name) || calls(value)
            case .command(let name, _, let args):
                if defs.contains(name) { return true }
                return args.contains { a in
                    switch a {
                    case .named(_, _, let value), .value(let value): return calls(value)
                    case .word: return false
                    }
                }
            case .if(let condition, let then, let otherwise):
                return calls(condition) || gives(then) || gives(otherwise ?? [])
            case .for(let variable, _, let sequence, let body):
                return variables.contains(variable) || calls(sequence) || gives(body)
            case .def(_, _, _, let body): return gives(body)
            case .return(let value): return value.map(calls) ?? false
            case .expression(let value): return calls(value)
            case .break, .continue: return false
            }
        }
    }

    /// A call of a def that reaches a credential, anywhere in `e`.
    private func calls(_ e: Expr) -> Bool {
        var found = false
        forEachExpr(in: e) { x in
            if case .call(let callee, _) = x.kind, case .identifier(let name) = callee.kind, defs.contains(name) {
                found = true
            }
        }
        return found
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
                // `{"password": ...}`: the name's closing quote may come first.
                if j < t.count, t[j] == UInt8(ascii: "\"") || t[j] == UInt8(ascii: "'") { j += 1 }
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
