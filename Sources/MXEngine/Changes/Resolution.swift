import MXModel

/// What a change means against the object's current state: the one place that decides
/// "already as asked", "create", "update these fields", "delete", "exists with other
/// values" and "does not exist". Pure (no vendor, no I/O): the memory vendor, the plan
/// overlay and every adapter call it, and the conformance suite runs one table of
/// scenarios against all of them.
public enum Resolution {
    /// Nothing to send: the object already is as asked (or, for a delete, is absent).
    case alreadyAsAsked(ObjectRef.Object?)
    /// The object to create, with the neutral fields the change gave.
    case create(ObjectRef.Object)
    /// The object as it will be, and the fields whose values change.
    case update(ObjectRef.Object, changed: [String])
    /// The object that will be deleted.
    case delete(ObjectRef.Object)
}

public enum ChangeResolver {
    /// `current` is the object now (nil when absent). `isAnotherDomain` says what other
    /// than `domain` holds a name at the same connection ("a domain of its own", "an
    /// alias of x.com"), where the caller can tell.
    public static func resolve(
        _ change: Change, current: ObjectRef.Object?, vendor: Vendor,
        isAnotherDomain: ((_ name: String, _ domain: String) throws -> String?)? = nil
    ) throws -> Resolution {
        let v = vendor.name
        switch change.operation {
        case .createDomain:
            var d = Domain(
                name: change.key.lowercased(), status: .enabled, aliases: [], failovers: [], relay: false,
                allow: [], block: [])
            // What this vendor has no such thing for reads as none there.
            for f in Domain.fields where f.name != "name" && f.name != "status" && vendor.field(.domain, f.name) == nil
            {
                try? f.set?(&d, .none)
            }
            try assign(change.fields, to: &d, vendor: v)
            _ = assignVendorFields(change.fields, kind: .domain, to: &d.raw, vendor: vendor)
            try checkAliases(d.aliases ?? [], of: d.name, vendor: v, isAnotherDomain: isAnotherDomain)
            guard case .domain(let existing)? = current else { return .create(.domain(d)) }
            var raw = existing.raw
            return try createMeetsExisting(
                current, "domain \(d.name)",
                differing(existing, d, change.fields)
                    + assignVendorFields(change.fields, kind: .domain, to: &raw, vendor: vendor), vendor: v)
        case .updateDomain:
            guard case .domain(let existing)? = current else { throw VendorError.notFound(v, "domain", change.key) }
            var d = existing
            try assign(change.fields, to: &d, vendor: v)
            if change.fields["aliases"] != nil {
                try checkAliases(d.aliases ?? [], of: d.name, vendor: v, isAnotherDomain: isAnotherDomain)
            }
            let changed =
                differing(existing, d, change.fields)
                + assignVendorFields(change.fields, kind: .domain, to: &d.raw, vendor: vendor)
            return changed.isEmpty ? .alreadyAsAsked(current) : .update(.domain(d), changed: changed)
        case .addAlias, .removeAlias:
            guard case .domain(let existing)? = current else { throw VendorError.notFound(v, "domain", change.key) }
            let alias = try aliasName(change, vendor: v)
            guard var aliases = existing.aliases else {
                // Unknown is never empty: a list written from an unread one would drop
                // every alias the vendor did not return.
                throw VendorError(
                    vendor: v, kind: .reply, code: "unknown",
                    message:
                        "the vendor did not return the aliases of \(existing.name), so they are unknown: nothing is "
                        + "sent"
                )
            }
            let has = aliases.contains { $0.lowercased() == alias }
            if change.operation == .addAlias {
                if has { return .alreadyAsAsked(current) }
                try checkAliases([alias], of: existing.name, vendor: v, isAnotherDomain: isAnotherDomain)
                aliases.append(alias)
            } else {
                if !has { return .alreadyAsAsked(current) }
                aliases.removeAll { $0.lowercased() == alias }
            }
            var d = existing
            d.aliases = aliases
            return .update(.domain(d), changed: ["aliases"])
        case .deleteDomain, .deleteUser:
            guard let current else { return .alreadyAsAsked(nil) }
            return .delete(current)
        case .createUser:
            var u = User(email: change.key.lowercased())
            try assign(change.fields, to: &u, vendor: v)
            _ = assignVendorFields(change.fields, kind: .user, to: &u.raw, vendor: vendor)
            guard case .user(let existing)? = current else { return .create(.user(u)) }
            var raw = existing.raw
            return try createMeetsExisting(
                current, "user \(u.email)",
                differing(existing, u, change.fields)
                    + assignVendorFields(change.fields, kind: .user, to: &raw, vendor: vendor), vendor: v)
        case .updateUser:
            guard case .user(let existing)? = current else { throw VendorError.notFound(v, "user", change.key) }
            var u = existing
            try assign(change.fields, to: &u, vendor: v)
            let changed =
                differing(existing, u, change.fields)
                + assignVendorFields(change.fields, kind: .user, to: &u.raw, vendor: vendor)
            return changed.isEmpty ? .alreadyAsAsked(current) : .update(.user(u), changed: changed)
        case .updateSettings:
            var s: Settings
            if case .settings(let existing)? = current {
                s = existing
            } else if let resource = change.resource {
                throw VendorError.notFound(v, resource, change.key)
            } else {
                s = Settings(kind: change.key, fields: Record())
            }
            var changed: [String] = []
            for (k, value) in change.fields.pairs {
                // A credential is never read back, so it always counts as a change.
                if case .secret = value { changed.append(k); continue }
                if !(s.fields[k] ?? .none).equals(value) { changed.append(k) }
                s.fields[k] = value
            }
            return changed.isEmpty ? .alreadyAsAsked(current) : .update(.settings(s), changed: changed)
        case .setCredential:
            guard let current else { throw VendorError.notFound(v, "domain", change.key) }
            return .update(current, changed: ["credential"])
        default:
            return try resolveObjectCommand(change, current: current, vendor: vendor)
        }
    }

