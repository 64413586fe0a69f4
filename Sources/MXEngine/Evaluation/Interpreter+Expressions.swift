import MXLanguage
import MXModel

extension Interpreter {
    /// `r.a.b[0]...`, thousands of links long (the parser allows 10,000 levels): walked
    /// down in a loop and evaluated from its base up, not a level of recursion a link.
    @inline(never)
    func evalChain(_ e: Expr) throws -> Value {
        var links: [Expr] = []
        var base = e
        walk: while true {
            switch base.kind {
            case .field(let b, _), .index(let b, _): links.append(base); base = b
            default: break walk
            }
        }
        var v = try eval(base)
        for link in links.reversed() {
            switch link.kind {
            case .field(let b, let name): v = try field(of: v, name, base: b, at: link.range)
            case .index(let b, let key): v = try index(v, try eval(key), base: b, key: key, at: link.range)
            default: break
            }
        }
        return v
    }

    func eval(_ e: Expr) throws -> Value {
        if e.depth > 256 { try checkStack(before: e) }
        switch e.kind {
        case .string(let s): return .string(s)
        case .number(let n): return try Operators.finite(n, at: e.range)
        case .bool(let b): return .bool(b)
        case .none: return .none
        case .enumLiteral(let name): return .enumCase(name)
        case .interpolated(let parts):
            var out = ""
            for part in parts {
                switch part {
                case .text(let s): out += s
                case .expr(let x):
                    let v = try eval(x)
                    // A secret stays a secret: interpolating one would leak it as text.
                    if v.holdsSecret {
                        throw RuntimeError(Refusal.secretInString, at: x.range, notes: [Refusal.secretInStringNote])
                    }
                    out += v.text
                }
            }
            return .string(out)
        case .identifier(let name):
            return try resolve(name, at: e.range)
        case .list(let items):
            return .list(
                try items.map { item in
                    let v = try eval(item)
                    try refuseTooDeepItem(v, at: item.range)
                    return v
                })
        case .record(let fields):
            var r = Record()
            for (k, v) in fields {
                let value = try eval(v)
                try refuseTooDeepItem(value, at: v.range)
                r[k] = value
            }
            return .record(r)
        case .field(let base, let name):
            if e.depth > 256 { return try evalChain(e) }
            return try field(of: eval(base), name, base: base, at: e.range)
        case .call(let callee, let args):
            return try callFunction(callee, args, at: e.range)
        case .index(let base, let key):
            if e.depth > 256 { return try evalChain(e) }
            return try index(try eval(base), try eval(key), base: base, key: key, at: e.range)
        case .unary(.not, let x):
            return .bool(!(try eval(x).isTruthy))
        case .unary(.negate, let x):
            guard case .number(let n) = try eval(x) else {
                throw RuntimeError("'-' needs a number", at: x.range)
            }
            return .number(-n)
        case .binary(let op, let l, let r):
            return try binary(op, l, r, at: e.range)
        case .lookup(let kind, let conn, let name):
            let c = try conn.map { try connectionValue($0) } ?? connection(at: e.range)
            return try lookupObject(kind, named: try eval(name), at: c, range: name.range)
        case .membersOf(let member, let owner) where member != "users":
            return try members(member, of: try eval(owner), at: owner.range)
        case .membersOf(_, let owner):
            var v = try eval(owner)
            // A domain's name means that domain at the default connection, as for
            // add-alias and enable.
            if case .string = v {
                v = try lookupObject(.domain, named: v, at: try connection(at: owner.range), range: owner.range)
            }
            guard case .object(let ref) = v, case .domain(let d) = ref.object, let c = connections[ref.connection]
            else {
                throw RuntimeError("'users of' needs a domain, not \(v.aTypeName)", at: owner.range)
            }
            return .opaque(ObjectCollection(connection: c, kind: .users, ownerDomain: d.name))
        case .filter:
            var out: [Value] = []
            try forEach(in: e) {
                out.append($0); return true
            }
            return .list(out)
        }
    }

