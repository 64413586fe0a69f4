import MXModel

/// What `copy` will do, worked out before anything is sent: for this vendor pair, per
/// field, whether it is carried as is, transformed (the target will hold it in another
/// form) or lost (the target has no such field); and per object, whether the target
/// lacks it, holds it the same, or holds it differently (a conflict, resolved by
/// updating the target's fields to the source's). For domains and for users alike.
struct MigrationPlan<Object> {
    enum Verdict { case create, update(Record, before: Object), same }

    struct FieldLine {
        var field: String
        var fate: String
        /// How many of the objects it applies to, with one example.
        var affected = 0
        var example: String?
    }

    let kind: ObjectKind
    let sourceVendor: String
    let targetVendor: String
    var carried: [String] = []
    var fieldLines: [FieldLine] = []
    var items: [(object: Object, key: String, fields: Record, verdict: Verdict)] = []
    /// Objects the target will refuse to create, and why.
    var refused: [(key: String, why: String)] = []

    /// `stored`: what the target will read back after writing an object (its own form).
    /// That form is what the report shows, what a re-run compares and what is sent.
    /// `refusal`: why the target would refuse to create one, if it would.
    init(
        _ objects: [Object], kind: ObjectKind, fields: [Field<Object>], key: (Object) -> String,
        from: Vendor, to: Vendor, atTarget: [String: Object],
        stored inTargetForm: (Object) -> Object, refusal: (Record, Object) -> String? = { _, _ in nil },
        readElsewhere: Set<String> = []
    ) {
        self.kind = kind
        sourceVendor = from.name
        targetVendor = to.name
        // What was deleted at the source does not go live at the target: DISABLED, where
        // the target has it (its own form, `stored`, would read DELETED as ENABLED).
        let statusField = fields.first { $0.name == "status" }
        func stored(_ o: Object) -> Object {
            guard let f = statusField, let set = f.set, case .enumCase(Status.deleted.rawValue) = f.get(o),
                case .status(let writable)? = to.field(kind, f.name)?.type, writable.contains(.disabled)
            else { return inTargetForm(o) }
            var disabled = o
            try? set(&disabled, .enumCase(Status.disabled.rawValue))
            return inTargetForm(disabled)
        }
        let identity = fields.first?.name
        for f in fields where f.name != identity {
            // `readElsewhere`: held by the source another way (a mailbox's email aliases).
            guard from.access(kind, f.name) != nil || readElsewhere.contains(f.name) else { continue }
            let holding = objects.filter { !f.get($0).isNone && !Self.isEmptyList(f.get($0)) }
            if f.set == nil || to.access(kind, f.name) == .readOnly {
                fieldLines.append(FieldLine(field: f.name, fate: "not copied: \(to.name) sets it itself"))
            } else if to.access(kind, f.name) == nil {
                fieldLines.append(
                    FieldLine(
                        field: f.name, fate: "lost: \(to.name) has no such field",
                        affected: holding.count, example: holding.first.map { "\(key($0)): \(f.get($0).literal)" }))
            } else {
                carried.append(f.name)
                let changed = holding.filter { !f.same(f.get($0), Self.held(f, stored($0), at: to, kind)) }
                if changed.isEmpty {
                    fieldLines.append(FieldLine(field: f.name, fate: "carried"))
                } else {
                    fieldLines.append(
                        FieldLine(
                            field: f.name, fate: "transformed: \(to.name) holds it in its own form",
                            affected: changed.count,
                            example: changed.first.map {
                                "\(key($0)): \(f.get($0).literal) -> \(Self.held(f, stored($0), at: to, kind).literal)"
                            }))
                }
            }
        }
        let byName = Dictionary(fields.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for o in objects {
            // Sent in the target's own form, as reported: the source's (a PENDING status)
            // may be what the target cannot be given.
            let expected = stored(o)
            var values = Record()
            for name in carried {
                let v = Self.held(byName[name]!, expected, at: to, kind)
                if !v.isNone { values[name] = v }
            }
            guard let existing = atTarget[key(o).lowercased()] else {
                if let why = refusal(values, o) { refused.append((key(o), why)) }
                items.append((o, key(o), values, .create))
                continue
            }
            // Compared in the target's own form, so that a re-run finds nothing to do.
            let differing = Record(
                values.pairs.filter { name, value in
                    let f = byName[name]!
                    return !f.same(f.get(existing), value)
                })
            items.append((o, key(o), differing, differing.count == 0 ? .same : .update(differing, before: existing)))
        }
    }

    var creates: Int { items.filter { if case .create = $0.verdict { return true } else { return false } }.count }
    var updates: [(key: String, fields: Record)] {
        items.compactMap { if case .update(let f, _) = $0.verdict { return ($0.key, f) } else { return nil } }
    }
    var same: Int { items.filter { if case .same = $0.verdict { return true } else { return false } }.count }

    /// The report printed before anything is sent.
    func report(from: String, to: String, capacity: String?) -> String {
        let noun = kind == .user ? "user" : "domain"
        var out = "copy \(items.count) \(noun)(s) from \(from) (\(sourceVendor)) to \(to) (\(targetVendor))\n"
        let width = max(5, fieldLines.map(\.field.count).max() ?? 5)
        out += "  " + "field".padding(width) + "  mapping\n"
        for l in fieldLines {
            var line = "  " + l.field.padding(width) + "  " + l.fate
            if l.affected > 0 { line += " (\(l.affected) \(noun)(s), e.g. \(l.example ?? ""))" }
            out += line + "\n"
        }
        let updates = self.updates
        out +=
            "  at \(to): \(creates) to create, \(updates.count) already there but different (updated), \(same) already "
            + "the same (left alone)\n"
        for (key, f) in updates.prefix(10) {
            out += "    differs: \(key): \(f.keys.joined(separator: ", "))\n"
        }
        if updates.count > 10 { out += "    ... and \(updates.count - 10) more\n" }
        if let first = refused.first {
            out += "  will fail: \(refused.count) \(noun)(s): \(first.why) (e.g. \(first.key))\n"
        }
        out += "  capacity: " + (capacity ?? "\(targetVendor) shows no limit on \(noun)s") + "\n"
        return out
    }

    /// Field `f` of `target` (an object in the target's own form, `stored`) as the target
    /// will hold it. A status it cannot be given (PENDING, DELETED: the vendor's to set;
    /// no vendor takes them in a create or an update) is ENABLED there, as Proofpoint and
    /// OpenSRS hold anything not DISABLED: so for users and for every target alike. (A
    /// DELETED one was made DISABLED before, in `init`'s `stored`, where the target has it.)
    private static func held(_ f: Field<Object>, _ target: Object, at vendor: Vendor, _ kind: ObjectKind) -> Value {
        let v = f.get(target)
        guard case .status(let writable)? = vendor.field(kind, f.name)?.type, case .enumCase(let s) = v,
            let status = Status(rawValue: s), !writable.contains(status), writable.contains(.enabled)
        else { return v }
        return .enumCase(Status.enabled.rawValue)
    }

    private static func isEmptyList(_ v: Value) -> Bool {
        if case .list(let l) = v { return l.isEmpty }
        return false
    }
}

extension String {
    public func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