    /// A command on a vendor's own kind of object (`create-group`, `add-member`,
    /// `release`), by the effect its table declares.
    static func resolveObjectCommand(_ change: Change, current: ObjectRef.Object?, vendor: Vendor) throws -> Resolution
    {
        let v = vendor.name
        let resource = change.resource ?? change.kind.rawValue
        guard let (_, command) = vendor.resources.command(change.operation.rawValue),
            change.resource != nil || change.kind != .settings
        else {
            throw VendorError.unsupported(vendor, change.operation)
        }
        let existing: Settings?
        if case .settings(let s)? = current { existing = s } else { existing = nil }
        switch command.effect {
        case .create:
            let optionNames = Set(command.options.map(\.name))
            let fields = Record(change.fields.pairs.filter { !optionNames.contains($0.0) })
            var made = Settings(kind: resource, key: change.key, owner: change.owner, fields: fields)
            // The field that names it is known before the vendor answers (a group's address).
            if let keyField = vendor.resources.kind(resource)?.key, made.fields[keyField] == nil {
                made.fields[keyField] = .string(change.key)
            }
            // ... and so are the fields the key is made of (a filter's filter and domain).
            for (name, part) in vendor.resources.kind(resource)?.keyParts?.split(change.key) ?? []
            where made.fields[name] == nil {
                made.fields[name] = .string(part)
            }
            guard let existing else { return .create(.settings(made)) }
            let differ = fields.pairs.filter { k, value in !(existing.fields[k] ?? .none).equals(value) }.map(\.0)
            return try createMeetsExisting(current, "\(resource) \(change.key)", differ, vendor: v)
        case .delete:
            guard let current else { return .alreadyAsAsked(nil) }
            return .delete(current)
        case .addTo(let field), .removeFrom(let field):
            guard var s = existing else { throw VendorError.notFound(v, resource, change.key) }
            guard let param = command.params.first?.name, let item = change.fields[param]?.text.lowercased() else {
                throw VendorError(vendor: v, kind: .invalid, code: "invalid", message: "\(command.name) needs a value")
            }
            guard case .list(var items)? = s.fields[field] else {
                // Unknown is never empty: a list written from an unread one would lose members.
                throw VendorError(
                    vendor: v, kind: .reply, code: "unknown",
                    message:
                        "the vendor did not return the \(field) of \(resource) \(change.key), so they are unknown: "
                        + "nothing is sent"
                )
            }
            let has = items.contains { $0.text.lowercased() == item }
            if case .addTo = command.effect {
                if has { return .alreadyAsAsked(current) }
                items.append(.string(item))
            } else {
                if !has { return .alreadyAsAsked(current) }
                items.removeAll { $0.text.lowercased() == item }
            }
            s.fields[field] = .list(items)
            return .update(.settings(s), changed: [field])
        case .action:
            guard let current else { throw VendorError.notFound(v, resource, change.key) }
            if command.movesObject { return try moved(current, by: change, command, vendor: vendor) }
            return .update(current, changed: [command.name])
        case .read:
            throw VendorError(
                vendor: v, kind: .invalid, code: "invalid", message: "\(command.name) reads; it is not a change")
        case .restore:
            if let current { return .alreadyAsAsked(current) }
            // What comes back is the vendor's to say; the placeholder only names it.
            let placeholder: ObjectRef.Object =
                change.kind == .user ? .user(User(email: change.key)) : .domain(Domain(name: change.key))
            return .create(placeholder)
        }
    }

