import MXLanguage
import MXModel

/// What a `where` clause says about domains that a vendor can filter on its side
/// (Cleanmail's name wildcards and status, OpenSRS's search `match`): only a hint.
/// The interpreter still evaluates the whole clause on every domain it receives,
/// so an adapter may return more than the hint asks for, never less.
public struct DomainQuery: Sendable, Equatable {
    /// `name ~ "*.net"` (a glob) or `name = "x.net"` (exact).
    public var namePattern: String?
    public var nameIsExact = false
    /// `status = ENABLED`.
    public var status: Status?

    public static let all = DomainQuery()
    public init() {}

    /// Reads the conjuncts at the top of a `where` clause: `a and b and ...`. Anything
    /// under `or`/`not`, or on a field other than name and status, is left to the
    /// interpreter.
    init(predicate: Expr) {
        for conjunct in Self.conjuncts(predicate) {
            guard case .binary(let op, let l, let r) = conjunct.kind else { continue }
            let (field, literal): (String, Expr)
            if case .identifier(let f) = l.kind { (field, literal) = (f, r) }
            else if case .identifier(let f) = r.kind, op == .eq { (field, literal) = (f, l) }
            else { continue }
            switch (field, op, literal.kind) {
            case ("name", .glob, .string(let p)): namePattern = p; nameIsExact = false
            case ("name", .eq, .string(let n)): namePattern = n; nameIsExact = true
            case ("status", .eq, .enumLiteral(let s)): status = Status(rawValue: s)
            default: continue
            }
        }
    }

    private static func conjuncts(_ e: Expr) -> [Expr] {
        if case .binary(.and, let l, let r) = e.kind { return conjuncts(l) + conjuncts(r) }
        return [e]
    }
}
