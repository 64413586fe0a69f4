import MXModel

/// Administrators' personal API tokens (5.2): `cm.tokens`, named `LOGIN/ID`. Listed
/// and revoked; never made from a script yet: the value a new token is answered with
/// is a secret the language has no way to show once (see CleanmailTokens.swift).
enum CleanmailTokenKinds {
    static func field(_ name: String, wire: String? = nil, _ type: FieldType, _ summary: String) -> FieldSpec {
        FieldSpec(name, wire: wire ?? name, type, .readOnly, neutral: false, summary)
    }

    static let token = ResourceKind(
        "token", kind: .settings, placement: [.collection(member: "tokens")],
        listing: "GET /admins/{id}/tokens for each administrator (not paged); DELETE /admins/{id}/tokens/{tokenId}",
        fields: [
            field("token", .text, "its name in scripts: the owner's login/the token's id"),
            field("name", .text, "the name it was given"),
            field("admin", .text, "the login of the administrator it acts for"),
            field("id", .text, "the vendor's id of the token"),
            field("expiration", .text, "when it stops working (none: never)"),
            field("created", wire: "createdAt", .text, "when it was made"),
            field("lastUse", .text, "when it was last used"),
        ],
        operations: [], key: "token",
        commands: [
            ObjectCommand("delete-token", .delete, subject: .object,
                          undo: .irreversible("a token's value is given only when it is made; "
                                                + "a new one needs a new value"),
                          "revoke an API token: whatever uses it stops working"),
        ])

    static let all = [token]
}
