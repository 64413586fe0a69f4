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
            FieldSpec("password", wire: "PASSWORD", .secret, .writeOnly, neutral: false, "that account's password"),
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
            FieldSpec("password", wire: "PASSWORD", .secret, .writeOnly, neutral: false, "that account's password"),
        ],
        required: ["SERVER_NAME", "PORT", "FROM_MAIL_ID", "ADMIN_MAIL_ID"])

    static let all = ["proxy": proxy, "mailserver": mailserver]
    static func kind(_ name: String) -> AD360Settings? { all[name] }

    /// The settings object's entry in AD360's resource table.
    var resource: ResourceKind {
        ResourceKind(formField == "PROXY_SETTINGS" ? "proxy" : "mailserver", kind: .settings,
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

    /// The current record with the change's fields written over it, all as strings
    /// (the documents' samples send every value as a string).
    func record(_ current: JSONObject, _ changes: Record) throws -> JSONObject {
        var o = current
        for (name, value) in changes.pairs {
            guard let key = fields.first(where: { $0.name == name })?.wire else {
                throw VendorError(vendor: Vendor.ad360.name, code: "invalid",
                                  message: "no field '\(name)' in these settings; fields: \(fields.map(\.name).joined(separator: ", "))")
            }
            switch value {
            case .bool(let b): o[key] = .string(b ? "true" : "false")
            case .number(let n): o[key] = .string(n.rounded() == n ? String(Int(n)) : String(n))
            case .string(let s), .enumCase(let s): o[key] = .string(s)
            case .secret(let s): o[key] = .string(s.reveal())
            case .list(let items): o[key] = .string(items.map { $0.text }.joined(separator: ","))
            default: throw VendorError(vendor: Vendor.ad360.name, code: "invalid", message: "\(name) takes text, a number or true/false")
            }
        }
        return o
    }

    /// The document's error codes, in its own words (the engine says what each means;
    /// the sandbox answers with them).
    static let errors: [String: String] = [
        "AT001": "invalid or missing AuthToken (check that it is not revoked or expired)",
        "AT002": "the AuthToken does not have the permission this API needs",
        "AT003": "the API does not support this HTTP method",
        "AT004": "access denied: the user's role has changed and no longer allows this API",
        "AT005": "access denied: no permission for this API; ask your administrator",
        "CE001": "invalid or missing mandatory parameters",
        "CE002": "something went wrong on the server",
        "CE003": "invalid username or password",
        "PS001": "the proxy server requires authentication",
        "PS002": "the proxy server is down; try again later",
        "PS003": "failed to save the proxy settings",
        "MS001": "invalid from email address",
        "MS002": "invalid admin email address",
        "MS003": "invalid email address, or the mail server requires authentication",
        "MS004": "check the server name or IP, the port and the connection type",
        "MS005": "network failure, or the mail server is down",
        "MS006": "the mail server's authentication details are incorrect",
        "MS007": "unrecognised SSL message: secure connection enabled (SSL on a port that does not speak it?)",
        "MS008": "invalid domain name",
        "MS009": "the mail address must not be in the zohocorp domain",
        "MS010": "invalid server name or port number",
        "MS011": "invalid username or password",
        "MS012": "unable to configure the SMTP server with TLS enabled",
        "MS013": "invalid connection type: it should be SSL or TLS",
        "MS014": "invalid port number",
    ]

    static func meaning(_ perDomain: String) -> String {
        switch perDomain {
        case "INVALID_DOMAIN": return "no such domain in AD360 (INVALID_DOMAIN)"
        case "INVALID_OR_INSUFFICIENT_CREDENTIAL": return "the credential is invalid or lacks rights (INVALID_OR_INSUFFICIENT_CREDENTIAL)"
        case "FAILURE_IN_SERVER": return "the AD360 server failed (FAILURE_IN_SERVER)"
        default: return perDomain
        }
    }
}
