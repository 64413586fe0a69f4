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

// A domain's DKIM key is made and removed alike wherever a vendor keeps one.
extension ObjectCommand {
    static let createDKIM = ObjectCommand(
        "create-dkim", .create, subject: .owner(.domain), undo: .by("delete-dkim"),
        "create the domain's DKIM key; print d.dkim.record for the TXT record to publish")
    static let deleteDKIM = ObjectCommand(
        "delete-dkim", .delete, subject: .owner(.domain),
        undo: .irreversible("the private key is gone with it; a new key needs a new DNS record"),
        "delete the domain's DKIM key")
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