    /// Where a move (`move-user u "new@x"`, `rename-group g "team@x"`) puts its object: the
    /// same object under the address its first parameter gives, so a plan (and a variable
    /// while the change is in flight) follows it there as a run does.
    static func moved(_ current: ObjectRef.Object, by change: Change, _ command: ObjectCommand, vendor: Vendor)
        throws -> Resolution
    {
        let given = command.params.first.flatMap { change.fields[$0.name] }
        guard case .string(let text)? = given, let address = try? EmailAddress.normalize(text) else {
            throw VendorError(
                vendor: vendor.name, kind: .invalid, code: "invalid",
                message: "\(command.name) \(change.key): \(given?.literal ?? "none") is not an email address")
        }
        if address == change.key.lowercased() { return .alreadyAsAsked(current) }
        let domain = String(address.split(separator: "@").last ?? "")
        switch current {
        case .user(var u):
            // In another domain the fields the vendor sets anew there (a policy) are unknown
            // until it answers, not the old domain's.
            if domain != u.domain.lowercased() {
                for name in command.resetAcrossDomains {
                    if let path = vendor.resource(.user)?.field(name)?.wirePath { u.raw.removeValue(atPath: path) }
                }
            }
            u.email = address
            u.domain = domain
            return .update(.user(u), changed: [command.name])
        case .settings(var s):
            // It hangs off its domain, and stays there: the vendor refuses another domain.
            if let owner = s.owner, domain != owner.lowercased() {
                throw VendorError(
                    vendor: vendor.name, kind: .invalid, code: "invalid",
                    message: "\(command.name) \(change.key): \(address) is not of its domain \(owner); nothing is sent")
            }
            if let keyField = vendor.resources.kind(s.kind)?.key { s.fields[keyField] = .string(address) }
            s.key = address
            return .update(.settings(s), changed: [command.name])
        case .domain:
            return .update(current, changed: [command.name])
        }
    }

    /// A create whose object exists: "already as asked" when no field the change gives
    /// differs, else the conflict naming the fields.
    static func createMeetsExisting(_ current: ObjectRef.Object?, _ what: String, _ differ: [String], vendor: String)
        throws -> Resolution
    {
        if differ.isEmpty { return .alreadyAsAsked(current) }
        throw VendorError(
            vendor: vendor, kind: .exists, code: "exists",
            message: "\(what) already exists with other values of \(differ.joined(separator: ", "))")
    }

    /// An alias is a name of its own: not the domain itself, nor another domain.
    static func checkAliases(
        _ aliases: [String], of domain: String, vendor: String,
        isAnotherDomain: ((_ name: String, _ domain: String) throws -> String?)?
    ) throws {
        var seen: Set<String> = []
        for alias in aliases {
            // An alias given twice (`["y.com", "Y.com"]`) was kept twice.
            if !seen.insert(alias.lowercased()).inserted {
                throw VendorError(
                    vendor: vendor, kind: .invalid, code: "invalid",
                    message: "\(alias) is given twice in the aliases of \(domain)", hints: [("aliases", "a repeat")])
            }
            if alias.lowercased() == domain.lowercased() {
                throw VendorError(
                    vendor: vendor, kind: .invalid, code: "invalid",
                    message: "\(alias) cannot be an alias of itself", hints: [("aliases", "the domain's own name")])
            }
            if let isAnotherDomain, let holder = try isAnotherDomain(alias.lowercased(), domain) {
                throw VendorError(
                    vendor: vendor, kind: .exists, code: "exists",
                    message: "\(alias) is \(holder), so it cannot be an alias of \(domain)",
                    hints: [("aliases", "another domain")])
            }
        }
    }
}

/// Writes the vendor's own fields (those not in the neutral model) into the record at
/// their wire path; returns the names whose values change.
func assignVendorFields(_ fields: Record, kind: ObjectKind, to raw: inout Record, vendor: Vendor) -> [String] {
    var changed: [String] = []
    for (name, value) in fields.pairs {
        guard let spec = vendor.field(kind, name), !spec.neutral else { continue }
        let path = spec.wirePath
        if !(raw.value(atPath: path) ?? .none).equals(value) { changed.append(name) }
        raw.set(value, atPath: path)
    }
    return changed
}

/// Writes neutral fields through the schema's setters.
func assign(_ fields: Record, to d: inout Domain, vendor: String) throws {
    for (name, value) in fields.pairs {
        guard let i = Domain.fieldIndex[name], let set = Domain.fields[i].set else { continue }
        do { try set(&d, value) } catch {
            throw VendorError(vendor: vendor, kind: .invalid, code: "invalid", message: error.message)
        }
    }
    if let a = d.aliases { d.aliases = a.map { $0.lowercased() } }
}

func assign(_ fields: Record, to u: inout User, vendor: String) throws {
    for (name, value) in fields.pairs {
        guard let i = User.fieldIndex[name], let set = User.fields[i].set else { continue }
        do { try set(&u, value) } catch {
            throw VendorError(vendor: vendor, kind: .invalid, code: "invalid", message: error.message)
        }
    }
}

/// The names among `fields` whose values differ between `a` and `b`.
func differing(_ a: Domain, _ b: Domain, _ fields: Record) -> [String] {
    fields.keys.filter { name in
        guard let i = Domain.fieldIndex[name] else { return false }
        return !Domain.fields[i].same(a, b)
    }
}

func differing(_ a: User, _ b: User, _ fields: Record) -> [String] {
    fields.keys.filter { name in
        guard let i = User.fieldIndex[name] else { return false }
        return !User.fields[i].same(a, b)
    }
}

/// The alias a change adds or removes, in lower case (names compare without case).
func aliasName(_ change: Change, vendor: String) throws -> String {
    guard case .string(let alias)? = change.fields["alias"] else {
        throw VendorError(vendor: vendor, kind: .invalid, code: "invalid", message: "no alias given")
    }
    return alias.lowercased()
}
