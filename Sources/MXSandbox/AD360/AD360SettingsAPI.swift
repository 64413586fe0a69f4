import MXJSON

/// `ProxySettings` and `MailSettings`: one object each, read whole and replaced whole;
/// passwords are accepted and never kept or answered.
extension AD360API {
    static func registerSettings(_ r: inout Router<Handler>) {
        r.add("GET", "/ProxySettings/getSettings", { s, _ in .json(200, .object(s.proxy)) })
        r.add("POST", "/ProxySettings/updateSettings", updateProxy)
        r.add("GET", "/MailSettings/getSettings", { s, _ in .json(200, .object(s.mail)) })
        r.add("POST", "/MailSettings/updateSettings", updateMail)
    }

    static func updateProxy(_ s: inout AD360Store, _ r: SandboxRequest) -> SandboxResponse {
        guard let o = formJSON(r, "PROXY_SETTINGS")?.object else { return fail("CE001", 400) }
        guard let enable = o["ENABLE_PROXY"]?.string, ["true", "false"].contains(enable) else { return fail("CE001", 400) }
        if enable == "true" {
            guard o["SERVER_NAME"]?.string?.isEmpty == false, let port = o["PORT"]?.string, isPort(port) else { return fail("CE001", 400) }
        }
        var stored = JSONObject()
        for key in ["ENABLE_PROXY", "SERVER_NAME", "PORT", "USER_NAME"] { if let v = o[key] { stored[key] = v } }
        s.proxy = stored
        return .json(200, ["STATUS": "SUCCESS"])
    }

    static func updateMail(_ s: inout AD360Store, _ r: SandboxRequest) -> SandboxResponse {
        guard let o = formJSON(r, "MAIL_SETTINGS")?.object else { return fail("CE001", 400) }
        for key in ["SERVER_NAME", "PORT", "FROM_MAIL_ID", "ADMIN_MAIL_ID"] where o[key]?.string?.isEmpty != false {
            return fail("CE001", 400)
        }
        guard isPort(o["PORT"]!.string!) else { return fail("MS014", 200) }
        guard isEmail(o["FROM_MAIL_ID"]!.string!) else { return fail("MS001", 200) }
        let admins = o["ADMIN_MAIL_ID"]!.string!.split(separator: ",").map { String($0).trimmingCharacters(in: " ") }
        guard admins.allSatisfy(isEmail) else { return fail("MS002", 200) }
        let security = o["CONNECTION_SECURITY"]?.string ?? ""
        guard security == "SSL" || security == "TLS" else { return fail("MS013", 200) }
        var stored = JSONObject()
        for key in ["SERVER_NAME", "PORT", "FROM_MAIL_ID", "ADMIN_MAIL_ID", "USER_NAME", "CONNECTION_SECURITY"] {
            if let v = o[key] { stored[key] = v }
        }
        s.mail = stored
        return .json(200, ["STATUS": "SUCCESS"])
    }
}
