import MXJSON

/// What every Cleanmail handler checks a request with: the body, its members (the
/// models' Required column), and the formats of names, addresses, hosts and subnets.
/// ASSUMED framework behaviour: malformed JSON, a member of the wrong type, a missing
/// required member or an unknown enum value is a 400; unknown members are ignored.
extension CleanmailAPI {
    static let languages = ["FR", "EN", "DE", "ES", "DA", "NB"]
    static let domainStatuses = ["ENABLED", "DISABLED", "DELETED", "PENDING"]
    static let userStatuses = ["ENABLED", "DISABLED", "PENDING"]
    static let wblistPriorities = ["DOMAIN", "USER"]
    static let ruleTypes = ["ALLOW", "BLOCK", "PROTECTED"]
    static let transportTypes = ["SMTP", "SMTPS_ENCRYPT", "SMTPS_MAY"]
    static let apiTypes = ["IMAP", "EXCHANGE", "O365"]
    static let authTypes = ["local", "imap", "ldap", "oidc", "entra"]

    /// The request's body as JSON; a body that does not parse is a 400 (ASSUMED wording).
    static func body(_ r: SandboxRequest) throws -> JSON {
        guard let j = r.json else { throw Failure(400, "JSON parse error: the request body is not valid JSON") }
        return j
    }

    static func bodyObject(_ r: SandboxRequest) throws -> JSONObject {
        guard let o = try body(r).object else {
            throw Failure(400, "JSON parse error: the request body must be a JSON object")
        }
        return o
    }

    /// `Location` of a created resource, as in the document's examples.
    static func location(_ r: SandboxRequest, _ path: String) -> [(name: String, value: String)] {
        let root = r.header("Host").map { "http://\($0)" } ?? ""
        return [("Access-Control-Expose-Headers", "Content-Location"), ("Location", root + path)]
    }

    /// A required member: absent, null or of the wrong type is a 400.
    static func required<T>(_ o: JSONObject, _ key: String, _ get: (JSON) -> T?) throws -> T {
        try required(o, key, at: "", get)
    }

    static func required<T>(_ o: JSONObject, _ key: String, at: String, _ get: (JSON) -> T?) throws -> T {
        guard let v = o[key], v != .null else { throw Failure(400, "Validation failed: \(at)\(key) must not be null") }
        guard let t = get(v) else { throw Failure(400, "JSON parse error: \(at)\(key) has an invalid value") }
        return t
    }

    /// An optional member: nil when absent or null; of the wrong type, a 400.
    static func optional<T>(_ o: JSONObject, _ key: String, _ get: (JSON) throws -> T?) throws -> T? {
        try optional(o, key, at: "", get)
    }

    static func optional<T>(_ o: JSONObject, _ key: String, at: String, _ get: (JSON) throws -> T?) throws -> T? {
        guard let v = o[key], v != .null else { return nil }
        guard let t = try get(v) else { throw Failure(400, "JSON parse error: \(at)\(key) has an invalid value") }
        return t
    }

    /// FR, EN, DE, ES, DA, NB; ASSUMED: accepted in either case ("fr (French)"), kept upper case.
    static func language(_ v: JSON) -> String? {
        v.string.map { $0.uppercased() }.flatMap { languages.contains($0) ? $0 : nil }
    }

    /// `a.b.c.d/y` (6.20: "required format: a.b.c.d/y").
    static func subnets(_ v: JSON) -> [String]? {
        guard let list = v.array else { return nil }
        var out: [String] = []
        for item in list {
            guard let s = item.string else { return nil }
            let parts = s.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let bits = Int(parts[1]), (0...32).contains(bits), isIPv4(String(parts[0])) else {
                return nil
            }
            out.append(s)
        }
        return out
    }

    static func isIPv4(_ s: String) -> Bool {
        let octets = s.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4
            && octets.allSatisfy { o in !o.isEmpty && o.count <= 3 && o.allSatisfy(\.isASCIIDigit) && Int(o)! <= 255 }
    }

    /// ASSUMED format of a domain name: two or more labels of letters, digits and
    /// inner hyphens, at most 63 characters each, 253 in all, the last not numeric.
    static func isDomainName(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 253 else { return false }
        let labels = s.lowercased().split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for l in labels {
            guard !l.isEmpty, l.count <= 63, !l.hasPrefix("-"), !l.hasSuffix("-"),
                l.allSatisfy({ $0.isASCIIDigit || ("a"..."z").contains($0) || $0 == "-" })
            else { return false }
        }
        return !labels.last!.allSatisfy(\.isASCIIDigit)
    }

    static func isEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64,
            !parts[0].contains(where: { $0 == " " || $0 == "\t" || $0 == "," || $0 == ";" })
        else { return false }
        return isDomainName(String(parts[1]))
    }

    static func isHost(_ s: String) -> Bool {
        !s.isEmpty && !s.contains(where: { $0 == " " || $0 == "\t" || $0 == "/" || $0 == "," })
            && (isIPv4(s) || isDomainName(s) || s.contains(":"))
    }

}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
