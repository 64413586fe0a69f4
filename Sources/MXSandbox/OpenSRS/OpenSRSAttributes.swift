import MXJSON

/// The attributes of an OpenSRS domain and user, their allowed values and what the
/// company passes down, as vendors/opensrs-email-get_domain.txt gives them (its
/// attributes table, `settable_attributes`, `metadata.options`, `metadata.inherit`,
/// `metadata.defaults`). Where its examples disagree (CONTRADICTIONS.md) the reading a
/// client is safest with is taken, marked ASSUMED.
enum OpenSRSAttributes {
    // MARK: domains

    /// Every field of the document's attributes table, in the order get_domain answers
    /// them. ASSUMED: the table's `spam_header` is the examples' `spamheader` (the name
    /// the examples both answer and list as settable); `spamlevel` and
    /// `password_strength`, in the table but not in Example 1, are answered too.
    static let domainFields = [
        "account", "company", "disabled", "aliases", "allow", "block", "brand", "catchall", "default_password_encoding",
        "filterdelivery", "filtermx", "language", "limit_aliases", "limit_users", "notes_external", "password",
        "password_strength", "quota", "quota_maximum", "regen_passwords", "service_imap4", "service_pop3",
        "service_smtpin",
        "service_smtprelay", "service_smtprelay_webmail", "service_webmail", "smtp_sent_limit", "spamfolder",
        "spamheader",
        "spamlevel", "spamtag", "stats_mailout", "timezone", "wm_domainalias", "workgroup"
    ]

    /// The document's `settable_attributes`, exactly (with `spamheader` for the syntax
    /// block's `spam_header`): `catchall` ("cannot be enabled for new domains"),
    /// `password_strength`, `smtp_sent_limit`, `company`, `account` and `password` are
    /// read-only here.
    static let domainSettable = [
        "aliases", "allow", "block", "brand", "default_password_encoding", "disabled", "filterdelivery", "filtermx",
        "language", "limit_aliases", "limit_users", "notes_external", "quota", "quota_maximum", "regen_passwords",
        "service_imap4", "service_pop3", "service_smtpin", "service_smtprelay", "service_smtprelay_webmail",
        "service_webmail", "spamfolder", "spamheader", "spamlevel", "spamtag", "stats_mailout", "timezone",
        "wm_domainalias", "workgroup"
    ]

    static let services = [
        "service_imap4", "service_pop3", "service_smtpin", "service_smtprelay",
        "service_smtprelay_webmail", "service_webmail"
    ]
    static let serviceStates = ["enabled", "disabled", "suspended"]
    static let spamlevels = ["Normal", "High", "Very High"]
    static let filterdeliveries = ["quarantine", "passthrough"]

    /// `metadata.options`, from Example 1 (the existing domain's). ASSUMED where the
    /// examples disagree: quota [0, 15360] (Example 1; Example 2 has [0, 1048576]: the
    /// tighter range is the one a client is safe with, and both examples' values are
    /// megabytes, whatever the table says of bytes); workgroup Example 1's list (its
    /// defaults name "staff"). The timezone list is the document's plus "UTC", the
    /// sandbox company's default; `timezone` also takes any other tz-database name
    /// (Area/City): the document's list is a sample of one zone per offset.
    static let options = JSONObject([
        ("quota", [0, 15360]),
        (
            "default_password_encoding",
            [
                nil, "MD5", "SSHA224", "SSHA256", "SSHA384", "SSHA512", "BCRYPT-6", "BCRYPT-8",
                "BCRYPT-10", "BCRYPT-12"
            ]
        ),
        ("workgroup", ["contract", "interns", "sales", "sales_europe", "staff", "stock_holders", "sysadmins"]),
        ("quota_maximum", [0, 15360]),
        ("timezone", .array(timezones.map(JSON.string))),
        ("language", ["el", "en", "es", "fr", "de", "it", "pt_BR", "nl", "da", "no", "sv"]),
        ("brand", [nil, "Default Brand", "Example Co Brand"]),
        ("spamlevel", [nil, "Very High", "High", "Normal"])
    ])

