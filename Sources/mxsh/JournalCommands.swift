#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import MXEngine
import MXJSON
import MXModel

/// `mxsh runs`, `mxsh runs show RUN`: what the journal holds.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List the runs in the journal, newest first, or show one (mxsh runs show RUN).")

    @ArgumentParser.Argument(help: ArgumentHelp("'show' and a run id to show one run's changes.", valueName: "show RUN"))
    var show: [String] = []

    /// The root command's options, `--format` among them (one declaration, or the
    /// root's would take `--format` for itself).
    @OptionGroup var options: RunOptions
    var format: OutputFormat { options.format }

    @Option(name: .customLong("failed-csv"), help: ArgumentHelp("With show: write the run's failed changes to FILE (CSV).", valueName: "file"))
    var failedCSV: String?

    func run() throws {
        let journal = try openJournal()
        if show.isEmpty { finish(listRuns(journal, format: format)) }
        guard show.count == 2, show[0] == "show" else {
            throw ValidationError("use 'mxsh runs' or 'mxsh runs show RUN'")
        }
        finish(showRun(journal, id: show[1], format: format, failedCSV: failedCSV))
    }
}

func openJournal() throws -> Journal {
    do { return try Journal() } catch {
        printError("mxsh: cannot open the journal \(Journal.defaultPath): \(error)\n")
        throw ExitCode(1)
    }
}

func isoTime(_ t: Double) -> String {
    var seconds = time_t(t)
    var parts = tm()
    gmtime_r(&seconds, &parts)
    func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
}

func listRuns(_ journal: Journal, format: OutputFormat) -> Int32 {
    guard let runs = try? journal.runs() else { return 1 }
    if format == .json {
        let items: [JSON] = runs.map { r in
            var o = JSONObject([("id", .string(r.id)), ("kind", .string(r.kind)), ("script", .string(r.script)),
                                ("started", .string(isoTime(r.started))), ("status", .string(r.status)),
                                ("done", .int(r.done)), ("failed", .int(r.failed)), ("pending", .int(r.pending)),
                                ("unchanged", .int(r.unchanged))])
            o["finished"] = r.finished.map { .string(isoTime($0)) } ?? .null
            o["parent"] = r.parent.map(JSON.string) ?? .null
            return .object(o)
        }
        print(JSON.array(items).text)
        return 0
    }
    if runs.isEmpty {
        print("No runs yet: a script's changes are journaled when it applies them.")
        return 0
    }
    let rows = runs.map { [$0.id, $0.kind, $0.status, isoTime($0.started), String($0.done), String($0.failed), String($0.pending), $0.script] }
    printTable(["run", "kind", "status", "started", "done", "failed", "pending", "script"], rows)
    return 0
}

func printTable(_ header: [String], _ rows: [[String]]) {
    var widths = header.map(\.count)
    for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, c in i == cells.count - 1 ? c : c + String(repeating: " ", count: widths[i] - c.count) }.joined(separator: "  ")
    }
    print(line(header))
    print(line(widths.map { String(repeating: "-", count: $0) }))
    for r in rows { print(line(r)) }
}

func showRun(_ journal: Journal, id: String, format: OutputFormat, failedCSV: String?) -> Int32 {
    guard let run = try? journal.run(id), let changes = try? journal.changes(of: id) else {
        printError("mxsh: no run '\(id)' in the journal; 'mxsh runs' lists them\n")
        return 2
    }
    if let failedCSV {
        var csv = "seq,connection,vendor,kind,key,operation,fields,location,csvRow,answer\n"
        for c in changes where c.state == "failed" {
            csv += [String(c.seq), c.connection, c.vendor, c.kind, c.key, c.operation, c.fields, c.location,
                    c.csvRow.map(String.init) ?? "", c.answer ?? ""]
                .map(csvField).joined(separator: ",") + "\n"
        }
        do { try writeTextFile(failedCSV, csv, mode: 0o600) } catch let e as FileError {
            printError("mxsh: \(e.message)\n")
            return 1
        } catch { return 1 }
    }
    if format == .json {
        let items: [JSON] = changes.map { c in
            .object(JSONObject([("seq", .int(c.seq)), ("connection", .string(c.connection)), ("vendor", .string(c.vendor)),
                                ("kind", .string(c.kind)), ("key", .string(c.key)), ("operation", .string(c.operation)),
                                ("fields", (try? JSON.parse(Array(c.fields.utf8))) ?? .null), ("location", .string(c.location)),
                                ("csvRow", c.csvRow.map { .int($0) } ?? .null), ("state", .string(c.state)), ("answer", c.answer.map(JSON.string) ?? .null)]))
        }
        print(JSON.object(JSONObject([("id", .string(run.id)), ("status", .string(run.status)), ("script", .string(run.script)),
                                      ("changes", .array(items))])).text)
        return 0
    }
    print("run \(run.id) (\(run.kind)\(run.parent.map { " of \($0)" } ?? "")): \(run.status), started \(isoTime(run.started)), script \(run.script)")
    print("\(run.done) done, \(run.failed) failed, \(run.pending) pending (sent, answer unknown), \(run.unchanged) unchanged or skipped")
    let rows = changes.map { [String($0.seq), $0.state, $0.operation, "\($0.kind) \($0.key)", $0.connection, $0.location, $0.answer ?? ""] }
    printTable(["#", "state", "operation", "object", "at", "where", "answer"], rows)
    return 0
}

