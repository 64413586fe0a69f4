import MXJSON

/// `ProxySettings` and `MailSettings`: one object each, read whole and replaced whole;
/// passwords are kept aside (to test the next update against) and never answered.
///
/// An update is checked as the document's tables say (every "Mandatory: Yes" attribute,
/// else CE001), then the values (MS001, MS002, MS009, MS010, MS013, MS014), then, as
/// AD360 does when it saves, against the server named: the sandbox simulates those
/// servers (`AD360Store.Server`), so every documented answer can be met. ASSUMED, the
/// documents give only the codes' texts:
/// - a name under `.invalid` (RFC 2606: never resolves) is a server that is down:
///   PS002 for a proxy, MS005 for a mail server;
/// - a server that requires authentication, given no USER_NAME: PS001 (proxy), MS003
///   (mail); given an account it does not know or a wrong password: CE003 (proxy),
///   MS006 (mail). The document's samples' servers are simulated: proxy `ad360-dc1`
///   and mail server `smtp`, each with the samples' account admin / Test123, and
///   `smtp-auth.ad360.local`, a mail server that requires authentication;
/// - a USER_NAME without a PASSWORD (other than the user already saved, whose password
///   is kept) or a PASSWORD without a USER_NAME: MS011 for mail, CE003 for a proxy;
/// - SSL on a port other than 465 meets a plain-text server: MS007; TLS (STARTTLS) on
///   465, an implicit-SSL port: MS012; a mail port nothing listens on (not 25, 465,
///   587, 2525): MS004.
/// CONNECTION_SECURITY is mandatory in both mail tables, yet the document's own update
/// and getSettings samples leave it out (CONTRADICTIONS.md): ASSUMED, it may be left
/// out (a plain connection, nothing saved for it), so the sample is accepted; when
/// given it must be SSL or TLS (MS013).
extension AD360API {
    static func registerSettings(_ r: inout Router<Handler>) {
        r.add("GET", "/ProxySettings/getSettings", { s, _ in .json(200, .object(s.proxy)) })
        r.add("POST", "/ProxySettings/updateSettings", updateProxy)
        r.add("GET", "/MailSettings/getSettings", { s, _ in .json(200, .object(s.mail)) })
        r.add("POST", "/MailSettings/updateSettings", updateMail)
    }

    /// A value given as text (the samples) or as a JSON number or boolean: its text.
    static func text(_ o: JSONObject, _ key: String) -> String? {
        switch o[key] {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }

    static func isServerName(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 253 && s.allSatisfy { $0.isLetter || $0.isNumber || "-._:[]".contains($0) }
            && !s.hasPrefix(".") && !s.hasPrefix("-")
    }

    static func updateProxy(_ s: inout AD360Store, _ r: SandboxRequest) -> SandboxResponse {
        guard let o = formJSON(r, "PROXY_SETTINGS")?.object else { return fail("CE001", 400) }
        // The document's table: ENABLE_PROXY, SERVER_NAME and PORT are mandatory.
        guard let enable = text(o, "ENABLE_PROXY"), ["true", "false"].contains(enable),
            let server = text(o, "SERVER_NAME"), !server.isEmpty, let port = text(o, "PORT")
        else { return fail("CE001", 400) }
        // ASSUMED: a server name or port AD360 cannot use is a bad parameter (the proxy
        // API has no code of its own for it).
        guard isServerName(server), isPort(port) else { return fail("CE001", 400) }
        let user = text(o, "USER_NAME").flatMap { $0.isEmpty ? nil : $0 }
        var password = text(o, "PASSWORD").flatMap { $0.isEmpty ? nil : $0 }
        if password == nil, let user, user == s.proxy["USER_NAME"]?.string { password = s.proxyPassword }
        if enable == "true" {
            if server.lowercased().hasSuffix(".invalid") { return fail("PS002", 200) }
            if (user == nil) != (password == nil) { return fail("CE003", 200) }
            if let known = s.server(server), known.requiresAuthentication, user == nil { return fail("PS001", 200) }
            if let known = s.server(server), let user, !known.accepts(user, password ?? "") {
                return fail("CE003", 200)
            }
        }
        var stored = JSONObject()
        stored["ENABLE_PROXY"] = .string(enable)
        stored["SERVER_NAME"] = .string(server)
        stored["PORT"] = .string(port)
        if let user { stored["USER_NAME"] = .string(user) }
        s.proxy = stored
        s.proxyPassword = user == nil ? nil : password
        return .json(200, ["STATUS": "SUCCESS"])
    }

    static func updateMail(_ s: inout AD360Store, _ r: SandboxRequest) -> SandboxResponse {
        guard let o = formJSON(r, "MAIL_SETTINGS")?.object else { return fail("CE001", 400) }
        var values: [String: String] = [:]
        for key in ["SERVER_NAME", "PORT", "FROM_MAIL_ID", "ADMIN_MAIL_ID"] {
            guard let v = text(o, key), !v.isEmpty else { return fail("CE001", 400) }
            values[key] = v
        }
        let server = values["SERVER_NAME"]!, port = values["PORT"]!
        guard isPort(port) else { return fail("MS014", 200) }
        guard isServerName(server) else { return fail("MS010", 200) }
        let from = values["FROM_MAIL_ID"]!
        guard isEmail(from) else { return fail("MS001", 200) }
        let admins = values["ADMIN_MAIL_ID"]!.split(separator: ",").map { String($0).trimmingCharacters(in: " ") }
        guard !admins.isEmpty, admins.allSatisfy(isEmail) else { return fail("MS002", 200) }
        // The document: the addresses may not be in the "zohocorp" domain.
        if ([from] + admins).contains(where: {
            $0.lowercased().split(separator: "@").last?.split(separator: ".").contains("zohocorp") == true
        }) {
            return fail("MS009", 200)
        }
        let security = text(o, "CONNECTION_SECURITY")
        if let security, security != "SSL", security != "TLS" { return fail("MS013", 200) }
        let user = text(o, "USER_NAME").flatMap { $0.isEmpty ? nil : $0 }
        var password = text(o, "PASSWORD").flatMap { $0.isEmpty ? nil : $0 }
        if password == nil, let user, user == s.mail["USER_NAME"]?.string { password = s.mailPassword }
        if (user == nil) != (password == nil) { return fail("MS011", 200) }
        // What saving meets at the server.
        if server.lowercased().hasSuffix(".invalid") { return fail("MS005", 200) }
        let portNumber = Int(port)!
        if security == "SSL", portNumber != 465 { return fail("MS007", 200) }
        if security == "TLS", portNumber == 465 { return fail("MS012", 200) }
        if ![25, 465, 587, 2525].contains(portNumber) { return fail("MS004", 200) }
        if let known = s.server(server) {
            if known.requiresAuthentication, user == nil { return fail("MS003", 200) }
            if let user, !known.accepts(user, password ?? "") { return fail("MS006", 200) }
        }
        var stored = JSONObject()
        for key in ["SERVER_NAME", "PORT", "FROM_MAIL_ID"] { stored[key] = .string(values[key]!) }
        if let user { stored["USER_NAME"] = .string(user) }
        stored["ADMIN_MAIL_ID"] = .string(values["ADMIN_MAIL_ID"]!)
        if let security { stored["CONNECTION_SECURITY"] = .string(security) }
        s.mail = stored
        s.mailPassword = user == nil ? nil : password
        return .json(200, ["STATUS": "SUCCESS"])
    }
}
