import MXModel

/// Neutral objects kept in the process: `connect memory as m [seed=N|"demo"]`. The
/// engine's own test double and a scratch space, never a stand-in for a vendor's API.
/// Names are kept as written and found without regard to case, as at every vendor.
public final class MemoryAdapter: ResolvingAdapter {
    public var vendor: Vendor { .memory }
    private var domains: [Domain?] = []
    private var domainIndex: [String: Int] = [:]
    private var users: [User?] = []
    private var userIndex: [String: Int] = [:]
    /// Alias -> the domain holding it: built the first time a change asks (a million
    /// seeded domains need none), then kept up by insert and delete.
    private var aliasHolders: [String: String]?

    public init() {}

    static func connect(_ context: ConnectContext) throws -> any Adapter {
        let adapter = MemoryAdapter()
        guard let (seed, range) = context.options.values["seed"] else { return adapter }
        switch seed {
        case .string("demo"): adapter.seedDemo()
        case .number(let n) where n >= 0 && n <= 50_000_000: adapter.seed(count: Int(n))
        default: throw RuntimeError("seed is \"demo\" or a number of domains, not \(seed.literal)", at: range)
        }
        return adapter
    }

    public var domainCount: Int { domainIndex.count }

    func reserve(_ n: Int) {
        domains.reserveCapacity(domains.count + n)
        domainIndex.reserveCapacity(domainIndex.count + n)
    }

    public func insert(_ d: Domain) {
        let key = d.name.lowercased()
        if aliasHolders != nil {
            if let i = domainIndex[key], let old = domains[i] { forgetAliases(of: old) }
            for a in d.aliases ?? [] { aliasHolders?[a.lowercased()] = d.name }
        }
        if let i = domainIndex[key] { domains[i] = d; return }
        domainIndex[key] = domains.count
        domains.append(d)
    }

    private func forgetAliases(of d: Domain) {
        for a in d.aliases ?? [] where aliasHolders?[a.lowercased()]?.lowercased() == d.name.lowercased() {
            aliasHolders?[a.lowercased()] = nil
        }
    }

    /// The domain holding `name` as an alias. OpenSRS and Cleanmail refuse a name taken
    /// so, as an alias of another domain or as a domain of its own: so does this one.
    func aliasHolder(of name: String) -> String? {
        if aliasHolders == nil {
            var holders: [String: String] = [:]
            for case let d? in domains { for a in d.aliases ?? [] { holders[a.lowercased()] = d.name } }
            aliasHolders = holders
        }
        return aliasHolders?[name.lowercased()]
    }

    public func insert(_ u: User) {
        let key = u.email.lowercased()
        if let i = userIndex[key] { users[i] = u; return }
        userIndex[key] = users.count
        users.append(u)
    }

    public func forEachDomain(matching query: DomainQuery, _ body: (Domain) throws -> Bool) throws {
        let filters = query != .all
        for case let d? in domains where !filters || query.mayMatch(d) {
            if try !body(d) { return }
        }
    }

    public func domain(named name: String) throws -> Domain? {
        domainIndex[name.lowercased()].flatMap { domains[$0] }
    }

    public func forEachUser(domain: String?, _ body: (User) throws -> Bool) throws {
        let domain = domain?.lowercased()
        for case let u? in users where domain == nil || u.domain.lowercased() == domain {
            if try !body(u) { return }
        }
    }

    public func user(email: String) throws -> User? {
        userIndex[email.lowercased()].flatMap { users[$0] }
    }

    public func settings(_ name: String) throws -> Settings? { nil }

    // MARK: changes (their meaning is ChangeResolver's)

    public func apply(_ change: Change) throws -> ChangeOutcome { try resolveAndApply(change) }
    public func applyAll(_ changes: [Change], willSend: ((Int, ObjectRef.Object?) throws -> Void)?)
        -> [Result<ChangeOutcome, any Error>]
    {
        resolvingApplyAll(changes, willSend: willSend)
    }

    var anotherDomain: ((_ name: String, _ domain: String) throws -> String?)? {
        { [unowned self] name, domain in
            if self.domainIndex[name] != nil { return "a domain of its own" }
            // `set d aliases=(d.aliases + [...])`: the aliases d holds are not taken.
            guard let holder = self.aliasHolder(of: name), holder.lowercased() != domain.lowercased() else {
                return nil
            }
            return "an alias of \(holder)"
        }
    }

    func current(for change: Change) throws -> ObjectRef.Object? {
        switch change.kind {
        case .domain: return try domain(named: change.key).map { .domain($0) }
        case .user: return try user(email: change.key).map { .user($0) }
        case .settings: return nil
        }
    }

    func create(_ object: ObjectRef.Object, _ change: Change) throws -> ChangeOutcome {
        switch object {
        case .domain(let d):
            if let holder = aliasHolder(of: d.name) {
                throw VendorError(
                    vendor: vendor.name, kind: .exists, code: "exists",
                    message: "\(d.name) is an alias of \(holder), so it cannot be a domain of its own")
            }
            insert(d)
        case .user(let u):
            guard domainIndex[u.domain.lowercased()] != nil else {
                throw VendorError(
                    vendor: vendor.name, kind: .invalid, code: "invalid",
                    message: "create user \(u.email): domain \(u.domain) does not exist")
            }
            insert(u)
        case .settings:
            throw VendorError.unsupported(vendor, change.operation)
        }
        return .applied(object)
    }

    func update(_ object: ObjectRef.Object, changed: [String], from current: ObjectRef.Object, _ change: Change) throws
        -> ChangeOutcome
    {
        switch object {
        case .domain(let d): insert(d)
        case .user(let u): insert(u)
        case .settings: throw VendorError.unsupported(vendor, change.operation)
        }
        return .applied(object)
    }

    func delete(_ object: ObjectRef.Object, _ change: Change) throws -> ChangeOutcome {
        switch object {
        case .domain(let d):
            let key = d.name.lowercased()
            if let i = domainIndex[key] {
                if let old = domains[i] { forgetAliases(of: old) }
                domains[i] = nil
                domainIndex[key] = nil
            }
        case .user(let u):
            let key = u.email.lowercased()
            if let i = userIndex[key] { users[i] = nil; userIndex[key] = nil }
        case .settings:
            throw VendorError.unsupported(vendor, change.operation)
        }
        return .applied(nil)
    }
}
