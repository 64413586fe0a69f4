import MXLanguage
import MXModel

let migrationCommands: [CommandDeclaration] = [
    CommandDeclaration(
        "copy", group: .migration,
        .init(
            [.query("collection"), .keyword("from"), .word("source"), .keyword("to"), .word("target")],
            named: .keys(["limit"])),
        summary: "copy domains (with their aliases and sender lists) or users from one connection to another",
        details:
            "Before sending anything it reports, per field, what is carried as is, transformed into the target's form, "
            + "or lost (the target has no such field), and which domains the target already holds, the same or "
            + "different. Those the same are left alone and differing ones are updated, so a re-run copies "
            + "only the difference. limit=N (or mxsh run --limit N) rehearses on the first N.",
        examples: [
            "copy domains where status=ENABLED from os to cm", "copy users where domain=\"got.com\" from os to cm",
            "copy domains from m to m2 limit=10"
        ],
        mutates: true, operation: .createDomain, words: .connection
    ) { interp, inv in
        guard case .value(let query) = inv.args[0], case .word(let fromName, let fromRange) = inv.args[1],
            case .word(let toName, let toRange) = inv.args[2]
        else { return }
        guard let from = interp.connections[fromName] else {
            throw RuntimeError("no connection named '\(fromName)'", at: fromRange)
        }
        guard let to = interp.connections[toName] else {
            throw RuntimeError("no connection named '\(toName)'", at: toRange)
        }
        var limit = interp.copyLimit ?? Int.max
        if let l = inv.named.first(where: { $0.key == "limit" }) {
            limit = try objectLimit(try interp.eval(l.value), at: l.value.range)
        }
        // Bare `domains` / `users` in the query mean the source's.
        let saved = interp.defaultConnection
        interp.use(fromName)
        defer { if let saved { interp.use(saved) } }
        var domains: [Domain] = [], users: [User] = []
        if limit > 0 {
            try interp.forEach(in: query) { item in
                switch item {
                case .object(let ref) where users.isEmpty:
                    if case .domain(let d) = ref.object { domains.append(d); return domains.count < limit }
                    if case .user(let u) = ref.object, domains.isEmpty { users.append(u); return users.count < limit }
                case .object(let ref) where domains.isEmpty:
                    if case .user(let u) = ref.object { users.append(u); return users.count < limit }
                default: break
                }
                throw RuntimeError(
                    "copy moves domains or users, one kind at a time; this collection holds \(item.aTypeName)",
                    at: query.range)
            }
        }
        if let saved { interp.use(saved) }
        if !users.isEmpty {
            try copyUsers(users, interp, inv, from: (fromName, from), to: (toName, to))
        } else {
            try copyDomains(domains, interp, inv, from: (fromName, from), to: (toName, to))
        }
    }
]

/// `limit=N`: a whole number of objects, 0 or more. `check` asks the same of a number
/// written out (`limit=1e19` passed `Int(n)` and stopped the process).
func objectLimit(_ value: Value, at range: SourceRange) throws(RuntimeError) -> Int {
    guard case .number(let n) = value else {
        throw RuntimeError("limit is a number of objects, not \(value.aTypeName)", at: range)
    }
    guard n >= 0, let count = n.wholeNumber else {
        if n >= 0, n.rounded() == n {
            throw RuntimeError(
                "limit \(formatNumber(n)) is more objects than can be counted (at most 2^63 - 1)", at: range)
        }
        throw RuntimeError("limit is a whole number of objects, 0 or more, not \(formatNumber(n))", at: range)
    }
    return count
}

private func copyDomains(
    _ source: [Domain], _ interp: Interpreter, _ inv: Invocation,
    from: (name: String, connection: Connection), to: (name: String, connection: Connection)
) throws {
    var items = source
    // The target's domains, read once (paged) rather than one lookup per domain; both
    // sides completed (sender lists) only for the domains that meet.
    var atTarget: [String: Domain] = [:]
    try interp.vendorCall(inv.range) {
        let wanted = Set(items.map { $0.name.lowercased() })
        var met: [Domain] = []
        try to.connection.adapter.forEachDomain { d in
            if wanted.contains(d.name.lowercased()) { met.append(d) }
            return true
        }
        for d in try to.connection.adapter.complete(met) { atTarget[d.name.lowercased()] = d }
        items = try from.connection.adapter.complete(items)
    }
    let required = to.connection.adapter.vendor.requiredToCreate
    let plan = MigrationPlan(
        items, kind: .domain, fields: Domain.fields, key: \.name,
        from: from.connection.adapter.vendor, to: to.connection.adapter.vendor,
        atTarget: atTarget, stored: to.connection.adapter.stored
    ) { fields, _ in
        required.first { fields[$0] == nil }.map { "lacks \($0), which \(to.connection.vendor) requires to create one" }
    }
    try send(
        plan, interp, inv, from: from.name, to: to.name, capacity: nil, operations: (.createDomain, .updateDomain),
        before: { .domain($0) })
}

