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
    public init() {}
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
    var after = checker.context
    after.variables = checker.scopes.first ?? [:]
    for (name, def) in checker.laterDefs { after.defs[name] = def.params.count }
    let diagnostics = checker.diagnostics.map { d in
        var d = d
        d.kind = .check
        return d
    }
    return (diagnostics, after)
}

struct Checker {
    let commands: CommandTable
    var context: CheckContext
    let source: Source
    var diagnostics: [Diagnostic] = []
    var scopes: [[String: StaticType]]
    /// Item types of enclosing `where` predicates.
    var items: [StaticType] = []
    /// Every def of the script with where it is, so a call before it can say so.
    var laterDefs: [String: (params: [String], range: SourceRange)] = [:]
    var inDef = 0
    /// Loops around the statement being checked (a def's body starts again at zero).
    var loopDepth = 0

    init(commands: CommandTable, context: CheckContext, source: Source) {
        self.commands = commands
        self.context = context
        self.source = source
        self.scopes = [context.variables]
    }

    mutating func error(_ message: String, at range: SourceRange, notes: [Diagnostic.Note] = []) {
        diagnostics.append(Diagnostic(message, at: range, notes: notes))
    }

    mutating func collectDefs(_ statements: [Stmt]) {
        for s in statements {
            guard case .def(let name, let r, let params, _) = s.kind else { continue }
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

    func lookupVariable(_ name: String) -> StaticType? {
        for scope in scopes.reversed() { if let t = scope[name] { return t } }
        return nil
    }

    var allVariables: [String] { scopes.flatMap(\.keys) }

    mutating func define(_ name: String, _ type: StaticType) { scopes[scopes.count - 1][name] = type }

    mutating func withScope(_ vars: [String: StaticType] = [:], _ body: (inout Checker) -> Void) {
        scopes.append(vars)
        body(&self)
        scopes.removeLast()
    }

    mutating func checkBlock(_ statements: [Stmt]) {
        for s in statements { checkStatement(s) }
    }

    mutating func checkStatement(_ s: Stmt) {
        switch s.kind {
        case .let(let name, let nameRange, let value):
            if commands.isCommand(name) {
                error("'\(name)' is a command; choose another variable name", at: nameRange)
            }
            define(name, typeOf(value))
        case .assign(let name, let nameRange, let value):
            let t = typeOf(value)
            if lookupVariable(name) == nil {
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
            withScope { $0.checkBlock(then) }
            if let otherwise { withScope { $0.checkBlock(otherwise) } }
        case .for(let variable, _, let sequence, let body):
            let element: StaticType
            if case .filter(let base, let predicate) = sequence.kind {
                // The loop variable names the item inside its own where.
                element = elementType(typeOf(base))
                withScope([variable: element]) { c in
                    c.items.append(element)
                    _ = c.typeOf(predicate)
                    c.items.removeLast()
                }
            } else {
                element = elementType(typeOf(sequence))
            }
            loopDepth += 1
            withScope([variable: element]) { $0.checkBlock(body) }
            loopDepth -= 1
        case .def(let name, let nameRange, let params, let body):
            if commands.isCommand(name) {
                error("'\(name)' is a built-in command; name your def differently", at: nameRange)
            }
            context.defs[name] = params.count
            inDef += 1
            let outerLoops = loopDepth
            loopDepth = 0
            withScope(Dictionary(uniqueKeysWithValues: params.map { ($0, StaticType.unknown) })) { $0.checkBlock(body) }
            loopDepth = outerLoops
            inDef -= 1
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
        }
    }

    mutating func assignType(_ name: String, _ t: StaticType) {
        for i in scopes.indices.reversed() where scopes[i][name] != nil {
            if scopes[i][name] != t { scopes[i][name] = .unknown }
            return
        }
    }

    func elementType(_ t: StaticType) -> StaticType {
        switch t {
        case .collection(let kind, let c): return .object(kind, connection: c)
        case .vendorObjects(let kind, let c): return .vendorObject(kind, connection: c)
        default: return .unknown
        }
    }
}
