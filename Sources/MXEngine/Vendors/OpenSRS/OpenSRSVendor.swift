import MXModel

extension Vendor {
    /// OpenSRS Email API (vendors/opensrs-email-get_domain.txt, vendors/NOTES.md).
    public static let opensrs = Vendor(
        name: "opensrs", product: "OpenSRS Email API",
        options: [
            ConnectOption("url", "the API's scheme, host and port (default https://admin.<cluster>.hostedemail.com)"),
            ConnectOption("cluster", "a, b or test, when url is not given"),
            ConnectOption("user", "the administrator's address"),
            ConnectOption("password", credential: true, "the administrator's password"),
            ConnectOption("token", credential: true, "a session token, instead of the password"),
            ConnectOption("insecure", "true to skip TLS certificate checks")
        ],
        defaultJobs: 4,
        sandbox: .init(connection: "os", credentials: [("user", "admin@example.com"), ("password", "sandbox")]),
        resources: ResourceTable([
            ResourceKind(
                "domain", kind: .domain, placement: [.domains],
                listing: "search_domains (summaries, range{first,limit}), then get_domain for each",
                vendorFilters: ["name"],
                fields: [
                    neutral("name", wire: "attributes.account", .domainName, .readOnly),
                    neutral("status", wire: "attributes.disabled", .writableStatus),
                    // The limits are the document's ("The maximum number of aliases is 2000").
                    neutral("aliases", wire: "attributes.aliases", .domainNameList).atMost(2000),
                    neutral("destination", wire: "attributes.filtermx", .destination),
                    neutral("allow", wire: "attributes.allow", .textList).atMost(1000),
                    neutral("block", wire: "attributes.block", .textList).atMost(1000),
                    neutral("language", wire: "attributes.language", .text),
                    neutral("timezone", wire: "attributes.timezone", .text),
                    neutral("description", wire: "attributes.notes_external", .text).atMost(4096),
                    neutral("created", wire: "metadata.createtime", .text, .readOnly)
                ] + OpenSRSFields.domain,
                operations: [.createDomain, .updateDomain, .deleteDomain, .addAlias, .removeAlias],
                commands: [OpenSRSHistory.restore("restore-domain", "domain", undo: "delete-domain")]),
            ResourceKind(
                "user", kind: .user, placement: [.users, .usersOfDomain],
                listing: "search_users (summaries), then get_user for each",
                fields: [
                    neutral("email", wire: "attributes.mailbox", .text, .readOnly),
                    neutral("name", wire: "attributes.name", .text),
                    neutral("status", wire: "attributes.disabled", .writableStatus),
                    neutral("aliases", wire: "attributes.aliases", .textList),
                    neutral("language", wire: "attributes.language", .text),
                    neutral("domain", wire: "(from the address)", .domainName, .readOnly)
                ] + OpenSRSFields.user,
                operations: [.createUser, .updateUser, .deleteUser],
                commands: [OpenSRSHistory.restore("restore-user", "mailbox", undo: "delete-user")]),
            OpenSRSHistory.change
        ]),
        makeAdapter: OpenSRSAdapter.connect)
}
