import MXJSON
import MXModel

/// Proofpoint's own kinds beyond the settings objects: a partner's customer
/// organisations (`pp.orgs`, each reached as a connection of its own: ProofpointCustomers
/// .swift) and a domain's DKIM key (`d.dkim`: ProofpointDKIM.swift). Shapes ASSUMED
/// where NOTES.md gives none.
enum ProofpointObjectKinds {
    static func field(
        _ name: String, _ type: FieldType, _ access: FieldSpec.Access = .readWrite, _ summary: String = ""
    ) -> FieldSpec {
        FieldSpec(name, wire: name, type, access, neutral: false, summary)
    }

    static let customer = ResourceKind(
        "customer", kind: .settings, placement: [.collection(member: "orgs")],
        listing:
            "GET /orgs/{partner}/orgs ({\"orgs\": [...]}); each then /orgs/{customer}/... with the partner's "
            + "credentials",
        fields: [
            field("primary_domain", .domainName, .readOnly, "the customer's primary domain (its address in the API)"),
            field("name", .text, .readWrite, "the organisation's name"),
            field("type", .text, .readWrite, "organization, or a partner type"),
            field("user_licenses", .integer(0...Int.max), .readWrite, "licensed users"),
            field(
                "licensing_package", .choice(["Beginner", "Business", "Advanced", "Professional"]), .readWrite,
                "the package"),
            field("www", .text), field("is_active", .bool, .readOnly, "whether the organisation is active"),
            field("active_users", .integer(0...Int.max), .readOnly, "users now")
        ],
        operations: [], requiredToCreate: ["name"], key: "primary_domain",
        commands: [
            ObjectCommand(
                "create-customer", .create, subject: .key,
                undo: .irreversible("Proofpoint's API deletes no organisation; remove it in the partner console"),
                "create a customer organisation of a partner (name= required)")
        ],
        tenant: true)

    static let dkim = ResourceKind(
        "dkim", kind: .settings, placement: [.singleOf(owner: .domain, member: "dkim")],
        listing: "GET /orgs/{org}/domains/{domain}/dkim (ASSUMED)",
        fields: [
            field("selector", .text, .readWrite, "the DKIM selector"),
            field("key_size", .integer(1024...2048), .readWrite, "1024 or 2048 bits"),
            field("is_enabled", .bool, .readWrite, "whether mail is signed"),
            field("public_key", .text, .readOnly, "the public key"),
            field("txt_name", .text, .readOnly, "the name of the TXT record to publish"),
            field("record", .text, .readOnly, "the TXT record to publish")
        ],
        operations: [.updateSettings], key: "domain",
        commands: [.createDKIM, .deleteDKIM])

    /// The organisation's package: read from the organisation's record, updated by
    /// `PUT /orgs/{org}/package` (ProofpointPackage.swift; members ASSUMED).
    static let package = ResourceKind(
        "package", kind: .settings, placement: [.single(member: "package")],
        listing: "GET /orgs/{org} (its package); PUT /orgs/{org}/package",
        fields: [
            field("package", .choice(["Beginner", "Business", "Advanced", "Professional"]), .readWrite, "the package"),
            field("is_activated", .bool), field("is_eula_confirmed", .bool), field("is_trial_extended", .bool)
        ],
        operations: [.updateSettings])

    static let all = [customer, dkim, package]
}

extension ProofpointAdapter {
    func object(_ kind: String, key: String) throws -> Settings? {
        switch kind {
        case "customer":
            return try customers().first { $0["primary_domain"]?.text.lowercased() == key.lowercased() }.map(
                customerObject)
        case "dkim":
            return try dkim(of: key).map { dkimObject($0, domain: key) }
        default:
            if vendor.singles.contains(kind) { return try settings(kind) }
            throw VendorError(
                vendor: vendor.name, kind: .unsupported, code: "unsupported",
                message: "Proofpoint has no \(kind) objects")
        }
    }

    func objects(_ kind: String, of owner: ObjectRef.Object?) throws -> [Settings] {
        guard kind == "customer", owner == nil else {
            throw VendorError(
                vendor: vendor.name, kind: .unsupported, code: "unsupported",
                message: "Proofpoint lists no \(kind) objects here")
        }
        return try customers().map(customerObject)
    }

    func tenant(_ key: String) throws -> any Adapter { customer(key) }

    func customerObject(_ r: Record) -> Settings {
        let key = r["primary_domain"]?.text.lowercased() ?? ""
        return Settings(kind: "customer", key: key, fields: r)
    }

    func dkimObject(_ r: Record, domain: String) -> Settings {
        var fields = r
        if fields["record"] == nil, let value = r["txt_record"] { fields["record"] = value }
        return Settings(kind: "dkim", key: domain.lowercased(), owner: domain.lowercased(), fields: fields)
    }

    /// The verbs for Proofpoint's own kinds, from ChangeResolver's answers.
    func createObject(_ s: Settings, _ change: Change) throws -> ChangeOutcome {
        switch s.kind {
        case "customer":
            var body = JSONObject([("primary_domain", .string(s.key))])
            for (k, v) in s.fields.pairs where k != "primary_domain" { body[k] = v.json ?? .null }
            return try keyed(createCustomer(body), "customer", s.key)
        case "dkim":
            let keySize: Int?
            if case .number(let n)? = s.fields["key_size"] { keySize = Int(n) } else { keySize = nil }
            let selector: String?
            if case .string(let text)? = s.fields["selector"] { selector = text } else { selector = nil }
            return try keyed(createDKIM(of: s.key, selector: selector, keySize: keySize), "dkim", s.key)
        default:
            throw VendorError.unsupported(vendor, change.operation)
        }
    }

    func deleteObject(_ s: Settings, _ change: Change) throws -> ChangeOutcome {
        guard s.kind == "dkim" else { throw VendorError.unsupported(vendor, change.operation) }
        return try deleteDKIM(of: s.key)
    }

    /// An outcome's object with the kind and key the engine knows it by.
    func keyed(_ outcome: ChangeOutcome, _ kind: String, _ key: String) -> ChangeOutcome {
        func fix(_ o: ObjectRef.Object?) -> ObjectRef.Object? {
            guard case .settings(let s)? = o else { return o }
            return .settings(
                kind == "dkim" ? dkimObject(s.fields, domain: key) : Settings(kind: kind, key: key, fields: s.fields))
        }
        switch outcome {
        case .applied(let o): return .applied(fix(o))
        case .unchanged(let o): return .unchanged(fix(o))
        }
    }
}
