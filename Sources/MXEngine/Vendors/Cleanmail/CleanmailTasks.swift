import MXJSON
import MXModel

/// The mails Cleanmail sends a mailbox's user (5.12, `POST /tasks`): commands on the
/// user kind, each an action that cannot be taken back (the plan marks it `!`). The
/// vendor answers 202 and sends later; what was asked is all a run can know.
enum CleanmailTasks {
    static let sentForGood = "a mail once sent cannot be taken back"

    static func mail(_ name: String, validity: Bool, _ summary: String) -> ObjectCommand {
        ObjectCommand(
            name, .action, subject: .owner(.user),
            options: validity
                ? [("validity", .integer(1...720), "hours the mail's link works (the vendor's default when not given)")]
                : [],
            undo: .irreversible(sentForGood), summary)
    }

    static let commands: [ObjectCommand] = [
        mail(
            "send-welcome-mail", validity: false, "mail the user the service's description and a link to set a password"
        ),
        mail("send-token-mail", validity: true, "mail the user a link with a token to sign in"),
        mail("send-password-reset-mail", validity: true, "mail the user a link to reset the password"),
        mail("send-spamfight-spam-mail", validity: false, "mail the user the digest of messages held as spam"),
        mail("send-spamfight-clean-mail", validity: false, "mail the user the digest of messages delivered")
    ]

    /// The Task's `command` (6.60) for each: the mxsh name with underscores.
    static func task(_ op: Operation) -> String? {
        commands.contains { $0.name == op.rawValue } ? op.rawValue.replacingOccurrences(of: "-", with: "_") : nil
    }

    /// Deletes a message from its mailbox (`remediate_message`), on the message kind.
    static let remediate = ObjectCommand(
        "remediate", .action, subject: .object,
        undo: .irreversible("the message is deleted from the mailbox"),
        "delete a message from its mailbox (a remediation task)")
}

extension CleanmailAdapter {
    /// 5.12.1: the 202 is the only answer; 422 (no such account, or its domain deleted)
    /// and 400 are said in the vendor's words.
    func sendTask(_ command: String, recipient: String, _ change: Change, extra: JSONObject = JSONObject())
        throws -> ChangeOutcome
    {
        var params = JSONObject([("recipient", .string(recipient))])
        if case .number(let hours)? = change.fields["validity"] { params["validity"] = .int(Int(hours)) }
        for (k, v) in extra.pairs { params[k] = v }
        let body = JSON.object(JSONObject([("command", .string(command)), ("params", .object(params))]))
        // Not repeated after a lost answer: a second mail is worse than a missing one.
        try expect(api.call(.POST, "/tasks", body: .json(body), safeToRepeat: false), command, recipient)
        return .applied(change.before)
    }
}
