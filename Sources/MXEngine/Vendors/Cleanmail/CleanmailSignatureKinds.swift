import MXModel

/// A mailbox's HTML signature (5.16): `u.signature`. The vendor keeps it base64-encoded
/// (`Sign`); scripts read and write the HTML itself. What each command sends is in
/// CleanmailSignatures.swift.
enum CleanmailSignatureKinds {
    static let signature = ResourceKind(
        "signature", kind: .settings, placement: [.singleOf(owner: .user, member: "signature")],
        listing: "GET /users/{id}/sign; PUT and DELETE the same path",
        fields: [
            FieldSpec("html", wire: "sign (base64)", .text, .readWrite, neutral: false, "the signature, as HTML"),
            FieldSpec("mailbox", wire: "email", .text, .readOnly, neutral: false, "the mailbox it signs for")
        ],
        operations: [.updateSettings], requiredToCreate: ["html"], key: "mailbox",
        commands: [
            ObjectCommand(
                "create-signature", .create, subject: .owner(.user), undo: .by("delete-signature"),
                "give a mailbox a signature: create-signature u html=\"<p>...</p>\""),
            ObjectCommand(
                "delete-signature", .delete, subject: .owner(.user), undo: .by("create-signature"),
                "remove a mailbox's signature (its HTML is kept with the change, for undo)")
        ])

    static let all = [signature]
}
