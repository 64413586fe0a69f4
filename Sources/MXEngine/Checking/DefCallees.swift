import MXLanguage

/// The names a def's body calls that are neither built-in commands nor functions: the
/// defs it needs (or names that are nothing yet). The shell keeps them for each def it
/// was given, so that a call of the def is refused while one of them is not defined
/// (`CheckContext.defCallees`). Walked with a list, not recursion: an expression may be
/// 10,000 levels deep.
func defCallees(of body: [Stmt], commands: CommandTable) -> [String] {
    var names: [String] = []
    var statements = body
    var expressions: [Expr] = []
    func note(_ name: String) {
        if !commands.isCommand(name), functionIndex[name] == nil, !names.contains(name) { names.append(name) }
    }
    while let s = statements.popLast() {
        switch s.kind {
        case .let(_, _, let value), .assign(_, _, let value), .expression(let value):
            expressions.append(value)
        case .if(let condition, let then, let otherwise):
            expressions.append(condition)
            statements += then + (otherwise ?? [])
        case .for(_, _, let sequence, let body):
            expressions.append(sequence)
            statements += body
        case .def(_, _, _, let body):
            statements += body
        case .return(let value):
            if let value { expressions.append(value) }
        case .command(let name, _, let args):
            note(name)
            for a in args {
                switch a {
                case .value(let e), .named(_, _, let e): expressions.append(e)
                case .word: break
                }
            }
        case .break, .continue:
            break
        }
    }
    while let e = expressions.popLast() {
        switch e.kind {
        case .string, .number, .bool, .none, .enumLiteral, .identifier:
            break
        case .interpolated(let parts):
            for case .expr(let x) in parts { expressions.append(x) }
        case .list(let items):
            expressions += items
        case .record(let fields):
            expressions += fields.map(\.value)
        case .field(let base, _), .unary(_, let base), .membersOf(_, let base):
            expressions.append(base)
        case .call(let callee, let args):
            if case .identifier(let name) = callee.kind { note(name) } else { expressions.append(callee) }
            expressions += args
        case .index(let base, let key):
            expressions += [base, key]
        case .binary(_, let l, let r), .filter(let l, let r):
            expressions += [l, r]
        case .lookup(_, let connection, let name):
            if let connection { expressions.append(connection) }
            expressions.append(name)
        }
    }
    return names
}
