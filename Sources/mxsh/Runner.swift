import MXEngine
import MXJSON
import MXLanguage
import MXModel

#if canImport(Glibc)
    import Glibc
#endif

func readScript(_ path: String, host: TerminalHost) -> String? {
    // A long script's text, and the tree it becomes, go to a heap readied for them at
    // once (the text is copied twice on its way to the parser).
    var info = stat()
    if stat(path, &info) == 0, Int(info.st_size) >= parallelCheckThreshold {
        reserveHeap(bytes: min(Int(info.st_size) * 20, 1 << 30))
    }
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
    // The journal refers to the script by its absolute path (resume reads it again).
    return runScript(options.request(text: text, name: path, script: absolutePath(path)), options: options, host: host)
}

extension ScriptOptions {
    /// A run of `text` with these options.
    func request(text: String, name: String, script: String? = nil) -> RunRequest {
        var request = RunRequest(text: text, name: name, script: script)
        request.variables = variables
        request.jobs = jobs
        request.onError = onError
        request.copyLimit = limit
        request.keepsJournal = !noJournal
        return request
    }
}

func absolutePath(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    var buffer = [CChar](repeating: 0, count: 4096)
    guard getcwd(&buffer, buffer.count) != nil else { return path }
    let cwd = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return cwd + "/" + path
}

/// What this program adds to every session and run: `connect sandbox`, `--trace`,
/// `--limit`; Ctrl-C and the progress line while a run sends.
func surroundings(_ options: ScriptOptions) -> RunSurroundings {
    var around = RunSurroundings { configure($0, options) }
    final class Watch: @unchecked Sendable {
        var interrupt: RunInterrupt?, progress: ProgressReporter?
    }
    let watch = Watch()
    around.sending = { sink, session in
        let interrupt = RunInterrupt(sink: sink)
        interrupt.install()
        session.interpreter.shouldCancel = interrupt.shouldCancel
        let progress = ProgressReporter(sink: sink)
        progress.start()
        (watch.interrupt, watch.progress) = (interrupt, progress)
    }
    around.answered = { watch.progress?.stop() }
    around.wasInterrupted = { watch.interrupt?.wasPressed ?? false }
    return around
}

/// `-c`, files, piped input and resume: the engine's run, then its report rendered.
func runScript(_ request: RunRequest, options: ScriptOptions, host: TerminalHost? = nil) -> Int32 {
    let host = host ?? TerminalHost(format: options.format)
    defer { host.flush() }
    host.beginDocument()
    defer { host.endDocument() }
    if options.dryRun { return planScript(request, options: options, host: host) }
    let report = ScriptRun.apply(request, host: host, around: surroundings(options))
    guard report.status != nil else { return report.exitStatus }
    writeTenantReport(options.tenantReport, report.jsonFields)
    for failure in report.failures { host.message(failure + "\n") }
    host.endDocument(report.jsonFields)
    if report.outcome == .interrupted {
        reportInterrupted(report, host: host)
    } else if report.touchedAnything {
        host.message(
            "\(report.done) change\(report.done == 1 ? "" : "s") applied"
                + (report.alreadyAsAsked > 0 ? ", \(report.alreadyAsAsked) already as asked" : "")
                + (report.doneBefore > 0 ? ", \(report.doneBefore) done before (skipped)" : "")
                + (report.failed > 0 ? ", \(report.failed) failed" : "")
                + (report.unknown > 0 ? ", \(report.unknown) sent with the answer unknown" : "")
                + (report.notSent > 0 ? ", \(report.notSent) not sent" : "")
                + (report.run.map { " (run \($0): mxsh runs show \($0))" } ?? "") + "\n")
    }
    return report.exitStatus
}

/// A tenant's run under --profiles: how it ended (the fields of a JSON document's end),
/// for the parent's table. The parent made the file; a run that could not write it is
/// shown by its exit status alone.
func writeTenantReport(_ path: String?, _ fields: [(String, JSON)]) {
    guard let path else { return }
    try? writeTextFile(path, JSON.object(JSONObject(fields)).text, mode: 0o600)
}

/// After Ctrl-C: what the journal says the run did, and how to go on.
func reportInterrupted(_ report: RunReport, host: TerminalHost) {
    guard let id = report.run, let run = report.interruptedCounts else {
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

/// `--dry-run` / `mxsh plan`: the engine's plan, then the diff (stdout) and what became
/// of the plan file.
func planScript(_ request: RunRequest, options: ScriptOptions, host: TerminalHost) -> Int32 {
    let result = PlanRun.plan(request, planOut: options.planOut, host: host, around: surroundings(options))
    guard let report = result.plan else { return result.exitStatus }
    // A plan stopped by a failure holds what came before it, and says so: in JSON, a
    // status as a run's document has ("done" only when the whole script was planned).
    let complete = result.outcome == .ok
    let status = complete ? "done" : result.outcome == .interrupted ? "interrupted" : "failed"
    let fields: [(String, JSON)] = [("plan", report.json), ("status", .string(status))]
    writeTenantReport(options.tenantReport, fields)
    if host.format == .json {
        host.endDocument(fields)
    } else {
        host.output(report.render(complete: complete))
    }
    if !complete {
        host.message("the plan stops at the failure above; nothing has been sent\n")
        return result.exitStatus
    }
    if !report.failures.isEmpty {
        host.message("the plan has \(report.failures.count) change(s) the vendor would refuse (marked !)\n")
    }
    if let why = result.saveFailure { host.message("mxsh: \(why)\n") }
    if let path = result.saved {
        let n = result.withCredential
        host.message(
            "plan saved to \(path): apply it with 'mxsh apply \(path)'"
                + (n > 0
                    ? " (it refuses the \(n) change\(n == 1 ? "" : "s") with a credential, and later changes to the "
                        + "same object)" : "")
                + "\n")
    }
    return result.exitStatus
}

/// `mxsh apply PLAN`.
func applyPlan(_ path: String, options: ScriptOptions) -> Int32 {
    let host = TerminalHost(format: options.format)
    defer { host.flush() }
    guard let text = readScript(path, host: host) else { return 2 }
    let report = PlanApplyRun.apply(
        text, file: path, script: absolutePath(path), host: host, around: surroundings(options))
    if let run = report.run { host.message("(run \(run): mxsh runs show \(run); mxsh undo \(run))\n") }
    if options.format == .json { host.output(report.json(plan: path).text + "\n") }
    return report.exitStatus
}
