import MXJSON
import MXLanguage
import MXModel

/// A built-in function, called with parentheses: `env("X")`, `csv("f.csv")`.
public struct FunctionDeclaration: Sendable {
    public let name: String
    public let params: [String]
    public let summary: String
    let run: @Sendable (Interpreter, [Value], [SourceRange], SourceRange) throws -> Value
}

public let builtinFunctions: [FunctionDeclaration] = [
    FunctionDeclaration(name: "env", params: ["name"], summary: "an environment variable's value") {
        interp, args, ranges, _ in
        let name = try stringArgument(args[0], ranges[0], "env")
        guard let value = environmentValue(name) else {
            throw RuntimeError(
                "environment variable \(name) is not set", at: ranges[0],
                notes: [.init("export it before starting mxsh: export \(name)=...")])
        }
        return .string(value)
    },
    FunctionDeclaration(name: "secret", params: ["name"], summary: "a stored credential (prints as ****)") {
        interp, args, ranges, _ in
        let name = try stringArgument(args[0], ranges[0], "secret")
        do {
            return .secret(try interp.secrets.read(name))
        } catch let e as SecretStore.Failure {
            throw RuntimeError(e.message, at: ranges[0], notes: e.fix.map { [.init($0)] } ?? [])
        }
    },
    FunctionDeclaration(
        name: "csv", params: ["path"], summary: "the rows of a CSV file, as records keyed by its header"
    ) { _, args, ranges, _ in
        let path = try stringArgument(args[0], ranges[0], "csv")
        var rows: [Value] = []
        try readCSV(path, at: ranges[0]) {
            rows.append(.record($0)); return true
        }
        return .list(rows)
    },
    FunctionDeclaration(name: "json", params: ["path"], summary: "a JSON file's value (what export writes reads back)")
    { _, args, ranges, _ in
        let path = try stringArgument(args[0], ranges[0], "json")
        do {
            return value(fromJSON: try JSON.parse(Array(try readUTF8File(path).utf8)))
        } catch let e as FileError {
            throw RuntimeError(e.message, at: ranges[0])
        } catch let e as JSONError {
            throw RuntimeError("\(path): \(e)", at: ranges[0])
        }
    },
    FunctionDeclaration(name: "count", params: ["items"], summary: "how many items a list or collection has") {
        interp, args, ranges, _ in
        switch args[0] {
        case .list(let items): return .number(Double(items.count))
        case .opaque(is ObjectCollection):
            var n = 0
            try interp.iterate(args[0], at: ranges[0]) { _ in
                n += 1; return true
            }
            return .number(Double(n))
        case .none:
            // An audit of "domains with no alias" must not list every domain of a vendor
            // that keeps no aliases at all.
            throw RuntimeError("count needs a list or a collection, not none", at: ranges[0], notes: [noneNote])
        default:
            throw RuntimeError("count needs a list or a collection, not \(args[0].aTypeName)", at: ranges[0])
        }
    },
    FunctionDeclaration(name: "lower", params: ["text"], summary: "text in lower case") { _, args, ranges, _ in
        .string(try stringArgument(args[0], ranges[0], "lower").lowercased())
    },
    FunctionDeclaration(name: "upper", params: ["text"], summary: "text in upper case") { _, args, ranges, _ in
        .string(try stringArgument(args[0], ranges[0], "upper").uppercased())
    },
    FunctionDeclaration(name: "join", params: ["list", "separator"], summary: "list items joined into text") {
        _, args, ranges, _ in
        guard case .list(let items) = args[0] else { throw RuntimeError("join needs a list", at: ranges[0]) }
        try refuseSecretText(args[0], at: ranges[0])
        return .string(items.map(\.text).joined(separator: try stringArgument(args[1], ranges[1], "join")))
    },
    FunctionDeclaration(name: "split", params: ["text", "separator"], summary: "text cut into a list at each separator")
    { _, args, ranges, _ in
        let text = try stringArgument(args[0], ranges[0], "split")
        let sep = try stringArgument(args[1], ranges[1], "split")
        guard !sep.isEmpty else { throw RuntimeError("split needs a non-empty separator", at: ranges[1]) }
        // Cut at the separator itself: text may hold any character, NUL included.
        return .list(text.splitting(at: sep).map(Value.string))
    },
    FunctionDeclaration(name: "keys", params: ["record"], summary: "the field names of a record") {
        _, args, ranges, _ in
        guard case .record(let r) = args[0] else { throw RuntimeError("keys needs a record", at: ranges[0]) }
        return .list(r.keys.map(Value.string))
    },
    FunctionDeclaration(name: "number", params: ["text"], summary: "text read as a number") { _, args, ranges, _ in
        if case .number = args[0] { return args[0] }
        let text = try stringArgument(args[0], ranges[0], "number")
        let trimmed = text.trimmingSpaces
        // Double("") is nil, but so is every hexadecimal, and "inf"/"nan" are not counts.
        guard !trimmed.isEmpty, trimmed.allSatisfy({ "0123456789.-+eE".contains($0) }), let n = Double(trimmed),
            n.isFinite
        else {
            if let n = Double(trimmed), n.isInfinite, trimmed.allSatisfy({ "0123456789.-+eE".contains($0) }) {
                throw RuntimeError("'\(text)' is too large for a number (past about 1.8e308)", at: ranges[0])
            }
            throw RuntimeError(
                "'\(text)' is not a number", at: ranges[0],
                notes: [.init("a number is written in decimal digits, like 42 or -1.5")])
        }
        return .number(n)
    },
    FunctionDeclaration(
        name: "clock", params: [], summary: "seconds on a monotonic clock, for timing a runbook's steps"
    ) { _, _, _, _ in
        .number(monotonicSeconds())
    },
    FunctionDeclaration(name: "string", params: ["value"], summary: "any value as text") { _, args, ranges, _ in
        try refuseSecretText(args[0], at: ranges[0])
        return .string(args[0].text)
    }
]

