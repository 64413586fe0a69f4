/// The shape of a command's arguments. Declared once per command (in MXEngine's command
/// table) and read by the parser, the checker, `help` and completion alike.
public struct CommandSignature: Sendable {
    public enum Param: Sendable {
        /// One value: `add-alias d "x.net"`.
        case value(String)
        /// A collection that may carry `where`: `list domains where status=ENABLED`.
        case query(String)
        /// A bare name taken as text, not as a variable: `use cm`, `connect cleanmail`.
        case word(String)
        /// A fixed word between arguments: `export X to "f.json"`.
        case keyword(String)
        /// Present only when the next word is the group's leading keyword.
        case optional([Param])
        /// Any number of values to the end of the statement: `print a b c`.
        case rest(String)
        /// A whole expression, operators included: `assert count(ds) = 3 "message"`.
        case expression(String)
    }
    public enum Named: Sendable {
        case none
        /// Any key; the checker validates them against the object's schema.
        case fields
        case keys(KeyList)
    }

    /// A command's option names: written out, or worked out on first use. delete-domain's
    /// come from every vendor's resource table, which `mxsh -c 'print 1'` need not build.
    public struct KeyList: Sendable, ExpressibleByArrayLiteral {
        private let make: @Sendable () -> [String]
        public init(_ names: [String]) { make = { names } }
        public init(lazy make: @escaping @Sendable () -> [String]) { self.make = make }
        public init(arrayLiteral names: String...) { self.init(names) }
        public var names: [String] { make() }
    }

    public var params: [Param]
    public var named: Named
    /// It reads a value and changes nothing, so it may stand in an expression with one
    /// argument: `let h = diagnose d`.
    public var givesValue: Bool

    public init(_ params: [Param], named: Named = .none, givesValue: Bool = false) {
        self.params = params
        self.named = named
        self.givesValue = givesValue
    }

    /// `add-alias DOMAIN ALIAS`, used in help and in arity errors.
    public func usage(_ name: String) -> String {
        var parts = [name]
        func describe(_ p: Param) -> String {
            switch p {
            case .value(let n), .query(let n), .word(let n), .expression(let n): return n.uppercased()
            case .keyword(let k): return k
            case .optional(let ps): return "[" + ps.map(describe).joined(separator: " ") + "]"
            case .rest(let n): return "[\(n.uppercased())...]"
            }
        }
        parts += params.map(describe)
        switch named {
        case .none: break
        case .fields: parts.append("[field=value...]")
        case .keys(let ks): parts.append("[" + ks.names.map { "\($0)=..." }.joined(separator: " ") + "]")
        }
        return parts.joined(separator: " ")
    }
}

/// What the parser needs to know of the command table.
public protocol CommandLookup: Sendable {
    func signature(of name: String) -> CommandSignature?
    /// Connections a bare `connect VENDOR` opens besides one named after the vendor
    /// (`connect sandbox` opens one per simulated vendor).
    func connectionsOpened(by vendor: String) -> [String]
}

extension CommandLookup {
    public func connectionsOpened(by vendor: String) -> [String] { [] }
}

/// A lookup that knows no commands: every call is parsed generically.
public struct NoCommands: CommandLookup {
    public init() {}
    public func signature(of name: String) -> CommandSignature? { nil }
}