    static let timezones = [
        "Pacific/Wake", "Pacific/Niue", "Pacific/Honolulu", "America/Anchorage", "America/Vancouver",
        "America/Edmonton",
        "America/Phoenix", "America/Chicago", "America/Mexico_City", "America/Guatemala", "America/Montreal",
        "America/Havana",
        "America/Lima", "America/Caracas", "America/Halifax", "America/Asuncion", "America/Santiago",
        "America/Puerto_Rico",
        "America/La_Paz", "America/St_Johns", "America/Sao_Paulo", "America/Montevideo", "America/Buenos_Aires",
        "America/Noronha", "Atlantic/South_Georgia", "Atlantic/Azores", "Atlantic/Cape_Verde", "Europe/London",
        "Africa/Casablanca", "Atlantic/Reykjavik", "Europe/Amsterdam", "Africa/Algiers", "Asia/Beirut",
        "Europe/Helsinki",
        "Europe/Minsk", "Europe/Istanbul", "Asia/Amman", "Asia/Damascus", "Asia/Jerusalem", "Africa/Cairo",
        "Africa/Johannesburg", "Europe/Moscow", "Asia/Baghdad", "Asia/Tehran", "Asia/Baku", "Asia/Dubai",
        "Indian/Mauritius",
        "Asia/Kabul", "Asia/Karachi", "Asia/Colombo", "Asia/Calcutta", "Asia/Kathmandu", "Asia/Dhaka", "Asia/Rangoon",
        "Asia/Bangkok", "Asia/Phnom_Penh", "Asia/Hong_Kong", "Australia/Perth", "Asia/Tokyo", "Australia/Adelaide",
        "Australia/Darwin", "Australia/Melbourne", "Australia/Brisbane", "Australia/Lord_Howe", "Pacific/Guadalcanal",
        "Pacific/Norfolk", "Pacific/Fiji", "Pacific/Auckland", "Asia/Anadyr", "Pacific/Chatham", "Pacific/Tongatapu",
        "Pacific/Kiritimati", "UTC"
    ]

    /// The sandbox company's values, answered as `metadata.inherit` (the document's ten
    /// keys). ASSUMED values; always answered in full, so a client can show what a null
    /// attribute of the domain inherits.
    static let inherit = JSONObject([
        ("default_password_encoding", "BCRYPT-12"), ("brand", "Default Brand"), ("filterdelivery", "quarantine"),
        ("password_strength", "medium"), ("regen_passwords", false), ("smtp_sent_limit", 1000), ("spamfolder", "Spam"),
        ("spamheader", "XSpam: Spam detected"), ("spamtag", "[SPAM]"), ("spamlevel", "Normal")
    ])

    /// What a new domain gets (`metadata.defaults`: the document's twelve keys). ASSUMED:
    /// the sandbox company's language and timezone ("en", "UTC"), Example 2's others.
    static let defaults = JSONObject([
        ("service_imap4", "enabled"), ("quota", 5120), ("disabled", false), ("quota_maximum", 15360),
        ("timezone", "UTC"),
        ("language", "en"), ("service_smtprelay", "enabled"), ("service_pop3", "enabled"), ("workgroup", "staff"),
        ("service_smtprelay_webmail", "enabled"), ("service_smtpin", "enabled"), ("service_webmail", "enabled")
    ])

    static let company = "Sandbox Co"

    /// A new domain's whole record: every field, the defaults, null where the company's
    /// value is inherited, empty lists.
    static func newDomain(_ name: String) -> JSONObject {
        var a = JSONObject()
        for f in domainFields { a[f] = .null }
        a["account"] = .string(name)
        a["company"] = .string(company)
        for k in ["aliases", "allow", "block", "stats_mailout"] { a[k] = [] }
        for (k, v) in defaults.pairs { a[k] = v }
        return a
    }

    /// Why each attribute given to `change_domain` is refused: `unknown` ones are not
    /// attributes of a domain at all (error 6), `readOnly` ones exist and may not be set
    /// (error 4, "no permission for attribute"), `bad` ones have a value the document
    /// does not allow (error 6). Keys are the attributes, values the hints.
    struct Refusals {
        var unknown = JSONObject()
        var readOnly = JSONObject()
        var bad = JSONObject()
        var isEmpty: Bool { unknown.count + readOnly.count + bad.count == 0 }

        /// The answer: badly formatted (6) before not permitted (4).
        func response() -> SandboxResponse? {
            if unknown.count + bad.count > 0 {
                var hints = unknown
                for (k, v) in bad.pairs { hints[k] = v }
                return OpenSRSAPI.failure(6, "Attribute is badly formatted", hints: hints)
            }
            if readOnly.count > 0 { return OpenSRSAPI.failure(4, "No permission for attribute", hints: readOnly) }
            return nil
        }
    }

