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

/// What a token is. No case holds a String or an array: a token is 16 bytes of plain
/// data, copied and dropped for free (the parser moves two of them along for every word
/// of a script). A word's or a number's text is read from the source by its range; the
/// few tokens with more to say (a string with escapes or `${}`, a complaint) index a
/// table of the lexer that read them.
public enum TokenKind: Sendable, Equatable {
    case identifier  // may contain inner hyphens: add-alias
    case enumLiteral  // upper-case bare word: ENABLED
    case keyword(Keyword)
    case number
    /// A string with no escape and no `${...}`: its text is the bytes between its quotes
    /// (a single-quoted string is always this).
    case string
    /// A double-quoted string with an escape or a `${...}`: its parts are the lexer's
    /// `strings[i]`.
    case interpolated(Int32)
    case symbol(Symbol)
    case newline
    case eof
    /// The lexer's complaint, `messages[i]`; the parser reports it.
    case invalid(Int32)
}

public struct Token: Sendable {
    public var kind: TokenKind
    /// True when whitespace (not a newline) precedes the token: `f(x)` is a call,
    /// `print (x)` a command with a parenthesised argument.
    public var spaceBefore: Bool
    public var range: SourceRange

    public init(kind: TokenKind, range: SourceRange, spaceBefore: Bool) {
        self.kind = kind
        self.range = range
        self.spaceBefore = spaceBefore
    }

    /// The symbol or keyword this token is, if any.
    public var symbol: Symbol? { if case .symbol(let s) = kind { return s } else { return nil } }
    public var keyword: Keyword? { if case .keyword(let k) = kind { return k } else { return nil } }
}

/// A number as a script would write it: `3`, not `3.0`.
public func numberText(_ n: Double) -> String {
    // Whole numbers below 2^63 as digits, as values print (`formatNumber`).
    if n.rounded() == n, n.magnitude < 0x1p63 { return String(Int64(n)) }
    return String(n)
}
