import MXJSON
import MXModel

/// Cleanmail's verbs for ChangeResolver's answers: which of its endpoints carry each
/// neutral field (DomainUpdate, the default policy's `outgoing`, `/aliases`, `/wblist`).
extension CleanmailAdapter {
    /// The object now. An alias change on the domain the script holds (read moments
    /// ago, with its id) spares a read: an add-alias is then one request, and a stale
    /// view is caught by the vendor's 404 or 409. Sender rules are read only when the
    /// change touches them (one more request per domain).
    func current(for change: Change) throws -> ObjectRef.Object? {
        switch change.kind {
        case .user:
            guard let o = try userRecord(change.key) else { return nil }
            let needsRules = change.fields["allow"] != nil || change.fields["block"] != nil
            return .user(CleanmailMapping.user(needsRules ? try withSenderRules(o) : o))
        case .settings:
            return try object(change.resource ?? change.key, key: change.key).map(ObjectRef.Object.settings)
        case .domain:
            if [.addAlias, .removeAlias].contains(change.operation), let d = beforeDomain(change),
                recordKnown(change) != nil
            {
                return .domain(d)
            }
            guard let o = try record(named: change.key) else { return nil }
            let needsRules = change.fields["allow"] != nil || change.fields["block"] != nil
            return .domain(CleanmailMapping.domain(o, rules: needsRules ? try rules(id(o)) : nil))
        }
    }

    func create(_ object: ObjectRef.Object, _ change: Change) throws -> ChangeOutcome {
        switch object {
        case .domain(let d): return try createDomain(d, change)
        case .user(let u): return try createUser(u, change)
        case .settings(let s): return try createObject(s, change)
        }
    }

    func update(_ object: ObjectRef.Object, changed: [String], from current: ObjectRef.Object, _ change: Change) throws
        -> ChangeOutcome
    {
        switch (object, current) {
        case (.domain(let d), .domain(let before)):
            if change.operation == .addAlias { return try addAlias(d, before, change) }
            if change.operation == .removeAlias { return try removeAlias(d, before, change) }
            return try updateDomain(d, before, Set(changed), change)
        case (.user(let u), .user(let before)):
            if let task = CleanmailTasks.task(change.operation) {
                return try sendTask(task, recipient: before.email, change)
            }
            if change.operation == CleanmailTasks.move.operation { return try moveUser(before, change) }
            if change.operation == CleanmailMailKinds.sendMail.operation { return try sendMail(before, change) }
            if change.operation == CleanmailTasks.signInToken.operation { return try sendSignInToken(before, change) }
            var patch = JSONObject()
            CleanmailMapping.userFields(Record(changed.map { ($0, Value.none) }), of: u, into: &patch)
            CleanmailUserFields.patch(Set(changed), of: u, into: &patch)
            let steps = UpdateSteps("user \(change.key)")
            if patch.count > 0 {
                let path = "/users/\(pathSegment(id(rawRecord(before.raw))))"
                try steps.run {
                    try expect(
                        api.call(.PATCH, path, body: .json(.object(patch)), safeToRepeat: true), "update",
                        "user \(change.key)")
                }
            }
            // Its checks too: one refused after the PATCH leaves the change done in part.
            try steps.read { try updateUserRules(u, from: before, changed: changed, steps: steps) }
            return .applied(.user(try steps.run { try user(email: change.key) } ?? u))
        case (.settings(let s), .settings(let before)):
            return try updateObject(s, changed: changed, from: before, change)
        default:
            throw VendorError.unsupported(vendor, change.operation)
        }
    }

    func delete(_ object: ObjectRef.Object, _ change: Change) throws -> ChangeOutcome {
        let raw: Record
        switch object {
        case .domain(let d): raw = d.raw
        case .user(let u): raw = u.raw
        case .settings(let s): return try deleteObject(s, change)
        }
        let path = (change.kind == .user ? "/users/" : "/domains/") + pathSegment(id(rawRecord(raw)))
        let headers = change.kind == .domain ? CleanmailDomainFields.headers(change) : []
        try expectMX(api.call(.DELETE, path, headers: headers), "delete", "\(change.kind.rawValue) \(change.key)")
        return .applied(nil)
    }

