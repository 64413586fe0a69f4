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
    /// One bit per name length (lengths of 63 and more share the last): a `where` asks
    /// every scope about each field it reads (`status`, `name`), and a mask that says
    /// no name here has that length answers without touching the names.
    @exclusivity(unchecked) private var lengths: UInt64 = 0
    /// Name -> index, once a scope holds more names than a scan is quick for (a script's
    /// top level with thousands of `let`s: each read and each new name scanned them all,
    /// so 50,000 `let`s took 3 s). Loop and call scopes, of a few names, never build it.
    @exclusivity(unchecked) private var byName: [String: Int]?
    private static let scanLimit = 32
    let parent: Scope?
    /// `parent` without reference counting, for the walks below: a strong reference
    /// loaded at each step is a retain and a release per scope per variable read. The
    /// chain is kept alive by the scope the walk starts from.
    private let parentRef: Unmanaged<Scope>?

    init(parent: Scope?) {
        self.parent = parent
        self.parentRef = parent.map { Unmanaged.passUnretained($0) }
    }

    @inline(__always) private static func bit(_ length: Int) -> UInt64 { 1 &<< UInt64(min(length, 63)) }

    @inline(__always) private func index(of name: String, length: Int) -> Int? {
        guard lengths & Self.bit(length) != 0 else { return nil }
        if let byName { return byName[name] }
        var i = names.count - 1
        while i >= 0 {
            if names[i].utf8.count == length && names[i] == name { return i }
            i -= 1
        }
        return nil
    }

    func lookup(_ name: String) -> Value? {
        let length = name.utf8.count
        var scope = Unmanaged.passUnretained(self)
        while true {
            let found: Value? = scope._withUnsafeGuaranteedRef { s in
                s.index(of: name, length: length).map { s.values[$0] }
            }
            if let found { return found }
            guard let p = scope._withUnsafeGuaranteedRef({ $0.parentRef }) else { return nil }
            scope = p
        }
    }

    /// Whether any scope has the name; unlike `lookup`, copies (and retains) no value:
    /// a where clause asks this for every field it reads.
    func has(_ name: String) -> Bool {
        let length = name.utf8.count
        var scope = Unmanaged.passUnretained(self)
        while true {
            if scope._withUnsafeGuaranteedRef({ $0.index(of: name, length: length) != nil }) { return true }
            guard let p = scope._withUnsafeGuaranteedRef({ $0.parentRef }) else { return false }
            scope = p
        }
    }

    func define(_ name: String, _ value: Value) {
        if let i = index(of: name, length: name.utf8.count) {
            values[i] = value
        } else {
            names.append(name)
            values.append(value)
            lengths |= Self.bit(name.utf8.count)
            if byName != nil {
                byName![name] = names.count - 1
            } else if names.count > Self.scanLimit {
                byName = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
            }
        }
    }

    /// False when no scope has the name.
    func assign(_ name: String, _ value: Value) -> Bool {
        let length = name.utf8.count
        var scope = Unmanaged.passUnretained(self)
        while true {
            let done = scope._withUnsafeGuaranteedRef { s -> Bool in
                guard let i = s.index(of: name, length: length) else { return false }
                s.values[i] = value
                return true
            }
            if done { return true }
            guard let p = scope._withUnsafeGuaranteedRef({ $0.parentRef }) else { return false }
            scope = p
        }
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

    /// A loop's scope between items: what the last item held is let go of, and a scope
    /// that holds just the loop's variable keeps its slot for the next `rebind`.
    func letGo() {
        if names.count == 1 { values[0] = .none } else { removeAll() }
    }

    func removeAll() {
        names.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        lengths = 0
        byName = nil
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
    /// The text it was written in: its body's ranges point there (in the shell, an
    /// earlier entry's).
    let source: Source
    /// In the shell, what the check of its entry found of it (`CheckContext.shellDefs`).
    var facts: DefFacts? = nil
}
