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

    /// What kind of effect it has, for the `+`/`-`/`~` of plans and change echoes.
    public var sign: String {
        switch self {
        case .createDomain, .createUser, .addAlias: return "+"
        case .deleteDomain, .deleteUser, .removeAlias: return "-"
        default: return "~"
        }
    }
}
