import MXModel

/// What `copy` will do, worked out before anything is sent: for this vendor pair, per
/// field, whether it is carried as is, transformed (the target will hold it in another
/// form) or lost (the target has no such field); and per object, whether the target
/// lacks it, holds it the same, or holds it differently (a conflict, resolved by
/// updating the target's fields to the source's).
struct MigrationPlan {
    enum Verdict { case create, update(Record, before: Domain), same }

    struct FieldLine {
        var field: String
        var fate: String
        /// How many of the objects it applies to, with one example.
        var affected = 0
        var example: String?
    }

    let sourceVendor: String
    let targetVendor: String
    var carried: [String] = []
    var fieldLines: [FieldLine] = []
    var items: [(domain: Domain, fields: Record, verdict: Verdict)] = []
    /// Domains the target will refuse to create, and the field each lacks.
    var refused: [(name: String, field: String)] = []

    /// `stored`: what the target will read back after writing a domain (its own form).
    init(_ domains: [Domain], from: VendorCapabilities, to: VendorCapabilities,
         atTarget: [String: Domain], stored: (Domain) -> Domain) {
        sourceVendor = from.vendor
        targetVendor = to.vendor
        for f in Domain.fields {
            let readable = from.access(.domain, f.name) != .absent
            guard readable, f.name != "name" else { continue }
            let holding = domains.filter { !f.get($0).isNone && !isEmptyList(f.get($0)) }
            if f.set == nil || to.access(.domain, f.name) == .readOnly {
                fieldLines.append(FieldLine(field: f.name, fate: "not copied: \(to.vendor) sets it itself"))
            } else if to.access(.domain, f.name) == .absent {
                fieldLines.append(FieldLine(field: f.name, fate: "lost: \(to.vendor) has no such field",
                                            affected: holding.count, example: holding.first.map { "\($0.name): \(f.get($0).literal)" }))
            } else {
                carried.append(f.name)
                let changed = holding.filter { !f.same(f.get($0), f.get(stored($0))) }
                if changed.isEmpty {
                    fieldLines.append(FieldLine(field: f.name, fate: "carried"))
                } else {
                    fieldLines.append(FieldLine(field: f.name, fate: "transformed: \(to.vendor) holds it in its own form",
                                                affected: changed.count,
                                                example: changed.first.map { "\($0.name): \(f.get($0).literal) -> \(f.get(stored($0)).literal)" }))
                }
            }
        }
        for d in domains {
            var fields = Record()
            for name in carried {
                let v = Domain.fields[Domain.fieldIndex[name]!].get(d)
                if !v.isNone { fields[name] = v }
            }
            guard let existing = atTarget[d.name.lowercased()] else {
                if let missing = to.requiredToCreate.first(where: { fields[$0] == nil }) { refused.append((d.name, missing)) }
                items.append((d, fields, .create))
                continue
            }
            // Compared in the target's own form, so that a re-run finds nothing to do.
            let expected = stored(d)
            let differing = Record(fields.pairs.filter { name, _ in
                let f = Domain.fields[Domain.fieldIndex[name]!]
                return !f.same(f.get(existing), f.get(expected))
            })
            items.append((d, differing, differing.count == 0 ? .same : .update(differing, before: existing)))
        }
    }

    var creates: Int { items.filter { if case .create = $0.verdict { return true } else { return false } }.count }
    var updates: [(domain: Domain, fields: Record)] {
        items.compactMap { if case .update(let f, _) = $0.verdict { return ($0.domain, f) } else { return nil } }
    }
    var same: Int { items.filter { if case .same = $0.verdict { return true } else { return false } }.count }

    /// The report printed before anything is sent.
    func report(from: String, to: String, capacity: String?) -> String {
        var out = "copy \(items.count) domain(s) from \(from) (\(sourceVendor)) to \(to) (\(targetVendor))\n"
        let width = max(5, fieldLines.map(\.field.count).max() ?? 5)
        out += "  " + "field".padding(width) + "  mapping\n"
        for l in fieldLines {
            var line = "  " + l.field.padding(width) + "  " + l.fate
            if l.affected > 0 { line += " (\(l.affected) domain(s), e.g. \(l.example ?? ""))" }
            out += line + "\n"
        }
        let updates = self.updates
        out += "  at \(to): \(creates) to create, \(updates.count) already there but different (updated), \(same) already the same (left alone)\n"
        for (d, f) in updates.prefix(10) {
            out += "    differs: \(d.name): \(f.keys.joined(separator: ", "))\n"
        }
        if updates.count > 10 { out += "    ... and \(updates.count - 10) more\n" }
        if let first = refused.first {
            out += "  will fail: \(refused.count) domain(s) lack \(first.field), which \(targetVendor) requires to create one (e.g. \(first.name))\n"
        }
        out += "  capacity: " + (capacity ?? "\(targetVendor) shows no limit on domains") + "\n"
        return out
    }

    private func isEmptyList(_ v: Value) -> Bool {
        if case .list(let l) = v { return l.isEmpty }
        return false
    }
}

extension String {
    public func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
