import MXJSON
import MXModel

/// The domain's own writable members of Cleanmail's `DomainUpdate` (6.21) that the
/// neutral model has no name for, as fields of the domain kind: read from the domain's
/// record, sent in the same PATCH /domains/{id} (5.5.15) as the neutral ones.
enum CleanmailDomainFields {
    static let all: [FieldSpec] = [
        FieldSpec(
            "wblistPriority", wire: "wblistPriority", .choice(["DOMAIN", "USER"]), neutral: false,
            "whose sender rules win when a domain's and a mailbox's disagree"),
        FieldSpec(
            "senderVerifyOn", wire: "senderVerifyOn", .bool, neutral: false,
            "check that senders claiming the domain's addresses exist"),
        FieldSpec(
            "autoProvisioningOn", wire: "autoProvisioningOn", .bool, neutral: false,
            "create mailboxes as mail for them arrives"),
        FieldSpec("externalId", wire: "externalId", .text, neutral: false, "your own id of the domain"),
        FieldSpec(
            "outgoingSubnets", wire: "outgoingSubnets", .textList, neutral: false,
            "the networks (CIDR) allowed to relay outgoing mail")
    ]

    /// `X-Ignore-MX` (5.5.6, 5.5.15): delete, rename or disable a domain whose MX still
    /// points to Cleanmail. An option of the operation, never a field or a default.
    static let ignoreMX: (name: String, type: FieldType, summary: String) = (
        "ignoreMX", .bool, "true to change the domain even though its MX still points to Cleanmail (X-Ignore-MX)"
    )

    /// The header a change asks for with `ignoreMX=true`; none otherwise.
    static func headers(_ change: Change) -> [(String, String)] {
        if case .bool(true)? = change.fields[ignoreMX.name] { return [("X-Ignore-MX", "true")] }
        return []
    }

    /// The changed ones, as the domain now holds them, into the PATCH body.
    static func patch(_ changed: Set<String>, of d: Domain, into patch: inout JSONObject) {
        for f in all where changed.contains(f.name) {
            patch[f.wire] = d.raw.value(atPath: f.wirePath)?.json ?? .null
        }
    }
}
