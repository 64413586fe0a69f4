import MXJSON

/// Health (5.11): a domain's diagnostic (MX and DKIM), a platform's relay check (SMTP
/// to its destination and fallback), a relay tried before it exists, and the
/// environment's failures. Reports are `EntityHealth` (6.24): `performedAt` in seconds
/// (as every example, unlike the other dates), a `report` with `status` and `entries`.
///
/// The sandbox has no DNS or network: it answers from its own facts.
/// - ASSUMED DNS facts (`dns/<domain>` in the state): MX is "OK" (points to Cleanmail),
///   "MISSING" or "INVALID"; a domain created through the API starts MISSING; the demo
///   seed sets them. DKIM passes when the domain has a key (5.6), is missing without one,
///   and is an invalid couple when the seed says the published key does not match.
/// - ASSUMED `status`: false when any test fails (5.11.1 and 5.11.4; 5.11.3 shows true
///   with a DKIM error, CONTRADICTIONS.md). Selector in messages: the key's, else "protect".
/// - ASSUMED relay reachability: every host answers, except TEST-NET addresses
///   (192.0.2.x, 198.51.100.x, 203.0.113.x), names ending in `.invalid`, and ports other
///   than 25, 465, 587 and 2525. The tests are typed "SMTP" and "SMTP_FALLBACK".
/// - ASSUMED: GET of a domain or platform never tested runs the test then (Cleanmail
///   tests every domain periodically, so there is always a "last" result); POST on a
///   platform answers 201 like a domain's; try-relay answers 200 and keeps nothing;
///   GET /health lists domains (not deleted) and platforms whose last report failed, by name.
extension CleanmailAPI {
    static let healthDomainMissing = "Domain does not exist."
    static let platformMissing = "Platform does not exist."

    static func registerHealth(_ r: inout Router<Route>) {
        r.write("POST", "/domains/{domainId}/health") { s, c in
            .json(201, runDomainHealth(&s, try domain(s, c["domainId"], healthDomainMissing)))
        }
        r.read("/domains/{domainId}/health") { s, c in
            let d = try domain(s, c["domainId"], healthDomainMissing)
            return .json(200, s.keyed[CleanmailStore.key("health", .domain(d))] ?? runDomainHealth(&s, d))
        }
        r.read("/health") { s, _ in .json(200, healthFailures(s)) }
        r.write("POST", "/platforms/{platformId}/health") { s, c in
            let (_, p) = try platform(s, c["platformId"])
            return .json(201, runPlatformHealth(&s, p))
        }
        r.read("/platforms/{platformId}/health") { s, c in
            let (_, p) = try platform(s, c["platformId"])
            return .json(200, s.keyed["health/platform:\(p["id"]!.string!)"] ?? runPlatformHealth(&s, p))
        }
        r.write("POST", "/health/try-relay") { s, c in
            let o = try bodyObject(c.request)
            if let id = try optional(o, "id", { $0.string }) { _ = try platform(s, id) }
            let dest = try required(o, "transportDest") { v in v.string.flatMap { isHost($0) ? $0 : nil } }
            let port = try required(o, "transportPort") { v in v.int.flatMap { (1...65535).contains($0) ? $0 : nil } }
            _ = try required(o, "authType") { v in v.string.flatMap { authTypes.contains($0) ? $0 : nil } }
            let fallback = try optional(o, "fallbackTransportDest") { v in v.string.flatMap { isHost($0) ? $0 : nil } }
            let fallbackPort = try optional(o, "fallbackTransportPort") { v in
                v.int.flatMap { (1...65535).contains($0) ? $0 : nil }
            }
            return .json(200, healthReport(performedAt: s.now(), relayEntries(dest, port, fallback, fallbackPort)))
        }
    }

    /// A platform by id, and its domain.
    static func platform(_ s: CleanmailStore, _ id: String) throws -> (Int, JSONObject) {
        for d in s.domains.keys.sorted() {
            if let p = s.domains[d]!["platforms"]?.array?.compactMap(\.object).first(where: { $0["id"]?.string == id })
            {
                return (d, p)
            }
        }
        throw Failure(404, platformMissing)
    }

    static func healthReport(performedAt ms: Int, _ entries: [JSON]) -> JSON {
        let ok = entries.allSatisfy { $0["result"] == "OK" }
        return .object(
            JSONObject([
                ("performedAt", .int(ms / 1000)),
                ("report", .object(JSONObject([("status", .bool(ok)), ("entries", .array(entries))])))
            ]))
    }

    static func entry(_ type: String, _ result: String, _ output: [String]) -> JSON {
        .object(
            JSONObject([
                ("type", .string(type)), ("result", .string(result)), ("output", .array(output.map(JSON.string)))
            ]))
    }

