import MXJSON
import MXModel

/// AD360's two settings objects and their neutral field names: what `show ad.proxy`
/// prints and `set ad.mailserver server=... port=587 security=TLS` writes.
struct AD360Settings {
    let path: String
    let formField: String
    /// The fields in display order: the script's name, the vendor's key, the type.
    let fields: [FieldSpec]
    /// Keys the vendor requires on every update.
    let required: [String]

    static let proxy = AD360Settings(
        path: "/ProxySettings", formField: "PROXY_SETTINGS",
        fields: [
            FieldSpec("enabled", wire: "ENABLE_PROXY", .bool, neutral: false, "whether the proxy is used"),
            FieldSpec("server", wire: "SERVER_NAME", .text, neutral: false, "the proxy server's name"),
            FieldSpec("port", wire: "PORT", .integer(1...65535), neutral: false, "the proxy's port"),
            FieldSpec("user", wire: "USER_NAME", .text, neutral: false, "the account the proxy is used with"),
            FieldSpec("password", wire: "PASSWORD", .secret, .writeOnly, neutral: false, "that account's password")
        ],
        // The document's table marks all three mandatory, disabling included.
        required: ["ENABLE_PROXY", "SERVER_NAME", "PORT"])
    static let mailserver = AD360Settings(
        path: "/MailSettings", formField: "MAIL_SETTINGS",
        fields: [
            FieldSpec("server", wire: "SERVER_NAME", .text, neutral: false, "the mail server's name"),
            FieldSpec("port", wire: "PORT", .integer(1...65535), neutral: false, "the mail server's port"),
            FieldSpec("security", wire: "CONNECTION_SECURITY", .choice(["SSL", "TLS"]), neutral: false, "SSL or TLS"),
            FieldSpec("from", wire: "FROM_MAIL_ID", .text, neutral: false, "the sender address of AD360's mail"),
            FieldSpec("admin", wire: "ADMIN_MAIL_ID", .text, neutral: false, "the administrator's address"),
            FieldSpec("user", wire: "USER_NAME", .text, neutral: false, "the account to send with"),
            FieldSpec("password", wire: "PASSWORD", .secret, .writeOnly, neutral: false, "that account's password")
        ],
        // CONNECTION_SECURITY is mandatory in the tables, yet the document's own samples
        // leave it out (CONTRADICTIONS.md): ASSUMED optional, kept as read when set.
        required: ["SERVER_NAME", "PORT", "FROM_MAIL_ID", "ADMIN_MAIL_ID"])

    /// The rest of getDomains' answer (the document's response table), read-only, by
    /// the document's names in lower case. The document answers its flags as text
    /// ("true", "false"): so they are read.
    static let domainFields: [FieldSpec] = [
        ("default_naming_context", "DEFAULT_NAMING_CONTEXT", "the domain's default naming context (DC=...)"),
        ("is_default_domain", "IS_DEFAULT_DOMAIN", "\"true\" when the login page offers it first"),
        ("domain_flat_name", "DOMAIN_FLAT_NAME", "the domain's flat (NetBIOS) name"),
        ("domain_dns_name", "DOMAIN_DNS_NAME", "the domain's DNS name"),
        ("domain_functional_level", "DOMAIN_FUNCTIONAL_LEVEL", "the domain's functional level"),
        ("user_name", "USER_NAME", "the account AD360 reads the domain with"),
        ("is_authentication_required", "IS_AUTHENTICATION_REQUIRED", "\"true\" when a credential was given"),
        ("is_ldap_ssl_enabled", "IS_LDAP_SSL_ENABLED", "\"true\" when AD360 reaches the domain over LDAPS"),
        ("status_message", "STATUS_MESSAGE", "the result of the last configuration of the domain")
    ].map { FieldSpec($0.0, wire: $0.1, .text, .readOnly, neutral: false, $0.2) }

    static let all = ["proxy": proxy, "mailserver": mailserver]
    static func kind(_ name: String) -> AD360Settings? { all[name] }

    /// The settings object's entry in AD360's resource table.
    var resource: ResourceKind {
        ResourceKind(
            formField == "PROXY_SETTINGS" ? "proxy" : "mailserver", kind: .settings,
            placement: [.single(member: formField == "PROXY_SETTINGS" ? "proxy" : "mailserver")],
            listing: "GET \(path)/getSettings", fields: fields, operations: [.updateSettings])
    }

    /// The vendor's strings as neutral values: `"true"` a boolean, a port a number,
    /// `CONNECTION_SECURITY` an enum (TLS, SSL). The password is never read back.
    func neutral(_ o: JSONObject) -> Record {
        var r = Record()
        for f in fields where f.wire != "PASSWORD" {
            let (neutral, key) = (f.name, f.wire)
            guard let s = o[key]?.string ?? o[key]?.int.map(String.init) else { continue }
            switch neutral {
            case "enabled": r[neutral] = .bool(s == "true")
            case "port": r[neutral] = Int(s).map { .number(Double($0)) } ?? .string(s)
            case "security": r[neutral] = .enumCase(s)
            default: r[neutral] = .string(s)
            }
        }
        return r
    }

