import MXModel

/// An adapter written as three verbs (create, update, delete) and one read: `apply`,
/// the meaning of a change, is written once here on `ChangeResolver`. A vendor's
/// adapter says only how to read the object now and how to send each verb.
protocol ResolvingAdapter: Adapter {
    /// The object the change acts on, as it is now; nil when it does not exist.
    func current(for change: Change) throws -> ObjectRef.Object?
    func create(_ object: ObjectRef.Object, _ change: Change) throws -> ChangeOutcome
    /// `changed` names the fields whose values differ from `current`.
    func update(_ object: ObjectRef.Object, changed: [String], from current: ObjectRef.Object, _ change: Change) throws
        -> ChangeOutcome
    func delete(_ object: ObjectRef.Object, _ change: Change) throws -> ChangeOutcome
    /// What other than the domain named holds a name at this connection ("a domain of its
    /// own", "an alias of x.com"), nil when nothing does; the closure is nil where the vendor itself refuses
    /// such an alias (and a read per alias would be waste).
    var anotherDomain: ((_ name: String, _ domain: String) throws -> String?)? { get }
}

extension Adapter {
    /// A raw write, journaled like any change: its answer is kept as the change's after-state.
    func sendRaw(_ change: Change) throws -> ChangeOutcome {
        let reply = try raw(RawRequest(key: change.key, body: change.fields["body"]?.wireJSON))
        return .applied(
            .settings(Settings(kind: "request", key: change.key, fields: Record([("reply", Value(json: reply))]))))
    }
}

extension ResolvingAdapter {
    var anotherDomain: ((_ name: String, _ domain: String) throws -> String?)? { nil }

    func apply(_ change: Change) throws -> ChangeOutcome { try resolveAndApply(change) }

    /// One by one, each announced with the object as read for it (no second read).
    func applyAll(_ changes: [Change], willSend: ((Int, ObjectRef.Object?) throws -> Void)?)
        -> [Result<ChangeOutcome, any Error>]
    {
        resolvingApplyAll(changes, willSend: willSend)
    }

    func resolvingApplyAll(_ changes: [Change], willSend: ((Int, ObjectRef.Object?) throws -> Void)?)
        -> [Result<ChangeOutcome, any Error>]
    {
        changes.indices.map { i in
            Result { try resolveAndApply(changes[i], willSend: willSend.map { announce in { try announce(i, $0) } }) }
        }
    }

    /// `willSend(before)`: called just before the request leaves, with the object as
    /// read for this change (the journal keeps it as the before-state that undo restores:
    /// the script's own copy may be older); never for a change found already as asked.
    func resolveAndApply(_ change: Change, willSend: ((ObjectRef.Object?) throws -> Void)? = nil) throws
        -> ChangeOutcome
    {
        guard vendor.operations.contains(change.operation) else {
            throw VendorError.unsupported(vendor, change.operation)
        }
        maskingSecrets(of: change)
        if change.operation == .call {
            try willSend?(change.before)
            return try sendRaw(change)
        }
        let now = try current(for: change)
        let resolution = try ChangeResolver.resolve(
            change, current: now, vendor: vendor, isAnotherDomain: anotherDomain)
        if case .alreadyAsAsked = resolution {} else { try willSend?(now) }
        switch resolution {
        case .alreadyAsAsked(let o):
            return .unchanged(o)
        case .create(let o):
            do {
                return try create(o, change)
            } catch var e as VendorError where e.kind == .exists {
                // A create that meets an object made meanwhile: asking for what is there
                // is no error (a re-run); other values are the vendor's conflict, and
                // the message says which fields differ.
                guard let found = try current(for: change) else { throw e }
                do {
                    if case .alreadyAsAsked(let o) = try ChangeResolver.resolve(change, current: found, vendor: vendor)
                    {
                        return .unchanged(o)
                    }
                } catch let mine as VendorError {
                    e.message += "; " + mine.message
                }
                throw e
            }
        case .update(let o, let changed):
            return try update(o, changed: changed, from: now!, change)
        case .delete(let o):
            do {
                return try delete(o, change)
            } catch let e as VendorError where e.kind == .notFound {
                return .unchanged(nil)
            }
        }
    }
}
