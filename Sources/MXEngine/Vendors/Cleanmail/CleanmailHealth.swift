import MXJSON
import MXModel

/// Health (5.11): a domain's last diagnostic (`d.health`), running one (`diagnose d`,
/// a POST that changes nothing the script manages, so plans run it too), and the
/// environment's failures (`cm.health`). Each is a record a runbook filters and prints.
enum CleanmailHealthKind {
    static let health = ResourceKind(
        "health", kind: .settings,
        placement: [
            .singleOf(owner: .domain, member: "health"), .collection(member: "health"),
            .collectionOf(owner: .domain, member: "relay_health")
        ],
        listing: "GET /domains/{id}/health (the last diagnostic); POST to run one; GET /health (every failure)",
        fields: [
            CleanmailObjectKinds.field("name", .text, .readOnly, "the domain (or platform) diagnosed"),
            CleanmailObjectKinds.field(
                "type", .text, .readOnly, "DOMAIN, PLATFORM (cm.health, relay_health of d) or RELAY (try-relay)"),
            CleanmailObjectKinds.field("ok", .bool, .readOnly, "whether every test passed (report.status)"),
            CleanmailObjectKinds.field("performed", .text, .readOnly, "when the tests ran (performedAt)"),
            CleanmailObjectKinds.field("failures", .textList, .readOnly, "the failed tests: TYPE: RESULT"),
            CleanmailObjectKinds.field("entries", .record, .readOnly, "each test: type, result, output")
        ],
        operations: [], key: "name",
        commands: [
            ObjectCommand(
                "diagnose", .read(kind: "health"), subject: .owner(.domain),
                undo: .irreversible("it changes nothing"),
                "run the domain's diagnostic (MX, DKIM...) and give its report"),
            ObjectCommand(
                "diagnose-relay", .read(kind: "health"), subject: .owner(.domain),
                undo: .irreversible("it changes nothing"),
                "check SMTP to the domain's default relay (its platform, d.destination) and give the report"),
            // 5.11.6, RelayCheckHealthDTO (6.50): required members as params, the rest as
            // options. ASSUMED: `apiType` (listed as required, for remediation) is left
            // out, as the document's own platform example leaves it; `authData`/`apiData`
            // have no documented shape and are not sent.
            ObjectCommand(
                "try-relay", .read(kind: "health"), subject: .key,
                params: [("transportDest", .text), ("transportPort", .integer(1...65535)), ("authType", .text)],
                options: [
                    ("fallbackTransportDest", .text, "the secondary SMTP server"),
                    ("fallbackTransportPort", .integer(1...65535), "its port")
                ],
                undo: .irreversible("it changes nothing"),
                "try an SMTP relay before it is configured (5.11.6) and give the report")
        ])
}

extension CleanmailAdapter {
    func read(_ command: String, of subject: ObjectRef.Object) throws -> Settings {
        if command == "try-relay", case .settings(let relay) = subject { return try tryRelay(relay) }
        if command == "diagnose-relay", case .domain(let d) = subject { return try diagnoseRelay(d.name) }
        guard command == "diagnose", case .domain(let d) = subject else {
            throw VendorError(
                vendor: vendor.name, kind: .unsupported, code: "unsupported", message: "Cleanmail has no \(command)")
        }
        let reply = try expect(
            api.call(.POST, "/domains/\(try domainID(d.name))/health", safeToRepeat: true),
            "diagnose", "domain \(d.name)")
        guard let o = reply.json?.object else { throw shape("diagnose domain \(d.name)") }
        return try healthObject(o, name: d.name, type: "DOMAIN")
    }

    /// 5.11.2: SMTP to the domain's default platform (the one `d.destination` shows).
    func diagnoseRelay(_ domain: String) throws -> Settings {
        guard let o = try record(named: domain) else { throw VendorError.notFound(vendor.name, "domain", domain) }
        guard let p = CleanmailMapping.defaultPlatform(o), p["id"] != nil else {
            throw VendorError(
                vendor: vendor.name, kind: .refused, code: "no-platform",
                message: "diagnose-relay \(domain): the domain has no relay (platform) to check")
        }
        let reply = try expect(
            api.call(.POST, "/platforms/\(pathSegment(id(p)))/health", safeToRepeat: true),
            "diagnose-relay", "domain \(domain)")
        guard let h = reply.json?.object else { throw shape("diagnose-relay \(domain)") }
        return try platformHealth(h, p, domain: domain)
    }

