import MXLanguage
import MXModel

/// A mailbox's other addresses where a vendor keeps them as email aliases of their own
/// (Cleanmail's groups, 5.15) rather than as a field of the user: `copy users` reads
/// them from the aliases that deliver to that one mailbox, and writes each as such an
/// alias. An alias delivering to several addresses is a group, not a mailbox's alias.
enum MailboxAliases {
    /// The vendor's kind that holds them: an alias named by its address, with members.
    static func viaGroups(_ v: Vendor) -> Bool {
        guard v.access(.user, "aliases") == nil, let k = v.resources.kind("group") else { return false }
        return k.key == "email" && k.field("members") != nil && k.command("create-group") != nil
    }

    /// The users with their aliases read from their domains' email aliases (every user
    /// gets a list: known now, empty when none), and the groups left out as not a
    /// mailbox's (delivering to several addresses).
    static func read(_ users: [User], from adapter: any Adapter) throws -> (users: [User], groups: [String]) {
        var byMailbox: [String: [String]] = [:]
        var groups: [String] = []
        for domain in Set(users.map { $0.domain.lowercased() }).sorted() {
            for g in try adapter.objects("group", of: .domain(Domain(name: domain))) {
                let members = (g.fields["members"]?.listValues ?? []).map { $0.text.lowercased() }
                if members.count == 1 { byMailbox[members[0], default: []].append(g.key) } else { groups.append(g.key) }
            }
        }
        let out = users.map { u -> User in
            var u = u
            u.aliases = (byMailbox[u.email.lowercased()] ?? []).sorted()
            return u
        }
        let mine = Set(out.flatMap { $0.aliases ?? [] })
        return (out, groups.filter { !mine.contains($0) })
    }

    /// The report's line for `aliases` when the target holds them as email aliases.
    static func line(_ users: [User], to: String) -> (fate: String, affected: Int, example: String?) {
        let holding = users.filter { !($0.aliases ?? []).isEmpty }
        return (
            "carried as email aliases of \(to), each delivering to its mailbox", holding.count,
            holding.first.map { "\($0.email): \(Value.list(($0.aliases ?? []).map(Value.string)).literal)" }
        )
    }

    /// Makes each alias at the target (`create-group ADDRESS members=[MAILBOX]`), after
    /// the users: already as asked where it is so; said, not sent, where its domain is
    /// not at the target or the address is an alias delivering elsewhere.
    static func send(
        _ users: [User], _ interp: Interpreter, _ inv: Invocation, to: (name: String, connection: Connection),
        domains: Set<String>
    ) throws -> String {
        var made = 0, same = 0
        var skipped: [String] = []
        for u in users {
            for alias in u.aliases ?? [] {
                let address = alias.lowercased(), email = u.email.lowercased()
                let domain = String(address.split(separator: "@").last ?? "")
                guard domains.contains(domain) else {
                    skipped.append("\(address): its domain is not at \(to.name)")
                    continue
                }
                let existing = try interp.vendorCall(inv.range) {
                    try to.connection.adapter.object("group", key: address)
                }
                if let existing {
                    let members = (existing.fields["members"]?.listValues ?? []).map { $0.text.lowercased() }
                    if members == [email] { same += 1; continue }
                    skipped.append("\(address): already an email alias of \(members.joined(separator: ", "))")
                    continue
                }
                var change = Change(
                    connection: to.name, kind: .settings, key: address,
                    operation: Operation(rawValue: "create-group"),
                    fields: Record([("members", .list([.string(email)]))]), before: nil,
                    location: interp.location(inv.range), resource: "group")
                change.owner = domain
                try interp.submit(change, updating: nil, at: inv.range)
                made += 1
            }
        }
        var out = "  aliases at \(to.name): \(made) email alias(es) made, \(same) already there"
        if let first = skipped.first { out += "; \(skipped.count) not carried: \(first)" }
        return out + "\n"
    }
}
