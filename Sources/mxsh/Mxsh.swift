import ArgumentParser
import MXEngine
import MXLanguage

#if canImport(Glibc)
    import Glibc
#endif

/// `--var`, a group of its own. The root command (`mxsh -c`, the shell) reads its
/// options from the whole command line first, and argument parser gives a subcommand
/// what the root read only as a group of the same type: `check`, which takes no other
/// run option, shares this one. (With a `--var` of its own, `check FILE --var n=5`
/// never saw `n`.)
struct VariableOptions: ParsableArguments {
    @Option(
        name: .customLong("var"),
        help: ArgumentHelp(
            "Define a variable before the script runs or is checked (repeatable).", valueName: "name=value"))
    var variables: [String] = []
}

/// `--format`: every command that prints a listing or a report has it.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Output format for list/show: table, json or csv.")
    var format: OutputFormat = .table
}

/// `--trace`: the commands that talk to vendors have it (one declaration of its help).
struct TraceOptions: ParsableArguments {
    @Flag(help: "Print each HTTP request and answer on stderr, credentials masked ('trace on' in the shell).")
    var trace = false
}

/// Options shared by every way of running a script.
struct RunOptions: ParsableArguments {
    @OptionGroup var output: OutputOptions
    var format: OutputFormat { output.format }

    @OptionGroup var given: VariableOptions
    var variables: [String] { given.variables }

    @OptionGroup var tracing: TraceOptions
    var trace: Bool { tracing.trace }

    @Option(help: "Changes in flight at once per connection (default: proofpoint 4, cleanmail 8, opensrs 4, ad360 1).")
    var jobs: Int?

    @Flag(
        name: .customLong("no-journal"),
        help: ArgumentHelp(
            "Do not journal the changes: nothing of the run can then be resumed or undone (for measuring, or a "
                + "connection with a literal credential)."))
    var noJournal = false

    @Option(
        name: .customLong("on-error"),
        help: ArgumentHelp(
            "When a change fails: stop (finish those in flight, send no more; the default) or continue (report all "
                + "failures at the end). With --profiles, only a given 'stop' stops the other tenants' runs.",
            valueName: "stop|continue"))
    var onErrorGiven: Executor.OnError?
    var onError: Executor.OnError { onErrorGiven ?? .stop }

    @Option(
        help: ArgumentHelp(
            "Rehearse a migration: each 'copy' moves at most the first N objects (as 'copy ... limit=N').",
            valueName: "N"))
    var limit: Int?

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit is a number of domains, 0 or more; not \(limit)") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs is at least 1; not \(jobs)") }
    }
}

extension OutputFormat: ExpressibleByArgument {}
extension Executor.OnError: ExpressibleByArgument {}

/// What a run needs of the command line, as plain values (an ArgumentParser struct
/// cannot be made without parsing).
struct ScriptOptions {
    var format: OutputFormat = .table
    var variables: [String] = []
    var trace = false
    var jobs: Int?
    var onError: Executor.OnError = .stop
    var noJournal = false
    /// `--limit N`: the most objects one `copy` moves.
    var limit: Int?
    /// Plan instead of apply: nothing that changes anything is sent.
    var dryRun = false
    var planOut: String?
    /// `--tenant-report FILE` (a tenant's run under --profiles): how the run ended, as JSON.
    var tenantReport: String?
}

extension RunOptions {
    var script: ScriptOptions {
        ScriptOptions(
            format: format, variables: variables, trace: trace, jobs: jobs, onError: onError, noJournal: noJournal,
            limit: limit)
    }
}

/// `--dry-run` and `--plan-out` (for `run`; `plan` implies the first).
struct PlanOptions: ParsableArguments {
    @Flag(
        name: .customLong("dry-run"),
        help:
            ArgumentHelp(
                "Plan only: read the vendors, send nothing that changes anything, print the diff. Exit 0 when there is "
                    + "nothing to change, 3 when there is.")
    )
    var dryRun = false

