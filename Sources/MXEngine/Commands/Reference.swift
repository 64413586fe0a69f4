import MXLanguage

/// The reference `help` prints, for the man page, docs/ and the language server: the
/// same functions over the same tables, so the three never disagree with `help`.
public enum Reference {
    /// `help`: every command by group.
    public static func overview(_ table: CommandTable = .standard) -> String { helpOverview(table) }

    /// `help TOPIC`: a command, a topic (`language`, `fields`, `vendors`, `functions`) or
    /// `fields VENDOR`; nil when there is no such help.
    public static func text(_ topic: String, _ table: CommandTable = .standard) -> String? {
        helpText(topic, commands: table)
    }

}
