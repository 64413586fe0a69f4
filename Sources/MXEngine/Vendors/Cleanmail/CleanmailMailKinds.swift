import MXModel

/// A mailbox's mail (5.7), declared once: its IMAP folders (5.7.6, 5.7.7), the messages
/// of any folder (5.7.8: the quarantine, the archive, the rest), a message's
/// attachments (5.7.2), and sending mail as the mailbox (5.7.10 with the uploads of
/// 5.7.11). What each sends is in CleanmailMessages.swift and CleanmailMail.swift.
enum CleanmailMailKinds {
    static func field(
        _ name: String, _ type: FieldType, _ access: FieldSpec.Access = .readOnly, _ summary: String = ""
    ) -> FieldSpec {
        FieldSpec(name, wire: name, type, access, neutral: false, summary)
    }

    /// An IMAP folder (ImapFolder, 6.33): `folders of u` lists the top ones, `folders of f`
    /// the ones inside `f`. The counts are asked for (`fields=STATS`); a folder the vendor
    /// answers without them reads none, not 0. Its key is `mailbox/path`.
    static let folder = ResourceKind(
        "folder", kind: .settings,
        placement: [
            .collectionOf(owner: .user, member: "folders"), .collectionOfKind(owner: "folder", member: "folders")
        ],
        listing: "GET /users/{email}/emails/folders?fields=STATS; "
            + "GET /users/{email}/emails/folders/{path}?fields=STATS",
        fields: [
            field("path", .text, .readOnly, "the folder's path (Archive/2025)"),
            field("name", .text, .readOnly, "its name (2025)"),
            field("mailbox", .text, .readOnly, "the mailbox it belongs to"),
            field("messageCount", .integer(0...Int.max), .readOnly, "how many messages it holds"),
            field("unreadMessageCount", .integer(0...Int.max), .readOnly, "how many of them are unread")
        ],
        operations: [], key: "path")

    /// The fields a `where` on messages is searched with by the vendor (5.7.8's `from`,
    /// `to`, `cc`, `subject`, `id`, `receivedAfter`/`receivedBefore`); the interpreter
    /// still tests every message it gets (CleanmailSearch.swift says what is sent).
    static let searchable = ["sender", "recipients", "cc", "subject", "id", "date"]

    /// A message in a folder (ImapMessage, 6.34): `messages of f` for any folder,
    /// `quarantine of u` for the quarantine; read, searched with `where`, released
    /// (5.7.9), which cannot be taken back. Its key is `mailbox/folder/id`.
    static let message = ResourceKind(
        "message", kind: .settings,
        placement: [
            .collectionOf(owner: .user, member: "quarantine"), .collectionOfKind(owner: "folder", member: "messages")
        ],
        listing: "GET /users/{email}/emails/{folder}?offset=&pageSize= (from= to= cc= subject= id= receivedAfter=)",
        vendorFilters: searchable,
        fields: [
            field("id", .text, .readOnly, "the message's X-Fuglu-Id"),
            field("mailbox", .text, .readOnly, "the mailbox it is in"),
            field("folder", .text, .readOnly, "the folder it is in"),
            FieldSpec("sender", wire: "from", .text, .readOnly, neutral: false, "From"),
            FieldSpec("recipients", wire: "to", .textList, .readOnly, neutral: false, "To"),
            field("cc", .textList, .readOnly, "Cc"),
            field("subject", .text, .readOnly, "Subject"),
            FieldSpec("date", wire: "sentDate", .text, .readOnly, neutral: false, "when it was sent (UTC)"),
            field("size", .integer(0...Int.max), .readOnly, "its size in bytes"),
            field("seen", .bool, .readOnly, "whether it has been read"),
            field("hasAttachments", .bool, .readOnly, "whether it has attachments"),
            field("headers", .record, .readOnly, "its headers, as the vendor gives them")
        ],
        operations: [], key: "id",
        commands: [
            ObjectCommand(
                "release", .action, subject: .object,
                options: [
                    (
                        "virus", .bool,
                        "true to release a message flagged as infected (sends X-Virus-Lover); never the default"
                    )
                ],
                undo: .irreversible(
                    "a released message is delivered to its mailbox and cannot be put back in quarantine"),
                "deliver a quarantined message to its mailbox"),
            CleanmailTasks.remediate
        ])

    /// A message's attachments (5.7.2, ImapMessageAttachmentList): what each is, read
    /// only. The document's ImapMessageAttachment lost its field names (it keeps their
    /// descriptions: "Id of the attachment in the message", "Filename", "Content type of
    /// the file", "Size of the file in bytes"); ASSUMED: `partId`, `name`, `contentType`
    /// and `size`, the names the part's own path (`.../attachments/{partId}`) and the
    /// sandbox use. Its key is the message's key and the part: `mailbox/folder/id/partId`.
    /// Its content (5.7.3) is written to a file by `save-attachment a "file"`.
    static let attachment = ResourceKind(
        "attachment", kind: .settings, placement: [.collectionOfKind(owner: "message", member: "attachments")],
        listing: "GET /users/{userId}/emails/{folderPath}/{messageId}/attachments",
        fields: [
            FieldSpec("filename", wire: "name", .text, .readOnly, neutral: false, "the file's name"),
            FieldSpec("size", wire: "size", .integer(0...Int.max), .readOnly, neutral: false, "its size in bytes"),
            FieldSpec("type", wire: "contentType", .text, .readOnly, neutral: false, "its content type (image/png)"),
            FieldSpec("partId", wire: "partId", .text, .readOnly, neutral: false, "its id in the message")
        ],
        operations: [], key: "partId")

    /// 5.7.10: a message sent as the mailbox (SmtpMessage, 6.58), its files uploaded
    /// first (5.7.11) and attached by their `uid`. Sent once; it cannot be called back.
    static let sendMail = ObjectCommand(
        "send-mail", .action, subject: .owner(.user),
        options: [
            ("to", .emailList, "the main recipients' addresses"),
            ("cc", .emailList, "the copy recipients' addresses"),
            ("bcc", .emailList, "the hidden recipients' addresses"),
            ("subject", .text, "the subject"),
            ("body", .text, "the message, as HTML"),
            ("attachments", .textList, "files to attach, read when it is sent (each at most 25 MB)"),
            ("important", .bool, "true to mark it important")
        ],
        undo: .irreversible(CleanmailTasks.sentForGood),
        "send a message as the mailbox: send-mail u to=[\"x@y\"] subject=\"...\" body=\"...\" attachments=[\"f.pdf\"]")

    static let all = [folder, message, attachment]
}
