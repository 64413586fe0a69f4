import MXJSON
import MXModel

/// A mailbox's own members of Cleanmail's `User` and `UpdateUser` (6.61, 6.63) that the
/// neutral model has no name for, as fields of the user kind: read from the user's
/// record, sent in the same POST /users (5.14.1) or PATCH /users/{id} (5.14.9) as the
/// neutral ones. The password is a secret: written (from secret() or env()), never read
/// back, journaled or shown.
enum CleanmailUserFields {
    static let all: [FieldSpec] = [
        FieldSpec(
            "senderVerifyOn", wire: "senderVerifyOn", .bool, neutral: false,
            "check that mail claiming to be from this mailbox comes from it"),
        FieldSpec(
            "mfaType", wire: "mfaType", .choice(["NONE", "TOTP"]), neutral: false,
            "its multi-factor sign-in (the API only turns it off: NONE)"),
        FieldSpec(
            "policyId", wire: "policy.id", .text, neutral: false,
            "the id of the policy its mail gets (the domain's default unless set)"),
        FieldSpec(
            "platformId", wire: "platform.id", .text, neutral: false,
            "the id of the platform its mail is delivered to (the domain's default unless set)"),
        FieldSpec(
            "password", wire: "password", .secret, .writeOnly, neutral: false,
            "its password: written, never read back or journaled"),
        FieldSpec("id", wire: "id", .text, .readOnly, neutral: false, "the vendor's id of the mailbox"),
        FieldSpec("created", wire: "creationDate", .text, .readOnly, neutral: false, "when it was made"),
        FieldSpec(
            "lastConnection", wire: "lastConnectionDate", .text, .readOnly, neutral: false,
            "when its user last signed in"),
        FieldSpec("domainStatus", wire: "domainStatus", .text, .readOnly, neutral: false, "its domain's status")
    ]

    /// The member of UpdateUser each writable field is sent as (read at another path).
    static let sentAs = ["policyId": "policyId", "platformId": "platformId"]

    /// The changed ones, as the user now holds them, into the POST or PATCH body.
    static func patch(_ changed: Set<String>, of u: User, into body: inout JSONObject) {
        for f in all where f.isWritable && changed.contains(f.name) {
            let member = sentAs[f.name] ?? f.wire
            switch u.raw.value(atPath: f.wirePath) {
            case .secret(let s)?: body[member] = .string(s.reveal())
            case .enumCase(let text)?: body[member] = .string(text)
            case let v?: body[member] = v.json ?? .null
            case nil: body[member] = .null
            }
        }
    }

    /// Dates are epoch milliseconds on the wire; scripts read them as ISO 8601.
    static func readable(_ o: JSONObject) -> JSONObject {
        var out = o
        for member in ["creationDate", "lastConnectionDate"] {
            if let v = o[member], let date = CleanmailMapping.millisecondsDate(v) { out[member] = .string(date) }
        }
        return out
    }
}
