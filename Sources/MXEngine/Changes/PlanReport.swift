import MXJSON
import MXModel

/// A plan as a reviewer reads it: per object, `+` created, `-` deleted, `~` changed,
/// with each field's `before -> after` (and sets of names as `+ x` / `- y`).
public struct PlanReport {
    public struct ObjectDiff {
        public var sign: Character
        public var kind: ObjectKind
        /// `domain`, `user`, or the vendor's own kind (`group`, `message`).
        public var kindName: String
        public var key: String
        public var connection: String
        public var vendor: String
        public var lines: [String]
        /// Where the object's first change was made.
        public var location: ScriptLocation
        public var changes: Int
    }

    public let objects: [ObjectDiff]
    /// Changes the vendor would refuse: `! domain "x" at cm: will fail: why`.
    public let failures: [String]

    public init(_ entries: [PlanSink.Entry]) {
        failures = entries.compactMap { e in
            e.failure.map {
                "\(e.change.operation.rawValue) \(e.change.kind.rawValue) \(Change.shown(e.change.key, e.change.kind)) "
                    + "at \(e.change.connection): will fail: \($0)   \(e.change.location)"
            }
        }
        // One diff per object: the state before its first change against the state
        // after its last, in the order objects were first touched.
        var order: [String] = []
        var groups: [String: [PlanSink.Entry]] = [:]
        for e in entries where !e.unchanged {
            let id = "\(e.change.connection)\u{1}\(e.change.kindName)\u{1}\(e.change.key.lowercased())"
            if groups[id] == nil { order.append(id) }
            groups[id, default: []].append(e)
        }
        objects = order.compactMap { id in
            let list = groups[id]!
            let first = list.first!, last = list.last!
            let lines =
                Self.fieldLines(first.before, last.after)
                + Self.vendorLines(first.before, last.after, VendorRegistry.named(first.vendor))
            var sign: Character = first.before == nil ? "+" : last.after == nil ? "-" : "~"
            var shown = lines
            // A credential is sent, never kept or read back: each one a change sets is
            // shown as set, never its value, and never as "unchanged" for want of a diff.
            for name in Change.credentialFields(list.map(\.change)) where !shown.contains(Change.setCredential(name)) {
                shown.append(Change.setCredential(name))
            }
            // A vendor's action (releasing a message) changes no field: it is shown as
            // what it is, and as what undo cannot take back.
            for e in list where e.change.sign == "~" && e.change.objectCommand?.effect == .action {
                let what = e.change.fields.pairs.map { "\($0.0) \($0.1.literal)" }.joined(separator: ", ")
                shown.append("\(e.change.operation.rawValue)\(what.isEmpty ? "" : ": " + what) (undo sends it back)")
            }
            for e in list where e.change.sign == "!" {
                sign = "!"
                if e.change.operation == .call {
                    shown.append("call: sent as written; cannot be previewed or undone")
                } else {
                    let why = e.change.objectCommand?.irreversibleReason ?? "the vendor has no inverse"
                    shown.append("\(e.change.operation.rawValue): cannot be undone (\(why))")
                }
            }
            if sign == "~" && shown.isEmpty { return nil }
            return ObjectDiff(
                sign: sign, kind: first.change.kind, kindName: first.change.kindName, key: first.change.key,
                connection: first.change.connection,
                vendor: first.vendor, lines: shown, location: first.change.location, changes: list.count)
        }
    }

    public var isEmpty: Bool { objects.isEmpty }

    /// `plan --format json`: each object's diff, the predicted failures and the counts.
    public var json: JSON {
        let items: [JSON] = objects.map { o in
            .object(
                JSONObject([
                    ("sign", .string(String(o.sign))), ("kind", .string(o.kind.rawValue)), ("key", .string(o.key)),
                    ("connection", .string(o.connection)), ("vendor", .string(o.vendor)),
                    ("location", .string(o.location.description)), ("changes", .int(o.changes)),
                    ("fields", .array(o.lines.map(JSON.string)))
                ]))
        }
        func count(_ sign: Character) -> JSON { .int(objects.filter { $0.sign == sign }.count) }
        return .object(
            JSONObject([
                ("objects", .array(items)), ("failures", .array(failures.map(JSON.string))),
                ("create", count("+")), ("change", count("~")), ("delete", count("-"))
            ]))
    }

