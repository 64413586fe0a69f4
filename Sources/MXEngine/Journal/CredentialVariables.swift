import MXLanguage

/// Which `--var` values may reach a credential, read from the script before anything
/// runs: the journal keeps the others for `resume`, and only the names of these
/// (issue 11: `set-credential d password=pw` with `--var pw=...` kept the password in
/// clear). A variable reaches a credential when it is named in the value of an argument
/// that holds one (`password=`, `token=`, `secret=`, ...), directly or through `let`,
/// assignments, loops and the arguments of a `def` whose parameter does. Scopes are not
/// told apart: a name that might reach a credential is withheld, and resume asks for it.
public func credentialVariables(in program: Program) -> Set<String> {
    var reach = CredentialReach()
    var size = -1
    while reach.names.count != size {
        size = reach.names.count
        reach.visit(program.statements)
    }
    return reach.names
}

/// An argument whose value is a credential, by its name (as `call` judges a body's members).
func holdsCredential(_ key: String) -> Bool {
    let k = key.lowercased()
    return ["password", "passwd", "token", "secret", "credential", "apikey", "api_key"].contains { k.contains($0) }
}

private struct CredentialReach {
    var names: Set<String> = []
    /// Each `def`'s parameters.
    var defs: [String: [String]] = [:]

    mutating func visit(_ statements: [Stmt]) {
        for s in statements {
            switch s.kind {
            case .let(let name, _, let value), .assign(let name, _, let value):
                if names.contains(name) { taint(value) }
                calls(value)
            case .if(let condition, let then, let otherwise):
                calls(condition)
                visit(then)
                visit(otherwise ?? [])
            case .for(let variable, _, let sequence, let body):
                if names.contains(variable) { taint(sequence) }
                calls(sequence)
                visit(body)
            case .def(let name, _, let params, let body):
                defs[name] = params
                visit(body)
                // What a def gives back may be a credential where it is used.
                if names.contains(name) { returns(body) }
            case .return(let value):
                if let value { calls(value) }
            case .command(let name, _, let args):
                let intoDef = defs[name].map { $0.contains(where: names.contains) } ?? false
                for a in args {
                    switch a {
                    case .named(let key, _, let value):
                        if holdsCredential(key) || intoDef { taint(value) }
                        calls(value)
                    case .value(let value):
                        if intoDef { taint(value) }
                        calls(value)
                    case .word: break
                    }
                }
            case .expression(let value):
                calls(value)
            case .break, .continue:
                break
            }
        }
    }

    /// The `return` values of a def that gives a credential.
    mutating func returns(_ body: [Stmt]) {
        for s in body {
            switch s.kind {
            case .return(let value?): taint(value)
            case .if(_, let then, let otherwise): returns(then); returns(otherwise ?? [])
            case .for(_, _, _, let body): returns(body)
            default: break
            }
        }
    }

    /// Every name an expression reads reaches the credential it gives.
    mutating func taint(_ e: Expr) {
        forEachName(in: e) { names.insert($0) }
    }

    /// Calls of a def whose parameter reaches a credential: their arguments do too.
    mutating func calls(_ e: Expr) {
        var found: [Expr] = []
        forEachCall(in: e) { callee, args in
            if let params = defs[callee], params.contains(where: names.contains) { found += args }
        }
        for a in found { taint(a) }
    }
}

private func forEachName(in e: Expr, _ body: (String) -> Void) {
    switch e.kind {
    case .identifier(let name): body(name)
    case .string, .number, .bool, .none, .enumLiteral: break
    case .interpolated(let parts):
        for case .expr(let x) in parts { forEachName(in: x, body) }
    case .list(let items):
        for item in items { forEachName(in: item, body) }
    case .record(let pairs):
        for pair in pairs { forEachName(in: pair.value, body) }
    case .field(let base, _): forEachName(in: base, body)
    case .call(let callee, let args):
        forEachName(in: callee, body)
        for arg in args { forEachName(in: arg, body) }
    case .index(let a, let b), .binary(_, let a, let b), .filter(let a, let b):
        forEachName(in: a, body)
        forEachName(in: b, body)
    case .unary(_, let x), .membersOf(_, let x): forEachName(in: x, body)
    case .lookup(_, let connection, let name):
        if let connection { forEachName(in: connection, body) }
        forEachName(in: name, body)
    }
}

private func forEachCall(in e: Expr, _ body: (String, [Expr]) -> Void) {
    if case .call(let callee, let args) = e.kind, case .identifier(let name) = callee.kind { body(name, args) }
    switch e.kind {
    case .identifier, .string, .number, .bool, .none, .enumLiteral: break
    case .interpolated(let parts):
        for case .expr(let x) in parts { forEachCall(in: x, body) }
    case .list(let items):
        for item in items { forEachCall(in: item, body) }
    case .record(let pairs):
        for pair in pairs { forEachCall(in: pair.value, body) }
    case .field(let base, _): forEachCall(in: base, body)
    case .call(let callee, let args):
        forEachCall(in: callee, body)
        for arg in args { forEachCall(in: arg, body) }
    case .index(let a, let b), .binary(_, let a, let b), .filter(let a, let b):
        forEachCall(in: a, body)
        forEachCall(in: b, body)
    case .unary(_, let x), .membersOf(_, let x): forEachCall(in: x, body)
    case .lookup(_, let connection, let name):
        if let connection { forEachCall(in: connection, body) }
        forEachCall(in: name, body)
    }
}
