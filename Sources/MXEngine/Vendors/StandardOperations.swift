import MXModel

// The operations most vendors share, with their inverses, so each vendor's table names
// them instead of restating how each is undone.
extension OperationSpec {
    static let createDomain = OperationSpec(.createDomain, undo: .by(.deleteDomain))
    static let updateDomain = OperationSpec(.updateDomain, undo: .restoreFields)
    static let deleteDomain = OperationSpec(.deleteDomain, undo: .by(.createDomain))
    static let addAlias = OperationSpec(.addAlias, undo: .by(.removeAlias))
    static let removeAlias = OperationSpec(.removeAlias, undo: .by(.addAlias))
    static let createUser = OperationSpec(.createUser, undo: .by(.deleteUser))
    static let updateUser = OperationSpec(.updateUser, undo: .restoreFields)
    static let deleteUser = OperationSpec(.deleteUser, undo: .by(.createUser))
    static let updateSettings = OperationSpec(.updateSettings, undo: .restoreFields)
    static let setCredential = OperationSpec(
        .setCredential, undo: .irreversible("a credential cannot be set back: the old password was never kept"))
}

extension FieldType {
    /// What a script may write as a domain's status (PENDING and DELETED are the vendor's to set).
    static let writableStatus = FieldType.status(writable: [.enabled, .disabled])
}

extension ResourceKind.Placement {
    static let domains = ResourceKind.Placement.collection(member: "domains")
    static let users = ResourceKind.Placement.collection(member: "users")
    static let usersOfDomain = ResourceKind.Placement.collectionOf(owner: .domain, member: "users")
}
