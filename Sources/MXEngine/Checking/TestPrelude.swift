import MXLanguage

/// A runbook's test, `X.test.mxsh`, runs after the runbook `X.mxsh` beside it in one
/// session (`mxsh test`): it may use the runbook's connections, variables and defs. So
/// `check`, `fmt` and the language server read a test after its runbook too, and accept
/// exactly what `mxsh test` runs.
public enum TestPrelude {
    /// The runbook that `file` runs after, or nil when `file` is not a test script.
    public static func runbookPath(of file: String) -> String? {
        guard file.hasSuffix(".test.mxsh") else { return nil }
        return String(file.dropLast(".test.mxsh".count)) + ".mxsh"
    }

    /// The runbook's text, when `file` is a test script and its runbook can be read (a
    /// test without one is read on its own, as `mxsh test` runs it).
    public static func source(for file: String) -> Source? {
        guard let path = runbookPath(of: file), let text = try? readTextFile(path) else { return nil }
        return Source(name: path, text: text)
    }

    /// The connection names the runbook leaves known, for the parser (`fmt`).
    public static func connections(for file: String, commands: CommandTable = .standard) -> Set<String> {
        guard let runbook = source(for: file) else { return [] }
        return parse(runbook, commands: commands).0.connections
    }
}
