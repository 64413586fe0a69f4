import MXLanguage
import MXModel

/// The one path from text to effects, shared by the REPL, `-c`, script files and the
/// tests: parse, check, then run. A script that does not parse or check runs nothing.
public final class Session {
    public let interpreter: Interpreter
    public var host: any Host { interpreter.host }

    public enum Outcome: Equatable {
        case ok
        /// A statement or a change failed: exit status 1.
        case failed
        /// The script did not parse or check: exit status 2, nothing ran.
        case invalid
        /// The input stops inside an open block: the REPL asks for more.
        case incomplete
        case interrupted

        public var exitStatus: Int32 {
            switch self {
            case .ok: return 0
            case .failed, .interrupted: return 1
            case .invalid, .incomplete: return 2
            }
        }
    }

    /// The shell's session: a def may call a def entered after it (`CheckContext.interactive`).
    public var interactive = false

    public init(host: any Host, sink: any ChangeSink = ApplySink()) {
        self.interpreter = Interpreter(host: host, sink: sink)
    }

    /// Parses and checks without running; in the REPL the session's names are known.
    /// With `prelude` (a runbook, for its test), `text` is read as if it ran after the
    /// prelude in this session, as `mxsh test` runs it; the prelude's own errors are not
    /// reported (checking it reports them).
    public func diagnose(_ text: String, name: String, after prelude: Source? = nil) -> (Program, [Diagnostic]) {
        var connections = Set(interpreter.connections.keys)
        var context = checkContext
        if let prelude {
            let (program, _) = parse(prelude, commands: interpreter.commands, connections: connections)
            connections = program.connections
            context = checkLeavingContext(program, commands: interpreter.commands, context: context).after
        }
        return parseAndCheck(
            Source(name: name, text: text), commands: interpreter.commands, connections: connections, context: context)
    }

    /// Runs text. With `allowIncomplete`, an input whose only problem is an open
    /// block (or bracket) at its end reports `.incomplete` instead of an error.
    @discardableResult
    public func run(_ text: String, name: String, allowIncomplete: Bool = false) -> Outcome {
        let (program, diagnostics) = diagnose(text, name: name)
        if !diagnostics.isEmpty {
            if allowIncomplete, diagnostics.allSatisfy({ $0.code == .incomplete }) { return .incomplete }
            host.message(DiagnosticList(diagnostics).render(in: program.source))
            return .invalid
        }
        if interactive, program.statements.contains(where: { if case .def = $0.kind { true } else { false } }) {
            // The calls each def makes, as the check saw them: kept with the def when it
            // runs, so a later entry's call of it is judged against the defs then.
            interpreter.shellDefFacts =
                checkLeavingContext(program, commands: interpreter.commands, context: checkContext).after.shellDefs
        }
        do {
            try interpreter.execute(program)
            return .ok
        } catch let e as RuntimeError {
            host.message(e.diagnostic.render(in: program.source))
            return .failed
        } catch is Cancelled {
            host.message("interrupted\n")
            return .interrupted
        } catch {
            host.message("\(name): error: \(error)\n")
            return .failed
        }
    }

    /// What the REPL's earlier lines defined, as the checker sees it.
    public var checkContext: CheckContext {
        var c = CheckContext()
        for name in interpreter.knownVariables {
            c.variables[name] = interpreter.globals.lookup(name).map(staticType) ?? .unknown
        }
        for (name, conn) in interpreter.connections { c.connections[name] = conn.vendor }
        c.defaultConnection = interpreter.defaultConnection
        c.defs = interpreter.knownDefs
        c.interactive = interactive
        if interactive { c.shellDefs = interpreter.defs.compactMapValues(\.facts) }
        return c
    }
}

func staticType(_ v: Value) -> StaticType {
    switch v {
    case .object(let ref): return .object(ref.kind, connection: ref.connection)
    case .opaque(let c as Connection): return .connection(c.name)
    case .opaque(let c as ObjectCollection):
        return .collection(c.kind == .domains ? .domain : .user, connection: c.connection.name)
    case .record: return .record
    case .list(let items):
        // A list of one kind of object from one connection (`let k = cm.users where ...`):
        // its items are checked as that object, not as a domain (the checker's guess).
        guard case .object(let first)? = items.first,
            items.allSatisfy({
                if case .object(let r) = $0 { r.kind == first.kind && r.connection == first.connection } else { false }
            })
        else { return .unknown }
        return .collection(first.kind, connection: first.connection)
    default: return .unknown
    }
}
