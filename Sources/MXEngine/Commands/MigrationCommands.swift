import MXLanguage
import MXModel

let migrationCommands: [CommandDeclaration] = [
    CommandDeclaration(
        "copy", group: .migration,
        .init([.query("collection"), .keyword("from"), .word("source"), .keyword("to"), .word("target")],
              named: .keys(["limit"])),
        summary: "copy domains (with their aliases) from one connection to another",
        details: "Before sending anything it reports, per field, what is carried as is, transformed into the target's form, or lost (the target has no such field), and which domains the target already holds, the same or different. Those the same are left alone and differing ones are updated, so a re-run copies only the difference. limit=N (or mxsh run --limit N) rehearses on the first N.",
        examples: ["copy domains where status=ENABLED from os to cm", "copy domains from m to m2 limit=10"],
        mutates: true, operation: .createDomain, words: .connection
    ) { interp, inv in
        guard case .value(let query) = inv.args[0], case .word(let fromName, let fromRange) = inv.args[1],
              case .word(let toName, let toRange) = inv.args[2] else { return }
        guard let from = interp.connections[fromName] else { throw RuntimeError("no connection named '\(fromName)'", at: fromRange) }
        guard let to = interp.connections[toName] else { throw RuntimeError("no connection named '\(toName)'", at: toRange) }
        var limit = interp.copyLimit ?? Int.max
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
        if limit > 0 {
            try interp.forEach(in: query) { item in
                guard case .object(let ref) = item, case .domain(let d) = ref.object else {
                    throw RuntimeError("copy moves domains; this collection holds a \(item.typeName)", at: query.range)
                }
                items.append(d)
                return items.count < limit
            }
        }
        if let saved { interp.use(saved) }

        // The target's domains, read once (paged) rather than one lookup per domain;
        // both sides completed (sender lists) only for the domains that meet.
        var atTarget: [String: Domain] = [:]
        try interp.vendorCall(inv.range) {
            let wanted = Set(items.map { $0.name.lowercased() })
            var met: [Domain] = []
            try to.adapter.forEachDomain { d in
                if wanted.contains(d.name.lowercased()) { met.append(d) }
                return true
            }
            for d in try to.adapter.complete(met) { atTarget[d.name.lowercased()] = d }
            items = try from.adapter.complete(items)
        }
        let plan = MigrationPlan(items, from: from.adapter.capabilities, to: to.adapter.capabilities,
                                 atTarget: atTarget, stored: to.adapter.stored)
        interp.host.message(plan.report(from: fromName, to: toName, capacity: nil))
        var created = 0, updated = 0
        for item in plan.items {
            switch item.verdict {
            case .same: continue
            case .create:
                try interp.submit(Change(connection: toName, kind: .domain, key: item.domain.name, operation: .createDomain,
                                         fields: item.fields, before: nil, location: interp.location(inv.range)),
                                  updating: nil, at: inv.range)
                created += 1
            case .update(let fields, let existing):
                try interp.submit(Change(connection: toName, kind: .domain, key: item.domain.name, operation: .updateDomain,
                                         fields: fields, before: .domain(existing), location: interp.location(inv.range)),
                                  updating: nil, at: inv.range)
                updated += 1
            }
        }
        interp.host.message("copied: \(created) created, \(updated) updated, \(plan.same) already the same\n")
    },
]
