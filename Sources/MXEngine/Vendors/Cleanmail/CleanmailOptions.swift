import MXJSON
import MXModel

/// A domain's and a mailbox's options (5.5.4/10/14, 5.14.2/6/8) and the permissions a
/// domain's end users have (5.5.2, 5.5.12), declared once.
///
/// An option is named `OWNER/NAME` (`contoso-cm.net/DOMAIN_ADMIN`,
/// `nancy@northwind-mail.com/TIMEZONE`); its `value` is this scope's, none when the
/// scope has none and `parentValue` applies (6.40). `set o value="x"` sets it (POST),
/// `set o value=none` deletes it (DELETE): undo writes the value back either way.
enum CleanmailOptionKinds {
    static func field(_ name: String, _ type: FieldType, _ access: FieldSpec.Access, _ summary: String) -> FieldSpec {
        FieldSpec(name, wire: name, type, access, neutral: false, summary)
    }

    static func field(_ name: String, _ type: FieldType, _ summary: String) -> FieldSpec {
        field(name, type, .readOnly, summary)
    }

    static let option = ResourceKind(
        "option", kind: .settings,
        placement: [.collectionOf(owner: .domain, member: "options"), .collectionOf(owner: .user, member: "options")],
        listing: "GET /domains/{id}/options, GET /users/{id}/options; POST to set one, DELETE .../options/{name}",
        fields: [
            field("option", .text, "its name in scripts: its owner/its name"),
            field("name", .text, "the option's name (DOMAIN_ADMIN, TIMEZONE, ...)"),
            field("owner", .text, "the domain or mailbox it is set for"),
            field("value", .text, .readWrite, "this scope's value; none: the parent's applies (set none to delete it)"),
            field("parentValue", .text, "the value that applies when this scope has none"),
            field("type", .text, "what it holds (STRING, EMAIL, HOST, BOOL, LIST, ...)"),
            field("values", .textList, "the values a LIST option takes"),
            field("restricted", .bool, "only a sysadmin may change it"),
            field("description", .text, "what it is for")
        ],
        operations: [.updateSettings], key: "option"
    ).keyed(by: KeyParts("/", "owner", "name", atLast: true))

    static let access = ResourceKind(
        "access", kind: .settings, placement: [.singleOf(owner: .domain, member: "access")],
        listing: "GET /domains/{id}/access; PUT the same path with the names to enable",
        fields: [
            field("domain", .domainName, "the domain whose end users have them"),
            field("permissions", .textList, .readWrite, "what the domain's end users may do (the enabled permissions)"),
            field("available", .textList, "every permission the domain's end users can be given")
        ],
        operations: [.updateSettings], key: "domain")

    static let all = [option, access]
}

extension CleanmailAdapter {
    /// The options path of a domain or a mailbox, by its name.
    func optionsPath(_ owner: String) throws -> String {
        if owner.contains("@") {
            guard let u = try userRecord(owner) else { throw VendorError.notFound(vendor.name, "user", owner) }
            return "/users/\(pathSegment(id(u)))/options"
        }
        return "/domains/\(try domainID(owner))/options"
    }

    func options(of owner: String) throws -> [Settings] {
        var out: [Settings] = []
        try pages(try optionsPath(owner), filter: [], what: "options of \(owner)") { page in
            for case .object(let o) in page { out.append(try optionObject(o, owner: owner)) }
            return true
        }
        return out
    }

    func optionObject(_ o: JSONObject, owner: String) throws -> Settings {
        guard let def = o["option"]?.object, let name = def["name"]?.string else {
            throw shape("read options of \(owner)")
        }
        let key = "\(owner.lowercased())/\(name)"
        var fields = Record([("option", .string(key)), ("name", .string(name)), ("owner", .string(owner.lowercased()))])
        for (field, value) in [
            ("value", o["value"]), ("parentValue", o["parentValue"]), ("type", def["type"]),
            ("values", def["values"]), ("restricted", def["restricted"]),
            ("description", def["description"])
        ] {
            // A member left out is not known; null is the document's "none at this scope".
            guard let value else { continue }
            fields[field] = Value(json: value)
        }
        return Settings(kind: "option", key: key, owner: owner.lowercased(), fields: fields)
    }

    /// `OWNER/NAME`: the owner's options are read and the name compared.
    func option(_ key: String) throws -> Settings? {
        guard let slash = key.lastIndex(of: "/") else { return nil }
        let owner = String(key[..<slash]), name = String(key[key.index(after: slash)...])
        if owner.contains("@") {
            guard try userRecord(owner) != nil else { return nil }
        } else {
            guard try record(named: owner) != nil else { return nil }
        }
        return try options(of: owner).first { $0.fields["name"]?.text == name }
    }

    /// 5.5.14/5.14.8 (a value) or 5.5.4/5.14.2 (none: the parent's applies again).
    func setOption(_ s: Settings) throws -> ChangeOutcome {
        guard case .string(let owner)? = s.fields["owner"], case .string(let name)? = s.fields["name"] else {
            throw shape("read option \(s.key)")
        }
        let path = try optionsPath(owner)
        switch s.fields["value"] ?? .none {
        case .none:
            try expect(api.call(.DELETE, path + "/\(pathSegment(name))"), "delete option", s.key)
        case let v:
            let body = JSON.object(JSONObject([("name", .string(name)), ("value", .string(v.text))]))
            let reply = try api.call(.POST, path, body: .json(body), safeToRepeat: true)
            if reply.status == 403 {
                throw VendorError(
                    vendor: vendor.name, kind: .refused, code: "403",
                    message: "set option \(s.key): a restricted option is changed only with a sysadmin token (403)")
            }
            try expect(reply, "set option", s.key)
        }
        return .applied(try option(s.key).map(ObjectRef.Object.settings))
    }

    /// 5.5.12: the enabled permissions, and every one there is.
    func access(ofDomain name: String) throws -> Settings? {
        guard let o = try record(named: name) else { return nil }
        let reply = try expect(api.call(.GET, "/domains/\(pathSegment(id(o)))/access"), "read", "access of \(name)")
        guard let list = reply.json?.array else { throw shape("read access of domain \(name)") }
        let all = list.compactMap { $0["name"]?.string }
        let enabled = list.filter { $0["enabled"]?.bool == true }.compactMap { $0["name"]?.string }
        return Settings(
            kind: "access", key: name.lowercased(), owner: name.lowercased(),
            fields: Record([
                ("domain", .string(name.lowercased())), ("permissions", .list(enabled.map(Value.string))),
                ("available", .list(all.map(Value.string)))
            ]))
    }

    /// 5.5.2: the names to enable; the others are disabled.
    func setAccess(_ s: Settings) throws -> ChangeOutcome {
        let names = (s.fields["permissions"]?.listValues ?? []).map(\.text)
        try expect(
            api.call(
                .PUT, "/domains/\(try domainID(s.key))/access", body: .json(.array(names.map(JSON.string))),
                safeToRepeat: true), "set access of", "domain \(s.key)")
        return .applied(try access(ofDomain: s.key).map(ObjectRef.Object.settings))
    }
}
