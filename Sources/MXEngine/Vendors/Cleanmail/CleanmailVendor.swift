import MXModel

extension Vendor {
    /// Cleanmail REST API (vendors/cleanmail-api.txt).
    public static let cleanmail = Vendor(
        name: "cleanmail", product: "Cleanmail REST API",
        options: [
            ConnectOption("url", "the API's scheme, host and port"),
            ConnectOption("token", credential: true, "an API token (Authorization: Bearer)"),
            ConnectOption("insecure", "true to skip TLS certificate checks")
        ],
        defaultJobs: 8,
        sandbox: .init(connection: "cm", credentials: [("token", "sandbox-token")]),
        resources: ResourceTable(
            [
                ResourceKind(
                    "domain", kind: .domain, placement: [.domains],
                    listing: "GET /domains?offset=&pageSize= (X-Total-Count), sender rules from /domains/{id}/wblist",
                    vendorFilters: ["name", "status"],
                    fields: [
                        neutral("name", wire: "name", .domainName, .readOnly),
                        neutral("status", wire: "status", .writableStatus),
                        neutral("aliases", wire: "/domains/{id}/aliases", .domainNameList),
                        neutral("destination", wire: "platforms[default].transportDest", .destination),
                        neutral("failovers", wire: "platforms[default].fallbackTransportDest", .destinationList),
                        neutral("relay", wire: "policy.outgoing", .bool),
                        neutral("allow", wire: "/domains/{id}/wblist ALLOW", .textList),
                        neutral("block", wire: "/domains/{id}/wblist BLOCK", .textList),
                        neutral("language", wire: "defaultLanguage", .text),
                        neutral("description", wire: "description", .text),
                        neutral("created", wire: "creationDate", .text, .readOnly)
                    ] + CleanmailDomainFields.all,
                    operations: [
                        .createDomain,
                        OperationSpec(.updateDomain, undo: .restoreFields, options: [CleanmailDomainFields.ignoreMX]),
                        OperationSpec(
                            .deleteDomain, undo: .by(.createDomain), options: [CleanmailDomainFields.ignoreMX]),
                        .addAlias, .removeAlias
                    ]),
                // A mailbox's other addresses are email aliases of their own (UsersAliases),
                // not a field of the user.
                ResourceKind(
                    "user", kind: .user, placement: [.users, .usersOfDomain],
                    listing: "GET /users or /domains/{id}/users, paged",
                    fields: [
                        neutral("email", wire: "email", .text, .readOnly),
                        neutral("name", wire: "firstname + lastname", .text),
                        neutral("status", wire: "status", .writableStatus),
                        neutral("language", wire: "language", .text),
                        neutral("domain", wire: "domainId", .domainName, .readOnly),
                        // Read with one mailbox (cm.user "x"), not with a listing: unknown there.
                        FieldSpec(
                            "allow", wire: "wblist.allow", .textList, neutral: false,
                            "senders always allowed to this mailbox (/users/{id}/wblist ALLOW)"),
                        FieldSpec(
                            "block", wire: "wblist.block", .textList, neutral: false,
                            "senders always blocked for this mailbox (/users/{id}/wblist BLOCK)")
                    ] + CleanmailUserFields.all,
                    operations: [.createUser, .updateUser, .deleteUser],
                    commands: CleanmailTasks.commands + [
                        CleanmailTasks.move, CleanmailTasks.signInToken, CleanmailMailKinds.sendMail
                    ])
            ] + CleanmailObjectKinds.all + [CleanmailHealthKind.health] + CleanmailFilterKinds.all
                + CleanmailSignatureKinds.all + CleanmailPolicyKinds.all
                + CleanmailAdminKinds.all + CleanmailTokenKinds.all + CleanmailOptionKinds.all
                + CleanmailSenderRuleKinds.all + CleanmailAdminAccessKinds.all + CleanmailPermissionKinds.all),
        makeAdapter: CleanmailAdapter.connect)
}
