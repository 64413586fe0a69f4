/// An operation a vendor may or may not support; commands name the one they need, and
/// each vendor's resource table says which it has and how each is undone.
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

    /// The kind of object it acts on.
    public var kind: ObjectKind {
        switch self {
        case .createDomain, .updateDomain, .deleteDomain, .addAlias, .removeAlias, .setCredential: return .domain
        case .createUser, .updateUser, .deleteUser: return .user
        case .updateSettings: return .settings
        }
    }

    /// It makes a new object, named by the command's first argument.
    public var creates: Bool { self == .createDomain || self == .createUser }

    /// The update of each kind (what `set`, `enable` and `disable` become).
    public static func update(of kind: ObjectKind) -> Operation {
        switch kind {
        case .domain: return .updateDomain
        case .user: return .updateUser
        case .settings: return .updateSettings
        }
    }

    /// What kind of effect it has, for the `+`/`-`/`~` of plans and change echoes.
    public var sign: String {
        switch self {
        case .createDomain, .createUser, .addAlias: return "+"
        case .deleteDomain, .deleteUser, .removeAlias: return "-"
        default: return "~"
        }
    }
}
