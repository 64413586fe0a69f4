import MXHTTP
import MXLanguage
import MXModel

/// Runs checked programs. One interpreter lives for a whole REPL session or script
/// run; it keeps variables, `def`s and connections between `run` calls.
public final class Interpreter {
    public let host: any Host
    public var sink: any ChangeSink
    /// One object, one identity: what every lookup and change goes through.
    let identities = Identities()
    /// Polled between statements and loop iterations: Ctrl-C in the REPL.
    public var shouldCancel: () -> Bool = { false }
    /// Reads a stored credential for `secret("name")`.
    public var secrets: SecretStore = SecretStore()
    /// Where `trace on` (and `--trace`) lines go: stderr unless a host says otherwise.
    public var traceSink: @Sendable (String) -> Void = { writeStandardError($0 + "\n") }
    public func setTrace(_ on: Bool) { http.setTrace(on ? traceSink : nil) }
    /// This session's HTTP: its trace, its connections' limits and cancellations, its
    /// pool. Never shared with another session (they may name connections alike).
    public let http = HTTPClient()
    /// Transfers a connection may have in flight (the executor's --jobs).
    public var httpConcurrency = 8
    /// Starts the vendor simulations for `connect sandbox` (set by the `mxsh` executable).
    public var sandboxLauncher: SandboxLauncher?
    /// Where `copy` and `export` write, relative paths resolve against it.
    public var echoChanges = false
    /// `--limit N`: the most objects a `copy` moves when it says no `limit=` itself.
    public var copyLimit: Int?

    let globals = Scope(parent: nil)
    @exclusivity(unchecked) var scope: Scope
    var defs: [String: UserCommand] = [:]
    /// The shell: what the check found of the defs of the entry being run, given to each
    /// as it is defined.
    var shellDefFacts: [String: DefFacts] = [:]
    public private(set) var connections: [String: Connection] = [:]
    public private(set) var connectionOrder: [String] = []
    public private(set) var defaultConnection: String?
    var source = Source(name: "<none>", text: "")
    /// Items under test in `where` predicates, innermost last.
    @exclusivity(unchecked) var items: [Value] = []
    /// The defs being run, outermost first.
    var callNames: [String] = []
    /// Blocks being run, one inside another (a def's body and its blocks included).
    /// Counted for every block a loop runs: unchecked, as `scope` is.
    @exclusivity(unchecked) var blockDepth = 0
    /// The running thread's stack, read once a script nests deep enough to need it.
    var stack: StackGuard?
    /// The CSV row a `for` loop is on, for the changes and errors made meanwhile.
    var currentRow: RowOrigin?
    let commands: CommandTable

    public init(host: any Host, sink: any ChangeSink = ApplySink(), commands: CommandTable = .standard) {
        self.host = host
        self.sink = sink
        self.commands = commands
        self.scope = globals
    }

    /// Runs a checked program's statements in order; the first runtime error stops it.
    public func execute(_ program: Program) throws {
        source = program.source
        scope = globals
        stack = nil
        for statement in program.statements {
            switch try execute(statement) {
            case .normal: break
            case .returned: throw RuntimeError("'return' outside a def", at: statement.range)
            case .broke, .continued:
                throw RuntimeError("'break' and 'continue' belong inside a loop", at: statement.range)
            }
        }
    }

    /// How a statement ended: `return`, `break` and `continue` are completion values
    /// passed up to the def or loop that takes them, not thrown errors.
    enum Flow { case normal, returned(Value), broke, continued }

