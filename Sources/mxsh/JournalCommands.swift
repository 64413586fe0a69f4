import ArgumentParser
import MXEngine
import MXJSON
import MXModel

#if canImport(Glibc)
    import Glibc
#endif

/// `mxsh runs`, `mxsh runs show RUN`: what the journal holds.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List the runs in the journal, newest first, or show one (mxsh runs show RUN).")

    @ArgumentParser.Argument(
        help: ArgumentHelp("'show' and a run id to show one run's changes.", valueName: "show RUN"))
    var show: [String] = []

    /// The root command's options, `--format` among them (one declaration, or the
    /// root's would take `--format` for itself).
    @OptionGroup var options: RunOptions
    var format: OutputFormat { options.format }

    @Option(
        name: .customLong("failed-csv"),
        help: ArgumentHelp("With show: write the run's failed changes to FILE (CSV).", valueName: "file"))
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
    do { return try Journal() } catch let e as JournalError {
        printError("mxsh: \(e.message)\n")
        throw ExitCode(1)
    } catch {
        printError("mxsh: cannot open the journal \(Journal.defaultPath): \(error)\n")
        throw ExitCode(1)
    }
}

func isoTime(_ t: Double) -> String {
    var seconds = time_t(t)
    var parts = tm()
    gmtime_r(&seconds, &parts)
    func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return
        "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
}

/// The states in the order `runs` shows their counts.
let stateColumns: [ChangeState] = [.done, .failed, .sent, .queued, .skipped, .refused]

func listRuns(_ journal: Journal, format: OutputFormat) -> Int32 {
    let runs: [Journal.RunSummary]
    do { runs = try journal.runs() } catch {
        printError("mxsh: cannot read the journal \(journal.path): \(error)\n")
        return 1
    }
    switch format {
    case .json:
        let items: [JSON] = runs.map { r in
            var o = JSONObject([
                ("id", .string(r.id)), ("kind", .string(r.kind.rawValue)), ("script", .string(r.script)),
                ("started", .string(isoTime(r.started))), ("status", .string(r.status.rawValue))
            ])
            for state in stateColumns { o[state.rawValue] = .int(r.count(state)) }
            o["finished"] = r.finished.map { .string(isoTime($0)) } ?? .null
            o["parent"] = r.parent.map(JSON.string) ?? .null
            return .object(o)
        }
        print(JSON.array(items).text)
    case .csv:
        print(
            formatCSV(
                header: ["id", "kind", "status", "started", "finished"] + stateColumns.map(\.rawValue) + [
                    "parent", "script"
                ],
                rows: runs.map(runRow)), terminator: "")
    case .table:
        if runs.isEmpty {
            print("No runs yet: a script's changes are journaled when it applies them.")
            return 0
        }
        printTable(
            [
                "run", "kind", "status", "started", "finished", "done", "failed", "unknown", "queued", "skipped",
                "refused",
                "parent", "script"
            ], runs.map(runRow))
    }
    return 0
}

func runRow(_ r: Journal.RunSummary) -> [String] {
    [r.id, r.kind.rawValue, r.status.rawValue, isoTime(r.started), r.finished.map(isoTime) ?? ""]
        + stateColumns.map { String(r.count($0)) } + [r.parent ?? "", r.script]
}

func printTable(_ header: [String], _ rows: [[String]]) {
    var widths = header.map(\.count)
    for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, c in
            i == cells.count - 1 ? c : c + String(repeating: " ", count: widths[i] - c.count)
        }.joined(separator: "  ")
    }
    // Cells hold vendor text (a change's answer): on a terminal its control characters
    // are shown escaped, as the host's output is.
    let terminal = isatty(1) != 0
    func show(_ text: String) { print(terminal ? escapingControls(text) : text) }
    show(line(header))
    show(line(widths.map { String(repeating: "-", count: $0) }))
    for r in rows { show(line(r)) }
}