    /// `expect`, with the way out of the vendor's 422 for a domain whose MX still points
    /// to Cleanmail: the script's own option, never taken for it.
    @discardableResult
    func expectMX(_ reply: VendorAPI.Reply, _ action: String, _ object: String) throws -> VendorAPI.Reply {
        guard reply.status == 422, let d = CleanmailMapping.details(reply.json), d.contains("X-Ignore-MX") else {
            return try expect(reply, action, object)
        }
        throw VendorError(
            vendor: vendor.name, kind: .refused, code: "422",
            message: "\(action) \(object): its MX still points to Cleanmail; give ignoreMX=true if you mean it (\(d))")
    }

    func rawRecord(_ raw: Record) -> JSONObject { Value.record(raw).json?.object ?? JSONObject() }

    func createDomain(_ d: Domain, _ change: Change) throws -> ChangeOutcome {
        // DomainAdd's required members: the services of the default policy are on, as
        // in the document's example.
        var body = JSONObject([
            ("name", .string(d.name)), ("status", .string(d.status.rawValue)), ("incoming", true),
            ("outgoing", .bool(d.relay ?? false)), ("quarantine", true), ("retention", true),
            ("archive", true), ("defaultLanguage", .string((d.language ?? "en").uppercased()))
        ])
        if let text = d.description { body["description"] = .string(text) }
        // DomainAdd takes the domain's own members too: given ones go in the POST.
        CleanmailDomainFields.patch(Set(change.fields.keys), of: d, into: &body)
        if d.destination != nil { body["platforms"] = CleanmailMapping.platforms(nil, d) }
        var rest = change
        rest.operation = .updateDomain
        guard
            let reply = try api.create(
                "/domains", body: .json(.object(body)), exists: { try record(named: d.name) != nil })
        else {
            // An earlier attempt made it; its reply was lost. Finish what the POST does not.
            return try finishing("domain \(d.name) was created") {
                _ = try apply(rest)
                return .applied(.domain(try domain(named: d.name) ?? d))
            }
        }
        if reply.status == 409, let deleted = try record(named: d.name, includeDeleted: true),
            deleted["status"]?.string == "DELETED"
        {
            // Deleted but not yet purged: the name is still taken. Bring it back as asked.
            try expect(
                api.call(
                    .PATCH, "/domains/\(pathSegment(id(deleted)))", body: .json(["status": .string(d.status.rawValue)]),
                    safeToRepeat: true), "restore", "domain \(d.name)")
            return try finishing("domain \(d.name) was restored") {
                _ = try apply(rest)
                return .applied(.domain(try domain(named: d.name) ?? d))
            }
        }
        guard let created = try expect(reply, "create", "domain \(d.name)").json?.object else {
            throw VendorError(
                vendor: vendor.name, kind: .reply, code: "reply",
                message: "create domain \(d.name): no domain in the reply")
        }
        let domainID = pathSegment(id(created))
        // What POST /domains does not take goes in the sub-resources' own calls (5.3.4:
        // an alias another domain holds is refused there, after the domain is made).
        let rules: [JSON] = try finishing("domain \(d.name) was created") {
            if let aliases = d.aliases, !aliases.isEmpty {
                try expect(
                    api.call(.PUT, "/domains/\(domainID)/aliases", body: .json(.array(aliases.map(JSON.string)))),
                    "set aliases of", "domain \(d.name)")
            }
            guard !(d.allow ?? []).isEmpty || !(d.block ?? []).isEmpty else { return [] }
            let sent = CleanmailMapping.rules([], allow: d.allow ?? [], block: d.block ?? [])
            try expect(
                api.call(.PUT, "/domains/\(domainID)/wblist", body: .json(sent)), "set filtering rules of",
                "domain \(d.name)")
            return sent.array ?? []
        }
        // The state after, from what was created and sent: no read back.
        var made = created
        if let aliases = d.aliases, !aliases.isEmpty {
            made["domainAliases"] = JSON.array(aliases.map { JSON.object(JSONObject([("name", JSON.string($0))])) })
        }
        return .applied(.domain(CleanmailMapping.domain(made, rules: rules)))
    }

