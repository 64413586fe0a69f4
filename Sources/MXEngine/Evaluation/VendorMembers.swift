import MXLanguage
import MXModel

/// Reaching a vendor's own kinds of object from the objects they belong to, as the
/// vendor's table declares: `d.policy` (one hanging off a domain), `groups of d`,
/// `quarantine of u` (a collection of an object). Each read goes to the vendor.
extension Interpreter {
    /// `d.policy`, or nil when the object's vendor has no such member.
    func vendorMember(_ ref: ObjectRef, _ name: String, at range: SourceRange) throws -> Value? {
        guard ref.kind != .settings, let c = connections[ref.connection],
            let (kind, single) = c.declaration.resources.kind(member: name, of: ref.kind)
        else { return nil }
        if single {
            guard let s = try vendorCall(range, { try c.adapter.object(kind.name, key: ref.key) }) else {
                return Value.none
            }
            return .object(identities.ref(connection: c.name, .settings(s)))
        }
        return try members(name, of: .object(ref), at: range)
    }

    /// `groups of d`: the objects of the member's kind that belong to `owner`. `search`:
    /// the terms of an enclosing `where`; those on fields the kind's table says the
    /// vendor searches (`vendorFilters`) are passed on, the rest are the interpreter's.
    func members(_ member: String, of owner: Value, at range: SourceRange, search: [SearchTerm] = []) throws -> Value {
        func pushed(_ kind: ResourceKind) -> [SearchTerm] {
            search.compactMap { t in
                guard kind.vendorFilters.contains(t.field) else { return nil }
                guard t.variable else { return t }
                guard kind.field(t.value) == nil, case .string(let text)? = lookup(t.value) else { return nil }
                return SearchTerm(field: t.field, op: t.op, value: text)
            }
        }
        if case .object(let ref) = owner, case .settings(let s) = ref.object, let c = connections[ref.connection] {
            // `attachments of m`: a collection of one of the vendor's own kinds.
            guard let kind = c.declaration.resources.kind(member: member, ofKind: s.kind) else {
                let have = c.declaration.resources.kinds.compactMap { $0.collectionMember(ofKind: s.kind) }
                throw RuntimeError(
                    "a \(s.kind) at \(c.vendor) has no '\(member)'", at: range,
                    notes: have.isEmpty ? [] : [.init("it has: " + have.joined(separator: ", "))])
            }
            let found = try vendorCall(range) { try c.adapter.objects(kind.name, of: ref.object, search: pushed(kind)) }
            return .list(found.map { .object(identities.ref(connection: c.name, .settings($0))) })
        }
        guard case .object(let ref) = owner, ref.kind != .settings, let c = connections[ref.connection] else {
            throw RuntimeError("'\(member) of' needs a domain or a user, not \(owner.aTypeName)", at: range)
        }
        guard let (kind, single) = c.declaration.resources.kind(member: member, of: ref.kind), !single else {
            let have = c.declaration.resources.kinds.compactMap { $0.collectionMember(of: ref.kind) }
            throw RuntimeError(
                "a \(ref.kind.rawValue) at \(c.vendor) has no '\(member)'", at: range,
                notes: have.isEmpty ? [] : [.init("it has: " + have.joined(separator: ", "))])
        }
        let found = try vendorCall(range) { try c.adapter.objects(kind.name, of: ref.object, search: pushed(kind)) }
        return .list(found.map { .object(identities.ref(connection: c.name, .settings($0))) })
    }
}
