import MXModel

/// Neutral objects kept in the process: `connect memory as m [seed=N|"demo"]`. The
/// engine's own test double and a scratch space, never a stand-in for a vendor's API.
public final class MemoryAdapter: Adapter {
    public let capabilities = VendorCatalog.memory
    private var domains: [Domain?] = []
    private var domainIndex: [String: Int] = [:]
    private var users: [User?] = []
    private var userIndex: [String: Int] = [:]

    public init() {}

    public var domainCount: Int { domainIndex.count }

    func reserve(_ n: Int) {
        domains.reserveCapacity(domains.count + n)
        domainIndex.reserveCapacity(domainIndex.count + n)
    }

    public func insert(_ d: Domain) {
        if let i = domainIndex[d.name] { domains[i] = d; return }
        domainIndex[d.name] = domains.count
        domains.append(d)
    }

    public func insert(_ u: User) {
        if let i = userIndex[u.email] { users[i] = u; return }
        userIndex[u.email] = users.count
        users.append(u)
    }

    public func forEachDomain(matching query: DomainQuery, _ body: (Domain) throws -> Bool) throws {
        for case let d? in domains {
            if try !body(d) { return }
        }
    }

    public func domain(named name: String) throws -> Domain? {
        domainIndex[name].flatMap { domains[$0] }
    }

    public func forEachUser(domain: String?, _ body: (User) throws -> Bool) throws {
        for case let u? in users where domain == nil || u.domain == domain {
            if try !body(u) { return }
        }
    }

    public func user(email: String) throws -> User? {
        userIndex[email].flatMap { users[$0] }
    }

    public func settings(_ name: String) throws -> Settings? { nil }

    public func apply(_ change: Change) throws -> ChangeOutcome {
        switch change.operation {
        case .createDomain:
            var d = Domain(name: change.key, aliases: [], relay: false, allow: [], block: [])
            try assign(change.fields, to: &d)
            if let existing = try domain(named: change.key) {
                if differing(existing, d, change.fields).isEmpty { return .unchanged(.domain(existing)) }
                throw VendorError(vendor: "memory", code: "exists",
                                  message: "domain \(change.key) already exists with other values of \(differing(existing, d, change.fields).joined(separator: ", "))")
            }
            insert(d)
            return .applied(.domain(d))
        case .updateDomain:
            var d = try existingDomain(change.key)
            let before = d
            try assign(change.fields, to: &d)
            if differing(before, d, change.fields).isEmpty { return .unchanged(.domain(d)) }
            insert(d)
            return .applied(.domain(d))
        case .deleteDomain:
            guard let i = domainIndex[change.key] else { return .unchanged(nil) }
            domains[i] = nil
            domainIndex[change.key] = nil
            return .applied(nil)
        case .addAlias, .removeAlias:
            var d = try existingDomain(change.key)
            guard case .string(let alias)? = change.fields["alias"] else {
                throw VendorError(vendor: "memory", code: "invalid", message: "no alias given")
            }
            var aliases = d.aliases ?? []
            let has = aliases.contains(alias)
            if change.operation == .addAlias {
                if has { return .unchanged(.domain(d)) }
                aliases.append(alias)
            } else {
                if !has { return .unchanged(.domain(d)) }
                aliases.removeAll { $0 == alias }
            }
            d.aliases = aliases
            insert(d)
            return .applied(.domain(d))
        case .createUser:
            var u = User(email: change.key)
            try assign(change.fields, to: &u)
            if let existing = try user(email: change.key) {
                if User.fields.allSatisfy({ f in change.fields[f.name] == nil || f.get(existing).equals(f.get(u)) }) {
                    return .unchanged(.user(existing))
                }
                throw VendorError(vendor: "memory", code: "exists", message: "user \(change.key) already exists with other values")
            }
            guard domainIndex[u.domain] != nil else {
                throw VendorError(vendor: "memory", code: "not-found", message: "domain \(u.domain) does not exist")
            }
            insert(u)
            return .applied(.user(u))
        case .updateUser:
            guard var u = try user(email: change.key) else {
                throw VendorError(vendor: "memory", code: "not-found", message: "user \(change.key) does not exist")
            }
            try assign(change.fields, to: &u)
            insert(u)
            return .applied(.user(u))
        case .deleteUser:
            guard let i = userIndex[change.key] else { return .unchanged(nil) }
            users[i] = nil
            userIndex[change.key] = nil
            return .applied(nil)
        case .updateSettings, .setCredential:
            throw VendorError(vendor: "memory", code: "unsupported", message: "the memory vendor has no \(change.operation.rawValue)")
        }
    }

    private func existingDomain(_ name: String) throws -> Domain {
        guard let d = try domain(named: name) else {
            throw VendorError(vendor: "memory", code: "not-found", message: "domain \(name) does not exist")
        }
        return d
    }

}
