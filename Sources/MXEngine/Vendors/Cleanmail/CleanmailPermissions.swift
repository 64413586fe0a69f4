import MXJSON
import MXModel

/// The permissions an administrator may be given on a domain (5.1.4, `PermissionDTO`
/// 6.44): `permissions of d`, read only, the reference for `grant-admin ...
/// permissions=[...]` and `set d.access permissions=[...]`. The vendor lists only those
/// the token's own account holds there, so the list is what this connection may grant.
/// ASSUMED: the scope of a domain is `DOMAIN` and its id the domain's (the document names
/// the parameters `scope` and `id`, both required, and no values).
enum CleanmailPermissionKinds {
    static let permission = ResourceKind(
        "permission", kind: .settings, placement: [.collectionOf(owner: .domain, member: "permissions")],
        listing: "GET /security/permissions?scope=DOMAIN&id={domain id}",
        fields: [
            FieldSpec("name", wire: "name", .text, .readOnly, neutral: false, "the permission's name"),
            FieldSpec(
                "editable", wire: "editable", .bool, .readOnly, neutral: false,
                "whether this connection may grant or take it"),
            FieldSpec("domain", wire: "domain", .text, .readOnly, neutral: false, "the domain it applies to")
        ],
        operations: [], key: "name")

    static let all = [permission]
}

extension CleanmailAdapter {
    /// 5.1.4 for a domain: the whole answer (the document pages it not).
    func permissions(ofDomain name: String) throws -> [Settings] {
        guard let o = try record(named: name) else { throw VendorError.notFound(vendor.name, "domain", name) }
        let what = "permissions of domain \(name)"
        let reply = try expect(
            api.call(.GET, "/security/permissions", query: [("scope", "DOMAIN"), ("id", id(o))]), "read", what)
        guard let list = reply.json?.array else { throw shape("read \(what)") }
        return try list.map { p in
            guard let o = p.object, let permission = o["name"]?.string else { throw shape("read \(what)") }
            return Settings(
                kind: "permission", key: "\(name.lowercased())/\(permission)", owner: name.lowercased(),
                fields: Record([
                    ("name", .string(permission)), ("editable", o["editable"].map(Value.init(json:)) ?? .none),
                    ("domain", .string(name.lowercased()))
                ]))
        }
    }
}