    @discardableResult
    static func runDomainHealth(_ s: inout CleanmailStore, _ d: Int) -> JSON {
        let name = s.domains[d]!["name"]!.string!
        let dns = s.keyed["dns/\(d)"]?.object
        let dkim = s.keyed["dkim/\(d)"]
        let selector = dkim?["selector"]?.string ?? "protect"
        var entries: [JSON] = []
        switch dns?["mx"]?.string ?? "MISSING" {
        case "OK": entries.append(entry("MX", "OK", ["Passed"]))
        case "INVALID":
            entries.append(
                entry(
                    "MX", "ERROR_MX_INVALID_ENTRY",
                    ["Lookup for MX entry in DNS for \(name)", "Required: 83.145.xxx.xxx", "Fail"]))
        default:
            entries.append(
                entry(
                    "MX", "ERROR_MX_MISSING_ENTRY",
                    ["Lookup for MX entry in DNS for \(name)", "Fail: No MX entry found"]))
        }
        if dkim == nil {
            entries.append(
                entry(
                    "DKIM", "ERROR_DKIM_MISSING_ENTRY",
                    [
                        "Lookup for dkim entry in DNS for \(name)",
                        "Fail: DKIM DNS entry not found for domain \"\(name)\" and selector \"\(selector)\""
                    ]))
        } else if dns?["dkim"]?.string == "INVALID" {
            entries.append(
                entry(
                    "DKIM", "ERROR_DKIM_INVALID_COUPLE",
                    [
                        "Lookup for dkim entry in DNS for \(name)",
                        "Fail: DKIM key defined in DNS does not match with private part"
                    ]))
        } else {
            entries.append(entry("DKIM", "OK", ["Passed"]))
        }
        let report = healthReport(performedAt: s.now(), entries)
        s.keyed[CleanmailStore.key("health", .domain(d))] = report
        return report
    }

    @discardableResult
    static func runPlatformHealth(_ s: inout CleanmailStore, _ p: JSONObject) -> JSON {
        let report = healthReport(
            performedAt: s.now(),
            relayEntries(
                p["transportDest"]?.string ?? "", p["transportPort"]?.int ?? 25,
                p["fallbackTransportDest"]?.string, p["fallbackTransportPort"]?.int))
        s.keyed["health/platform:\(p["id"]!.string!)"] = report
        return report
    }

    static func relayEntries(_ dest: String, _ port: Int, _ fallback: String?, _ fallbackPort: Int?) -> [JSON] {
        func test(_ type: String, _ host: String, _ port: Int) -> JSON {
            let blocked =
                ["192.0.2.", "198.51.100.", "203.0.113."].contains { host.hasPrefix($0) } || host.hasSuffix(".invalid")
            if blocked { return entry(type, "ERROR", ["Connecting to \(host):\(port)", "Fail: connection timed out"]) }
            if ![25, 465, 587, 2525].contains(port) {
                return entry(type, "ERROR", ["Connecting to \(host):\(port)", "Fail: connection refused"])
            }
            return entry(type, "OK", ["Connecting to \(host):\(port)", "220 \(host) ESMTP", "Passed"])
        }
        var out = [test("SMTP", dest, port)]
        if let fallback { out.append(test("SMTP_FALLBACK", fallback, fallbackPort ?? port)) }
        return out
    }

    /// 5.11.4: `DiagnosticEntryDTO` (6.17) for each entity whose last report failed.
    static func healthFailures(_ s: CleanmailStore) -> JSON {
        var out: [(String, JSON)] = []
        for d in s.domains.keys.sorted() where s.domains[d]!["status"]?.string != "DELETED" {
            let domain = s.domains[d]!
            if let h = s.keyed[CleanmailStore.key("health", .domain(d))], h["report"]?["status"] == false {
                out.append(
                    (
                        domain["name"]!.string!,
                        .object(
                            JSONObject([
                                ("id", domain["id"]!), ("name", domain["name"]!), ("type", "DOMAIN"), ("health", h)
                            ]))
                    ))
            }
            for p in domain["platforms"]?.array ?? [] {
                guard let id = p["id"]?.string, let h = s.keyed["health/platform:\(id)"],
                    h["report"]?["status"] == false
                else { continue }
                let name = "\(p["name"]?.string ?? "platform") (\(domain["name"]!.string!))"
                out.append(
                    (
                        name,
                        .object(
                            JSONObject([
                                ("id", .string(id)), ("name", .string(name)), ("type", "PLATFORM"), ("health", h)
                            ]))
                    ))
            }
        }
        return .array(out.sorted { $0.0 < $1.0 }.map(\.1))
    }
}
