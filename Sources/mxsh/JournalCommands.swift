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

    /// `--format`, declared here as the root declares it (or the root would take it for
    /// itself); of the root's options only this one, so `--help` lists what runs uses.
    @OptionGroup var options: OutputOptions
    var format: OutputFormat { options.format }

    @Option(
        name: .customLong("failed-csv"),
        help: ArgumentHelp(
            "With show: write the run's failed and refused changes to FILE (CSV; the state column says which).",
            valueName: "file"))
    var failedCSV: String?

    func validate() throws {
        if show.isEmpty, failedCSV != nil {
            throw ValidationError("--failed-csv writes one run's failed changes: mxsh runs show RUN --failed-csv FILE")
        }
    }

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
        "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):"
        + "\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
}

/// The states in the order `runs` shows their counts.
let stateColumns: [ChangeState] = [.done, .failed, .sent, .queued, .skipped, .refused]

/// The last resume of each run that was resumed, by the id of the run it took up: a run
/// that failed and was finished by a resume keeps its own status (it did fail), shown
/// with the resume that took it up and how that ended.
func resumes(_ runs: [Journal.RunSummary]) -> [String: Journal.RunSummary] {
    var by: [String: Journal.RunSummary] = [:]
    for r in runs where r.kind == .resume {
        guard let parent = r.parent else { continue }
        if let known = by[parent], known.started > r.started { continue }
        by[parent] = r
    }
    return by
}

/// A run's status, and the resume that took it up: "failed, resumed by R (done)".
func statusText(_ r: Journal.RunSummary, resumedBy: Journal.RunSummary?) -> String {
    guard let resume = resumedBy else { return r.status.rawValue }
    return "\(r.status.rawValue), resumed by \(resume.id) (\(resume.status.rawValue))"
}

func listRuns(_ journal: Journal, format: OutputFormat) -> Int32 {
    let runs: [Journal.RunSummary]
    do { runs = try journal.runs() } catch {
        printError("mxsh: cannot read the journal \(journal.path): \(error)\n")
        return 1
    }
    let resumedBy = resumes(runs)
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
            o["resumedBy"] = resumedBy[r.id].map { .string($0.id) } ?? .null
            return .object(o)
        }
        print(JSON.array(items).text)
    case .csv:
        print(
            formatCSV(
                header: ["id", "kind", "status", "started", "finished"] + stateColumns.map(\.rawValue) + [
                    "parent", "script", "resumedBy"
                ],
                rows: runs.map { runRow($0) + [resumedBy[$0.id]?.id ?? ""] }), terminator: "")
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
            ], runs.map { runRow($0, status: statusText($0, resumedBy: resumedBy[$0.id])) })
    }
    return 0
}

