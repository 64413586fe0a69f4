import MXHTTP
import MXJSON
import MXSandbox
import Testing

/// The OpenSRS simulation over real HTTP: method calls, success/error_number, 400/404.
@Suite(.serialized)
struct OpenSRSSimulationTests {
    let client = HTTPClient()
    static let credentials: JSON = ["user": "admin@example.com", "password": "sandbox"]

    func start() async throws -> String {
        let sim = OpenSRSSimulation()
        sim.addDomain(
            "example.com", ["aliases": ["schmemoco.com"], "allow": ["*@example.com"], "notes_external": "Gold support"])
        sim.addUser("ann@example.com", ["name": "Ann"])
        let ports = try await Sandbox(simulations: [sim]).start()
        return "http://127.0.0.1:\(ports[0])/api/"
    }

    func call(_ base: String, _ method: String, _ fields: JSONObject, credentials: JSON = credentials) async throws -> (
        Int, JSON
    ) {
        var body = fields
        body["credentials"] = credentials
        let r = try await client.send(
            HTTPRequest(
                .POST, base + method, headers: [("Content-Type", "application/json")],
                body: JSON.object(body).bytes))
        return (r.status, (try? JSON.parse(r.body)) ?? .null)
    }

    @Test func getDomainReturnsAttributesAndMetadata() async throws {
        let base = try await start()
        let (status, r) = try await call(base, "get_domain", ["domain": "example.com"])
        #expect(status == 200)
        #expect(r["success"] == true)
        #expect(r["attributes"]?["account"] == "example.com")
        #expect(r["attributes"]?["aliases"] == ["schmemoco.com"])
        #expect(r["metadata"]?["createtime"]?.string != nil)
    }

    @Test func missingDomainIsErrorTwoWithHTTP200() async throws {
        let base = try await start()
        let (status, r) = try await call(base, "get_domain", ["domain": "nope.com"])
        #expect(status == 200)
        #expect(r["success"] == false)
        #expect(r["error_number"] == 2)
        #expect(r["settable_attributes"]?.array?.contains("aliases") == true)
    }

    @Test func wrongCredentialsAreErrorOne() async throws {
        let base = try await start()
        let (status, r) = try await call(
            base, "get_domain", ["domain": "example.com"], credentials: ["user": "admin@example.com", "password": "x"])
        #expect(status == 200)
        #expect(r["error_number"] == 1)
    }

    @Test func malformedJSONIs400AndUnknownMethodIs404() async throws {
        let base = try await start()
        let bad = try await client.send(HTTPRequest(.POST, base + "get_domain", body: Array("{".utf8)))
        #expect(bad.status == 400)
        let unknown = try await client.send(HTTPRequest(.POST, base + "frobnicate", body: Array("{}".utf8)))
        #expect(unknown.status == 404)
    }

    @Test func changeCreatesUpdatesAndCreateOnlyIs23() async throws {
        let base = try await start()
        #expect(
            try await call(base, "change_domain", ["domain": "new.com", "attributes": ["filtermx": "10.0.0.5"]]).1[
                "success"] == true)
        #expect(try await call(base, "get_domain", ["domain": "new.com"]).1["attributes"]?["filtermx"] == "10.0.0.5")
        #expect(
            try await call(base, "change_domain", ["domain": "new.com", "attributes": ["disabled": true]]).1["success"]
                == true)
        #expect(try await call(base, "get_domain", ["domain": "new.com"]).1["attributes"]?["disabled"] == true)
        #expect(
            try await call(base, "change_domain", ["domain": "new.com", "create_only": true]).1["error_number"] == 23)
        let (_, bad) = try await call(
            base, "change_domain", ["domain": "new.com", "attributes": ["colour": "blue", "allow": "x"]])
        #expect(bad["error_number"] == 6)
        #expect(bad["hints"]?["colour"] != nil && bad["hints"]?["allow"] != nil)
    }

    @Test func deleteIsSoftAndRestoreBringsItBack() async throws {
        let base = try await start()
        // It has a user.
        #expect(try await call(base, "delete_domain", ["domain": "example.com"]).1["error_number"] == 10)
        #expect(try await call(base, "delete_user", ["user": "ann@example.com"]).1["success"] == true)
        #expect(try await call(base, "delete_domain", ["domain": "example.com"]).1["success"] == true)
        #expect(try await call(base, "get_domain", ["domain": "example.com"]).1["error_number"] == 2)
        let deleted = try await call(base, "search_domains", ["criteria": ["deleted": true]]).1
        #expect(deleted["domains"]?.array?.first?["domain"] == "example.com")
        #expect(try await call(base, "restore_domain", ["domain": "example.com"]).1["success"] == true)
        #expect(try await call(base, "get_domain", ["domain": "example.com"]).1["success"] == true)
    }

    @Test func searchPagesWithRangeAndMatches() async throws {
        let base = try await start()
        for i in 0..<5 { _ = try await call(base, "change_domain", ["domain": .string("d\(i).net")]) }
        let (_, r) = try await call(
            base, "search_domains", ["criteria": ["match": "d*.net"], "range": ["first": 1, "limit": 2]])
        #expect(r["total"] == 5)
        #expect(r["domains"]?.array?.compactMap { $0["domain"]?.string } == ["d1.net", "d2.net"])
    }

    @Test func usersLiveInExistingDomains() async throws {
        let base = try await start()
        #expect(try await call(base, "change_user", ["user": "bob@nope.com"]).1["error_number"] == 11)
        #expect(
            try await call(
                base, "change_user", ["user": "bob@example.com", "attributes": ["name": "Bob", "password": "pw"]]
            ).1["success"] == true)
        let (_, got) = try await call(base, "get_user", ["user": "bob@example.com"])
        #expect(got["attributes"]?["name"] == "Bob")
        #expect(got["attributes"]?["password"] == nil)
        #expect(try await call(base, "get_user", ["user": "zed@example.com"]).1["error_number"] == 13)
        #expect(try await call(base, "search_users", ["criteria": ["domain": "example.com"]]).1["total"] == 2)
    }

    @Test func faultsAreOpenSRSErrorNumbersNotHTTP5xx() async throws {
        let sim = OpenSRSSimulation()
        var faults = FaultOptions()
        faults.failRate = 1
        let ports = try await Sandbox(simulations: [sim], faults: faults).start()
        let (status, r) = try await call("http://127.0.0.1:\(ports[0])/api/", "get_domain", ["domain": "x.com"])
        #expect(status == 200)
        #expect([20, 22, 25].contains(r["error_number"]?.int ?? 0))
    }
}
