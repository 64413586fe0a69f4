import ArgumentParser
import MXEngine
import MXLanguage

#if canImport(Glibc)
    import Glibc
#endif

/// `mxsh fmt FILE... [--check]`: scripts rewritten in the one canonical layout.
struct FormatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Rewrite scripts in the canonical layout (indentation, spacing, one statement per line).",
        discussion: """
            Comments stay where they were; a script that does not parse is left as it is and its errors \
            are reported. With '-' (or no file) reads standard input and writes the result to standard \
            output. Exit status: 0 done (or, with --check, nothing to change), 1 with --check when a file \
            would change (its name is printed), 2 a file did not parse or could not be read or written.
            """)

    @ArgumentParser.Argument(help: "The scripts ('-' for standard input).", completion: .file(extensions: ["mxsh"]))
    var files: [String] = []

    @Flag(help: "Change nothing: print the files that are not formatted and exit 1 if there are any.")
    var check = false

    func run() throws { finish(formatFiles(files.isEmpty ? ["-"] : files, check: check)) }
}

func formatFiles(_ files: [String], check: Bool) -> Int32 {
    let host = TerminalHost(format: .table)
    defer { host.flush() }
    var status: Int32 = 0
    for file in files {
        let text: String
        if file == "-" {
            var lines: [String] = []
            while let line = readLine(strippingNewline: false) { lines.append(line) }
            text = lines.joined()
        } else {
            guard let t = readScript(file, host: host) else { status = 2; continue }
            text = t
        }
        let source = Source(name: file == "-" ? "<stdin>" : file, text: text)
        let connections = TestPrelude.connections(for: file)
        switch formatChecked(source, commands: CommandTable.standard, connections: connections) {
        case .invalid(let diagnostics):
            host.message(DiagnosticList(diagnostics).render(in: source))
            host.message("mxsh fmt: \(source.name) does not parse; left as it is\n")
            status = 2
        case .changedProgram:
            host.message("mxsh fmt: \(source.name): the layout would change the program; left as it is (a bug)\n")
            status = 2
        case .formatted(let formatted):
            if file == "-" {
                if check {
                    if formatted != text { host.output("<stdin>\n"); status = max(status, 1) }
                } else {
                    host.output(formatted)
                }
            } else if formatted != text {
                if check {
                    host.output(file + "\n")
                    status = max(status, 1)
                } else {
                    // Kept as it was: a script with a #! line is often executable.
                    var st = stat()
                    let mode = stat(file, &st) == 0 ? st.st_mode & 0o7777 : 0o644
                    do {
                        try writeTextFile(file, formatted, mode: mode)
                        chmod(file, mode)
                    } catch {
                        host.message("mxsh fmt: cannot write \(file): \(error)\n")
                        status = 2
                    }
                }
            }
        }
    }
    return status
}
