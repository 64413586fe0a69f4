import MXModel

/// A domain's filtering rules on attachments (5.8) and on the URIs in mail (5.10).
/// The vendor names a rule by an id it makes; a script names it by what it filters and
/// where, `FILTER@DOMAIN` (`\.iso$@stark.net`), which the vendor keeps unique per domain
/// (its 409 "same rules"): so a create can be planned, re-run as "already as asked" and
/// undone without knowing the id beforehand. What each command sends is in
/// CleanmailFilters.swift.
enum CleanmailFilterKinds {
    static func field(
        _ name: String, _ type: FieldType, _ access: FieldSpec.Access = .readWrite,
        _ summary: String = ""
    ) -> FieldSpec {
        FieldSpec(name, wire: name, type, access, neutral: false, summary)
    }

    /// The fields both kinds share: the key, the vendor's own id and bookkeeping.
    static func common(_ what: String) -> [FieldSpec] {
        [
            field("rule", .text, .readOnly, "the rule's name in scripts: its filter@its domain"),
            field("filter", .text, .readOnly, "\(what) (a regular expression); a new filter is a new rule"),
            field("description", .text, .readWrite, "why the rule is there"),
            field("domain", .domainName, .readOnly, "the domain it applies to (the vendor's scope)"),
            field("priority", .integer(0...Int.max), .readOnly, "its rank among the domain's rules"),
            field("id", .text, .readOnly, "the vendor's id of the rule"),
            field("created", .text, .readOnly, "when it was made")
        ]
    }

    static let attachmentFilter = ResourceKind(
        "attachment-filter", kind: .settings, placement: [.collectionOf(owner: .domain, member: "attachment_filters")],
        listing: "GET /domains/{id}/filters/attachments?offset=&pageSize= (action= filters)",
        fields: common("the file names or content types it matches") + [
            field("action", .choice(["DENY", "ALLOW"]), .readWrite, "what is done with a matching attachment"),
            field(
                "checkType", .choice(["FILENAME", "CONTENTTYPE", "ARCHIVE_FILENAME", "ARCHIVE_CONTENTTYPE"]),
                .readWrite, "what the filter is matched against (names or types, in archives too)")
        ],
        operations: [.updateSettings], requiredToCreate: ["action", "checkType"], key: "rule",
        commands: [
            ObjectCommand(
                "create-attachment-filter", .create, subject: .key, undo: .by("delete-attachment-filter"),
                "add an attachment rule to a domain: "
                    + "create-attachment-filter \"FILTER@DOMAIN\" action= checkType="),
            ObjectCommand(
                "delete-attachment-filter", .delete, subject: .object, undo: .by("create-attachment-filter"),
                "delete an attachment rule (its values are kept with the change, for undo)")
        ])

    static let uriFilter = ResourceKind(
        "uri-filter", kind: .settings, placement: [.collectionOf(owner: .domain, member: "uri_filters")],
        listing: "GET /domains/{id}/filters/uris?offset=&pageSize= (action= filters)",
        fields: common("the host names in links it matches") + [
            field(
                "action", .choice(["BLACKLIST_URI_HOST", "WHITELIST_URI_HOST", "URIDNSBL_SKIP_DOMAIN"]), .readWrite,
                "raise the spam score (BLACKLIST), lower it (WHITELIST), or skip the URI blocklists")
        ],
        operations: [.updateSettings], requiredToCreate: ["action"], key: "rule",
        commands: [
            ObjectCommand(
                "create-uri-filter", .create, subject: .key, undo: .by("delete-uri-filter"),
                "add a URI rule to a domain: create-uri-filter \"HOST@DOMAIN\" action="),
            ObjectCommand(
                "delete-uri-filter", .delete, subject: .object, undo: .by("create-uri-filter"),
                "delete a URI rule (its values are kept with the change, for undo)")
        ])

    static let key = KeyParts("@", "filter", "domain", atLast: true)
    static let all = [attachmentFilter.keyed(by: key), uriFilter.keyed(by: key)]
}