func showRun(_ journal: Journal, id: String, format: OutputFormat, failedCSV: String?) -> Int32 {
    let run: Journal.RunSummary?, changes: [Journal.ChangeRecord]
    do { (run, changes) = (try journal.run(id), try journal.changes(of: id)) } catch {
        printError("mxsh: cannot read the journal \(journal.path): \(error)\n")
        return 1
    }
    guard let run else {
        printError("mxsh: no run '\(id)' in the journal; 'mxsh runs' lists them\n")
        return 2
    }
    if let failedCSV {
        let rows = changes.filter { $0.state == .failed }.map { c in
            [
                String(c.seq), c.connection, c.vendor, c.kind, c.key, c.operation, c.fields, c.location,
                c.csvRow.map(String.init) ?? "",
                c.answer ?? ""
            ]
        }
        let csv = formatCSV(
            header: [
                "seq", "connection", "vendor", "kind", "key", "operation", "fields", "location", "csvRow", "answer"
            ],
            rows: rows)
        do { try writeTextFile(failedCSV, csv, mode: 0o600) } catch let e as FileError {
            printError("mxsh: \(e.message)\n")
            return 1
        } catch { return 1 }
    }
    switch format {
    case .json:
        let items: [JSON] = changes.map { c in
            .object(
                JSONObject([
                    ("seq", .int(c.seq)), ("connection", .string(c.connection)), ("vendor", .string(c.vendor)),
                    ("kind", .string(c.kind)), ("key", .string(c.key)), ("operation", .string(c.operation)),
                    ("fields", (try? JSON.parse(Array(c.fields.utf8))) ?? .null), ("location", .string(c.location)),
                    ("csvRow", c.csvRow.map { .int($0) } ?? .null), ("state", .string(c.state.rawValue)),
                    ("answer", c.answer.map(JSON.string) ?? .null)
                ]))
        }
        var counts = JSONObject()
        for state in stateColumns { counts[state.rawValue] = .int(run.count(state)) }
        print(
            JSON.object(
                JSONObject([
                    ("id", .string(run.id)), ("kind", .string(run.kind.rawValue)),
                    ("status", .string(run.status.rawValue)),
                    ("script", .string(run.script)), ("parent", run.parent.map(JSON.string) ?? .null),
                    ("counts", .object(counts)), ("changes", .array(items))
                ])
            ).text)
    case .csv:
        print(
            formatCSV(
                header: ["seq", "state", "operation", "kind", "key", "connection", "location", "csvRow", "answer"],
                rows: changes.map { c in
                    [
                        String(c.seq), c.state.rawValue, c.operation, c.kind, c.key, c.connection, c.location,
                        c.csvRow.map(String.init) ?? "", c.answer ?? ""
                    ]
                }), terminator: "")
    case .table:
        print(
            "run \(run.id) (\(run.kind.rawValue)\(run.parent.map { " of \($0)" } ?? "")): \(run.status.rawValue), "
                + "started \(isoTime(run.started)), script \(run.script)")
        print(
            "\(run.done) done, \(run.failed) failed, \(run.count(.sent)) sent with the answer unknown, "
                + "\(run.count(.queued)) queued (never sent), \(run.count(.skipped)) skipped, \(run.count(.refused)) refused"
        )
        let rows = changes.map {
            [
                String($0.seq), $0.state.rawValue, $0.operation, "\($0.kind) \($0.key)", $0.connection, $0.location,
                $0.answer ?? "", $0.fieldsText
            ]
        }
        printTable(["#", "state", "operation", "object", "at", "where", "answer", "fields"], rows)
    }
    return 0
}