    func resolve(_ name: String, at range: SourceRange) throws -> Value {
        // Inside `where`, a bare name is the item's field; one that is also a variable
        // is ambiguous, and guessing either way has deleted the wrong domains.
        if let item = items.last {
            var found: Value?
            switch item {
            case .object(let ref):
                try refuseWriteOnly(ref, name, at: range)
                try completeDomain(ref, for: name, at: range)
                found = ref.field(name) ?? vendorField(ref, name)
            case .record(let r):
                found = r[name]
                if found == nil {
                    // Not a field: the loop's variable (`where r.status = ...`) or another.
                    if let v = scope.lookup(name) { return v }
                    throw RuntimeError(
                        "no field '\(name)' in the record", at: range,
                        notes: recordFieldNotes(r, near: name))
                }
            case .opaque(let c as Connection):
                // A partner's customer: its organisation's fields.
                found = c.record?[name]
            default: break
            }
            if let found {
                if scope.has(name) { throw ambiguousName(name, item: item, at: range) }
                return found
            }
        }
        if let v = lookup(name) { return v }
        if name == "domains" || name == "users" { _ = try connection(at: range) }
        switch items.last {
        case .string?, .number?, .bool?, .enumCase?:
            // `xs where x ~ "*.net"` over text: as `check` says of a list written out.
            throw RuntimeError(
                "'\(name)' is not a variable, and the items of this list are plain values with no fields", at: range,
                notes: [.init("to test each item, name it in a loop: for x in [...] where x ~ \"*.net\" < ... >")])
        default:
            throw RuntimeError("unknown variable '\(name)'", at: range)
        }
    }

    /// How to write each meaning of a bare name in `where` that is both a field of the
    /// item and a variable (`check` and `run` say the same).
    static func nameClashNotes(_ name: String) -> [Diagnostic.Note] {
        [
            .init("for the field, name the item: for x in ... where x.\(name) = ..."),
            .init(
                "for the variable, give it another name: let wanted = \(name) (if it is this loop's own "
                    + "variable, choose another loop variable)")
        ]
    }

    func ambiguousName(_ name: String, item: Value, at range: SourceRange) -> RuntimeError {
        RuntimeError(
            "'\(name)' is both a field of the \(item.typeName) and a variable here", at: range,
            notes: Self.nameClashNotes(name))
    }

    /// `xs[0]`, `row["first name"]`, `d["name"]`.
    func index(_ v: Value, _ key: Value, base: Expr, key keyExpr: Expr, at range: SourceRange) throws -> Value {
        if case .object = v, case .string(let k) = key { return try field(of: v, k, base: base, at: keyExpr.range) }
        return try Interpreter.index(v, key, keyRange: keyExpr.range, at: range)
    }

    /// `xs[i]` of a list, a record or text (which cannot be indexed): `check` asks it of
    /// a list and an index both written out.
    static func index(_ v: Value, _ key: Value, keyRange: SourceRange, at range: SourceRange) throws(RuntimeError)
        -> Value
    {
        switch (v, key) {
        case (.list(let items), .number(let n)):
            guard n.rounded() == n else {
                throw RuntimeError("an index is a whole number, not \(formatNumber(n))", at: keyRange)
            }
            guard n >= 0, n < Double(items.count) else {
                let valid =
                    items.isEmpty
                    ? "the list is empty"
                    : "the list has \(items.count) item\(items.count == 1 ? "" : "s"), 0 to \(items.count - 1)"
                throw RuntimeError(
                    "index \(formatNumber(n)) is out of range: \(valid)", at: keyRange,
                    notes: n < 0 ? [.init("the last item is xs[count(xs) - 1]")] : [])
            }
            return items[Int(n)]
        case (.list, _):
            throw RuntimeError("a list is indexed by a number, not \(key.aTypeName)", at: keyRange)
        case (.record(let r), .string(let k)):
            if let f = r[k] { return f }
            throw RuntimeError(
                "no field '\(k)' in the record", at: keyRange,
                notes: recordFieldNotes(r, near: k))
        case (.record, _):
            throw RuntimeError(
                "a record is indexed by a field name in quotes, not \(key.aTypeName)", at: keyRange)
        default:
            throw RuntimeError(
                "\(v.aTypeName) cannot be indexed", at: range,
                notes: [.init("index a list by number, xs[0], or a record by field name, row[\"first name\"]")])
        }
    }

