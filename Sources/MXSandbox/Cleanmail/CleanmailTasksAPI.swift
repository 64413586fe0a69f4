import MXJSON

/// Tasks (5.12, `POST /tasks`: welcome, token, password-reset and spamfight mails, a
/// message's remediation) and temporary auth tokens (5.13, `GET /token`, mailed to the
/// user). Both are asynchronous: 202, no body.
///
/// The sandbox sends nothing: each mail is kept in its outbox (`mails` in the state) and
/// delivered to the recipient's INBOX (5.7), so a runbook can see it arrive.
///
/// ASSUMED: the mail commands need `params.recipient`, the address of a user (422
/// otherwise, and when the user's domain is deleted); `validity` is 1 to 720 hours (400
/// otherwise); `remediate_message` needs `recipient` and `messageId` (a message's id or
/// Message-ID in the recipient's mailbox; 422 when there is none) and deletes it. GET
/// /token requires `username` (Spring's 400 without it); the token mail is refused (400,
/// the documented message) to a user whose policy has no quarantine, retention or archive.
extension CleanmailAPI {
    static let taskCommands = [
        "send_welcome_mail", "send_token_mail", "send_password_reset_mail", "send_spamfight_spam_mail",
        "send_spamfight_clean_mail", "remediate_message"
    ]
    static let noService =
        "A problem occured. Possible causes: the account does not have quarantine or retention or archive service."

    static func registerTasks(_ r: inout Router<Route>) {
        r.write("POST", "/tasks", denied: "Authorisation failure.") { s, c in
            guard let o = c.request.json?.object, let command = o["command"]?.string, taskCommands.contains(command),
                let params = o["params"]?.object
            else { throw Failure(400, "Invalid parameters") }
            guard let recipient = params["recipient"]?.string, !recipient.isEmpty else {
                throw Failure(400, "Invalid parameters")
            }
            var validity: Int?
            if let v = params["validity"], v != .null {
                guard let n = v.int, (1...720).contains(n) else { throw Failure(400, "Invalid parameters") }
                validity = n
            }
            guard let u = s.emails[recipient.lowercased()], let user = s.users[u] else {
                throw Failure(422, Message.conditions + " No account with address \(recipient).")
            }
            if let d = s.num(user["domainId"]), s.domains[d]?["status"]?.string == "DELETED" {
                throw Failure(422, Message.conditions + " The account's domain is deleted.")
            }
            if command == "remediate_message" {
                guard let mid = params["messageId"]?.string, let m = findMessage(s, u, folder: nil, mid) else {
                    throw Failure(422, Message.conditions + " No such message in the mailbox of \(recipient).")
                }
                s.remove(.message, m)
                return .empty(202)
            }
            mail(&s, command, to: u, validity: validity)
            return .empty(202)
        }
        r.write("GET", "/token", denied: "Authorisation failure.") { s, c in
            guard let username = c.request.queryValue("username"), !username.isEmpty else {
                throw Failure(400, "Required parameter 'username' is not present.")
            }
            var validity = 4
            if let v = c.request.queryValue("validity"), !v.isEmpty {
                guard let n = Int(v), (1...720).contains(n) else {
                    throw Failure(
                        400, "Failed to convert value of parameter 'validity': '\(v)' is not a number of hours")
                }
                validity = n
            }
            guard let u = s.emails[username.lowercased()] else { throw Failure(404, "Unknown username") }
            guard userHasServices(s, u) else { throw Failure(400, noService) }
            mail(&s, "send_token_mail", to: u, validity: validity)
            return .empty(202)
        }
    }

    /// Whether the user's policy has quarantine, retention or archive.
    static func userHasServices(_ s: CleanmailStore, _ u: Int) -> Bool {
        guard let user = s.users[u] else { return false }
        let p = s.num(user["policyId"]) ?? s.num(s.num(user["domainId"]).flatMap { s.domains[$0]?["policyId"] })
        guard let p, let policy = s.policies[p] else { return false }
        return ["quarantine", "retention", "archive"].contains { policy[$0] == true }
    }

    static let mailSubjects = [
        "send_welcome_mail": "Welcome to Cleanmail", "send_token_mail": "Your Cleanmail access link",
        "send_password_reset_mail": "Reset your Cleanmail password",
        "send_spamfight_spam_mail": "Spamfight: messages held as spam",
        "send_spamfight_clean_mail": "Spamfight: messages delivered"
    ]

    /// Keeps a mail in the outbox and delivers it to the user's INBOX.
    static func mail(_ s: inout CleanmailStore, _ command: String, to u: Int, validity: Int?) {
        let email = s.users[u]!["email"]!.string!
        let now = s.now()
        let subject = mailSubjects[command] ?? command
        s.insert(
            .mail,
            [
                ("command", .string(command)), ("recipient", .string(email)), ("subject", .string(subject)),
                ("validity", validity.map(JSON.int) ?? .null), ("sentAt", .int(now))
            ])
        var body = "Hello,\n\n\(subject)."
        if let validity { body += " The link is valid for \(validity) hours." }
        deliver(
            &s, to: u, folder: "INBOX",
            NewMessage(from: "noreply@cleanmail.eu", to: [email], subject: subject, body: body, date: now))
    }
}
