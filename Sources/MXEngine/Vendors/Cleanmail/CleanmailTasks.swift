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

    /// A mailbox renamed, or moved to another domain of the tenant (UpdateUser's email
    /// and domainId, 5.14.9); undone by moving it back. In another domain its policy and
    /// platform become that domain's (the sandbox clears them; ASSUMED of the vendor), and
    /// its domain's status is the new domain's.
    static let move = ObjectCommand(
        "move-user", .action, subject: .owner(.user), params: [("address", .text)], undo: .by("move-user"),
        "rename a mailbox or move it to another domain: move-user u \"new@other.example\""
    ).movingObject(resetting: ["policyId", "platformId", "domainStatus"])

    /// 5.13.1 (`GET /token`): the vendor mails the user a temporary sign-in token; the
    /// same mail as send-token-mail, asked the way an account that may impersonate asks.
    static let signInToken = ObjectCommand(
        "send-sign-in-token", .action, subject: .owner(.user),
        options: [("validity", .integer(1...720), "hours the token works (the vendor's default, 4, when not given)")],
        undo: .irreversible(sentForGood), "mail the user a temporary sign-in token (GET /token)")

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

extension CleanmailAdapter {
    /// 5.14.9 with `email` (and `domainId` when the domain changes): the mailbox keeps
    /// its id, rules and mail. The new address is checked before anything is sent.
    func moveUser(_ u: User, _ change: Change) throws -> ChangeOutcome {
        guard case .string(let text)? = change.fields["address"],
            let address = try? EmailAddress.normalize(text)
        else {
            throw VendorError(
                vendor: vendor.name, kind: .invalid, code: "invalid",
                message: "move-user \(u.email): \(change.fields["address"]?.literal ?? "none") is not an email address")
        }
        if address == u.email.lowercased() { return .unchanged(.user(u)) }
        var patch = JSONObject([("email", .string(address))])
        let domain = String(address.split(separator: "@").last ?? "")
        if domain != u.domain.lowercased() {
            guard let d = try record(named: domain) else {
                throw VendorError(
                    vendor: vendor.name, kind: .invalid, code: "invalid",
                    message: "move-user \(u.email): domain \(domain) is not at this connection")
            }
            patch["domainId"] = .string(id(d))
        }
        let path = "/users/\(pathSegment(id(rawRecord(u.raw))))"
        try expect(
            api.call(.PATCH, path, body: .json(.object(patch)), safeToRepeat: true), "move-user",
            "\(u.email) to \(address)")
        return .applied(try user(email: address).map(ObjectRef.Object.user))
    }
}

extension CleanmailAdapter {
    /// 5.13.1: a GET that mails someone, so never repeated after a lost answer; 202 is
    /// the only success, and 400 (no quarantine, retention or archive) and 404 are said
    /// in the vendor's words.
    func sendSignInToken(_ u: User, _ change: Change) throws -> ChangeOutcome {
        var query = [("username", u.email)]
        if case .number(let hours)? = change.fields["validity"] { query.append(("validity", String(Int(hours)))) }
        try expect(api.call(.GET, "/token", query: query, safeToRepeat: false), "send-sign-in-token", u.email)
        return .applied(change.before)
    }
}