    static func checkDomain(_ attributes: JSONObject) -> Refusals {
        var r = Refusals()
        for (k, v) in attributes.pairs {
            if !domainFields.contains(k) {
                r.unknown[k] =
                    k == "spam_header" ? "not an attribute; the header is spamheader" : "not a settable attribute"
                continue
            }
            if !domainSettable.contains(k) { r.readOnly[k] = "not a settable attribute"; continue }
            if let why = domainValueProblem(k, v) { r.bad[k] = .string(why) }
        }
        return r
    }

    /// The document's allowed values; nil when `v` is one.
    static func domainValueProblem(_ k: String, _ v: JSON) -> String? {
        switch k {
        case "aliases": return list(v, max: Int.max, "domain names")  // more than 2000: error 16
        case "allow", "block": return list(v, max: 1000, "addresses (wildcards allowed)")
        case "stats_mailout":
            if let p = list(v, max: 100, "addresses") { return p }
            return v.array!.allSatisfy({ isAddress($0.string!) }) ? nil : "a list of email addresses"
        case "disabled": return v.bool == nil ? "true or false" : nil
        case "regen_passwords", "wm_domainalias": return v == .null || v.bool != nil ? nil : "true, false or null"
        case "spamlevel": return oneOf(v, spamlevels, nullable: true)
        case "filterdelivery": return oneOf(v, filterdeliveries, nullable: true)
        case _ where services.contains(k): return oneOf(v, serviceStates, nullable: false)
        case "quota", "quota_maximum":
            let range = options[k]!.array!.compactMap(\.int)
            guard let n = v.int, n >= range[0], n <= range[1] else { return "a number from \(range[0]) to \(range[1])" }
            return nil
        case "limit_users", "limit_aliases":
            if v == .null { return nil }
            guard let n = v.int, n >= 0 else { return "a number from 0, or null for no limit" }
            return nil
        case "language", "brand", "default_password_encoding", "workgroup":
            return fromOptions(k, v)
        case "timezone":
            if fromOptions(k, v) == nil { return nil }
            guard let s = v.string, isZoneName(s) else { return "a time zone, such as America/Montreal" }
            return nil
        case "spamheader":
            if v == .null { return nil }
            guard let s = v.string, isSpamHeader(s) else {
                return "[Capital letter]anything[:] anything, such as XSpam: Spam detected"
            }
            return nil
        case "notes_external":
            if v == .null { return nil }
            guard let s = v.string, s.count <= 4096 else { return "text of at most 4096 characters, or null" }
            return nil
        case "filtermx", "spamfolder", "spamtag":
            return v == .null || v.string != nil ? nil : "text or null"
        default:
            return nil
        }
    }

    static func list(_ v: JSON, max: Int, _ what: String) -> String? {
        guard let items = v.array, items.allSatisfy({ $0.string != nil }) else { return "a list of \(what)" }
        return items.count > max ? "at most \(max) \(what)" : nil
    }

    static func oneOf(_ v: JSON, _ allowed: [String], nullable: Bool) -> String? {
        if nullable, v == .null { return nil }
        if let s = v.string, allowed.contains(s) { return nil }
        return "one of: " + allowed.joined(separator: ", ") + (nullable ? " (or null to inherit)" : "")
    }

    static func fromOptions(_ k: String, _ v: JSON) -> String? {
        let allowed = options[k]!.array!
        if allowed.contains(v) { return nil }
        return "one of metadata.options.\(k): " + allowed.map { $0.string ?? "null" }.joined(separator: ", ")
    }

    static func isZoneName(_ s: String) -> Bool {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count >= 2
            && parts.allSatisfy { p in
                !p.isEmpty && p.allSatisfy { $0.isLetter || $0.isNumber || "_-+".contains($0) }
            } && parts[0].first!.isUppercase
    }

    /// "[Capital letter]anything[:] anything": `XSpam: Spam detected`.
    static func isSpamHeader(_ s: String) -> Bool {
        guard let first = s.first, first.isUppercase, first.isASCII, let colon = s.firstIndex(of: ":") else {
            return false
        }
        let name = s[..<colon]
        return !name.contains(" ") && s[s.index(after: colon)...].first == " "
    }

