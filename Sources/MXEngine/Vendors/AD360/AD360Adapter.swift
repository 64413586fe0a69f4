import MXJSON
import MXModel

/// ManageEngine AD360 (vendors/ad360-api-settings.txt): Active Directory domains are
/// read, and only their credentials change; the proxy and mail-server settings are
/// objects of their own (`ad.proxy`, `ad.mailserver`). Requests are form-encoded with
/// one field holding JSON; replies are JSON; `Authorization: Bearer`.
final class AD360Adapter: ResolvingAdapter {
    var vendor: Vendor { .ad360 }
    let api: VendorAPI

    init(api: VendorAPI) { self.api = api }

    static func connect(_ context: ConnectContext) throws -> any Adapter {
        let (root, auth) = try context.options.bearer(
            token: "token=env(\"AD_TOKEN\")", server: "your AD360 server",
            url: "url=\"http://ad360-server:8082\"")
        return AD360Adapter(api: context.api(root + "/RestAPI", auth))
    }

    // MARK: reading

    func forEachDomain(matching query: DomainQuery, _ body: (Domain) throws -> Bool) throws {
        let reply = try expect(api.call(.GET, "/DomainSettings/getDomains"), "list", "domains")
        // The document answers a JSON list of domains; anything else is not "no domains".
        guard let items = reply.json?.array, items.allSatisfy({ $0.object != nil }) else {
            throw VendorError(
                vendor: vendor.name, kind: .reply, code: "reply",
                message: "list domains: the answer is not a list of domains")
        }
        for case .object(let o) in items where try !body(Self.domain(o)) { return }
    }

    /// The API lists all domains at once; one is found among them.
    func domain(named name: String) throws -> Domain? {
        var found: Domain?
        try forEachDomain(matching: .all) { d in
            if d.name.lowercased() == name.lowercased() { found = d; return false }
            return true
        }
        return found
    }

    static func domain(_ o: JSONObject) -> Domain {
        Domain(
            name: o["DOMAIN_NAME"]?.string ?? o["DOMAIN_DNS_NAME"]?.string ?? "", status: .enabled,
            // DC_LIST is mandatory in the answer: one missing is unknown, not empty.
            controllers: o["DC_LIST"]?.strings, raw: Record(json: o))
    }

    func forEachUser(domain: String?, _ body: (User) throws -> Bool) throws {}
    func user(email: String) throws -> User? { nil }

    func settings(_ name: String) throws -> Settings? {
        guard let kind = AD360Settings.kind(name) else { return nil }
        let reply = try expect(api.call(.GET, kind.path + "/getSettings"), "read", "\(name) settings")
        guard let o = reply.json?.object else {
            throw VendorError(
                vendor: vendor.name, kind: .reply, code: "reply",
                message: "read \(name) settings: the answer is not a JSON object")
        }
        return Settings(kind: name, fields: kind.neutral(o))
    }

    /// The domain list: proves the token.
    func probe() throws { try expect(api.call(.GET, "/DomainSettings/getDomains"), "list", "domains") }

    // MARK: changes (their meaning is ChangeResolver's)

    func current(for change: Change) throws -> ObjectRef.Object? {
        change.kind == .settings
            ? try settings(change.key).map { .settings($0) } : try domain(named: change.key).map { .domain($0) }
    }

    func create(_ object: ObjectRef.Object, _ change: Change) throws -> ChangeOutcome {
        throw VendorError.unsupported(vendor, change.operation)
    }

    func delete(_ object: ObjectRef.Object, _ change: Change) throws -> ChangeOutcome {
        throw VendorError.unsupported(vendor, change.operation)
    }

    func update(_ object: ObjectRef.Object, changed: [String], from current: ObjectRef.Object, _ change: Change) throws
        -> ChangeOutcome
    {
        if change.operation == .setCredential { return try setCredential(change) }
        guard let kind = AD360Settings.kind(change.key) else { throw VendorError.unsupported(vendor, change.operation) }
        // The record sent is the one read with the change written over it: a read that
        // is not a record would send the change over nothing (required keys dropped).
        guard
            let now = try expect(api.call(.GET, kind.path + "/getSettings"), "read", "\(change.key) settings").json?
                .object
        else {
            throw VendorError(
                vendor: vendor.name, kind: .reply, code: "reply",
                message: "read \(change.key) settings: the answer is not a JSON object (nothing was sent)")
        }
        api.mask(secretsIn: change.fields)
        let record = try kind.record(now, change.fields)
        let missing = kind.missing(record)
        if !missing.isEmpty {
            throw VendorError(
                vendor: vendor.name, kind: .invalid, code: "CE001",
                message: "update \(change.key) settings: AD360 requires "
                    + "\(missing.joined(separator: ", ")) on every update; "
                    + "give \(missing.count == 1 ? "it" : "them") too (nothing was sent)",
                hints: missing.map { ($0, "mandatory") })
        }
        // Setting the same values twice is harmless: the client may repeat it.
        let reply = try api.call(
            .POST, kind.path + "/updateSettings", body: .form([(kind.formField, JSON.object(record).text)]),
            safeToRepeat: true)
        try expectDone(reply, "update", "\(change.key) settings")
        var shown = record
        shown["PASSWORD"] = nil
        return .applied(.settings(Settings(kind: change.key, fields: kind.neutral(shown))))
    }

