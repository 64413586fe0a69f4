import MXLanguage
import MXModel

/// What a check knows before the program starts: in the REPL, what earlier lines
/// defined; for a file, nothing.
public struct CheckContext {
    public var variables: [String: StaticType] = [:]
    /// Connection name -> vendor.
    public var connections: [String: String] = [:]
    public var defaultConnection: String?
    public var defs: [String: Int] = [:]
    /// The shell: a def may call a def not entered yet. A call of it is refused until
    /// everything it calls is defined (in a script, every def is known before it runs).
    public var interactive = false
    /// What the check found of each def the shell was given: a call of one is refused
    /// while a def it reaches is not defined or takes another number of values, or
    /// while it needs a connection and there is none.
    public var shellDefs: [String: DefFacts] = [:]
    public init() {}
}

/// What the check of its entry found of a def the shell was given.
public struct DefFacts: Sendable, Equatable {
    /// Its calls of defs (and of names that were nothing when it was entered).
    public var calls: [DefCall] = []
    /// Its body uses the default connection (`domains`, `domain "x"`).
    public var usesDefaultConnection = false
}

/// A def's call of another def: what the shell keeps of it, to judge a later call of the def.
public struct DefCall: Sendable, Equatable {
    public var callee: String
    public var arguments: Int
    /// Called with name=value, which a def does not take.
    public var named: Bool
}

/// What the checker knows of a value without running anything.
public enum StaticType: Equatable {
    case unknown
    case object(ObjectKind, connection: String?)
    case collection(ObjectKind, connection: String?)
    /// One of a vendor's own kinds (`group`, `message`), by its table's name.
    case vendorObject(String, connection: String?)
    case vendorObjects(String, connection: String?)
    case connection(String)
    /// A vendor's raw record: any field may or may not be there.
    case raw
    case record
    /// A list written out of plain values (`["a.net", "b.org"]`), whose items have no
    /// fields, and one item of it: in `xs where x ~ "*.net"` a bare name is a variable.
    case plainValues
    case plainValue
    /// A neutral field the connection's vendor does not keep (`aliases` at Proofpoint):
    /// it reads as none, which `count`, `has`, `in`, `for` and `[i]` refuse at `run`.
    /// `what` says so for the error: "proofpoint keeps no domain aliases (connection pp)".
    case absent(what: String)
    /// `secret("name")`: never put into text.
    case secret
}

/// The static check: every unknown name, wrong arity, bad option and every write a
/// connection's vendor cannot do, found before anything is sent. `mxsh check` prints
/// these; `run` refuses to start when there are any.
public func check(_ program: Program, commands: CommandTable = .standard, context: CheckContext = CheckContext())
    -> [Diagnostic]
{
    checkLeavingContext(program, commands: commands, context: context).diagnostics
}

/// Checks `program`, and gives with its errors what its top level leaves defined
/// (connections, variables, defs): the context a script read after it is checked in.
public func checkLeavingContext(
    _ program: Program, commands: CommandTable = .standard, context: CheckContext = CheckContext()
) -> (diagnostics: [Diagnostic], after: CheckContext) {
    var checker = Checker(commands: commands, context: context, source: program.source)
    checker.collectDefs(program.statements)
    checker.checkBlock(program.statements)
    return checker.finish()
}

