import MXEngine
import MXJSON
import MXLanguage
import MXModel

#if canImport(Glibc)
    import Glibc
#endif

func readScript(_ path: String, host: TerminalHost) -> String? {
    do {
        return try readTextFile(path)
    } catch let e as FileError {
        host.message("mxsh: \(e.message)\n")
        return nil
    } catch {
        return nil
    }
}

func runFile(_ path: String, options: ScriptOptions) -> Int32 {
    let host = TerminalHost(format: options.format)
    guard let text = readScript(path, host: host) else { return 2 }
    var options = options
    // The journal refers to the script by its absolute path (resume reads it again).
    if options.scriptPath == nil { options.scriptPath = absolutePath(path) }
    return runScript(text: text, name: path, options: options, host: host)
}

func absolutePath(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    var buffer = [CChar](repeating: 0, count: 4096)
    guard getcwd(&buffer, buffer.count) != nil else { return path }
    let cwd = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return cwd + "/" + path
}

/// `-c`, files and piped input: one `Session.run`, then a summary of changes.
func runScript(text: String, name: String, options: ScriptOptions, host: TerminalHost? = nil) -> Int32 {
    let host = host ?? TerminalHost(format: options.format)
    defer { host.flush() }
    host.beginDocument()
    defer { host.endDocument() }
    if options.dryRun { return planScript(text: text, name: name, options: options, host: host) }
    let script = options.scriptPath ?? name
    let sink = JournalSink(
        alreadyDone: options.resume?.alreadyDone ?? [:], unknownBefore: options.resume?.unknown ?? [:],
        doneIn: options.resume?.parent
    ) {
        let journal = try Journal()
        let run = try journal.beginRun(
            kind: options.runKind, script: script, fingerprint: fingerprint(text),
            variables: journaled(options.variables, text: text, name: name),
            parent: options.resume?.parent)
        return (journal, run)
    }
    sink.keepsJournal = !options.noJournal
    if options.jobs.map({ $0 > 1 }) ?? true {
        sink.executor = Executor(onError: options.onError) { connection in
            options.jobs ?? connection.declaration.defaultJobs
        }
    }
    let session = Session(host: host, sink: sink)
    configure(session, options)
    // Room for the reads (pages of a listing) beside the changes in flight, so that
    // listing the next domains never waits behind the changes to the last ones.
    session.interpreter.httpConcurrency = (options.jobs ?? 8) + 8
    guard defineVariables(options.variables, in: session) else { return 2 }
    if let failed = openTenant(options.variables, in: session) { return failed }
    let interrupt = RunInterrupt(sink: sink)
    interrupt.install()
    session.interpreter.shouldCancel = interrupt.shouldCancel
    let progress = ProgressReporter(sink: sink)
    progress.start()
    var outcome = session.run(text, name: name)
    // Changes still in flight are answered before the run is reported.
    sink.drain()
    progress.stop()
    for failure in sink.failures { host.message(failure + "\n") }
    if interrupt.wasPressed { outcome = .interrupted }
    if outcome == .ok, !sink.failures.isEmpty { outcome = .failed }
    let status: RunStatus = outcome == .ok ? .done : outcome == .interrupted ? .interrupted : .failed
    sink.finish(status: status)
    host.endDocument(runFields(sink, status: status))
    if outcome == .interrupted {
        reportInterrupted(sink, host: host)
        return 130
    }
    if sink.applied + sink.unchanged + sink.skipped + sink.failed + sink.notSent > 0 {
        host.message(
            "\(sink.applied) change\(sink.applied == 1 ? "" : "s") applied"
                + (sink.unchanged > 0 ? ", \(sink.unchanged) already as asked" : "")
                + (sink.skipped > 0 ? ", \(sink.skipped) done before (skipped)" : "")
                + (sink.failed > 0 ? ", \(sink.failed) failed" : "")
                + (sink.notSent > 0 ? ", \(sink.notSent) not sent" : "")
                + (sink.run.map { " (run \($0): mxsh runs show \($0))" } ?? "") + "\n")
    }
    return outcome.exitStatus
}

/// `--format json`: the run beside the script's output.
func runFields(_ sink: JournalSink, status: RunStatus) -> [(String, JSON)] {
    [
        ("run", sink.run.map(JSON.string) ?? .null), ("status", .string(status.rawValue)),
        (
            "changes",
            .object(
                JSONObject([
                    ("done", .int(sink.applied)), ("alreadyAsAsked", .int(sink.unchanged)),
                    ("doneBefore", .int(sink.skipped)), ("failed", .int(sink.failed)),
                    ("notSent", .int(sink.notSent))
                ]))
        )
    ]
}

/// After Ctrl-C: what the journal says the run did, and how to go on.
func reportInterrupted(_ sink: JournalSink, host: TerminalHost) {
    guard let journal = sink.journal, let id = sink.run, let run = try? journal.run(id) else {
        host.message("mxsh: interrupted before any change was sent\n")
        return
    }
    let unknown = run.count(.sent), queued = run.count(.queued)
    host.message(
        "mxsh: interrupted run \(id): \(run.done) done, \(run.failed) failed, \(run.count(.skipped)) skipped, "
            + "\(queued) queued and never sent" + (unknown > 0 ? ", \(unknown) sent with the answer unknown" : "")
            + "\n"
            + "  what was done: mxsh runs show \(id)\n  to finish it:  mxsh resume \(id)\n")
}

