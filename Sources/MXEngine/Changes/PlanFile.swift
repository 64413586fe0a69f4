import MXJSON
import MXModel

/// `--plan-out plan.json` and `mxsh apply plan.json`: the planned changes, exactly, with
/// each object's state as planned against (to refuse drift), and each connection as
/// data (`ConnectionOrigin`: vendor, name, URL, organisation, where each credential
/// comes from, sealed with this user's key). Nothing in a plan is evaluated. No
/// credential is written: a connection whose credential is not env("X"), secret("name")
/// or a profile cannot be saved, and a secret a change carries (set-credential's
/// password) is kept out and makes that change unappliable.
public struct PlanFile {
    public struct Failure: Error {
        public let message: String
    }

    public static func encode(_ entries: [PlanSink.Entry], script: String, connections: [Connection]) throws(Failure)
        -> JSON
    {
        let effective = entries.filter { !$0.unchanged }
        let used = Set(effective.map(\.change.connection))
        var connectionList: [JSON] = []
        for c in connections where used.contains(c.name) {
            guard let origin = c.origin else {
                throw Failure(
                    message:
                        "plan not saved: connection \(c.name)'s credential is written into the script or computed "
                        + "there; give it as env(\"X\"), secret(\"name\") or a profile (connect @name)"
                )
            }
            connectionList.append(origin.json)
        }
        let changes: [JSON] = effective.map { e in
            var o = JSONObject([
                ("connection", .string(e.change.connection)), ("vendor", .string(e.vendor)),
                ("kind", .string(e.change.kindName)), ("key", .string(e.change.key)),
                ("operation", .string(e.change.operation.rawValue)),
                ("fields", .object(fieldsJSON(e.change.fields))),
                ("location", .string(e.change.location.description))
            ])
            let vendor = VendorRegistry.named(e.vendor)
            o["before"] = e.before.map { neutralJSON($0, vendor: vendor) } ?? .null
            o["after"] = e.after.map { neutralJSON($0, vendor: vendor) } ?? .null
            return .object(o)
        }
        return .object(
            JSONObject([
                ("mxsh_plan", 2), ("script", .string(script)),
                ("connections", .array(connectionList)), ("changes", .array(changes))
            ]))
    }

    /// A change's fields; a secret is replaced by a marker, never written:
    /// `{"secret": "set (****)"}` (plans and journals of older versions say "not saved").
    static func fieldsJSON(_ r: Record) -> JSONObject {
        JSONObject(
            r.pairs.map { k, v in
                if case .secret = v { return (k, ["secret": .string(Change.credentialMark)]) }
                return (k, v.json ?? .null)
            })
    }

    /// The fields of an object (not `raw`): the neutral ones and, given its vendor, the
    /// vendor's own (`spamlevel`, a mailbox's sender lists), read at their wire paths:
    /// what drift is judged on and what undo writes back.
    static func neutralJSON(_ o: ObjectRef.Object, vendor: Vendor? = nil) -> JSON {
        func own(_ kind: ObjectKind, _ raw: Record) -> [(String, JSON)] {
            (vendor?.resource(kind)?.fields ?? []).filter { !$0.neutral && !$0.isSecret }.compactMap { f in
                raw.value(atPath: f.wirePath).map { (f.name, $0.json ?? .null) }
            }
        }
        switch o {
        case .domain(let d):
            return .object(JSONObject(Domain.fields.map { ($0.name, $0.get(d).json ?? .null) } + own(.domain, d.raw)))
        case .user(let u):
            return .object(JSONObject(User.fields.map { ($0.name, $0.get(u).json ?? .null) } + own(.user, u.raw)))
        case .settings(let s):
            return .object(JSONObject(s.fields.pairs.compactMap { k, v in v.json.map { (k, $0) } }))
        }
    }

    struct PlannedChange {
        var change: Change
        var vendor: String
        var before: JSON?
        /// The object's state after this change, as planned (nil: deleted).
        var after: JSON?
        var hasSecret: Bool
    }

    static func decode(_ json: JSON, file: String) throws(Failure) -> (
        connections: [ConnectionOrigin], changes: [PlannedChange]
    ) {
        if json["mxsh_plan"]?.int == 1 {
            throw Failure(
                message: "\(file) was made by an older mxsh, whose plans held statements to run; make the plan again")
        }
        guard json["mxsh_plan"]?.int == 2, let changes = json["changes"]?.array, let listed = json["connections"]?.array
        else {
            throw Failure(
                message: "\(file) is not an mxsh plan (made by mxsh plan --plan-out or mxsh run --dry-run --plan-out)")
        }
        var origins: [ConnectionOrigin] = []
        for (i, c) in listed.enumerated() {
            guard let origin = ConnectionOrigin(json: c) else {
                throw Failure(message: "\(file): connection \(i + 1) is incomplete")
            }
            origins.append(origin)
        }
        var out: [PlannedChange] = []
        for (i, c) in changes.enumerated() {
            guard let connection = c["connection"]?.string, let kindText = c["kind"]?.string,
                let key = c["key"]?.string, let opText = c["operation"]?.string,
                let fields = c["fields"]?.object
            else {
                throw Failure(message: "\(file): change \(i + 1) is incomplete")
            }
            var record = Record()
            var hasSecret = false
            for (k, v) in fields.pairs {
                if v["secret"] != nil { hasSecret = true; continue }
                record[k] = Value(json: v)
            }
            let location = parseLocation(c["location"]?.string ?? file)
            let (kind, resource) = Change.kind(named: kindText)
            let operation = Operation(rawValue: opText)
            out.append(
                PlannedChange(
                    change: Change(
                        connection: connection, kind: kind, key: key, operation: operation, fields: record,
                        before: nil, location: location, resource: resource),
                    vendor: c["vendor"]?.string ?? "", before: present(c["before"]), after: present(c["after"]),
                    hasSecret: hasSecret))
        }
        return (origins, out)
    }

