import MXLanguage
import MXModel

/// One built-in command, declared once: its arguments drive the parser's checks,
/// `help`, completion and (for mutating commands) the capability check and the plan.
public struct CommandDeclaration: Sendable {
    public enum Group: String, CaseIterable, Sendable {
        case output = "Looking around"
        case connections = "Connections"
        case domains = "Changing domains"
        case users = "Changing users"
        case migration = "Moving between vendors"
        case testing = "Testing runbooks"
        case vendorObjects = "A vendor's own objects"
    }
    /// What a bare word argument names, for completion and checks.
    public enum WordKind: Sendable { case vendor, connection, topic }

    /// What never changes, in one box: the checker looks a declaration up for every
    /// command of a script, and a copy of a box is one retain, not one per member.
    private final class Fixed: Sendable {
        let name: String
        let group: Group
        let signature: CommandSignature
        let summary: String
        let details: String
        let examples: [String]
        let mutates: Bool
        let operation: Operation?
        let words: WordKind?
        let run: @Sendable (Interpreter, Invocation) throws -> Void
        let checkedAs: CheckedAs?

        init(
            name: String, group: Group, signature: CommandSignature, summary: String, details: String,
            examples: [String], mutates: Bool, operation: Operation?, words: WordKind?,
            run: @escaping @Sendable (Interpreter, Invocation) throws -> Void
        ) {
            self.name = name
            self.group = group
            self.signature = signature
            self.summary = summary
            self.details = details
            self.examples = examples
            self.mutates = mutates
            self.operation = operation
            self.words = words
            self.run = run
            checkedAs = CheckedAs(rawValue: name)
        }
    }

    /// The commands the checker judges each in its own way, known by name once here (a
    /// switch over names compares strings for every command of a script).
    enum CheckedAs: String { case connect, use, help, copy, export, call, set }
    var checkedAs: CheckedAs? { fixed.checkedAs }
    private let fixed: Fixed

    public var name: String { fixed.name }
    public var group: Group { fixed.group }
    public var signature: CommandSignature { fixed.signature }
    /// Whether the command gives back a value (read without copying the signature out).
    public var givesValue: Bool { fixed.signature.givesValue }
    public var summary: String { fixed.summary }
    public var details: String { fixed.details }
    public var examples: [String] { fixed.examples }
    /// True when the command produces changes (and so is refused by `check` where the
    /// vendor lacks `operation`).
    public var mutates: Bool { fixed.mutates }
    public var operation: Operation? { fixed.operation }
    public var words: WordKind? { fixed.words }
    /// `enable`/`disable`: the status the command writes (checked like `status=`).
    public var setsStatus: Status?
    /// The positional argument that is a DNS name to check (an alias), if any.
    public var nameArgument: Int?
    var run: @Sendable (Interpreter, Invocation) throws -> Void { fixed.run }

    init(
        _ name: String, group: Group, _ signature: CommandSignature, summary: String, details: String = "",
        examples: [String] = [], mutates: Bool = false, operation: Operation? = nil, words: WordKind? = nil,
        run: @escaping @Sendable (Interpreter, Invocation) throws -> Void
    ) {
        fixed = Fixed(
            name: name, group: group, signature: signature, summary: summary, details: details, examples: examples,
            mutates: mutates, operation: operation, words: words, run: run)
    }

    public var usage: String { signature.usage(name) }

    func with(setsStatus: Status? = nil, nameArgument: Int? = nil) -> CommandDeclaration {
        var d = self
        d.setsStatus = setsStatus ?? d.setsStatus
        d.nameArgument = nameArgument ?? d.nameArgument
        return d
    }
}

/// The command table: every built-in, by name.
public struct CommandTable: CommandLookup, Sendable {
    private let own: [CommandDeclaration]
    /// Positions in `own` (and `signatures`): the parser asks for one per statement.
    private let byName: NameIndex
    /// Signatures apart from the rest: a whole declaration is a lot to copy.
    private let signatures: [CommandSignature]
    /// Whether the vendors' own commands (`create-group`, `release`) belong to the table.
    /// They are made from every vendor's resource table, which costs more than the rest of
    /// a `mxsh -c 'print 1'`, so they are made the first time a name is not a built-in.
    private let withVendorCommands: Bool

    public init(_ declarations: [CommandDeclaration]) {
        self.init(declarations, withVendorCommands: false)
    }

    private init(_ declarations: [CommandDeclaration], withVendorCommands: Bool) {
        self.own = declarations
        assert(Set(declarations.map(\.name)).count == declarations.count, "a command declared twice")
        self.byName = NameIndex(declarations.map(\.name))
        self.signatures = declarations.map(\.signature)
        self.withVendorCommands = withVendorCommands
    }

    public var declarations: [CommandDeclaration] {
        withVendorCommands ? own + Self.vendorCommands.own : own
    }

    public func declaration(_ name: String) -> CommandDeclaration? {
        if let i = byName[name] { return own[i] }
        return withVendorCommands ? Self.vendorCommands.declaration(name) : nil
    }

    /// What running the command does, without copying its declaration.
    func handler(_ name: String) -> (@Sendable (Interpreter, Invocation) throws -> Void)? {
        if let i = byName[name] { return own[i].run }
        return withVendorCommands ? Self.vendorCommands.handler(name) : nil
    }

    public func signature(of name: String) -> CommandSignature? {
        if let i = byName[name] { return signatures[i] }
        return withVendorCommands ? Self.vendorCommands.signature(of: name) : nil
    }

    public func connectionsOpened(by vendor: String) -> [String] {
        vendor == "sandbox" ? sandboxConnections.map(\.name) : []
    }

    public func isCommand(_ name: String) -> Bool { signature(of: name) != nil }

    public var names: [String] { declarations.map(\.name) }

    /// Made on first use (a global is initialised lazily).
    private static let vendorCommands = CommandTable(vendorObjectCommands)

    public static let standard = CommandTable(
        outputCommands + connectionCommands + domainCommands + userCommands + migrationCommands + testCommands
            + attachmentCommands + [rawCallCommand], withVendorCommands: true)
}