    /// The document's mandatory attributes the record lacks, by the script's names;
    /// checked before sending, so the vendor never has to answer CE001.
    func missing(_ record: JSONObject) -> [String] {
        required.filter { key in (record[key]?.string ?? record[key]?.int.map(String.init) ?? "").isEmpty }
            .map { key in fields.first { $0.wire == key }?.name ?? key }
    }

    /// The current record with the change's fields written over it, all as strings
    /// (the documents' samples send every value as a string).
    func record(_ current: JSONObject, _ changes: Record) throws -> JSONObject {
        var o = current
        for (name, value) in changes.pairs {
            guard let key = fields.first(where: { $0.name == name })?.wire else {
                throw VendorError(
                    vendor: Vendor.ad360.name, code: "invalid",
                    message:
                        "no field '\(name)' in these settings; fields: \(fields.map(\.name).joined(separator: ", "))")
            }
            switch value {
            case .bool(let b): o[key] = .string(b ? "true" : "false")
            case .number(let n): o[key] = .string(n.rounded() == n ? String(Int(n)) : String(n))
            case .string(let s), .enumCase(let s): o[key] = .string(s)
            case .secret(let s): o[key] = .string(s.reveal())
            case .list(let items): o[key] = .string(items.map { $0.text }.joined(separator: ","))
            default:
                throw VendorError(
                    vendor: Vendor.ad360.name, code: "invalid", message: "\(name) takes text, a number or true/false")
            }
        }
        return o
    }

    /// The document's error codes, in its own words ("Common error response codes" and
    /// each API's "Error Responses"), with ordinary spaces for its non-breaking ones.
    static let errors: [String: String] = [
        "AT001": "Invalid or missing AuthToken. Check whether the AuthToken is not revoked or expired.",
        "AT002": "The given AuthToken doesn't have necessary permission to access the requested API.",
        "AT003": "The requested API doesn't support this HTTP Method.",
        "AT004": "Access denied. User role has changed and the user no longer has permission to access this API.",
        "AT005": "Access denied. You don't have permission to access this API. Please contact your administrator.",
        "CE001": "Invalid or missing mandatory parameters.",
        "CE002": "Something went wrong.",
        "CE003": "Invalid username or password.",
        "PS001": "Authentication required to access proxy server.",
        "PS002": "Proxy Server is down. Please try again later.",
        "PS003": "Failed to save the proxy settings.",
        "MS001": "Invalid from email address.",
        "MS002": "Invalid admin email address.",
        "MS003": "Invalid email address, or mail server requires authentication.",
        "MS004": "Please check whether the server name/IP, port number, and connection type are correct, "
            + "and try again.",
        "MS005": "Network failure, or mail server is down.",
        "MS006": "Authentication details for mail server are incorrect.",
        "MS007": "Unrecognized SSL message: Secure Connection enabled.",
        "MS008": "Invalid domain name.",
        "MS009": "Please make sure the mail address doesn't contain \"zohocorp\" domain.",
        "MS010": "Invalid server name or port number.",
        "MS011": "Invalid username or password.",
        "MS012": "Unable to configure SMTP server with TLS enabled.",
        "MS013": "Invalid connection type. Connection type should be SSL or TLS.",
        "MS014": "Invalid port number."
    ]

    /// What each code means for the engine: the token's access (AT) is a refusal; a
    /// server that is down or a save that failed is the vendor's state, not the values
    /// (refused, and worth trying again later); CE002 is the server's fault; the rest
    /// say the values sent are wrong.
    static func kind(_ code: String, status: Int) -> VendorError.Kind {
        // The server's own failure, whatever the HTTP status (FAILURE_IN_SERVER comes
        // with 200): as a 5xx, the outcome is not known.
        if status >= 500 || code == "CE002" || code == "FAILURE_IN_SERVER" { return .transport }
        if code.hasPrefix("AT") || ["PS002", "PS003", "MS005"].contains(code) { return .refused }
        return .invalid
    }

    static func meaning(_ perDomain: String) -> String {
        switch perDomain {
        case "INVALID_DOMAIN": return "no such domain in AD360 (INVALID_DOMAIN)"
        case "DOMAIN_NOT_AVAILABLE": return "the domain cannot be reached (DOMAIN_NOT_AVAILABLE)"
        case "INVALID_OR_INSUFFICIENT_CREDENTIAL":
            return "the credential is invalid or lacks rights (INVALID_OR_INSUFFICIENT_CREDENTIAL)"
        case "FAILURE_IN_SERVER": return "the AD360 server failed (FAILURE_IN_SERVER)"
        default: return perDomain
        }
    }
}
