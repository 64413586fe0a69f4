import MXModel

/// Administrators' personal API tokens (5.2): `cm.tokens`, named `LOGIN/ID`, listed,
/// made and revoked. A script makes one as `LOGIN/NAME` (`create-token
/// "helpdesk/ci-deploy"`), and finds it again by that name. The value the vendor
/// answers a creation with (5.2.1) is a secret: printed once, there and then, never
/// journaled, planned, traced or read again (see CleanmailTokens.swift).
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
            FieldSpec(
                "value", wire: "value", .secret, .readOnly, neutral: false,
                "the token itself: printed once when it is made, never kept")
        ],
        operations: [], key: "token",
        commands: [
            ObjectCommand(
                "create-token", .create, subject: .key,
                options: [
                    (
                        "expiration", .date,
                        "when it stops working (a date, 2027-01-01 or 2027-01-01T00:00:00Z); never, if not given"
                    )
                ],
                undo: .by("delete-token"),
                "make an API token for an administrator: create-token \"LOGIN/NAME\"; "
                    + "its value is printed once and never kept"),
            ObjectCommand(
                "delete-token", .delete, subject: .object,
                undo: .irreversible(
                    "a token's value is given only when it is made; "
                        + "a new one needs a new value"),
                "revoke an API token: whatever uses it stops working")
        ])

    static let all = [token.keyed(by: KeyParts("/", "admin", "name", atLast: false))]
}