    /// A member that is there and not null.
    static func present(_ v: JSON?) -> JSON? {
        guard let v else { return nil }
        if case .null = v { return nil }
        return v
    }

    /// The inverse of `ScriptLocation.description`: `file:line:col`, then perhaps
    /// ` (rows.csv row N)`.
    static func parseLocation(_ text: String) -> ScriptLocation {
        var text = text
        var row: RowOrigin?
        if text.hasSuffix(")"), let open = text.lastIndex(of: "(") {
            let inside = text[text.index(after: open)..<text.index(before: text.endIndex)]
            let words = inside.split(separator: " ")
            if words.count >= 3, words[words.count - 2] == "row", let n = Int(words[words.count - 1]) {
                row = RowOrigin(file: words.dropLast(2).joined(separator: " "), line: n)
                text = String(text[..<open]).trimmingSpaces
            }
        }
        let parts = text.split(separator: ":")
        guard parts.count >= 3, let line = Int(parts[parts.count - 2]), let column = Int(parts[parts.count - 1]) else {
            var l = ScriptLocation(file: text, line: 0, column: 0)
            l.row = row
            return l
        }
        var l = ScriptLocation(file: parts.dropLast(2).joined(separator: ":"), line: line, column: column)
        l.row = row
        return l
    }
}

/// `mxsh apply plan.json`: connects as the plan says, then per object compares what the
/// vendor holds now with what the plan was made against; an object that drifted is
/// refused (with the fields that differ), the others get exactly the planned changes.
public final class PlanApplier {
    public struct Result {
        public var applied = 0
        public var unchanged = 0
        /// Objects changed since the plan was made (drift).
        public var refused: [String] = []
        /// Changes that carry a credential, which the plan does not keep: the script sends them.
        public var withCredential: [String] = []
        public var failed: [String] = []
        /// Changes not sent: Ctrl-C stopped the apply before them.
        public var notSent = 0
    }

    let session: Session
    public init(session: Session) { self.session = session }

