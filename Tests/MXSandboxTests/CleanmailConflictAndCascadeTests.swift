import MXHTTP
import MXJSON
import MXSandbox
import Testing

/// Cleanmail's one namespace for domain names and aliases (compared without case), and
/// 5.5.6's "Delete an existing domain and its users".
@Suite(.serialized)
struct CleanmailConflictAndCascadeTests {
    let client = HTTPClient()
    static let auth: [(name: String, value: String)] = [("Authorization", "Bearer sandbox-token")]

    struct Server {
        let root: String
        let sim: CleanmailSimulation
        let stark: String
        let lannister: String
    }

    /// stark.net (alias winterfell.net) and lannister.net (alias casterly.net).
    func start() async throws -> Server {
        let sim = CleanmailSimulation()
        let stark = try #require(sim.addDomain("stark.net", destination: "1.2.3.4"))
        let lannister = try #require(sim.addDomain("lannister.net"))
        sim.addAlias(domainID: stark, "winterfell.net")
        sim.addAlias(domainID: lannister, "casterly.net")
        let ports = try await Sandbox(simulations: [sim]).start()
        return Server(root: "http://127.0.0.1:\(ports[0])", sim: sim, stark: stark, lannister: lannister)
    }

    func send(_ method: HTTPRequest.Method, _ url: String, _ body: JSON? = nil) async throws -> (Int, JSON) {
        let r = try await client.send(
            HTTPRequest(
                method, url, headers: Self.auth + [("Content-Type", "application/json")],
                body: body?.bytes ?? []))
        return (r.status, (try? JSON.parse(r.body)) ?? .null)
    }

    func aliasNames(_ s: Server, _ id: String) async throws -> [String] {
        try await send(.GET, s.root + "/domains/\(id)/aliases").1.array?.compactMap { $0["name"]?.string } ?? []
    }

    @Test func postingAnAliasThatIsTakenIs409() async throws {
        let s = try await start()
        let url = s.root + "/domains/\(s.stark)/aliases"
        // Another domain's alias, another domain's name, the domain's own name; any case.
        for taken in ["casterly.net", "CASTERLY.NET", "lannister.net", "Lannister.Net", "stark.net", "STARK.net"] {
            let (status, body) = try await send(.POST, url, [.string(taken)])
            #expect(status == 409)
            #expect(body["message"] == "An alias or a domain may already exists with the given name")
            #expect(body["error"] == "Conflict")
        }
        // One taken name refuses the whole list.
        #expect(try await send(.POST, url, ["free.net", "casterly.net"]).0 == 409)
        #expect(try await aliasNames(s, s.stark) == ["winterfell.net"])
    }

    @Test func puttingAnAliasThatIsTakenIs409() async throws {
        let s = try await start()
        let url = s.root + "/domains/\(s.stark)/aliases"
        for taken in ["Casterly.net", "lannister.net", "stark.net"] {
            let (status, body) = try await send(.PUT, url, ["winterfell.net", .string(taken)])
            #expect(status == 409)
            #expect(body["message"] == "An alias may already exists with the given name")
        }
        #expect(try await aliasNames(s, s.stark) == ["winterfell.net"])
        // Its own alias, in another case, is kept.
        #expect(try await send(.PUT, url, ["WINTERFELL.net", "north.net"]).0 == 204)
        #expect(try await aliasNames(s, s.stark) == ["north.net", "winterfell.net"])
    }

    @Test func aDomainNamedLikeAnAliasIs409() async throws {
        let s = try await start()
        for name in ["casterly.net", "Winterfell.NET"] {
            let body: JSON = [
                "name": .string(name), "status": "ENABLED", "quarantine": false, "retention": false, "archive": false,
                "defaultLanguage": "EN"
            ]
            let (status, answer) = try await send(.POST, s.root + "/domains", body)
            #expect(status == 409)
            #expect(answer["message"] == "A domain may already exists with the given name")
        }
        // Renaming onto an alias is the same conflict.
        let (status, answer) = try await send(.PATCH, s.root + "/domains/\(s.stark)", ["name": "CASTERLY.net"])
        #expect(status == 409)
        #expect(answer["message"] == "A domain may already exists with the given name")
        #expect(
            try await send(.GET, s.root + "/domains").1.array?.compactMap { $0["name"]?.string } == [
                "lannister.net", "stark.net"
            ])
    }

    @Test func deletingADomainDeletesItsUsers() async throws {
        let s = try await start()
        let jon = try #require(s.sim.addUser(domainID: s.stark, email: "jon@stark.net"))
        let arya = try #require(s.sim.addUser(domainID: s.stark, email: "arya@winterfell.net"))
        let tyrion = try #require(s.sim.addUser(domainID: s.lannister, email: "tyrion@lannister.net"))
        s.sim.addRule(userID: jon, value: "ghost@wall.org", type: "ALLOW")
        s.sim.addRule(userID: tyrion, value: "wine@dorne.org", type: "ALLOW")
        s.sim.addRule(domainID: s.stark, value: "bolton.net", type: "BLOCK")
        #expect(try await send(.GET, s.root + "/domains/\(s.stark)").1["activeUsersCount"] == 2)

        #expect(try await send(.DELETE, s.root + "/domains/\(s.stark)").0 == 204)
        for uid in [jon, arya] {
            let (status, body) = try await send(.GET, s.root + "/users/\(uid)")
            #expect(status == 404)
            #expect(body["message"] == "User not found with given id")
        }
        #expect(
            try await send(.GET, s.root + "/users").1.array?.compactMap { $0["email"]?.string } == [
                "tyrion@lannister.net"
            ])
        let starkUsers = try await client.send(
            HTTPRequest(.GET, s.root + "/domains/\(s.stark)/users", headers: Self.auth))
        #expect(starkUsers.header("X-Total-Count") == "0")
        let domain = try await send(.GET, s.root + "/domains/\(s.stark)").1
        #expect(domain["status"] == "DELETED" && domain["activeUsersCount"] == 0)
        // The mailboxes' own rules went with them; the domain's rule and the other
        // domain's users and rules stay.
        let state = s.sim.state()
        #expect(state["users"]?.array?.compactMap { $0["email"]?.string } == ["tyrion@lannister.net"])
        #expect(state["rules"]?.array?.compactMap { $0["value"]?.string } == ["wine@dorne.org", "bolton.net"])

        // ASSUMED: reverting the deletion brings the domain back, not its users.
        #expect(try await send(.PATCH, s.root + "/domains/\(s.stark)", ["status": "ENABLED"]).0 == 204)
        #expect(try await send(.GET, s.root + "/users/\(jon)").0 == 404)
        let (status, created) = try await send(
            .POST, s.root + "/users",
            [
                "email": "jon@stark.net", "status": "ENABLED",
                "domainId": .string(s.stark)
            ])
        #expect(status == 201)
        #expect(created["id"] != .string(jon))
    }
}