    func updateDomain(_ d: Domain, _ before: Domain, _ changed: Set<String>, _ change: Change) throws -> ChangeOutcome {
        let o = rawRecord(before.raw)
        let domainID = pathSegment(id(o))
        // PATCH /domains/{id} applies only the members given (5.5.15).
        var patch = JSONObject()
        if changed.contains("status") { patch["status"] = .string(d.status.rawValue) }
        if changed.contains("description") { patch["description"] = d.description.map(JSON.string) ?? .null }
        if changed.contains("language") {
            patch["defaultLanguage"] = d.language.map { .string($0.uppercased()) } ?? .null
        }
        if changed.contains("destination") || changed.contains("failovers") {
            patch["platforms"] = CleanmailMapping.platforms(o, d)
        }
        CleanmailDomainFields.patch(changed, of: d, into: &patch)
        let steps = UpdateSteps("domain \(change.key)")
        if patch.count > 0 {
            try steps.run {
                try expectMX(
                    api.call(
                        .PATCH, "/domains/\(domainID)", body: .json(.object(patch)),
                        headers: CleanmailDomainFields.headers(change), safeToRepeat: true),
                    "update", "domain \(change.key)")
            }
        }
        // `outgoing` belongs to the domain's default policy (DomainUpdate has no such member).
        if changed.contains("relay") {
            guard let policy = o["policy"]?["id"].map({ $0.string ?? $0.text }) else {
                throw VendorError(
                    vendor: vendor.name, kind: .refused, code: "policy",
                    message: "update domain \(change.key): it has no default policy to carry relay")
            }
            try steps.run {
                try expect(
                    api.call(
                        .PATCH, "/policies/\(pathSegment(policy))",
                        body: .json(["outgoing": .bool(d.relay ?? false)]), safeToRepeat: true),
                    "update", "policy of domain \(change.key)")
            }
        }
        if changed.contains("aliases") {
            try steps.run {
                try expect(
                    api.call(
                        .PUT, "/domains/\(domainID)/aliases", body: .json(.array((d.aliases ?? []).map(JSON.string)))),
                    "set aliases of", "domain \(change.key)")
            }
        }
        if changed.contains("allow") || changed.contains("block") {
            // Rule by rule, against every rule the domain has now (read with `before`).
            let known = before.raw["wblist"].flatMap { $0.json?.array }
            try steps.read {
                let now = try known ?? rules(id(o))
                try applySenderRules(
                    "/domains/\(domainID)", what: "domain \(change.key)", current: now,
                    allow: changed.contains("allow") ? d.allow ?? [] : nil,
                    block: changed.contains("block") ? d.block ?? [] : nil, steps: steps)
            }
        }
        return .applied(.domain(try steps.run { try domain(named: change.key) } ?? d))
    }

    func addAlias(_ d: Domain, _ before: Domain, _ change: Change) throws -> ChangeOutcome {
        let alias = try aliasName(change, vendor: vendor.name)
        let o = rawRecord(before.raw)
        let hasAlias = {
            try self.record(named: change.key).map { CleanmailMapping.aliasNames($0["domainAliases"]).contains(alias) }
                ?? false
        }
        guard
            let reply = try api.create(
                "/domains/\(pathSegment(id(o)))/aliases", body: .json([.string(alias)]), exists: hasAlias)
        else {
            return .applied(.domain(try domain(named: change.key) ?? d))
        }
        if reply.status == 409 {
            // Ours already (added meanwhile), or another domain's name: say which.
            if let now = try domain(named: change.key), (now.aliases ?? []).contains(alias) {
                return .unchanged(.domain(now))
            }
            throw VendorError(
                vendor: vendor.name, kind: .exists, code: "409",
                message:
                    "add-alias \(alias) to domain \(change.key): an alias or a domain named \(alias) already exists")
        }
        if reply.status == 404, change.before != nil {
            // Our view was stale: the domain is gone, or was re-created under another id.
            var fresh = change
            fresh.before = nil
            return try apply(fresh)
        }
        try expect(reply, "add-alias \(alias) to", "domain \(change.key)")
        return .applied(.domain(d))
    }

