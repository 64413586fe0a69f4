import MXHTTP
import MXJSON
import MXSandbox
import Testing

/// The Cleanmail simulation over real HTTP: the document's status codes, messages,
/// bodies, headers, filtering, sorting and paging; the seeds; state and load.
@Suite(.serialized)
struct CleanmailSimulationTests {
    let client = HTTPClient()
    static let auth: [(name: String, value: String)] = [("Authorization", "Bearer sandbox-token")]
    static let readOnly: [(name: String, value: String)] = [("Authorization", "Bearer sandbox-readonly-token")]
    /// The body of the document's `POST /domains` example (5.5.1), verbatim.
    static let documentDomain =
        #"{"name":"got.com","status":"ENABLED","incoming":true,"outgoing":false,"quarantine":true,"retention":true,"a"#
        + #"rchive":true,"defaultLanguage":"DE","autoProvisioningOn":true,"senderVerifyOn":true,"customerId":"CUS"#
        + #"TOMER","externalId":"HBO-2019","outgoingSubnets":["92.123.51.204/31","92.23.81.244/31"],"platform"#
        + #"s":[{"name":"platform","transportDest":"1.2.3.4","transportType":"SMTP","transportPort":25,"a"#
        + #"uthType":"local","authData":"","default":true}]}"#
    /// The key order of the document's `Domain` examples.
    static let domainKeys = [
        "id", "name", "description", "status", "wblistPriority", "defaultLanguage", "autoProvisioningOn",
        "senderVerifyOn", "externalId", "policy", "domainAliases", "activeUsersCount", "policiesCount",
        "quarantine", "retention", "archive", "incoming", "outgoingSubnets", "creationDate", "deletionDate",
        "purgeDate", "outgoingProviders", "customer", "platforms"
    ]
    static let userKeys = [
        "id", "email", "firstname", "lastname", "status", "language", "creationDate", "domainId", "policy",
        "senderVerifyOn", "domainPolicyId", "domainStatus", "domainPlatformId", "platform", "mfaType",
        "lastConnectionDate"
    ]
    static let errorKeys = ["timestamp", "status", "error", "message", "path"]

    struct Server {
        let root: String
        let sim: CleanmailSimulation
    }

    /// A sandbox with `stark.net` (id in `sim.domainID(named:)`), or what `setup` adds.
    func start(
        _ setup: (CleanmailSimulation) -> Void = { sim in
            sim.addDomain("stark.net", language: "FR", destination: "1.2.3.4")
        }
    ) async throws -> Server {
        let sim = CleanmailSimulation()
        setup(sim)
        let ports = try await Sandbox(simulations: [sim]).start()
        return Server(root: "http://127.0.0.1:\(ports[0])", sim: sim)
    }

    func send(
        _ method: HTTPRequest.Method, _ url: String, _ body: JSON? = nil,
        headers: [(name: String, value: String)] = auth
    ) async throws -> HTTPResponse {
        try await client.send(
            HTTPRequest(
                method, url, headers: headers + [("Content-Type", "application/json")],
                body: body?.bytes ?? []))
    }

    func json(_ r: HTTPResponse) throws -> JSON { try JSON.parse(r.body) }

    /// The error body: Spring Boot's members, the status, the document's message, the path.
    func expectError(
        _ r: HTTPResponse, _ status: Int, _ message: String, path: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(r.status == status, sourceLocation: sourceLocation)
        #expect(r.header("Content-Type") == "application/json", sourceLocation: sourceLocation)
        let body = try json(r)
        #expect(body.object?.keys == Self.errorKeys, sourceLocation: sourceLocation)
        #expect(body["status"] == .int(status), sourceLocation: sourceLocation)
        #expect(body["message"] == .string(message), sourceLocation: sourceLocation)
        #expect(body["path"] == .string(path), sourceLocation: sourceLocation)
        #expect(body["timestamp"]?.string?.hasSuffix("+00:00") == true, sourceLocation: sourceLocation)
    }

    func names(_ r: HTTPResponse, _ key: String = "name") throws -> [String] {
        try json(r).array?.compactMap { $0[key]?.string } ?? []
    }

    // MARK: 1. authentication, 2. authorizations

    @Test func missingTokenIs401WithErrorBody() async throws {
        let s = try await start()
        let r = try await send(.GET, s.root + "/domains", headers: [])
        try expectError(r, 401, "Full authentication is required to access this resource", path: "/domains")
        #expect(try json(r)["error"] == "Unauthorized")
        #expect(r.header("WWW-Authenticate") == "Bearer")
    }

    @Test func wrongTokenIs401() async throws {
        let s = try await start()
        for auth in ["Bearer nope", "Basic c2FuZGJveDpzYW5kYm94", "sandbox-token"] {
            let r = try await send(.GET, s.root + "/domains", headers: [("Authorization", auth)])
            #expect(r.status == 401)
        }
        let r = try await send(.GET, s.root + "/domains", headers: [("Authorization", "Bearer nope")])
        try expectError(r, 401, "Invalid or expired token", path: "/domains")
        // Unknown paths are not revealed to the unauthenticated either.
        #expect(try await send(.GET, s.root + "/nowhere", headers: []).status == 401)
    }

    @Test func tokenWithoutWriteRightsIs403OnWrites() async throws {
        let s = try await start()
        let id = s.sim.domainID(named: "stark.net")!
        #expect(try await send(.GET, s.root + "/domains", headers: Self.readOnly).status == 200)
        try expectError(
            try await send(.POST, s.root + "/domains", try JSON.parse(Self.documentDomain), headers: Self.readOnly),
            403,
            "Authorisation failure. You may have reached the limitation of domain creation or you do not have the "
                + "sysadmin role.",
            path: "/domains")
        try expectError(
            try await send(.DELETE, s.root + "/domains/\(id)", headers: Self.readOnly),
            403, "Only users with sysadmin role can execute this request.", path: "/domains/\(id)")
        try expectError(
            try await send(.POST, s.root + "/domains/\(id)/aliases", ["wolves.net"], headers: Self.readOnly),
            403, "You do not have permission to execute this request.", path: "/domains/\(id)/aliases")
        try expectError(
            try await send(
                .POST, s.root + "/domains/\(id)/wblist", [["value": "a@b.fr", "type": "BLOCK"]],
                headers: Self.readOnly),
            403, "You do not have permission to execute this request.", path: "/domains/\(id)/wblist")
        let after = try await send(.GET, s.root + "/domains/\(id)")
        #expect(try json(after)["status"] == "ENABLED")
        #expect(try json(after)["domainAliases"] == [])
    }

