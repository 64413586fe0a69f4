/// The AST as S-expressions, one statement per line with its line:column; used by
/// the parser's golden tests and `mxsh parse`.
public func dump(_ program: Program) -> String {
    program.statements.map { dump($0, program.source, indent: 0) }.joined(separator: "\n") + "\n"
}

func dump(_ s: Stmt, _ source: Source, indent: Int) -> String {
    let pad = String(repeating: "  ", count: indent)
    let (l, c) = source.lineColumn(of: s.range.start)
    let at = "@\(l):\(c) "
    func block(_ body: [Stmt]) -> String {
        body.isEmpty ? "()" : "(\n" + body.map { dump($0, source, indent: indent + 1) }.joined(separator: "\n") + ")"
    }
    switch s.kind {
    case .let(let name, _, let value): return pad + at + "(let \(name) \(dump(value)))"
    case .assign(let name, _, let value): return pad + at + "(assign \(name) \(dump(value)))"
    case .if(let c, let then, let otherwise):
        return pad + at + "(if \(dump(c)) \(block(then))" + (otherwise.map { " else " + block($0) } ?? "") + ")"
    case .for(let v, _, let seq, let body):
        return pad + at + "(for \(v) \(dump(seq)) \(block(body)))"
    case .def(let name, _, let params, let body):
        return pad + at + "(def \(name) (\(params.joined(separator: " "))) \(block(body)))"
    case .return(let v): return pad + at + "(return" + (v.map { " " + dump($0) } ?? "") + ")"
    case .break: return pad + at + "(break)"
    case .continue: return pad + at + "(continue)"
    case .command(let name, _, let args):
        return pad + at + "(command \(name)" + args.map { " " + dump($0) }.joined() + ")"
    case .expression(let e): return pad + at + "(expr \(dump(e)))"
    }
}

func dump(_ a: Argument) -> String {
    switch a {
    case .value(let e): return dump(e)
    case .word(let w, _): return "(word \(w))"
    case .named(let k, _, let v): return "(\(k)= \(dump(v)))"
    }
}

func dump(_ e: Expr) -> String {
    switch e.kind {
    case .string(let s): return quoted(s)
    case .interpolated(let parts):
        return "(interp"
            + parts.map { p -> String in
                switch p {
                case .text(let s): return " " + quoted(s)
                case .expr(let x): return " " + dump(x)
                }
            }.joined() + ")"
    case .number(let n): return n.rounded() == n && abs(n) < 1e15 ? String(Int64(n)) : String(n)
    case .bool(let b): return b ? "true" : "false"
    case .none: return "none"
    case .enumLiteral(let n): return n
    case .identifier(let n): return n
    case .list(let items): return "(list" + items.map { " " + dump($0) }.joined() + ")"
    case .record(let fields): return "(record" + fields.map { " (\($0.key): \(dump($0.value)))" }.joined() + ")"
    case .field(let base, let name): return "(. \(dump(base)) \(name))"
    case .index(let base, let i): return "([] \(dump(base)) \(dump(i)))"
    case .call(let callee, let args): return "(call \(dump(callee))" + args.map { " " + dump($0) }.joined() + ")"
    case .unary(let op, let x): return "(\(op.rawValue) \(dump(x)))"
    case .binary(let op, let l, let r):
        // Left-leaning chains (a + b + c ...) are walked iteratively: thousands of terms
        // must not exhaust the stack.
        var spine: [(BinaryOp, Expr)] = [(op, r)]
        var left = l
        while case .binary(let o, let ll, let rr) = left.kind { spine.append((o, rr)); left = ll }
        var out = dump(left)
        for (o, rhs) in spine.reversed() { out = "(\(o.rawValue) \(out) \(dump(rhs)))" }
        return out
    case .lookup(let kind, let conn, let name):
        return "(\(kind.rawValue)" + (conn.map { " @" + dump($0) } ?? "") + " \(dump(name)))"
    case .membersOf(let member, let owner): return "(\(member)-of \(dump(owner)))"
    case .filter(let base, let p): return "(where \(dump(base)) \(dump(p)))"
    }
}

private func quoted(_ s: String) -> String {
    var out = "\""
    for ch in s {
        switch ch {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default: out.append(ch)
        }
    }
    return out + "\""
}
