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
/// `field(of:)`, `combine`, and chains as `chain` runs them); a node not made here (calls,
/// lookups, interpolation) is handed to `eval` whole, so there is one meaning for every
/// node. Long flat chains are walked in a loop here as there; other nesting recurses as
/// `eval` does.
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
        case .number(let n) where n.isFinite:
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
        case .binary(let op, let l, let r) where op.chains && l.isChain:
            return compileChain(op, l, r, at: range)
        case .binary(let op, let l, let r):
            let lRun = compile(l), rRun = compile(r)
            switch op {
            case .and: return { .bool(try lRun($0).isTruthy && rRun($0).isTruthy) }
            case .or: return { .bool(try lRun($0).isTruthy || rRun($0).isTruthy) }
            default:
                let lRange = l.range, rRange = r.range
                return { try Operators.combine(op, try lRun($0), try rRun($0), lRange, rRange, at: range) }
            }
        default:
            return { try $0.eval(e) }
        }
    }

    /// A left-leaning chain (`a and b and c`, `n + 1 + 2`), as `Interpreter.chain` runs
    /// it: the spine is walked in a loop, never recursed into (5,000 terms must work), and
    /// `and`/`or` stop at the first answer.
    private static func compileChain(_ op: BinaryOp, _ l: Expr, _ r: Expr, at range: SourceRange) -> Run {
        typealias Link = (op: BinaryOp, rhs: Run, rhsRange: SourceRange, range: SourceRange)
        var links: [Link] = [(op, compile(r), r.range, range)]
        var left = l
        while case .binary(let o, let ll, let rr) = left.kind, o.chains {
            links.append((o, compile(rr), rr.range, left.range))
            left = ll
        }
        links.reverse()
        let first = compile(left), firstRange = left.range
        return { interpreter in
            var acc = try first(interpreter)
            var accRange = firstRange
            for link in links {
                switch link.op {
                case .and: acc = .bool(acc.isTruthy ? try link.rhs(interpreter).isTruthy : false)
                case .or: acc = .bool(acc.isTruthy ? true : try link.rhs(interpreter).isTruthy)
                default:
                    acc = try Operators.combine(
                        link.op, acc, try link.rhs(interpreter), accRange, link.rhsRange, at: link.range)
                }
                accRange = link.range
            }
            return acc
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
