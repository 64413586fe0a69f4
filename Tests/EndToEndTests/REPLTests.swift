import Foundation
import Testing

// The interactive shell in a real pseudo-terminal: tmux runs mxsh in a pane,
// `send-keys` types, `capture-pane` reads the screen. Every session has its own tmux
// server (a unique `-L` socket), its own HOME and XDG state directory, and is killed
// at the end of its test.
//
// Two things about driving tmux with Foundation's Process on Linux:
// - Process learns that its child exited when a socket it hands to the child is
//   closed. The tmux server, forked by the first client, would inherit that socket and
//   keep it open for as long as it runs, so `waitUntilExit()` would never return. Every
//   tmux command therefore runs through a small bash wrapper that closes the inherited
//   descriptors above stderr before it execs tmux.
// - A child inherits the signal mask of the thread that spawns it, and a test may run
//   on a thread that blocks signals (Dispatch's worker threads do). The tmux server
//   would keep that mask, and pass it on to mxsh. With SIGTERM blocked, `kill-server`
//   (which is the server sending itself SIGTERM) does nothing and the server outlives
//   the test; so tmux is spawned with every signal unblocked.

/// One mxsh session inside a private tmux server.
final class TmuxREPL {
    /// Planted in the environment; must never show on the screen or in the history.
    static let plantedSecret = "s3cr3t-value"

    let socket = "mxsh-test-\(UUID().uuidString)"
    let session = "repl-\(UUID().uuidString.prefix(8))"
    /// HOME of the shell; its history is under `home/state/mxsh/history`.
    let home: URL
    private let tmuxPath: String
    private var closed = false

    var historyFile: URL { home.appendingPathComponent("state/mxsh/history") }

