import ArgumentParser
import MXEngine
import MXHTTP
import MXLanguage
import MXSandbox

#if canImport(Glibc)
    import Glibc
#endif

/// `mxsh test [PATH...]`: runs each test script (`*.test.mxsh`) against a sandbox of its
/// own, reports every failed `assert` with its location and values, and a summary.
/// `X.test.mxsh` beside a runbook `X.mxsh` runs the runbook first, then its asserts.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run runbook tests (*.test.mxsh): each against a fresh embedded sandbox.",
        discussion: """
            A PATH is a test script or a directory searched for *.test.mxsh (default: the current \
            directory). X.test.mxsh beside a runbook X.mxsh tests it: the runbook runs first, in the same \
            session, then the test's statements. In a test, 'connect sandbox' starts simulations for that test alone \
            (seed them \
            with connect sandbox seed=...); nothing is journaled. Every failed assert is reported with \
            its line and the values compared; a statement that fails ends its test. Exit status: 0 all \
            passed, 1 a test failed, 2 a test did not parse or check.
            """)

    @ArgumentParser.Argument(help: "Test scripts or directories.", completion: .file(extensions: ["mxsh"]))
    var paths: [String] = []

    @Option(help: ArgumentHelp("Also write the results as JUnit XML to FILE (for CI systems).", valueName: "file"))
    var junit: String?

    func run() throws { finish(runTests(paths.isEmpty ? ["."] : paths, junit: junit)) }
}

/// One test script's result.
struct TestResult {
    var file: String
    var failures: [String] = []
    var outcome: Session.Outcome = .ok
    var output = ""
    var seconds = 0.0
    var passed: Bool { outcome == .ok && failures.isEmpty }
}

/// Collects what a test prints, and records failed assertions instead of stopping.
final class TestHost: Host {
    var source: Source
    var format: OutputFormat { .table }
    var terminalWidth: Int? { nil }
    var stdout = ""
    var stderr = ""
    var failures: [String] = []

    init(source: Source) { self.source = source }
    func output(_ text: String) { stdout += text }
    func message(_ text: String) { stderr += text }
    func assertionFailed(_ failure: Diagnostic) -> Bool {
        failures.append(DiagnosticList([failure]).render(in: source))
        return true
    }
}

func runTests(_ paths: [String], junit: String?) -> Int32 {
    let console = TerminalHost(format: .table)
    defer { console.flush() }
    var files: [String] = []
    for path in paths {
        if isDirectory(path) {
            files += findTests(path)
        } else if access(path, R_OK) == 0 {
            files.append(path)
        } else {
            console.message("mxsh test: no such file or directory: \(path)\n")
            return 2
        }
    }
    if files.isEmpty {
        console.message("mxsh test: no test scripts (*.test.mxsh) in \(paths.joined(separator: " "))\n")
        return 2
    }
    var results: [TestResult] = []
    let started = now()
    for file in files {
        let result = runTest(file)
        results.append(result)
        if result.passed {
            console.output("PASS \(file)\n")
        } else {
            console.output("FAIL \(file)\n")
            for failure in result.failures { console.output(failure) }
            if result.outcome != .ok { console.output(result.output) }
        }
    }
    let failed = results.filter { !$0.passed }.count
    let assertions = results.map(\.failures.count).reduce(0, +)
    console.output(
        "\(results.count - failed) passed, \(failed) failed (\(assertions) failed assertion"
            + (assertions == 1 ? "" : "s") + ") in \(results.count) test script\(results.count == 1 ? "" : "s"), "
            + formatSeconds(now() - started) + "\n")
    if let junit {
        do { try writeTextFile(junit, junitXML(results)) } catch {
            console.message("mxsh test: cannot write \(junit): \(error)\n")
            return 2
        }
    }
    if results.contains(where: { $0.outcome == .invalid }) { return 2 }
    return failed > 0 ? 1 : 0
}

func runTest(_ file: String) -> TestResult {
    let started = now()
    var result = runTestScripts(file)
    result.seconds = now() - started
    return result
}