let functionIndex = NameIndex(builtinFunctions.map(\.name))

/// The rows of a CSV file, one at a time (`for r in csv("f")` never holds the file).
func readCSV(_ path: String, at range: SourceRange, _ body: (Record) throws -> Bool) throws {
    try CSVRows(path, at: range).readEach(body)
}

/// `csv("f")` as a loop reads it: the open file, a row at a time, its errors located
/// at the call.
struct CSVRows {
    let file: CSVFile
    let range: SourceRange

    init(_ path: String, at range: SourceRange) throws {
        self.range = range
        do { file = try CSVFile(path: path) } catch { throw CSVRows.located(error, path, range) }
    }

    func next() throws -> Record? {
        do { return try file.next() } catch { throw CSVRows.located(error, file.path, range) }
    }

    /// Each row to `body` until it answers false.
    func readEach(_ body: (Record) throws -> Bool) throws {
        while let row = try next() {
            if try !body(row) { return }
        }
    }

    static func located(_ error: Error, _ path: String, _ range: SourceRange) -> Error {
        switch error {
        case let e as FileError: return RuntimeError(e.message, at: range)
        case let e as CSVError: return RuntimeError(e.located ? e.message : "\(path): \(e.message)", at: range)
        default: return error
        }
    }
}

/// string() and join(): a secret, alone or in a list or record, never becomes text.
func refuseSecretText(_ v: Value, at range: SourceRange) throws {
    if v.holdsSecret { throw RuntimeError(Refusal.secretAsText, at: range) }
}

func stringArgument(_ v: Value, _ range: SourceRange, _ function: String) throws -> String {
    switch v {
    case .string(let s): return s
    case .enumCase(let s): return s
    default: throw RuntimeError("\(function) needs a string here, not \(v.aTypeName)", at: range)
    }
}

extension Interpreter {
    func callFunction(_ callee: Expr, _ argExprs: [Expr], at range: SourceRange) throws -> Value {
        // `os.domain("x")`: a lookup at a named connection, written as a call.
        if case .field(let base, let name) = callee.kind, let kind = LookupKind(word: name), argExprs.count == 1 {
            return try lookupObject(
                kind, named: try eval(argExprs[0]), at: try connectionValue(base), range: argExprs[0].range)
        }
        guard case .identifier(let name) = callee.kind else {
            throw RuntimeError("only built-in functions can be called", at: callee.range)
        }
        if let kind = LookupKind(word: name), argExprs.count == 1 {
            return try lookupObject(
                kind, named: try eval(argExprs[0]), at: try connection(at: range), range: argExprs[0].range)
        }
        if name == "call", argExprs.count == 4 {
            // `call CONN METHOD [PATH] [BODY]` as a value (the parser fills in the four).
            let v = try argExprs.map(eval)
            return try rawCall(v[0], method: v[1], path: v[2], body: v[3], at: range)
        }
        if commands.signature(of: name)?.givesValue == true, argExprs.count == 1 {
            return try readCommand(name, try eval(argExprs[0]), at: argExprs[0].range)
        }
        guard let i = functionIndex[name] else {
            // A def asked for its value: double(3).
            if let user = defs[name] {
                return try callUser(user, try argExprs.map(eval), range: range)
            }
            throw RuntimeError("unknown function '\(name)'", at: callee.range)
        }
        let f = builtinFunctions[i]
        guard argExprs.count == f.params.count else {
            throw RuntimeError(
                "\(name) takes \(f.params.count) argument(s), given \(argExprs.count)", at: range,
                notes: [.init("usage: \(name)(\(f.params.joined(separator: ", ")))")])
        }
        return try f.run(self, try argExprs.map(eval), argExprs.map(\.range), range)
    }
}

/// A JSON document as a value: objects become records (key order kept), numbers numbers.
func value(fromJSON j: JSON) -> Value {
    switch j {
    case .null: return .none
    case .bool(let b): return .bool(b)
    case .int(let i): return .number(Double(i))
    case .double(let d): return .number(d)
    case .string(let s): return .string(s)
    case .array(let items): return .list(items.map(value(fromJSON:)))
    case .object(let o): return .record(Record(o.pairs.map { ($0.0, value(fromJSON: $0.1)) }))
    }
}
