import MXLanguage
import MXModel

extension Interpreter {
    func eval(_ e: Expr) throws -> Value {
        switch e.kind {
        case .string(let s): return .string(s)
        case .number(let n): return .number(n)
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
                    if case .secret = v {
                        throw RuntimeError("a secret cannot be put into a string", at: x.range,
                                           notes: [.init("pass it directly as an option, like password=secret(\"name\")")])
                    }
                    out += v.text
                }
            }
            return .string(out)
        case .identifier(let name):
            return try resolve(name, at: e.range)
        case .list(let items):
            return .list(try items.map(eval))
        case .record(let fields):
            var r = Record()
            for (k, v) in fields { r[k] = try eval(v) }
            return .record(r)
        case .field(let base, let name):
            return try field(of: eval(base), name, base: base, at: e.range)
        case .call(let callee, let args):
            return try callFunction(callee, args, at: e.range)
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
        case .usersOf(let owner):
            var v = try eval(owner)
            // A domain's name means that domain at the default connection, as for
            // add-alias and enable.
            if case .string = v { v = try lookupObject(.domain, named: v, at: try connection(at: owner.range), range: owner.range) }
            guard case .object(let ref) = v, case .domain(let d) = ref.object, let c = connections[ref.connection] else {
                throw RuntimeError("'users of' needs a domain, not a \(v.typeName)", at: owner.range)
            }
            return .opaque(ObjectCollection(connection: c, kind: .users, ownerDomain: d.name))
        case .filter:
            var out: [Value] = []
            try forEach(in: e) { out.append($0); return true }
            return .list(out)
        }
    }

    func resolve(_ name: String, at range: SourceRange) throws -> Value {
        // Inside `where`, bare names are the item's fields first.
        if let item = items.last {
            switch item {
            case .object(let ref):
                try completeDomain(ref, for: name, at: range)
                if let v = ref.field(name) ?? vendorField(ref, name) { return v }
            case .record(let r): if let v = r[name] { return v }
            default: break
            }
        }
        if let v = lookup(name) { return v }
        if name == "domains" || name == "users" { _ = try connection(at: range) }
        throw RuntimeError("unknown variable '\(name)'", at: range)
    }

    func connectionValue(_ e: Expr) throws -> Connection {
        let v = try eval(e)
        guard case .opaque(let c as Connection) = v else {
            throw RuntimeError("expected a connection, found a \(v.typeName)", at: e.range,
                               notes: [.init("connections: \(connectionOrder.joined(separator: ", "))")])
        }
        return c
    }

    func lookupObject(_ kind: LookupKind, named value: Value, at c: Connection, range: SourceRange) throws -> Value {
        guard case .string(let text) = value else {
            throw RuntimeError("\(kind.rawValue) name must be a string, not a \(value.typeName)", at: range)
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
        guard let spec = connections[ref.connection]?.declaration.field(ref.kind, name), !spec.neutral else { return nil }
        let raw: Record
        switch ref.object {
        case .domain(let d): raw = d.raw
        case .user(let u): raw = u.raw
        case .settings: return nil
        }
        return raw.value(atPath: spec.wirePath) ?? Value.none
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
            try completeDomain(ref, for: name, at: range)
            if let f = ref.field(name) ?? vendorField(ref, name) { return f }
            if case .settings = ref.object { return .none }
            throw RuntimeError("\(ref.kindName) has no field '\(name)'", at: range,
                               notes: bestMatch(for: name, in: fieldNames(of: ref.kind)).map { [.init("did you mean '\($0)'?")] } ?? [])
        case .record(let r):
            if let f = r[name] { return f }
            // A vendor's raw record varies: a missing key there is just none.
            if case .field(_, "raw") = base.kind { return .none }
            throw RuntimeError("no field '\(name)' in the record", at: range,
                               notes: bestMatch(for: name, in: r.keys).map { [.init("did you mean '\($0)'?")] }
                                   ?? [.init("its fields: \(r.keys.joined(separator: ", "))")])
        case .opaque(let c as Connection):
            switch name {
            case "domains": return .opaque(ObjectCollection(connection: c, kind: .domains))
            case "users": return .opaque(ObjectCollection(connection: c, kind: .users))
            case "name": return .string(c.name)
            case "vendor": return .string(c.vendor)
            default:
                if c.adapter.vendor.singles.contains(name) {
                    guard let s = try vendorCall(range, { try c.adapter.settings(name) }) else { return .none }
                    return .object(identities.ref(connection: c.name, .settings(s)))
                }
                throw RuntimeError("connection \(c.name) has no '\(name)'", at: range,
                                   notes: [.init("try \(c.name).domains or \(c.name).users")])
            }
        case .list(let items) where name == "count":
            return .number(Double(items.count))
        case .string(let s) where name == "length":
            return .number(Double(s.count))
        default:
            throw RuntimeError("a \(v.typeName) has no field '\(name)'", at: range)
        }
    }

    func binary(_ op: BinaryOp, _ l: Expr, _ r: Expr, at range: SourceRange) throws -> Value {
        switch op {
        case .and:
            return .bool(try eval(l).isTruthy && eval(r).isTruthy)
        case .or:
            return .bool(try eval(l).isTruthy || eval(r).isTruthy)
        default: break
        }
        let a = try eval(l), b = try eval(r)
        switch op {
        case .eq: return .bool(a.equals(b))
        case .ne: return .bool(!a.equals(b))
        case .glob:
            guard case .string(let pattern) = b else {
                throw RuntimeError("'~' needs a pattern string on the right, like name~\"*.net\"", at: r.range)
            }
            switch a {
            case .string(let s), .enumCase(let s): return .bool(globMatch(s, pattern))
            case .list(let items): return .bool(items.contains { globMatch($0.text, pattern) })
            case .none: return .bool(false)
            default: throw RuntimeError("'~' matches text, not a \(a.typeName)", at: l.range)
            }
        case .has:
            switch a {
            case .list(let items): return .bool(items.contains { $0.equals(b) })
            case .string(let s): return .bool(s.contains(b.text))
            case .record(let rec): return .bool(rec[b.text] != nil)
            case .none: return .bool(false)
            default: throw RuntimeError("'has' looks in a list, a string or a record, not a \(a.typeName)", at: l.range)
            }
        case .in:
            switch b {
            case .list(let items): return .bool(items.contains { $0.equals(a) })
            case .string(let s): return .bool(s.contains(a.text))
            case .record(let rec): return .bool(rec[a.text] != nil)
            default: throw RuntimeError("'in' looks in a list, a string or a record, not a \(b.typeName)", at: r.range)
            }
        case .lt, .le, .gt, .ge:
            let order: Int
            switch (a, b) {
            case (.number(let x), .number(let y)): order = x < y ? -1 : (x > y ? 1 : 0)
            case (.string(let x), .string(let y)): order = x < y ? -1 : (x > y ? 1 : 0)
            default:
                throw RuntimeError("cannot order a \(a.typeName) and a \(b.typeName)", at: range)
            }
            switch op {
            case .lt: return .bool(order < 0)
            case .le: return .bool(order <= 0)
            case .gt: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        case .add:
            switch (a, b) {
            case (.number(let x), .number(let y)): return .number(x + y)
            case (.list(let x), .list(let y)): return .list(x + y)
            case (.list(let x), _): return .list(x + [b])
            case (.secret, _), (_, .secret):
                throw RuntimeError("a secret cannot be joined to text", at: range)
            case (.string, _), (_, .string): return .string(a.text + b.text)
            default: throw RuntimeError("cannot add a \(a.typeName) and a \(b.typeName)", at: range)
            }
        case .sub, .mul, .div:
            guard case .number(let x) = a, case .number(let y) = b else {
                throw RuntimeError("'\(op.rawValue)' needs numbers, not a \(a.typeName) and a \(b.typeName)", at: range)
            }
            if op == .sub { return .number(x - y) }
            if op == .mul { return .number(x * y) }
            if y == 0 { throw RuntimeError("division by zero", at: r.range) }
            return .number(x / y)
        case .and, .or: fatalError("handled above")
        }
    }

    /// Calls `over` for each item of a collection, a list, or a `where` view of one.
    /// `body` returns false to stop.
    func forEach(in e: Expr, hint: DomainQuery = .all, _ body: (Value) throws -> Bool) throws {
        // `csv("f")` looped over (or filtered) is read a row at a time, not as a list.
        if case .call(let callee, let args) = e.kind, case .identifier("csv") = callee.kind, args.count == 1, lookup("csv") == nil {
            let path = try stringArgument(try eval(args[0]), args[0].range, "csv")
            try readCSV(path, at: args[0].range) { try body(.record($0)) }
            return
        }
        if case .filter(let base, let predicate) = e.kind {
            try forEach(in: base, hint: DomainQuery(predicate: predicate)) { item in
                items.append(item)
                let keep: Bool
                do {
                    keep = try eval(predicate).isTruthy
                } catch {
                    items.removeLast()
                    throw error
                }
                items.removeLast()
                return keep ? try body(item) : true
            }
            return
        }
        try iterate(try eval(e), at: e.range, hint: hint, body)
    }

    /// `hint`: what an enclosing `where` says the vendor may filter on (domains only).
    func iterate(_ v: Value, at range: SourceRange, hint: DomainQuery = .all, _ body: (Value) throws -> Bool) throws {
        switch v {
        case .list(let items):
            for item in items where try !body(item) { return }
        case .opaque(let c as ObjectCollection):
            try vendorCall(range) { try c.forEach(matching: hint, body) }
        case .none:
            return
        default:
            throw RuntimeError("cannot loop over a \(v.typeName)", at: range,
                               notes: [.init("loop over a list, a collection like domains, or csv(\"file\")")])
        }
    }
}