func runRow(_ r: Journal.RunSummary, status: String? = nil) -> [String] {
    [r.id, r.kind.rawValue, status ?? r.status.rawValue, isoTime(r.started), r.finished.map(isoTime) ?? ""]
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
    // The resume that took it up, if one did (a journal that cannot list its runs has
    // this run's own status to show, as before).
    let resumedBy = (try? journal.runs()).flatMap { resumes($0)[run.id] }
    if let failedCSV {
        // Refused (drift, a credential a plan does not keep, an object changed since) is
        // not made either: a list to work from again has both.
        let rows = changes.filter { $0.state == .failed || $0.state == .refused }.map { c in
            [
                String(c.seq), c.connection, c.vendor, c.kind, c.key, c.operation, c.fields, c.location,
                c.csvRow.map(String.init) ?? "",
                c.answer ?? "", c.state.rawValue
            ]
        }
        let csv = formatCSV(
            header: [
                "seq", "connection", "vendor", "kind", "key", "operation", "fields", "location", "csvRow", "answer",
                "state"
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
                    ("resumedBy", resumedBy.map { .string($0.id) } ?? .null),
                    ("counts", .object(counts)), ("changes", .array(items))
                ])
            ).text)
    case .csv:
        print(
            formatCSV(
                // The fields as the table shows them (a credential as set (****)): what each change set.
                header: [
                    "seq", "state", "operation", "kind", "key", "connection", "location", "csvRow", "answer", "fields"
                ],
                rows: changes.map { c in
                    [
                        String(c.seq), c.state.rawValue, c.operation, c.kind, c.key, c.connection, c.location,
                        c.csvRow.map(String.init) ?? "", c.answer ?? "", c.fieldsText
                    ]
                }), terminator: "")
    case .table:
        print(
            "run \(run.id) (\(run.kind.rawValue)\(run.parent.map { " of \($0)" } ?? "")): "
                + "\(statusText(run, resumedBy: resumedBy)), "
                + "started \(isoTime(run.started)), script \(run.script)")
        print(
            "\(run.done) done, \(run.failed) failed, \(run.count(.sent)) sent with the answer unknown, "
                + "\(run.count(.queued)) queued (never sent), \(run.count(.skipped)) skipped, \(run.count(.refused)) "
                + "refused"
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
            Without RUN: the newest unfinished run that is not an undo or a shell session, not resumed to the end \
            already and not wholly undone. What the run did (done, or skipped as already so) is not sent again, \
            unless an undo took it back; a change whose answer was lost (sent, unknown) is read first: found done, \
            it is settled in the run's journal and not sent; not done, it is sent again, as are the changes the \
            run queued but never sent, those that failed, and those it never reached. A run made with --limit \
            is resumed with the same limit; --jobs and --on-error are this command's own. A run whose changes \
            were on a connection that ended with its process (memory, connect sandbox) cannot be resumed.
            """)

    @ArgumentParser.Argument(help: ArgumentHelp("The run (from 'mxsh runs').", valueName: "run")) var runID: String?
    /// The root's options, declared once (a declaration of its own would lose `--var`
    /// and `--trace` to the root): `--trace`, and `--var` for a variable the run was
    /// given whose value may reach a credential, so the journal kept only its name.
    @OptionGroup var options: RunOptions

    func validate() throws {
        if options.noJournal {
            throw ValidationError("a resume is journaled: it goes on with the run's journal (--no-journal is for run)")
        }
    }

    func run() throws {
        let journal = try openJournal()
        var request: RunRequest
        let target: Journal.RunSummary
        do throws(RunRefusal) {
            let (picked, runs) = try journal.pickForResume(runID)
            target = picked
            request = try ResumeRun.request(
                resuming: target, runs: runs, journal: journal, given: options.variables, limit: options.limit)
        } catch { throw refused(error) }
        let lost = request.resume?.unknown.values.reduce(0) { $0 + $1.count } ?? 0
        // Counted as the resume will skip them (an undo's taking back is not done before).
        let done = request.resume?.alreadyDone.values.reduce(0, +) ?? 0
        printError(
            "resuming run \(target.id) of \(target.script)"
                + (request.copyLimit.map {
                    " (with --limit \($0), as \(target.copyLimit == .unknown ? "given" : "it was run"))"
                } ?? "")
                + ": \(done) change(s) done before are skipped"
                + (lost > 0 ? "; \(lost) whose answer was lost are read first" : "") + "\n")
        // How to send (--jobs, --on-error) is this command's; what to move (--limit) the run's.
        // The request carries them: that is what the run reads.
        request.jobs = options.jobs
        request.onError = options.onError
        finish(runScript(request, options: ScriptOptions(format: options.format, trace: options.trace)))
    }
}

/// A refusal's one line on stderr, and its exit status.
func refused(_ refusal: RunRefusal) -> ExitCode {
    printError("mxsh: \(refusal.message)\n")
    return ExitCode(refusal.exitStatus)
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
            the inverse would orphan, is refused. Without RUN: the newest run that is not an undo, not \
            executing, not wholly undone and not finished having changed nothing; after an interrupted undo \
            that is the same run again, and what the first undo took back is not taken back twice. --dry-run \
            prints the plan and sends nothing (exit 3 when it would change something).
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
        let undo: UndoRun
        do {
            let (target, runs) = try journal.pickForUndo(runID)
            undo = try UndoRun(target: target, journal: journal, runs: runs)
        } catch let e as RunRefusal { throw refused(e) }
        // As for a run with nothing to resume: refused before anything runs (exit 2).
        if undo.changes.isEmpty {
            for n in undo.notTheRuns { printError("not undone: \(n)\n") }
            printError(
                "mxsh: run \(undo.target.id) changed nothing; nothing to undo"
                    + (undo.neverSent > 0 ? " (\(undo.neverSent) change(s) were queued and never sent)" : "") + "\n")
            throw ExitCode(2)
        }
        let host = TerminalHost(format: .table)
        defer { host.flush() }
        let report: UndoReport
        do throws(UndoRefusal) {
            report = try undo.run(
                dryRun: dryRun, jobs: jobs, host: host, around: surroundings(options.script))
        } catch {
            printError("mxsh: \(error.message)\n")
            throw ExitCode(error.exitStatus)
        }
        if format == .json {
            print(report.json.text)
            finish(report.exitStatus)
        }
        let outcome = report.outcome
        for n in undo.notTheRuns { host.message("not undone: \(n)\n") }
        for i in outcome.impossible { host.message("cannot undo: \(i)\n") }
        for r in outcome.refused { host.message("refused: \(r)\n") }
        for f in outcome.failed { host.message("failed: \(f)\n") }
        if let plan = report.plan {
            // Nothing to send because nothing could be taken back is not "already as asked"
            // (a failed read keeps the plan's own words: it is not known what could be).
            let blocked = !(outcome.impossible.isEmpty && outcome.refused.isEmpty)
            host.output(
                plan.isEmpty && plan.failures.isEmpty && blocked
                    ? "Nothing of it can be undone. Nothing has been sent.\n" : plan.render())
            host.flush()
            finish(report.exitStatus)
        }
        host.message(
            "undo of run \(undo.target.id): \(outcome.applied) change(s) undone, \(outcome.unchanged) already as before"
                + (outcome.earlier > 0 ? ", \(outcome.earlier) undone by an earlier undo" : "")
                + (outcome.notSent > 0 ? ", \(outcome.notSent) not sent (interrupted)" : "")
                + (undo.neverSent > 0 ? ", \(undo.neverSent) never sent (nothing to undo)" : "")
                + (report.run.map { " (run \($0))" } ?? "") + "\n")
        finish(report.exitStatus)
    }
}