struct Checker {
    let commands: CommandTable
    var context: CheckContext
    let source: Source
    var diagnostics: [Diagnostic] = []
    var scopes: CheckScopes
    /// Made when an expression deep enough to need it is checked (see `typeOf`).
    var stack: StackGuard?
    /// Item types of enclosing `where` predicates.
    var items: [StaticType] = []
    /// Every def of the script with where it is, so a call before it can say so.
    var laterDefs: [String: (params: [String], range: SourceRange)] = [:]
    /// The vendor of the connection last asked about: asked several times for every
    /// field a script reads, and a script mostly uses one or two connections.
    let lastVendor = VendorLookup()
    /// Checking statements as the parser hands them over (see `laterDef`).
    var streaming = false
    var namesNotYetDefs: Set<String> = []
    /// Blocks around the statement being checked (0 at the top level).
    var blockDepth = 0
    /// The defs whose bodies are being checked, innermost last.
    var defStack: [String] = []
    var inDef: Int { defStack.count }
    /// Defs whose bodies use the default connection (`domains`, `domain "x"`,
    /// `create-domain`), with where: called where nothing is connected, `run` would stop.
    var defsNeedingConnection: [String: SourceRange] = [:]
    /// The defs each def's body calls, with where (a def it calls may be written further
    /// down: by the time the caller is called at the top level, it must be defined).
    var defCalls: [String: [(call: DefCall, at: SourceRange)]] = [:]
    /// The defs this check has passed the def line of (the shell keeps their calls).
    var defsChecked: [String] = []
    /// Loops around the statement being checked (a def's body starts again at zero).
    var loopDepth = 0
    /// What `callWithWrittenOutArguments` calls a function that only computes with (made
    /// the first time one is called with values written out).
    var computing: Interpreter?
    /// The conditions around what is being checked (`if d.aliases != none < ... >`, the
    /// left of `aliases != none and ...`): a field one compares with none is not met none
    /// in the code it guards, so no `.absent` is said of it there. Kept whole and searched
    /// only when a field is found absent, which is rare: not taken apart at every `and`.
    var noneGuards: [(condition: Expr, names: [String]?)] = []
    /// Above zero where a statement may not be reached for every item: inside an `if`, or
    /// in a loop or def whose body may skip ahead (`if d.aliases = none < continue >`).
    /// `.absent` is refused only where the use is sure to run: a guard written another
    /// way (a variable, `not d.aliases`) must not make a valid script fail its check.
    var mayBeSkipped = 0
    /// Defs whose every callee (and theirs) is defined: no top-level call of them needs
    /// the walk again (defs are only ever added as the check goes down the script).
    var settledDefs: Set<String> = []

    init(commands: CommandTable, context: CheckContext, source: Source) {
        self.commands = commands
        self.context = context
        self.source = source
        self.scopes = CheckScopes(context.variables)
    }

    /// The vendor a connection is (nil when it is not known).
    func vendor(at connection: String?) -> Vendor? {
        guard let connection else { return nil }
        if lastVendor.known, lastVendor.connection == connection { return lastVendor.vendor }
        let vendor = context.connections[connection].flatMap(VendorRegistry.named)
        (lastVendor.known, lastVendor.connection, lastVendor.vendor) = (true, connection, vendor)
        return vendor
    }

    /// The errors found, and what the top level leaves defined.
    func finish() -> (diagnostics: [Diagnostic], after: CheckContext) {
        var after = context
        after.variables = scopes.top.dictionary
        // Only the shell keeps them: a runbook's test is checked after the runbook as
        // `mxsh test` runs it, where a def's calls were judged in the runbook's own check.
        for name in defsChecked where context.interactive {
            after.shellDefs[name] = DefFacts(
                calls: defCalls[name]?.map(\.call) ?? [], usesDefaultConnection: defsNeedingConnection[name] != nil)
        }
        for (name, def) in laterDefs { after.defs[name] = def.params.count }
        let diagnostics = diagnostics.map { d in
            var d = d
            d.kind = .check
            return d
        }
        return (diagnostics, after)
    }

    /// A top-level def by name, from anywhere in the script. Checking while the script is
    /// still being parsed (`parseAndCheck`), a def further down is not known yet: a name
    /// not found that could be one is noted, and if it turns out to be one the check is
    /// done again on the whole script. (A built-in's name needs no note: a def of that
    /// name is an error, which makes the check be done again anyway.)
    mutating func laterDef(_ name: String) -> (params: [String], range: SourceRange)? {
        if let def = laterDefs[name] { return def }
        if streaming, !commands.isCommand(name), functionIndex[name] == nil, LookupKind(word: name) == nil {
            namesNotYetDefs.insert(name)
        }
        return nil
    }

    mutating func error(_ message: String, at range: SourceRange, notes: [Diagnostic.Note] = []) {
        diagnostics.append(Diagnostic(message, at: range, notes: notes))
    }

    mutating func collectDefs(_ statements: [Stmt]) {
        // By index: a `for s in` copies out every statement to find the few defs.
        for i in statements.indices {
            guard case .def = statements[i].kind, case .def(let name, let r, let params, _) = statements[i].kind else {
                continue
            }
            // A second def of a name would silently replace the first.
            if let first = laterDefs[name] {
                let line = source.lineColumn(of: first.range.start).line
                error(
                    "'\(name)' is already defined at line \(line)", at: r,
                    notes: [.init("give this def another name, or remove one of them")])
                continue
            }
            laterDefs[name] = (params, r)
        }
    }

    /// `usage: retire name reason`, for arity errors.
    func defUsage(_ name: String) -> [Diagnostic.Note] {
        guard let params = laterDefs[name]?.params else { return [] }
        return [.init("usage: \(([name] + params).joined(separator: " "))")]
    }