/// A field of `--failed-csv`: vendor answers are neutralised as exported cells are.
func csvField(_ s: String) -> String {
    let s = neutralisedCell(s)
    return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") ? "\"" + s.replacingAll("\"", "\"\"") + "\"" : s
}

/// `mxsh resume [RUN]`: the script again, skipping what the run already did.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Run an interrupted or failed run's script again, skipping the changes it already did.",
        discussion: "Without RUN: the newest unfinished run. A change whose answer never came is not skipped: the adapter reads the object first and sends only what is still missing.")

    @ArgumentParser.Argument(help: ArgumentHelp("The run (from 'mxsh runs').", valueName: "run")) var runID: String?
    @Flag(help: "Print each HTTP request and answer on stderr, credentials masked.") var trace = false

    func run() throws {
        let journal = try openJournal()
        let runs = (try? journal.runs()) ?? []
        guard let target = runID.map({ id in runs.first { $0.id == id } }) ?? runs.first(where: { $0.status != "done" && $0.kind != "undo" && $0.kind != "repl" }) else {
            printError(runID.map { "mxsh: no run '\($0)' in the journal; 'mxsh runs' lists them\n" } ?? "mxsh: no unfinished run to resume\n")
            throw ExitCode(2)
        }
        guard target.script.hasPrefix("/") else {
            printError("mxsh: run \(target.id) came from \(target.script), not a file; only script files can be resumed\n")
            throw ExitCode(2)
        }
        let host = TerminalHost(format: .table)
        guard let text = readScript(target.script, host: host) else { throw ExitCode(2) }
        guard fingerprint(text) == target.fingerprint else {
            printError("mxsh: \(target.script) changed since run \(target.id); resuming would not be the same run. Run it again instead: mxsh run \(target.script)\n")
            throw ExitCode(2)
        }
        // Everything this run (and the runs it resumed) did, or found already as asked.
        var done: [String: Int] = [:]
        var chain: String? = target.id
        while let id = chain, let changes = try? journal.changes(of: id) {
            for c in changes where ["done", "unchanged", "skipped"].contains(c.state) {
                done[JournalSink.identity(connection: c.connection, kind: c.kind, key: c.key, operation: c.operation, fields: c.fields), default: 0] += 1
            }
            chain = runs.first { $0.id == id }?.kind == "resume" ? runs.first { $0.id == id }?.parent : nil
        }
        if let skippedLast = try? journal.changes(of: target.id).filter({ $0.state == "skipped" }).count, skippedLast > 0 {
            _ = skippedLast  // already counted through the chain
        }
        printError("resuming run \(target.id) of \(target.script): \(target.done) change(s) done before are skipped\n")
        var options = ScriptOptions(variables: target.variables, trace: trace)
        options.scriptPath = target.script
        options.runKind = "resume"
        options.resume = (target.id, done)
        finish(runScript(text: text, name: target.script, options: options, host: host))
    }
}

