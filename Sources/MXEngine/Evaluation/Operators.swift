import MXLanguage
import MXModel

/// What the binary operators do to two values, and the errors they give: one place for
/// `run` (the interpreter, compiled `where` predicates) and `check`, which applies them
/// to values written out in the script (`"5" + 1`, `1 / 0`) so that what is sure to
/// fail is refused before anything is sent.
enum Operators {
    static func combine(
        _ op: BinaryOp, _ a: Value, _ b: Value, _ lRange: SourceRange, _ rRange: SourceRange,
        at range: SourceRange
    ) throws -> Value {
        switch op {
        case .eq, .ne:
            try refuseMixedComparison(a, b, at: range)
            return .bool(a.equals(b) == (op == .eq))
        case .glob:
            guard case .string(let pattern) = b else {
                throw RuntimeError("'~' needs a pattern string on the right, like name~\"*.net\"", at: rRange)
            }
            switch a {
            case .string(let s), .enumCase(let s): return .bool(globMatch(s, pattern))
            case .list(let items): return .bool(items.contains { globMatch($0.text, pattern) })
            case .none: return .bool(false)
            default: throw RuntimeError("'~' matches text, not \(a.aTypeName)", at: lRange)
            }
        case .has:
            switch a {
            case .list(let items):
                if items.contains(where: { $0.equals(b) }) { return .bool(true) }
                try refuseMixedSearch(for: b, in: items, "has", at: range)
                return .bool(false)
            case .string(let s): return .bool(s.contains(b.text))
            case .record(let rec): return .bool(rec[b.text] != nil)
            // Not false: none is a list the vendor did not give (Proofpoint keeps no
            // aliases), and "has no such alias" would be a guess, as `in` and count() say.
            case .none:
                throw RuntimeError(
                    "'has' looks in a list, a string or a record, not none", at: lRange, notes: [noneNote])
            default: throw RuntimeError("'has' looks in a list, a string or a record, not \(a.aTypeName)", at: lRange)
            }
        case .in:
            switch b {
            case .list(let items):
                if items.contains(where: { $0.equals(a) }) { return .bool(true) }
                try refuseMixedSearch(for: a, in: items, "in", at: range)
                return .bool(false)
            case .string(let s): return .bool(s.contains(a.text))
            case .record(let rec): return .bool(rec[a.text] != nil)
            default: throw RuntimeError("'in' looks in a list, a string or a record, not \(b.aTypeName)", at: rRange)
            }
        case .lt, .le, .gt, .ge:
            let order: Int
            switch (a, b) {
            case (.number(let x), .number(let y)): order = x < y ? -1 : (x > y ? 1 : 0)
            case (.string(let x), .string(let y)): order = x < y ? -1 : (x > y ? 1 : 0)
            default:
                throw RuntimeError(
                    "cannot order \(a.aTypeName) and \(b.aTypeName)", at: range,
                    notes: mixesTextAndNumber(a, b) ? [.init("read text as a number with number(...)")] : [])
            }
            switch op {
            case .lt: return .bool(order < 0)
            case .le: return .bool(order <= 0)
            case .gt: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        case .add:
            switch (a, b) {
            case (.number(let x), .number(let y)): return try finite(x + y, at: range)
            case (.list(let x), .list(let y)): return .list(x + y)
            case (.list(let x), .opaque(let collection as ObjectCollection)):
                // `[] + m.domains`: its objects, as `[] + (m.domains where ...)` gives them
                // (appended as one item, the collection was a list holding a view).
                var items = x
                try collection.forEach(matching: .all) {
                    items.append($0)
                    return true
                }
                return .list(items)
            case (.list(let x), _): return .list(x + [b])
            case (.secret, _), (_, .secret):
                throw RuntimeError(Refusal.secretJoined, at: range)
            case (.string(let x), .string(let y)): return .string(x + y)
            default:
                // CSV values are text: joining "5" and 1 into "51" is never what was meant.
                var notes: [Diagnostic.Note] = []
                if mixesTextAndNumber(a, b) { notes.append(.init("to read text as a number: number(...) + 1")) }
                if case .string = a { notes.append(.init("to make text, interpolate: \"${...}${...}\"")) }
                if case .string = b { notes.append(.init("to make text, interpolate: \"${...}${...}\"")) }
                if case .list = b { notes.append(.init("a list comes first: [item] + list")) }
                throw RuntimeError("cannot add \(a.aTypeName) and \(b.aTypeName)", at: range, notes: notes)
            }
        case .sub, .mul, .div:
            guard case .number(let x) = a, case .number(let y) = b else {
                throw RuntimeError(
                    "'\(op.rawValue)' needs numbers, not \(a.aTypeName) and \(b.aTypeName)", at: range,
                    notes: mixesTextAndNumber(a, b) ? [.init("read text as a number with number(...)")] : [])
            }
            if op == .sub { return try finite(x - y, at: range) }
            if op == .mul { return try finite(x * y, at: range) }
            if y == 0 { throw RuntimeError("division by zero", at: rRange) }
            return try finite(x / y, at: range)
        case .and: return .bool(a.isTruthy && b.isTruthy)
        case .or: return .bool(a.isTruthy || b.isTruthy)
        }
    }

    /// An arithmetic result, which must be a number: past about 1.8e308 a Double is
    /// infinity, and infinity minus itself not a number, and neither should be printed
    /// or sent as if it were one.
    @inline(__always)
    static func finite(_ n: Double, at range: SourceRange) throws -> Value {
        if n.isFinite { return .number(n) }
        throw tooLarge(at: range)
    }

    @inline(never)
    static func tooLarge(at range: SourceRange) -> RuntimeError {
        RuntimeError("too large for a number (past about 1.8e308)", at: range)
    }

    static func mixesTextAndBool(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.string, .bool), (.bool, .string): return true
        default: return false
        }
    }

    static func mixesTextAndNumber(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.string, .number), (.number, .string): return true
        default: return false
        }
    }

    /// `ids has r.id`, ids numbers and r.id a CSV cell (text), is never true: as with
    /// `=`, say so instead of answering false. Only when no item is of the searched
    /// value's own kind: a list that mixes text and numbers is searched as it is.
    static func refuseMixedSearch(for wanted: Value, in items: [Value], _ op: String, at range: SourceRange) throws {
        guard let other = items.first(where: { mixesTextAndNumber($0, wanted) }),
            !items.contains(where: { !mixesTextAndNumber($0, wanted) && !$0.isNone })
        else { return }
        throw RuntimeError(
            "'\(op)' looks for \(wanted.aTypeName) among \(other.typeName)s, which never equal it", at: range,
            notes: [.init("read the text as a number, number(x), or compare text with text")])
    }

    /// `=` between text and a number is always false, and a CSV value is text: say so
    /// instead of answering. A secret compared with anything but a secret would let a
    /// script guess it.
    static func refuseMixedComparison(_ a: Value, _ b: Value, at range: SourceRange) throws {
        if mixesTextAndNumber(a, b) {
            throw RuntimeError(
                "'=' compares \(a.aTypeName) with \(b.aTypeName), which are never equal", at: range,
                notes: [.init("read the text as a number, number(x) = 5, or compare text with text, x = \"5\"")])
        }
        if mixesTextAndBool(a, b) {
            // `where relay = "true"` matched nothing, silently.
            throw RuntimeError(
                "'=' compares \(a.aTypeName) with \(b.aTypeName), which are never equal", at: range,
                notes: [.init("write true or false without quotes (relay = true), or compare text with text")])
        }
        switch (a, b) {
        case (.secret, .secret), (.secret, .none), (.none, .secret): return
        case (.secret, _), (_, .secret):
            throw RuntimeError(
                "a secret cannot be compared with a \(a.typeName == "secret" ? b.typeName : a.typeName)",
                at: range, notes: [.init("comparing would reveal it, one guess at a time")])
        default: return
        }
    }
}
