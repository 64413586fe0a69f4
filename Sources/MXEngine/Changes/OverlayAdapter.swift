import MXJSON
import MXModel

/// A connection's adapter in plan mode (`--dry-run`, `mxsh plan`): reads go to the
/// vendor, changes go nowhere but here, and later reads see them. Nothing that
/// mutates is ever sent.
final class OverlayAdapter: Adapter {
    let base: any Adapter
    var vendor: Vendor { base.vendor }
    /// Planned state by lower-cased key; nil inside means "deleted".
    private var domains: [String: Domain?] = [:]
    private var domainOrder: [String] = []
    private var ordered = Set<String>()
    private var users: [String: User?] = [:]
    private var userOrder: [String] = []
    private var orderedUsers = Set<String>()
    private var settingsStore: [String: Settings] = [:]
    /// Planned objects of the vendor's own kinds, by `kind key` (lower-cased); nil: deleted.
    private var objectStore: [String: Settings?] = [:]
    private var objectOrder: [String] = []

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

    func object(_ kind: String, key: String) throws -> Settings? {
        if let planned = objectStore[Self.objectID(kind, key)] { return planned }
        return try base.object(kind, key: key)
    }

    func objects(_ kind: String, of owner: ObjectRef.Object?) throws -> [Settings] {
        try objects(kind, of: owner, search: [])
    }

    func content(of object: Settings) throws -> [UInt8] { try base.content(of: object) }

    func objects(_ kind: String, of owner: ObjectRef.Object?, search: [SearchTerm]) throws -> [Settings] {
        var out: [Settings] = []
        var seen = Set<String>()
        for s in try base.objects(kind, of: owner, search: search) {
            let id = Self.objectID(kind, s.key)
            seen.insert(id)
            if let planned = objectStore[id] { if let p = planned { out.append(p) } } else { out.append(s) }
        }
        let ownerKey = owner.map { ObjectRef(connection: "", object: $0).key.lowercased() }
        for id in objectOrder where !seen.contains(id) {
            guard let p = objectStore[id] ?? nil, p.kind == kind, ownerKey == nil || p.owner?.lowercased() == ownerKey
            else { continue }
            out.append(p)
        }
        return out
    }

    /// Reads go to the vendor; a write never gets here (`apply` plans it).
    func raw(_ request: RawRequest) throws -> JSON {
        guard base.rawIsRead(request) else {
            throw VendorError(
                vendor: vendor.name, kind: .refused, code: "plan", message: "a write is not sent while planning")
        }
        return try base.raw(request)
    }

    func rawIsRead(_ request: RawRequest) -> Bool { base.rawIsRead(request) }
    func tenant(_ key: String) throws -> any Adapter { try base.tenant(key) }

    /// A reading command asks the vendor even while planning: it changes nothing planned.
    func read(_ command: String, of subject: ObjectRef.Object) throws -> Settings {
        try base.read(command, of: subject)
    }

    static func objectID(_ kind: String, _ key: String) -> String { kind + " " + key.lowercased() }

    private func putObject(_ s: Settings?, kind: String, key: String) {
        let id = Self.objectID(kind, key)
        if objectStore[id] == nil { objectOrder.append(id) }
        objectStore[id] = .some(s)
    }

    // MARK: planning

    /// The neutral effect of a change, as the vendor would apply it: ChangeResolver's
    /// answer against the planned state, so "already as asked" is said exactly where
    /// the adapter would say it.
    func apply(_ change: Change) throws -> ChangeOutcome {
        guard vendor.operations.contains(change.operation) else {
            throw VendorError.unsupported(vendor, change.operation)
        }
        // A raw write cannot be previewed: the plan shows it as sent as written.
        if change.operation == .call { return .applied(nil) }
        let current: ObjectRef.Object?
        switch change.kind {
        case .domain: current = try domain(named: change.key).map { .domain($0) }
        case .user: current = try user(email: change.key).map { .user($0) }
        case .settings:
            current = try (change.resource.map { try object($0, key: change.key) } ?? settings(change.key)).map {
                .settings($0)
            }
        }
        let resolution: Resolution
        do {
            resolution = try ChangeResolver.resolve(
                change, current: current, vendor: vendor,
                isAnotherDomain: { [unowned self] name, _ in
                    try self.domain(named: name) != nil ? "a domain of its own" : nil
                })
        } catch var e as VendorError {
            e.message += " (planned)"
            throw e
        }
        switch resolution {
        case .alreadyAsAsked(let o):
            return .unchanged(o)
        case .create(.user(let u)):
            guard try domain(named: u.domain) != nil else {
                throw VendorError(
                    vendor: vendor.name, kind: .invalid, code: "invalid",
                    message: "create user \(u.email): domain \(u.domain) does not exist (planned)")
            }
            put(u)
            return .applied(.user(u))
        case .update(.user(let u), _) where change.objectCommand?.movesObject == true:
            // Moved: the mailbox is at its new address, in a domain that must exist, where
            // no mailbox is yet; and no longer at its old one.
            guard try domain(named: u.domain) != nil else {
                throw VendorError(
                    vendor: vendor.name, kind: .invalid, code: "invalid",
                    message: "\(change.operation.rawValue) \(change.key): domain \(u.domain) does not exist (planned)")
            }
            try refuseTaken(u.email, by: change)
            users[change.key.lowercased()] = .some(nil)
            remember(change.key.lowercased(), in: &userOrder, &orderedUsers)
            put(u)
            return .applied(.user(u))
        case .update(.settings(let s), _) where change.objectCommand?.movesObject == true:
            // Moved (a renamed alias): gone from its old key, there under its new one, if free.
            let kind = change.resource ?? s.kind
            try refuseTaken(s.key, by: change)
            putObject(nil, kind: kind, key: change.key)
            putObject(s, kind: kind, key: s.key)
            return .applied(.settings(s))
        case .create(let o), .update(let o, _):
            switch o {
            case .domain(let d): put(d)
            case .user(let u): put(u)
            case .settings(var s):
                // A credential is sent, never kept: the plan shows it was set, not its value.
                let kind = vendor.resources.kind(change.resource ?? change.key)
                for k in s.fields.keys where kind?.field(k)?.isSecret == true { s.fields[k] = nil }
                if let resource = change.resource {
                    putObject(s, kind: resource, key: change.key)
                } else {
                    settingsStore[change.key] = s
                }
                return .applied(.settings(s))
            }
            return .applied(o)
        case .delete(.settings):
            putObject(nil, kind: change.resource ?? change.key, key: change.key)
            return .applied(nil)
        case .delete(.user):
            users[change.key.lowercased()] = .some(nil)
            remember(change.key.lowercased(), in: &userOrder, &orderedUsers)
            return .applied(nil)
        case .delete:
            domains[change.key.lowercased()] = .some(nil)
            remember(change.key.lowercased(), in: &domainOrder, &ordered)
            return .applied(nil)
        }
    }

    /// A move onto an address another mailbox or address-keyed object (an alias) holds is
    /// refused, as the vendor refuses it: an address is one object's. The moving object
    /// itself (its address in other letters) does not count.
    private func refuseTaken(_ address: String, by change: Change) throws {
        let wanted = address.lowercased()
        guard wanted != change.key.lowercased() else { return }
        var taken = try user(email: address) != nil
        for kind in vendor.resources.kinds where !taken && kind.kind == .settings && kind.key == "email" {
            taken = try object(kind.name, key: wanted) != nil
        }
        guard taken else { return }
        throw VendorError(
            vendor: vendor.name, kind: .exists, code: "exists",
            message: "\(change.operation.rawValue) \(change.key): \(address) is taken (planned)")
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
