import MXModel

/// OpenSRS's own domain attributes (opensrs-email-get_domain.txt, "Attributes fields"),
/// under the vendor's names, writable exactly where `settable_attributes` lists them.
/// Where the document's text and examples disagree (CONTRADICTIONS.md) the examples'
/// spelling is used: `spamheader`, not `spam_header`.
enum OpenSRSFields {
    static let service = FieldType.choice(["enabled", "disabled", "suspended"])

    static func attribute(_ name: String, _ type: FieldType, _ summary: String) -> FieldSpec {
        FieldSpec(name, wire: "attributes." + name, type, .readWrite, neutral: false, summary)
    }

    static func attribute(_ name: String, _ type: FieldType, _ access: FieldSpec.Access, _ summary: String) -> FieldSpec
    {
        FieldSpec(name, wire: "attributes." + name, type, access, neutral: false, summary)
    }

    static let domain: [FieldSpec] = [
        attribute("brand", .text, "the default Webmail brand of the domain's mailboxes"),
        attribute("catchall", .text, .readOnly, "the mailbox that gets mail for addresses that do not exist"),
        attribute("company", .text, .readOnly, "the company the domain belongs to"),
        attribute(
            "default_password_encoding",
            .choice([
                "MD5", "SSHA224", "SSHA256", "SSHA384", "SSHA512", "BCRYPT-6", "BCRYPT-8", "BCRYPT-10", "BCRYPT-12"
            ]),
            "how an unencrypted password is hashed when stored"),
        attribute("filterdelivery", .choice(["quarantine", "passthrough"]), "what the filter does with spam"),
        attribute("limit_aliases", .integer(0...Int.max), "the most aliases the domain's mailboxes may have"),
        attribute("limit_users", .integer(0...Int.max), "the most users the domain may have"),
        attribute("password_strength", .text, .readOnly, "the password strength checks new passwords must pass"),
        attribute("quota", .integer(0...Int.max), "the default storage of new mailboxes"),
        attribute("quota_maximum", .integer(0...Int.max), "the largest quota a mailbox may be given (MB)"),
        attribute("regen_passwords", .bool, "re-encode passwords at the next login"),
        attribute("service_imap4", service, "IMAP4 for new users"),
        attribute("service_pop3", service, "POP3 for new users"),
        attribute("service_smtpin", service, "sending for new users"),
        attribute("service_smtprelay", service, "SMTP relay for new users"),
        attribute("service_smtprelay_webmail", service, "sending from Webmail for new users"),
        attribute("service_webmail", service, "Webmail for new users"),
        attribute("smtp_sent_limit", .integer(0...10_000), .readOnly, "messages a user may send in 24 hours"),
        attribute("spamfolder", .text, "the folder spam is delivered to"),
        attribute("spamheader", .text, "the header added to spam (Xname: text)"),
        attribute("spamlevel", .choice(["Normal", "High", "Very High"]), "how aggressive the spam filter is"),
        attribute("spamtag", .text, "the tag added to a spam message's subject"),
        attribute("stats_mailout", .textList, "addresses usage snapshots are sent to (at most 100)").atMost(100),
        attribute("wm_domainalias", .bool, "Webmail offers From addresses of the domain's aliases"),
        attribute("workgroup", .text, "the default workgroup of new accounts"),
        FieldSpec(
            "inherited", wire: "metadata.inherit", .record, .readOnly, neutral: false,
            "the company's values the domain inherits where its own attribute is null (metadata.inherit)")
    ]

    /// A mailbox's own attributes (NOTES.md: the real API's `get_user`/`change_user`;
    /// ASSUMED names and values, the document here covering domains): the domain's
    /// settings that a user overrides (null inherits the domain's), the delivery switches,
    /// forwarding and the autoresponder. `account` and `type` are read-only; the
    /// password is a credential and never a field that is read.
    static let user: [FieldSpec] = [
        attribute("account", .text, .readOnly, "the mailbox's address, as the vendor stores it"),
        attribute("type", .choice(["mailbox", "forward", "filter"]), .readOnly, "mailbox, forward or filter"),
        attribute("title", .text, "the user's title"),
        attribute("phone", .text, "the user's phone number"),
        attribute("fax", .text, "the user's fax number"),
        attribute("allow", .textList, "senders whose mail is never scanned for spam (wildcards allowed)"),
        attribute("block", .textList, "senders whose mail is always spam (wildcards allowed)"),
        attribute("brand", .text, "the user's Webmail brand (null: the domain's)"),
        attribute("timezone", .text, "the user's Webmail time zone"),
        attribute("workgroup", .text, "the user's workgroup"),
        attribute("quota", .integer(0...Int.max), "the mailbox's storage (MB, at most the domain's quota_maximum)"),
        attribute("service_imap4", service, "IMAP4 for this user"),
        attribute("service_pop3", service, "POP3 for this user"),
        attribute("service_smtpin", service, "sending for this user"),
        attribute("service_smtprelay", service, "SMTP relay for this user"),
        attribute("service_smtprelay_webmail", service, "sending from Webmail for this user"),
        attribute("service_webmail", service, "Webmail for this user"),
        attribute("spamfolder", .text, "the folder spam is delivered to"),
        attribute("spamheader", .text, "the header added to spam (Xname: text)"),
        attribute("spamlevel", .choice(["Normal", "High", "Very High"]), "how aggressive the spam filter is"),
        attribute("spamtag", .text, "the tag added to a spam message's subject"),
        attribute("filterdelivery", .choice(["quarantine", "passthrough"]), "what the filter does with spam"),
        attribute("delivery_local", .bool, "mail is kept in the mailbox"),
        attribute("delivery_forward", .bool, "mail is forwarded to forward_recipients"),
        attribute("delivery_filter", .bool, "mail is filtered and passed on (excludes the others)"),
        attribute("forward_recipients", .textList, "where forwarded mail goes"),
        attribute("forward_option_restricted", .bool, "forward only to the recipients listed"),
        attribute("forward_option_subject_prefix", .text, "text put before a forwarded message's subject"),
        attribute("forward_option_reply_to", .text, "the Reply-To of forwarded messages"),
        attribute("reply_to", .text, "the Reply-To of the user's messages"),
        attribute("autoresponder", .text, "the automatic reply's text (null: none)"),
        attribute("autoresponder_option_enddate", .text, "when the automatic reply stops"),
        attribute("autoresponder_option_interval", .integer(0...Int.max), "hours between replies to one sender"),
        attribute("smtp_sent_limit", .integer(0...10_000), .readOnly, "messages the user may send in 24 hours"),
        attribute("notes_external", .text, "notes on the user")
    ]
}