/// A run for one profile of `--profiles` (its variables say which, so `resume` opens
/// it again): `connect @PROFILE as tenant`, the default connection, before the script.
/// Nil when there is none or it opened; else the exit status.
func openTenant(_ assignments: [String], in session: Session) -> Int32? {
    let prefix = tenantVariable + "="
    guard let profile = assignments.last(where: { $0.hasPrefix(prefix) })?.dropFirst(prefix.count), !profile.isEmpty
    else { return nil }
    guard profile.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
        session.host.message("mxsh: \(tenantVariable) names a profile, not '\(profile)'\n")
        return 2
    }
    let outcome = session.run("connect @\(profile) as tenant\n", name: "<profile \(profile)>")
    return outcome == .ok ? nil : outcome.exitStatus
}

/// `--var name=value`: numbers and booleans as such, anything else as text.
/// `--var` as the journal keeps them for `resume`: `name=value`, or the name alone for
/// one whose value may reach a credential (`credentialVariables`): resume asks for it.
func journaled(_ variables: [String], text: String, name: String) -> [String] {
    guard !variables.isEmpty else { return [] }
    let withheld = credentialVariables(in: parse(Source(name: name, text: text), commands: CommandTable.standard).0)
    return variables.map { v in
        guard let eq = v.firstIndex(of: "="), withheld.contains(String(v[..<eq])) else { return v }
        return String(v[..<eq])
    }
}

func defineVariables(_ assignments: [String], in session: Session) -> Bool {
    for a in assignments {
        guard let eq = a.firstIndex(of: "="), !a[..<eq].isEmpty else {
            session.host.message("mxsh: --var takes name=value, not '\(a)'\n")
            return false
        }
        let name = String(a[..<eq]), raw = String(a[a.index(after: eq)...])
        let value: Value =
            raw == "true"
            ? .bool(true)
            : raw == "false"
                ? .bool(false)
                : Double(raw).map(Value.number) ?? .string(raw)
        session.interpreter.define(name, value)
    }
    return true
}

/// `--dry-run` / `mxsh plan`: the script against overlays, then the diff (stdout) and,
/// with `--plan-out`, the plan file. 0 nothing to change, 3 changes planned.
func planScript(text: String, name: String, options: ScriptOptions, host: TerminalHost) -> Int32 {
    let sink = PlanSink()
    sink.continuesPastFailures = true
    let session = Session(host: host, sink: sink)
    configure(session, options)
    guard defineVariables(options.variables, in: session) else { return 2 }
    if let failed = openTenant(options.variables, in: session) { return failed }
    let outcome = session.run(text, name: name)
    if outcome == .invalid { return 2 }
    let report = PlanReport(sink.entries)
    if host.format == .json { host.endDocument([("plan", report.json)]) } else { host.output(report.render()) }
    if outcome != .ok {
        host.message("the plan stops at the failure above; nothing has been sent\n")
        return outcome.exitStatus
    }
    if !report.failures.isEmpty {
        host.message("the plan has \(report.failures.count) change(s) the vendor would refuse (marked !)\n")
    }
    if let path = options.planOut {
        let connections = session.interpreter.connectionOrder.compactMap { session.interpreter.connections[$0] }
        do {
            let plan = try PlanFile.encode(sink.entries, script: name, connections: connections)
            try writeTextFile(path, plan.text + "\n", mode: 0o600)
            host.message("plan saved to \(path): apply it with 'mxsh apply \(path)'\n")
        } catch let e as PlanFile.Failure {
            host.message("mxsh: \(e.message)\n")
            return 1
        } catch let e as FileError {
            host.message("mxsh: \(e.message)\n")
            return 1
        } catch {
            return 1
        }
    }
    return !report.failures.isEmpty ? 1 : report.isEmpty ? 0 : 3
}

/// `mxsh apply PLAN`.
func applyPlan(_ path: String, options: ScriptOptions) -> Int32 {
    let host = TerminalHost(format: options.format)
    defer { host.flush() }
    guard let text = readScript(path, host: host) else { return 2 }
    let json: JSON
    do { json = try JSON.parse(Array(text.utf8)) } catch {
        host.message("mxsh apply: \(path) is not JSON (\(error))\n")
        return 2
    }
    // An applied plan is a run like any other: journaled, so it can be undone or resumed.
    let sink = JournalSink {
        let journal = try Journal()
        let run = try journal.beginRun(
            kind: .apply, script: absolutePath(path), fingerprint: fingerprint(text), variables: [], parent: nil)
        return (journal, run)
    }
    let session = Session(host: host, sink: sink)
    configure(session, options)
    let (result, status) = PlanApplier(session: session).apply(json, file: path)
    sink.finish(status: status == 0 ? .done : .failed)
    if let run = sink.run { host.message("(run \(run): mxsh runs show \(run); mxsh undo \(run))\n") }
    if options.format == .json {
        // The same facts as the text, as one document on stdout.
        host.output(
            JSON.object(
                JSONObject([
                    ("plan", .string(path)), ("run", sink.run.map(JSON.string) ?? .null),
                    ("applied", .int(result.applied)), ("unchanged", .int(result.unchanged)),
                    ("refused", .array(result.refused.map(JSON.string))),
                    ("failed", .array(result.failed.map(JSON.string))), ("status", .int(Int(status)))
                ])
            ).text + "\n")
    }
    return status
}

/// Changes in flight per connection when --jobs is not given: what each vendor bears
/// without throttling (AD360 settings are one object: one at a time).
