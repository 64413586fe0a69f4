import MXHTTP
import MXJSON
import MXSandbox
import Testing

/// Tasks (5.12: welcome, token and reset mails), temporary auth tokens (5.13) and
/// signatures (5.16), over HTTP.
@Suite(.serialized)
struct CleanmailTasksAndSignsTests {
    @Test func tasksMailTheUser() async throws {
        let k = try await CleanmailKit.start()
        // 5.12.1's example.
        let r = try await k.send(
            .POST, "/tasks", ["command": "send_welcome_mail", "params": ["recipient": "nancy@northwind-mail.com"]])
        #expect(r.status == 202)
        #expect(r.body.isEmpty)
        let inbox = try await k.get("/users/nancy@northwind-mail.com/emails/INBOX?subject=Welcome")
        #expect(inbox.array?.first?["from"] == "noreply@cleanmail.eu")
        #expect(k.sim.state()["mails"]?.array?.last?["command"] == "send_welcome_mail")
        #expect(
            try await k.send(
                .POST, "/tasks",
                ["command": "send_token_mail", "params": ["recipient": "nancy@northwind-mail.com", "validity": 24]]
            ).status == 202)
        #expect(
            try await k.send(
                .POST, "/tasks",
                ["command": "send_password_reset_mail", "params": ["recipient": "ana@fourthcoffee.cafe", "validity": 6]]
            ).status == 202)
        #expect(k.sim.state()["mails"]?.array?.last?["validity"] == 6)

        try k.expectError(
            try await k.send(
                .POST, "/tasks", ["command": "format_disk", "params": ["recipient": "nancy@northwind-mail.com"]]), 400,
            "Invalid parameters")
        try k.expectError(
            try await k.send(.POST, "/tasks", ["command": "send_welcome_mail"]), 400, "Invalid parameters")
        try k.expectError(
            try await k.send(.POST, "/tasks", ["command": "send_welcome_mail", "params": [:]]), 400,
            "Invalid parameters")
        try k.expectError(
            try await k.send(
                .POST, "/tasks",
                ["command": "send_token_mail", "params": ["recipient": "nancy@northwind-mail.com", "validity": 0]]),
            400, "Invalid parameters")
        try k.expectError(
            try await k.send(
                .POST, "/tasks", ["command": "send_welcome_mail", "params": ["recipient": "ghost@northwind-mail.com"]]),
            422,
            "Operation cannot be done because of not met conditions. No account with address ghost@northwind-mail.com.")
        try k.expectError(
            try await k.send(
                .POST, "/tasks", ["command": "send_welcome_mail", "params": ["recipient": "nancy@northwind-mail.com"]],
                readOnly: true),
            403, "Authorisation failure.")
        // Remediation removes a delivered message.
        let q1 = try #require(
            try await k.get("/users/nancy@northwind-mail.com/emails/INBOX?subject=Q1").array?.first?["id"])
        #expect(
            try await k.send(
                .POST, "/tasks",
                ["command": "remediate_message", "params": ["recipient": "nancy@northwind-mail.com", "messageId": q1]]
            ).status == 202)
        #expect(try await k.get("/users/nancy@northwind-mail.com/emails/INBOX?subject=Q1").array == [])
        #expect(
            try await k.send(
                .POST, "/tasks",
                ["command": "remediate_message", "params": ["recipient": "nancy@northwind-mail.com", "messageId": q1]]
            ).status == 422)
        // Missing credentials: 401 (the section 1 body).
        var noAuth = HTTPRequest(
            .POST, k.root + "/tasks", headers: [("Content-Type", "application/json")], body: Array("{}".utf8))
        noAuth.safeToRepeat = false
        let unauthenticated = try await k.client.send(noAuth)
        try k.expectError(unauthenticated, 401, "Authentication failure.", path: "/tasks")
    }

    @Test func temporaryAuthTokens() async throws {
        let k = try await CleanmailKit.start()
        let r = try await k.send(.GET, "/token?username=andrew@northwind-mail.com&validity=8")
        #expect(r.status == 202)
        #expect(k.sim.state()["mails"]?.array?.last?["recipient"] == "andrew@northwind-mail.com")
        #expect(k.sim.state()["mails"]?.array?.last?["validity"] == 8)
        #expect(try await k.send(.GET, "/token?username=andrew@northwind-mail.com").status == 202)
        #expect(k.sim.state()["mails"]?.array?.last?["validity"] == 4)
        // The token mail is in the INBOX at once, even after the INBOX was listed (and cached).
        let before = try await k.get("/users/andrew@northwind-mail.com/emails/INBOX").array?.count ?? 0
        #expect(try await k.send(.GET, "/token?username=andrew@northwind-mail.com").status == 202)
        #expect(try await k.get("/users/andrew@northwind-mail.com/emails/INBOX").array?.count == before + 1)
        try k.expectError(try await k.send(.GET, "/token?username=ghost@northwind-mail.com"), 404, "Unknown username")
        #expect(try await k.send(.GET, "/token").status == 400)
        #expect(try await k.send(.GET, "/token?username=andrew@northwind-mail.com&validity=soon").status == 400)
        // A user without quarantine, retention or archive: the documented 400.
        let f = k.domain("fabrikam-mail.org")
        let policy = try #require(try await k.get("/domains/\(f)")["policy"]?["id"]?.string)
        #expect(
            try await k.send(.PATCH, "/policies/\(policy)", ["quarantine": false, "retention": false, "archive": false])
                .status == 204)
        try k.expectError(
            try await k.send(.GET, "/token?username=claire@fabrikam-mail.org"), 400,
            "A problem occured. Possible causes: the account does not have quarantine or retention or archive service.")
        try k.expectError(
            try await k.send(.GET, "/token?username=andrew@northwind-mail.com", readOnly: true), 403,
            "Authorisation failure.")
    }

    @Test func signaturesReadSetDelete() async throws {
        let k = try await CleanmailKit.start()
        let nancy = try await k.user("nancy@northwind-mail.com")
        let seeded = try await k.get("/users/\(nancy)/sign")
        #expect(seeded.object?.keys == ["sign"])
        #expect(seeded["sign"]?.string?.isEmpty == false)
        // 5.16.2's example value.
        let sign = "Um9iZXJ0IFN0YXJrPGJyLz5LaW5nIG9mIHRoZSBub3J0aA=="
        let r = try await k.send(.PUT, "/users/\(nancy)/sign", ["sign": .string(sign)])
        #expect(r.status == 200)
        #expect(try k.json(r) == ["sign": .string(sign)])
        #expect(try await k.get("/users/\(nancy)/sign") == ["sign": .string(sign)])
        #expect(try await k.send(.PUT, "/users/\(nancy)/sign", ["sign": "<b>not base64</b>"]).status == 400)
        #expect(try await k.send(.PUT, "/users/\(nancy)/sign", ["sign": .string(sign)], readOnly: true).status == 403)
        #expect(try await k.send(.DELETE, "/users/\(nancy)/sign").status == 204)
        #expect(try await k.get("/users/\(nancy)/sign") == ["sign": .null])
        try k.expectError(try await k.send(.GET, "/users/zzzzz/sign"), 404, "Unknown user")
        try k.expectError(try await k.send(.PUT, "/users/zzzzz/sign", ["sign": .string(sign)]), 404, "Unknown user")
        try k.expectError(try await k.send(.DELETE, "/users/zzzzz/sign"), 404, "Unknown user")
        let janet = try await k.user("janet@northwind-mail.com")
        try k.expectError(
            try await k.send(.GET, "/users/\(janet)/sign"), 422,
            "Operation cannot be done because of not met conditions. The account is disabled.")
        let f = k.domain("fabrikam-mail.org")
        let policy = try #require(try await k.get("/domains/\(f)")["policy"]?["id"]?.string)
        #expect(
            try await k.send(.PATCH, "/policies/\(policy)", ["quarantine": false, "retention": false, "archive": false])
                .status == 204)
        let claire = try await k.user("claire@fabrikam-mail.org")
        let noService =
            "A problem occured. Possible causes: the account does not have quarantine or retention or archive service."
        try k.expectError(try await k.send(.GET, "/users/\(claire)/sign"), 400, noService)
        try k.expectError(try await k.send(.PUT, "/users/\(claire)/sign", ["sign": .string(sign)]), 400, noService)
        try k.expectError(try await k.send(.DELETE, "/users/\(claire)/sign"), 400, noService)
    }
}