    func lookupVariable(_ name: String) -> StaticType? { scopes.lookup(name) }

    var allVariables: [String] { scopes.names }

    mutating func define(_ name: String, _ type: StaticType) { scopes.define(name, type) }

    /// Checks `body` in a new block scope holding `variable` (a loop's) or `params` (a def's).
    mutating func withScope(
        _ variable: (String, StaticType)? = nil, params: [String] = [], _ body: (inout Checker) -> Void
    ) {
        scopes.open()
        blockDepth += 1
        if let (name, type) = variable { scopes.define(name, type) }
        for p in params { scopes.define(p, .unknown) }
        body(&self)
        blockDepth -= 1
        scopes.close()
    }

    mutating func checkBlock(_ statements: [Stmt]) {
        // Through the buffer: each statement is lent to checkStatement where it lies. An
        // array's subscript (or `for s in`) copies it out, a retain of all it holds.
        statements.withUnsafeBufferPointer { all in
            for i in all.indices { checkStatement(all[i]) }
        }
    }

    mutating func checkStatement(_ s: Stmt) {
        switch s.kind {
        case .let(let name, let nameRange, let value):
            if commands.isCommand(name) {
                error("'\(name)' is a command; choose another variable name", at: nameRange)
            } else {
                refuseDefName(name, at: nameRange)
                refuseConnectionName(name, at: nameRange)
            }
            define(name, typeOf(value))
        case .assign(let name, let nameRange, let value):
            let t = typeOf(value)
            if lookupVariable(name) == nil, let vendor = context.connections[name] {
                // `connect memory as m` then `m = 2`: a connection is no variable.
                error(
                    "'\(name)' is a connection (\(vendor)), not a variable: it cannot be given a value",
                    at: nameRange, notes: [.init("to keep a value, give it another name: let \(name)_value = ...")])
            } else if lookupVariable(name) == nil {
                error(
                    "assignment to '\(name)', which is not defined", at: nameRange,
                    notes: [
                        .init(
                            bestMatch(for: name, in: allVariables).map { "did you mean '\($0)'?" }
                                ?? "define it first with 'let \(name) = ...'")
                    ])
            } else {
                assignType(name, t)
            }
        case .if(let condition, let then, let otherwise):
            _ = typeOf(condition)
            noneGuards.append((condition, nil))
            mayBeSkipped += 1
            withScope { $0.checkBlock(then) }
            if let otherwise { withScope { $0.checkBlock(otherwise) } }
            mayBeSkipped -= 1
            noneGuards.removeLast()
        case .for(let variable, let variableRange, let sequence, let body):
            refuseDefName(variable, at: variableRange)
            refuseConnectionName(variable, at: variableRange)
            let element: StaticType
            if case .filter(let base, let predicate) = sequence.kind {
                // The loop variable names the item inside its own where.
                element = elementType(typeOf(base))
                withScope((variable, element)) { c in
                    c.items.append(element)
                    _ = c.typeOf(predicate)
                    c.items.removeLast()
                }
            } else {
                let t = typeOf(sequence)
                refuseAbsent(t, "'for' loops over a list or a collection", at: sequence.range)
                // `for x in 5`, `for x in none`, `for x in {a: 1}`: written out, as `run` says.
                if let v = literal(sequence) ?? (t == .record ? .record(Record()) : nil), !isList(v) {
                    let refusal = Interpreter.cannotLoop(over: v, at: sequence.range)
                    error(refusal.message, at: refusal.range, notes: refusal.notes)
                }
                // `for x in m.domain "got.com"`, `for x in m`: one object, or a connection.
                switch t {
                case .object(let kind, _): refuseLoop(over: "a \(kind.rawValue)", at: sequence.range)
                case .vendorObject(let kind, _): refuseLoop(over: "a \(kind)", at: sequence.range)
                case .connection(let c):
                    error(
                        "\(c) is a connection, not a list", at: sequence.range,
                        notes: [.init("name what it holds: \(c).domains or \(c).users")])
                default: break
                }
                element = elementType(t)
            }
            loopDepth += 1
            let skips = Self.maySkipAhead(body) ? 1 : 0
            mayBeSkipped += skips
            withScope((variable, element)) { $0.checkBlock(body) }
            mayBeSkipped -= skips
            loopDepth -= 1
        case .def(let name, let nameRange, let params, let body):
            checkDefName(name, at: nameRange)
            refuseDefNamedParameters(params, of: name, at: nameRange)
            for p in params { refuseConnectionName(p, at: nameRange, what: "a parameter of '\(name)'") }
            // The shell: a def entered again replaces the one the defs found ready called.
            if context.defs[name] != nil { settledDefs = [] }
            context.defs[name] = params.count
            // What an earlier shell entry found is of the def this one replaces.
            context.shellDefs[name] = nil
            defsChecked.append(name)
            defStack.append(name)
            let outerLoops = loopDepth
            loopDepth = 0
            let skips = Self.maySkipAhead(body) ? 1 : 0
            mayBeSkipped += skips
            withScope(params: params) { $0.checkBlock(body) }
            mayBeSkipped -= skips
            loopDepth = outerLoops
            defStack.removeLast()
        case .return(let value):
            if inDef == 0 { error("'return' outside a def", at: s.range) }
            if let value { _ = typeOf(value) }
        case .break, .continue:
            if loopDepth == 0 {
                let word = source.slice(s.range)
                error(
                    "'\(word)' outside a loop", at: s.range,
                    notes: [.init("'\(word)' belongs inside a for loop's block")])
            }
        case .command(let name, let nameRange, let args):
            checkCommand(name, nameRange, args, s.range)
        case .expression(let e):
            _ = typeOf(e)
            // `d.name = "x"` on its own line compares and prints; it never changes d.
            if case .binary(.eq, let l, _) = e.kind, case .field(let base, let field) = l.kind {
                let target = source.slice(base.range)
                error(
                    "'=' here compares, it does not change '\(field)'", at: e.range,
                    notes: [.init("to change a field: set \(target) \(field)=...")])
            }
            // `xs[0] = 5`, `r["a"] = 2`: the same, by index; a list or record is made anew.
            if case .binary(.eq, let l, _) = e.kind, case .index(let base, _) = l.kind {
                let target = source.slice(l.range)
                error(
                    "'=' here compares, it does not change \(target)", at: e.range,
                    notes: [
                        .init(
                            "lists and records are not changed in place: assign a new one, "
                                + "\(source.slice(base.range)) = ...")
                    ])
            }
        }
    }