    static func isAddress(_ s: String) -> Bool {
        let p = s.split(separator: "@", omittingEmptySubsequences: false)
        return p.count == 2 && !p[0].isEmpty && p[1].contains(".")
    }

    // MARK: users

    /// ASSUMED (NOTES.md: the real API's user attributes; the document here covers
    /// domains): what get_user answers, in this order. `account` is the address (and
    /// `mailbox`, the sandbox's earlier name for it, is kept beside it); `type` is
    /// `mailbox`; `password` is never answered; the service states and the spam
    /// settings start as the domain's defaults (null inherits).
    static let userFields = [
        "account", "mailbox", "type", "name", "title", "phone", "fax", "disabled", "aliases", "allow", "block", "brand",
        "language", "timezone", "workgroup", "quota", "service_imap4", "service_pop3", "service_smtpin",
        "service_smtprelay",
        "service_smtprelay_webmail", "service_webmail", "spamfolder", "spamheader", "spamlevel", "spamtag",
        "filterdelivery",
        "delivery_local", "delivery_forward", "delivery_filter", "forward_recipients", "forward_option_restricted",
        "forward_option_subject_prefix", "forward_option_reply_to", "reply_to", "autoresponder",
        "autoresponder_option_enddate", "autoresponder_option_interval", "smtp_sent_limit", "notes_external"
    ]
    static let userReadOnly: Set<String> = ["account", "mailbox", "type", "smtp_sent_limit"]
    static var userSettable: [String] { (userFields.filter { !userReadOnly.contains($0) } + ["password"]).sorted() }

    /// A new user of `domain` (its attributes): the domain's defaults for services,
    /// language, timezone, workgroup and quota.
    static func newUser(_ email: String, domain: JSONObject?) -> JSONObject {
        var a = JSONObject()
        for f in userFields { a[f] = .null }
        a["account"] = .string(email)
        a["mailbox"] = .string(email)
        a["type"] = "mailbox"
        a["disabled"] = false
        for k in ["aliases", "allow", "block", "forward_recipients"] { a[k] = [] }
        a["delivery_local"] = true
        a["delivery_forward"] = false
        a["delivery_filter"] = false
        a["forward_option_restricted"] = false
        for k in services + ["language", "timezone", "workgroup", "quota", "brand"] {
            a[k] = domain?[k].flatMap { $0 == .null ? nil : $0 } ?? defaults[k] ?? .null
        }
        if a["language"] == .null { a["language"] = "en" }
        return a
    }

    static func checkUser(_ attributes: JSONObject, quotaMaximum: Int?) -> Refusals {
        var r = Refusals()
        for (k, v) in attributes.pairs {
            if k == "password" {
                if v.string?.isEmpty != false { r.bad[k] = "a password" }
                continue
            }
            if !userFields.contains(k) { r.unknown[k] = "not a settable attribute"; continue }
            if userReadOnly.contains(k) { r.readOnly[k] = "not a settable attribute"; continue }
            if let why = userValueProblem(k, v, quotaMaximum: quotaMaximum) { r.bad[k] = .string(why) }
        }
        return r
    }

    static func userValueProblem(_ k: String, _ v: JSON, quotaMaximum: Int?) -> String? {
        switch k {
        case "aliases", "forward_recipients": return list(v, max: 2000, "addresses")
        case "allow", "block": return list(v, max: 1000, "addresses (wildcards allowed)")
        case "disabled", "delivery_local", "delivery_forward", "delivery_filter", "forward_option_restricted":
            return v.bool == nil ? "true or false" : nil
        case "quota":
            // ASSUMED: megabytes, at most the domain's quota_maximum.
            let top = quotaMaximum ?? 15360
            guard let n = v.int, n >= 0, n <= top else {
                return "a number of megabytes from 0 to \(top) (the domain's quota_maximum)"
            }
            return nil
        case "autoresponder_option_interval":
            if v == .null { return nil }
            guard let n = v.int, n >= 0 else { return "a number of hours from 0, or null" }
            return nil
        case "name", "title", "phone", "fax", "reply_to", "autoresponder", "autoresponder_option_enddate",
            "forward_option_subject_prefix", "forward_option_reply_to":
            return v == .null || v.string != nil ? nil : "text or null"
        default:
            return domainValueProblem(k, v)
        }
    }
}
