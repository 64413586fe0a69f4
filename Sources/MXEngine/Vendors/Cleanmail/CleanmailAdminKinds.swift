import MXModel

/// The tenant's administrators (5.1, `Admin` 6.3): `cm.admins`, named by login. What
/// each command sends is in CleanmailAdmins.swift.
enum CleanmailAdminKinds {
    static func field(
        _ name: String, wire: String? = nil, _ type: FieldType, _ access: FieldSpec.Access = .readWrite,
        _ summary: String
    ) -> FieldSpec {
        FieldSpec(name, wire: wire ?? name, type, access, neutral: false, summary)
    }

    static let admin = ResourceKind(
        "admin", kind: .settings, placement: [.collection(member: "admins")],
        listing: "GET /security/admins?offset=&pageSize= (search= filters); PATCH, DELETE /security/admins/{id}",
        fields: [
            field("login", .text, .readOnly, "the account's login"),
            field("displayName", .text, .readWrite, "the name shown for it"),
            field("email", .text, .readWrite, "its address"),
            field("enabled", .bool, .readWrite, "whether it may sign in"),
            field("language", .text, .readWrite, "its language (EN, FR, ...)"),
            field("totp", .bool, .readWrite, "two-factor sign-in; the API only turns it off"),
            field("password", .secret, .writeOnly, "its password: written, never read back or journaled"),
            field("sysAdmin", .bool, .readOnly, "whether it administers the whole platform"),
            field("authorities", .record, .readOnly, "its accesses: one per domain, with their permissions"),
            field("id", .text, .readOnly, "the vendor's id of the account"),
            field("created", wire: "createdAt", .text, .readOnly, "when it was made"),
            field("lastConnection", wire: "lastConnectionDate", .text, .readOnly, "when it last signed in")
        ],
        operations: [.updateSettings], key: "login",
        commands: [
            ObjectCommand(
                "delete-admin", .delete, subject: .object,
                undo: .irreversible(
                    "the account's password and API tokens go with it "
                        + "and cannot be made again"),
                "delete an administrator account, its accesses and its API tokens")
        ])

    static let all = [admin]
}