    // MARK: 5.5 domains

    @Test func createDomainIs201WithTheDocumentedShape() async throws {
        let s = try await start { _ in }
        let customer = CleanmailID.encode(1)
        var doc = try #require(try JSON.parse(Self.documentDomain).object)
        doc["customerId"] = .string(customer)
        let body = JSON.object(doc)
        let r = try await send(.POST, s.root + "/domains", body)
        #expect(r.status == 201)
        let d = try json(r)
        let id = try #require(d["id"]?.string)
        #expect(CleanmailID.decode(id) == 1)
        #expect(r.header("Location") == s.root + "/domains/\(id)" || r.header("Location") == "/domains/\(id)")
        #expect(r.header("Access-Control-Expose-Headers") == "Content-Location")
        #expect(d.object?.keys == Self.domainKeys)
        #expect(d["name"] == "got.com")
        #expect(d["description"] == .null)
        #expect(d["status"] == "ENABLED")
        #expect(d["wblistPriority"] == "USER")
        #expect(d["defaultLanguage"] == "DE")
        #expect(d["autoProvisioningOn"] == true)
        #expect(d["externalId"] == "HBO-2019")
        #expect(d["policy"]?["name"] == "Politique-got.com")
        #expect(d["policy"]?["domainId"] == .string(id))
        #expect(d["policy"]?["mailSizeLimit"] == 21)
        #expect(d["policy"]?["spamScore"] == .double(5.0))
        #expect(d["policy"]?["quarantineProps"]?["duration"] == 31)
        #expect(d["policy"]?["archiveProps"]?["duration"] == 48)
        #expect(d["policy"]?["outgoing"] == false)
        #expect(d["domainAliases"] == [])
        #expect(d["activeUsersCount"] == 0)
        #expect(d["policiesCount"] == 1)
        #expect(d["quarantine"] == true && d["retention"] == true && d["archive"] == true && d["incoming"] == true)
        #expect(d["outgoingSubnets"] == ["92.123.51.204/31", "92.23.81.244/31"])
        #expect(d["creationDate"] == .int(CleanmailSimulation.epoch + 1000))
        #expect(d["deletionDate"] == .null && d["purgeDate"] == .null)
        #expect(d["outgoingProviders"] == [])
        #expect(d["customer"]?["id"] == .string(customer))
        let platform = try #require(d["platforms"]?.array?.first?.object)
        #expect(
            platform.keys == [
                "id", "name", "transportDest", "transportType", "transportPort", "fallbackTransportDest",
                "fallbackTransportType", "fallbackTransportPort", "apiType", "apiData", "authType", "authData",
                "default"
            ])
        #expect(
            platform["transportDest"] == "1.2.3.4" && platform["transportPort"] == 25 && platform["default"] == true)
        #expect(
            platform["fallbackTransportDest"] == .null && platform["authData"] == .null && platform["apiType"] == .null)
        #expect(platform["id"]?.string?.count == 5)
        // What was created is what GET answers.
        #expect(try json(try await send(.GET, s.root + "/domains/\(id)")) == d)
    }

    @Test func createDomainValidationIs400() async throws {
        let s = try await start()
        let good: JSON = [
            "name": "new.com", "status": "ENABLED", "quarantine": false, "retention": false, "archive": false,
            "defaultLanguage": "EN"
        ]
        var bad = good.object!
        bad["name"] = "not a domain"
        try expectError(
            try await send(.POST, s.root + "/domains", .object(bad)), 400,
            "A problem occurred. Possible cause: the domain name does not match required format", path: "/domains")
        bad = good.object!
        bad["quarantine"] = nil
        try expectError(
            try await send(.POST, s.root + "/domains", .object(bad)), 400,
            "Validation failed: quarantine must not be null", path: "/domains")
        bad = good.object!
        bad["status"] = "ACTIVE"
        #expect(try await send(.POST, s.root + "/domains", .object(bad)).status == 400)
        bad = good.object!
        bad["outgoingSubnets"] = ["10.0.0.0"]
        #expect(try await send(.POST, s.root + "/domains", .object(bad)).status == 400)
        bad = good.object!
        bad["platforms"] = [
            ["name": "p", "transportDest": "mx.new.com", "transportType": "SMTP", "transportPort": 70000]
        ]
        try expectError(
            try await send(.POST, s.root + "/domains", .object(bad)), 400,
            "Validation failed: platforms[0].transportPort must be a port number", path: "/domains")
        let malformed = try await client.send(
            HTTPRequest(.POST, s.root + "/domains", headers: Self.auth, body: Array("{nope".utf8)))
        try expectError(malformed, 400, "JSON parse error: the request body is not valid JSON", path: "/domains")
        // Nothing was created by any of them; the good one is.
        #expect(try await send(.GET, s.root + "/domains").header("X-Total-Count") == "1")
        #expect(try await send(.POST, s.root + "/domains", good).status == 201)
    }

    @Test func existingDomainOrAliasNameIs409() async throws {
        let s = try await start()
        let id = s.sim.domainID(named: "stark.net")!
        s.sim.addAlias(domainID: id, "winterfell.net")
        for name in ["stark.net", "STARK.NET", "winterfell.net"] {
            let body: JSON = [
                "name": .string(name), "status": "ENABLED", "quarantine": false, "retention": false, "archive": false,
                "defaultLanguage": "EN"
            ]
            try expectError(
                try await send(.POST, s.root + "/domains", body), 409,
                "A domain may already exists with the given name", path: "/domains")
        }
    }

    @Test func unmetConditionsAre422() async throws {
        let s = try await start()
        var body: JSONObject = [
            "name": "new.com", "status": "DELETED", "quarantine": false, "retention": false, "archive": false,
            "defaultLanguage": "EN"
        ]
        var r = try await send(.POST, s.root + "/domains", .object(body))
        #expect(r.status == 422)
        #expect(
            try json(r)["message"]?.string?.hasPrefix("Operation cannot be done because of not met conditions.") == true
        )
        body["status"] = "ENABLED"
        body["customerId"] = .string(CleanmailID.encode(99))
        r = try await send(.POST, s.root + "/domains", .object(body))
        #expect(r.status == 422)
    }

    @Test func getOneDomainAnd404() async throws {
        let s = try await start()
        let id = s.sim.domainID(named: "stark.net")!
        let r = try await send(.GET, s.root + "/domains/\(id)")
        #expect(r.status == 200)
        #expect(try json(r)["name"] == "stark.net")
        #expect(try json(r)["defaultLanguage"] == "FR")
        let other = CleanmailID.encode(42)
        try expectError(
            try await send(.GET, s.root + "/domains/\(other)"), 404, "Domain not found with given id",
            path: "/domains/\(other)")
        try expectError(
            try await send(.GET, s.root + "/domains/not-an-id"), 404, "Domain not found with given id",
            path: "/domains/not-an-id")
    }

    @Test func listPagesWithOffsetPageSizeAndTotalCount() async throws {
        let s = try await start { sim in
            for i in 1...95 { sim.addDomain("d\(i < 10 ? "0" : "")\(i).example") }
        }
        var r = try await send(.GET, s.root + "/domains")
        #expect(r.status == 200)
        #expect(r.header("X-Total-Count") == "95")
        #expect(r.header("Access-Control-Expose-Headers") == "X-Total-Count")
        #expect(try names(r).count == 40)  // the documented default page size
        #expect(try names(r).first == "d01.example")
        r = try await send(.GET, s.root + "/domains?offset=40&pageSize=10")
        #expect(try names(r) == (41...50).map { "d\($0).example" })
        r = try await send(.GET, s.root + "/domains?offset=90&pageSize=10")
        #expect(try names(r) == (91...95).map { "d\($0).example" })
        #expect(r.header("X-Total-Count") == "95")
        r = try await send(.GET, s.root + "/domains?offset=500")
        #expect(try json(r) == [])
        #expect(r.header("X-Total-Count") == "95")
        try expectError(
            try await send(.GET, s.root + "/domains?pageSize=0"), 400,
            "Failed to convert value of parameter 'pageSize': '0' is not a positive integer", path: "/domains")
        #expect(try await send(.GET, s.root + "/domains?offset=-1").status == 400)
        #expect(try await send(.GET, s.root + "/domains?offset=ten").status == 400)
    }

    @Test func nameFilterWithWildcards() async throws {
        let s = try await start { sim in
            for n in ["mydomain.net", "mydomain.org", "shop.mydomain.net", "other.com", "notmydomain.io"] {
                sim.addDomain(n)
            }
        }
        func query(_ q: String) async throws -> [String] {
            let r = try await send(.GET, s.root + "/domains?name=" + q)
            #expect(r.header("X-Total-Count") == String(try names(r).count))
            return try names(r)
        }
        #expect(try await query("mydomain.net") == ["mydomain.net"])
        #expect(try await query("mydomain*") == ["mydomain.net", "mydomain.org"])
        #expect(try await query("*mydomain.net") == ["mydomain.net", "shop.mydomain.net"])
        #expect(
            try await query("*mydomain*") == ["mydomain.net", "mydomain.org", "notmydomain.io", "shop.mydomain.net"])
        #expect(try await query("MyDomain.NET") == ["mydomain.net"])
        #expect(try await query("nothing*") == [])
    }

    @Test func otherFiltersAndOnlyOneAtATime() async throws {
        let s = try await start { sim in
            sim.addDomain("a.com", destination: "mx.a.com")
            sim.addDomain("b.com", status: "DISABLED", externalId: "X-1")
            sim.addDomain("c.com", status: "DISABLED")
        }
        #expect(try names(try await send(.GET, s.root + "/domains?status=DISABLED")) == ["b.com", "c.com"])
        #expect(try names(try await send(.GET, s.root + "/domains?externalId=X-1")) == ["b.com"])
        #expect(try names(try await send(.GET, s.root + "/domains?platformName=platform")) == ["a.com"])
        try expectError(
            try await send(.GET, s.root + "/domains?name=a.com&status=ENABLED"), 400,
            "Only one filter is allowed (got name, status)", path: "/domains")
        #expect(try await send(.GET, s.root + "/domains?status=ACTIVE").status == 400)
    }

    @Test func sortAscendingAndDescending() async throws {
        let s = try await start { sim in
            for n in ["bravo.com", "alpha.com", "delta.com", "charlie.com"] { sim.addDomain(n) }
        }
        #expect(
            try names(try await send(.GET, s.root + "/domains")) == [
                "alpha.com", "bravo.com", "charlie.com", "delta.com"
            ])
        #expect(
            try names(try await send(.GET, s.root + "/domains?sort=name")) == [
                "alpha.com", "bravo.com", "charlie.com", "delta.com"
            ])
        #expect(
            try names(try await send(.GET, s.root + "/domains?sort=-name")) == [
                "delta.com", "charlie.com", "bravo.com", "alpha.com"
            ])
        #expect(
            try names(try await send(.GET, s.root + "/domains?sort=id")) == [
                "bravo.com", "alpha.com", "delta.com", "charlie.com"
            ])
        #expect(
            try names(try await send(.GET, s.root + "/domains?sort=-creationDate")) == [
                "charlie.com", "delta.com", "alpha.com", "bravo.com"
            ])
        #expect(
            try names(try await send(.GET, s.root + "/domains?sort=-name&offset=1&pageSize=2")) == [
                "charlie.com", "bravo.com"
            ])
        try expectError(
            try await send(.GET, s.root + "/domains?sort=-colour"), 400,
            "No property 'colour' found for type 'Domain'", path: "/domains")
    }

    @Test func patchDomainIs204AndChangesOnlyWhatIsGiven() async throws {
        let s = try await start()
        let id = s.sim.domainID(named: "stark.net")!
        let before = try json(try await send(.GET, s.root + "/domains/\(id)"))
        let platformID = before["platforms"]?.array?.first?["id"]
        var r = try await send(.PATCH, s.root + "/domains/\(id)", ["defaultLanguage": "ES"])
        #expect(r.status == 204)
        #expect(r.body.isEmpty)
        var after = try json(try await send(.GET, s.root + "/domains/\(id)"))
        #expect(after["defaultLanguage"] == "ES")
        #expect(
            after["name"] == "stark.net" && after["status"] == "ENABLED" && after["platforms"] == before["platforms"])
        // The destination, failover and port of the default platform; its id is kept.
        let platforms: JSON = [
            [
                "id": platformID ?? .null, "name": "platform", "transportDest": "mx1.stark.net",
                "transportType": "SMTP",
                "transportPort": 2525, "fallbackTransportDest": "mx2.stark.net", "fallbackTransportType": "SMTP",
                "fallbackTransportPort": 25, "authType": "local", "default": true
            ]
        ]
        r = try await send(
            .PATCH, s.root + "/domains/\(id)",
            ["platforms": platforms, "description": "The North", "status": "DISABLED"])
        #expect(r.status == 204)
        after = try json(try await send(.GET, s.root + "/domains/\(id)"))
        let p = after["platforms"]?.array?.first
        #expect(p?["id"] == platformID)
        #expect(
            p?["transportDest"] == "mx1.stark.net" && p?["transportPort"] == 2525
                && p?["fallbackTransportDest"] == "mx2.stark.net")
        #expect(after["description"] == "The North" && after["status"] == "DISABLED")
        try expectError(
            try await send(.PATCH, s.root + "/domains/\(id)", ["name": "bad name"]), 400,
            "A problem occured. Possible cause: the domain name does not match required format", path: "/domains/\(id)")
        let missing = CleanmailID.encode(77)
        try expectError(
            try await send(.PATCH, s.root + "/domains/\(missing)", ["description": "x"]), 404,
            "Domain not found with given id", path: "/domains/\(missing)")
        s.sim.addDomain("lannister.net")
        #expect(try await send(.PATCH, s.root + "/domains/\(id)", ["name": "lannister.net"]).status == 409)
        let otherPolicy = try json(try await send(.GET, s.root + "/domains?name=lannister.net")).array?.first?[
            "policy"]?["id"]
        #expect(try await send(.PATCH, s.root + "/domains/\(id)", ["policyId": otherPolicy ?? .null]).status == 422)
        // PUT is not how domains are updated.
        let put = try await send(.PUT, s.root + "/domains/\(id)", ["description": "x"])
        try expectError(put, 405, "Request method 'PUT' is not supported", path: "/domains/\(id)")
        #expect(put.header("Allow") == "GET, PATCH, DELETE")
        // Renaming works, and the name is free again.
        #expect(try await send(.PATCH, s.root + "/domains/\(id)", ["name": "starks.net"]).status == 204)
        #expect(try names(try await send(.GET, s.root + "/domains?name=stark*")) == ["starks.net"])
    }

    @Test func deleteTagsTheDomainDeleted() async throws {
        let s = try await start()
        let id = s.sim.domainID(named: "stark.net")!
        let r = try await send(.DELETE, s.root + "/domains/\(id)")
        #expect(r.status == 204)
        #expect(r.body.isEmpty)
        let d = try json(try await send(.GET, s.root + "/domains/\(id)"))
        #expect(d["status"] == "DELETED")
        let deleted = try #require(d["deletionDate"]?.int)
        #expect(d["purgeDate"] == .int(deleted + 30 * 86_400_000))
        #expect(try names(try await send(.GET, s.root + "/domains?status=DELETED")) == ["stark.net"])
        let again = try await send(.DELETE, s.root + "/domains/\(id)")
        #expect(again.status == 422)
        // The name stays taken during the quarantine; a PATCH of the status reverts.
        let body: JSON = [
            "name": "stark.net", "status": "ENABLED", "quarantine": false, "retention": false, "archive": false,
            "defaultLanguage": "EN"
        ]
        #expect(try await send(.POST, s.root + "/domains", body).status == 409)
        #expect(try await send(.PATCH, s.root + "/domains/\(id)", ["status": "ENABLED"]).status == 204)
        let back = try json(try await send(.GET, s.root + "/domains/\(id)"))
        #expect(back["status"] == "ENABLED" && back["deletionDate"] == .null && back["purgeDate"] == .null)
        let missing = CleanmailID.encode(5)
        try expectError(
            try await send(.DELETE, s.root + "/domains/\(missing)"), 404, "Domain not found with given id",
            path: "/domains/\(missing)")
    }

    @Test func unknownPathIs404() async throws {
        let s = try await start()
        try expectError(try await send(.GET, s.root + "/domainz"), 404, "No endpoint GET /domainz.", path: "/domainz")
        let r = try await send(.DELETE, s.root + "/domains")
        #expect(r.status == 405)
        #expect(r.header("Allow") == "GET, POST")
    }

    // MARK: 5.3 domain aliases

    @Test func aliasesAddListAndRemove() async throws {
        let s = try await start()
        let id = s.sim.domainID(named: "stark.net")!
        var r = try await send(.POST, s.root + "/domains/\(id)/aliases", ["starks.net", "Wolves.net"])
        #expect(r.status == 201)
        #expect(
            r.header("Location") == s.root + "/domains/\(id)/aliases"
                || r.header("Location") == "/domains/\(id)/aliases")
        let added = try json(r)
        #expect(added.array?.count == 2)
        #expect(added.array?.map { $0.object?.keys ?? [] } == [["id", "name"], ["id", "name"]])
        #expect(try names(r) == ["starks.net", "wolves.net"])
        let starksID = try #require(added.array?.first?["id"]?.string)
        r = try await send(.GET, s.root + "/domains/\(id)/aliases")
        #expect(r.status == 200)
        #expect(r.header("X-Total-Count") == "2")
        #expect(try names(r) == ["starks.net", "wolves.net"])
        #expect(
            try names(try await send(.GET, s.root + "/domains/\(id)/aliases?sort=-name")) == [
                "wolves.net", "starks.net"
            ])
        #expect(
            try names(try await send(.GET, s.root + "/domains/\(id)/aliases?pageSize=1&offset=1")) == ["wolves.net"])
        let domain = try json(try await send(.GET, s.root + "/domains/\(id)"))
        #expect(domain["domainAliases"]?.array?.compactMap { $0["name"]?.string } == ["starks.net", "wolves.net"])
        // Taken names: an alias (of any domain) or a domain.
        try expectError(
            try await send(.POST, s.root + "/domains/\(id)/aliases", ["starks.net"]), 409,
            "An alias or a domain may already exists with the given name", path: "/domains/\(id)/aliases")
        s.sim.addDomain("lannister.net")
        #expect(try await send(.POST, s.root + "/domains/\(id)/aliases", ["lannister.net"]).status == 409)
        #expect(try await send(.POST, s.root + "/domains/\(id)/aliases", ["not a name"]).status == 400)
        #expect(try await send(.POST, s.root + "/domains/\(id)/aliases", ["name": "x.net"]).status == 400)
        // Remove one.
        r = try await send(.DELETE, s.root + "/domains/\(id)/aliases/\(starksID)")
        #expect(r.status == 204)
        #expect(try names(try await send(.GET, s.root + "/domains/\(id)/aliases")) == ["wolves.net"])
        try expectError(
            try await send(.DELETE, s.root + "/domains/\(id)/aliases/\(starksID)"), 404,
            "A problem occured. The domain and/or the alias may not exist", path: "/domains/\(id)/aliases/\(starksID)")
        try expectError(
            try await send(.DELETE, s.root + "/domains/\(id)/aliases/bad!"), 400,
            "A problem occured. Possible cause: at least one parameter might not match required format",
            path: "/domains/\(id)/aliases/bad!")
        // The removed name is free again.
        #expect(try await send(.POST, s.root + "/domains/\(id)/aliases", ["starks.net"]).status == 201)
        let missing = CleanmailID.encode(9)
        try expectError(
            try await send(.GET, s.root + "/domains/\(missing)/aliases"), 404,
            "A problem occured. The domain may not exist", path: "/domains/\(missing)/aliases")
        try expectError(
            try await send(.POST, s.root + "/domains/\(missing)/aliases", ["x.net"]), 404,
            "A problem occured. The domain may not exist", path: "/domains/\(missing)/aliases")
    }

    @Test func putReplacesTheAliasesKeepingIds() async throws {
        let s = try await start()
        let id = s.sim.domainID(named: "stark.net")!
        let keep = try #require(s.sim.addAlias(domainID: id, "lions.net"))
        s.sim.addAlias(domainID: id, "old.net")
        let r = try await send(.PUT, s.root + "/domains/\(id)/aliases", ["lanisters.net", "lions.net"])
        #expect(r.status == 204)
        let list = try json(try await send(.GET, s.root + "/domains/\(id)/aliases"))
        #expect(list.array?.compactMap { $0["name"]?.string } == ["lanisters.net", "lions.net"])
        #expect(list.array?.last?["id"] == .string(keep))
        let other = try #require(s.sim.addDomain("other.net"))
        s.sim.addAlias(domainID: other, "taken.net")
        try expectError(
            try await send(.PUT, s.root + "/domains/\(id)/aliases", ["taken.net"]), 409,
            "An alias may already exists with the given name", path: "/domains/\(id)/aliases")
        #expect(try await send(.PUT, s.root + "/domains/\(id)/aliases", []).status == 204)
        #expect(try await send(.GET, s.root + "/domains/\(id)/aliases").header("X-Total-Count") == "0")
        // old.net was freed by the first PUT.
        #expect(try await send(.POST, s.root + "/domains/\(other)/aliases", ["old.net"]).status == 201)
    }

    // MARK: 5.4 policies (where `outgoing` lives)

    @Test func policiesListPatchCreateDelete() async throws {
        let s = try await start()
        let id = s.sim.domainID(named: "stark.net")!
        var r = try await send(.GET, s.root + "/domains/\(id)/policies")
        #expect(r.header("X-Total-Count") == "1")
        let policyID = try #require(try json(r).array?.first?["id"]?.string)
        #expect(try json(r).array?.first?["name"] == "Politique-stark.net")
        r = try await send(.PATCH, s.root + "/policies/\(policyID)", ["outgoing": true])
        #expect(r.status == 204)
        #expect(try json(try await send(.GET, s.root + "/domains/\(id)"))["policy"]?["outgoing"] == true)
        try expectError(
            try await send(.DELETE, s.root + "/policies/\(policyID)"), 400,
            "A problem occured. Possible cause: the policy is affected to a domain or a user.",
            path: "/policies/\(policyID)")
        r = try await send(
            .POST, s.root + "/domains/\(id)/policies",
            [
                "name": "policyA", "quarantine": true, "retention": false,
                "incoming": true, "mailSizeLimit": 8, "spamScore": 7.2
            ])
        #expect(r.status == 201)
        let created = try json(r)
        let newID = try #require(created["id"]?.string)
        #expect(r.header("Location") == s.root + "/policies/\(newID)" || r.header("Location") == "/policies/\(newID)")
        #expect(
            created["mailSizeLimit"] == 8 && created["spamScore"] == .double(7.2) && created["domainId"] == .string(id))
        #expect(try json(try await send(.GET, s.root + "/domains/\(id)"))["policiesCount"] == 2)
        try expectError(
            try await send(
                .POST, s.root + "/domains/\(id)/policies",
                [
                    "name": "policyA", "quarantine": true,
                    "retention": false, "incoming": true
                ]),
            409, "A policy may already exists with the given name", path: "/domains/\(id)/policies")
        try expectError(
            try await send(.PATCH, s.root + "/policies/\(newID)", ["name": " "]), 400,
            "A problem occured. Possible cause: the policy name does not match required format",
            path: "/policies/\(newID)")
        #expect(try await send(.DELETE, s.root + "/policies/\(newID)").status == 204)
        try expectError(
            try await send(.GET, s.root + "/policies/\(newID)"), 404, "Policy not found with given id",
            path: "/policies/\(newID)")
        try expectError(
            try await send(.DELETE, s.root + "/policies/\(newID)"), 404, "Policy not found with given id.",
            path: "/policies/\(newID)")
    }

    // MARK: 5.14 users

    @Test func usersCreateGetPatchDelete() async throws {
        let s = try await start()
        let id = s.sim.domainID(named: "stark.net")!
        let body: JSON = [
            "email": "Sansa@stark.net", "firstname": "Sansa", "lastname": "Lannister", "status": "ENABLED",
            "language": "EN", "password": "HearMeRoar!", "domainId": .string(id), "sendNotification": false
        ]
        var r = try await send(.POST, s.root + "/users", body)
        #expect(r.status == 201)
        let u = try json(r)
        let uid = try #require(u["id"]?.string)
        #expect(r.header("Location") == s.root + "/users/\(uid)" || r.header("Location") == "/users/\(uid)")
        #expect(u.object?.keys == Self.userKeys)
        #expect(u["email"] == "sansa@stark.net" && u["status"] == "ENABLED" && u["language"] == "EN")
        #expect(u["domainId"] == .string(id) && u["domainStatus"] == "ENABLED")
        #expect(u["policy"]?["name"] == "Politique-stark.net")
        #expect(u["domainPolicyId"] == u["policy"]?["id"])
        #expect(u["platform"]?["transportDest"] == "1.2.3.4")
        #expect(u["domainPlatformId"] == u["platform"]?["id"])
        #expect(u["mfaType"] == .null && u["lastConnectionDate"] == .null)
        #expect(!r.text.contains("HearMeRoar"))
        #expect(try json(try await send(.GET, s.root + "/domains/\(id)"))["activeUsersCount"] == 1)

        r = try await send(.GET, s.root + "/users/\(uid)")
        #expect(r.status == 200)
        #expect(try json(r) == u)
        r = try await send(.PATCH, s.root + "/users/\(uid)", ["lastname": "Stark", "language": "DE"])
        #expect(r.status == 204)
        let patched = try json(try await send(.GET, s.root + "/users/\(uid)"))
        #expect(patched["lastname"] == "Stark" && patched["language"] == "DE" && patched["firstname"] == "Sansa")
        r = try await send(.GET, s.root + "/domains/\(id)/users")
        #expect(r.header("X-Total-Count") == "1")
        #expect(try names(r, "email") == ["sansa@stark.net"])

        r = try await send(.DELETE, s.root + "/users/\(uid)")
        #expect(r.status == 204)
        try expectError(
            try await send(.GET, s.root + "/users/\(uid)"), 404, "User not found with given id", path: "/users/\(uid)")
        try expectError(
            try await send(.DELETE, s.root + "/users/\(uid)"), 404, "User or domain not found with given id",
            path: "/users/\(uid)")
        try expectError(
            try await send(.PATCH, s.root + "/users/\(uid)", ["lastname": "x"]), 404, "User not found with given id",
            path: "/users/\(uid)")
        let missing = CleanmailID.encode(8)
        try expectError(
            try await send(.GET, s.root + "/domains/\(missing)/users"), 404, "Domain not found with given id",
            path: "/domains/\(missing)/users")
    }

    @Test func userValidationConflictsAndConditions() async throws {
        let s = try await start()
        let id = s.sim.domainID(named: "stark.net")!
        s.sim.addAlias(domainID: id, "winterfell.net")
        func user(_ email: String, domain: String? = nil) -> JSON {
            ["email": .string(email), "status": "ENABLED", "domainId": .string(domain ?? id)]
        }
        let invalid =
            "A problem occured. Possible causes: the account email does not match email format or domain not found"
        try expectError(try await send(.POST, s.root + "/users", user("no-at-sign")), 400, invalid, path: "/users")
        try expectError(
            try await send(.POST, s.root + "/users", user("a@stark.net", domain: CleanmailID.encode(50))), 400, invalid,
            path: "/users")
        try expectError(
            try await send(.POST, s.root + "/users", ["email": "a@stark.net", "domainId": .string(id)]), 400,
            "Validation failed: status must not be null", path: "/users")
        #expect(try await send(.POST, s.root + "/users", user("arya@stark.net")).status == 201)
        try expectError(
            try await send(.POST, s.root + "/users", user("ARYA@stark.net")), 409,
            "A user may already exists with the given name", path: "/users")
        let r = try await send(.POST, s.root + "/users", user("arya@elsewhere.net"))
        #expect(r.status == 422)
        #expect(
            try json(r)["message"]?.string?.hasPrefix("Operation cannot be done because of not met conditions.") == true
        )
        // An address in one of the domain's aliases is an address of the domain.
        #expect(try await send(.POST, s.root + "/users", user("bran@winterfell.net")).status == 201)
        let uid = try #require(
            try json(try await send(.GET, s.root + "/users?email=arya*")).array?.first?["id"]?.string)
        try expectError(
            try await send(.PATCH, s.root + "/users/\(uid)", ["email": "not-an-email"]), 400,
            "A problem has occured. Possible cause: the account email does not match email format",
            path: "/users/\(uid)")
        #expect(try await send(.PATCH, s.root + "/users/\(uid)", ["email": "bran@winterfell.net"]).status == 409)
        #expect(try await send(.PATCH, s.root + "/users/\(uid)", ["status": "SLEEPING"]).status == 400)
    }

    @Test func usersListPagingFilterAndSort() async throws {
        let s = try await start { sim in
            let a = sim.addDomain("stark.net")!
            let b = sim.addDomain("martell.net")!
            for i in (1...44).reversed() { sim.addUser(domainID: a, email: "user\(i < 10 ? "0" : "")\(i)@stark.net") }
            sim.addUser(domainID: b, email: "elia@martell.net", status: "DISABLED")
        }
        var r = try await send(.GET, s.root + "/users")
        #expect(r.header("X-Total-Count") == "45")
        #expect(try names(r, "email").count == 40)
        // Sorted by email unless told otherwise.
        #expect(try names(r, "email").first == "elia@martell.net")
        #expect(try names(r, "email")[1] == "user01@stark.net")
        r = try await send(.GET, s.root + "/users?offset=40")
        #expect(
            try names(r, "email") == [
                "user40@stark.net", "user41@stark.net", "user42@stark.net", "user43@stark.net", "user44@stark.net"
            ])
        r = try await send(.GET, s.root + "/users?email=*@martell.net")
        #expect(try names(r, "email") == ["elia@martell.net"])
        #expect(r.header("X-Total-Count") == "1")
        // The examples' `name=` is not a filter of users: everything comes back.
        #expect(try await send(.GET, s.root + "/users?name=whatever").header("X-Total-Count") == "45")
        r = try await send(.GET, s.root + "/users?sort=-email&pageSize=2")
        #expect(try names(r, "email") == ["user44@stark.net", "user43@stark.net"])
        let stark = s.sim.domainID(named: "stark.net")!
        r = try await send(.GET, s.root + "/domains/\(stark)/users?pageSize=3&sort=-id")
        #expect(r.header("X-Total-Count") == "44")
        #expect(try names(r, "email") == ["user01@stark.net", "user02@stark.net", "user03@stark.net"])
    }

    // MARK: 5.9 filtering rules on senders

    @Test func domainSenderRules() async throws {
        let s = try await start()
        let id = s.sim.domainID(named: "stark.net")!
        let base = s.root + "/domains/\(id)/wblist"
        // The document's example body (5.9.2).
        let body = try JSON.parse(
            #"[{"value":"daenerys@goodguys.fr","type":"ALLOW","spfOn":true},{"value":"baelish@badguys.fr","type":"BLO"#
                + #"CK","expireAt":1779724341676,"description":"he's a traitor"}]"#
        )
        var r = try await send(.POST, base, body)
        #expect(r.status == 201)
        #expect(r.header("Location") == base || r.header("Location") == "/domains/\(id)/wblist")
        let added = try json(r).array ?? []
        #expect(added.count == 2)
        #expect(
            added.first?.object?.keys == [
                "id", "value", "owner", "type", "createdDate", "expireAt", "description", "spfOn"
            ])
        #expect(
            added.first?["owner"] == "stark.net" && added.first?["type"] == "ALLOW" && added.first?["spfOn"] == true)
        #expect(added.first?["expireAt"] == .null && added.first?["description"] == .null)
        #expect(
            added.last?["type"] == "BLOCK" && added.last?["spfOn"] == .null
                && added.last?["expireAt"] == 1_779_724_341_676)
        #expect(added.last?["description"] == "he's a traitor")
        let blockID = try #require(added.last?["id"]?.string)

        r = try await send(.GET, base)
        #expect(r.header("X-Total-Count") == "2")
        #expect(try names(r, "value") == ["daenerys@goodguys.fr", "baelish@badguys.fr"])  // by owner, then id
        #expect(try names(try await send(.GET, base + "?type=BLOCK"), "value") == ["baelish@badguys.fr"])
        #expect(try names(try await send(.GET, base + "?value=*goodguys.fr"), "value") == ["daenerys@goodguys.fr"])
        #expect(
            try names(try await send(.GET, base + "?sort=value"), "value") == [
                "baelish@badguys.fr", "daenerys@goodguys.fr"
            ])
        #expect(try await send(.GET, base + "?type=MAYBE").status == 400)

        try expectError(
            try await send(.POST, base, [["value": "daenerys@goodguys.fr", "type": "BLOCK"]]), 409,
            "An identical rule may already exist", path: "/domains/\(id)/wblist")
        r = try await send(.POST, base, [["value": "not an address", "type": "BLOCK"]])
        #expect(r.status == 422)
        try expectError(
            try await send(.POST, base, [["value": "x@y.fr"]]), 400, "Validation failed: type must not be null",
            path: "/domains/\(id)/wblist")

        // Replace one rule: same id, new value.
        r = try await send(.PUT, base + "/\(blockID)", ["value": "rickon@stark.net", "type": "BLOCK"])
        #expect(r.status == 200)
        #expect(
            try json(r)["id"] == .string(blockID) && json(r)["value"] == "rickon@stark.net"
                && json(r)["owner"] == "stark.net")
        try expectError(
            try await send(.PUT, base + "/\(blockID)", ["value": "daenerys@goodguys.fr", "type": "BLOCK"]), 409,
            "An identical rule may already exists", path: "/domains/\(id)/wblist/\(blockID)")
        // Delete it.
        #expect(try await send(.DELETE, base + "/\(blockID)").status == 204)
        try expectError(
            try await send(.DELETE, base + "/\(blockID)"), 404, "A problem occured. The domain may not exist",
            path: "/domains/\(id)/wblist/\(blockID)")
        // Replace the whole list.
        r = try await send(
            .PUT, base,
            [["value": "rickon@stark.net", "type": "ALLOW", "spfOn": true], ["value": "tywin.net", "type": "BLOCK"]])
        #expect(r.status == 200)
        #expect(try names(r, "value") == ["rickon@stark.net", "tywin.net"])
        #expect(try await send(.GET, base).header("X-Total-Count") == "2")
        #expect(
            try await send(.PUT, base, [["value": "a.net", "type": "ALLOW"], ["value": "A.net", "type": "BLOCK"]])
                .status == 409)
        let missing = CleanmailID.encode(31)
        try expectError(
            try await send(.GET, s.root + "/domains/\(missing)/wblist"), 404, "Domain may not exist",
            path: "/domains/\(missing)/wblist")
    }

    @Test func mailboxRulesAndRulesWithOwners() async throws {
        let s = try await start()
        let id = s.sim.domainID(named: "stark.net")!
        let uid = try #require(s.sim.addUser(domainID: id, email: "jon@stark.net"))
        var r = try await send(.POST, s.root + "/users/\(uid)/wblist", [["value": "sam@citadel.org", "type": "ALLOW"]])
        #expect(r.status == 201)
        #expect(try json(r).array?.first?["owner"] == "jon@stark.net")
        #expect(try json(r).array?.first?["spfOn"] == false)
        r = try await send(.GET, s.root + "/users/\(uid)/wblist")
        #expect(r.header("X-Total-Count") == "1")
        let missing = CleanmailID.encode(40)
        try expectError(
            try await send(.GET, s.root + "/users/\(missing)/wblist"), 404, "User may not exist",
            path: "/users/\(missing)/wblist")
        // POST /wblist: each rule names its owner, a domain or a mailbox.
        r = try await send(
            .POST, s.root + "/wblist",
            [
                ["value": "daenerys@goodguys.fr", "owner": "stark.net", "type": "ALLOW", "spfOn": true],
                ["value": "baelish@badguys.fr", "owner": "jon@stark.net", "type": "BLOCK"]
            ])
        #expect(r.status == 201)
        #expect(try names(r, "owner") == ["stark.net", "jon@stark.net"])
        #expect(try await send(.GET, s.root + "/users/\(uid)/wblist").header("X-Total-Count") == "2")
        #expect(try await send(.GET, s.root + "/domains/\(id)/wblist").header("X-Total-Count") == "1")
        r = try await send(.POST, s.root + "/wblist", [["value": "x@y.fr", "owner": "nobody.net", "type": "BLOCK"]])
        #expect(r.status == 422)
        try expectError(
            try await send(
                .POST, s.root + "/wblist",
                [["value": "baelish@badguys.fr", "owner": "jon@stark.net", "type": "BLOCK"]]),
            409, "An identical rule may already exists", path: "/wblist")
        // A mailbox's rules go with it.
        #expect(try await send(.DELETE, s.root + "/users/\(uid)").status == 204)
        let rules = try #require(s.sim.state()["rules"]?.array)
        #expect(rules.count == 1)
    }

    // MARK: seeds, state

    @Test func demoSeedIsASmallBelievableTenant() async throws {
        let s = try await start { $0.seed(.demo) }
        let state = s.sim.state()
        let domains = try #require(state["domains"]?.array)
        #expect(domains.count == 12)
        #expect(domains.filter { $0["status"] == "DISABLED" }.count == 2)
        #expect(try #require(state["aliases"]?.array).count == 7)
        #expect(try #require(state["users"]?.array).count == 10)
        #expect(try #require(state["rules"]?.array).count == 8)
        var r = try await send(.GET, s.root + "/domains")
        #expect(r.header("X-Total-Count") == "12")
        r = try await send(.GET, s.root + "/domains?name=northwind-mail.com")
        let nw = try #require(try json(r).array?.first)
        #expect(nw["description"] == "Northwind Traders, head office")
        #expect(nw["platforms"]?.array?.first?["transportDest"] == "mx1.northwind-mail.com")
        #expect(nw["platforms"]?.array?.first?["fallbackTransportDest"] == "mx2.northwind-mail.com")
        #expect(nw["policy"]?["outgoing"] == true)
        #expect(
            nw["domainAliases"]?.array?.compactMap { $0["name"]?.string } == ["northwind-traders.com", "nwtraders.net"])
        #expect(nw["activeUsersCount"] == 2)
        let id = try #require(nw["id"]?.string)
        r = try await send(.GET, s.root + "/domains/\(id)/wblist?type=ALLOW")
        #expect(r.header("X-Total-Count") == "2")
        // Names are Cleanmail's own, not the other vendors' demo names.
        let domainNames = domains.compactMap { $0["name"]?.string }
        #expect(
            !domainNames.contains("example.com") && !domainNames.contains("got.com")
                && !domainNames.contains("acme-widgets.com"))
    }

    @Test func generatedSeedIsDeterministic() async throws {
        let a = CleanmailSimulation(), b = CleanmailSimulation()
        a.seed(.generated(50))
        b.seed(.generated(50))
        #expect(a.state() == b.state())
        #expect(a.state().text == b.state().text)
        let state = a.state()
        let domains = try #require(state["domains"]?.array)
        #expect(domains.count == 50)
        #expect(domains.first?["name"] == "cm-domain-00001.example")
        #expect(domains.first?["id"] == .string(CleanmailID.encode(1)))
        #expect(domains.first?["creationDate"] == .int(CleanmailSimulation.epoch + 1000))
        #expect(domains.last?["name"] == "cm-domain-00050.example")
        // Every 7th is DISABLED: the 7th, 14th, ... 49th.
        #expect(
            domains.enumerated().filter { $0.element["status"] == "DISABLED" }.map { $0.offset + 1 } == [
                7, 14, 21, 28, 35, 42, 49
            ])
        #expect(try #require(state["aliases"]?.array).count == 75)  // 1 or 2 each
        #expect(try #require(state["users"]?.array).count == 74)  // 1 or 2 each
        let perDomain = Dictionary(
            grouping: try #require(state["aliases"]?.array), by: { $0["domainId"]?.string ?? "" })
        #expect(perDomain.count == 50 && perDomain.values.allSatisfy { (1...2).contains($0.count) })
        #expect(a.state()["counters"]?["domain"] == 50)
        let empty = CleanmailSimulation()
        empty.seed(.generated(0))
        #expect(empty.state()["domains"] == [])
    }

    @Test func stateAndLoadRoundTripExactly() async throws {
        let s = try await start { $0.seed(.demo) }
        // Some API traffic first: created, changed and removed objects, and ids spent.
        let created = try json(
            try await send(
                .POST, s.root + "/domains",
                [
                    "name": "extra.net", "status": "ENABLED", "quarantine": false,
                    "retention": false, "archive": false, "defaultLanguage": "EN"
                ]))
        let id = try #require(created["id"]?.string)
        let aliases = try json(try await send(.POST, s.root + "/domains/\(id)/aliases", ["x1.net", "x2.net"]))
        let gone = try #require(aliases.array?.first?["id"]?.string)
        #expect(try await send(.DELETE, s.root + "/domains/\(id)/aliases/\(gone)").status == 204)
        #expect(try await send(.PATCH, s.root + "/domains/\(id)", ["description": "round trip"]).status == 204)
        let state = s.sim.state()
        let copy = CleanmailSimulation()
        try copy.load(state)
        #expect(copy.state() == state)
        #expect(copy.state().text == state.text)
        // The counters came too: the next ids are the same on both.
        let next = copy.addAlias(domainID: id, "x3.net")
        #expect(next == s.sim.addAlias(domainID: id, "x3.net"))
        #expect(copy.state() == s.sim.state())
        // And the served state is the same store.
        let served = try JSON.parse(try await client.send(HTTPRequest(.GET, s.root + "/_sandbox/state")).body)
        #expect(served == s.sim.state())
        // A loaded store answers like the original.
        let ports = try await Sandbox(simulations: [copy]).start()
        let r = try await send(.GET, "http://127.0.0.1:\(ports[0])/domains/\(id)")
        #expect(try json(r)["description"] == "round trip")
        #expect(try json(r)["domainAliases"]?.array?.compactMap { $0["name"]?.string } == ["x2.net", "x3.net"])
        #expect(throws: (any Error).self) { try copy.load(["domains": [["name": "no-id.net"]]]) }
    }

    @Test func tenThousandDomainsPageFortyAtATime() async throws {
        let s = try await start { $0.seed(.generated(10_000)) }
        var seen: [String] = []
        var offset = 0
        while true {
            let r = try await send(.GET, s.root + "/domains?offset=\(offset)&pageSize=40")
            #expect(r.header("X-Total-Count") == "10000")
            let page = try names(r)
            if page.isEmpty { break }
            seen += page
            offset += page.count
        }
        #expect(seen.count == 10_000)
        #expect(seen == seen.sorted())
        #expect(seen.last == "cm-domain-10000.example")
        let r = try await send(.GET, s.root + "/domains?name=cm-domain-0999*&sort=-name&pageSize=3")
        #expect(r.header("X-Total-Count") == "10")
        #expect(try names(r) == ["cm-domain-09999.example", "cm-domain-09998.example", "cm-domain-09997.example"])
    }

    @Test func idsAreOpaqueFiveCharacterStrings() {
        let ids = (1...1000).map(CleanmailID.encode)
        #expect(Set(ids).count == 1000)
        #expect(ids.allSatisfy { $0.count == 5 })
        #expect((1...1000).allSatisfy { CleanmailID.decode(CleanmailID.encode($0)) == $0 })
        #expect(CleanmailID.decode("bad!") == nil && CleanmailID.decode("toolong") == nil)
    }
}
