import MXJSON
import MXModel

/// Sender rules (5.9) of a domain or a mailbox: the `allow` and `block` lists. Every page
/// of an owner's rules is read (a list cut at one page and written back would lose the
/// rest), and a change is sent rule by rule: the values added in one POST (5.9.2, 5.9.3),
/// each one removed by its id (5.9.4, 5.9.5), one that moves between the lists by
/// replacing that rule (5.9.8, 5.9.9). The owner's other rules, their descriptions and
/// expiry dates are left as they are.
extension CleanmailAdapter {
    static let rulePageSize = 1000

    /// Every rule of an owner (`/domains/{id}` or `/users/{id}`), all pages.
    func senderRules(_ owner: String, what: String) throws -> [JSON] {
        var out: [JSON] = []
        try pages(owner + "/wblist", filter: [], what: "sender rules of \(what)", pageSize: Self.rulePageSize) { page in
            out += page
            return true
        }
        return out
    }

    /// The rules a domain listing's one-page reads left out, when the first page says
    /// there are more (`X-Total-Count`).
    func restOfRules(_ reply: VendorAPI.Reply, owner: String, what: String) throws -> [JSON] {
        guard let first = try expect(reply, "read", "sender rules of \(what)").json?.array else {
            throw shape("read sender rules of \(what)")
        }
        guard let total = reply.header("X-Total-Count").flatMap({ Int($0) }), total > first.count else { return first }
        return try senderRules(owner, what: what)
    }

    /// Sends what turns the owner's `rules` into the lists asked; nil for a list leaves
    /// that type of rule alone. Each request is one of the change's `steps`: one refused
    /// after another was done leaves the change done in part, never failed.
    func applySenderRules(
        _ owner: String, what: String, current rules: [JSON],
        allow: [String]?, block: [String]?, steps: UpdateSteps
    ) throws {
        func norm(_ v: String) -> String { v.lowercased().trimmingCharacters(in: .whitespaces) }
        var want: [String: String] = [:]  // value -> type
        for (type, list) in [("ALLOW", allow), ("BLOCK", block)] {
            for v in list ?? [] { want[norm(v)] = type }
        }
        let touched = Set([allow.map { _ in "ALLOW" }, block.map { _ in "BLOCK" }].compactMap { $0 })
        var have: [String: JSONObject] = [:]
        for case .object(let r) in rules { if let v = r["value"]?.string { have[norm(v)] = r } }
        // A value holds one rule per owner: moving it out of a list the change does not
        // set (or out of a PROTECTED rule) would change what the script did not name.
        // Said before anything is sent; setting both lists in one `set` moves it.
        for (value, type) in want.sorted(by: { $0.key < $1.key }) {
            guard let other = have[value]?["type"]?.string, other != type, !touched.contains(other) else { continue }
            let list = other == "ALLOW" ? "allow" : other == "BLOCK" ? "block" : "its \(other) rules"
            throw VendorError(
                vendor: vendor.name, kind: .invalid, code: "invalid",
                message: "\(value) is in \(list) of \(what): a sender has one rule; "
                    + "set allow= and block= together to move it", hints: [(type.lowercased(), value)])
        }
        var added: [JSON] = []
        for (value, type) in want.sorted(by: { $0.key < $1.key }) {
            guard let r = have[value] else {
                added.append(
                    type == "ALLOW"
                        ? ["value": .string(value), "type": "ALLOW", "spfOn": false]
                        : ["value": .string(value), "type": .string(type)])
                continue
            }
            guard r["type"]?.string != type else { continue }
            // The value is in the other list (or PROTECTED): that rule becomes this type.
            var moved = JSONObject([("value", .string(value)), ("type", .string(type))])
            for k in ["expireAt", "description"] { if let x = r[k], x != .null { moved[k] = x } }
            if type == "ALLOW" { moved["spfOn"] = r["spfOn"].flatMap { $0 == .null ? nil : $0 } ?? false }
            let path = "\(owner)/wblist/\(pathSegment(id(r)))"
            try steps.run {
                try expect(
                    api.call(.PUT, path, body: .json(.object(moved)), safeToRepeat: true),
                    "move sender rule \(value) of", what)
            }
        }
        for (value, r) in have.sorted(by: { $0.key < $1.key }) {
            guard let type = r["type"]?.string, touched.contains(type), want[value] == nil else { continue }
            let path = "\(owner)/wblist/\(pathSegment(id(r)))"
            try steps.run {
                let reply = try api.call(.DELETE, path)
                // 404 is "the owner may not exist" (5.9.4, 5.9.5), not "the rule is gone":
                // gone only when a read of the owner's rules no longer has it.
                if reply.status == 404, try !senderRules(owner, what: what).contains(where: { $0["id"] == r["id"] }) {
                    return
                }
                try expect(reply, "remove sender rule \(value) of", what)
            }
        }
        if !added.isEmpty {
            try steps.run {
                try expect(
                    api.call(.POST, owner + "/wblist", body: .json(.array(added)), safeToRepeat: false),
                    "add sender rules to", what)
            }
        }
    }

    // MARK: mailboxes

    /// A mailbox's record with its sender rules as the user kind's `allow` and `block`
    /// (`raw.wblist`), read only where asked: a listing leaves them unknown.
    func withSenderRules(_ o: JSONObject) throws -> JSONObject {
        let email = o["email"]?.string ?? "?"
        let rules = try senderRules("/users/\(pathSegment(id(o)))", what: email)
        var out = o
        out["wblist"] = .object(
            JSONObject([
                ("allow", .array(CleanmailMapping.senders(rules, "ALLOW").map(JSON.string))),
                ("block", .array(CleanmailMapping.senders(rules, "BLOCK").map(JSON.string))),
                ("rules", .array(rules))
            ]))
        return out
    }

    /// `set u allow=[...]`: the lists the change set, against the rules read with `before`.
    func updateUserRules(_ u: User, from before: User, changed: [String], steps: UpdateSteps) throws {
        let touched = changed.filter { $0 == "allow" || $0 == "block" }
        guard !touched.isEmpty else { return }
        guard let rules = before.raw.value(atPath: ["wblist", "rules"])?.json?.array else {
            throw VendorError(
                vendor: vendor.name, kind: .reply, code: "unknown",
                message: "the sender rules of \(u.email) were not read, "
                    + "so they are unknown: nothing is sent")
        }
        func list(_ name: String) -> [String]? {
            guard touched.contains(name) else { return nil }
            return (u.raw.value(atPath: ["wblist", name])?.listValues ?? []).map(\.text)
        }
        try applySenderRules(
            "/users/\(pathSegment(id(rawRecord(before.raw))))", what: u.email, current: rules,
            allow: list("allow"), block: list("block"), steps: steps)
    }
}
