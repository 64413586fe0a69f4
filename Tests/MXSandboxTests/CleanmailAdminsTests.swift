import MXHTTP
import MXJSON
import MXSandbox
import Testing

/// Administrators (5.1), a domain's admin accesses (5.5.3/5/7/9/13), API tokens (5.2),
/// end users' access (5.5.2/12) and options (5.5.4/10/14, 5.14.2/6/8), over HTTP.
@Suite(.serialized)
struct CleanmailAdminsTests {
    static let adminKeys = [
        "id", "login", "displayName", "email", "enabled", "language", "totp", "sysAdmin", "authorities",
        "authoritiesCount", "lastConnectionDate", "createdAt"
    ]

    @Test func listReadUpdateAndDeleteAdmins() async throws {
        let k = try await CleanmailKit.start()
        let r = try await k.send(.GET, "/security/admins")
        #expect(r.header("X-Total-Count") == "3")
        let list = try k.json(r).array ?? []
        #expect(list.map { $0["login"]?.string ?? "" } == ["dpo.woodgrove", "helpdesk", "sandbox-admin"])
        #expect(list[0].object?.keys == Self.adminKeys)
        #expect(try await k.get("/security/admins?search=helpdesk").array?.count == 1)
        #expect(try await k.get("/security/admins?search=woodgrove-bank").array?.first?["login"] == "dpo.woodgrove")
        #expect(try await k.get("/security/admins?sort=-login").array?.first?["login"] == "sandbox-admin")
        let helpdesk = try #require(list[1]["id"]?.string)
        let one = try await k.get("/security/admins/\(helpdesk)")
        #expect(one["authoritiesCount"] == 2)
        #expect(one["authorities"]?.array?.first?["objectName"] == "northwind-mail.com")
        try k.expectError(
            try await k.send(.GET, "/security/admins/zzzzz"), 404, "Resource does not exist.",
            path: "/security/admins/zzzzz")

        #expect(
            try await k.send(
                .PATCH, "/security/admins/\(helpdesk)",
                ["displayName": "Service desk", "totp": false, "password": "n3w-Secret!"]
            ).status == 204)
        let after = try await k.get("/security/admins/\(helpdesk)")
        #expect(after["displayName"] == "Service desk")
        #expect(after["totp"] == false)
        #expect(
            !String(decoding: try await k.send(.GET, "/security/admins/\(helpdesk)").body, as: UTF8.self).contains(
                "n3w-Secret"))
        #expect(!k.sim.state().text.contains("n3w-Secret"))
        try k.expectError(
            try await k.send(.PATCH, "/security/admins/\(helpdesk)", ["totp": true]), 422,
            "Operation cannot be done because of not met conditions. TOTP can only be disabled here; enabling it needs "
                + "the QR code flow."
        )
        try k.expectError(
            try await k.send(.PATCH, "/security/admins/\(helpdesk)", ["email": "not-an-address"]), 400,
            "Validation failed: email must be a well-formed email address")
        let own = CleanmailID.encode(1)
        #expect(try await k.send(.DELETE, "/security/admins/\(own)").status == 422)
        #expect(try await k.send(.DELETE, "/security/admins/\(helpdesk)", readOnly: true).status == 403)
        #expect(try await k.send(.DELETE, "/security/admins/\(helpdesk)").status == 204)
        #expect(try await k.send(.GET, "/security/admins/\(helpdesk)").status == 404)
        #expect(try await k.send(.DELETE, "/security/admins/\(helpdesk)").status == 404)
    }

    @Test func permissionsOfAScope() async throws {
        let k = try await CleanmailKit.start()
        let d = k.domain("northwind-mail.com")
        let list = try await k.get("/security/permissions?scope=DOMAIN&id=\(d)")
        #expect(list.array?.contains { $0["name"] == "QUARANTINE_RELEASE" && $0["editable"] == true } == true)
        #expect(list.array?.first?.object?.keys == ["name", "editable"])
        #expect(try await k.send(.GET, "/security/permissions?scope=DOMAIN").status == 400)
        #expect(try await k.send(.GET, "/security/permissions?id=\(d)").status == 400)
        #expect(try await k.send(.GET, "/security/permissions?scope=PLANET&id=\(d)").status == 400)
        try k.expectError(
            try await k.send(.GET, "/security/permissions?scope=DOMAIN&id=zzzzz"), 404, "Domain not found with given id"
        )
        #expect(
            try await k.get("/security/permissions?scope=CUSTOMER&id=\(CleanmailID.encode(1))").array?.contains {
                $0["name"] == "DOMAIN_CREATE"
            } == true)
    }

    @Test func domainAdminAccessesCreateReadSetAndRevoke() async throws {
        let k = try await CleanmailKit.start()
        let d = k.domain("fabrikam-mail.org")
        #expect(try await k.get("/domains/\(d)/admins").array == [])
        let new: JSON = [
            "login": "claire.admin", "displayName": "Claire Dubois", "email": "claire@fabrikam-mail.org",
            "password": "S3cret-pass",
            "enabled": true, "language": "fr", "permissions": ["DOMAIN_READ", "USER_READ"]
        ]
        let r = try await k.send(.POST, "/domains/\(d)/admins", new)
        #expect(r.status == 201)
        let created = try k.json(r)
        #expect(created.object?.keys == Self.adminKeys)
        #expect(created["language"] == "FR")
        #expect(created["authorities"]?.array?.first?["permissions"] == ["DOMAIN_READ", "USER_READ"])
        #expect(!String(decoding: r.body, as: UTF8.self).contains("S3cret"))
        let a = try #require(created["id"]?.string)
        #expect(r.header("Location")?.hasSuffix("/security/admins/\(a)") == true)
        try k.expectError(
            try await k.send(.POST, "/domains/\(d)/admins", new), 409,
            "An account may already exist with the given login")
        var unknown = new.object!
        unknown["login"] = "other"
        unknown["permissions"] = ["FLY"]
        try k.expectError(
            try await k.send(.POST, "/domains/\(d)/admins", .object(unknown)), 400,
            "Unknown permission 'FLY' for scope DOMAIN")
        try k.expectError(
            try await k.send(.POST, "/domains/\(d)/admins", ["login": "x"]), 400,
            "Validation failed: permissions must not be null")
        try k.expectError(try await k.send(.POST, "/domains/zzzzz/admins", new), 404, "Domain not found with given id")

        #expect(try await k.get("/domains/\(d)/admins").array?.map { $0["login"] } == ["claire.admin"])
        #expect(try await k.get("/domains/\(d)/admins/\(a)")["login"] == "claire.admin")
        #expect(
            try await k.send(.PUT, "/domains/\(d)/admins/\(a)/authorities", ["DOMAIN_READ", "QUARANTINE_RELEASE"])
                .status == 204)
        #expect(
            try await k.get("/domains/\(d)/admins/\(a)")["authorities"]?.array?.first?["permissions"] == [
                "DOMAIN_READ", "QUARANTINE_RELEASE"
            ])

        // An existing account gets an access on a second domain, by id.
        let w = k.domain("woodgrove-bank.fr")
        #expect(
            try await k.send(.POST, "/domains/\(w)/admins", ["id": .string(a), "permissions": ["DOMAIN_READ"]]).status
                == 201)
        #expect(
            try await k.send(.POST, "/domains/\(w)/admins", ["id": .string(a), "permissions": ["DOMAIN_READ"]]).status
                == 409)
        #expect(try await k.get("/security/admins/\(a)")["authoritiesCount"] == 2)
        // Revoking one access keeps the account; the last one deletes it (5.5.5).
        #expect(try await k.send(.DELETE, "/domains/\(d)/admins/\(a)").status == 204)
        try k.expectError(try await k.send(.GET, "/domains/\(d)/admins/\(a)"), 404, "Resource does not exist.")
        #expect(try await k.send(.GET, "/security/admins/\(a)").status == 200)
        #expect(try await k.send(.DELETE, "/domains/\(w)/admins/\(a)").status == 204)
        #expect(try await k.send(.GET, "/security/admins/\(a)").status == 404)
    }

    @Test func adminListsPagePastOnePage() async throws {
        let k = try await CleanmailKit.start()
        let d = k.domain("litware-inc.com")
        for i in 0..<45 {
            let body: JSON = [
                "login": .string("op\(i < 10 ? "0" : "")\(i)"), "displayName": "Operator",
                "email": .string("op\(i)@litware-inc.com"),
                "password": "p", "enabled": true, "language": "EN", "permissions": ["DOMAIN_READ"]
            ]
            #expect(try await k.send(.POST, "/domains/\(d)/admins", body).status == 201)
        }
        let first = try await k.send(.GET, "/domains/\(d)/admins")
        #expect(try k.json(first).array?.count == 40)
        #expect(first.header("X-Total-Count") == "45")
        let all = try await k.pages("/domains/\(d)/admins", pageSize: 40)
        #expect(all.count == 45)
        #expect(all.last?["login"] == "op44")
        #expect(try await k.pages("/security/admins", pageSize: 20).count == 48)
    }

    @Test func tokensCreateOnceListAndRevoke() async throws {
        let k = try await CleanmailKit.start()
        let own = CleanmailID.encode(1)
        let seeded = try await k.get("/admins/\(own)/tokens")
        #expect(seeded.array?.map { $0["name"] } == ["mxsh", "monitoring"])
        // Null members are left out, as in 5.2.2's example.
        #expect(seeded.array?[1].object?.keys == ["id", "name", "createdAt"])
        #expect(seeded.array?.allSatisfy { $0["value"] == nil } == true)

        let r = try await k.send(.POST, "/admins/\(own)/tokens", ["name": "mytoken", "expiration": 1_805_993_567_120])
        #expect(r.status == 201)
        let token = try k.json(r)
        #expect(token.object?.keys == ["id", "name", "value", "expiration", "createdAt"])
        let value = try #require(token["value"]?.string)
        #expect(value.count == 32 && value.allSatisfy(\.isHexDigit))
        let id = try #require(token["id"]?.string)
        let listed = try await k.get("/admins/\(own)/tokens")
        #expect(listed.array?.last?["id"] == .string(id))
        #expect(!listed.text.contains(value))
        #expect(!k.sim.state().text.contains(value))

        try k.expectError(
            try await k.send(.POST, "/admins/zzzzz/tokens", ["name": "x"]), 404, "Resource does not exist.")
        try k.expectError(
            try await k.send(.POST, "/admins/\(own)/tokens", ["name": "x"], readOnly: true), 403,
            "Only sysadmin or target user can call this endpoint.")
        try k.expectError(
            try await k.send(.GET, "/admins/\(own)/tokens", readOnly: true), 403,
            "Only sysadmin or target user can call this endpoint.")
        #expect(try await k.send(.POST, "/admins/\(own)/tokens", ["expiration": 1_805_993_567_120]).status == 400)
        #expect(try await k.send(.POST, "/admins/\(own)/tokens", ["name": "old", "expiration": 1_000]).status == 400)
        try k.expectError(
            try await k.send(.DELETE, "/admins/\(own)/tokens/\(id)", readOnly: true), 403,
            "Only sysadmin or target user can call this endpoint.")
        #expect(try await k.send(.DELETE, "/admins/\(own)/tokens/\(id)").status == 204)
        try k.expectError(try await k.send(.DELETE, "/admins/\(own)/tokens/\(id)"), 404, "Resource does not exist.")
        try k.expectError(try await k.send(.GET, "/admins/zzzzz/tokens"), 404, "Resource does not exist.")
    }

    @Test func endUserAccessOfADomain() async throws {
        let k = try await CleanmailKit.start()
        let d = k.domain("contoso-cm.net")
        let list = try await k.get("/domains/\(d)/access")
        #expect(list.array?.first?.object?.keys == ["name", "enabled"])
        #expect(list.array?.first { $0["name"] == "QUARANTINE_RELEASE" }?["enabled"] == true)
        #expect(try await k.send(.PUT, "/domains/\(d)/access", ["QUARANTINE_READ", "SIGN_WRITE"]).status == 204)
        let after = try await k.get("/domains/\(d)/access").array ?? []
        #expect(after.filter { $0["enabled"] == true }.map { $0["name"] } == ["QUARANTINE_READ", "SIGN_WRITE"])
        #expect(try await k.send(.PUT, "/domains/\(d)/access", ["TELEPORT"]).status == 400)
        #expect(try await k.send(.PUT, "/domains/\(d)/access", ["QUARANTINE_READ"], readOnly: true).status == 403)
        try k.expectError(try await k.send(.GET, "/domains/zzzzz/access"), 404, "Domain not found with given id")
    }

    @Test func domainAndUserOptions() async throws {
        let k = try await CleanmailKit.start()
        let d = k.domain("contoso-cm.net")
        let r = try await k.send(.GET, "/domains/\(d)/options")
        let list = try k.json(r).array ?? []
        #expect(r.header("X-Total-Count") == String(list.count))
        #expect(list.first?.object?.keys == ["value", "parentValue", "option"])
        #expect(
            list.first?["option"]?.object?.keys == [
                "ptfScope", "urlScope", "customerScope", "domainScope", "userScope", "restricted",
                "group", "name", "type", "values", "description"
            ])
        let admin = try #require(list.first { $0["option"]?["name"] == "DOMAIN_ADMIN" })
        #expect(admin["value"] == .null)
        #expect(admin["parentValue"] == "noreply@cleanmail.eu")
        // 5.5.14's example.
        let set = try await k.send(
            .POST, "/domains/\(d)/options", ["name": "DOMAIN_ADMIN", "value": "admin@targaryen.net"])
        #expect(set.status == 201)
        #expect(try k.json(set)["value"] == "admin@targaryen.net")
        try k.expectError(
            try await k.send(.POST, "/domains/\(d)/options", ["name": "DOMAIN_ADMIN", "value": "nobody"]), 400,
            "Invalid value for option DOMAIN_ADMIN of type EMAIL")
        try k.expectError(
            try await k.send(.POST, "/domains/\(d)/options", ["name": "NOPE", "value": "1"]), 404,
            "Option not found with given name")
        #expect(
            try await k.send(.POST, "/domains/\(d)/options", ["name": "USER_OPTION_EXAMPLE", "value": "1"]).status
                == 422)
        #expect(try await k.send(.POST, "/domains/\(d)/options", ["name": "DOMAIN_ADMIN"]).status == 400)
        #expect(try await k.send(.DELETE, "/domains/\(d)/options/DOMAIN_ADMIN").status == 204)
        #expect(
            try await k.get("/domains/\(d)/options").array?.first { $0["option"]?["name"] == "DOMAIN_ADMIN" }?["value"]
                == .null)
        #expect(try await k.send(.DELETE, "/domains/\(d)/options/NOPE").status == 404)

        // A user's parent is its domain's value.
        #expect(
            try await k.send(.POST, "/domains/\(d)/options", ["name": "TIMEZONE", "value": "America/New_York"]).status
                == 201)
        let u = try await k.user("kim@contoso-cm.net")
        let userOptions = try await k.send(.GET, "/users/\(u)/options")
        let tz = try #require(try k.json(userOptions).array?.first { $0["option"]?["name"] == "TIMEZONE" })
        #expect(tz["parentValue"] == "America/New_York")
        #expect(try k.json(userOptions).array?.allSatisfy { $0["option"]?["userScope"] == true } == true)
        let example = try await k.send(.POST, "/users/\(u)/options", ["name": "USER_OPTION_EXAMPLE", "value": "1"])
        #expect(example.status == 201)
        #expect(try k.json(example)["parentValue"] == "0")
        #expect(
            try await k.send(.POST, "/users/\(u)/options", ["name": "DOMAIN_ADMIN", "value": "a@b.fr"]).status == 422)
        #expect(try await k.send(.DELETE, "/users/\(u)/options/USER_OPTION_EXAMPLE").status == 204)
        try k.expectError(try await k.send(.GET, "/users/zzzzz/options"), 404, "User not found with given id")
        #expect(
            try await k.send(
                .POST, "/users/\(u)/options", ["name": "USER_OPTION_EXAMPLE", "value": "1"], readOnly: true
            ).status == 403)
    }
}