    /// A def's name must call it and nothing else: not a command, a function, a lookup,
    /// a variable, or a top-level def a def inside another would replace when it runs.
    /// The shell: whether a name a def's body calls could be a def entered later, so that
    /// the call is put off until the def is called. A command's, a function's, a
    /// lookup's, a collection's, a variable's or a connection's name never could.
    func mayBeADefLater(_ name: String) -> Bool {
        !commands.isCommand(name) && functionIndex[name] == nil && LookupKind(word: name) == nil
            && name != "domains" && name != "users" && lookupVariable(name) == nil
            && context.connections[name] == nil
    }

    mutating func checkDefName(_ name: String, at nameRange: SourceRange) {
        let note = Diagnostic.Note("name your def differently")
        if commands.isCommand(name) {
            error("'\(name)' is a built-in command; name your def differently", at: nameRange)
        } else if functionIndex[name] != nil || LookupKind(word: name) != nil {
            let what = functionIndex[name] != nil ? "a built-in function" : "the lookup of a \(name)"
            error("'\(name)' is \(what); a def of that name would never be called", at: nameRange, notes: [note])
        } else if lookupVariable(name) != nil {
            error(
                "'\(name)' is a variable here; a bare '\(name)' would run the def, not read it", at: nameRange,
                notes: [note])
        } else if blockDepth > 0 {
            // Inside an if, a for or a def, `run` would define it only when that block ran
            // (and over a top-level def of its name), and its body would not see the
            // block's variables: where it is written would not say what it can do.
            error(
                "'\(name)' is defined inside a block; a def is written at the top level of the script",
                at: nameRange,
                notes: [.init("move it out of the block: a def sees its parameters and the top-level variables")])
        }
    }

    /// A def's parameter named as a def: a bare name runs the def, so the parameter could
    /// not be read that way.
    mutating func refuseDefNamedParameters(_ params: [String], of name: String, at range: SourceRange) {
        for p in params where context.defs[p] != nil || laterDef(p) != nil {
            error(
                "'\(p)' is a def; as a parameter of '\(name)', a bare '\(p)' would run the def, not read the parameter",
                at: range, notes: [.init("name the parameter differently")])
        }
    }