    /// 5.11.5: the last relay check of each of the domain's platforms.
    func relayHealth(ofDomain domain: String) throws -> [Settings] {
        guard let o = try record(named: domain) else { throw VendorError.notFound(vendor.name, "domain", domain) }
        return try (o["platforms"]?.array?.compactMap(\.object) ?? []).filter { $0["id"] != nil }.map { p in
            let reply = try expect(
                api.call(.GET, "/platforms/\(pathSegment(id(p)))/health"), "read", "relay health of domain \(domain)")
            guard let h = reply.json?.object else { throw shape("read relay health of domain \(domain)") }
            return try platformHealth(h, p, domain: domain)
        }
    }

    /// A platform's report, named by the platform (its name, else its destination) and
    /// kept under the domain (two domains' platforms may share a name).
    func platformHealth(_ h: JSONObject, _ p: JSONObject, domain: String) throws -> Settings {
        let name = p["name"]?.string ?? p["transportDest"]?.string ?? id(p)
        let report = try healthObject(h, name: name, type: "PLATFORM")
        return Settings(
            kind: "health", key: "\(name.lowercased())@\(domain.lowercased())", owner: domain.lowercased(),
            fields: report.fields)
    }

    /// 5.11.6: the relay's members as the document names them (checked before sending,
    /// ReadRecord.swift); the report is named by the relay's host, type RELAY (ASSUMED:
    /// the answer carries no name or type).
    func tryRelay(_ relay: Settings) throws -> Settings {
        var body = JSONObject()
        for (name, value) in relay.fields.pairs { if let json = value.json { body[name] = json } }
        let reply = try expect(
            api.call(.POST, "/health/try-relay", body: .json(.object(body)), safeToRepeat: true),
            "try-relay", relay.key)
        guard let o = reply.json?.object else { throw shape("try-relay \(relay.key)") }
        return try healthObject(o, name: relay.key, type: "RELAY")
    }

    /// The last diagnostic; nil when none has run (ASSUMED: an empty answer or a null report).
    func health(ofDomain name: String) throws -> Settings? {
        guard let o = try record(named: name) else { return nil }
        let reply = try expect(
            api.call(.GET, "/domains/\(pathSegment(id(o)))/health"), "read", "health of domain \(name)")
        guard let h = reply.json?.object, h["report"]?.object != nil else { return nil }
        return try healthObject(h, name: name, type: "DOMAIN")
    }

    /// 5.11.4: every failure of the environment (DiagnosticEntryDTO).
    func environmentHealth() throws -> [Settings] {
        let reply = try expect(api.call(.GET, "/health"), "read", "health errors")
        guard let list = reply.json?.array else { throw shape("read health errors") }
        return try list.map { entry in
            guard let name = entry["name"]?.string, let h = entry["health"]?.object else {
                throw shape("read health errors")
            }
            return try healthObject(h, name: name, type: entry["type"]?.string ?? "")
        }
    }

    func healthObject(_ h: JSONObject, name: String, type: String) throws -> Settings {
        guard let report = h["report"]?.object, let ok = report["status"]?.bool, let entries = report["entries"]?.array
        else {
            throw shape("read health of \(name)")
        }
        let failures = entries.compactMap { e -> String? in
            guard let result = e["result"]?.string, result != "OK" else { return nil }
            return "\(e["type"]?.string ?? "?"): \(result)"
        }
        let performed =
            h["performedAt"].map { p in
                p.int.flatMap { CleanmailMapping.millisecondsDate(.int($0 * 1000)).map(Value.string) } ?? Value(json: p)
            } ?? .none
        return Settings(
            kind: "health", key: name.lowercased(), owner: name.lowercased(),
            fields: Record([
                ("name", .string(name.lowercased())), ("type", .string(type)), ("ok", .bool(ok)),
                ("performed", performed),
                ("failures", .list(failures.map(Value.string))), ("entries", Value(json: .array(entries)))
            ]))
    }
}
