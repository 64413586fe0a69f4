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

    /// Calls of a def whose parameter reaches a credential: their arguments do too; and a
    /// record's member named as a credential (`{password: pw}`, a `call`'s body).
    mutating func calls(_ e: Expr) {
        var found: [Expr] = []
        forEachExpr(in: e) { x in
            switch x.kind {
            case .call(let callee, let args):
                if case .identifier(let name) = callee.kind, let params = defs[name],
                    params.contains(where: names.contains)
                {
                    found += args
                }
            case .record(let pairs):
                found += pairs.filter { holdsCredential($0.key) }.map(\.value)
            default: break
            }
        }
        for a in found { taint(a) }
    }
}

private func forEachName(in e: Expr, _ body: (String) -> Void) {
    forEachExpr(in: e) { x in
        if case .identifier(let name) = x.kind { body(name) }
    }
}

/// `e` and every expression in it.
func forEachExpr(in e: Expr, _ body: (Expr) -> Void) {
    body(e)
    switch e.kind {
    case .identifier, .string, .number, .bool, .none, .enumLiteral: break
    case .interpolated(let parts):
        for case .expr(let x) in parts { forEachExpr(in: x, body) }
    case .list(let items):
        for item in items { forEachExpr(in: item, body) }
    case .record(let pairs):
        for pair in pairs { forEachExpr(in: pair.value, body) }
    case .field(let base, _): forEachExpr(in: base, body)
    case .call(let callee, let args):
        forEachExpr(in: callee, body)
        for arg in args { forEachExpr(in: arg, body) }
    case .index(let a, let b), .binary(_, let a, let b), .filter(let a, let b):
        forEachExpr(in: a, body)
        forEachExpr(in: b, body)
    case .unary(_, let x), .membersOf(_, let x): forEachExpr(in: x, body)
    case .lookup(_, let connection, let name):
        if let connection { forEachExpr(in: connection, body) }
        forEachExpr(in: name, body)
    }
}
