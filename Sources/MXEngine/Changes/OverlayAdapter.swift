import MXModel

/// A connection's adapter in plan mode (`--dry-run`, `mxsh plan`): reads go to the
/// vendor, changes go nowhere but here, and later reads see them. Nothing that
/// mutates is ever sent.
final class OverlayAdapter: Adapter {
    let base: any Adapter
    var capabilities: VendorCapabilities { base.capabilities }
    /// Planned state by lower-cased key; nil inside means "deleted".
    private var domains: [String: Domain?] = [:]
    private var domainOrder: [String] = []
    private var ordered = Set<String>()
    private var users: [String: User?] = [:]
    private var userOrder: [String] = []
    private var orderedUsers = Set<String>()
    private var settingsStore: [String: Settings] = [:]

    init(base: any Adapter) { self.base = base }

    // MARK: reading through the overlay

    func forEachDomain(matching query: DomainQuery, _ body: (Domain) throws -> Bool) throws {
        var seen = Set<String>()
        var stopped = false
        try base.forEachDomain(matching: query) { d in
            let key = d.name.lowercased()
            seen.insert(key)
            guard let planned = domains[key] else {
                stopped = try !body(d)
                return !stopped
            }
            guard let p = planned else { return true }
            stopped = try !body(p)
            return !stopped
        }
        if stopped { return }
        // Created, or changed so that the vendor's own filter no longer returns them:
        // the interpreter's `where` decides.
        for key in domainOrder where !seen.contains(key) {
            if let p = domains[key] ?? nil, try !body(p) { return }
        }
    }

    /// Planned domains were read whole; the vendor's fill in the rest.
    func complete(_ domains: [Domain]) throws -> [Domain] { try base.complete(domains) }
    func stored(_ domain: Domain) -> Domain { base.stored(domain) }
    func capacity(_ kind: ObjectKind) throws -> Int? { try base.capacity(kind) }

    func domain(named name: String) throws -> Domain? {
        if let planned = domains[name.lowercased()] { return planned }
        return try base.domain(named: name)
    }

    func forEachUser(domain: String?, _ body: (User) throws -> Bool) throws {
        var seen = Set<String>()
        var stopped = false
        try base.forEachUser(domain: domain) { u in
            let key = u.email.lowercased()
            seen.insert(key)
            guard let planned = users[key] else {
                stopped = try !body(u)
                return !stopped
            }
            guard let p = planned else { return true }
            stopped = try !body(p)
            return !stopped
        }
        if stopped { return }
        for key in userOrder where !seen.contains(key) {
            if let p = users[key] ?? nil, domain == nil || p.domain == domain, try !body(p) { return }
        }
    }

    func user(email: String) throws -> User? {
        if let planned = users[email.lowercased()] { return planned }
        return try base.user(email: email)
    }

    func settings(_ name: String) throws -> Settings? {
        if let s = settingsStore[name] { return s }
        return try base.settings(name)
    }

    // MARK: planning

    /// The neutral effect of a change, as the vendor would apply it; "already as asked"
    /// exactly where the adapter would say so.
    func apply(_ change: Change) throws -> ChangeOutcome {
        let vendor = capabilities.vendor
        switch change.operation {
        case .createDomain:
            var d = Domain(name: change.key.lowercased(), status: .enabled, aliases: [], failovers: [], relay: false, allow: [], block: [])
            try assign(change.fields, to: &d, vendor: vendor)
            // What this vendor has no such thing for reads as none there, planned or not.
            for f in Domain.fields where f.name != "name" && f.name != "status" && capabilities.access(.domain, f.name) == .absent {
                try? f.set?(&d, .none)
            }
            if let existing = try domain(named: change.key) {
                let differ = differing(existing, d, change.fields)
                if differ.isEmpty { return .unchanged(.domain(existing)) }
                throw VendorError(vendor: vendor, code: "exists",
                                  message: "create domain \(change.key): already exists with other values of \(differ.joined(separator: ", ")) (planned)")
            }
            put(d)
            return .applied(.domain(d))
        case .updateDomain, .addAlias, .removeAlias, .setCredential:
            guard let current = try domain(named: change.key) else { throw VendorError.notFound(vendor, "domain", change.key) }
            var d = current
            switch change.operation {
            case .updateDomain:
                try assign(change.fields, to: &d, vendor: vendor)
                if differing(current, d, change.fields).isEmpty { return .unchanged(.domain(current)) }
            case .setCredential:
                // Nothing neutral changes; the vendor checks the credential when applied.
                return .applied(.domain(current))
            default:
                let alias = try aliasName(change, vendor: vendor)
                var aliases = current.aliases ?? []
                let has = aliases.contains { $0.lowercased() == alias }
                if has == (change.operation == .addAlias) { return .unchanged(.domain(current)) }
                if has { aliases.removeAll { $0.lowercased() == alias } } else { aliases.append(alias) }
                d.aliases = aliases
            }
            put(d)
            return .applied(.domain(d))
        case .deleteDomain:
            guard try domain(named: change.key) != nil else { return .unchanged(nil) }
            domains[change.key.lowercased()] = .some(nil)
            remember(change.key.lowercased(), in: &domainOrder, &ordered)
            return .applied(nil)
        case .createUser:
            var u = User(email: change.key.lowercased())
            try assign(change.fields, to: &u, vendor: vendor)
            if let existing = try user(email: change.key) {
                if differing(existing, u, change.fields).isEmpty { return .unchanged(.user(existing)) }
                throw VendorError(vendor: vendor, code: "exists", message: "create user \(change.key): already exists with other values (planned)")
            }
            guard try domain(named: u.domain) != nil else {
                throw VendorError(vendor: vendor, code: "not-found", message: "create user \(u.email): domain \(u.domain) does not exist (planned)")
            }
            put(u)
            return .applied(.user(u))
        case .updateUser:
            guard let current = try user(email: change.key) else { throw VendorError.notFound(vendor, "user", change.key) }
            var u = current
            try assign(change.fields, to: &u, vendor: vendor)
            if differing(current, u, change.fields).isEmpty { return .unchanged(.user(current)) }
            put(u)
            return .applied(.user(u))
        case .deleteUser:
            guard try user(email: change.key) != nil else { return .unchanged(nil) }
            users[change.key.lowercased()] = .some(nil)
            remember(change.key.lowercased(), in: &userOrder, &orderedUsers)
            return .applied(nil)
        case .updateSettings:
            var s = try settings(change.key) ?? Settings(kind: change.key, fields: Record())
            let before = s.fields
            for (k, v) in change.fields.pairs where k != "password" { s.fields[k] = v }
            if change.fields["password"] == nil, s.fields.equalsFields(before, change.fields.keys) { return .unchanged(.settings(s)) }
            settingsStore[change.key] = s
            return .applied(.settings(s))
        }
    }

    private func put(_ d: Domain) {
        let key = d.name.lowercased()
        domains[key] = .some(d)
        remember(key, in: &domainOrder, &ordered)
    }

    private func put(_ u: User) {
        let key = u.email.lowercased()
        users[key] = .some(u)
        remember(key, in: &userOrder, &orderedUsers)
    }

    private func remember(_ key: String, in order: inout [String], _ known: inout Set<String>) {
        if known.insert(key).inserted { order.append(key) }
    }
}
