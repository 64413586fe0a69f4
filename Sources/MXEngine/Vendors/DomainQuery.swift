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
    /// The clause reads fields a listing may leave out (sender lists, raw): the
    /// domains are then completed a page at a time, not one by one.
    public var readsFilledLater = false

    public static let all = DomainQuery()
    public init() {}

    /// Reads the conjuncts at the top of a `where` clause: `a and b and ...`. Anything
    /// under `or`/`not`, or on a field other than name and status, is left to the
    /// interpreter.
    init(predicate: Expr) {
        readsFilledLater = Self.mentions(predicate, Interpreter.fieldsFilledLater)
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

    /// Whether a bare name in `names` appears anywhere in `e` (inner `where` clauses too).
    static func mentions(_ e: Expr, _ names: Set<String>) -> Bool {
        switch e.kind {
        case .identifier(let n): return names.contains(n)
        case .string, .number, .bool, .none, .enumLiteral: return false
        case .interpolated(let parts):
            return parts.contains { if case .expr(let x) = $0 { return mentions(x, names) } else { return false } }
        case .list(let xs): return xs.contains { mentions($0, names) }
        case .record(let kv): return kv.contains { mentions($0.value, names) }
        case .field(let b, _), .unary(_, let b), .usersOf(let b): return mentions(b, names)
        case .call(let f, let args): return mentions(f, names) || args.contains { mentions($0, names) }
        case .index(let b, let k): return mentions(b, names) || mentions(k, names)
        case .binary(_, let l, let r), .filter(let l, let r): return mentions(l, names) || mentions(r, names)
        case .lookup(_, let c, let n): return (c.map { mentions($0, names) } ?? false) || mentions(n, names)
        }
    }

    private static func conjuncts(_ e: Expr) -> [Expr] {
        if case .binary(.and, let l, let r) = e.kind { return conjuncts(l) + conjuncts(r) }
        return [e]
    }
}
