#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import MXEngine
import struct MXLanguage.DiagnosticList

/// Options shared by every way of running a script.
struct RunOptions: ParsableArguments {
    @Option(name: .long, help: "Output format for list/show: table, json or csv.")
    var format: OutputFormat = .table

    @Option(name: .customLong("var"), help: ArgumentHelp("Define a variable before the script runs (repeatable).", valueName: "name=value"))
    var variables: [String] = []
}

extension OutputFormat: ExpressibleByArgument {}

@main
struct Mxsh: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mxsh",
        abstract: "One scripting language for mail domains at Proofpoint, Cleanmail, OpenSRS and AD360.",
        discussion: "With no arguments: the interactive shell. With a FILE (or a #!/usr/bin/env mxsh script): run it.",
        subcommands: [Run.self, Check.self])

    @Option(name: .customShort("c"), help: ArgumentHelp("Run CODE and exit.", valueName: "code"))
    var code: String?

    @ArgumentParser.Argument(help: "A script to run (as `mxsh run FILE`).", completion: .file(extensions: ["mxsh"]))
    var file: String?

    @OptionGroup var options: RunOptions

    func run() throws {
        if let code {
            throw ExitCode(runScript(text: code, name: "<-c>", options: options))
        }
        if let file {
            throw ExitCode(runFile(file, options: options))
        }
        throw ExitCode(runREPL(options: options))
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a script file.")

    @ArgumentParser.Argument(help: "The script.", completion: .file(extensions: ["mxsh"]))
    var file: String

    @OptionGroup var options: RunOptions

    func run() throws { throw ExitCode(runFile(file, options: options)) }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Parse and check a script without connecting to anything.",
        discussion: "Reports every syntax error, unknown command, variable or field, wrong arity, and every write the vendors named on the script's connect lines cannot do. Exit status 0 when clean, 2 otherwise.")

    @ArgumentParser.Argument(help: "The script.", completion: .file(extensions: ["mxsh"]))
    var file: String

    func run() throws {
        let host = TerminalHost(format: .table)
        defer { host.flush() }
        guard let text = readScript(file, host: host) else { throw ExitCode(2) }
        let session = Session(host: host)
        let (program, diagnostics) = session.diagnose(text, name: file)
        if diagnostics.isEmpty {
            throw ExitCode(0)
        }
        host.message(DiagnosticList(diagnostics).render(in: program.source))
        host.message("\(diagnostics.count) error\(diagnostics.count == 1 ? "" : "s") in \(file)\n")
        throw ExitCode(2)
    }
}
