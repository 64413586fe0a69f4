import MXModel

/// One object, one identity: every lookup of the same object at the same connection
/// gives the same `ObjectRef`, and a change made through any variable (or by name)
/// reaches every variable holding the object. A deleted object's variables show it
/// DELETED. Loop items are not registered until a change touches them, so a listing
/// of a million domains costs nothing here.
final class Identities {
    private struct Key: Hashable {
        let connection: String
        let kind: ObjectKind
        let key: String
        init(_ connection: String, _ kind: ObjectKind, _ key: String) {
            self.connection = connection
            self.kind = kind
            self.key = key.lowercased()
        }
    }
    private final class Weak {
        weak var ref: ObjectRef?
        init(_ ref: ObjectRef) { self.ref = ref }
    }
    private var map: [Key: Weak] = [:]
    private var pruneAt = 1024

    /// The ref held for this object, refreshed with the state just read; a new one if none.
    func ref(connection: String, _ object: ObjectRef.Object) -> ObjectRef {
        let probe = ObjectRef(connection: connection, object: object)
        let key = Key(
            connection, probe.kind, probe.kind == .settings ? probe.kindName + "\u{1}" + probe.key : probe.key)
        if let held = map[key]?.ref {
            held.object = object
            return held
        }
        register(probe, key)
        return probe
    }

    /// After a change: the object's new state (or DELETED) in every ref that holds it.
    func changed(_ change: Change, outcome: ChangeOutcome, ref: ObjectRef?) {
        let key = Key(
            change.connection, change.kind,
            change.kind == .settings ? (change.resource ?? change.key) + "\u{1}" + change.key : change.key)
        var refs: [ObjectRef] = []
        if let ref, ref.connection == change.connection, ref.key.lowercased() == change.key.lowercased() {
            refs.append(ref)
        }
        if let held = map[key]?.ref, !refs.contains(where: { $0 === held }) { refs.append(held) }
        let deleting = change.operation == .deleteDomain || change.operation == .deleteUser
        for r in refs {
            if let after = outcome.after {
                r.object = after
            } else if deleting {
                r.object = Self.deleted(r.object)
            }
        }
        if let first = refs.first, map[key]?.ref == nil { register(first, key) }
        // Moved (move-user): the same identity now answers to its new key, so a lookup
        // of the new address gives the variables that hold it.
        if change.objectCommand?.movesObject == true, let after = outcome.after, let first = refs.first {
            let moved = ObjectRef(connection: change.connection, object: after)
            if moved.key.lowercased() != change.key.lowercased() {
                map[key] = nil
                let name = moved.kind == .settings ? moved.kindName + "\u{1}" + moved.key : moved.key
                register(first, Key(change.connection, moved.kind, name))
            }
        }
    }

    static func deleted(_ object: ObjectRef.Object) -> ObjectRef.Object {
        switch object {
        case .domain(var d): d.status = .deleted; return .domain(d)
        case .user(var u): u.status = .deleted; return .user(u)
        case .settings: return object
        }
    }

    private func register(_ ref: ObjectRef, _ key: Key) {
        ref.isRegistered = true
        map[key] = Weak(ref)
        if map.count >= pruneAt {
            map = map.filter { $0.value.ref != nil }
            pruneAt = max(1024, map.count * 2)
        }
    }
}