    func execute(_ block: [Stmt], in newScope: Scope) throws -> Flow {
        blockDepth += 1
        defer { blockDepth -= 1 }
        // Shallow scripts never read the stack's bounds (that reads /proc for the main thread).
        if blockDepth > 64 { try checkStack(before: block) }
        let saved = scope
        scope = newScope
        defer { scope = saved }
        for s in block {
            let flow = try execute(s)
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }

    func execute(_ stmt: Stmt) throws -> Flow {
        if shouldCancel() { throw Cancelled() }
        switch stmt.kind {
        case .let(let name, _, let value):
            scope.define(name, try eval(value))
        case .assign(let name, let nameRange, let value):
            let v = try eval(value)
            if !scope.assign(name, v) {
                throw RuntimeError(
                    "assignment to '\(name)', which is not defined", at: nameRange,
                    notes: [.init("define it first with 'let \(name) = ...'")])
            }
        case .if(let condition, let then, let otherwise):
            if try eval(condition).isTruthy {
                return try execute(then, in: Scope(parent: scope))
            } else if let otherwise {
                return try execute(otherwise, in: Scope(parent: scope))
            }
        case .for(let variable, _, let sequence, let body):
            return try runLoop(variable, sequence, body)
        case .def(let name, _, let params, let body):
            defs[name] = UserCommand(
                name: name, params: params, body: body, source: source, facts: shellDefFacts[name])
        case .return(let value):
            return .returned(try value.map(eval) ?? .none)
        case .break:
            return .broke
        case .continue:
            return .continued
        case .command(let name, let nameRange, let args):
            return try call(name, nameRange: nameRange, args: args, range: stmt.range)
        case .expression(let e):
            let v = try eval(e)
            try show(v, at: e.range)
        }
        return .normal
    }

    func call(_ name: String, nameRange: SourceRange, args: [Argument], range: SourceRange) throws -> Flow {
        if !defs.isEmpty, let user = defs[name] {
            return try callUser(user, args: args, range: range)
        }
        // The handler alone: a whole declaration is a lot to copy for each `print` in a loop.
        if let run = commands.handler(name) {
            try run(self, Invocation(name: name, nameRange: nameRange, args: args, range: range))
            return .normal
        }
        // A bare variable on its own line shows its value.
        if args.isEmpty, let v = lookup(name) {
            try show(v, at: nameRange)
            return .normal
        }
        throw RuntimeError("unknown command '\(name)'", at: nameRange)
    }

    /// Stops the script, at the block's first line, when the stack is near its end. Out
    /// of line: `execute(_:in:)` runs for every item of every loop, and kept small it is
    /// inlined there.
    @inline(never)
    func checkStack(before block: [Stmt]) throws {
        guard let first = block.first else { return }
        guard StackGuard.exhausted(&stack) else { return }
        throw RuntimeError(
            "blocks and def calls nest too deep here (\(blockDepth) levels, \(callNames.count) of them calls): "
                + "the script is stopped before mxsh's stack runs out", at: first.range,
            notes: [.init("a def that calls itself should stop sooner, or a loop do its work")])
    }

    /// The same for an expression deep enough to matter (a long chain recurses a level a
    /// link, and the parser allows 10,000): checked on the way down, so the error is at
    /// the innermost part that would not fit.
    @inline(never)
    func checkStack(before e: Expr) throws {
        guard StackGuard.exhausted(&stack) else { return }
        throw RuntimeError(
            "this expression is too deep to run here (\(e.depth) levels, inside \(blockDepth) levels of blocks "
                + "and \(callNames.count) def calls): the script is stopped before mxsh's stack runs out",
            at: e.range, notes: [.init("split it into parts with let")])
    }

    func callUser(_ user: UserCommand, args: [Argument], range: SourceRange) throws -> Flow {
        var values: [Value] = []
        for arg in args {
            guard case .value(let e) = arg else {
                throw RuntimeError("'\(user.name)' takes values only", at: arg.range)
            }
            values.append(try eval(e))
        }
        _ = try callUser(user, values, range: range)
        return .normal
    }

    /// Runs a def with its arguments' values; gives back what it returns (none if it
    /// returns nothing). An error inside names the call that led there.
    func callUser(_ user: UserCommand, _ values: [Value], range: SourceRange) throws -> Value {
        guard values.count == user.params.count else {
            throw RuntimeError(
                "'\(user.name)' takes \(user.params.count) argument(s), given \(values.count)", at: range,
                notes: [.init("usage: \(([user.name] + user.params).joined(separator: " "))")])
        }
        callNames.append(user.name)
        defer { callNames.removeLast() }
        if callNames.count > 200 {
            // Two defs calling each other are not one calling itself.
            let callers = Set(callNames.suffix(200))
            throw RuntimeError(
                callers.count == 1
                    ? "'\(user.name)' calls itself more than 200 levels deep"
                    : "defs call one another more than 200 levels deep "
                        + "(\(callers.count) defs; this call is of '\(user.name)')",
                at: range)
        }
        let callScope = Scope(parent: globals)
        for (param, value) in zip(user.params, values) { callScope.define(param, value) }
        // A where clause around the call is not the def's: its items are hidden inside.
        let outerItems = items
        items = []
        // The body's ranges are in the def's text: errors and the journal's locations say
        // where in it (the shell's def entered earlier is not in the entry being run).
        let callerSource = source
        source = user.source
        defer { (items, source) = (outerItems, callerSource) }
        do {
            switch try execute(user.body, in: callScope) {
            case .returned(let v): return v
            case .normal: return .none
            case .broke, .continued: throw RuntimeError("'break' and 'continue' belong inside a loop", at: range)
            }
        } catch var e as RuntimeError {
            if e.source == nil { e.source = user.source }
            e.noteCall(user.name, at: range, in: callerSource)
            throw e
        }
    }

    // MARK: connections

    /// How the `connect` statement being run opens its connections (nil: it cannot be
    /// saved), given to the connections it opens.
    var pendingOrigin: ConnectionOrigin?
    /// The URL each connection reached (its adapter's base) and its organisation, for its origin.
    var endpoints: [String: (url: String, org: String?)] = [:]

    public func add(_ given: Connection) {
        var origin = given.origin ?? pendingOrigin
        if given.origin == nil, var o = origin {
            o.name = given.name
            o.endpoint = endpoints[given.name]?.url
            o.org = endpoints[given.name]?.org
            if o.vendor != "sandbox", o.needsSeal {
                // A key that cannot be made leaves the connection unsavable, nothing worse.
                origin = (try? SealKey.user()).map { o.sealed(with: $0) }
            } else {
                origin = o
            }
        }
        let connection = Connection(name: given.name, adapter: sink.adapter(for: given.adapter), origin: origin)
        if connections[connection.name] == nil { connectionOrder.append(connection.name) }
        connections[connection.name] = connection
        if defaultConnection == nil { defaultConnection = connection.name }
    }

    /// A connection reached through another (a partner's customer), already wrapped.
    func adopt(_ connection: Connection) {
        if connections[connection.name] == nil { connectionOrder.append(connection.name) }
        connections[connection.name] = connection
    }

    public func use(_ name: String) { defaultConnection = name }

    func connection(at range: SourceRange) throws -> Connection {
        guard let name = defaultConnection, let c = connections[name] else {
            throw RuntimeError(
                "no connection yet", at: range,
                notes: [.init("connect first: 'connect memory as m seed=\"demo\"' or 'connect sandbox'")])
        }
        return c
    }

    // MARK: names

    /// A variable, a connection, or the default connection's `domains`/`users`.
    func lookup(_ name: String) -> Value? {
        if let v = scope.lookup(name) { return v }
        if let c = connections[name] { return .opaque(c) }
        if name == "domains" || name == "users", let d = defaultConnection, let c = connections[d] {
            return .opaque(ObjectCollection(connection: c, kind: name == "domains" ? .domains : .users))
        }
        return nil
    }

    /// Every name a statement could use now: for completion and checking.
    public var knownVariables: [String] { scope.allNames }

    /// Defines a global before a script runs (`--var name=value`).
    public func define(_ name: String, _ value: Value) { globals.define(name, value) }
    public var knownDefs: [String: Int] { defs.mapValues { $0.params.count } }

    // MARK: output

    func show(_ v: Value, at range: SourceRange) throws {
        switch v {
        case .opaque(let o as ObjectCollection):
            try list(.opaque(o), range: range)
        case .object(let ref) where host.format == .table:
            try completeDomains([v], at: range)
            let vendor = connections[ref.connection]?.vendor ?? ref.connection
            host.output(describe(ref, own: ownFields(ref), vendor: vendor) + "\n")
        default:
            try completeDomains([v], at: range)
            host.output(render(v, format: host.format, width: host.terminalWidth) + "\n")
        }
    }
}

extension Interpreter {
    /// The vendor's own fields of an object (`spamlevel` at OpenSRS), for `show`. A null
    /// value with an entry in the vendor's `inherited` field (OpenSRS's
    /// `metadata.inherit`) is said to inherit it.
    func ownFields(_ ref: ObjectRef) -> [OwnField] {
        guard let kind = connections[ref.connection]?.declaration.resource(ref.kind) else { return [] }
        let inherited = vendorField(ref, "inherited")
        return kind.fields.filter { !$0.neutral && $0.name != "inherited" && $0.type != .secret }.map { spec in
            let value = vendorField(ref, spec.name) ?? .none
            var inherits: Value?
            if value.isNone, case .record(let r)? = inherited, let v = r[spec.name], !v.isNone { inherits = v }
            return OwnField(name: spec.name, value: value, inherits: inherits)
        }
    }
}

/// One call of a built-in command, as handlers see it.
public struct Invocation {
    public let name: String
    public let nameRange: SourceRange
    public let args: [Argument]
    public let range: SourceRange

    /// Positional arguments (values and words) in order.
    var positional: [Argument] {
        args.filter {
            if case .named = $0 { return false }; return true
        }
    }

    var named: [(key: String, keyRange: SourceRange, value: Expr)] {
        args.compactMap {
            if case .named(let k, let r, let v) = $0 { return (k, r, v) }; return nil
        }
    }
}
