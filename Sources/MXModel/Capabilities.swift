/// An operation a vendor may or may not support; commands name the one they need.
public enum Operation: String, CaseIterable, Sendable {
    case createDomain = "create-domain"
    case updateDomain = "set domain"
    case deleteDomain = "delete-domain"
    case addAlias = "add-alias"
    case removeAlias = "remove-alias"
    case createUser = "create-user"
    case updateUser = "set user"
    case deleteUser = "delete-user"
    case updateSettings = "set settings"
    case setCredential = "set-credential"
}

/// What one vendor can read and write, straight from DESIGN.md's mapping table. The
/// static check, `help vendors` and the migration report all read this declaration.
public struct VendorCapabilities: Sendable {
    public enum Access: String, Sendable { case readWrite = "rw", readOnly = "r", absent = "-" }

    public let vendor: String
    public let product: String
    public let domainFields: [String: Access]
    public let userFields: [String: Access]
    public let operations: Set<Operation>
    /// Settings objects reachable as `conn.<name>`.
    public let settings: [String]
    /// `connect` options this vendor understands.
    public let options: [String]
    /// Domain fields without which the vendor refuses to create a domain.
    public var requiredToCreate: [String] = []
    /// Options whose values are credentials: wrapped as secrets, kept out of history.
    public static let credentialOptions: Set<String> = ["password", "token", "api_key", "secret"]

    public func access(_ kind: ObjectKind, _ field: String) -> Access {
        switch kind {
        case .domain: return domainFields[field] ?? .absent
        case .user: return userFields[field] ?? .absent
        case .settings: return .readWrite
        }
    }
}

private func fields(_ spec: [(String, VendorCapabilities.Access)]) -> [String: VendorCapabilities.Access] {
    Dictionary(uniqueKeysWithValues: spec)
}

private let standardUserFields = fields([
    ("email", .readOnly), ("name", .readWrite), ("status", .readWrite), ("aliases", .readWrite),
    ("language", .readWrite), ("domain", .readOnly),
])

public enum VendorCatalog {
    public static let proofpoint = VendorCapabilities(
        vendor: "proofpoint", product: "Proofpoint Essentials REST API v1",
        domainFields: fields([("name", .readOnly), ("status", .readWrite), ("destination", .readWrite),
                              ("failovers", .readWrite), ("relay", .readWrite)]),
        userFields: fields([("email", .readOnly), ("name", .readWrite), ("status", .readWrite),
                            ("aliases", .readWrite), ("domain", .readOnly)]),
        operations: [.createDomain, .updateDomain, .deleteDomain, .createUser, .updateUser, .deleteUser],
        settings: [], options: ["url", "stack", "org", "user", "password", "insecure"],
        requiredToCreate: ["destination"])

    public static let cleanmail = VendorCapabilities(
        vendor: "cleanmail", product: "Cleanmail REST API",
        domainFields: fields([("name", .readOnly), ("status", .readWrite), ("aliases", .readWrite),
                              ("destination", .readWrite), ("failovers", .readWrite), ("relay", .readWrite),
                              ("allow", .readWrite), ("block", .readWrite), ("language", .readWrite),
                              ("description", .readWrite), ("created", .readOnly)]),
        // A Cleanmail mailbox's other addresses are email aliases of their own
        // (UsersAliases), not a field of the user.
        userFields: fields([("email", .readOnly), ("name", .readWrite), ("status", .readWrite),
                            ("language", .readWrite), ("domain", .readOnly)]),
        operations: Set(Operation.allCases).subtracting([.updateSettings, .setCredential]),
        settings: [], options: ["url", "token", "insecure"])

    public static let opensrs = VendorCapabilities(
        vendor: "opensrs", product: "OpenSRS Email API",
        domainFields: fields([("name", .readOnly), ("status", .readWrite), ("aliases", .readWrite),
                              ("destination", .readWrite), ("allow", .readWrite), ("block", .readWrite),
                              ("language", .readWrite), ("timezone", .readWrite), ("description", .readWrite),
                              ("created", .readOnly)]),
        userFields: standardUserFields,
        operations: Set(Operation.allCases).subtracting([.updateSettings, .setCredential]),
        settings: [], options: ["url", "cluster", "user", "password", "token", "insecure"])

    public static let ad360 = VendorCapabilities(
        vendor: "ad360", product: "ManageEngine AD360 REST API",
        domainFields: fields([("name", .readOnly), ("status", .readOnly), ("controllers", .readOnly)]),
        userFields: [:],
        operations: [.updateSettings, .setCredential],
        settings: ["proxy", "mailserver"], options: ["url", "token", "insecure"])

    /// Neutral objects in the process only: the engine's own test double and a scratch space.
    public static let memory = VendorCapabilities(
        vendor: "memory", product: "in-process neutral store",
        domainFields: Dictionary(uniqueKeysWithValues: Domain.fields.map { ($0.name, $0.set == nil ? .readOnly : .readWrite) }),
        userFields: Dictionary(uniqueKeysWithValues: User.fields.map { ($0.name, $0.set == nil ? .readOnly : .readWrite) }),
        operations: Set(Operation.allCases).subtracting([.setCredential]),
        settings: [], options: ["seed"])

    public static let all: [VendorCapabilities] = [proofpoint, cleanmail, opensrs, ad360, memory]

    public static func named(_ name: String) -> VendorCapabilities? {
        all.first { $0.vendor == name }
    }
}
