import MXHTTP
import MXJSON
import MXSandbox
import Testing

/// Sender rules past one page, with descriptions and expiry, one rule at a time (5.9);
/// users' lookups by address past one page and the filter whose name the document lost
/// (5.14.5, 5.14.7); a password is never echoed (5.14).
@Suite(.serialized)
struct CleanmailRulesAndUsersTests {
    @Test func senderRulesPagePastOnePageAndOneRuleAtATime() async throws {
        let k = try await CleanmailKit.start()
        let d = k.domain("litware-inc.com")
        let rules: [JSON] = (0..<1005).map { i in
            [
                "value": .string("sender\(i)@bulk.example"), "type": i % 2 == 0 ? "BLOCK" : "ALLOW",
                "spfOn": i % 2 == 0 ? .null : false,
                "description": .string("rule \(i)"), "expireAt": .int(1_800_000_000_000 + i)
            ]
        }
        #expect(try await k.send(.PUT, "/domains/\(d)/wblist", .array(rules)).status == 200)
        let first = try await k.send(.GET, "/domains/\(d)/wblist?pageSize=1000")
        #expect(try k.json(first).array?.count == 1000)
        #expect(first.header("X-Total-Count") == "1005")
        let all = try await k.pages("/domains/\(d)/wblist?sort=expireAt", pageSize: 1000)
        #expect(all.count == 1005)
        #expect(all.last?["description"] == "rule 1004")
        #expect(all.last?["expireAt"] == 1_800_000_001_004)
        // One rule added and one deleted, the rest untouched.
        #expect(
            try await k.send(
                .POST, "/domains/\(d)/wblist", [["value": "carl@partner.example", "type": "ALLOW", "spfOn": true]]
            ).status == 201)
        let victim = try #require(all.first?["id"]?.string)
        #expect(try await k.send(.DELETE, "/domains/\(d)/wblist/\(victim)").status == 204)
        #expect(try await k.send(.GET, "/domains/\(d)/wblist?pageSize=1").header("X-Total-Count") == "1005")

        // A mailbox's rules, one at a time.
        let nancy = try await k.user("nancy@northwind-mail.com")
        let seeded = try await k.get("/users/\(nancy)/wblist").array ?? []
        #expect(seeded.count == 2)
        let added = try k.json(
            try await k.send(
                .POST, "/users/\(nancy)/wblist",
                [
                    [
                        "value": "boss@partner.example", "type": "ALLOW", "spfOn": true, "description": "Partner CEO",
                        "expireAt": 1_790_000_000_000
                    ]
                ]))
        let rule = try #require(added.array?.first?["id"]?.string)
        let put = try await k.send(
            .PUT, "/users/\(nancy)/wblist/\(rule)",
            ["value": "boss@partner.example", "type": "BLOCK", "description": "Left"])
        #expect(put.status == 200)
        #expect(try k.json(put)["description"] == "Left")
        #expect(try await k.send(.DELETE, "/users/\(nancy)/wblist/\(rule)").status == 204)
        try k.expectError(
            try await k.send(.DELETE, "/users/\(nancy)/wblist/\(rule)"), 404,
            "A problem occured. The user may not exist")
        #expect(try await k.get("/users/\(nancy)/wblist").array?.count == 2)
    }

    @Test func usersByAddressPastOnePage() async throws {
        let k = try await CleanmailKit.start(demo: false) { sim in
            let d = sim.addDomain("stark.net", destination: "1.2.3.4")!
            for i in 0..<45 { sim.addUser(domainID: d, email: "user\(i < 10 ? "0" : "")\(i)@stark.net") }
        }
        let d = k.domain("stark.net")
        let all = try await k.pages("/domains/\(d)/users", pageSize: 40)
        #expect(all.count == 45)
        #expect(all.last?["email"] == "user44@stark.net")
        // The filter the document lost is `email`: exact or with wildcards.
        #expect(try await k.get("/users?email=user44@stark.net").array?.map { $0["email"] } == ["user44@stark.net"])
        #expect(try await k.get("/domains/\(d)/users?email=user4*").array?.count == 5)
        #expect(try await k.get("/users?email=nobody@stark.net").array == [])
        // The examples' `name=` filters nothing (5.14.7 answers every user): a client must
        // check the address of what comes back, never trust the first row.
        let byName = try await k.send(.GET, "/users?name=user44@stark.net")
        #expect(byName.header("X-Total-Count") == "45")
        #expect(try k.json(byName).array?.first?["email"] == "user00@stark.net")
    }

    @Test func aPasswordIsNeverEchoedNorKept() async throws {
        let k = try await CleanmailKit.start()
        let d = k.domain("northwind-mail.com")
        let r = try await k.send(
            .POST, "/users",
            [
                "email": "tywin@northwind-mail.com", "status": "ENABLED", "domainId": .string(d),
                "password": "HearMeRoar!", "sendNotification": false
            ])
        #expect(r.status == 201)
        #expect(!String(decoding: r.body, as: UTF8.self).contains("HearMeRoar"))
        let u = try #require(try k.json(r)["id"]?.string)
        #expect(try await k.send(.PATCH, "/users/\(u)", ["password": "Lannister!"]).status == 204)
        #expect(!(try await k.get("/users/\(u)")).text.contains("Lannister!"))
        #expect(!k.sim.state().text.contains("HearMeRoar"))
        #expect(!k.sim.state().text.contains("Lannister!"))
        // Moving a mailbox to another domain and renaming it (UpdateUser's email and domainId).
        let w = k.domain("woodgrove-bank.fr")
        #expect(
            try await k.send(.PATCH, "/users/\(u)", ["email": "tywin@woodgrove-bank.fr", "domainId": .string(w)]).status
                == 204)
        let moved = try await k.get("/users/\(u)")
        #expect(moved["email"] == "tywin@woodgrove-bank.fr")
        #expect(moved["domainId"] == .string(w))
    }
}
