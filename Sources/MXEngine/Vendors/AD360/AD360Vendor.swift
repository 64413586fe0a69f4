import MXModel

extension Vendor {
    /// ManageEngine AD360 REST API (vendors/ad360-api-settings.txt): Active Directory
    /// domains are read and only their credentials change; the proxy and mail-server
    /// settings are single objects of their own.
    public static let ad360 = Vendor(
        name: "ad360", product: "ManageEngine AD360 REST API",
        options: [
            ConnectOption("url", "your AD360 server's scheme, host and port"),
            ConnectOption("token", credential: true, "an API token (Authorization: Bearer)"),
            ConnectOption("insecure", "true to skip TLS certificate checks")
        ],
        defaultJobs: 1,
        sandbox: .init(connection: "ad", credentials: [("token", "sandbox-token")]),
        resources: ResourceTable([
            ResourceKind(
                "domain", kind: .domain, placement: [.domains],
                listing: "GET /DomainSettings/getDomains, all at once",
                fields: [
                    neutral("name", wire: "DOMAIN_NAME", .domainName, .readOnly),
                    neutral("status", wire: "(always ENABLED)", .writableStatus, .readOnly),
                    neutral("controllers", wire: "DC_LIST", .textList, .readOnly)
                ] + AD360Settings.domainFields,
                operations: [.setCredential]),
            AD360Settings.proxy.resource,
            AD360Settings.mailserver.resource
        ]),
        makeAdapter: AD360Adapter.connect)
}
