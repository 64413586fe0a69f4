import MXHTTP
import MXJSON
import MXSandbox
import Testing

/// DKIM (5.6), health (5.11) and `X-Ignore-MX` (5.5.6, 5.5.15), over HTTP.
@Suite(.serialized)
struct CleanmailDKIMAndHealthTests {
    @Test func dkimCreateReadUpdateDelete() async throws {
        let k = try await CleanmailKit.start()
        let d = k.domain("contoso-cm.net")
        try k.expectError(
            try await k.send(.GET, "/domains/\(d)/dkim"), 404, "No DKIM values found. Or the domain may not exist",
            path: "/domains/\(d)/dkim")
        let created = try await k.send(.POST, "/domains/\(d)/dkim")
        #expect(created.status == 201)
        let records = try #require(try k.json(created).array?.compactMap(\.string))
        // The domain and its alias, as 5.6.3's example lists two names.
        #expect(records.count == 2)
        #expect(
            records[0].hasPrefix(
                "protect._domainkey.contoso-cm.net TXT v=DKIM1; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"))
        #expect(records[0].hasSuffix("IDAQAB"))
        #expect(records[1].hasPrefix("protect._domainkey.contoso-mail.net TXT"))
        #expect(try await k.get("/domains/\(d)/dkim").array?.compactMap(\.string) == records)
        #expect(try await k.send(.POST, "/domains/\(d)/dkim").status == 409)

