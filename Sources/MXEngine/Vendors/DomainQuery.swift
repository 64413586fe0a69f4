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
    /// Every `field op "text"` conjunct, for a vendor's own kind that searches on its
    /// side (Cleanmail's messages: `sender ~ "*@x.com"`); the kind's table says which.
    public var terms: [SearchTerm] = []

    public static let all = DomainQuery()
    public init() {}

    /// Reads the conjuncts at the top of a `where` clause: `a and b and ...`. Anything
    /// under `or`/`not`, or on a field other than name and status, is left to the
    /// interpreter.
    init(predicate: Expr) {
        readsFilledLater = Self.mentions(predicate, Interpreter.fieldsFilledLater)
        for conjunct in Self.conjuncts(predicate) {
            guard case .binary(let op, let l, let r) = conjunct.kind else { continue }
            if case .identifier(let f) = l.kind, case .string(let text) = r.kind {
                terms.append(SearchTerm(field: f, op: op, value: text))
            } else if case .identifier(let f) = l.kind, case .identifier(let name) = r.kind {
                // `sender ~ pattern`: the variable's text, if it is one when the loop starts.
                terms.append(SearchTerm(field: f, op: op, value: name, variable: true))
            } else if case .identifier(let f) = r.kind, case .string(let text) = l.kind, op == .in || op == .eq {
                // `"a@b" in recipients`: the list has it.
                terms.append(SearchTerm(field: f, op: op == .in ? .has : .eq, value: text))
            }
            let (field, literal): (String, Expr)
            if case .identifier(let f) = l.kind {
                (field, literal) = (f, r)
            } else if case .identifier(let f) = r.kind, op == .eq {
                (field, literal) = (f, l)
            } else {
                continue
            }
            switch (field, op, literal.kind) {
            case ("name", .glob, .string(let p)): namePattern = p; nameIsExact = false
            case ("name", .eq, .string(let n)): namePattern = n; nameIsExact = true
            case ("status", .eq, .enumLiteral(let s)): status = Status(rawValue: s)
            default: continue
            }
        }
    }

    /// False only when a conjunct read here is certainly false for `d`: a vendor that
    /// lists from its own memory skips those without making them values, as a server
    /// applies its filters. The interpreter tests the whole clause again on the rest, so
    /// this may admit more than the clause does, never fewer (`~` is the same glob).
    public func mayMatch(_ d: Domain) -> Bool {
        if let status, d.status != status { return false }
        guard let namePattern else { return true }
        return nameIsExact ? d.name.lowercased() == namePattern.lowercased() : globMatch(d.name, namePattern)
    }

    /// Whether a bare name in `names` appears anywhere in `e` (inner `where` clauses too).
    /// A work list, not recursion: a where clause of 5,000 `or` terms is 5,000 deep.
    static func mentions(_ e: Expr, _ names: Set<String>) -> Bool {
        var work = [e]
        while let x = work.popLast() {
            switch x.kind {
            case .identifier(let n): if names.contains(n) { return true }
            case .string, .number, .bool, .none, .enumLiteral: continue
            case .interpolated(let parts):
                for case .expr(let y) in parts { work.append(y) }
            case .list(let xs): work += xs
            case .record(let kv): work += kv.map(\.value)
            case .field(let b, _), .unary(_, let b), .membersOf(_, let b): work.append(b)
            case .call(let f, let args): work.append(f); work += args
            case .index(let b, let k): work += [b, k]
            case .binary(_, let l, let r), .filter(let l, let r): work += [l, r]
            case .lookup(_, let c, let n): if let c { work.append(c) }; work.append(n)
            }
        }
        return false
    }

    /// The left spine of `a and b and c` in a loop; deeper right operands stay whole.
    private static func conjuncts(_ e: Expr) -> [Expr] {
        var out: [Expr] = []
        var x = e
        while case .binary(.and, let l, let r) = x.kind {
            out.append(r)
            x = l
        }
        out.append(x)
        return out.reversed()
    }
}

/// One condition of a `where` a vendor may search with on its side: `field op "text"`.
public struct SearchTerm: Sendable, Equatable {
    public var field: String
    public var op: BinaryOp
    public var value: String
    /// `value` names a variable (`sender ~ pattern`), whose text is sent, if it is text
    /// and not a field of the objects (a field is each object's own, not one value).
    public var variable: Bool
    public init(field: String, op: BinaryOp, value: String, variable: Bool = false) {
        self.field = field
        self.op = op
        self.value = value
        self.variable = variable
    }
}
