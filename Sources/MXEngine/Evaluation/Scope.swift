import MXLanguage
import MXModel

/// Variables of one block. `let` defines in the innermost scope; assignment finds the
/// nearest scope that has the name.
final class Scope {
    var values: [String: Value] = [:]
    let parent: Scope?

    init(parent: Scope?) { self.parent = parent }

    func lookup(_ name: String) -> Value? {
        var s: Scope? = self
        while let scope = s {
            if let v = scope.values[name] { return v }
            s = scope.parent
        }
        return nil
    }

    func define(_ name: String, _ value: Value) { values[name] = value }

    /// False when no scope has the name.
    func assign(_ name: String, _ value: Value) -> Bool {
        var s: Scope? = self
        while let scope = s {
            if scope.values[name] != nil { scope.values[name] = value; return true }
            s = scope.parent
        }
        return false
    }

    var allNames: [String] {
        var names = Set<String>()
        var s: Scope? = self
        while let scope = s { names.formUnion(scope.values.keys); s = scope.parent }
        return names.sorted()
    }
}

/// A user command from `def`.
struct UserCommand {
    let name: String
    let params: [String]
    let body: [Stmt]
}
