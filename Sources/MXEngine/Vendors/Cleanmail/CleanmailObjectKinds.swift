import MXModel

/// Cleanmail's own kinds of object (vendors/cleanmail-api.txt, section 5), declared
/// once: a domain's default policy (5.4), its email aliases (groups, 5.15) and its
/// DKIM key (5.6). What each command sends is in CleanmailObjects.swift.
enum CleanmailObjectKinds {
    static func field(
        _ name: String, _ type: FieldType, _ access: FieldSpec.Access = .readWrite, _ summary: String = ""
    ) -> FieldSpec {
        FieldSpec(name, wire: name, type, access, neutral: false, summary)
    }

    /// The domain's default policy: the services and limits mail to it gets. Writes
    /// need a sysadmin token (the document's 403).
    static let policy = ResourceKind(
        "policy", kind: .settings, placement: [.singleOf(owner: .domain, member: "policy")],
        listing: "GET /policies/{domain's policy id}; PATCH /policies/{id}",
        fields: [
            field("id", .text, .readOnly, "the policy's id"),
            field("name", .text, .readWrite, "the policy's name"),
            field("quarantine", .bool, .readWrite, "keep spam and viruses in quarantine"),
            field("retention", .bool, .readWrite, "keep copies of mail for a while"),
            field("archive", .bool, .readWrite, "archive mail"),
            field("incoming", .bool, .readWrite, "filter incoming mail"),
            field("outgoing", .bool, .readWrite, "relay outgoing mail (the domain's relay)"),
            field("mailSizeLimit", .integer(0...Int.max), .readWrite, "the largest message, in MB"),
            field("spamScore", .number(0...100), .readWrite, "the score above which mail is spam"),
            field("relayProps", .record, .readOnly, "what is relayed (spam, adverts, bad headers)"),
            field("quarantineProps", .record, .readOnly, "what is kept in quarantine, and how long"),
            field("retentionProps", .record, .readOnly, "what is retained, and how long"),
            field("archiveProps", .record, .readOnly, "what is archived, and how long")
        ],
        operations: [.updateSettings])

    /// An email alias (the document's UsersAliases, paths `/groups`): an address of
    /// the domain that delivers to its members.
    static let group = ResourceKind(
        "group", kind: .settings, placement: [.collectionOf(owner: .domain, member: "groups")],
        listing: "GET /domains/{id}/groups?offset=&pageSize= (address= filters)",
        fields: [
            field("email", .text, .readOnly, "the alias's address"),
            field(
                "members", .textList, .readWrite, "the addresses it delivers to (mailboxes, aliases, outside addresses)"
            ),
            field("id", .text, .readOnly, "the alias's id")
        ],
        operations: [], key: "email",
        commands: [
            ObjectCommand(
                "create-group", .create, subject: .key, undo: .by("delete-group"),
                "create an email alias (members= the addresses it delivers to)"),
            ObjectCommand(
                "delete-group", .delete, subject: .object, undo: .by("create-group"),
                "delete an email alias (its members are kept with the change, for undo)"),
            ObjectCommand(
                "add-member", .addTo(field: "members"), subject: .object, params: [("address", .text)],
                undo: .by("remove-member"), "add an address to an email alias (unchanged if it is there)"),
            ObjectCommand(
                "remove-member", .removeFrom(field: "members"), subject: .object, params: [("address", .text)],
                undo: .by("add-member"), "remove an address from an email alias (unchanged if it is not there)"),
            // 5.15.7 edits the alias's address (its key here): a move, undone by moving it back.
            ObjectCommand(
                "rename-group", .action, subject: .object, params: [("address", .text)], undo: .by("rename-group"),
                "give an email alias another address of its domain: rename-group g \"team@x.net\""
            ).movingObject()
        ])

    /// The domain's DKIM key: creating one answers the TXT record to publish.
    static let dkim = ResourceKind(
        "dkim", kind: .settings, placement: [.singleOf(owner: .domain, member: "dkim")],
        listing: "GET /domains/{id}/dkim",
        fields: [
            field("selector", .text, .readWrite, "the DKIM selector (the name before ._domainkey)"),
            field("publicKey", .text, .readOnly, "the public key"),
            field("record", .text, .readOnly, "the domain's TXT record to publish in DNS"),
            field("records", .textList, .readOnly, "the TXT records of every name the domain answers to")
        ],
        operations: [.updateSettings], key: "domain",
        commands: [.createDKIM, .deleteDKIM])

    static let all = [policy, group, dkim] + CleanmailMailKinds.all
}
