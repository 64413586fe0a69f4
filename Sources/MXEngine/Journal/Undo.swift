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
        guard let kind = ObjectKind(rawValue: r.kind), let operation = Operation(rawValue: r.operation) else {
            return Step(change: nil, impossible: "unknown change \(r.operation)")
        }
        let fields = (try? JSON.parse(Array(r.fields.utf8)))?.object ?? JSONObject()
        let before = r.before.flatMap { try? JSON.parse(Array($0.utf8)) }?.object
        let location = ScriptLocation(file: "undo of " + r.location, line: 0, column: 0)
        func change(_ op: Operation, _ f: Record) -> Step {
            Step(change: Change(connection: r.connection, kind: kind, key: r.key, operation: op, fields: f, before: nil, location: location))
        }
        /// The recorded before-values of the fields the change set.
        func restored(_ names: [String]) -> Record {
            Record(names.compactMap { name in before?[name].map { (name, Value(json: $0)) } })
        }
        /// Everything the vendor lets us write, from the before-state: to re-create.
        func recreate(_ schema: [String], _ access: (String) -> FieldSpec.Access?) -> Record {
            Record(schema.compactMap { name -> (String, Value)? in
                guard name != "name", name != "email", access(name) == .readWrite || name == "status",
                      let v = before?[name], v != .null else { return nil }
                if let list = v.array, list.isEmpty { return nil }
                return (name, Value(json: v))
            })
        }
        if case .irreversible(let why)? = vendor?.inverse(of: operation) { return Step(change: nil, impossible: why) }
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
            guard before != nil, !names.isEmpty else { return Step(change: nil, impossible: "only a password was set, and passwords are not kept") }
            return change(.updateSettings, restored(names))
        case .deleteDomain:
            guard before != nil else { return Step(change: nil, impossible: "its before-state was not recorded") }
            return change(.createDomain, recreate(Domain.fields.map(\.name)) { vendor?.access(.domain, $0) ?? .readWrite })
        case .deleteUser:
            guard before != nil else { return Step(change: nil, impossible: "its before-state was not recorded") }
            return change(.createUser, recreate(User.fields.map(\.name)) { vendor?.access(.user, $0) ?? .readWrite })
        case .setCredential:
            return Step(change: nil, impossible: "a credential cannot be set back: the old password was never kept")
        }
    }
}
