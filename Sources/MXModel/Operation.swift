/// An operation a vendor may or may not support; commands name the one they need, and
/// each vendor's resource table says which it has and how each is undone.
///
/// The neutral operations are constants here; a vendor's own operations on its own
/// objects (`create-group`, `release`) are declared in its table (`ObjectCommand`) and
/// are operations by their command's name, so the journal, plans and undo name them
/// the same way.
public struct Operation: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let createDomain = Operation(rawValue: "create-domain")
    public static let updateDomain = Operation(rawValue: "set domain")
    public static let deleteDomain = Operation(rawValue: "delete-domain")
    public static let addAlias = Operation(rawValue: "add-alias")
    public static let removeAlias = Operation(rawValue: "remove-alias")
    public static let createUser = Operation(rawValue: "create-user")
    public static let updateUser = Operation(rawValue: "set user")
    public static let deleteUser = Operation(rawValue: "delete-user")
    /// `set` of a vendor's own object (`ad.proxy`, `c.policy`, a group).
    public static let updateSettings = Operation(rawValue: "set settings")
    public static let setCredential = Operation(rawValue: "set-credential")
    /// A request the tables do not describe (`call cm POST "/x" {...}`), sent as written.
    public static let call = Operation(rawValue: "call")

    /// The neutral operations (a vendor's own come from its table).
    public static let allCases: [Operation] = [
        .createDomain, .updateDomain, .deleteDomain, .addAlias, .removeAlias,
        .createUser, .updateUser, .deleteUser, .updateSettings, .setCredential, .call
    ]

    /// One of the neutral operations, as opposed to a vendor's own.
    public var isNeutral: Bool { Operation.allCases.contains(self) }

    /// The kind of object it acts on.
    public var kind: ObjectKind {
        switch self {
        case .createDomain, .updateDomain, .deleteDomain, .addAlias, .removeAlias, .setCredential: return .domain
        case .createUser, .updateUser, .deleteUser: return .user
        default: return .settings
        }
    }

    /// It makes a new neutral object, named by the command's first argument.
    public var creates: Bool { self == .createDomain || self == .createUser }

    /// The update of each kind (what `set`, `enable` and `disable` become).
    public static func update(of kind: ObjectKind) -> Operation {
        switch kind {
        case .domain: return .updateDomain
        case .user: return .updateUser
        case .settings: return .updateSettings
        }
    }

    /// What kind of effect it has, for the `+`/`-`/`~` of plans and change echoes (a
    /// vendor's own operations: `ObjectCommand.sign`).
    public var sign: String {
        switch self {
        case .createDomain, .createUser, .addAlias: return "+"
        case .deleteDomain, .deleteUser, .removeAlias: return "-"
        case .call: return "!"
        default: return "~"
        }
    }
}
