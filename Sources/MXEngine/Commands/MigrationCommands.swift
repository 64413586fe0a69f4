import MXLanguage
import MXModel

let migrationCommands: [CommandDeclaration] = [
    CommandDeclaration(
        "copy", group: .migration,
        .init([.query("collection"), .keyword("from"), .word("source"), .keyword("to"), .word("target")],
              named: .keys(["limit"])),
        summary: "copy domains (with their aliases) from one connection to another",
        details: "Before sending anything it reports, per field, what is carried and what the target cannot hold. Objects already at the target with the same fields are left alone; differing ones are updated, so a re-run copies only the difference. limit=N rehearses on the first N.",
        examples: ["copy domains where status=ENABLED from os to cm", "copy domains from m to m2 limit=10"],
        mutates: true, operation: .createDomain, words: .connection
    ) { interp, inv in
        guard case .value(let query) = inv.args[0], case .word(let fromName, let fromRange) = inv.args[1],
              case .word(let toName, let toRange) = inv.args[2] else { return }
        guard let from = interp.connections[fromName] else { throw RuntimeError("no connection named '\(fromName)'", at: fromRange) }
        guard let to = interp.connections[toName] else { throw RuntimeError("no connection named '\(toName)'", at: toRange) }
        var limit = Int.max
        if let l = inv.named.first(where: { $0.key == "limit" }) {
            guard case .number(let n) = try interp.eval(l.value), n >= 0 else {
                throw RuntimeError("limit is a number of objects", at: l.value.range)
            }
            limit = Int(n)
        }
        // Bare `domains` in the query means the source's domains.
        let saved = interp.defaultConnection
        interp.use(fromName)
        defer { if let saved { interp.use(saved) } }
        var items: [Domain] = []
        try interp.forEach(in: query) { item in
            guard case .object(let ref) = item, case .domain(let d) = ref.object else {
                throw RuntimeError("copy moves domains; this collection holds a \(item.typeName)", at: query.range)
            }
            items.append(d)
            return items.count < limit
        }
        if let saved { interp.use(saved) }

        let plan = migrationFields(from: from.adapter.capabilities, to: to.adapter.capabilities)
        interp.host.message("copy \(items.count) domain(s) from \(fromName) (\(from.vendor)) to \(toName) (\(to.vendor))\n")
        interp.host.message("  carried: \(plan.carried.joined(separator: ", "))\n")
        if !plan.lost.isEmpty { interp.host.message("  lost (the target has no such field): \(plan.lost.joined(separator: ", "))\n") }

        // The target's domains, read once (paged) rather than one lookup per domain.
        var atTarget: [String: Domain] = [:]
        try interp.vendorCall(inv.range) {
            try to.adapter.forEachDomain { d in
                atTarget[d.name.lowercased()] = d
                return true
            }
        }
        var created = 0, updated = 0, unchanged = 0
        for d in items {
            var fields = Record()
            for name in plan.carried {
                let v = Domain.fields[Domain.fieldIndex[name]!].get(d)
                if !v.isNone { fields[name] = v }
            }
            if let existing = atTarget[d.name.lowercased()] {
                let differing = Record(fields.pairs.filter { name, v in
                    !Domain.fields[Domain.fieldIndex[name]!].same(Domain.fields[Domain.fieldIndex[name]!].get(existing), v)
                })
                if differing.count == 0 { unchanged += 1; continue }
                try interp.submit(Change(connection: toName, kind: .domain, key: d.name, operation: .updateDomain,
                                         fields: differing, before: .domain(existing), location: interp.location(inv.range)),
                                  updating: nil, at: inv.range)
                updated += 1
            } else {
                try interp.submit(Change(connection: toName, kind: .domain, key: d.name, operation: .createDomain,
                                         fields: fields, before: nil, location: interp.location(inv.range)),
                                  updating: nil, at: inv.range)
                created += 1
            }
        }
        interp.host.message("copied: \(created) created, \(updated) updated, \(unchanged) already the same\n")
    },
]

/// Which neutral domain fields survive a move between two vendors.
func migrationFields(from: VendorCapabilities, to: VendorCapabilities) -> (carried: [String], lost: [String]) {
    var carried: [String] = [], lost: [String] = []
    for f in Domain.fields where f.set != nil {
        guard from.access(.domain, f.name) != .absent else { continue }
        if to.access(.domain, f.name) == .readWrite { carried.append(f.name) } else { lost.append(f.name) }
    }
    return (carried, lost)
}