    @Option(
        name: .customLong("plan-out"),
        help: ArgumentHelp("Save the plan to FILE (JSON) for 'mxsh apply FILE'. Implies --dry-run.", valueName: "file"))
    var planOut: String?
}

/// Leaves at once with `status`: output is flushed by then, and tearing down a large
/// syntax tree or a million objects one by one would only delay the exit.
func finish(_ status: Int32) -> Never {
    fflush(nil)
    exit(status)
}

/// `mxsh FILE` (what a `#!/usr/bin/env mxsh` line runs) means `mxsh run FILE`.
@main
enum Entry {
    static func main() {
        var args = Array(CommandLine.arguments.dropFirst())
        // The common forms skip swift-argument-parser: its reflection scans every
        // protocol conformance in the binary (SwiftNIO's included), which costs more
        // than the rest of a `mxsh -c 'print 1'`.
        switch args.count {
        case 0: finish(runREPL(options: ScriptOptions()))
        case 1 where !args[0].hasPrefix("-") && !knownSubcommands.contains(args[0]) && args[0] != "help":
            finish(runFile(args[0], options: ScriptOptions()))
        case 2 where args[0] == "-c":
            finish(runScript(ScriptOptions().request(text: args[1], name: "<-c>"), options: ScriptOptions()))
        case 2 where args[0] == "run" && !args[1].hasPrefix("-"): finish(runFile(args[1], options: ScriptOptions()))
        case 2 where args[0] == "check" && !args[1].hasPrefix("-"): checkFile(args[1], variables: [])
        // `mxsh help for`: a topic of the language's help (argument parser's own `help`
        // knows only subcommands, and printed the overview for any other word).
        case 2...3
        where args[0] == "help" && !knownSubcommands.contains(args[1]) && !args[1].hasPrefix("-")
            && args.dropFirst().allSatisfy(isHelpWord):
            let topic = args.dropFirst().joined(separator: " ")
            finish(runScript(ScriptOptions().request(text: "help " + topic, name: "<help>"), options: ScriptOptions()))
        default: break
        }
        let subcommands = Mxsh.configuration.subcommands.map { $0._commandName }
        assert(Set(subcommands) == knownSubcommands, "knownSubcommands is out of date: \(subcommands)")
        if let first = firstOperand(args), !subcommands.contains(first), first != "help", !args.contains("-c") {
            args.insert("run", at: 0)
        }
        Mxsh.main(args)
    }
}

/// The first argument that is neither an option nor an option's value: `FILE` in
/// `mxsh --no-journal --var n=5 FILE`, which is `mxsh run ...` as `mxsh FILE` is.
func firstOperand(_ args: [String]) -> String? {
    let takesValue: Set<String> = [
        "--format", "--var", "--jobs", "--on-error", "--limit", "--plan-out", "--profiles", "--tenants"
    ]
    var i = 0
    while i < args.count {
        let a = args[i]
        if a == "--" { return i + 1 < args.count ? args[i + 1] : nil }
        if !a.hasPrefix("-") { return a }
        i += takesValue.contains(a) ? 2 : 1
    }
    return nil
}

/// A topic or vendor name `mxsh help` passes to the language's help: letters, digits,
/// `-` and `_` (ad360, fields), nothing a script could be made of.
func isHelpWord(_ word: String) -> Bool {
    word.utf8.allSatisfy { b in
        b == 0x2D || b == 0x5F || (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A)
    }
}

/// Kept by hand beside `Mxsh.configuration` (reading that is what the fast path avoids);
/// debug builds check the two agree on every slow-path start.
let knownSubcommands: Set<String> = [
    "run", "check", "plan", "apply", "runs", "resume", "undo", "sandbox", "fmt", "test", "docs", "parse", "manual",
    "lsp"
]

