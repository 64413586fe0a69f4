import MXJSON
import MXModel

/// The inverse of a done change, from what the journal recorded: re-create what was
/// deleted (from its before-state), remove what was added, restore changed fields.
public enum Undo {
    public struct Step {
        public var change: Change?
        /// Why this change cannot be undone, when it cannot.
        public var impossible: String?
    }

    /// The inverse comes from the vendor's table (`OperationSpec.inverse`): the
    /// operation that undoes it, the before-state's values, or why it cannot be undone.
    public static func inverse(of r: Journal.ChangeRecord, vendor: Vendor?) -> Step {
        let (kind, resource) = Change.kind(named: r.kind)
        let operation = Operation(rawValue: r.operation)
        let fields = (try? JSON.parse(Array(r.fields.utf8)))?.object ?? JSONObject()
        let before = r.before.flatMap { try? JSON.parse(Array($0.utf8)) }?.object
        let location = ScriptLocation(file: "undo of " + r.location, line: 0, column: 0)
        func change(_ op: Operation, _ f: Record) -> Step {
            Step(
                change: Change(
                    connection: r.connection, kind: kind, key: r.key, operation: op, fields: f, before: nil,
                    location: location, resource: resource))
        }
        /// The recorded before-values of the fields the change set.
        func restored(_ names: [String]) -> Record {
            Record(names.compactMap { name in before?[name].map { (name, Value(json: $0)) } })
        }
        /// Everything the vendor lets us write, from the before-state: to re-create.
        func recreate(_ schema: [String], _ access: (String) -> FieldSpec.Access?) -> Record {
            Record(
                schema.compactMap { name -> (String, Value)? in
                    guard name != "name", name != "email", access(name) == .readWrite || name == "status",
                        let v = before?[name], v != .null
                    else { return nil }
                    if let list = v.array, list.isEmpty { return nil }
                    return (name, Value(json: v))
                })
        }
        if case .irreversible(let why)? = vendor?.inverse(of: operation) { return Step(change: nil, impossible: why) }
        // Objects that lived only as long as the process that changed them (the memory
        // vendor, the sandbox `connect sandbox` starts inside mxsh) are gone with it.
        if endedWithProcess(r) {
            return Step(
                change: nil,
                impossible:
                    "its connection (\(r.connection)) ended with the process that made it: there is nothing left to "
                    + "undo"
            )
        }
        switch operation {
        case .createDomain: return change(.deleteDomain, Record())
        case .createUser: return change(.deleteUser, Record())
        case .addAlias: return change(.removeAlias, Record(fields.pairs.map { ($0.0, Value(json: $0.1)) }))
        case .removeAlias: return change(.addAlias, Record(fields.pairs.map { ($0.0, Value(json: $0.1)) }))
        case .updateDomain, .updateUser:
            guard before != nil else { return Step(change: nil, impossible: "its before-state was not recorded") }
            return change(operation, restored(fields.keys))
        case .updateSettings:
            let names = fields.keys.filter { $0 != "password" }
            guard before != nil, !names.isEmpty else {
                return Step(change: nil, impossible: "only a password was set, and passwords are not kept")
            }
            return change(.updateSettings, restored(names))
        case .deleteDomain:
            guard before != nil else { return Step(change: nil, impossible: "its before-state was not recorded") }
            return change(
                .createDomain, recreate(Domain.fields.map(\.name)) { vendor?.access(.domain, $0) ?? .readWrite })
        case .deleteUser:
            guard before != nil else { return Step(change: nil, impossible: "its before-state was not recorded") }
            return change(.createUser, recreate(User.fields.map(\.name)) { vendor?.access(.user, $0) ?? .readWrite })
        case .setCredential:
            return Step(change: nil, impossible: "a credential cannot be set back: the old password was never kept")
        default:
            // A command on a vendor's own kind: its table names the command that undoes it.
            guard let kindSpec = resource.map({ vendor?.resources.kind($0) }) ?? vendor?.resources.kind(of: kind),
                let command = kindSpec.command(operation.rawValue)
            else {
                return Step(change: nil, impossible: "unknown change \(r.operation)")
            }
            if case .by(let name) = command.inverse, kindSpec.command(name) == nil, Operation(rawValue: name).isNeutral
            {
                // Undone by a neutral operation (a restore by deleting again).
                return change(Operation(rawValue: name), Record())
            }
            guard case .by(let name) = command.inverse, let inverse = kindSpec.command(name) else {
                return Step(change: nil, impossible: command.irreversibleReason ?? "its vendor has no inverse")
            }
            if inverse.name == command.name, let param = command.params.first?.name,
                let to = fields[param]?.string
            {
                // Its own inverse (move-user u "new@x"): sent back, from where it went to the key.
                return Step(
                    change: Change(
                        connection: r.connection, kind: kind, key: to, operation: operation,
                        fields: Record([(param, .string(r.key))]), before: nil, location: location, resource: resource))
            }
            switch inverse.effect {
            case .create:
                guard before != nil else { return Step(change: nil, impossible: "its before-state was not recorded") }
                return change(inverse.operation, recreate(kindSpec.fields.map(\.name)) { kindSpec.field($0)?.access })
            default:
                return change(inverse.operation, Record(fields.pairs.map { ($0.0, Value(json: $0.1)) }))
            }
        }
    }
}