func runTestScripts(_ file: String) -> TestResult {
    var result = TestResult(file: file)
    guard let text = try? readTextFile(file) else {
        result.outcome = .invalid
        result.output = "mxsh test: cannot read \(file)\n"
        return result
    }
    let host = TestHost(source: Source(name: file, text: text))
    // `X.test.mxsh` tests the runbook `X.mxsh` beside it: the runbook runs first, in the
    // same session and sandbox, then the test's own statements and asserts.
    let runbook = TestPrelude.runbookPath(of: file) ?? file
    let runbookText = TestPrelude.runbookPath(of: file).flatMap { try? readTextFile($0) }
    // Nothing a test does belongs in the user's journal.
    let sink = JournalSink(alreadyDone: [:], doneIn: nil) { throw TestsKeepNoJournal() }
    sink.keepsJournal = false
    let session = Session(host: host, sink: sink)
    session.interpreter.sandboxLauncher = EmbeddedSandbox.fresh()
    if let runbookText {
        host.source = Source(name: runbook, text: runbookText)
        result.outcome = session.run(runbookText, name: runbook)
    }
    if result.outcome == .ok {
        host.source = Source(name: file, text: text)
        result.outcome = session.run(text, name: file)
    }
    sink.drain()
    for failure in sink.failures { host.message(failure + "\n") }
    if result.outcome == .ok, !sink.failures.isEmpty { result.outcome = .failed }
    result.failures = host.failures
    result.output = host.stderr
    return result
}

struct TestsKeepNoJournal: Error {}

extension EmbeddedSandbox {
    /// A launcher with a sandbox of its own: one test's `connect sandbox` never sees
    /// what another test changed.
    static func fresh() -> SandboxLauncher {
        let started = Locked<[(vendor: String, url: String)]?>(nil)
        return { request in
            if let urls = started.withLock({ $0 }) { return urls }
            guard let seed = SandboxSeed(request.seed) else {
                throw SandboxLaunchError(message: "seed is \"demo\" or a number of domains, not '\(request.seed)'")
            }
            var faults = FaultOptions()
            faults.latencyMs = max(0, request.latencyMs)
            let sandbox = VendorSandbox(seed: seed, faults: faults)
            let urls = try startBlocking { try await sandbox.start(basePort: 0) }
            started.withLock { $0 = urls }
            return urls
        }
    }
}

func junitXML(_ results: [TestResult]) -> String {
    func escape(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            // XML 1.0 cannot hold the other C0 controls, U+FFFE or U+FFFF (a vendor's value
            // may have one): each is written as U+XXXX, so the report still parses.
            case "\u{0}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}":
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
    let failed = results.filter { !$0.passed }.count
    var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    xml += "<testsuites tests=\"\(results.count)\" failures=\"\(failed)\">\n"
    xml += "  <testsuite name=\"mxsh\" tests=\"\(results.count)\" failures=\"\(failed)\">\n"
    for r in results {
        xml +=
            "    <testcase classname=\"mxsh\" name=\"\(escape(r.file))\" "
            + "time=\"\(formatSeconds(r.seconds, unit: false))\""
        if r.passed {
            xml += "/>\n"
            continue
        }
        xml += ">\n"
        let text = r.failures.joined() + (r.outcome == .ok ? "" : r.output)
        let first = r.failures.first.map { String($0.prefix { $0 != "\n" }) } ?? "the script failed"
        xml += "      <failure message=\"\(escape(first))\">\(escape(text))</failure>\n"
        xml += "    </testcase>\n"
    }
    return xml + "  </testsuite>\n</testsuites>\n"
}

func isDirectory(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
}

/// `*.test.mxsh` under a directory, sorted; hidden directories and .build are skipped.
func findTests(_ directory: String) -> [String] {
    guard let dir = opendir(directory) else { return [] }
    defer { closedir(dir) }
    var found: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafePointer(to: entry.pointee.d_name) {
            $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
        }
        if name.hasPrefix(".") { continue }
        let path = directory == "." ? name : directory + "/" + name
        if isDirectory(path) {
            found += findTests(path)
        } else if name.hasSuffix(".test.mxsh") {
            found.append(path)
        }
    }
    return found.sorted()
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func formatSeconds(_ s: Double, unit: Bool = true) -> String {
    let ms = Int((s * 1000).rounded())
    return "\(ms / 1000).\(String(repeating: "0", count: 3 - String(ms % 1000).count))\(ms % 1000)" + (unit ? " s" : "")
}
