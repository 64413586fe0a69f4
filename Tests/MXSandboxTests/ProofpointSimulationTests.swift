import MXHTTP
import MXJSON
import MXSandbox
import Testing

/// The Proofpoint simulation over real HTTP: one test per documented status code.
@Suite(.serialized)
struct ProofpointSimulationTests {
    let client = HTTPClient()
    static let auth: [(name: String, value: String)] = [("X-user", "admin@example.com"), ("X-password", "sandbox")]
    static let domain: JSON = [
        "name": "new.com", "is_active": true, "is_relay": false, "destination": "10.20.30.40",
        "failovers": ["10.30.40.50", "10.40.50.60"]
    ]

    func start() async throws -> String {
        let sim = ProofpointSimulation()
        sim.addDomain(
            org: "example.com",
            JSONObject([
                ("name", "example.com"), ("is_active", true), ("is_relay", false),
                ("destination", "10.0.0.1"), ("failovers", [])
            ]))
        let ports = try await Sandbox(simulations: [sim]).start()
        return "http://127.0.0.1:\(ports[0])/api/v1/orgs/example.com"
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

    @Test func getListsTheOrganisationsDomains() async throws {
        let base = try await start()
        let r = try await send(.GET, base + "/domains")
        #expect(r.status == 200)
        #expect(try JSON.parse(r.body)["domains"]?.array?.first?["name"] == "example.com")
    }

    @Test func postCreates201AndEchoes() async throws {
        let base = try await start()
        let r = try await send(.POST, base + "/domains/new.com", Self.domain)
        #expect(r.status == 201)
        #expect(try JSON.parse(r.body) == Self.domain)
        let again = try await send(.GET, base + "/domains/new.com")
        #expect(try JSON.parse(again.body)["destination"] == "10.20.30.40")
    }

    @Test func batchPostAnswers207PerItem() async throws {
        let base = try await start()
        let r = try await send(
            .POST, base + "/domains",
            [
                Self.domain,
                [
                    "name": "example.com", "is_active": true, "is_relay": false,
                    "destination": "x", "failovers": []
                ]
            ])
        #expect(r.status == 207)
        let statuses = try JSON.parse(r.body)["results"]?.array?.compactMap { $0["status"]?.int }
        #expect(statuses == [201, 409])
    }

    @Test func existingDomainIs409() async throws {
        let base = try await start()
        var d = Self.domain.object!
        d["name"] = "example.com"
        let r = try await send(.POST, base + "/domains/example.com", .object(d))
        #expect(r.status == 409)
        #expect(r.text.contains("already exists on the platform"))
    }

    @Test func missingFieldsAre422WithFieldErrors() async throws {
        let base = try await start()
        let r = try await send(.POST, base + "/domains/half.com", ["name": "half.com", "is_active": "yes"])
        #expect(r.status == 422)
        let errors = try JSON.parse(r.body)["errors"]?.object
        #expect(errors?["is_active"] != nil && errors?["destination"] != nil && errors?["failovers"] != nil)
    }

    @Test func malformedBodyIs400() async throws {
        let base = try await start()
        let r = try await client.send(
            HTTPRequest(.POST, base + "/domains/x.com", headers: Self.auth, body: Array("{not json".utf8)))
        #expect(r.status == 400)
    }

    @Test func wrongOrMissingCredentialsAre401() async throws {
        let base = try await start()
        #expect(try await send(.GET, base + "/domains", headers: []).status == 401)
        #expect(
            try await send(.GET, base + "/domains", headers: [("X-User", "admin@example.com"), ("X-Password", "nope")])
                .status == 401)
    }

    @Test func anotherOrganisationIs403() async throws {
        let base = try await start()
        let r = try await send(.GET, base.replacingOccurrences("example.com", "other.org") + "/domains")
        #expect(r.status == 403)
    }

    @Test func putUpdates204AndDeleteRemoves204() async throws {
        let base = try await start()
        _ = try await send(.POST, base + "/domains/new.com", Self.domain)
        var d = Self.domain.object!
        d["is_relay"] = true
        #expect(try await send(.PUT, base + "/domains/new.com", .object(d)).status == 204)
        #expect(try JSON.parse(try await send(.GET, base + "/domains/new.com").body)["is_relay"] == true)
        #expect(try await send(.PUT, base + "/domains/new.com", ["name": "new.com"]).status == 422)
        #expect(try await send(.DELETE, base + "/domains/new.com").status == 204)
        // The documents answer no 404: a domain the organisation does not have is 403.
        #expect(try await send(.GET, base + "/domains/new.com").status == 403)
    }

    @Test func namesCompareWithoutCase() async throws {
        let base = try await start()
        #expect(try await send(.GET, base + "/domains/EXAMPLE.com").status == 200)
        var d = Self.domain.object!
        d["name"] = "Example.COM"
        #expect(try await send(.POST, base + "/domains", .object(d)).status == 409)
        #expect(
            try await send(.POST, base + "/users", ["primary_email": "ann@example.com", "firstname": "Ann"]).status
                == 201)
        #expect(try await send(.POST, base + "/users", ["primary_email": "ANN@example.com"]).status == 409)
        #expect(try await send(.GET, base + "/users/Ann@Example.com").status == 200)
        #expect(try await send(.DELETE, base + "/users/ANN@EXAMPLE.COM").status == 204)
    }

    @Test func stateAndRequestLogOnTheSamePort() async throws {
        let base = try await start()
        _ = try await send(.GET, base + "/domains")
        let root = String(base.split(separator: "/api")[0])
        let state = try JSON.parse(try await client.send(HTTPRequest(.GET, root + "/_sandbox/state")).body)
        #expect(state["example.com"]?["domains"]?.array?.count == 1)
        let log = try JSON.parse(try await client.send(HTTPRequest(.GET, root + "/_sandbox/requests")).body)
        #expect(log.array?.first?["path"] == "/api/v1/orgs/example.com/domains")
        #expect(log.array?.first?["status"] == 200)
    }
}

extension String {
    func replacingOccurrences(_ a: String, _ b: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: a) {
            out += rest[..<r.lowerBound] + b
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
