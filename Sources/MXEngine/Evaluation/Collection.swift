import MXModel

/// `domains`, `cm.users`, `users of d`: a lazy view of a connection's objects, read
/// (streamed) each time it is iterated, so a loop always sees the vendor's state.
final class ObjectCollection: OpaqueValue {
    enum Kind: String { case domains, users }
    let connection: Connection
    let kind: Kind
    /// For `users of d`: the domain whose users these are.
    let ownerDomain: String?

    init(connection: Connection, kind: Kind, ownerDomain: String? = nil) {
        self.connection = connection
        self.kind = kind
        self.ownerDomain = ownerDomain
    }

    var typeName: String { "collection" }
    var displayText: String {
        ownerDomain.map { "users of \($0) at \(connection.name)" } ?? "\(connection.name).\(kind.rawValue)"
    }

    func forEach(matching query: DomainQuery = .all, _ body: (Value) throws -> Bool) throws {
        let name = connection.name
        switch kind {
        case .domains where query.readsFilledLater:
            // A `where` on sender lists: complete the domains a page at a time.
            var batch: [Domain] = []
            var stopped = false
            func flush() throws {
                let whole = try connection.adapter.complete(batch)
                batch = []
                for d in whole where !stopped {
                    stopped = try !body(.object(ObjectRef(connection: name, object: .domain(d))))
                }
            }
            try connection.adapter.forEachDomain(matching: query) { d in
                batch.append(d)
                if batch.count >= 100 { try flush() }
                return !stopped
            }
            if !stopped, !batch.isEmpty { try flush() }
        case .domains:
            // An item the loop let go of (its `where` said no, nothing holds it, not even an
            // identity map weakly) lends its reference to the next: a million domains
            // filtered are not a million allocations.
            var spare: ObjectRef?
            try connection.adapter.forEachDomain(matching: query) { d in
                let ref: ObjectRef
                if var r = spare.take(), isKnownUniquelyReferenced(&r), !r.isRegistered {
                    r.object = .domain(d)
                    ref = r
                } else {
                    ref = ObjectRef(connection: name, object: .domain(d))
                }
                let goOn = try body(.object(ref))
                spare = ref
                return goOn
            }
        case .users:
            try connection.adapter.forEachUser(domain: ownerDomain) { u in
                try body(.object(ObjectRef(connection: name, object: .user(u))))
            }
        }
    }
}
