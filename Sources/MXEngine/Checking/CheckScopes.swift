/// The variables the checker knows, innermost last. The top level's (a long script's
/// thousands of `let`s) are a table by name (`TopNames`); a block's few are a list
/// searched from its end, so entering a block (every `if`, `for` and def) allocates
/// nothing.
struct CheckScopes {
    var top: TopNames
    private var inner: [(name: String, type: StaticType)] = []
    /// Where each open block's variables start in `inner`.
    private var starts: [Int] = []

    init(_ top: [String: StaticType]) { self.top = TopNames(top) }

    func lookup(_ name: String) -> StaticType? {
        var i = inner.count - 1
        while i >= 0 {
            if inner[i].name == name { return inner[i].type }
            i -= 1
        }
        return top[name]
    }

    /// Every name in scope, the top level's first.
    var names: [String] { top.keysInOrder + inner.map(\.name) }

    /// Defines `name` in the innermost block (replacing a variable of the same name there).
    mutating func define(_ name: String, _ type: StaticType) {
        // A list written out of plain values is known as such where it is written only:
        // a variable may be given other items later, and a def's or loop's body is
        // checked once, before that (`xs = domains` after a def that filters xs).
        let type = Self.kept(type)
        guard let start = starts.last else { top[name] = type; return }
        var i = inner.count - 1
        while i >= start {
            if inner[i].name == name { inner[i].type = type; return }
            i -= 1
        }
        inner.append((name, type))
    }

    /// An assignment: the innermost variable of that name keeps its type when the new
    /// value's is the same, and becomes unknown when not.
    mutating func assign(_ name: String, _ type: StaticType) {
        let type = Self.kept(type)
        var i = inner.count - 1
        while i >= 0 {
            if inner[i].name == name {
                if inner[i].type != type { inner[i].type = .unknown }
                return
            }
            i -= 1
        }
        if let old = top[name], old != type { top[name] = .unknown }
    }

    /// What a variable is known as: a field none at its vendor is unknown once held (a
    /// guard may test the variable, `if al != none`, which is not followed here).
    static func kept(_ type: StaticType) -> StaticType {
        switch type {
        case .plainValues, .plainValue, .absent: return .unknown
        default: return type
        }
    }

    mutating func open() { starts.append(inner.count) }

    mutating func close() { inner.removeSubrange(starts.removeLast()...) }
}