    func connectionValue(_ e: Expr) throws -> Connection {
        let v = try eval(e)
        guard case .opaque(let c as Connection) = v else {
            throw RuntimeError(
                "expected a connection, found \(v.aTypeName)", at: e.range,
                notes: [.init("connections: \(connectionOrder.joined(separator: ", "))")])
        }
        return c
    }

    func lookupObject(_ kind: LookupKind, named value: Value, at c: Connection, range: SourceRange) throws -> Value {
        guard case .string(let text) = value else {
            throw RuntimeError("\(kind.rawValue) name must be a string, not \(value.aTypeName)", at: range)
        }
        // Names are checked and compared in one form (lower-case ASCII) at every vendor.
        let name: String
        do {
            name = kind == .domain ? try DomainName.normalize(text) : try EmailAddress.normalize(text)
        } catch {
            throw RuntimeError(error.message, at: range)
        }
        switch kind {
        case .domain:
            guard let d = try vendorCall(range, { try c.adapter.domain(named: name) }) else {
                throw RuntimeError("no domain '\(DomainName.display(name))' at \(c.name)", at: range)
            }
            return .object(identities.ref(connection: c.name, .domain(d)))
        case .user:
            guard let u = try vendorCall(range, { try c.adapter.user(email: name) }) else {
                throw RuntimeError("no user '\(name)' at \(c.name)", at: range)
            }
            return .object(identities.ref(connection: c.name, .user(u)))
        }
    }

    /// A field of the vendor's own (`d.spamlevel` at OpenSRS), from the object's record
    /// at the field's wire path; none when the record lacks it.
    func vendorField(_ ref: ObjectRef, _ name: String) -> Value? {
        guard let spec = connections[ref.connection]?.declaration.field(ref.kind, name), !spec.neutral else {
            return nil
        }
        let raw: Record
        switch ref.object {
        case .domain(let d): raw = d.raw
        case .user(let u): raw = u.raw
        case .settings: return nil
        }
        return raw.value(atPath: spec.wirePath) ?? Value.none
    }

    /// `u.password`, `a.password`: a field the vendor takes and never gives back; read,
    /// it would be none, as if there were no password.
    func refuseWriteOnly(_ ref: ObjectRef, _ name: String, at range: SourceRange) throws {
        // Asked for every field a loop reads: the name is compared with the few write-only
        // names any vendor has before the connection is looked up (a hash of its name).
        guard VendorRegistry.writeOnlyFieldNames.contains(where: { $0 == name }),
            let declaration = connections[ref.connection]?.declaration
        else { return }
        let spec =
            ref.kind == .settings
            ? declaration.resources.kind(ref.kindName)?.field(name) : declaration.field(ref.kind, name)
        guard spec?.access == .writeOnly else { return }
        throw RuntimeError(
            "\(name) is write-only", at: range,
            notes: [
                .init("the vendor takes a \(ref.kindName)'s \(name) and never gives it back; set it, do not read it")
            ])
    }

    /// Runs an adapter call, turning a vendor's error into a located one.
    func vendorCall<T>(_ range: SourceRange, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as VendorError {
            throw RuntimeError("\(e.message) (\(e.vendor) \(e.code))", at: range)
        }
    }

