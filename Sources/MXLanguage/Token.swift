/// Words the grammar reserves. Commands (`add-alias`, `print`, ...) are not keywords:
/// they come from the command table, so adding one never touches the lexer.
public enum Keyword: String, CaseIterable, Sendable {
    case `let`, `if`, `else`, `for`, `in`, `where`, `def`, and, or, not, has, of
    case `true`, `false`, none, `return`, `break`, `continue`
}

/// Punctuation and operators.
public enum Symbol: String, CaseIterable, Sendable {
    case lt = "<", gt = ">", le = "<=", ge = ">=", eq = "=", ne = "!="
    case tilde = "~", dot = ".", comma = ",", colon = ":", semicolon = ";"
    case lparen = "(", rparen = ")", lbracket = "[", rbracket = "]"
    case lbrace = "{", rbrace = "}", plus = "+", minus = "-", star = "*", slash = "/"
}

/// A piece of a double-quoted string: literal text, or `${expr}` kept as source offsets
/// so the parser can parse it with exact positions.
public enum StringPart: Sendable, Equatable {
    case text(String)
    case interpolation(SourceRange)
}

public enum TokenKind: Sendable, Equatable {
    case identifier(String)  // may contain inner hyphens: add-alias
    case enumLiteral(String)  // upper-case bare word: ENABLED
    case keyword(Keyword)
    case number(Double)
    /// A string with no `${...}` in it: its text, escapes already read. Most strings are
    /// this, and it costs no array of parts.
    case string(String)
    /// A double-quoted string with at least one `${...}`.
    case interpolated([StringPart])
    case symbol(Symbol)
    case newline
    case eof
    case invalid(String)  // the lexer's complaint; the parser reports it
}

public struct Token: Sendable {
    public var kind: TokenKind
    public var range: SourceRange
    /// True when whitespace (not a newline) precedes the token: `f(x)` is a call,
    /// `print (x)` a command with a parenthesised argument.
    public var spaceBefore: Bool
    /// The symbol or keyword this token is, if any: the parser asks these questions
    /// for every token, and answering them must not copy the kind's payload.
    public let symbol: Symbol?
    public let keyword: Keyword?

    public init(kind: TokenKind, range: SourceRange, spaceBefore: Bool) {
        self.kind = kind
        self.range = range
        self.spaceBefore = spaceBefore
        if case .symbol(let s) = kind { symbol = s } else { symbol = nil }
        if case .keyword(let k) = kind { keyword = k } else { keyword = nil }
    }
}

extension TokenKind {
    /// How the token is named in an error message.
    public var display: String {
        switch self {
        case .identifier(let s): return "'\(s)'"
        case .enumLiteral(let s): return "'\(s)'"
        case .keyword(let k): return "'\(k.rawValue)'"
        case .number(let n): return "number \(numberText(n))"
        case .string, .interpolated: return "a string"
        case .symbol(let s): return "'\(s.rawValue)'"
        case .newline: return "end of line"
        case .eof: return "end of input"
        case .invalid(let s): return s
        }
    }
}

/// A number as a script would write it: `3`, not `3.0`.
public func numberText(_ n: Double) -> String {
    // Whole numbers below 2^63 as digits, as values print (`formatNumber`).
    if n.rounded() == n, n.magnitude < 0x1p63 { return String(Int64(n)) }
    return String(n)
}