    /// A variable named as a def defined above it: a bare name runs the def, so the
    /// variable could not be read.
    mutating func refuseDefName(_ name: String, at range: SourceRange) {
        guard !context.defs.isEmpty, context.defs[name] != nil else { return }
        error(
            "'\(name)' is a def; a bare '\(name)' would run it, not read this variable", at: range,
            notes: [.init("choose another variable name")])
    }

    /// A variable named as a connection, or as `domains` or `users`: the variable would
    /// hide them from then on (`let m = 1` made `m.domains` a number's field at run,
    /// while check still read a connection).
    mutating func refuseConnectionName(_ name: String, at range: SourceRange, what: String = "a variable") {
        if let vendor = context.connections[name] {
            error(
                "'\(name)' is a connection (\(vendor)); as \(what) it would hide the connection", at: range,
                notes: [.init("choose another name")])
        } else if name == "domains" || name == "users", context.defaultConnection != nil {
            error(
                "'\(name)' names the connection's \(name); as \(what) it would hide them", at: range,
                notes: [.init("choose another name")])
        }
    }

    /// `domains`, `domain "x"` or `create-domain` with nothing connected: `run` would stop
    /// there. In a def's body it is judged where the def is called (a `connect` may come
    /// between).
    mutating func requireConnection(_ what: @autoclosure () -> String, at range: SourceRange) {
        guard context.defaultConnection == nil else { return }
        if let def = defStack.last {
            if defsNeedingConnection[def] == nil { defsNeedingConnection[def] = range }
            return
        }
        error("\(what()) needs a connection, and there is none yet", at: range, notes: [Self.connectFirst])
    }

    /// A call of a def at the top level: the defs it calls (and those call) must be
    /// defined by then, as `run` defines each where its def line is; and a connection
    /// must be there if one of their bodies uses the default one.
    mutating func checkDefCall(_ name: String, arguments: Int, named: Bool = false, at range: SourceRange) {
        if let outer = defStack.last {
            defCalls[outer, default: []].append((DefCall(callee: name, arguments: arguments, named: named), range))
            return
        }
        if let (call, at) = calleeNotYetDefined(by: name) {
            refuseUnreadyCall(of: name, call, calledAt: at, at: range)
            return
        }
        guard context.defaultConnection == nil, let use = connectionUse(of: name) else { return }
        let line = use.map { " (for line \(source.lineColumn(of: $0.start).line))" } ?? ""
        error("'\(name)' needs a connection\(line), and there is none yet", at: range, notes: [Self.connectFirst])
    }

    /// A top-level call of `name`, which reaches `call` before it can be made: a def not
    /// defined yet (further down; in the shell, not entered yet) or one that takes
    /// another number of values. Refused here: `run` would stop there, after the lines
    /// of the defs before it.
    mutating func refuseUnreadyCall(of name: String, _ call: DefCall, calledAt: SourceRange?, at range: SourceRange) {
        let callee = call.callee
        if let arity = context.defs[callee] {
            error(
                "'\(name)' calls '\(callee)' with "
                    + (call.named ? "name=value" : "\(call.arguments) value(s)")
                    + ", and '\(callee)' takes \(arity) value(s)", at: range,
                notes: [.init("change the call in '\(name)', or the def of '\(callee)'")])
        } else if let def = laterDefs[callee] {
            let defLine = source.lineColumn(of: def.range.start).line
            let line = calledAt.map { " (line \(source.lineColumn(of: $0.start).line))" } ?? ""
            error(
                "'\(name)' calls '\(callee)'\(line), whose def is further down (line \(defLine)): "
                    + "here it is not defined yet", at: range,
                notes: [.init("move the def of '\(callee)' above this line")])
        } else if lookupVariable(callee) != nil {
            // The shell: `def c < q >`, then `let q = 5`: no def can take q's name now.
            error(
                "'\(name)' calls '\(callee)', which is a variable, not a def", at: range,
                notes: [.init("enter '\(name)' again without calling '\(callee)'")])
        } else {
            // The shell: `def a < b >` was entered before `b` was.
            error(
                "'\(name)' calls '\(callee)', which is not defined", at: range,
                notes: [.init("define it first: def \(callee) ... < ... >")])
        }
    }

    /// Where a def, or a def it calls (and so on), uses the default connection: nil when
    /// none does, `.some(nil)` for a def from an earlier shell entry (no line here).
    func connectionUse(of def: String) -> SourceRange?? {
        var seen: Set<String> = [], pending = [def]
        while let d = pending.popLast() {
            guard seen.insert(d).inserted else { continue }
            if let use = defsNeedingConnection[d] { return .some(use) }
            if context.shellDefs[d]?.usesDefaultConnection == true { return .some(nil) }
            pending += (defCalls[d] ?? []).map(\.call.callee) + (context.shellDefs[d]?.calls ?? []).map(\.callee)
        }
        return nil
    }

