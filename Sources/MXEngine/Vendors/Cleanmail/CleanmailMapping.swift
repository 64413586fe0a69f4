import MXJSON
import MXModel

/// Cleanmail records <-> neutral objects (DESIGN.md's mapping table; models in
/// vendors/cleanmail-api.txt section 6): `name`, `status`, `domainAliases`, the default
/// platform's `transportDest` (+ port) and `fallbackTransportDest`, the policy's
/// `outgoing`, `defaultLanguage`, `description`, `creationDate`, and the sender
/// filtering rules (ALLOW/BLOCK) of `/domains/{id}/wblist`.
enum CleanmailMapping {
    /// `rules`: the domain's filtering rules (nil when they were not read).
    static func domain(_ o: JSONObject, rules: [JSON]?) -> Domain {
        let platform = defaultPlatform(o)
        let destination = platform?["transportDest"]?.string.map {
            destinationText($0, platform?["transportPort"]?.int)
        }
        var raw = o
        if let rules { raw["wblist"] = .array(rules) }
        return Domain(
            name: o["name"]?.string ?? "", status: Status(rawValue: o["status"]?.string ?? "") ?? .enabled,
            aliases: aliasNames(o["domainAliases"]), destination: destination,
            failovers: platform?["fallbackTransportDest"]?.string.map {
                [destinationText($0, platform?["fallbackTransportPort"]?.int)]
            } ?? [],
            relay: o["outgoing"]?.bool ?? o["policy"]?["outgoing"]?.bool ?? false,
            allow: rules.map { senders($0, "ALLOW") }, block: rules.map { senders($0, "BLOCK") },
            language: o["defaultLanguage"]?.string?.lowercased(), description: o["description"]?.string,
            created: o["creationDate"].flatMap(millisecondsDate), raw: Record(json: raw))
    }

    /// Aliases come as `Alias` objects (`{"id", "name"}`); plain strings are read too.
    static func aliasNames(_ v: JSON?) -> [String] {
        (v?.array ?? []).compactMap { $0["name"]?.string ?? $0.string }
    }

    static func senders(_ rules: [JSON], _ type: String) -> [String] {
        rules.filter { $0["type"]?.string == type }.compactMap { $0["value"]?.string }
    }

    static func defaultPlatform(_ o: JSONObject) -> JSONObject? {
        let platforms = o["platforms"]?.array?.compactMap(\.object) ?? []
        return platforms.first { $0["default"]?.bool == true } ?? platforms.first
    }

    /// Dates are epoch milliseconds.
    static func millisecondsDate(_ v: JSON) -> String? {
        var ms = v.int
        if ms == nil, case .double(let d) = v { ms = Int(d) }
        guard let ms else { return nil }
        return isoDate(ms / 1000)
    }

    /// `host` or `host:port` as a platform's destination fields.
    static func destination(_ text: String) -> (host: String, port: Int) {
        // Values were checked before the change was made (host, IPv4 or [IPv6], :port);
        // an IPv6 address goes to transportDest without its brackets.
        guard let d = try? Destination.parse(text) else { return (text, 25) }
        return (d.host, d.port ?? 25)
    }

    /// `transportDest` and `transportPort` as one destination: `[IPv6]:port` when the
    /// port is not SMTP's own.
    static func destinationText(_ host: String, _ port: Int?) -> String {
        let kind: Destination.Kind = host.contains(":") ? .ipv6 : .hostName
        return Destination(host: host, kind: kind, port: port == 25 ? nil : port).text
    }

    /// The platform list with the default platform's relay fields set from `d`.
    static func platforms(_ current: JSONObject?, _ d: Domain) -> JSON {
        var all = current?["platforms"]?.array?.compactMap(\.object) ?? []
        var index = all.firstIndex { $0["default"]?.bool == true } ?? (all.isEmpty ? nil : 0)
        if index == nil {
            all.append(
                JSONObject([("name", "platform"), ("transportType", "SMTP"), ("authType", "local"), ("default", true)]))
            index = all.count - 1
        }
        var p = all[index!]
        p["id"] = p["id"]  // kept as is: the platform's identity
        let (host, port) = destination(d.destination ?? "")
        p["transportDest"] = .string(host)
        p["transportPort"] = .int(port)
        if p["transportType"] == nil { p["transportType"] = "SMTP" }
        if let f = d.failovers?.first {
            let (fh, fp) = destination(f)
            p["fallbackTransportDest"] = .string(fh)
            p["fallbackTransportPort"] = .int(fp)
            p["fallbackTransportType"] = p["transportType"]
        } else {
            p["fallbackTransportDest"] = .null
            p["fallbackTransportPort"] = .null
            p["fallbackTransportType"] = .null
        }
        all[index!] = p
        return .array(all.map(JSON.object))
    }

    /// The rule list for `PUT /domains/{id}/wblist`: the neutral allow and block lists,
    /// and every other rule (PROTECTED) as it was.
    static func rules(_ current: [JSON], allow: [String], block: [String]) -> JSON {
        var out: [JSON] = current.filter { $0["type"]?.string != "ALLOW" && $0["type"]?.string != "BLOCK" }.map { r in
            .object(
                JSONObject(
                    ["value", "type", "expireAt", "description", "spfOn"].compactMap { k in r[k].map { (k, $0) } }))
        }
        // The document asks `spfOn` of allowlist rules.
        for v in allow { out.append(["value": .string(v), "type": "ALLOW", "spfOn": false]) }
        for v in block { out.append(["value": .string(v), "type": "BLOCK"]) }
        return .array(out)
    }

    static func user(_ o: JSONObject) -> User {
        let name = [o["firstname"]?.string, o["lastname"]?.string].compactMap { $0 }.filter { !$0.isEmpty }.joined(
            separator: " ")
        return User(
            email: o["email"]?.string ?? "", name: name.isEmpty ? nil : name,
            status: Status(rawValue: o["status"]?.string ?? "") ?? .enabled,
            language: o["language"]?.string?.lowercased(), raw: Record(json: CleanmailUserFields.readable(o)))
    }

    /// The user fields a change sets, as `NewUser`/`UpdateUser` members.
    static func userFields(_ fields: Record, of u: User, into o: inout JSONObject) {
        for name in fields.keys {
            switch name {
            case "name":
                let parts = (u.name ?? "").split(separator: " ", maxSplits: 1).map(String.init)
                o["firstname"] = .string(parts.first ?? "")
                o["lastname"] = .string(parts.count > 1 ? parts[1] : "")
            case "status": o["status"] = .string(u.status.rawValue)
            case "language": o["language"] = u.language.map { .string($0.uppercased()) } ?? .null
            default: continue
            }
        }
    }

    static func meaning(_ status: Int) -> String {
        switch status {
        case 400: return "bad request (a parameter does not match the required format)"
        case 401: return "authentication is invalid or missing"
        case 403: return "no permission for this request"
        case 404: return "not found"
        case 409: return "already exists"
        case 422: return "the operation's conditions are not met"
        case 429: return "too many requests"
        default: return status >= 500 ? "server error" : "HTTP \(status)"
        }
    }

    /// What each status means for the engine.
    static func kind(_ status: Int) -> VendorError.Kind { .ofHTTP(status) }

    /// ASSUMED error body (the document lists messages, not a shape): `message`,
    /// `error` or `errors`, whichever the body has.
    static func details(_ body: JSON?) -> String? {
        if let m = body?["message"]?.string { return m }
        if let e = body?["error"]?.string { return e }
        if let list = body?["errors"]?.array { return list.map { $0.string ?? $0.text }.joined(separator: "; ") }
        return nil
    }
}
