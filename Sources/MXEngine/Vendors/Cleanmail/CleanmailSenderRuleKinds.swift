import MXJSON
import MXModel

/// Sender rules (5.9) one at a time, with their descriptions and expiry: `sender_rules
/// of d`, `sender_rules of u`. A rule is named `OWNER/SENDER` (`contoso-cm.net/
/// partner.example`): an owner holds one rule per sender, so a create can be planned,
/// re-run as "already as asked" and undone without the vendor's id. The lists `d.allow`,
/// `d.block`, `u.allow`, `u.block` are the same rules seen by type (CleanmailSenderRules.swift).
enum CleanmailSenderRuleKinds {
    static func field(
        _ name: String, wire: String? = nil, _ type: FieldType, _ access: FieldSpec.Access,
        _ summary: String
    ) -> FieldSpec {
        FieldSpec(name, wire: wire ?? name, type, access, neutral: false, summary)
    }

    static func field(_ name: String, wire: String? = nil, _ type: FieldType, _ summary: String) -> FieldSpec {
        field(name, wire: wire, type, .readOnly, summary)
    }

    static let rule = ResourceKind(
        "sender-rule", kind: .settings,
        placement: [
            .collectionOf(owner: .domain, member: "sender_rules"),
            .collectionOf(owner: .user, member: "sender_rules")
        ],
        listing: "GET /domains/{id}/wblist, GET /users/{id}/wblist (every page); POST, PUT and DELETE one rule",
        fields: [
            field("rule", .text, "its name in scripts: its owner/its sender"),
            field("value", .text, "the sender: an address or a domain"),
            field("owner", .text, "the domain or mailbox whose mail it applies to"),
            field("type", .choice(["ALLOW", "BLOCK", "PROTECTED"]), .readWrite, "what is done with the sender's mail"),
            field("description", .text, .readWrite, "why the rule is there"),
            field(
                "expires", wire: "expireAt", .date, .readWrite,
                "when it stops applying (2027-01-01 or 2027-01-01T00:00:00Z); none: never"),
            field("spfOn", .bool, .readWrite, "check the sender's SPF (allow rules only)"),
            field("id", .text, "the vendor's id of the rule"),
            field("created", wire: "createdDate", .text, "when it was made")
        ],
        operations: [.updateSettings], requiredToCreate: ["type"], key: "rule",
        commands: [
            ObjectCommand(
                "create-sender-rule", .create, subject: .key, undo: .by("delete-sender-rule"),
                "add a sender rule: create-sender-rule \"OWNER/SENDER\" type=ALLOW description= expires="),
            ObjectCommand(
                "delete-sender-rule", .delete, subject: .object, undo: .by("create-sender-rule"),
                "delete a sender rule (its values are kept with the change, for undo)")
        ]
    ).keyed(by: KeyParts("/", "owner", "value", atLast: false))

    static let all = [rule]
}

extension CleanmailAdapter {
    /// The wblist path of a domain or a mailbox, by its name.
    func rulesOwnerPath(_ owner: String) throws -> String? {
        if owner.contains("@") { return try userRecord(owner).map { "/users/\(pathSegment(id($0)))" } }
        return try record(named: owner).map { "/domains/\(pathSegment(id($0)))" }
    }

    func senderRuleObjects(of owner: String) throws -> [Settings] {
        guard let path = try rulesOwnerPath(owner) else { throw VendorError.notFound(vendor.name, "owner", owner) }
        return try senderRules(path, what: owner).compactMap(\.object).map { senderRuleObject($0, owner: owner) }
    }

    func senderRuleObject(_ r: JSONObject, owner: String) -> Settings {
        let value = (r["value"]?.string ?? "").lowercased()
        let key = "\(owner.lowercased())/\(value)"
        var fields = Record([
            ("rule", .string(key)), ("value", .string(value)), ("owner", .string(owner.lowercased())),
            ("id", .string(id(r)))
        ])
        for f in ["type", "description", "spfOn"] { if let v = r[f] { fields[f] = Value(json: v) } }
        for (name, wire) in [("expires", "expireAt"), ("created", "createdDate")] {
            guard let v = r[wire] else { continue }
            fields[name] = CleanmailMapping.millisecondsDate(v).map(Value.string) ?? Value(json: v)
        }
        return Settings(kind: "sender-rule", key: key, owner: owner.lowercased(), fields: fields)
    }