    /// Starts mxsh in a 120x40 pane and waits for its first prompt. With `afterwards`,
    /// that shell command runs in the pane once mxsh has left, and `first` is waited
    /// for instead of the prompt: for a shell that is meant not to start.
    init(environment extra: [String: String] = [:], afterwards: String? = nil, waitingFor first: String = "mxsh>")
        throws
    {
        guard let tmuxExecutable = Self.findExecutable("tmux") else {
            throw TmuxError(
                """
                tmux is not installed, and the REPL tests drive mxsh through it. \
                Install it (apt-get install tmux, brew install tmux); CI installs it.
                """)
        }
        tmuxPath = tmuxExecutable
        let binary = try Self.mxshBinary()
        home = FileManager.default.temporaryDirectory.appendingPathComponent("mxsh-repl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)

        var environment = [
            "TERM": "xterm",
            "LANG": "C.UTF-8",
            "HOME": home.path,
            "XDG_STATE_HOME": home.appendingPathComponent("state").path,
            "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
            "MXSH_SECRET_DEMO": Self.plantedSecret
        ]
        environment.merge(extra) { _, new in new }
        let assignments = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.shellQuoted($0.value))" }
        let mxsh = "env " + assignments.joined(separator: " ") + " " + Self.shellQuoted(binary)
        let command = afterwards.map { mxsh + "; " + $0 } ?? "exec " + mxsh
        do {
            try tmux(["new-session", "-d", "-s", session, "-x", "120", "-y", "40", command])
            try waitFor(first)
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// Kills the tmux server (and with it mxsh) and removes the private HOME.
    func close() {
        guard !closed else { return }
        closed = true
        _ = try? Self.runTool(tmuxPath, ["-L", socket, "kill-server"])
        // tmux leaves its socket file behind; it is ours alone, so remove it.
        let socketDirectory = (ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp") + "/tmux-\(getuid())"
        try? FileManager.default.removeItem(atPath: socketDirectory + "/" + socket)
        try? FileManager.default.removeItem(at: home)
    }

    // MARK: Keys and screen

    /// Types `text` literally, then Enter unless `enter` is false.
    func type(_ text: String, enter: Bool = true) throws {
        try tmux(["send-keys", "-t", session, "-l", text])
        if enter { try press("Enter") }
    }

    /// Presses keys by tmux name: Enter, Tab, C-c, C-d, C-u, Up.
    func press(_ keys: String...) throws {
        try tmux(["send-keys", "-t", session] + keys)
    }

    /// The pane's whole history and visible screen, one string.
    func screen() throws -> String {
        try tmux(["capture-pane", "-p", "-t", session, "-S", "-"])
    }

    /// Polls the screen until `text` shows at least `count` times.
    @discardableResult
    func waitFor(_ text: String, count: Int = 1, timeout: TimeInterval = 10) throws -> String {
        try waitUntil("'\(text)' shown \(count) time(s)", timeout: timeout) {
            $0.components(separatedBy: text).count - 1 >= count
        }
    }

    /// Polls the screen until `condition` holds; on timeout, the error shows the screen.
    @discardableResult
    func waitUntil(_ what: String, timeout: TimeInterval = 10, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        repeat {
            if isRunning, let shown = try? screen() {
                last = shown
                if condition(shown) { return shown }
            }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        throw TmuxError(
            "timed out after \(timeout) s waiting for \(what); mxsh running: \(isRunning); screen:\n\(last)")
    }

    /// How many prompts (`mxsh>`, `mxsh(conn)>`, not `...>`) the screen shows: one per
    /// line entered, plus the current one.
    static func prompts(in screen: String) -> Int {
        screen.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            line.hasPrefix("mxsh>") || (line.hasPrefix("mxsh(") && line.contains(")>"))
        }.count
    }

    /// Types a line, presses Enter and waits for the next prompt; returns the screen.
    @discardableResult
    func enter(_ line: String, timeout: TimeInterval = 10) throws -> String {
        let before = try Self.prompts(in: screen())
        try type(line)
        return try waitUntil("the prompt after '\(line)'", timeout: timeout) { Self.prompts(in: $0) > before }
    }

    /// Whether the session (that is, mxsh in its pane) is still there.
    var isRunning: Bool {
        guard !closed, let result = try? Self.runTool(tmuxPath, ["-L", socket, "has-session", "-t", session]) else {
            return false
        }
        return result.status == 0
    }

    /// Waits for mxsh to leave (its pane, and so the session, closes).
    func waitForExit(timeout: TimeInterval = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning {
            if Date() > deadline { return false }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return true
    }

    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        let result = try Self.runTool(tmuxPath, ["-L", socket] + arguments)
        guard result.status == 0 else {
            throw TmuxError("tmux \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.error)")
        }
        return result.output
    }

    // MARK: Processes

    /// Closes every inherited descriptor above 2, then execs its arguments (see the top).
    private static let closeInheritedDescriptors = """
        if [ -d /proc/$$/fd ]; then for f in /proc/$$/fd/*; do n=${f##*/}; \
        case $n in 0|1|2|*[!0-9]*) ;; *) eval "exec $n>&-" ;; esac; done; fi; exec "$@"
        """

    /// Runs a tool through the wrapper, with all signals unblocked, and waits for it.
    static func runTool(_ executable: String, _ arguments: [String]) throws -> (
        status: Int32, output: String, error: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: findExecutable("bash") ?? "/bin/bash")
        process.arguments = ["-c", closeInheritedDescriptors, "mxsh-test-wrapper", executable] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["TMUX"] = nil
        environment["TMUX_PANE"] = nil
        environment["SHELL"] = "/bin/sh"  // tmux runs the pane's command with it
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try withAllSignalsUnblocked { try launch(process) }
        // Small outputs: reading stdout to its end first cannot block on a full stderr.
        let output = (try? out.fileHandleForReading.readToEnd()) ?? Data()
        let error = (try? err.fileHandleForReading.readToEnd()) ?? Data()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self)
        )
    }

    private static func withAllSignalsUnblocked<T>(_ body: () throws -> T) rethrows -> T {
        var none = sigset_t()
        sigemptyset(&none)
        var saved = sigset_t()
        pthread_sigmask(SIG_SETMASK, &none, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        return try body()
    }

    /// $MXSH_BINARY, or .build/debug/mxsh in the package that holds this file.
    static func mxshBinary(filePath: String = #filePath) throws -> String {
        if let path = ProcessInfo.processInfo.environment["MXSH_BINARY"], !path.isEmpty { return path }
        var directory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        while directory.path != "/" && !directory.path.isEmpty {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                let binary = directory.appendingPathComponent(".build/debug/mxsh").path
                guard FileManager.default.isExecutableFile(atPath: binary) else {
                    throw TmuxError("no mxsh binary at \(binary): build it first, or set MXSH_BINARY")
                }
                return binary
            }
            directory.deleteLastPathComponent()
        }
        throw TmuxError("no Package.swift above \(filePath); set MXSH_BINARY")
    }

