import MXJSON

/// ManageEngine AD360's settings API, as vendors/ad360-api-settings.txt describes it:
/// `/RestAPI/DomainSettings/getDomains|updateDomainCredential`,
/// `/RestAPI/ProxySettings/getSettings|updateSettings`,
/// `/RestAPI/MailSettings/getSettings|updateSettings`; `Authorization: Bearer`;
/// form-encoded requests whose one field holds JSON; JSON replies; AT0xx, CE0xx,
/// PS0xx and MS0xx errors.
///
/// ASSUMED (the document gives the codes, not the envelope or HTTP status): errors
/// answer `{"STATUS":"FAILURE","ERROR_CODE":"AT001","ERROR_MSG":"..."}` with 401 for
/// AT001, 403 for AT002/AT004/AT005, 405 for AT003, 400 for CE001, 500 for CE002, and
/// HTTP 200 for the settings validations (PS0xx, MS0xx), as the documented
/// per-domain failures are.
public final class AD360Simulation: VendorSimulation, @unchecked Sendable {
    public let vendor = "ad360"
    public static let token = "sandbox-token"
    static let prefix = "/RestAPI"

    private let lock = PThreadLock()
    private var domains: [JSONObject] = []
    /// Credentials per domain: kept to answer, never returned (only USER_NAME is).
    private var passwords: [String: String] = [:]
    private var proxy = JSONObject([("ENABLE_PROXY", "false")])
    private var mail = JSONObject([("SERVER_NAME", "smtp"), ("PORT", "25"), ("FROM_MAIL_ID", "no-reply@ad360.local"),
                                   ("ADMIN_MAIL_ID", "admin@ad360.local"), ("CONNECTION_SECURITY", "TLS")])

    public static let errors: [String: String] = [
        "AT001": "Invalid or missing AuthToken. Check whether the AuthToken is not revoked or expired.",
        "AT002": "The given AuthToken doesn't have necessary permission to access the requested API.",
        "AT003": "The requested API doesn't support this HTTP Method.",
        "CE001": "Invalid or missing mandatory parameters.",
        "CE002": "Something went wrong.",
        "PS003": "Failed to save the proxy settings.",
        "MS001": "Invalid from email address.",
        "MS002": "Invalid admin email address.",
        "MS008": "Invalid domain name.",
        "MS010": "Invalid server name or port number.",
        "MS013": "Invalid connection type. Connection type should be SSL or TLS.",
        "MS014": "Invalid port number.",
    ]

    public init() {}

    private func locked<T>(_ body: () -> T) -> T { lock.withLock(body) }

    public func addDomain(_ d: JSONObject) { locked { domains.append(d) } }

    public func handle(_ r: SandboxRequest) -> SandboxResponse {
        guard let parts = r.components(after: Self.prefix), parts.count == 2 else { return fail("CE001", 404) }
        guard r.header("Authorization") == "Bearer \(Self.token)" else { return fail("AT001", 401) }
        let api = parts[0] + "/" + parts[1]
        let reads = ["DomainSettings/getDomains", "ProxySettings/getSettings", "MailSettings/getSettings"]
        let writes = ["DomainSettings/updateDomainCredential", "ProxySettings/updateSettings", "MailSettings/updateSettings"]
        guard reads.contains(api) || writes.contains(api) else { return fail("CE001", 404) }
        if reads.contains(api) && r.method != "GET" || writes.contains(api) && r.method != "POST" { return fail("AT003", 405) }
        return locked {
            switch api {
            case "DomainSettings/getDomains": return .json(200, .array(domains.map(JSON.object)))
            case "ProxySettings/getSettings": return .json(200, .object(proxy))
            case "MailSettings/getSettings": return .json(200, .object(mail))
            case "DomainSettings/updateDomainCredential": return updateCredentials(r)
            case "ProxySettings/updateSettings": return updateProxy(r)
            default: return updateMail(r)
            }
        }
    }