    /// `OWNER/SENDER`: every page of the owner's rules, the sender compared without case.
    func senderRule(_ key: String) throws -> Settings? {
        guard let slash = key.firstIndex(of: "/") else { return nil }
        let owner = String(key[..<slash])
        guard try rulesOwnerPath(owner) != nil else { return nil }
        return try senderRuleObjects(of: owner).first { $0.key == key.lowercased() }
    }

    /// `FilterSenderAdd` (6.27) from the rule as asked; `spfOn` is required of allow rules.
    func senderRuleBody(_ s: Settings) throws -> JSONObject {
        guard case .string(let value)? = s.fields["value"], let type = s.fields["type"]?.text else {
            throw VendorError(
                vendor: vendor.name, kind: .invalid, code: "invalid",
                message: "sender rule \(s.key): name it OWNER/SENDER and give type=")
        }
        var body = JSONObject([("value", .string(value)), ("type", .string(type.uppercased()))])
        if case .string(let d)? = s.fields["description"] { body["description"] = .string(d) }
        switch s.fields["expires"] {
        case .string(let text)?:
            guard let ms = Self.milliseconds(text) else {
                throw VendorError(
                    vendor: vendor.name, kind: .invalid, code: "invalid",
                    message: "sender rule \(s.key): expires \(text) is not a date (2027-01-01 or 2027-01-01T00:00:00Z)")
            }
            body["expireAt"] = .int(ms)
        default: break
        }
        if case .bool(let spf)? = s.fields["spfOn"] {
            body["spfOn"] = .bool(spf)
        } else if type.uppercased() == "ALLOW" {
            body["spfOn"] = false
        }
        return body
    }

    /// 5.9.2, 5.9.3: one rule, in the document's list body.
    func createSenderRule(_ s: Settings) throws -> ChangeOutcome {
        guard let owner = s.fields["owner"]?.text ?? s.owner, let path = try rulesOwnerPath(owner) else {
            throw VendorError.notFound(vendor.name, "owner", s.owner ?? s.key)
        }
        let body = try senderRuleBody(s)
        guard
            let reply = try api.create(
                path + "/wblist", body: .json(.array([.object(body)])),
                exists: { try senderRule(s.key) != nil })
        else { return .applied(try senderRule(s.key).map(ObjectRef.Object.settings)) }
        try expect(reply, "create-sender-rule", s.key)
        return .applied(try senderRule(s.key).map(ObjectRef.Object.settings))
    }

    /// 5.9.8, 5.9.9: the rule replaced by its values as asked.
    func updateSenderRule(_ s: Settings, from before: Settings) throws -> ChangeOutcome {
        guard let owner = before.fields["owner"]?.text ?? before.owner, let path = try rulesOwnerPath(owner),
            case .string(let rid)? = before.fields["id"]
        else { throw shape("read sender rule \(s.key)") }
        try expect(
            api.call(
                .PUT, path + "/wblist/\(pathSegment(rid))", body: .json(.object(try senderRuleBody(s))),
                safeToRepeat: true), "set sender rule", s.key)
        return .applied(try senderRule(s.key).map(ObjectRef.Object.settings))
    }

    /// 5.9.4, 5.9.5; a rule gone meanwhile (404) is what was asked.
    func deleteSenderRule(_ s: Settings) throws -> ChangeOutcome {
        guard let owner = s.fields["owner"]?.text ?? s.owner, case .string(let rid)? = s.fields["id"] else {
            throw shape("read sender rule \(s.key)")
        }
        guard let path = try rulesOwnerPath(owner) else { return .applied(nil) }
        let reply = try api.call(.DELETE, path + "/wblist/\(pathSegment(rid))")
        if reply.status != 404 { try expect(reply, "delete-sender-rule", s.key) }
        return .applied(nil)
    }
}
