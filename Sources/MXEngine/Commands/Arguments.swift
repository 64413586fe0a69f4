import MXLanguage
import MXModel

/// What command handlers share: evaluating their arguments and submitting changes.
extension Interpreter {
    func value(_ arg: Argument) throws -> Value {
        switch arg {
        case .value(let e): return try eval(e)
        case .word(let w, _): return .string(w)
        case .named(_, _, let e): return try eval(e)
        }
    }

    func string(_ arg: Argument, what: String) throws -> String {
        let v = try value(arg)
        switch v {
        case .string(let s): return s
        case .enumCase(let s): return s
        default: throw RuntimeError("\(what) must be a string, not \(v.aTypeName)", at: arg.range)
        }
    }

    /// The object a command acts on: an object value, or a name looked up at the
    /// default connection (`disable "old.com"`).
    func target(_ arg: Argument, kind: ObjectKind, command: String) throws -> ObjectRef {
        let v = try value(arg)
        switch v {
        case .object(let ref) where ref.kind == kind:
            return ref
        case .string(let name):
            let found = try lookupObject(
                kind == .user ? .user : .domain, named: .string(name),
                at: try connection(at: arg.range), range: arg.range)
            guard case .object(let ref) = found else { fatalError("lookup returns objects") }
            return ref
        default:
            throw RuntimeError("'\(command)' needs a \(kind.rawValue), not \(v.aTypeName)", at: arg.range)
        }
    }

    /// The `key=value` arguments as a record, without the ones in `except`.
    func namedFields(_ inv: Invocation, except: Set<String> = []) throws -> Record {
        var r = Record()
        for (key, _, e) in inv.named where !except.contains(key) { r[key] = try eval(e) }
        return r
    }

    /// The connection named by `at=`, or the default one.
    func connection(for inv: Invocation) throws -> Connection {
        if let at = inv.named.first(where: { $0.key == "at" }) { return try connectionValue(at.value) }
        return try connection(at: inv.nameRange)
    }

    func location(_ range: SourceRange) -> ScriptLocation {
        var l = ScriptLocation(source, range)
        l.row = currentRow
        return l
    }

    /// A domain name argument, checked and normalised (lower-case ASCII) before
    /// anything is sent; a bad name is an error at the argument.
    func domainName(_ arg: Argument, what: String = "the domain name") throws -> String {
        let text = try string(arg, what: what)
        do { return try DomainName.normalize(text) } catch {
            throw RuntimeError(error.message, at: arg.range)
        }
    }

    func emailAddress(_ arg: Argument, what: String = "the address") throws -> String {
        let text = try string(arg, what: what)
        do { return try EmailAddress.normalize(text) } catch {
            throw RuntimeError(error.message, at: arg.range)
        }
    }

    /// Checks the change against the vendor's table (the operation, each field and its
    /// value, by the same rules `check` uses), sends it to the sink, and updates every
    /// variable holding the object with the state the vendor reports after it.
    @discardableResult
    func submit(
        _ change: Change, updating ref: ObjectRef?, at range: SourceRange, fieldRanges: [String: SourceRange] = [:]
    ) throws -> ChangeOutcome {
        guard let c = connections[change.connection] else {
            throw RuntimeError("no connection '\(change.connection)'", at: range)
        }
        let vendor = c.adapter.vendor
        if !vendor.operations.contains(change.operation) {
            throw RuntimeError(
                "\(vendor.name) cannot \(change.operation.rawValue) (connection \(c.name))", at: range,
                notes: [.init("nothing is sent; 'help vendors' shows what each vendor supports")])
        }
        var change = change
        var fields = Record()
        for (name, value) in change.fields.pairs {
            do {
                fields[name] =
                    try FieldRules.check(
                        name, value, kind: change.kind,
                        settings: change.kind == .settings ? change.resource ?? change.key : nil,
                        operation: change.operation, vendor: vendor, connection: c.name) ?? value
            } catch {
                throw RuntimeError(error.message, at: fieldRanges[name] ?? range, notes: error.notes.map { .init($0) })
            }
        }
        change.fields = fields
        change = try completingBefore(change, at: c, range: range)
        let outcome: ChangeOutcome
        do {
            outcome = try sink.submit(change, to: c)
        } catch let e as VendorError {
            throw RuntimeError(
                "\(change.operation.rawValue) \(change.kindName) \"\(change.key)\" at \(c.name) failed: \(e.message) "
                    + "(\(e.vendor) \(e.code))",
                at: range)
        }
        identities.changed(change, outcome: outcome, ref: ref)
        if echoChanges {
            if case .unchanged = outcome {
                host.message(
                    "= \(change.kindName) \"\(change.key)\" at \(c.name): already as asked "
                        + "(\(change.operation.rawValue))\n"
                )
            } else {
                host.message(change.summary + "\n")
            }
        }
        return outcome
    }

    /// Where each `key=value` argument was written, for errors that name one field.
    func fieldRanges(_ inv: Invocation) -> [String: SourceRange] {
        Dictionary(inv.named.map { ($0.key, $0.keyRange.to($0.value.range)) }, uniquingKeysWith: { a, _ in a })
    }

    func list(_ v: Value, range: SourceRange) throws {
        try list(at: range) { body in try iterate(v, at: range, body) }
    }

    /// `list`: items printed as they are read (`Listing`), a hundred at a time, so
    /// memory holds a batch and not the whole listing. JSON goes out in parts
    /// (`Host.outputPart`): a listing cut short by an error is never closed.
    func list(at range: SourceRange, _ items: ((Value) throws -> Bool) throws -> Void) throws {
        var listing = Listing(format: host.format, width: host.terminalWidth)
        let json = host.format == .json
        var opened = false
        try inBatches(at: range, completing: host.format != .table, items) { batch in
            var text = ""
            for item in batch { text += listing.add(item) }
            guard !text.isEmpty else { return }
            if json {
                host.outputPart(text, opened ? .continuing : .opening)
                opened = true
            } else {
                host.output(text)
            }
        }
        if opened { host.outputPart(listing.finish(), .closing) } else { host.output(listing.finish()) }
    }

    /// The items of a listing or an export a hundred at a time. Domains are completed
    /// (their sender rules read) a batch at a time where `completing`: CSV and JSON
    /// give every field, a table only its columns.
    func inBatches(
        at range: SourceRange, completing: Bool, _ items: ((Value) throws -> Bool) throws -> Void,
        _ body: ([Value]) throws -> Void
    ) throws {
        var batch: [Value] = []
        try withoutActuallyEscaping(body) { body in
            func flush() throws {
                if completing { try completeDomains(batch, at: range) }
                try body(batch)
                batch.removeAll(keepingCapacity: true)
            }
            try items { item in
                batch.append(item)
                if batch.count >= 100 { try flush() }
                return true
            }
            try flush()
        }
    }
}
