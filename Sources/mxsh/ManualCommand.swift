import ArgumentParser
import MXEngine

/// `mxsh manual`: the man page (roff), written from the same declarations as `--help`
/// (each subcommand's help message) and `help` (the language's command table), so the
/// installed page cannot drift from the binary it describes.
struct ManualCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manual", abstract: "Print the man page (roff) for mxsh(1).", shouldDisplay: false)

    func run() throws {
        print(manualPage(), terminator: "")
    }
}

func manualPage() -> String {
    var out = """
        .TH MXSH 1 "" "\(versionLine)" "User Commands"
        .SH NAME
        mxsh \\- \(roff(Mxsh.configuration.abstract))
        .SH SYNOPSIS
        .B mxsh
        [\\fISUBCOMMAND\\fR] [\\fIOPTIONS\\fR]
        .br
        .B mxsh
        \\fIFILE\\fR
        .br
        .B mxsh \\-c
        \\fICODE\\fR
        .SH DESCRIPTION
        \(roff(Mxsh.configuration.discussion))
        .PP
        Exit status: 0 all done; 1 a statement or a change failed; 2 the script did not parse or check;
        for plans, 3 when changes are planned.
        .SH OPTIONS
        .nf
        \(roff(Mxsh.helpMessage(columns: 100)))
        .fi

        """
    out += ".SH SUBCOMMANDS\n"
    for sub in Mxsh.configuration.subcommands where sub.configuration.shouldDisplay {
        out += ".SS \(sub._commandName)\n\(roff(sub.configuration.abstract))\n"
        out += ".nf\n" + roff(Mxsh.helpMessage(for: sub, columns: 100)) + "\n.fi\n"
    }
    out += ".SH LANGUAGE COMMANDS\n.nf\n" + roff(Reference.overview()) + ".fi\n"
    for d in CommandTable.standard.declarations {
        out += ".SS \(roff(d.name))\n.nf\n" + roff(Reference.text(d.name) ?? "") + ".fi\n"
    }
    for topic in helpTopics {
        out += ".SH \(topic.uppercased())\n.nf\n" + roff(Reference.text(topic) ?? "") + ".fi\n"
    }
    out += """
        .SH FILES
        .TP
        \\fI$XDG_STATE_HOME/mxsh/journal.sqlite\\fR
        The journal of applied changes (mxsh runs, resume, undo).
        .TP
        \\fI$XDG_STATE_HOME/mxsh/history\\fR
        The shell's history.
        .TP
        \\fI$XDG_CONFIG_HOME/mxsh/config.toml\\fR
        Connection profiles (connect @name); must be private (0600).
        .SH SEE ALSO
        The grammar and editor files in share/mxsh/grammar; mxsh lsp for editors.

        """
    return out
}

/// Text for roff: backslashes doubled, a leading dot or quote escaped.
func roff(_ text: String) -> String {
    var escaped = ""
    for ch in text { if ch == "\\" { escaped += "\\e" } else { escaped.append(ch) } }
    return escaped.split(separator: "\n", omittingEmptySubsequences: false)
        .map { line in line.hasPrefix(".") || line.hasPrefix("'") ? "\\&" + line : String(line) }
        .joined(separator: "\n")
}