    /// A def that `def` calls (or a def it calls, and so on) whose def line is not yet
    /// passed, with where it is called.
    /// `at` is nil for a call made by a def the shell was given in an earlier entry. A
    /// call that does not fit its def (the shell: `b` defined again with other
    /// parameters) is found here too.
    mutating func calleeNotYetDefined(by def: String) -> (call: DefCall, at: SourceRange?)? {
        var seen: Set<String> = [], pending = [def]
        while let d = pending.popLast() {
            guard !settledDefs.contains(d), seen.insert(d).inserted else { continue }
            let calls =
                (defCalls[d] ?? []).map { ($0.call, Optional($0.at)) }
                + (context.shellDefs[d]?.calls ?? []).map { ($0, nil) }
            for (call, at) in calls {
                guard let arity = context.defs[call.callee] else { return (call, at) }
                // In a script a call's values were counted where it is written (a def given
                // twice is an error of its own); the shell's defs may be entered again since.
                if context.interactive, call.named || call.arguments != arity { return (call, at) }
                pending.append(call.callee)
            }
        }
        settledDefs.formUnion(seen)
        return nil
    }

    /// Whether a block holds an `if` that may leave it early (`continue`, `break`,
    /// `return`), so that what follows it may not run for every item.
    static func maySkipAhead(_ block: [Stmt]) -> Bool {
        // Read where they lie (no list of statements built for every block checked): a
        // jump at any depth of `if`s inside one of the block's own `if`s.
        func jumps(_ statements: [Stmt], inIf: Bool) -> Bool {
            statements.withUnsafeBufferPointer { all in
                for i in all.indices {
                    switch all[i].kind {
                    case .break, .continue, .return: if inIf { return true }
                    case .if(_, let then, let otherwise):
                        if jumps(then, inIf: true) || otherwise.map({ jumps($0, inIf: true) }) == true { return true }
                    default: break
                    }
                }
                return false
            }
        }
        return jumps(block, inIf: false)
    }

    /// Whether an enclosing condition compares the field `name` with none, anywhere in its
    /// and/or/not (`aliases != none and ...`, `d.aliases = none or ...`). Each condition is
    /// taken apart the first time it is asked, and the innermost asked first.
    mutating func noneGuarded(_ name: String) -> Bool {
        for i in noneGuards.indices.reversed() {
            if noneGuards[i].names == nil { noneGuards[i].names = Self.noneTested(noneGuards[i].condition) }
            if noneGuards[i].names!.contains(name) { return true }
        }
        return false
    }

    /// The fields a condition compares with none.
    static func noneTested(_ condition: Expr) -> [String] {
        var out: [String] = [], pending = [condition], budget = 64
        while let e = pending.popLast(), budget > 0 {
            budget -= 1
            switch e.kind {
            case .binary(.and, let l, let r), .binary(.or, let l, let r): pending += [l, r]
            case .unary(.not, let x): pending.append(x)
            case .binary(.eq, let l, let r), .binary(.ne, let l, let r):
                for (side, other) in [(l, r), (r, l)] {
                    guard case .none = other.kind else { continue }
                    if case .identifier(let name) = side.kind { out.append(name) }
                    if case .field(_, let name) = side.kind { out.append(name) }
                }
            default: break
            }
        }
        return out
    }

    static let connectFirst = Diagnostic.Note("connect first: 'connect memory as m seed=\"demo\"' or 'connect sandbox'")

    mutating func assignType(_ name: String, _ t: StaticType) { scopes.assign(name, t) }

    func isList(_ v: Value) -> Bool { if case .list = v { true } else { false } }

    mutating func refuseLoop(over what: String, at range: SourceRange) {
        error("cannot loop over \(what)", at: range, notes: [Refusal.loopNote])
    }

    func elementType(_ t: StaticType) -> StaticType {
        switch t {
        case .collection(let kind, let c): return .object(kind, connection: c)
        case .vendorObjects(let kind, let c): return .vendorObject(kind, connection: c)
        case .plainValues: return .plainValue
        default: return .unknown
        }
    }
}

/// `Checker.vendor(at:)`'s memory: a connection's name and its vendor.
final class VendorLookup {
    var known = false
    var connection = ""
    var vendor: Vendor?
}
