import MXLanguage
import MXModel

/// A partner's customers (`pp.orgs`): each is a connection of its own, named
/// `PARTNER/KEY`, speaking with the partner's credentials, so everything a connection
/// reaches (domains, users, settings) works on it, and its changes are planned,
/// journaled and undone like any connection's. The customer's record gives its fields.
extension Interpreter {
    func tenants(of c: Connection, kind: ResourceKind, at range: SourceRange) throws -> Value {
        let found = try vendorCall(range) { try c.adapter.objects(kind.name, of: nil) }
        return .list(
            try found.map { s in
                let name = "\(c.name)/\(s.key)"
                if let known = connections[name] {
                    known.record = s.fields
                    return .opaque(known)
                }
                let base = try vendorCall(range) { try c.adapter.tenant(s.key) }
                let t = Connection(
                    name: name, adapter: sink.adapter(for: base), origin: tenantOrigin(c.origin, name: name, org: s.key)
                )
                t.record = s.fields
                adopt(t)
                return .opaque(t)
            })
    }

    /// The partner's origin, for the customer: the same credentials, the customer's
    /// org; sealed again, since what the seal covers changed.
    func tenantOrigin(_ partner: ConnectionOrigin?, name: String, org: String) -> ConnectionOrigin? {
        guard var o = partner else { return nil }
        o.name = name
        o.org = org
        o.options = o.options.map { $0.key == "org" ? ($0.key, .string(org)) : $0 }
        guard o.seal != nil else { return o }
        return (try? SealKey.user()).map { o.sealed(with: $0) }
    }
}