/// `mxsh undo [RUN] [--dry-run]`: the run's done changes, inverted, newest first.
struct UndoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Undo a run: apply the inverses of its done changes in reverse order.",
        discussion: "Deleted objects are re-created from their recorded before-state, added aliases removed, changed fields restored. Without RUN: the newest run. --dry-run prints the plan and sends nothing.")

    @ArgumentParser.Argument(help: ArgumentHelp("The run (from 'mxsh runs').", valueName: "run")) var runID: String?
    @Flag(name: .customLong("dry-run"), help: "Print what undo would do; send nothing.") var dryRun = false
    @Flag(help: "Print each HTTP request and answer on stderr, credentials masked.") var trace = false

    func run() throws {
        let journal = try openJournal()
        let runs = (try? journal.runs()) ?? []
        // Without a run id: the newest run that is neither an undo nor still executing.
        guard let target = runID.map({ id in runs.first { $0.id == id } })
                ?? runs.first(where: { $0.kind != "undo" && $0.status != "running" }) else {
            printError(runID.map { "mxsh: no run '\($0)' in the journal; 'mxsh runs' lists them\n" } ?? "mxsh: no run to undo\n")
            throw ExitCode(2)
        }
        // Pending ones too: sent with no answer, they may have been done; an inverse of
        // something not done finds nothing to do.
        let changes = ((try? journal.changes(of: target.id)) ?? []).filter { $0.state == "done" || $0.state == "pending" }.reversed()
        if changes.isEmpty {
            print("Run \(target.id) changed nothing; nothing to undo.")
            finish(0)
        }
        if let c = changes.first(where: { $0.connect == nil }) {
            printError("mxsh: run \(target.id) cannot be undone: connection \(c.connection)'s credential was written into the script, and the journal does not keep it. Give credentials with env(), secret() or a profile.\n")
            throw ExitCode(2)
        }
        let host = TerminalHost(format: .table)
        defer { host.flush() }
        let plan = PlanSink()
        let sink: any ChangeSink = dryRun ? plan : JournalSink {
            let journal = try Journal()
            let id = try journal.beginRun(kind: "undo", script: target.script, fingerprint: target.fingerprint, variables: [], parent: target.id)
            return (journal, id)
        }
        let session = Session(host: host, sink: sink)
        configure(session, ScriptOptions(trace: trace))
        var seen = Set<String>()
        do {
            let key = try SealKey.user()
            for c in changes where !Undo.endedWithProcess(c) && seen.insert(c.connect!).inserted {
                guard let json = try? JSON.parse(c.connect!), let origin = ConnectionOrigin(json: json) else {
                    printError("mxsh: run \(target.id) was journaled by an older mxsh (its connections are statements, which are not run again); connect and undo by hand\n")
                    throw ExitCode(2)
                }
                try session.interpreter.reconnect(origin, key: key, from: "journal of \(target.id)")
            }
        } catch let e as RuntimeError {
            printError("mxsh: \(e.message)\n")
            throw ExitCode(1)
        } catch let e as SealKey.Failure {
            printError("mxsh: \(e.message)\n")
            throw ExitCode(1)
        }
        var impossible: [String] = [], failed: [String] = [], refused: [String] = []
        var applied = 0, unchanged = 0
        for record in changes {
            let connection = session.interpreter.connections[record.connection]
            let step = Undo.inverse(of: record, vendor: connection?.adapter.vendor ?? VendorRegistry.named(record.vendor))
            guard var change = step.change, let connection else {
                impossible.append("\(record.operation) \(record.kind) \(record.key) (\(record.location)): \(step.impossible ?? "no connection")")
                continue
            }
            do {
                // What the undo changes is recorded too, so an undo can be undone.
                change.before = try connection.adapter.current(of: change)
                // Only what the run did, to an object still as the run left it.
                if let why = try Undo.refusal(of: record, current: change.before, vendor: connection.declaration, users: {
                    var n = 0
                    try connection.adapter.forEachUser(domain: record.key) { _ in n += 1; return true }
                    return n
                }) {
                    refused.append("\(record.operation) \(record.kind) \(record.key) (\(record.location)): \(why)")
                    continue
                }
                switch try sink.submit(change, to: connection) {
                case .applied: applied += 1
                case .unchanged: unchanged += 1
                }
            } catch let e as VendorError {
                failed.append("\(change.operation.rawValue) \(change.kind.rawValue) \(change.key): \(e.message) (\(e.vendor) \(e.code))")
            }
        }
        for i in impossible { host.message("cannot undo: \(i)\n") }
        for r in refused { host.message("refused: \(r)\n") }
        for f in failed { host.message("failed: \(f)\n") }
        if dryRun {
            host.output(PlanReport(plan.entries).render())
            host.flush()
            // A plan, and it exits as plans do: 3 when it would change something.
            finish(!failed.isEmpty || !refused.isEmpty || !impossible.isEmpty ? 1 : plan.effective.isEmpty ? 0 : 3)
        } else if let journaled = sink as? JournalSink {
            journaled.finish(status: failed.isEmpty ? "done" : "failed")
            host.message("undo of run \(target.id): \(applied) change(s) applied, \(unchanged) already as before"
                + (journaled.run.map { " (run \($0))" } ?? "") + "\n")
        }
        finish(failed.isEmpty && impossible.isEmpty && refused.isEmpty ? 0 : 1)
    }
}
