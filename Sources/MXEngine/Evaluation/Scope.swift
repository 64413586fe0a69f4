import MXLanguage
import MXModel

/// Variables of one block. `let` defines in the innermost scope; assignment finds the
/// nearest scope that has the name. Names are searched linearly: scopes are small,
/// and comparing short names is cheaper than hashing them in a hot loop.
final class Scope {
    // Touched for every variable read in a loop; the interpreter is single-threaded and
    // never holds two accesses at once, so the dynamic exclusivity check only costs.
    @exclusivity(unchecked) private(set) var names: [String] = []
    @exclusivity(unchecked) private(set) var values: [Value] = []
    let parent: Scope?

    init(parent: Scope?) { self.parent = parent }

    @inline(__always) private func index(of name: String) -> Int? {
        var i = names.count - 1
        while i >= 0 {
            if names[i] == name { return i }
            i -= 1
        }
        return nil
    }

    func lookup(_ name: String) -> Value? {
        var s: Scope? = self
        while let scope = s {
            if let i = scope.index(of: name) { return scope.values[i] }
            s = scope.parent
        }
        return nil
    }

    /// Whether any scope has the name; unlike `lookup`, copies (and retains) no value:
    /// a where clause asks this for every field it reads.
    func has(_ name: String) -> Bool {
        // Lengths first: comparing two different short strings is slower than it looks,
        // and a field name rarely has the length of the loop's one-letter variable.
        let length = name.utf8.count
        var s: Scope? = self
        while let scope = s {
            for n in scope.names where n.utf8.count == length && n == name { return true }
            s = scope.parent
        }
        return false
    }

    func define(_ name: String, _ value: Value) {
        if let i = index(of: name) { values[i] = value } else { names.append(name); values.append(value) }
    }

    /// False when no scope has the name.
    func assign(_ name: String, _ value: Value) -> Bool {
        var s: Scope? = self
        while let scope = s {
            if let i = scope.index(of: name) { scope.values[i] = value; return true }
            s = scope.parent
        }
        return false
    }

    /// A loop's scope, reset to hold just its variable: no array is rebuilt.
    func rebind(_ name: String, _ value: Value) {
        if names.count == 1, names[0] == name {
            values[0] = value
        } else {
            removeAll()
            define(name, value)
        }
    }

    func removeAll() {
        names.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
    }

    var allNames: [String] {
        var seen = Set<String>()
        var s: Scope? = self
        while let scope = s { seen.formUnion(scope.names); s = scope.parent }
        return seen.sorted()
    }
}

/// A user command from `def`.
struct UserCommand {
    let name: String
    let params: [String]
    let body: [Stmt]
}