    func field(of v: Value, _ name: String, base: Expr, at range: SourceRange) throws -> Value {
        switch v {
        case .object(let ref):
            try refuseWriteOnly(ref, name, at: range)
            try completeDomain(ref, for: name, at: range)
            if let f = ref.field(name) ?? vendorField(ref, name) { return f }
            if let v = try vendorMember(ref, name, at: range) { return v }
            if case .settings = ref.object { return .none }
            throw RuntimeError(
                "\(ref.kindName) has no field '\(name)'", at: range,
                notes: bestMatch(for: name, in: fieldNames(of: ref.kind)).map { [.init("did you mean '\($0)'?")] } ?? []
            )
        case .record(let r):
            if let f = r[name] { return f }
            // A vendor's raw record varies: a missing key there is just none.
            if case .field(_, "raw") = base.kind { return .none }
            throw RuntimeError(
                "no field '\(name)' in the record", at: range,
                notes: recordFieldNotes(r, near: name))
        case .opaque(let c as Connection):
            // A customer's organisation fields (`o.name`), after what every connection has.
            if let r = c.record, name != "domains", name != "users",
                c.declaration.resources.kind(member: name, of: nil) == nil,
                !c.declaration.singles.contains(name), let v = r[name]
            {
                return v
            }
            switch name {
            case "domains": return .opaque(ObjectCollection(connection: c, kind: .domains))
            case "users": return .opaque(ObjectCollection(connection: c, kind: .users))
            case "name": return .string(c.name)
            case "vendor": return .string(c.vendor)
            default:
                if let (kind, single) = c.declaration.resources.kind(member: name, of: nil), !single, kind.tenant {
                    return try tenants(of: c, kind: kind, at: range)
                }
                if let (kind, single) = c.declaration.resources.kind(member: name, of: nil), !single {
                    let found = try vendorCall(range) { try c.adapter.objects(kind.name, of: nil) }
                    return .list(found.map { .object(identities.ref(connection: c.name, .settings($0))) })
                }
                if c.adapter.vendor.singles.contains(name) {
                    guard let s = try vendorCall(range, { try c.adapter.settings(name) }) else { return .none }
                    return .object(identities.ref(connection: c.name, .settings(s)))
                }
                throw RuntimeError(
                    "connection \(c.name) has no '\(name)'", at: range,
                    notes: [.init("try \(c.name).domains or \(c.name).users")])
            }
        case .list(let items) where name == "count":
            return .number(Double(items.count))
        case .string(let s) where name == "length":
            return .number(Double(s.count))
        default:
            throw RuntimeError("\(v.aTypeName) has no field '\(name)'", at: range)
        }
    }

    func binary(_ op: BinaryOp, _ l: Expr, _ r: Expr, at range: SourceRange) throws -> Value {
        if op.chains, case .binary(let inner, _, _) = l.kind, inner.chains {
            return try chain(op, l, r, at: range)
        }
        switch op {
        case .and:
            return .bool(try eval(l).isTruthy && eval(r).isTruthy)
        case .or:
            return .bool(try eval(l).isTruthy || eval(r).isTruthy)
        default: break
        }
        let a = try eval(l), b = try eval(r)
        return try Operators.combine(op, a, b, l.range, r.range, at: range)
    }

    /// A left-leaning chain (a + b - c ..., a or b or ...) evaluated in a loop: 5,000
    /// terms must not recurse 5,000 deep. `and`/`or` still stop at the first answer.
    func chain(_ op: BinaryOp, _ l: Expr, _ r: Expr, at range: SourceRange) throws -> Value {
        var links: [(op: BinaryOp, rhs: Expr, range: SourceRange)] = [(op, r, range)]
        var left = l
        while case .binary(let o, let ll, let rr) = left.kind, o.chains {
            links.append((o, rr, left.range))
            left = ll
        }
        var acc = try eval(left)
        var accRange = left.range
        for link in links.reversed() {
            switch link.op {
            case .and: acc = .bool(acc.isTruthy ? try eval(link.rhs).isTruthy : false)
            case .or: acc = .bool(acc.isTruthy ? true : try eval(link.rhs).isTruthy)
            default:
                acc = try Operators.combine(link.op, acc, try eval(link.rhs), accRange, link.rhs.range, at: link.range)
            }
            accRange = link.range
        }
        return acc
    }

