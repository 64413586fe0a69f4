import MXLanguage
import MXModel

/// A `where` predicate made once per loop into closures, then run for every item.
///
/// `eval` walks the tree anew for each item, and every node it steps into copies its
/// children out of their boxes: a retain and a release each, which for a filter over
/// 300,000 CSV rows was a tenth of the run. A closure holds its children once, for the
/// whole loop.
///
/// Each closure does what `eval` does for its node, by the same functions (`resolve`,
/// `field(of:)`, `combine`); a node not made here (calls, lookups, chains of `and`/`or`
/// or `+`, which `eval` runs as loops) is handed to `eval` whole, so there is one meaning
/// for every node. Depth is bounded by the parser's nesting limit: long flat chains are
/// never recursed into here.
struct CompiledPredicate {
    typealias Run = (Interpreter) throws -> Value
    let run: Run

    init(_ e: Expr) {
        run = CompiledPredicate.compile(e)
    }

    private static func compile(_ e: Expr) -> Run {
        let range = e.range
        switch e.kind {
        case .string(let s):
            let v = Value.string(s)
            return { _ in v }
        case .number(let n):
            let v = Value.number(n)
            return { _ in v }
        case .bool(let b):
            let v = Value.bool(b)
            return { _ in v }
        case .identifier(let name):
            return { try $0.resolve(name, at: range) }
        case .field(let base, let name):
            let baseRun = compile(base)
            return { try $0.field(of: baseRun($0), name, base: base, at: range) }
        case .unary(.not, let x):
            let xRun = compile(x)
            return { .bool(!(try xRun($0).isTruthy)) }
        case .binary(let op, let l, let r) where !(op.chains && l.isChain):
            let lRun = compile(l), rRun = compile(r)
            switch op {
            case .and: return { .bool(try lRun($0).isTruthy && rRun($0).isTruthy) }
            case .or: return { .bool(try lRun($0).isTruthy || rRun($0).isTruthy) }
            default:
                let lRange = l.range, rRange = r.range
                return { try $0.combine(op, try lRun($0), try rRun($0), lRange, rRange, at: range) }
            }
        default:
            return { try $0.eval(e) }
        }
    }
}

extension Expr {
    /// A binary node `eval` runs as a loop over its chain (see `Interpreter.chain`).
    var isChain: Bool {
        if case .binary(let op, _, _) = kind { return op.chains }
        return false
    }
}