    static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories =
            path.split(separator: ":").map(String.init)
            + ["/usr/bin", "/bin", "/usr/local/bin", "/opt/homebrew/bin"]
        for directory in directories where !directory.isEmpty {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

struct TmuxError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Smoke tests of what needs a terminal (Ctrl-C, Tab, Ctrl-D, the history file, piped
/// input); the shell's loop itself is tested in-process (MXEngineTests' ShellTests).
@Suite("REPL in a terminal", .serialized)
struct REPLTests {
    @Test func ctrlCAtAContinuationPromptAbandonsTheBlock() throws {
        let shell = try TmuxREPL()
        defer { shell.close() }
        try shell.type("for x in [1, 2] <")
        try shell.waitFor("\n...>")
        try shell.type("print \"in the block\"")
        try shell.waitFor("\n...>", count: 2)
        try shell.press("C-c")
        try shell.waitUntil("a new prompt") { TmuxREPL.prompts(in: $0) == 2 }
        try shell.type("print \"after\"")
        let screen = try shell.waitFor("\nafter\n")
        #expect(!screen.contains("\nin the block"))
    }

    @Test func tabCompletesCommandsFieldsAndConnections() throws {
        let shell = try TmuxREPL()
        defer { shell.close() }
        try shell.enter("connect memory as m seed=\"demo\"")

        // A command name, completed with a space after it.
        try shell.type("add-al", enter: false)
        try shell.press("Tab")
        try shell.waitFor("mxsh(m)> add-alias")
        try shell.type("X", enter: false)
        try shell.waitFor("mxsh(m)> add-alias X")
        try shell.press("C-u")
        try shell.waitUntil("the line cleared") { !$0.contains("add-alias") }

        // A field of a variable.
        try shell.enter("let d = domain \"got.com\"")
        try shell.type("print d.na", enter: false)
        try shell.press("Tab")
        try shell.waitFor("mxsh(m)> print d.name")
        try shell.press("Enter")
        try shell.waitFor("\ngot.com\n")

        // The connections after `use`: with two of them, Tab lists both.
        try shell.enter("connect memory as other")
        try shell.type("use ", enter: false)
        try shell.press("Tab")
        try shell.waitUntil("a list of the connections m and other") { screen in
            screen.split(separator: "\n").contains { $0.split(separator: " ") == ["m", "other"] }
        }
        try shell.type("o", enter: false)
        try shell.press("Tab")
        try shell.waitFor("mxsh(m)> use other")
        try shell.press("Enter")
        try shell.waitFor("\nmxsh(other)>")
    }

    @Test func ctrlCDiscardsAHalfTypedLine() throws {
        let shell = try TmuxREPL()
        defer { shell.close() }
        try shell.type("print \"never printed\"", enter: false)
        try shell.waitFor("never printed")
        try shell.press("C-c")
        try shell.waitUntil("a new prompt") { TmuxREPL.prompts(in: $0) == 2 }
        try shell.type("print \"after\"")
        let screen = try shell.waitFor("\nafter\n")
        #expect(!screen.contains("\nnever printed"))
        #expect(shell.isRunning)
    }

    @Test func ctrlCInterruptsALongStatementAndTheShellStays() throws {
        let shell = try TmuxREPL()
        defer { shell.close() }
        try shell.enter("connect memory as big seed=1000000", timeout: 120)
        // Minutes of work in a debug build, many seconds in a release one.
        try shell.type(
            "for d in big.domains < for i in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] < for j in [1, 2, 3, 4, 5, 6, 7, 8, 9, "
                + "10] < let x = j > > >"
        )
        Thread.sleep(forTimeInterval: 0.7)
        let running = try shell.screen()
        #expect(TmuxREPL.prompts(in: running) == 2, "the loop ended before Ctrl-C")
        try shell.press("C-c")
        try shell.waitFor("interrupted")
        try shell.waitUntil("a new prompt") { TmuxREPL.prompts(in: $0) == 3 }
        try shell.type("print \"still here\"")
        try shell.waitFor("\nstill here\n")
    }

    @Test func ctrlDLeaves() throws {
        let shell = try TmuxREPL()
        defer { shell.close() }
        try shell.press("C-d")
        #expect(shell.waitForExit(), "mxsh still runs after Ctrl-D")
    }

    @Test func historyIsPrivateAndKeepsNoCredentials() throws {
        let shell = try TmuxREPL()
        defer { shell.close() }
        try shell.enter("print 1")
        try shell.enter("let t = secret(\"demo\")")
        try shell.enter("print t")
        try shell.waitFor("\n****\n")
        try shell.enter("connect memory as m2 token=\"typed-token\"")
        try shell.enter(
            "connect proofpoint as pp url=\"http://127.0.0.1:9\" org=\"example.com\" user=\"a\" "
                + "password=\"typed-password\"",
            timeout: 60)
        let screen = try shell.screen()
        #expect(!screen.contains(TmuxREPL.plantedSecret))
        try shell.press("C-d")
        #expect(shell.waitForExit(), "mxsh still runs after Ctrl-D")

        let file = shell.historyFile
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: file.path), Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
        #expect(mode == 0o600, "the history's mode is \(String(mode, radix: 8))")
        // libedit writes a space as \040.
        let history = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "\\040", with: " ")
        #expect(history.contains("print 1"), "\(history)")
        #expect(history.contains("print t"), "\(history)")
        for leak in ["secret(", "token=", "password=", "typed-token", "typed-password", TmuxREPL.plantedSecret] {
            #expect(!history.contains(leak), "the history holds '\(leak)':\n\(history)")
        }
    }

    /// libedit is opened when the shell starts, not linked. Where it cannot be loaded
    /// (here every name the loader tries is an empty file, found first through
    /// LD_LIBRARY_PATH), the shell says why and leaves with 1; `-c` runs as before.
    @Test func aShellWithoutLibeditSaysWhyAndScriptsStillRun() throws {
        let fakes = FileManager.default.temporaryDirectory.appendingPathComponent("mxsh-noedit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: fakes, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: fakes) }
        for name in ["libedit.so.2", "libedit.so.0", "libedit.so"] {
            #expect(FileManager.default.createFile(atPath: fakes.appendingPathComponent(name).path, contents: Data()))
        }
        let shell = try TmuxREPL(
            environment: ["LD_LIBRARY_PATH": fakes.path], afterwards: "echo \"mxsh left with $?\"; exec sleep 600",
            waitingFor: "mxsh left with")
        defer { shell.close() }
        // The pane wraps at 120 columns: read it as one line.
        let screen = try shell.screen().replacingOccurrences(of: "\n", with: "")
        #expect(screen.contains("mxsh left with 1"), "\(screen)")
        #expect(
            screen.contains(
                "mxsh: the interactive shell needs libedit (Debian: apt-get install libedit2): \(fakes.path)"
                    + "/libedit.so.2: file too short"), "\(screen)")
        #expect(screen.contains("scripts, -c and piped input run without it"), "\(screen)")
        #expect(!screen.contains("mxsh>"), "\(screen)")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TmuxREPL.mxshBinary())
        process.arguments = ["-c", "print (40 + 2)"]
        var environment = ProcessInfo.processInfo.environment
        environment["LD_LIBRARY_PATH"] = fakes.path
        environment["HOME"] = fakes.path
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        try launch(process)
        let printed = String(decoding: try out.fileHandleForReading.readToEnd() ?? Data(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0 && printed == "42\n", "\(process.terminationStatus): \(printed)")
    }

    @Test func pipedInputRunsWithoutAPrompt() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("mxsh-pipe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let binary = try TmuxREPL.mxshBinary()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home.path
        environment["XDG_STATE_HOME"] = home.appendingPathComponent("state").path
        environment["XDG_CONFIG_HOME"] = home.appendingPathComponent("config").path
        process.environment = environment
        process.currentDirectoryURL = home
        let input = Pipe(), out = Pipe(), err = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = err
        try launch(process)
        input.fileHandleForWriting.write(Data("print 1\n".utf8))
        try input.fileHandleForWriting.close()
        let outData = try out.fileHandleForReading.readToEnd() ?? Data()
        let errData = try err.fileHandleForReading.readToEnd() ?? Data()
        let output = String(decoding: outData, as: UTF8.self)
        let errors = String(decoding: errData, as: UTF8.self)
        process.waitUntilExit()
        #expect(output == "1\n")
        #expect(!errors.contains("mxsh>") && !errors.contains("Ctrl-D"), "a prompt or the banner on stderr: \(errors)")
        #expect(process.terminationStatus == 0)
        // Piped input keeps no history.
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("state/mxsh/history").path))
    }
}