    /// Calls `over` for each item of a collection, a list, or a `where` view of one.
    /// `body` returns false to stop.
    func forEach(in e: Expr, hint: DomainQuery = .all, _ body: (Value) throws -> Bool) throws {
        if let rows = try csvRows(e) { return try rows.readEach { try body(.record($0)) } }
        if case .filter(let base, let predicate) = e.kind {
            let compiled = CompiledPredicate(predicate)
            try forEach(in: base, hint: DomainQuery(predicate: predicate)) { item in
                items.append(item)
                let keep: Bool
                do {
                    keep = try compiled.run(self).isTruthy
                } catch {
                    items.removeLast()
                    throw error
                }
                items.removeLast()
                return keep ? try body(item) : true
            }
            return
        }
        if case .membersOf(let member, let owner) = e.kind, member != "users", !hint.terms.isEmpty {
            // `messages of f where sender ~ "*@x.com"`: the vendor may search for them.
            try iterate(try members(member, of: try eval(owner), at: e.range, search: hint.terms), at: e.range, body)
            return
        }
        try iterate(try eval(e), at: e.range, hint: hint, body)
    }

    /// `csv("f")` looped over (or filtered) is read a row at a time, not as a list: the
    /// open file when `e` is such a call.
    func csvRows(_ e: Expr) throws -> CSVRows? {
        guard case .call(let callee, let args) = e.kind, case .identifier("csv") = callee.kind, args.count == 1,
            lookup("csv") == nil
        else { return nil }
        return try CSVRows(try stringArgument(try eval(args[0]), args[0].range, "csv"), at: args[0].range)
    }

    /// `hint`: what an enclosing `where` says the vendor may filter on (domains only).
    func iterate(_ v: Value, at range: SourceRange, hint: DomainQuery = .all, _ body: (Value) throws -> Bool) throws {
        switch v {
        case .list(let items):
            for item in items where try !body(item) { return }
        case .opaque(let c as ObjectCollection):
            try vendorCall(range) { try c.forEach(matching: hint, body) }
        case .opaque(let c as Connection):
            throw RuntimeError(
                "\(c.name) is a connection, not a list", at: range,
                notes: [.init("name what it holds: \(c.name).domains or \(c.name).users")])
        default:
            throw Interpreter.cannotLoop(over: v, at: range)
        }
    }

    /// Why `for x in v` cannot run: `check` says the same of a value written out.
    static func cannotLoop(over v: Value, at range: SourceRange) -> RuntimeError {
        // A field the vendor does not keep reads none: it is not an empty list.
        if case .none = v { return RuntimeError("cannot loop over none", at: range, notes: [noneNote]) }
        return RuntimeError("cannot loop over \(v.aTypeName)", at: range, notes: [Refusal.loopNote])
    }
}

/// Why a value may be none where a list was expected.
let noneNote = Diagnostic.Note(
    "a field the connection's vendor does not keep reads as none, not as an empty list;"
        + " 'help vendors' shows which vendor keeps what")

extension BinaryOp {
    /// Operators whose left-leaning chains are evaluated in a loop.
    var chains: Bool {
        switch self {
        case .add, .sub, .mul, .div, .and, .or: return true
        default: return false
        }
    }
}

/// What an error about a missing field of a record suggests: the nearest name, else
/// the fields there are.
func recordFieldNotes(_ r: Record, near name: String) -> [Diagnostic.Note] {
    if let near = bestMatch(for: name, in: r.keys) { return [.init("did you mean '\(near)'?")] }
    return [.init(r.keys.isEmpty ? "the record has no fields" : "its fields: \(r.keys.joined(separator: ", "))")]
}
