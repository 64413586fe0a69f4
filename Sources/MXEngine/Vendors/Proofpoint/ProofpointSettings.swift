import MXJSON
import MXModel

/// The single objects hanging off a Proofpoint connection (`pp.org`, `pp.licensing`,
/// `pp.features`, `pp.senders`): read with GET, changed with PUT of the members given.
/// The overview names the organisation and licensing; features and the sender lists
/// are NOTES.md's and ASSUMED, as are the members beyond the documents.
struct ProofpointSettings {
    let member: String
    /// Below `/orgs/{org}`: "" for the organisation itself.
    let path: String
    let fields: [FieldSpec]

    static func field(
        _ name: String, _ type: FieldType, _ access: FieldSpec.Access = .readWrite, _ summary: String = ""
    ) -> FieldSpec {
        FieldSpec(name, wire: name, type, access, neutral: false, summary)
    }

    static let org = ProofpointSettings(
        member: "org", path: "",
        fields: [
            field("primary_domain", .text, .readOnly, "the organisation's primary domain (its address in the API)"),
            field("name", .text, .readWrite, "the organisation's name"),
            field("type", .text, .readOnly, "organization, or a partner type"),
            field("eid", .text, .readOnly, "the organisation's id"),
            field("is_active", .bool, .readWrite, "whether the organisation is active"),
            field("www", .text), field("address", .text), field("postcode", .text), field("stateprov", .text),
            field("country", .text), field("phone", .text),
            field("parent_org", .text, .readOnly, "the partner that owns it"),
            field("user_licenses", .integer(0...Int.max), .readOnly, "licensed users"),
            field("active_users", .integer(0...Int.max), .readOnly, "users now")
        ])
    static let licensing = ProofpointSettings(
        member: "licensing", path: "/licensing",
        fields: [
            field("licensed_users", .integer(0...Int.max), .readWrite, "users the organisation is licensed for"),
            field("package", .choice(["Beginner", "Business", "Advanced", "Professional"]), .readWrite, "the package"),
            field("is_on_trial", .bool), field("is_beginner_plus", .bool),
            field("active_users", .integer(0...Int.max), .readOnly, "users now")
        ])
    static let features = ProofpointSettings(
        member: "features", path: "/features",
        fields: [
            "url_defense", "attachment_defense", "outbound_relaying", "email_archive", "disclaimers", "dlp",
            "email_encryption", "social_media_account_protection", "smtp_discovery"
        ].map { field($0, .bool) } + [field("instant_replay", .integer(0...30), .readWrite, "days of Instant Replay")])
    static let senders = ProofpointSettings(
        member: "senders", path: "/sender-lists",
        fields: [
            field("allow_list", .textList, .readWrite, "senders always allowed (addresses, *@domain, domains)"),
            field("block_list", .textList, .readWrite, "senders always blocked")
        ])

    /// A user's own members beside the neutral ones (NOTES.md; ASSUMED names, those the
    /// sandbox answers): the user's sender lists (`white_list_senders`,
    /// `black_list_senders`; one public client names them safe_list/block_list), its
    /// type and id.
    static let userFields = [
        field("white_list_senders", .textList, .readWrite, "senders always allowed for this user"),
        field("black_list_senders", .textList, .readWrite, "senders always blocked for this user"),
        field(
            "type", .choice(["end_user", "silent_user", "organization_admin", "functional_account"]), .readWrite,
            "the user's role"),
        field("uid", .text, .readOnly, "the user's id")
    ]

    static let all = [org, licensing, features, senders]
    static func named(_ member: String) -> ProofpointSettings? { all.first { $0.member == member } }

    var resource: ResourceKind {
        ResourceKind(
            member, kind: .settings, placement: [.single(member: member)],
            listing: "GET /orgs/{org}\(path)", fields: fields, operations: [.updateSettings])
    }

    /// The declared members of the vendor's record.
    func values(_ o: JSONObject) -> Record {
        var r = Record()
        for f in fields { if let v = o[f.wire] { r[f.name] = Value(json: v) } }
        return r
    }
}

extension ProofpointAdapter {
    func settings(_ name: String) throws -> Settings? {
        if name == "package" { return Settings(kind: "package", fields: try package()) }
        guard let kind = ProofpointSettings.named(name) else { return nil }
        let reply = try expect(api.call(.GET, orgPath + kind.path), "read", "\(name) of \(org)")
        guard let o = reply.json?.object else {
            throw VendorError(
                vendor: vendor.name, kind: .reply, code: "reply",
                message: "read \(name) of \(org): the answer is not a JSON object")
        }
        return Settings(kind: name, fields: kind.values(o))
    }

    /// PUT of the members that change (the organisation and licensing merge them).
    func updateSettings(_ s: Settings, changed: [String]) throws -> ChangeOutcome {
        guard let kind = ProofpointSettings.named(s.kind) else {
            throw VendorError.unsupported(vendor, .updateSettings)
        }
        var body = JSONObject()
        for name in changed {
            body[kind.fields.first { $0.name == name }?.wire ?? name] = (s.fields[name] ?? .none).json ?? .null
        }
        try expect(api.call(.PUT, orgPath + kind.path, body: .json(.object(body))), "update", "\(s.kind) of \(org)")
        return .applied(.settings(try settings(s.kind) ?? s))
    }
}
