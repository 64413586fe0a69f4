import MXJSON
import MXModel

/// The domain's own writable members of Cleanmail's `DomainUpdate` (6.21) that the
/// neutral model has no name for, as fields of the domain kind: read from the domain's
/// record, sent in the same PATCH /domains/{id} (5.5.15) as the neutral ones.
enum CleanmailDomainFields {
    static let all: [FieldSpec] = [
        FieldSpec("wblistPriority", wire: "wblistPriority", .choice(["DOMAIN", "USER"]), neutral: false,
                  "whose sender rules win when a domain's and a mailbox's disagree"),
        FieldSpec("senderVerifyOn", wire: "senderVerifyOn", .bool, neutral: false,
                  "check that senders claiming the domain's addresses exist"),
        FieldSpec("autoProvisioningOn", wire: "autoProvisioningOn", .bool, neutral: false,
                  "create mailboxes as mail for them arrives"),
        FieldSpec("externalId", wire: "externalId", .text, neutral: false, "your own id of the domain"),
        FieldSpec("outgoingSubnets", wire: "outgoingSubnets", .textList, neutral: false,
                  "the networks (CIDR) allowed to relay outgoing mail"),
    ]

    /// The changed ones, as the domain now holds them, into the PATCH body.
    static func patch(_ changed: Set<String>, of d: Domain, into patch: inout JSONObject) {
        for f in all where changed.contains(f.name) {
            patch[f.wire] = d.raw.value(atPath: f.wirePath)?.json ?? .null
        }
    }
}
