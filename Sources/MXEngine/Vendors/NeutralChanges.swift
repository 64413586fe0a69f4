import MXModel

// What every adapter does with a change before speaking its vendor's language: work
// out the neutral object the change asks for, and whether it differs from what is
// there (if not, the change is "already as asked": idempotent re-runs).

/// Writes neutral fields through the schema's setters.
func assign(_ fields: Record, to d: inout Domain, vendor: String = "memory") throws {
    for (name, value) in fields.pairs {
        guard let i = Domain.fieldIndex[name], let set = Domain.fields[i].set else { continue }
        do { try set(&d, value) } catch { throw VendorError(vendor: vendor, code: "invalid", message: error.message) }
    }
}

func assign(_ fields: Record, to u: inout User, vendor: String = "memory") throws {
    for (name, value) in fields.pairs {
        guard let i = User.fieldIndex[name], let set = User.fields[i].set else { continue }
        do { try set(&u, value) } catch { throw VendorError(vendor: vendor, code: "invalid", message: error.message) }
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

/// The alias a change adds or removes.
func aliasName(_ change: Change, vendor: String) throws -> String {
    guard case .string(let alias)? = change.fields["alias"] else {
        throw VendorError(vendor: vendor, code: "invalid", message: "no alias given")
    }
    return alias.lowercased()
}

extension VendorError {
    static func notFound(_ vendor: String, _ kind: String, _ key: String) -> VendorError {
        VendorError(vendor: vendor, code: "not-found", message: "\(kind) \(key) does not exist")
    }
}