struct Mxsh: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mxsh",
        abstract: "One scripting language for mail domains at Proofpoint, Cleanmail, OpenSRS and AD360.",
        discussion:
            "With no arguments: the interactive shell (or, with input from a pipe, that input as a script). `mxsh "
            + "FILE` runs FILE, so a script may start with #!/usr/bin/env mxsh. The language: `mxsh -c help` lists "
            + "its commands (`help` in the shell); `mxsh help TOPIC` explains one: a command, or language, fields, "
            + "vendors, functions, for, where, def.",
        version: versionLine,
        subcommands: [
            Run.self, Check.self, PlanCommand.self, ApplyCommand.self, RunsCommand.self, ResumeCommand.self,
            UndoCommand.self,
            SandboxCommand.self, FormatCommand.self, TestCommand.self, LSPCommand.self, DocsCommand.self, Parse.self,
            ManualCommand.self
        ])

    @Option(name: .customShort("c"), help: ArgumentHelp("Run CODE and exit.", valueName: "code"))
    var code: String?

    @OptionGroup var options: RunOptions

    func run() throws {
        if let code {
            finish(runScript(options.script.request(text: code, name: "<-c>"), options: options.script))
        }
        finish(runREPL(options: options.script))
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a script file.")

    @ArgumentParser.Argument(help: "The script.", completion: .file(extensions: ["mxsh"]))
    var file: String

    @OptionGroup var options: RunOptions
    @OptionGroup var plan: PlanOptions

    @Option(
        help: ArgumentHelp(
            "Run the script once per profile whose name matches (a glob, 'cust-*'), each as a run of its own, "
                + "with 'connect @PROFILE as tenant' as its default connection.", valueName: "glob"))
    var profiles: String?

    @Option(help: ArgumentHelp("With --profiles: how many profiles run at once (default 4).", valueName: "n"))
    var tenants: Int = 4

    /// Where a tenant's run (a child of --profiles) writes how it ended, as JSON, whatever
    /// its --format: the parent's table is made from it.
    @Option(name: .customLong("tenant-report"), help: ArgumentHelp(visibility: .private))
    var tenantReport: String?

    func validate() throws {
        if profiles != nil, let planOut = plan.planOut {
            throw ValidationError(
                "--plan-out saves one plan, and with --profiles each tenant has its own: see them all with --dry-run, "
                    + "or save one with 'mxsh plan FILE --var \(tenantVariable)=PROFILE --plan-out \(planOut)'")
        }
    }

    func run() throws {
        if let profiles {
            // Each tenant's run is given this run's options, all but --profiles itself.
            var passThrough: [String] = options.variables.flatMap { ["--var", $0] }
            if let jobs = options.jobs { passThrough += ["--jobs", String(jobs)] }
            passThrough += ["--on-error", options.onError.rawValue]
            if options.trace { passThrough.append("--trace") }
            if options.noJournal { passThrough.append("--no-journal") }
            if let limit = options.limit { passThrough += ["--limit", String(limit)] }
            if plan.dryRun { passThrough.append("--dry-run") }
            finish(
                runForProfiles(
                    file, pattern: profiles, tenants: tenants, options: options.script,
                    stopOthers: options.onErrorGiven == .stop, passThrough: passThrough))
        }
        var script = options.script
        script.dryRun = plan.dryRun || plan.planOut != nil
        script.planOut = plan.planOut
        script.tenantReport = tenantReport
        finish(runFile(file, options: script))
    }
}

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan a script: read the vendors, send no change, print the diff (mxsh run --dry-run).",
        discussion:
            "Later reads in the script see the planned changes. Exit status: 0 nothing to change, 3 changes planned, 1 "
            + "a statement failed, 2 the script did not parse or check."
    )

    @ArgumentParser.Argument(help: "The script.", completion: .file(extensions: ["mxsh"]))
    var file: String

    @OptionGroup var options: RunOptions

    @Option(
        name: .customLong("plan-out"),
        help: ArgumentHelp("Save the plan to FILE (JSON) for 'mxsh apply FILE'.", valueName: "file"))
    var planOut: String?

    func run() throws {
        var script = options.script
        script.dryRun = true
        script.planOut = planOut
        finish(runFile(file, options: script))
    }
}

struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply a saved plan exactly, refusing each object that changed since it was planned.",
        discussion:
            "Nothing in a plan is evaluated. Opens the plan's connections, which it keeps as data (vendor, name, URL, "
            + "organisation, and where each credential comes from: env(), secret() or a profile), resolving "
            + "credentials now; a connection not sealed by this user's mxsh, or one that now reaches another "
            + "URL or organisation, is refused before anything is sent. Then, for each object, compares "
            + "what the vendor holds with what the plan was made against. Exit status: 0 all applied, "
            + "1 something refused or failed, 2 not a plan."
    )

    @ArgumentParser.Argument(help: "The plan (from --plan-out).", completion: .file(extensions: ["json"]))
    var file: String

    /// `--format json` prints the outcome as one document on stdout (the text stays on
    /// stderr). Declared here as the root declares it, or the root would take it; of the
    /// root's options only these two, so `--help` lists what apply uses.
    @OptionGroup var options: OutputOptions

    @OptionGroup var tracing: TraceOptions

    func validate() throws {
        if options.format == .csv { throw ValidationError("apply prints table or json, not csv") }
    }

    func run() throws {
        finish(applyPlan(file, options: ScriptOptions(format: options.format, trace: tracing.trace)))
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Parse and check a script without connecting to anything.",
        discussion:
            "Reports every syntax error, unknown command, variable or field, wrong arity, and every write the vendors "
            + "named on the script's connect lines cannot do. Exit status 0 when clean, 2 otherwise."
    )

    @ArgumentParser.Argument(help: "The script.", completion: .file(extensions: ["mxsh"]))
    var file: String

    /// What `run --var` defines, `check --var` knows: the two accept the same scripts.
    @OptionGroup var given: VariableOptions

    func run() throws { checkFile(file, variables: given.variables) }
}

/// `mxsh check FILE`: exits 0 when the script is clean, 2 (with every error) otherwise.
func checkFile(_ file: String, variables: [String]) -> Never {
    let host = TerminalHost(format: .table)
    guard let text = readScript(file, host: host) else { host.flush(); finish(2) }
    let session = Session(host: host)
    // What `run --var` defines, `check --var` knows: the two accept the same scripts.
    guard session.define(variables: variables) else { host.flush(); finish(2) }
    // `run --var tenant_profile=P` opens `connect @P as tenant` before the script (and a
    // runbook's test runs after its runbook): the check reads the script after the same.
    var prelude = TestPrelude.source(for: file)
    if let profile = tenantProfile(variables) {
        // As the run refuses it: what check accepts, run accepts.
        guard isProfileName(profile) else {
            host.message("mxsh: \(notAProfileName(profile))\n")
            host.flush()
            finish(2)
        }
        prelude = Source(name: "<profile \(profile)>", text: tenantConnectLine(profile) + (prelude?.text ?? ""))
    }
    let (program, diagnostics) = session.diagnose(text, name: file, after: prelude)
    if !diagnostics.isEmpty {
        host.message(DiagnosticList(diagnostics).render(in: program.source))
        host.message("\(diagnostics.count) error\(diagnostics.count == 1 ? "" : "s") in \(file)\n")
    }
    host.flush()
    // The tree dies with the process: freed node by node, a long script's takes a
    // tenth as long as checking it did.
    withExtendedLifetime(program) { finish(diagnostics.isEmpty ? 0 : 2) }
}

/// The parser's view of a script, for debugging and the parser's golden tests.
struct Parse: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a script's syntax tree (for debugging the grammar).", shouldDisplay: false)

    @ArgumentParser.Argument(help: "The script.")
    var file: String

    func run() throws {
        let host = TerminalHost(format: .table)
        defer { host.flush() }
        guard let text = readScript(file, host: host) else { throw ExitCode(2) }
        let source = Source(name: file, text: text)
        let (program, diagnostics) = MXLanguage.parse(source, commands: CommandTable.standard)
        host.output(dump(program))
        if !diagnostics.isEmpty {
            host.message(DiagnosticList(diagnostics).render(in: source))
            throw ExitCode(2)
        }
    }
}