        let updated = try await k.send(
            .PUT, "/domains/\(d)/dkim",
            ["selector": "cm2026", "publicKey": "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC4AOcb"])
        #expect(updated.status == 200)
        #expect(
            try k.json(updated).array?.first
                == "cm2026._domainkey.contoso-cm.net TXT v=DKIM1; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC4AOcb")
        #expect(try await k.send(.PUT, "/domains/\(d)/dkim", ["publicKey": "not base64!"]).status == 400)
        #expect(try await k.send(.PUT, "/domains/\(d)/dkim", ["selector": "bad selector"]).status == 400)
        #expect(!k.sim.state().text.contains("privateKey"))

        let sysadmin = "You do not have permission to execute this request. (sysadmin required)"
        try k.expectError(try await k.send(.POST, "/domains/\(d)/dkim", readOnly: true), 403, sysadmin)
        try k.expectError(try await k.send(.PUT, "/domains/\(d)/dkim", readOnly: true), 403, sysadmin)
        try k.expectError(try await k.send(.DELETE, "/domains/\(d)/dkim", readOnly: true), 403, sysadmin)
        #expect(try await k.send(.DELETE, "/domains/\(d)/dkim").status == 204)
        try k.expectError(
            try await k.send(.DELETE, "/domains/\(d)/dkim"), 404, "A problem occured. The domain may not exist")
        try k.expectError(
            try await k.send(.POST, "/domains/zzzzz/dkim"), 404, "A problem occured. The domain may not exist.")
        try k.expectError(
            try await k.send(.PUT, "/domains/zzzzz/dkim"), 404, "A problem occured. The domain may not exist.")
        // PUT on a domain without a key creates one.
        #expect(try await k.send(.PUT, "/domains/\(d)/dkim").status == 200)
    }

    @Test func domainDiagnosticFollowsDNSFactsAndDKIM() async throws {
        let k = try await CleanmailKit.start()
        let nw = k.domain("northwind-mail.com")
        let ok = try await k.send(.POST, "/domains/\(nw)/health")
        #expect(ok.status == 201)
        let report = try k.json(ok)
        #expect(report.object?.keys == ["performedAt", "report"])
        #expect(report["report"]?.object?.keys == ["status", "entries"])
        #expect(report["report"]?["status"] == true)
        #expect(report["report"]?["entries"]?.array?.map { $0["type"] } == ["MX", "DKIM"])
        #expect(report["report"]?["entries"]?.array?.first?.object?.keys == ["type", "result", "output"])
        // Seconds, as every example of 5.11 (CONTRADICTIONS.md).
        #expect((report["performedAt"]?.int ?? 0) < 10_000_000_000)

        let c = k.domain("contoso-cm.net")
        let failing = try await k.get("/domains/\(c)/health")
        #expect(failing["report"]?["status"] == false)
        #expect(
            failing["report"]?["entries"]?.array?.map { $0["result"] } == [
                "ERROR_MX_MISSING_ENTRY", "ERROR_DKIM_MISSING_ENTRY"
            ])
        #expect(
            failing["report"]?["entries"]?.array?[1]["output"]?.array?.last
                == "Fail: DKIM DNS entry not found for domain \"contoso-cm.net\" and selector \"protect\"")
        #expect(try await k.send(.POST, "/domains/\(c)/dkim").status == 201)
        let again = try await k.get("/domains/\(c)/health")
        #expect(again == failing)  // the last result, until a new diagnostic
        let fresh = try k.json(try await k.send(.POST, "/domains/\(c)/health"))
        #expect(fresh["report"]?["entries"]?.array?.map { $0["result"] } == ["ERROR_MX_MISSING_ENTRY", "OK"])

        let w = k.domain("woodgrove-bank.fr")
        #expect(
            try await k.get("/domains/\(w)/health")["report"]?["entries"]?.array?[1]["result"]
                == "ERROR_DKIM_INVALID_COUPLE")
        let a = k.domain("adventure-works.biz")
        #expect(
            try await k.get("/domains/\(a)/health")["report"]?["entries"]?.array?[0]["output"] == [
                "Lookup for MX entry in DNS for adventure-works.biz", "Required: 83.145.xxx.xxx", "Fail"
            ])
        // A domain never tested (PENDING in the seed) is tested when read.
        let p = k.domain("alpineski-house.eu")
        #expect(try await k.get("/domains/\(p)/health")["report"]?["status"] == false)

        try k.expectError(try await k.send(.POST, "/domains/zzzzz/health"), 404, "Domain does not exist.")
        try k.expectError(try await k.send(.GET, "/domains/zzzzz/health"), 404, "Domain does not exist.")
        try k.expectError(
            try await k.send(.POST, "/domains/\(c)/health", readOnly: true), 403,
            "You do not have permission to execute this request.")
    }

    @Test func environmentFailuresListFailingDomainsAndPlatforms() async throws {
        let k = try await CleanmailKit.start()
        let list = try await k.get("/health").array ?? []
        #expect(list.first?.object?.keys == ["id", "name", "type", "health"])
        let names = list.compactMap { $0["name"]?.string }
        #expect(names == names.sorted())
        #expect(names.contains("woodgrove-bank.fr"))
        #expect(names.contains("contoso-cm.net"))
        #expect(!names.contains("northwind-mail.com"))
        #expect(list.allSatisfy { $0["health"]?["report"]?["status"] == false })
        // Fixing the cause and running again takes the domain off the list.
        let w = k.domain("woodgrove-bank.fr")
        #expect(try await k.send(.PUT, "/domains/\(w)/dkim").status == 200)
        #expect(try await k.send(.POST, "/domains/\(w)/health").status == 201)
        #expect(try await k.get("/health").array?.contains { $0["name"] == "woodgrove-bank.fr" } == false)
        #expect(try await k.send(.GET, "/health", readOnly: true).status == 200)
    }

    @Test func relayChecks() async throws {
        let k = try await CleanmailKit.start(demo: false) { sim in
            sim.addDomain("stark.net", destination: "1.2.3.4", fallback: "mx2.stark.net")
            sim.addDomain("broken.net", destination: "192.0.2.10")
        }
        let stark = try await k.get("/domains/\(k.domain("stark.net"))")
        let p = try #require(stark["platforms"]?.array?.first?["id"]?.string)
        let run = try await k.send(.POST, "/platforms/\(p)/health")
        #expect(run.status == 201)
        let h = try k.json(run)
        #expect(h["report"]?["status"] == true)
        #expect(h["report"]?["entries"]?.array?.map { $0["type"] } == ["SMTP", "SMTP_FALLBACK"])
        #expect(try await k.get("/platforms/\(p)/health") == h)
        let broken = try await k.get("/domains/\(k.domain("broken.net"))")
        let bp = try #require(broken["platforms"]?.array?.first?["id"]?.string)
        let bad = try await k.get("/platforms/\(bp)/health")
        #expect(bad["report"]?["entries"]?.array?.first?["result"] == "ERROR")
        #expect(
            try await k.get("/health").array?.contains { $0["type"] == "PLATFORM" && $0["id"] == .string(bp) } == true)
        try k.expectError(try await k.send(.POST, "/platforms/zzzzz/health"), 404, "Platform does not exist.")
        try k.expectError(try await k.send(.GET, "/platforms/zzzzz/health"), 404, "Platform does not exist.")

        let tried = try await k.send(
            .POST, "/health/try-relay",
            [
                "transportDest": "mail.example.org", "transportPort": 587, "authType": "local",
                "apiType": "IMAP", "fallbackTransportDest": "198.51.100.7", "fallbackTransportPort": 25
            ])
        #expect(tried.status == 200)
        #expect(try k.json(tried)["report"]?["entries"]?.array?.map { $0["result"] } == ["OK", "ERROR"])
        #expect(try await k.send(.POST, "/health/try-relay", ["transportPort": 25, "authType": "local"]).status == 400)
        #expect(
            try await k.send(
                .POST, "/health/try-relay", ["transportDest": "a.example", "transportPort": 70000, "authType": "local"]
            ).status == 400)
        #expect(
            try await k.send(
                .POST, "/health/try-relay",
                ["id": "zzzzz", "transportDest": "a.example", "transportPort": 25, "authType": "local"]
            ).status == 404)
        try k.expectError(
            try await k.send(
                .POST, "/health/try-relay", ["transportDest": "a.example", "transportPort": 25, "authType": "local"],
                readOnly: true), 403, "You do not have permission to execute this request.")
    }

    @Test func ignoreMXOnDeleteRenameAndDisable() async throws {
        let k = try await CleanmailKit.start()
        let w = k.domain("woodgrove-bank.fr")
        let refused =
            "Operation cannot be done because of not met conditions. The MX of woodgrove-bank.fr still points to "
            + "Cleanmail; send X-Ignore-MX: true to"
        try k.expectError(try await k.send(.DELETE, "/domains/\(w)"), 422, refused + " delete it anyway.")
        try k.expectError(
            try await k.send(.PATCH, "/domains/\(w)", ["name": "woodgrove.com"]), 422, refused + " rename it anyway.")
        try k.expectError(
            try await k.send(.PATCH, "/domains/\(w)", ["status": "DISABLED"]), 422, refused + " disable it anyway.")
        #expect(
            try await k.send(.PATCH, "/domains/\(w)", ["status": "DISABLED"], headers: [("X-Ignore-MX", "false")])
                .status == 422)
        #expect(try await k.send(.PATCH, "/domains/\(w)", ["description": "Banque"]).status == 204)
        #expect(
            try await k.send(.PATCH, "/domains/\(w)", ["status": "DISABLED"], headers: [("X-Ignore-MX", "true")]).status
                == 204)
        // Deleting a domain deletes its users (5.5.6).
        let users = try await k.get("/domains/\(w)/users").array ?? []
        #expect(users.count == 2)
        #expect(try await k.send(.DELETE, "/domains/\(w)", headers: [("X-Ignore-MX", "true")]).status == 204)
        #expect(try await k.get("/domains/\(w)/users").array == [])
        for u in users { #expect(try await k.send(.GET, "/users/\(u["id"]!.string!)").status == 404) }
        // A domain whose MX does not point to Cleanmail needs no header.
        #expect(try await k.send(.DELETE, "/domains/\(k.domain("contoso-cm.net"))").status == 204)
    }
}
