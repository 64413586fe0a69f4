import MXJSON
import MXModel

/// Proofpoint's own kinds of object beside the connection's settings: a domain's DKIM
/// key (`d.dkim`, `create-dkim d`, `set d.dkim is_enabled=true`, `delete-dkim d`), as
/// ProofpointDKIM.swift reads and changes it. Every shape ASSUMED (NOTES.md).
enum ProofpointObjects {
    static func field(_ name: String, _ type: FieldType, _ access: FieldSpec.Access, _ summary: String) -> FieldSpec {
        FieldSpec(name, wire: name, type, access, neutral: false, summary)
    }

    static let dkim = ResourceKind(
        "dkim", kind: .settings, placement: [.singleOf(owner: .domain, member: "dkim")],
        listing: "GET /orgs/{org}/domains/{domain}/dkim (ASSUMED)",
        fields: [
            field("domain", .text, .readOnly, "the domain the key signs for"),
            // Chosen when the key is made (create-dkim d selector="s1" key_size=1024).
            field("selector", .text, .readWrite, "the DKIM selector, chosen at create-dkim"),
            field("key_size", .integer(1024...2048), .readWrite, "1024 or 2048 bits, chosen at create-dkim"),
            field("is_enabled", .bool, .readWrite, "whether mail is signed with it"),
            field("public_key", .text, .readOnly, "the public key"),
            field("txt_name", .text, .readOnly, "the DNS name of the TXT record to publish"),
            field("txt_record", .text, .readOnly, "the TXT record to publish")
        ],
        operations: [.updateSettings], key: "domain",
        commands: [
            ObjectCommand(
                "create-dkim", .create, subject: .owner(.domain), undo: .by("delete-dkim"),
                "create the domain's DKIM key; print d.dkim.txt_record for the TXT record to publish"),
            ObjectCommand(
                "delete-dkim", .delete, subject: .owner(.domain),
                undo: .irreversible("the private key is gone with it; a new key needs a new DNS record"),
                "delete the domain's DKIM key")
        ])
}

extension ProofpointAdapter {
    func object(_ kind: String, key: String) throws -> Settings? {
        if kind == "dkim" {
            guard case .settings(let s)? = try dkim(of: key).map({ dkimObject($0, key) }) else { return nil }
            return s
        }
        if vendor.singles.contains(kind) { return try settings(kind) }
        throw VendorError(
            vendor: vendor.name, kind: .unsupported, code: "unsupported",
            message: "\(vendor.product) has no \(kind) objects")
    }

    func createObject(_ s: Settings, _ change: Change) throws -> ChangeOutcome {
        guard s.kind == "dkim" else { throw VendorError.unsupported(vendor, change.operation) }
        let size: Int?
        switch s.fields["key_size"] {
        case .number(let n)?: size = Int(n)
        default: size = nil
        }
        guard
            case .applied(let made) = try createDKIM(
                of: s.owner ?? s.key, selector: s.fields["selector"]?.stringValue,
                keySize: size)
        else {
            // The resolver found none a moment ago: a key there now was made meanwhile.
            return .applied(try object("dkim", key: s.owner ?? s.key).map(ObjectRef.Object.settings))
        }
        guard let enabled = s.fields["is_enabled"], case .bool(let on) = enabled, on else { return .applied(made) }
        return try setDKIM(of: s.owner ?? s.key, enabled: true)
    }

    /// Only `is_enabled` changes once a key is made (ASSUMED: the PUT takes nothing
    /// else); a new selector or size is a new key: delete-dkim, then create-dkim.
    func updateObject(_ s: Settings, changed: [String], _ change: Change) throws -> ChangeOutcome {
        guard s.kind == "dkim" else { return try updateSettings(s, changed: changed) }
        if let other = changed.first(where: { $0 != "is_enabled" }) {
            throw VendorError(
                vendor: vendor.name, kind: .invalid, code: "422",
                message:
                    "the DKIM key's \(other) is chosen when it is made: delete-dkim, then create-dkim \(other)=...",
                hints: [(other, "set at create-dkim only")])
        }
        guard case .bool(let on)? = s.fields["is_enabled"] else {
            throw VendorError(
                vendor: vendor.name, kind: .invalid, code: "422", message: "is_enabled takes true or false",
                hints: [("is_enabled", "true or false")])
        }
        return try setDKIM(of: s.owner ?? s.key, enabled: on)
    }

    func deleteObject(_ s: Settings, _ change: Change) throws -> ChangeOutcome {
        guard s.kind == "dkim" else { throw VendorError.unsupported(vendor, change.operation) }
        return try deleteDKIM(of: s.owner ?? s.key)
    }
}

extension Value {
    /// The text of a string value; nil for anything else.
    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}
