/// Expressions: a kind paired with the source range it came from, so every later
/// error (check or run time) can point at the script.
public struct Expr: Sendable {
    public let kind: ExprKind
    /// Levels of the tree from here to its deepest leaf (1 for a leaf), at most 65,535.
    /// Known as each node is made, so the parser refuses a tree deeper than
    /// `maximumExpressionDepth` before anything recurses over it, and what does recurse
    /// (the checker, the interpreter) can see how deep it is about to go. Kept in the
    /// bytes between the kind and the range: an `Expr` is no larger for it.
    public let depth: UInt16
    public var range: SourceRange
    public init(_ kind: ExprKind, _ range: SourceRange) {
        self.kind = kind
        let below = kind.deepestChild
        self.depth = below == UInt16.max ? below : below + 1
        self.range = range
    }
}

extension ExprKind {
    /// The depth of the deepest expression this one holds (0 for a leaf).
    var deepestChild: UInt16 {
        switch self {
        case .string, .number, .bool, .none, .enumLiteral, .identifier: return 0
        case .interpolated(let parts):
            var d: UInt16 = 0
            for case .expr(let x) in parts { d = max(d, x.depth) }
            return d
        case .list(let items): return items.reduce(0) { max($0, $1.depth) }
        case .record(let fields): return fields.reduce(0) { max($0, $1.value.depth) }
        case .field(let base, _): return base.depth
        case .call(let callee, let args): return args.reduce(callee.depth) { max($0, $1.depth) }
        case .index(let base, let key): return max(base.depth, key.depth)
        case .unary(_, let x): return x.depth
        case .binary(_, let l, let r): return max(l.depth, r.depth)
        case .lookup(_, let connection, let name): return max(connection?.depth ?? 0, name.depth)
        case .membersOf(_, let x): return x.depth
        case .filter(let x, let predicate): return max(x.depth, predicate.depth)
        }
    }
}

public enum BinaryOp: String, Sendable, CaseIterable {
    case or, and
    case eq = "=", ne = "!=", glob = "~", has, `in`
    case lt = "<", le = "<=", gt = ">", ge = ">="
    case add = "+", sub = "-", mul = "*", div = "/"
}

public enum UnaryOp: String, Sendable { case not, negate = "-" }

/// `domain "x"` / `user "a@b"`: one object looked up by its name.
public enum LookupKind: String, Sendable, CaseIterable {
    case domain, user

    /// `LookupKind(rawValue:)` for the parser, which asks it of most words: a `switch` of
    /// two short strings (compared as their 16 bytes) instead of the generic search of
    /// the raw values, which cost some 180 instructions a word.
    public init?(word: String) {
        switch word {
        case "domain": self = .domain
        case "user": self = .user
        default: return nil
        }
    }
}

public enum InterpolationPart: Sendable {
    case text(String)
    case expr(Expr)
}

/// Only the cases that hold an `Expr` directly are boxed (`indirect`): a literal or a
/// name costs no allocation.
public enum ExprKind: Sendable {
    case string(String)
    case interpolated([InterpolationPart])
    case number(Double)
    case bool(Bool)
    case none
    case enumLiteral(String)
    case identifier(String)
    case list([Expr])
    case record([(key: String, value: Expr)])
    indirect case field(Expr, name: String)
    indirect case call(Expr, args: [Expr])
    /// `xs[0]`, `row["first name"]`: an item of a list, or a record's field by key.
    indirect case index(Expr, Expr)
    indirect case unary(UnaryOp, Expr)
    indirect case binary(BinaryOp, Expr, Expr)
    /// `domain "got.com"`, optionally qualified: `os.domain "got.com"`.
    indirect case lookup(LookupKind, connection: Expr?, name: Expr)
    /// `users of d`, `groups of d`, `quarantine of u`: a collection of an object.
    indirect case membersOf(String, Expr)
    /// `EXPR where PREDICATE`: bare names in the predicate are the item's fields.
    indirect case filter(Expr, predicate: Expr)
}

/// An argument of a command call, already matched against the command's signature.
public enum Argument: Sendable {
    case value(Expr)
    /// A bare word standing for a name, not a variable: `connect cleanmail`, `use cm`.
    case word(String, SourceRange)
    case named(key: String, keyRange: SourceRange, value: Expr)

    public var range: SourceRange {
        switch self {
        case .value(let e): return e.range
        case .word(_, let r): return r
        case .named(_, let k, let v): return k.to(v.range)
        }
    }
}

public struct Stmt: Sendable {
    public var kind: StmtKind
    public var range: SourceRange
    public init(_ kind: StmtKind, _ range: SourceRange) { self.kind = kind; self.range = range }
}

public enum StmtKind: Sendable {
    case `let`(name: String, nameRange: SourceRange, value: Expr)
    case assign(name: String, nameRange: SourceRange, value: Expr)
    case `if`(condition: Expr, then: [Stmt], else: [Stmt]?)
    case `for`(variable: String, variableRange: SourceRange, sequence: Expr, body: [Stmt])
    case def(name: String, nameRange: SourceRange, params: [String], body: [Stmt])
    case `return`(Expr?)
    /// Leave the innermost loop, or go on with its next item.
    case `break`
    case `continue`
    /// A command call: a built-in from the command table or a user `def`.
    case command(name: String, nameRange: SourceRange, args: [Argument])
    /// A bare expression (`d.name` in the REPL): its value is printed.
    case expression(Expr)
}

/// A parsed script: its statements and every diagnostic the parse produced.
public struct Program: Sendable {
    public var statements: [Stmt]
    public var source: Source
    /// The connection names known at its end (given, and opened by its `connect` lines): a
    /// script read after this one (a runbook's test) reads `cm.domain "x"` as they do.
    public var connections: Set<String> = []
    public init(statements: [Stmt], source: Source) { self.statements = statements; self.source = source }
}
