import MXLanguage
import MXModel

extension Interpreter {
    /// for = "for" IDENT "in" query block. The loop variable is bound before the `where`
    /// runs, so the predicate may name the item (`where x ~ "*.net"`, `where d.status = ...`)
    /// as well as its fields.
    func runLoop(_ variable: String, _ sequence: Expr, _ body: [Stmt]) throws -> Flow {
        let loopScope = Scope(parent: scope)
        var base = sequence
        var predicate: Expr?
        if case .filter(let b, let p) = sequence.kind { base = b; predicate = p }
        var flow = Flow.normal
        var n = 0
        // Binding costs a retain per item: a predicate that does not name the variable
        // (where status=ENABLED) is tested first and only the items it keeps are bound.
        let predicateNamesVariable = predicate.map { DomainQuery.mentions($0, [variable]) } ?? false
        var hint = predicate.map { DomainQuery(predicate: $0) } ?? .all
        // `where sender ~ m` names the item itself, not a value the vendor could search for.
        hint.terms.removeAll { $0.variable && $0.value == variable }
        let compiled = predicate.map(CompiledPredicate.init)
        // One item: false when the loop ends there.
        func step(_ item: Value) throws -> Bool {
            // The item is let go of before the next is read: a CSV reader whose last
            // row nothing holds writes the next into the same record.
            defer { loopScope.letGo() }
            n &+= 1
            if n & 255 == 0, shouldCancel() { throw Cancelled() }
            if predicateNamesVariable { loopScope.rebind(variable, item) }
            if let compiled, try !test(compiled, on: item, in: loopScope, row: { Self.rowOrigin(of: item) }) {
                return true
            }
            if !predicateNamesVariable { loopScope.rebind(variable, item) }
            guard case .record(let r) = item, let row = r.origin else {
                flow = try execute(body, in: loopScope)
                return continues(&flow)
            }
            let outer = currentRow
            currentRow = row
            defer { currentRow = outer }
            do {
                flow = try execute(body, in: loopScope)
            } catch var e as RuntimeError {
                e.notes.append(.init("while on \(row)"))
                throw e
            }
            return continues(&flow)
        }
        // A CSV file's rows are read here, in the loop's own frame; other sequences call
        // `step` for each item.
        if let rows = try csvRows(base) {
            while let row = try rows.next() {
                if try !step(.record(row)) { break }
            }
        } else {
            try forEach(in: base, hint: hint, step)
        }
        return flow
    }

    /// The CSV row an item was read from, if it was.
    static func rowOrigin(of item: Value) -> RowOrigin? {
        if case .record(let r) = item { return r.origin }
        return nil
    }

    /// Whether the loop goes on after its body ended with `flow`; `break` and
    /// `continue` are used up here, `return` goes on up to the def.
    func continues(_ flow: inout Flow) -> Bool {
        switch flow {
        case .normal: return true
        case .continued: flow = .normal; return true
        case .broke: flow = .normal; return false
        case .returned: return false
        }
    }

    /// A `where` predicate on one item, with `scope` as the variables it sees. An error
    /// on a CSV row says which row, as one in the loop's body does.
    func test(
        _ predicate: CompiledPredicate, on item: Value, in predicateScope: Scope, row: () -> RowOrigin? = { nil }
    ) throws -> Bool {
        let saved = scope
        scope = predicateScope
        items.append(item)
        defer {
            items.removeLast()
            scope = saved
        }
        do {
            return try predicate.run(self).isTruthy
        } catch var e as RuntimeError {
            if let row = row() { e.notes.append(.init("while on \(row)")) }
            throw e
        }
    }
}
