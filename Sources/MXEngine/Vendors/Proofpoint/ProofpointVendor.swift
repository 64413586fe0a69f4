import MXModel

extension Vendor {
    /// Proofpoint Essentials REST API v1 (vendors/proofpoint-essentials-*.txt).
    public static let proofpoint = Vendor(
        name: "proofpoint", product: "Proofpoint Essentials REST API v1",
        options: [
            ConnectOption("url", "the API's scheme, host and port (default https://<stack>.proofpointessentials.com)"),
            ConnectOption(
                "stack", "us1-us5 or eu1; found through /endpoints/{org} when neither url nor stack is given"),
            ConnectOption("org", "the organisation's primary domain"),
            ConnectOption("user", "the administrator's address (X-User)"),
            ConnectOption("password", credential: true, "the administrator's password (X-Password)"),
            ConnectOption("insecure", "true to skip TLS certificate checks")
        ],
        defaultJobs: 4,
        sandbox: .init(
            connection: "pp",
            credentials: [("org", "example.com"), ("user", "admin@example.com"), ("password", "sandbox")]),
        resources: ResourceTable(
            [
                ResourceKind(
                    "domain", kind: .domain, placement: [.domains],
                    listing: "GET /orgs/{org}/domains, all at once (no paging, no filter)",
                    fields: [
                        neutral("name", wire: "name", .domainName, .readOnly),
                        neutral("status", wire: "is_active", .writableStatus),
                        neutral("destination", wire: "destination", .destination),
                        neutral("failovers", wire: "failovers", .destinationList),
                        neutral("relay", wire: "is_relay", .bool)
                    ],
                    operations: [.createDomain, .updateDomain, .deleteDomain],
                    requiredToCreate: ["destination"]),
                ResourceKind(
                    "user", kind: .user, placement: [.users, .usersOfDomain],
                    listing: "GET /orgs/{org}/users, all at once",
                    fields: [
                        neutral("email", wire: "primary_email", .text, .readOnly),
                        neutral("name", wire: "firstname + surname", .text),
                        neutral("status", wire: "is_active", .writableStatus),
                        neutral("aliases", wire: "alias_emails", .textList),
                        neutral("domain", wire: "(from the address)", .domainName, .readOnly)
                    ] + ProofpointSettings.userFields,
                    operations: [.createUser, .updateUser, .deleteUser])
            ] + ProofpointSettings.all.map(\.resource) + ProofpointObjectKinds.all),
        makeAdapter: ProofpointAdapter.connect)
}
