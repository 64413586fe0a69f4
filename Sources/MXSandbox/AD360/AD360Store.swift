import MXJSON

/// AD360's records, no HTTP: the Active Directory domains (read-only but for their
/// credentials), the passwords given for them (kept, never answered), and the proxy
/// and mail-server settings, each one object.
struct AD360Store {
    var domains: [JSONObject] = []
    var passwords: [String: String] = [:]
    var proxy = JSONObject([("ENABLE_PROXY", "false")])
    var mail = JSONObject([("SERVER_NAME", "smtp"), ("PORT", "25"), ("FROM_MAIL_ID", "no-reply@ad360.local"),
                           ("ADMIN_MAIL_ID", "admin@ad360.local"), ("CONNECTION_SECURITY", "TLS")])

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
        .object(JSONObject([("domains", .array(domains.map(JSON.object))), ("proxy", .object(proxy)), ("mail", .object(mail))]))
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