    /// The JSON held by one form field: `DOMAINS=[...]`.
    func formJSON(_ r: SandboxRequest, _ field: String) -> JSON? {
        let form = String(decoding: r.body, as: UTF8.self)
        for pair in form.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if kv.count == 2, String(kv[0]).percentDecoded(plusIsSpace: true) == field {
                return try? JSON.parse(String(kv[1]).percentDecoded(plusIsSpace: true))
            }
        }
        return nil
    }

    func updateCredentials(_ r: SandboxRequest) -> SandboxResponse {
        guard let items = formJSON(r, "DOMAINS")?.array else { return fail("CE001", 400) }
        var results = JSONObject()
        for item in items {
            guard let name = item["DOMAIN_NAME"]?.string, !name.isEmpty else {
                results["--"] = .string(JSON.object(JSONObject([("DOMAIN_STATUS", "FAILURE"), ("ERROR_MSG", "INVALID_DOMAIN")])).text)
                continue
            }
            guard let i = domains.firstIndex(where: { $0["DOMAIN_NAME"]?.string == name }) else {
                results[name] = .string(JSON.object(JSONObject([("DOMAIN_STATUS", "FAILURE"), ("ERROR_MSG", "INVALID_DOMAIN")])).text)
                continue
            }
            let user = item["USER_NAME"]?.string ?? ""
            let password = item["USER_PASSWORD"]?.string ?? ""
            // ASSUMED: a credential with a user but no password cannot be verified.
            if !user.isEmpty && password.isEmpty {
                results[name] = .string(JSON.object(JSONObject([("DOMAIN_STATUS", "FAILURE"),
                                                                ("ERROR_MSG", "INVALID_OR_INSUFFICIENT_CREDENTIAL")])).text)
                continue
            }
            domains[i]["USER_NAME"] = user.isEmpty ? nil : .string(user)
            domains[i]["IS_AUTHENTICATION_REQUIRED"] = .string(user.isEmpty ? "false" : "true")
            domains[i]["STATUS_MESSAGE"] = "SUCCESS"
            passwords[name] = password
            results[name] = .string(JSON.object(JSONObject([("DOMAIN_STATUS", "SUCCESS")])).text)
        }
        // As documented: the per-domain results are JSON text inside the JSON.
        return .json(200, .object(JSONObject([("STATUS", "SUCCESS"), ("DOMAINS", .object(results))])))
    }

    func updateProxy(_ r: SandboxRequest) -> SandboxResponse {
        guard let s = formJSON(r, "PROXY_SETTINGS")?.object else { return fail("CE001", 400) }
        guard let enable = s["ENABLE_PROXY"]?.string, ["true", "false"].contains(enable) else { return fail("CE001", 400) }
        if enable == "true" {
            guard s["SERVER_NAME"]?.string?.isEmpty == false, let port = s["PORT"]?.string, isPort(port) else { return fail("CE001", 400) }
        }
        var stored = JSONObject()
        for key in ["ENABLE_PROXY", "SERVER_NAME", "PORT", "USER_NAME"] { if let v = s[key] { stored[key] = v } }
        proxy = stored
        return .json(200, ["STATUS": "SUCCESS"])
    }

    func updateMail(_ r: SandboxRequest) -> SandboxResponse {
        guard let s = formJSON(r, "MAIL_SETTINGS")?.object else { return fail("CE001", 400) }
        for key in ["SERVER_NAME", "PORT", "FROM_MAIL_ID", "ADMIN_MAIL_ID"] where s[key]?.string?.isEmpty != false {
            return fail("CE001", 400)
        }
        let port = s["PORT"]!.string!
        guard isPort(port) else { return fail("MS014", 200) }
        guard isEmail(s["FROM_MAIL_ID"]!.string!) else { return fail("MS001", 200) }
        let admins = s["ADMIN_MAIL_ID"]!.string!.split(separator: ",").map { String($0).trimmingCharacters(in: " ") }
        guard admins.allSatisfy(isEmail) else { return fail("MS002", 200) }
        let security = s["CONNECTION_SECURITY"]?.string ?? ""
        guard security == "SSL" || security == "TLS" else { return fail("MS013", 200) }
        var stored = JSONObject()
        for key in ["SERVER_NAME", "PORT", "FROM_MAIL_ID", "ADMIN_MAIL_ID", "USER_NAME", "CONNECTION_SECURITY"] {
            if let v = s[key] { stored[key] = v }
        }
        mail = stored
        return .json(200, ["STATUS": "SUCCESS"])
    }

    func isPort(_ s: String) -> Bool { Int(s).map { (1...65535).contains($0) } ?? false }
    func isEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@")
        return parts.count == 2 && parts[1].contains(".") && !parts[0].isEmpty
    }

    func fail(_ code: String, _ status: Int) -> SandboxResponse {
        .json(status, .object(JSONObject([("STATUS", "FAILURE"), ("ERROR_CODE", .string(code)),
                                          ("ERROR_MSG", .string(Self.errors[code] ?? code))])))
    }

    public func serverFault(_ request: SandboxRequest) -> SandboxResponse { fail("CE002", 500) }

    public func state() -> JSON {
        locked {
            .object(JSONObject([("domains", .array(domains.map(JSON.object))), ("proxy", .object(proxy)), ("mail", .object(mail))]))
        }
    }

    public func load(_ state: JSON) throws {
        locked {
            domains = state["domains"]?.array?.compactMap(\.object) ?? []
            if let p = state["proxy"]?.object { proxy = p }
            if let m = state["mail"]?.object { mail = m }
        }
    }
}