    /// The diff, and what it adds up to. `complete` is false when the plan stopped at a
    /// failure (or Ctrl-C): what it holds is then what was planned before, and it says so;
    /// it never says that nothing is left to change, which is not known.
    public func render(complete: Bool = true) -> String {
        var out = failures.map { "! \($0)\n" }.joined()
        if objects.isEmpty {
            guard complete else {
                return out + "Plan stopped before the end of the script: nothing to change before it. "
                    + "Nothing has been sent.\n"
            }
            return out
                + (failures.isEmpty
                    ? "No changes: everything is already as the script asks.\n"
                    : "Plan: nothing else to change. Nothing has been sent.\n")
        }
        for o in objects {
            out +=
                "\(o.sign) \(o.kindName) \(Change.shown(o.key, o.kind)) at \(o.connection) (\(o.vendor))   "
                + "\(o.location)\n"
            for l in o.lines { out += "    \(l)\n" }
        }
        let counts = [
            "+": objects.filter { $0.sign == "+" }.count, "~": objects.filter { $0.sign == "~" }.count,
            "-": objects.filter { $0.sign == "-" }.count, "!": objects.filter { $0.sign == "!" }.count
        ]
        let actions = counts["!"]! > 0 ? ", \(counts["!"]!) irreversible action\(counts["!"]! == 1 ? "" : "s")" : ""
        out +=
            (complete ? "Plan: " : "Plan up to where it stopped (the rest of the script not planned): ")
            + "\(counts["+"]!) to create, \(counts["~"]!) to change, \(counts["-"]!) to delete\(actions)"
            + (failures.isEmpty ? "" : ", \(failures.count) will fail") + ". Nothing has been sent.\n"
        return out
    }

    /// The vendor's own fields of a domain or a user (`spamlevel`, `wblistPriority`),
    /// from the records at their wire paths.
    static func vendorLines(_ before: ObjectRef.Object?, _ after: ObjectRef.Object?, _ vendor: Vendor?) -> [String] {
        func raw(_ o: ObjectRef.Object?) -> (ObjectKind, Record)? {
            switch o {
            case .domain(let d)?: return (.domain, d.raw)
            case .user(let u)?: return (.user, u.raw)
            default: return nil
            }
        }
        guard let vendor, let (kind, now) = raw(after) else { return [] }
        let was = raw(before)?.1
        return (vendor.resource(kind)?.fields ?? []).filter { !$0.neutral }.compactMap { f in
            let old = was?.value(atPath: f.wirePath) ?? .none
            // Not there after: the vendor's to say (a mailbox moved to another domain gets
            // that domain's policy), not removed.
            guard let new = now.value(atPath: f.wirePath) else {
                return old.isNone ? nil : "\(f.name): \(old.literal) -> set by \(vendor.name)"
            }
            if f.isSecret { return new.isNone || old.equals(new) ? nil : Change.setCredential(f.name) }
            if old.equals(new) { return nil }
            return old.isNone ? "\(f.name): \(new.literal)" : "\(f.name): \(old.literal) -> \(new.literal)"
        }
    }

    static func fieldLines(_ before: ObjectRef.Object?, _ after: ObjectRef.Object?) -> [String] {
        switch (before, after) {
        case (.domain(let b)?, .domain(let a)?): return Domain.fields.compactMap { line($0, $0.get(b), $0.get(a)) }
        case (nil, .domain(let a)?): return Domain.fields.compactMap { f in line(f, .none, f.get(a)) }
        case (.user(let b)?, .user(let a)?): return User.fields.compactMap { line($0, $0.get(b), $0.get(a)) }
        case (nil, .user(let a)?): return User.fields.compactMap { f in line(f, .none, f.get(a)) }
        case (nil, .settings(let a)?):
            return a.fields.pairs.compactMap { k, v in v.isNone ? nil : "\(k): \(v.literal)" }
        case (.settings(let b)?, .settings(let a)?):
            return a.fields.pairs.compactMap { k, v in
                let old = b.fields[k] ?? .none
                return old.equals(v) ? nil : "\(k): \(old.literal) -> \(v.literal)"
            }
        default: return []
        }
    }

    static func line<O>(_ f: Field<O>, _ before: Value, _ after: Value) -> String? {
        if f.same(before, after) { return nil }
        if before.isNone, case .list(let items) = after, items.isEmpty { return nil }
        if f.isSetOfNames, case .list(let a) = after {
            let old = Set((before.listItems).map { $0.text.lowercased() })
            let new = Set(a.map { $0.text.lowercased() })
            let added = a.filter { !old.contains($0.text.lowercased()) }.map { "+ \($0.literal)" }
            let removed = before.listItems.filter { !new.contains($0.text.lowercased()) }.map { "- \($0.literal)" }
            return "\(f.name): " + (added + removed).joined(separator: ", ")
        }
        if before.isNone { return "\(f.name): \(after.literal)" }
        return "\(f.name): \(before.literal) -> \(after.literal)"
    }
}

extension Value {
    var listItems: [Value] { if case .list(let l) = self { return l }; return [] }
}
