import MXLanguage
import MXModel

/// What command handlers share: evaluating their arguments and submitting changes.
extension Interpreter {
    func value(_ arg: Argument) throws -> Value {
        switch arg {
        case .value(let e): return try eval(e)
        case .word(let w, _): return .string(w)
        case .named(_, _, let e): return try eval(e)
        }
    }

    func string(_ arg: Argument, what: String) throws -> String {
        let v = try value(arg)
        switch v {
        case .string(let s): return s
        case .enumCase(let s): return s
        default: throw RuntimeError("\(what) must be a string, not a \(v.typeName)", at: arg.range)
        }
    }

    /// The object a command acts on: an object value, or a name looked up at the
    /// default connection (`disable "old.com"`).
    func target(_ arg: Argument, kind: ObjectKind, command: String) throws -> ObjectRef {
        let v = try value(arg)
        switch v {
        case .object(let ref) where ref.kind == kind:
            return ref
        case .string(let name):
            let found = try lookupObject(kind == .user ? .user : .domain, named: .string(name),
                                         at: try connection(at: arg.range), range: arg.range)
            guard case .object(let ref) = found else { fatalError("lookup returns objects") }
            return ref
        default:
            throw RuntimeError("'\(command)' needs a \(kind.rawValue), not a \(v.typeName)", at: arg.range)
        }
    }

    /// The `key=value` arguments as a record, without the ones in `except`.
    func namedFields(_ inv: Invocation, except: Set<String> = []) throws -> Record {
        var r = Record()
        for (key, _, e) in inv.named where !except.contains(key) { r[key] = try eval(e) }
        return r
    }

    /// The connection named by `at=`, or the default one.
    func connection(for inv: Invocation) throws -> Connection {
        if let at = inv.named.first(where: { $0.key == "at" }) { return try connectionValue(at.value) }
        return try connection(at: inv.nameRange)
    }

    func location(_ range: SourceRange) -> ScriptLocation {
        var l = ScriptLocation(source, range)
        l.row = currentRow
        return l
    }

    /// Checks the change against the vendor's capabilities, sends it to the sink, and
    /// updates `ref` with the state the vendor reports after it.
    @discardableResult
    func submit(_ change: Change, updating ref: ObjectRef?, at range: SourceRange) throws -> ChangeOutcome {
        guard let c = connections[change.connection] else {
            throw RuntimeError("no connection '\(change.connection)'", at: range)
        }
        let caps = c.adapter.capabilities
        if !caps.operations.contains(change.operation) {
            throw RuntimeError("\(caps.vendor) cannot \(change.operation.rawValue) (connection \(c.name))", at: range)
        }
        // Alias and credential changes carry their own arguments, not the object's fields.
        for name in change.fields.keys where ![.addAlias, .removeAlias, .setCredential].contains(change.operation) {
            if change.kind != .settings, caps.access(change.kind, name) != .readWrite {
                throw RuntimeError("\(caps.vendor) cannot write \(change.kind.rawValue) field '\(name)' (connection \(c.name))", at: range)
            }
        }
        let change = try completingBefore(change, at: c, range: range)
        let outcome: ChangeOutcome
        do {
            outcome = try sink.submit(change, to: c)
        } catch let e as VendorError {
            throw RuntimeError("\(change.operation.rawValue) \(change.kind.rawValue) \"\(change.key)\" at \(c.name) failed: \(e.message) (\(e.vendor) \(e.code))", at: range)
        }
        if let ref, let after = outcome.after { ref.object = after }
        if echoChanges {
            if case .unchanged = outcome {
                host.message("= \(change.kind.rawValue) \"\(change.key)\" at \(c.name): already as asked (\(change.operation.rawValue))\n")
            } else {
                host.message(change.summary + "\n")
            }
        }
        return outcome
    }

    /// Collects a query's items: for `list`, `export` and `copy`.
    /// Every item of a collection, whole (for listing and export).
    func collect(_ e: Expr) throws -> [Value] {
        var out: [Value] = []
        try forEach(in: e) { out.append($0); return true }
        try completeDomains(out, at: e.range)
        return out
    }

    func list(_ v: Value, range: SourceRange) throws {
        var items: [Value] = []
        try iterate(v, at: range) { items.append($0); return true }
        try completeDomains(items, at: range)
        host.output(render(.list(items), format: host.format, width: host.terminalWidth) + "\n")
    }
}