/// `mxsh resume [RUN]`: the script again, skipping what the run already did.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Run an interrupted or failed run's script again, skipping the changes it already did.",
        discussion: """
            Without RUN: the newest unfinished run that is not an undo or a shell session. What the run did (done, \
            or skipped as already so) is not sent again; a change whose answer was lost (sent, unknown) is read \
            first: found done, it is settled in the run's journal and not sent; not done, it is sent again, as are \
            the changes the run queued but never sent, those that failed, and those it never reached.
            """)

    @ArgumentParser.Argument(help: ArgumentHelp("The run (from 'mxsh runs').", valueName: "run")) var runID: String?
    /// The root's options, declared once (a declaration of its own would lose `--var`
    /// and `--trace` to the root): `--trace`, and `--var` for a variable the run was
    /// given whose value may reach a credential, so the journal kept only its name.
    @OptionGroup var options: RunOptions

    func run() throws {
        let journal = try openJournal()
        let runs = try readRuns(journal)
        guard
            let target = runID.map({ id in runs.first { $0.id == id } })
                ?? runs.first(where: { ![.done, .running].contains($0.status) && ![.undo, .repl].contains($0.kind) })
        else {
            printError(
                runID.map { "mxsh: no run '\($0)' in the journal; 'mxsh runs' lists them\n" }
                    ?? "mxsh: no unfinished run to resume\n")
            throw ExitCode(2)
        }
        try holdLock(of: target, in: journal, for: "resume")
        if target.kind == .apply {
            printError(
                "mxsh: run \(target.id) applied the plan \(target.script): apply it again (mxsh apply \(target.script)); "
                    + "objects already as planned are left as they are\n")
            throw ExitCode(2)
        }
        guard target.script.hasPrefix("/") else {
            printError(
                "mxsh: run \(target.id) came from \(target.script), not a file; only script files can be resumed\n")
            throw ExitCode(2)
        }
        let host = TerminalHost(format: .table)
        guard let text = readScript(target.script, host: host) else { throw ExitCode(2) }
        guard fingerprint(text) == target.fingerprint else {
            printError(
                "mxsh: \(target.script) changed since run \(target.id); resuming would not be the same run. "
                    + "Run it again instead: mxsh run \(target.script)\n")
            throw ExitCode(2)
        }
        // What this run (and the runs it resumed) did or found already so, and the changes
        // whose answer they lost.
        var done: [String: Int] = [:]
        var unknown: [String: [Int64]] = [:]
        var chain: String? = target.id
        while let id = chain {
            for c in try journal.changes(of: id) {
                let identity = JournalSink.identity(
                    connection: c.connection, kind: c.kind, key: c.key, operation: c.operation,
                    fields: c.fields)
                switch c.state {
                case .done, .skipped: done[identity, default: 0] += 1
                case .sent: unknown[identity, default: []].append(c.rowid)
                case .queued, .failed, .refused: break
                }
            }
            let run = runs.first { $0.id == id }
            chain = run?.kind == .resume ? run?.parent : nil
        }
        let lost = unknown.values.reduce(0) { $0 + $1.count }
        printError(
            "resuming run \(target.id) of \(target.script): \(target.done) change(s) done before are skipped"
                + (lost > 0 ? "; \(lost) whose answer was lost are read first" : "") + "\n")
        var script = ScriptOptions(variables: try resumedVariables(of: target), trace: options.trace)
        script.scriptPath = target.script
        script.runKind = .resume
        script.resume = (target.id, done, unknown)
        finish(runScript(text: text, name: target.script, options: script, host: host))
    }
}

extension ResumeCommand {
    /// The run's `--var` again: those the journal kept, and those it kept only by name
    /// (they may hold a credential) from this command's own `--var`.
    func resumedVariables(of target: Journal.RunSummary) throws -> [String] {
        func name(_ v: String) -> String { String(v.prefix { $0 != "=" }) }
        let given = Dictionary(options.variables.map { (name($0), $0) }, uniquingKeysWith: { _, b in b })
        var out: [String] = []
        var missing: [String] = []
        for v in target.variables {
            if let g = given[name(v)] {
                out.append(g)
            } else if v.contains("=") {
                out.append(v)
            } else {
                missing.append(v)
            }
        }
        guard missing.isEmpty else {
            printError(
                "mxsh: run \(target.id) was given --var \(missing.joined(separator: ", ")), whose value may reach a "
                    + "credential, so the journal kept only the name; give it again: mxsh resume \(target.id) "
                    + missing.map { "--var \($0)=..." }.joined(separator: " ") + "\n")
            throw ExitCode(2)
        }
        return out
    }
}