    func removeAlias(_ d: Domain, _ before: Domain, _ change: Change) throws -> ChangeOutcome {
        let alias = try aliasName(change, vendor: vendor.name)
        let domainID = pathSegment(id(rawRecord(before.raw)))
        var aliasID: String?
        try pages("/domains/\(domainID)/aliases", filter: [], what: "aliases") { page in
            aliasID = page.first { $0["name"]?.string?.lowercased() == alias }.map {
                $0["id"]?.string ?? $0["id"]?.text ?? ""
            }
            return aliasID == nil
        }
        guard let aliasID else { return .unchanged(.domain(before)) }
        let reply = try api.call(.DELETE, "/domains/\(domainID)/aliases/\(pathSegment(aliasID))")
        if reply.status != 404 { try expect(reply, "remove-alias \(alias) from", "domain \(change.key)") }
        return .applied(.domain(try domain(named: change.key) ?? d))
    }

    /// The requests of one update, in order (a PATCH, then a policy, aliases, rules): once
    /// one is done, a later one's failure is the change done in part (`VendorError.partial`),
    /// journaled `sent` so that resume reads it and undo restores it, never `failed`.
    final class UpdateSteps {
        let what: String
        private var done = false
        init(_ what: String) { self.what = what }

        func run<T>(_ body: () throws -> T) throws -> T {
            do {
                let result = try body()
                done = true
                return result
            } catch let e as VendorError where done {
                throw VendorError.madeInPart("\(what) was changed", e)
            }
        }

        /// A read between the steps: its failure after a step leaves the change done in
        /// part, but it is no step itself (nothing was changed by it).
        func read<T>(_ body: () throws -> T) throws -> T {
            do { return try body() } catch let e as VendorError where done {
                throw VendorError.madeInPart("\(what) was changed", e)
            }
        }
    }

    /// The requests that finish a create, sent once the object exists: their failure is
    /// the change done in part (`VendorError.partial`), which the journal keeps so that
    /// undo takes the object back; a 409 here is not "the object exists".
    func finishing<T>(_ made: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as VendorError { throw VendorError.madeInPart(made, e) }
    }

    /// The domain a change was made on, as the script held it.
    func beforeDomain(_ change: Change) -> Domain? {
        if case .domain(let d)? = change.before { return d }
        return nil
    }

    /// That domain's Cleanmail record (its raw), when it carries the id paths need.
    func recordKnown(_ change: Change) -> JSONObject? {
        guard let d = beforeDomain(change), d.name.lowercased() == change.key.lowercased(), case .string? = d.raw["id"]
        else { return nil }
        return Value.record(d.raw).json?.object
    }

    func createUser(_ u: User, _ change: Change) throws -> ChangeOutcome {
        guard let domainRecord = try record(named: u.domain) else {
            throw VendorError(
                vendor: vendor.name, kind: .invalid, code: "400",
                message: "create user \(u.email): domain \(u.domain) does not exist")
        }
        var body = JSONObject([
            ("email", .string(u.email)), ("status", .string(u.status.rawValue)),
            ("domainId", domainRecord["id"] ?? .null), ("sendNotification", false)
        ])
        var fields = change.fields
        fields["status"] = .enumCase(u.status.rawValue)
        CleanmailMapping.userFields(fields, of: u, into: &body)
        CleanmailUserFields.patch(Set(change.fields.keys), of: u, into: &body)
        if body["language"] == nil {
            body["language"] = .string((domainRecord["defaultLanguage"]?.string ?? "EN").uppercased())
        }
        guard
            let reply = try api.create("/users", body: .json(.object(body)), exists: { try userRecord(u.email) != nil })
        else {
            return .applied(.user(try user(email: u.email) ?? u))
        }
        let created = try expect(reply, "create", "user \(u.email)")
        guard let made = created.json?.object else { return .applied(.user(u)) }
        // Sender rules are not members of NewUser: the new mailbox's own list gets them.
        let allow = u.raw.value(atPath: ["wblist", "allow"])?.listValues.map(\.text)
        let block = u.raw.value(atPath: ["wblist", "block"])?.listValues.map(\.text)
        if allow != nil || block != nil {
            let owner = "/users/\(pathSegment(id(made)))"
            return try finishing("user \(u.email) was created") {
                try applySenderRules(
                    owner, what: u.email, current: [], allow: allow, block: block, steps: UpdateSteps(u.email))
                return .applied(.user(try user(email: u.email) ?? u))
            }
        }
        return .applied(.user(CleanmailMapping.user(made)))
    }
}