/// Users go to the same address at the target; their domain must be there first.
/// Passwords cannot be read from any vendor: users arrive without one.
private func copyUsers(
    _ source: [User], _ interp: Interpreter, _ inv: Invocation,
    from: (name: String, connection: Connection), to: (name: String, connection: Connection)
) throws {
    // A mailbox's aliases, where a vendor keeps them as email aliases (MailboxAliases).
    var items = source
    var groupsLeft: [String] = []
    let readAliases = MailboxAliases.viaGroups(from.connection.adapter.vendor)
    let writeAliases = MailboxAliases.viaGroups(to.connection.adapter.vendor)
    if readAliases {
        try interp.vendorCall(inv.range) {
            (items, groupsLeft) = try MailboxAliases.read(items, from: from.connection.adapter)
        }
    }
    var atTarget: [String: User] = [:]
    var targetDomains = Set<String>()
    var capacity: String?
    try interp.vendorCall(inv.range) {
        let wanted = Set(items.map { $0.email.lowercased() })
        var count = 0
        try to.connection.adapter.forEachUser(domain: nil) { u in
            count += 1
            if wanted.contains(u.email.lowercased()) { atTarget[u.email.lowercased()] = u }
            return true
        }
        try to.connection.adapter.forEachDomain { d in
            targetDomains.insert(d.name.lowercased())
            return true
        }
        let creating = items.filter { atTarget[$0.email.lowercased()] == nil }.count
        if let limit = try to.connection.adapter.capacity(.user) {
            let after = count + creating
            capacity =
                "\(to.connection.vendor) is licensed for \(limit) users; \(count) now, \(after) after this copy"
                + (after > limit ? ": \(after - limit) over the licence, those creations will be refused" : ": it fits")
        }
    }
    var plan = MigrationPlan(
        items, kind: .user, fields: User.fields, key: \.email,
        from: from.connection.adapter.vendor, to: to.connection.adapter.vendor,
        atTarget: atTarget, stored: { $0 },
        refusal: { _, u in
            targetDomains.contains(u.domain.lowercased())
                ? nil : "their domain is not at \(to.name): copy the domains first"
        }, readElsewhere: readAliases ? ["aliases"] : [])
    if readAliases, let i = plan.fieldLines.firstIndex(where: { $0.field == "aliases" }), !writeAliases {
        plan.fieldLines[i].fate += " (read from \(from.name)'s email aliases that deliver to the one mailbox)"
    }
    if writeAliases, let i = plan.fieldLines.firstIndex(where: { $0.field == "aliases" }) {
        let (fate, affected, example) = MailboxAliases.line(items, to: to.name)
        plan.fieldLines[i] = .init(field: "aliases", fate: fate, affected: affected, example: example)
    }
    if let first = groupsLeft.first {
        plan.fieldLines.append(
            .init(
                field: "groups", fate: "not copied: email aliases of several addresses are not a mailbox's",
                affected: groupsLeft.count, example: first))
    }
    plan.fieldLines.append(
        .init(field: "password", fate: "not copied: no vendor returns one; users arrive without a password"))
    try send(
        plan, interp, inv, from: from.name, to: to.name, capacity: capacity, operations: (.createUser, .updateUser),
        before: { .user($0) })
    if writeAliases {
        interp.host.message(try MailboxAliases.send(items, interp, inv, to: to, domains: targetDomains))
    }
}

/// Prints the report, then submits what differs: creates for what the target lacks,
/// updates of the differing fields for what it holds otherwise.
private func send<Object>(
    _ plan: MigrationPlan<Object>, _ interp: Interpreter, _ inv: Invocation, from: String, to: String,
    capacity: String?, operations: (create: Operation, update: Operation),
    before: (Object) -> ObjectRef.Object
) throws {
    interp.host.message(plan.report(from: from, to: to, capacity: capacity))
    let mark = CopyReport.mark(interp.sink, [operations.create, operations.update])
    var created = 0, updated = 0
    for item in plan.items {
        let change: Change
        switch item.verdict {
        case .same: continue
        case .create:
            change = Change(
                connection: to, kind: plan.kind, key: item.key, operation: operations.create,
                fields: item.fields, before: nil, location: interp.location(inv.range))
            created += 1
        case .update(let fields, let existing):
            change = Change(
                connection: to, kind: plan.kind, key: item.key, operation: operations.update,
                fields: fields, before: before(existing), location: interp.location(inv.range))
            updated += 1
        }
        try interp.submit(change, updating: nil, at: inv.range)
    }
    interp.host.message(
        CopyReport.after(
            interp.sink, since: mark, create: operations.create, update: operations.update,
            sent: (created, updated), same: plan.same))
}