/// The journal's runs, or an error naming the journal (a damaged one is never "no run").
func readRuns(_ journal: Journal) throws -> [Journal.RunSummary] {
    do { return try journal.runs() } catch {
        printError("mxsh: cannot read the journal \(journal.path): \(error)\n")
        throw ExitCode(1)
    }
}

/// Takes the lock of the run about to be resumed or undone, or refuses: a run another
/// process is executing, resuming or undoing is left to it.
func holdLock(of target: Journal.RunSummary, in journal: Journal, for verb: String) throws {
    if target.status == .running || !journal.lock(run: target.id) {
        printError(
            "mxsh: run \(target.id) is executing in another process (or being resumed or undone there); "
                + "it cannot \(verb == "undo" ? "be undone" : "be resumed") now. Wait for it, or stop it with Ctrl-C\n")
        throw ExitCode(2)
    }
}

/// `mxsh undo [RUN] [--dry-run]`: the run's changes, inverted, newest first.
struct UndoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Undo a run: apply the inverses of its changes in reverse order.",
        discussion: """
            Deleted objects are re-created from their recorded before-state, added aliases removed, changed fields \
            restored; only for changes the run made (done, or sent with the answer lost), never for queued ones \
            (never sent) or adds whose object was there before the run. An object changed since the run, or one \
            the inverse would orphan, is refused. Without RUN: the newest run that is not an undo, not executing \
            and not wholly undone; after an interrupted undo that is the same run again, and what the first undo \
            took back is not taken back twice. --dry-run prints the plan and sends nothing (exit 3 when it would \
            change something).
            """)

    @ArgumentParser.Argument(help: ArgumentHelp("The run (from 'mxsh runs').", valueName: "run")) var runID: String?
    @Flag(name: .customLong("dry-run"), help: "Print what undo would do; send nothing.") var dryRun = false
    /// The root command's options: `--format table|json` (how the outcome is printed)
    /// and `--jobs N` (objects undone at once; default the connections' own).
    @OptionGroup var options: RunOptions
    var format: OutputFormat { options.format }
    var jobs: Int? { options.jobs }

    func validate() throws {
        if format == .csv { throw ValidationError("undo prints table or json, not csv") }
    }

    func run() throws {
        let journal = try openJournal()
        let runs = try readRuns(journal)
        /// Runs an undo finished with everything done.
        let undone = Set(runs.filter { $0.kind == .undo && $0.status == .done }.compactMap(\.parent))
        guard
            let target = runID.map({ id in runs.first { $0.id == id } })
                ?? runs.first(where: { $0.kind != .undo && $0.status != .running && !undone.contains($0.id) })
        else {
            printError(
                runID.map { "mxsh: no run '\($0)' in the journal; 'mxsh runs' lists them\n" }
                    ?? "mxsh: no run to undo\n")
            throw ExitCode(2)
        }
        try holdLock(of: target, in: journal, for: "undo")
        let undo = try UndoRun(target: target, journal: journal, runs: runs)
        if undo.changes.isEmpty {
            if format == .json {
                print(Self.json(undo, UndoRun.Outcome(), dryRun: dryRun, run: nil, plan: nil).text)
            } else {
                print(
                    "Run \(target.id) changed nothing; nothing to undo."
                        + (undo.neverSent > 0 ? " (\(undo.neverSent) change(s) were queued and never sent.)" : ""))
            }
            finish(0)
        }
        if let c = undo.changes.first(where: { $0.connect == nil }) {
            printError(
                "mxsh: run \(target.id) cannot be undone: connection \(c.connection)'s credential was written into the script, "
                    + "and the journal does not keep it. Give credentials with env(), secret() or a profile.\n")
            throw ExitCode(2)
        }
        let host = TerminalHost(format: .table)
        defer { host.flush() }
        let plan = PlanSink()
        let journaled = JournalSink {
            let journal = try Journal()
            let id = try journal.beginRun(
                kind: .undo, script: target.script, fingerprint: target.fingerprint, variables: [], parent: target.id)
            return (journal, id)
        }
        let sink: any ChangeSink = dryRun ? plan : journaled
        let session = Session(host: host, sink: sink)
        configure(session, ScriptOptions(trace: options.trace))
        var seen = Set<String>()
        do {
            let key = try SealKey.user()
            for c in undo.changes where !Undo.endedWithProcess(c) && seen.insert(c.connect!).inserted {
                guard let json = try? JSON.parse(c.connect!), let origin = ConnectionOrigin(json: json) else {
                    printError(
                        "mxsh: run \(target.id) was journaled by an older mxsh (its connections are statements, "
                            + "which are not run again); connect and undo by hand\n")
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
        let connections = session.interpreter.connections
        // A plan reads through one overlay, one change after another; a real undo goes
        // as wide as its connections allow.
        let width = dryRun ? 1 : jobs ?? connections.values.map(\.declaration.defaultJobs).max() ?? 1
        let outcome = undo.apply(connections: connections, sink: sink, jobs: width) { change, connection, why in
            if !dryRun { journaled.refuse(change, to: connection, why: why) }
        }
        let report = dryRun ? PlanReport(plan.entries) : nil
        if !dryRun { journaled.finish(status: outcome.succeeded ? .done : .failed) }
        let status: Int32 =
            if dryRun {
                // A plan, and it exits as plans do: 3 when it would change something.
                !outcome.succeeded || !plan.failures.isEmpty ? 1 : plan.effective.isEmpty ? 0 : 3
            } else { outcome.succeeded ? 0 : 1 }
        if format == .json {
            print(Self.json(undo, outcome, dryRun: dryRun, run: journaled.run, plan: report).text)
            finish(status)
        }
        for n in undo.notTheRuns { host.message("not undone: \(n)\n") }
        for i in outcome.impossible { host.message("cannot undo: \(i)\n") }
        for r in outcome.refused { host.message("refused: \(r)\n") }
        for f in outcome.failed { host.message("failed: \(f)\n") }
        if let report {
            host.output(report.render())
            host.flush()
            finish(status)
        }
        host.message(
            "undo of run \(target.id): \(outcome.applied) change(s) undone, \(outcome.unchanged) already as before"
                + (outcome.earlier > 0 ? ", \(outcome.earlier) undone by an earlier undo" : "")
                + (undo.neverSent > 0 ? ", \(undo.neverSent) never sent (nothing to undo)" : "")
                + (journaled.run.map { " (run \($0))" } ?? "") + "\n")
        finish(status)
    }

    /// `--format json`: one document with the same facts as the text.
    static func json(_ undo: UndoRun, _ o: UndoRun.Outcome, dryRun: Bool, run: String?, plan: PlanReport?) -> JSON {
        func strings(_ l: [String]) -> JSON { .array(l.map(JSON.string)) }
        var fields: [(String, JSON)] = [
            ("run", .string(undo.target.id)), ("undo_run", run.map(JSON.string) ?? .null), ("dry_run", .bool(dryRun)),
            ("undone", .int(o.applied)), ("already_as_before", .int(o.unchanged)),
            ("undone_earlier", .int(o.earlier)), ("never_sent", .int(undo.neverSent)),
            ("not_the_runs", strings(undo.notTheRuns)), ("impossible", strings(o.impossible)),
            ("refused", strings(o.refused)), ("failed", strings(o.failed))
        ]
        if let plan { fields.append(("plan", plan.json)) }
        return .object(JSONObject(fields))
    }
}