extension Undo {
    /// Why a journaled change is not the run's to take back, or nil when it may be: only
    /// a change that was sent (done, or answer unknown) and, by the before-state the
    /// journal holds, made a difference. A queued change never reached the vendor; an add
    /// whose object or alias was there before the run was not its doing, whatever the
    /// vendor answered.
    public static func notTheRuns(_ r: Journal.ChangeRecord) -> String? {
        switch r.state {
        case .done, .sent: break
        case .queued: return "it was never sent"
        case .skipped, .failed, .refused: return "it changed nothing (\(r.state.rawValue))"
        }
        let operation = Operation(rawValue: r.operation)
        let parsed = r.before.flatMap { try? JSON.parse(Array($0.utf8)) }
        let before = parsed == .null ? nil : parsed
        switch operation {
        case .createDomain, .createUser:
            if r.beforeKnown, before != nil { return "it existed before the run: not this run's doing" }
            if !r.beforeKnown, r.state == .sent {
                return "its answer was lost, and whether it existed before the run was not recorded"
            }
        case .deleteDomain, .deleteUser:
            if r.beforeKnown, before == nil { return "it did not exist before the run" }
        case .addAlias, .removeAlias:
            let fields = (try? JSON.parse(Array(r.fields.utf8)))?.object
            guard let alias = fields?["alias"]?.string?.lowercased(),
                let list = before?["aliases"]?.array?.compactMap(\.string)
            else { break }
            let had = list.contains { $0.lowercased() == alias }
            if operation == .addAlias, had { return "the alias was there before the run: not this run's doing" }
            if operation == .removeAlias, !had { return "the alias was not there before the run" }
        default:
            // A vendor's own command, by the effect its table declares.
            let (_, resource) = Change.kind(named: r.kind)
            let command = resource.flatMap {
                VendorRegistry.named(r.vendor)?.resources.kind($0)?.command(operation.rawValue)
            }
            switch command?.effect {
            case .create?:
                if r.beforeKnown, before != nil { return "it existed before the run: not this run's doing" }
                if !r.beforeKnown, r.state == .sent {
                    return "its answer was lost, and whether it existed before the run was not recorded"
                }
            case .delete?:
                if r.beforeKnown, before == nil { return "it did not exist before the run" }
            default: break
            }
        }
        return nil
    }

