/// Equality as the language's `=` sees it: enum literals equal strings of the same
/// text (so `status = "ENABLED"` and `status = ENABLED` agree), numbers by value.
extension Value {
    public func equals(_ other: Value) -> Bool {
        switch (self, other) {
        case (.none, .none): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.enumCase(let a), .enumCase(let b)): return a == b
        case (.enumCase(let a), .string(let b)), (.string(let b), .enumCase(let a)):
            return a == b || a == b.uppercased()
        case (.list(let a), .list(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.equals($1) }
        case (.record(let a), .record(let b)):
            return a.keys == b.keys && a.pairs.allSatisfy { k, v in b[k].map(v.equals) ?? false }
        case (.secret(let a), .secret(let b)): return a == b
        case (.object(let a), .object(let b)): return a === b || (a.connection == b.connection && a.key == b.key)
        case (.opaque(let a), .opaque(let b)): return a === b
        default: return false
        }
    }
}