    public func apply(_ json: JSON, file: String) -> (Result, Int32) {
        let host = session.host
        let plan: (connections: [ConnectionOrigin], changes: [PlanFile.PlannedChange])
        do { plan = try PlanFile.decode(json, file: file) } catch {
            host.message("mxsh apply: \(error.message)\n")
            return (Result(), 2)
        }
        // Every connection is checked and opened before the first change is sent.
        do {
            let key = try SealKey.user()
            for origin in plan.connections { try session.interpreter.reconnect(origin, key: key, from: file) }
        } catch let e as RuntimeError {
            host.message("mxsh apply: \(e.message)\n")
            return (Result(), 1)
        } catch let e as SealKey.Failure {
            host.message("mxsh apply: \(e.message)\n")
            return (Result(), 1)
        } catch {
            host.message("mxsh apply: \(error)\n")
            return (Result(), 1)
        }
        var result = Result()
        var refusedObjects = Set<String>()
        var checkedObjects = Set<String>()
        var doneObjects = Set<String>()
        var held: [String: ObjectRef.Object?] = [:]
        let interp = session.interpreter
        // Each object's planned final state: an object already there was applied before
        // (a second `mxsh apply` of the same plan changes nothing).
        var finalState: [String: JSON?] = [:]
        // The fields each object's changes write: a null planned there is a value asked
        // (`description=none`), not one the plan could not know.
        var written: [String: Set<String>] = [:]
        for p in plan.changes {
            let id = "\(p.change.connection) \(p.change.kindName) \(p.change.key.lowercased())"
            finalState[id] = .some(p.after)
            written[id, default: []].formUnion(p.change.fields.keys)
        }
        for planned in plan.changes {
            let c = planned.change
            let id = "\(c.connection) \(c.kindName) \(c.key.lowercased())"
            let label = "\(c.kindName) \"\(c.key)\" at \(c.connection)"
            guard let connection = interp.connections[c.connection] else {
                result.failed.append("\(label): no connection \(c.connection) in the plan's connections")
                continue
            }
            let journal = interp.sink as? JournalSink
            if journal?.isHalted == true {
                result.notSent += 1
                continue
            }
            if refusedObjects.contains(id) {
                journal?.refuse(c, to: connection, why: "an earlier change to the same object was refused")
                continue
            }
            // A credential cannot be compared, so it is never found already as asked.
            if planned.hasSecret {
                refusedObjects.insert(id)
                let why = "the change carries a secret, which plans do not keep; run the script again"
                result.withCredential.append("\(label): \(why)")
                journal?.refuse(c, to: connection, why: why)
                continue
            }
            if doneObjects.contains(id) {
                result.unchanged += 1
                journal?.skip(c, to: connection, why: "already as asked: the object is as the plan leaves it")
                continue
            }
            do {
                // Drift is judged once per object, before its first change (again after a
                // read that failed: the object is not marked checked until it is read).
                if !checkedObjects.contains(id) {
                    let object = try connection.adapter.current(of: c)
                    checkedObjects.insert(id)
                    held.updateValue(object, forKey: id)
                    let now = object.map { PlanFile.neutralJSON($0, vendor: connection.declaration) }
                    if matches(now, finalState[id] ?? nil, written: written[id] ?? []) {
                        doneObjects.insert(id)
                        result.unchanged += 1
                        journal?.skip(c, to: connection, why: "already as asked: the object is as the plan leaves it")
                        continue
                    }
                    if let why = drift(planned.before, now) {
                        refusedObjects.insert(id)
                        result.refused.append("\(label): \(why)")
                        journal?.refuse(c, to: connection, why: why)
                        continue
                    }
                }
                // The object as read (and as each change before this one left it): the
                // journal's before-state, which undo restores (a plan's change has none).
                var change = c
                // After a change that failed (done in part, perhaps), the object is read again.
                if held.index(forKey: id) == nil { held.updateValue(try connection.adapter.current(of: c), forKey: id) }
                if let object = held[id] { change.before = object }
                switch try interp.sink.submit(change, to: connection) {
                case .applied(let after):
                    held.updateValue(after, forKey: id)
                    result.applied += 1
                case .unchanged: result.unchanged += 1
                }
            } catch is Cancelled {
                // Ctrl-C: the read or the change was not finished; it is not sent.
                held.removeValue(forKey: id)
                result.notSent += 1
            } catch let e as VendorError {
                held.removeValue(forKey: id)
                result.failed.append(
                    "\(c.location): \(c.operation.rawValue) \(label) failed: \(e.message) (\(e.vendor) \(e.code))")
            } catch {
                held.removeValue(forKey: id)
                result.failed.append("\(c.location): \(c.operation.rawValue) \(label) failed: \(error)")
            }
        }
        for r in result.refused { host.message("refused (drift): \(r)\n") }
        for r in result.withCredential { host.message("refused: \(r)\n") }
        for f in result.failed { host.message("failed: \(f)\n") }
        host.message(
            "\(result.applied) change\(result.applied == 1 ? "" : "s") applied"
                + (result.unchanged > 0 ? ", \(result.unchanged) already as asked" : "")
                + (result.refused.isEmpty
                    ? "" : ", \(result.refused.count) object\(result.refused.count == 1 ? "" : "s") refused for drift")
                + (result.withCredential.isEmpty
                    ? "" : ", \(result.withCredential.count) refused for the credential the plan does not keep")
                + (result.failed.isEmpty ? "" : ", \(result.failed.count) failed")
                + (result.notSent == 0 ? "" : ", \(result.notSent) not sent (interrupted)") + "\n")
        let clean =
            result.refused.isEmpty && result.withCredential.isEmpty && result.failed.isEmpty && result.notSent == 0
        return (result, clean ? 0 : 1)
    }

    /// Whether the vendor already holds the planned final state.
    func matches(_ now: JSON?, _ planned: JSON?, written: Set<String>) -> Bool {
        guard let now, let planned else { return now == nil && planned == nil }
        // A field the plan could not know (a creation date the vendor sets) is null there;
        // one a change writes is null because none was asked.
        return (planned.object?.pairs ?? []).allSatisfy { field, want in
            if case .null = want, !written.contains(field) { return true }
            return sameJSON(field, want, now[field] ?? .null)
        }
    }

    /// Why the object is no longer as the plan was made against, or nil.
    func drift(_ before: JSON?, _ now: JSON?) -> String? {
        guard let before else {
            return now == nil ? nil : "it exists now, and the plan was made when it did not"
        }
        guard let current = now else { return "it no longer exists" }
        var differing: [String] = []
        for (field, was) in before.object?.pairs ?? [] {
            let is_ = current[field] ?? .null
            if !sameJSON(field, was, is_) { differing.append("\(field) was \(was.text), now \(is_.text)") }
        }
        return differing.isEmpty ? nil : "changed since the plan: " + differing.joined(separator: "; ")
    }

    func sameJSON(_ field: String, _ a: JSON, _ b: JSON) -> Bool {
        if ["aliases", "allow", "block"].contains(field), let x = a.array, let y = b.array {
            return Set(x.compactMap { $0.string?.lowercased() }) == Set(y.compactMap { $0.string?.lowercased() })
        }
        return a == b
    }
}