    /// Why an inverse must not be applied to the object as it is now, or nil when it
    /// may: undo takes back only what the run did, to an object still as the run left
    /// it. `current` is the object now; `users` counts the domain's mailboxes (an
    /// inverse that deletes a domain would orphan them).
    public static func refusal(
        of r: Journal.ChangeRecord, current: ObjectRef.Object?, vendor: Vendor?,
        users: () throws -> Int
    ) rethrows -> String? {
        let operation = Operation(rawValue: r.operation)
        let fields = (try? JSON.parse(Array(r.fields.utf8)))?.object ?? JSONObject()
        /// The fields the run set that hold another value now. Credentials are never read
        /// back, so they cannot be compared; a create's lists (aliases, sender lists) are
        /// written by follow-up requests a killed run may not have reached, so what the
        /// journal asked for is not what the run surely left.
        // Options (`ignoreMX=true`, a token's `expiration` as written) are how it was
        // sent, not what the object holds: not compared.
        let (ownKind, ownResource) = Change.kind(named: r.kind)
        let options = Set(
            ((ownResource.flatMap { vendor?.resources.kind($0) } ?? vendor?.resources.kind(of: ownKind))
                .map { k in (k.command(operation.rawValue)?.options ?? []) + (k.operation(operation)?.options ?? []) }
                ?? []).map(\.name))
        func drifted(_ object: ObjectRef.Object, creating: Bool = false) -> [String] {
            let ref = ObjectRef(connection: r.connection, object: object)
            return fields.pairs.compactMap { name, json in
                if options.contains(name) { return nil }
                let left = Value(json: json)
                if case .record = left { return nil }  // a secret, journaled as {secret: "not saved"}
                if creating, ["aliases", "allow", "block"].contains(name) { return nil }
                let (kind, resource) = Change.kind(named: r.kind)
                if vendor?.field(kind, name, settings: resource ?? r.key)?.isSecret == true { return nil }
                guard case .secret = left else {
                    let now = ref.field(name) ?? vendorField(object, name, vendor) ?? .none
                    return same(name, now, left) ? nil : "\(name) is \(now.literal) now (the run left \(left.literal))"
                }
                return nil
            }
        }
        /// A create's lists now holding what the run did not give (an alias, a sender,
        /// a failover added since): deleting the object would take that too. Fewer is
        /// not a change since: a follow-up request a killed run never made.
        func listsGrown(_ object: ObjectRef.Object) -> [String] {
            let ref = ObjectRef(connection: r.connection, object: object)
            return ["aliases", "failovers", "allow", "block"].compactMap { name in
                // A mailbox's sender lists are the vendor's own fields (Cleanmail's wblist).
                guard let now = (ref.field(name) ?? vendorField(object, name, vendor))?.listValues, !now.isEmpty
                else { return nil }
                let given = Set((fields[name].map { Value(json: $0) }?.listValues ?? []).map { $0.text.lowercased() })
                let added = now.filter { !given.contains($0.text.lowercased()) }
                guard let first = added.first else { return nil }
                return "\(name) has \(first.literal) now"
                    + (added.count > 1 ? " and \(added.count - 1) more" : "") + ", which the run did not give"
            }
        }
        /// Every field the change set still holds its before-value.
        func asBefore(_ object: ObjectRef.Object) -> Bool {
            guard let before = r.before.flatMap({ try? JSON.parse(Array($0.utf8)) })?.object else { return false }
            let ref = ObjectRef(connection: r.connection, object: object)
            return fields.keys.filter { !options.contains($0) }.allSatisfy { name in
                guard let was = before[name] else { return false }
                return same(name, ref.field(name) ?? vendorField(object, name, vendor) ?? .none, Value(json: was))
            }
        }
        /// A change done in part (journaled sent): each field it set holds the run's value
        /// or its before-value, a list only items of the two (a sender-rule change that
        /// removed a rule and was refused adding one). Nothing there is another's doing;
        /// the inverse writes every before-value, the ones already so included.
        func leftOrBefore(_ object: ObjectRef.Object) -> Bool {
            guard r.state == .sent,
                let before = r.before.flatMap({ try? JSON.parse(Array($0.utf8)) })?.object
            else { return false }
            let ref = ObjectRef(connection: r.connection, object: object)
            return fields.pairs.allSatisfy { name, json in
                if options.contains(name) { return true }
                let left = Value(json: json)
                if case .record = left { return true }  // a secret: not read back
                guard let was = before[name].map({ Value(json: $0) }) else { return false }
                let now = ref.field(name) ?? vendorField(object, name, vendor) ?? .none
                if same(name, now, left) || same(name, now, was) { return true }
                guard case .list(let items) = now else { return false }
                let asked = Set(left.listValues.map { $0.text.lowercased() })
                let had = Set(was.listValues.map { $0.text.lowercased() })
                let held = Set(items.map { $0.text.lowercased() })
                // Nothing another added, and nothing the run kept taken away by another.
                return held.isSubset(of: asked.union(had)) && asked.intersection(had).isSubset(of: held)
            }
        }
        switch operation {
        case .createDomain, .createUser:
            guard let current else { return nil }  // gone already: the inverse finds nothing to do
            let changed = drifted(current, creating: true) + listsGrown(current)
            if !changed.isEmpty { return "changed since the run: " + changed.joined(separator: "; ") }
            if operation == .createDomain {
                let n = try users()
                if n > 0 {
                    return
                        "it now has \(n) mailbox\(n == 1 ? "" : "es"), which deleting it would leave without their "
                        + "domain"
                }
            }
            return nil
        case .deleteDomain, .deleteUser:
            return current == nil
                ? nil
                : "it exists again (created since the run): re-creating it from the run's before-state would overwrite "
                    + "that"
        case .updateDomain, .updateUser, .updateSettings:
            guard let current else { return "it no longer exists" }
            let changed = drifted(current)
            // Still (or again) as before: a sent change never done, or one an interrupted
            // undo already took back. The inverse finds nothing to do.
            if !changed.isEmpty, asBefore(current) || leftOrBefore(current) { return nil }
            return changed.isEmpty ? nil : "changed since the run: " + changed.joined(separator: "; ")
        case .addAlias, .removeAlias, .setCredential:
            return nil
        default:
            let (_, resource) = Change.kind(named: r.kind)
            switch resource.flatMap({ vendor?.resources.kind($0)?.command(operation.rawValue) })?.effect {
            case .create?:
                guard let current else { return nil }
                let changed = drifted(current, creating: true)
                return changed.isEmpty ? nil : "changed since the run: " + changed.joined(separator: "; ")
            case .delete?:
                return current == nil
                    ? nil : "it exists again (created since the run): re-creating it would overwrite that"
            default:
                return nil
            }
        }
    }

