import MXHTTP
import MXJSON
import Testing

@testable import MXSandbox

/// The one router every simulation uses: patterns, parameters, and each vendor's 404
/// (no such path) and 405 (the path, another method; `Allow` lists the methods in the
/// order they were registered) in that vendor's own error shape.
@Suite(.serialized)
struct RouterTests {
    let client = HTTPClient()

    @Test func patternsBindParametersAndTellMissingFromWrongMethod() {
        var r = Router<String>(prefix: "/api/v1")
        r.add("GET", "/domains", "list")
        r.add("POST", "/domains", "create")
        r.add("GET", "/domains/{id}/aliases", "aliases")
        r.add("DELETE", "/domains/{id}/aliases/{alias}", "remove")
        guard case .found(let h, let p) = r.match(method: "DELETE", path: "/api/v1/domains/a%20b/aliases/x.net") else {
            Issue.record("no match")
            return
        }
        #expect(h == "remove" && p["id"] == "a b" && p["alias"] == "x.net")
        guard case .found("list", _) = r.match(method: "GET", path: "/api/v1/domains/") else {
            Issue.record("trailing slash"); return
        }
        guard case .methodNotAllowed(let allow) = r.match(method: "PUT", path: "/api/v1/domains") else {
            Issue.record("no 405"); return
        }
        #expect(allow == ["GET", "POST"])
        guard case .notFound = r.match(method: "GET", path: "/api/v1/domains/x/users") else {
            Issue.record("no 404"); return
        }
        guard case .notFound = r.match(method: "GET", path: "/domains") else { Issue.record("prefix"); return }
        guard case .notFound = r.match(method: "GET", path: "/api/v1domains") else {
            Issue.record("prefix boundary"); return
        }
    }

    func send(_ method: HTTPRequest.Method, _ url: String, headers: [(name: String, value: String)], body: String = "")
        async throws -> (HTTPResponse, JSON)
    {
        let r = try await client.send(HTTPRequest(method, url, headers: headers, body: Array(body.utf8)))
        return (r, (try? JSON.parse(r.body)) ?? .null)
    }

    @Test func proofpoint404And405() async throws {
        let ports = try await Sandbox(simulations: [ProofpointSimulation()]).start()
        let base = "http://127.0.0.1:\(ports[0])/api/v1"
        let auth: [(name: String, value: String)] = [("X-User", "admin@example.com"), ("X-Password", "sandbox")]
        var (r, body) = try await send(.GET, base + "/orgs/example.com/nowhere", headers: auth)
        #expect(r.status == 404)
        #expect(body == ["errors": ["resource not found"]])
        (r, body) = try await send(.DELETE, base + "/orgs/example.com/domains", headers: auth)
        #expect(r.status == 405)
        #expect(r.header("Allow") == "GET, POST")
        #expect(body == ["errors": ["method DELETE not allowed"]])
        (r, _) = try await send(.PATCH, base + "/orgs/example.com/users/ann@example.com", headers: auth)
        #expect(r.status == 405)
        #expect(r.header("Allow") == "GET, PUT, DELETE")
    }

    @Test func cleanmail404And405() async throws {
        let sim = CleanmailSimulation()
        let id = try #require(sim.addDomain("stark.net"))
        let ports = try await Sandbox(simulations: [sim]).start()
        let base = "http://127.0.0.1:\(ports[0])"
        let auth: [(name: String, value: String)] = [("Authorization", "Bearer sandbox-token")]
        var (r, body) = try await send(.PATCH, base + "/domains/\(id)/aliases", headers: auth)
        #expect(r.status == 405)
        #expect(r.header("Allow") == "GET, POST, PUT")
        #expect(body["message"] == "Request method 'PATCH' is not supported")
        #expect(body["error"] == "Method Not Allowed" && body["path"] == .string("/domains/\(id)/aliases"))
        (r, _) = try await send(.GET, base + "/users/\(id)/wblist/\(id)", headers: auth)
        #expect(r.status == 405)
        #expect(r.header("Allow") == "PUT, DELETE")
        (r, body) = try await send(.GET, base + "/domains/\(id)/nothing-here", headers: auth)
        #expect(r.status == 404)
        #expect(body["message"] == .string("No endpoint GET /domains/\(id)/nothing-here."))
        // A read-only token meets the 405 before the 403: the method is wrong whoever asks.
        (r, _) = try await send(
            .PATCH, base + "/domains", headers: [("Authorization", "Bearer sandbox-readonly-token")])
        #expect(r.status == 405)
    }

    @Test func openSRS404And405() async throws {
        let ports = try await Sandbox(simulations: [OpenSRSSimulation()]).start()
        let base = "http://127.0.0.1:\(ports[0])/api/"
        var (r, body) = try await send(.POST, base + "frobnicate", headers: [], body: "{}")
        #expect(r.status == 404)
        #expect(body == ["success": false, "error": "Unknown method frobnicate"])
        (r, body) = try await send(.GET, base + "get_domain", headers: [])
        #expect(r.status == 405)
        #expect(r.header("Allow") == "POST")
        #expect(body == ["success": false, "error": "Method get_domain is called with POST, not GET"])
    }

    @Test func ad360404And405() async throws {
        let ports = try await Sandbox(simulations: [AD360Simulation()]).start()
        let base = "http://127.0.0.1:\(ports[0])/RestAPI"
        let auth: [(name: String, value: String)] = [("Authorization", "Bearer sandbox-token")]
        var (r, body) = try await send(.GET, base + "/DomainSettings/getNothing", headers: auth)
        #expect(r.status == 404)
        #expect(body["ERROR_CODE"] == "CE001" && body["STATUS"] == "FAILURE")
        (r, body) = try await send(.GET, base + "/MailSettings/updateSettings", headers: auth)
        #expect(r.status == 405)
        #expect(r.header("Allow") == "POST")
        #expect(
            body == [
                "STATUS": "FAILURE", "ERROR_CODE": "AT003",
                "ERROR_MSG": "The requested API doesn't support this HTTP Method."
            ])
    }
}
