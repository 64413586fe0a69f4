import MXModel

/// A domain's policies (5.4), the default one and the others: `policies of d`, made
/// with `create-policy` (5.4.1), changed with `set p` (5.4.5) and deleted with
/// `delete-policy` (5.4.2). The vendor
/// names a policy by an id it makes and keeps its name unique in the domain (its 409
/// "A policy may already exists with the given name"); a script names it `NAME@DOMAIN`,
/// so a create can be planned, re-run as "already as asked" and undone without knowing
/// the id beforehand. The default policy stays `d.policy` (CleanmailObjectKinds).
/// Creating and deleting need a sysadmin token (the document's 403), said in the error.
enum CleanmailPolicyKinds {
    static func field(
        _ name: String, _ type: FieldType, _ access: FieldSpec.Access = .readWrite, _ summary: String = ""
    ) -> FieldSpec {
        FieldSpec(name, wire: name, type, access, neutral: false, summary)
    }

    /// Policy (6.48): every member the POST takes is writable, so a deleted policy is
    /// re-created from its before-state (with a new id: the vendor makes ids).
    static let domainPolicy = ResourceKind(
        "domain-policy", kind: .settings, placement: [.collectionOf(owner: .domain, member: "policies")],
        listing: "GET /domains/{id}/policies?offset=&pageSize=; PATCH /policies/{id}",
        fields: [
            field("policy", .text, .readOnly, "the policy's name in scripts: its name@its domain"),
            field("name", .text, .readOnly, "the policy's name, unique in its domain"),
            field("domain", .domainName, .readOnly, "the domain it belongs to"),
            field("id", .text, .readOnly, "the vendor's id of the policy"),
            field("default", .bool, .readOnly, "whether it is the domain's default policy (d.policy)"),
            field("quarantine", .bool, .readWrite, "keep spam and viruses in quarantine (required to create)"),
            field("retention", .bool, .readWrite, "keep copies of mail for a while (required to create)"),
            field("incoming", .bool, .readWrite, "filter incoming mail (required to create)"),
            field("archive", .bool, .readWrite, "archive mail"),
            field("outgoing", .bool, .readWrite, "relay outgoing mail"),
            field("mailSizeLimit", .integer(1...Int.max), .readWrite, "the largest message, in MB"),
            field("spamScore", .number(0...100), .readWrite, "the score above which mail is spam"),
            field("relayProps", .record, .readWrite, "what is relayed (spam, adverts, bad headers)"),
            field("quarantineProps", .record, .readWrite, "what is kept in quarantine, and how long"),
            field("retentionProps", .record, .readWrite, "what is retained, and how long"),
            field("archiveProps", .record, .readWrite, "what is archived, and how long")
        ],
        operations: [.updateSettings], requiredToCreate: ["quarantine", "retention", "incoming"], key: "policy",
        commands: [
            ObjectCommand(
                "create-policy", .create, subject: .key, undo: .by("delete-policy"),
                "add a policy to a domain (sysadmin): create-policy \"NAME@DOMAIN\" quarantine= retention= incoming="),
            ObjectCommand(
                "delete-policy", .delete, subject: .object, undo: .by("create-policy"),
                "delete a policy no domain or mailbox uses (sysadmin; its values are kept with the change, for undo)")
        ])

    static let key = KeyParts("@", "name", "domain", atLast: true)
    static let all = [domainPolicy.keyed(by: key)]
}