    /// The change was made on a connection whose objects ended with its process.
    public static func endedWithProcess(_ r: Journal.ChangeRecord) -> Bool {
        if VendorRegistry.named(r.vendor)?.outlivesProcess == false { return true }
        // Connections are journaled as data; the seats of `connect sandbox` say so.
        guard let text = r.connect else { return false }
        if text.hasPrefix("connect sandbox") { return true }
        return (try? JSON.parse(Array(text.utf8)))?["vendor"]?.string == "sandbox"
    }

    static func same(_ name: String, _ a: Value, _ b: Value) -> Bool {
        // A language code is the same in any case: Cleanmail reads back "en" for the "EN"
        // a run wrote, which is no change since the run.
        if name == "language", case .string(let x) = a, case .string(let y) = b {
            return x.lowercased() == y.lowercased()
        }
        if let i = Domain.fieldIndex[name] { return Domain.fields[i].same(a, b) }
        return a.equals(b)
    }

    static func vendorField(_ object: ObjectRef.Object, _ name: String, _ vendor: Vendor?) -> Value? {
        let raw: Record
        let kind: ObjectKind
        switch object {
        case .domain(let d): (raw, kind) = (d.raw, .domain)
        case .user(let u): (raw, kind) = (u.raw, .user)
        case .settings(let s): return s.fields[name]
        }
        guard let spec = vendor?.field(kind, name), !spec.neutral else { return nil }
        return raw.value(atPath: spec.wirePath)
    }
}
