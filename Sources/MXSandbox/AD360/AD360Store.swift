import MXJSON

/// AD360's records, no HTTP: the Active Directory domains (read-only but for their
/// credentials), the passwords given for them (kept, never answered), the proxy and
/// mail-server settings, each one object, and the servers those settings name, as the
/// sandbox simulates them (AD360SettingsAPI.swift).
struct AD360Store {
    /// A proxy or mail server AD360 talks to when its settings are saved.
    struct Server {
        var requiresAuthentication: Bool
        /// Account -> password.
        var accounts: [String: String]
        func accepts(_ user: String, _ password: String) -> Bool { accounts[user] == password }
    }

    var domains: [JSONObject] = []
    var passwords: [String: String] = [:]
    var proxy = JSONObject([("ENABLE_PROXY", "false")])
    var proxyPassword: String?
    var mail = JSONObject([
        ("SERVER_NAME", "smtp"), ("PORT", "25"), ("FROM_MAIL_ID", "no-reply@ad360.local"),
        ("ADMIN_MAIL_ID", "admin@ad360.local"), ("CONNECTION_SECURITY", "TLS")
    ])
    var mailPassword: String?
    /// ASSUMED: the documents' sample servers, with the samples' account; any other
    /// server name (but `*.invalid`) answers and takes any account.
    var servers: [String: Server] = [
        "ad360-dc1": Server(requiresAuthentication: true, accounts: ["admin": "Test123"]),
        "smtp": Server(requiresAuthentication: false, accounts: ["admin": "Test123"]),
        "smtp-auth.ad360.local": Server(requiresAuthentication: true, accounts: ["admin": "Test123"])
    ]

    func server(_ name: String) -> Server? { servers[name.lowercased()] }

    /// Domain names compare without regard to case (Active Directory's DNS names).
    func domainIndex(_ name: String) -> Int? {
        domains.firstIndex { $0["DOMAIN_NAME"]?.string?.lowercased() == name.lowercased() }
    }

    /// A credential given: the user shown, the password kept aside.
    mutating func setCredential(_ i: Int, user: String, password: String) {
        domains[i]["USER_NAME"] = user.isEmpty ? nil : .string(user)
        domains[i]["IS_AUTHENTICATION_REQUIRED"] = .string(user.isEmpty ? "false" : "true")
        domains[i]["STATUS_MESSAGE"] = "SUCCESS"
        if let name = domains[i]["DOMAIN_NAME"]?.string { passwords[name] = password }
    }

    func state() -> JSON {
        .object(
            JSONObject([
                ("domains", .array(domains.map(JSON.object))), ("proxy", .object(proxy)), ("mail", .object(mail))
            ]))
    }

    /// What `state()` wrote; settings missing from it keep their defaults.
    static func load(_ state: JSON) -> AD360Store {
        var s = AD360Store()
        s.domains = state["domains"]?.array?.compactMap(\.object) ?? []
        if let p = state["proxy"]?.object { s.proxy = p }
        if let m = state["mail"]?.object { s.mail = m }
        return s
    }
}