    func setCredential(_ change: Change) throws -> ChangeOutcome {
        var item = JSONObject([("DOMAIN_NAME", .string(change.key))])
        if case .string(let u)? = change.fields["user"] { item["USER_NAME"] = .string(u) }
        switch change.fields["password"] {
        case .secret(let s)?: item["USER_PASSWORD"] = .string(api.reveal(s))
        case .string(let s)?:
            api.mask(s)
            item["USER_PASSWORD"] = .string(s)
        default: break
        }
        let reply = try api.call(
            .POST, "/DomainSettings/updateDomainCredential",
            body: .form([("DOMAINS", JSON.array([.object(item)]).text)]), safeToRepeat: true)
        try expectDone(reply, "set-credential", "domain \(change.key)")
        // DOMAINS (mandatory) holds this domain's result, or "--" for a name not
        // recognised: without either, nothing says the credential was set.
        let results = reply.json?["DOMAINS"]?.object?.pairs ?? []
        guard results.contains(where: { $0.0 == "--" || $0.0.lowercased() == change.key.lowercased() }) else {
            throw VendorError(
                vendor: vendor.name, kind: .reply, code: VendorError.lost,
                message: "set-credential domain \(change.key): the answer has no result for this domain, so whether "
                    + "the credential was set is unknown")
        }
        if let (name, why) = Self.credentialFailures(reply.json).first {
            throw VendorError(
                vendor: vendor.name, kind: .refused, code: why,
                message: "set-credential domain \(name == "--" ? change.key : name): \(AD360Settings.meaning(why))")
        }
        return .applied(try domain(named: change.key).map(ObjectRef.Object.domain))
    }

    /// The domains `updateDomainCredential` failed for, with the reason: per-domain
    /// results are JSON text inside the JSON, as documented (`"--"` when the domain
    /// was not recognised).
    static func credentialFailures(_ body: JSON?) -> [(domain: String, code: String)] {
        (body?["DOMAINS"]?.object?.pairs ?? []).compactMap { name, value in
            let result = value.string.flatMap { try? JSON.parse(Array($0.utf8)) } ?? value
            return result["DOMAIN_STATUS"]?.string == "SUCCESS" ? nil : (name, result["ERROR_MSG"]?.string ?? "FAILURE")
        }
    }

    /// A success, or the vendor's error: `{"STATUS":"FAILURE","ERROR_CODE":"AT001",...}`
    /// (HTTP 200 for the settings validations, 4xx/5xx for the rest).
    @discardableResult
    func expect(_ reply: VendorAPI.Reply, _ action: String, _ object: String) throws -> VendorAPI.Reply {
        if let error = Self.failure(status: reply.status, body: reply.json, action, object) { throw error }
        return reply
    }

    /// An update's answer. `STATUS` is mandatory in the documents' answers to both
    /// updates: a success without "SUCCESS" there (an empty body, another shape) does
    /// not say the update was done, so whether it was is unknown, not done.
    func expectDone(_ reply: VendorAPI.Reply, _ action: String, _ object: String) throws {
        try expect(reply, action, object)
        guard reply.json?["STATUS"]?.string == "SUCCESS" else {
            throw VendorError(
                vendor: vendor.name, kind: .reply, code: VendorError.lost,
                message: "\(action) \(object): the answer does not say it was done (no STATUS SUCCESS), so whether "
                    + "it was is unknown")
        }
    }

    static func failure(status: Int, body: JSON?, _ action: String, _ object: String) -> VendorError? {
        if (200..<300).contains(status), body?["STATUS"]?.string != "FAILURE" { return nil }
        // `{"STATUS":"FAILURE","ERROR_MSG":"FAILURE_IN_SERVER"}` (the credential API's
        // failure as a whole) has a message and no code.
        let code = body?["ERROR_CODE"]?.string ?? body?["ERROR_MSG"]?.string ?? "HTTP \(status)"
        let text =
            AD360Settings.errors[code] ?? body?["ERROR_MSG"]?.string.map(AD360Settings.meaning)
            ?? "HTTP \(status)"
        return VendorError(
            vendor: Vendor.ad360.name, kind: AD360Settings.kind(code, status: status), code: code,
            message: "\(action) \(object): \(text)")
    }
}

extension Record {
    /// Whether `other` holds the same values for `names`.
    func equalsFields(_ other: Record, _ names: [String]) -> Bool {
        names.allSatisfy { n in (self[n] ?? .none).equals(other[n] ?? .none) }
    }
}
