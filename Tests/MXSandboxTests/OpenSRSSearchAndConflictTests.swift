import MXHTTP
import MXJSON
import MXSandbox
import Testing

/// OpenSRS searches answer summaries (name and type per row, never the attributes),
/// and the names a domain and its aliases take are one object's only.
@Suite(.serialized)
struct OpenSRSSearchAndConflictTests {
    let client = HTTPClient()

    func start() async throws -> String {
        let sim = OpenSRSSimulation()
        sim.addDomain(
            "example.com",
            [
                "aliases": ["schmemoco.com"], "allow": ["*@example.com"], "filtermx": "10.0.0.1",
                "notes_external": "Gold support"
            ])
        sim.addDomain("other.org", ["aliases": ["other.net", "Other.Info"], "disabled": true])
        sim.addUser("ann@example.com", ["name": "Ann", "aliases": ["anne@example.com"]])
        sim.addUser("bob@other.org", ["name": "Bob"])
        let ports = try await Sandbox(simulations: [sim]).start()
        return "http://127.0.0.1:\(ports[0])/api/"
    }

    func call(_ base: String, _ method: String, _ fields: JSONObject) async throws -> JSON {
        var body = fields
        body["credentials"] = ["user": "admin@example.com", "password": "sandbox"]
        let r = try await client.send(
            HTTPRequest(
                .POST, base + method, headers: [("Content-Type", "application/json")],
                body: JSON.object(body).bytes))
        #expect(r.status == 200)
        return (try? JSON.parse(r.body)) ?? .null
    }

    // MARK: summaries

    @Test func searchDomainsAnswersNamesAndTypesOnly() async throws {
        let base = try await start()
        let r = try await call(base, "search_domains", [:])
        let expected: JSON = [
            "success": true, "count": 5, "total": 5,
            "domains": [
                ["domain": "example.com", "type": "domain"], ["domain": "other.info", "type": "alias"],
                ["domain": "other.net", "type": "alias"], ["domain": "other.org", "type": "domain"],
                ["domain": "schmemoco.com", "type": "alias"]
            ]
        ]
        #expect(r == expected)
        #expect(r.object?.keys == ["success", "count", "total", "domains"])
        // The attributes are get_domain's.
        #expect(try await call(base, "get_domain", ["domain": "example.com"])["attributes"]?["filtermx"] == "10.0.0.1")
    }

    @Test func searchDomainsCriteriaRangeAndSort() async throws {
        let base = try await start()
        var r = try await call(base, "search_domains", ["criteria": ["type": ["domain"]]])
        #expect(
            r == [
                "success": true, "count": 2, "total": 2,
                "domains": [["domain": "example.com", "type": "domain"], ["domain": "other.org", "type": "domain"]]
            ])
        r = try await call(base, "search_domains", ["criteria": ["match": "OTHER.*", "type": ["alias"]]])
        #expect(r["domains"] == [["domain": "other.info", "type": "alias"], ["domain": "other.net", "type": "alias"]])
        r = try await call(
            base, "search_domains",
            ["range": ["first": 1, "limit": 2], "sort": ["by": "domain", "direction": "descending"]])
        #expect(r["count"] == 2 && r["total"] == 5)
        #expect(r["domains"] == [["domain": "other.org", "type": "domain"], ["domain": "other.net", "type": "alias"]])
        r = try await call(base, "search_domains", ["sort": ["by": "type"], "range": ["limit": 1]])
        #expect(r["domains"] == [["domain": "other.info", "type": "alias"]])
        r = try await call(
            base, "search_domains",
            [
                "range": ["first": -1, "limit": "ten"], "sort": ["by": "createtime"],
                "criteria": ["type": ["mailbox"]]
            ])
        #expect(
            r == [
                "success": false, "error": "Attribute is badly formatted", "error_number": 6,
                "hints": [
                    "criteria.type": "a list of: domain, alias", "range.first": "a number from 0",
                    "range.limit": "a number from 0", "sort.by": "domain or type"
                ]
            ])
        // A deleted domain and its aliases are found only among the deleted.
        _ = try await call(base, "delete_user", ["user": "bob@other.org"])
        #expect(try await call(base, "delete_domain", ["domain": "other.org"])["success"] == true)
        #expect(try await call(base, "search_domains", [:])["total"] == 2)
        r = try await call(base, "search_domains", ["criteria": ["deleted": true]])
        #expect(
            r["domains"] == [
                ["domain": "other.info", "type": "alias"], ["domain": "other.net", "type": "alias"],
                ["domain": "other.org", "type": "domain"]
            ])
    }

    @Test func searchUsersAnswersAddressesAndTypesOnly() async throws {
        let base = try await start()
        var r = try await call(base, "search_users", ["criteria": ["domain": "example.com"]])
        #expect(
            r == [
                "success": true, "count": 2, "total": 2,
                "users": [
                    ["user": "ann@example.com", "type": "mailbox"], ["user": "anne@example.com", "type": "alias"]
                ]
            ])
        r = try await call(base, "search_users", ["criteria": ["type": ["mailbox"]], "range": ["first": 0, "limit": 1]])
        #expect(
            r == ["success": true, "count": 1, "total": 2, "users": [["user": "ann@example.com", "type": "mailbox"]]])
        #expect(try await call(base, "get_user", ["user": "ann@example.com"])["attributes"]?["name"] == "Ann")
    }

    // MARK: conflicts

    @Test func anAliasOfAnotherDomainIsError7() async throws {
        let base = try await start()
        for alias in ["schmemoco.com", "SCHMEMOCO.com"] {
            let r = try await call(
                base, "change_domain", ["domain": "other.org", "attributes": ["aliases": ["other.net", .string(alias)]]]
            )
            #expect(
                r == [
                    "success": false, "error": "Object exists", "error_number": 7,
                    "hints": ["aliases": "schmemoco.com is an alias of example.com"]
                ])
        }
        // Nothing changed; and sending a domain's own aliases again is fine.
        #expect(
            try await call(base, "get_domain", ["domain": "other.org"])["attributes"]?["aliases"] == [
                "other.net", "other.info"
            ])
        #expect(
            try await call(base, "change_domain", ["domain": "other.org", "attributes": ["aliases": ["Other.NET"]]])[
                "success"] == true)
        #expect(try await call(base, "get_domain", ["domain": "other.org"])["attributes"]?["aliases"] == ["other.net"])
        // The alias it gave up is free again.
        #expect(
            try await call(base, "change_domain", ["domain": "example.com", "attributes": ["aliases": ["other.info"]]])[
                "success"] == true)
    }

    @Test func anAliasThatIsADomainIsError7() async throws {
        let base = try await start()
        let r = try await call(
            base, "change_domain", ["domain": "example.com", "attributes": ["aliases": ["Other.org"]]])
        #expect(
            r == [
                "success": false, "error": "Object exists", "error_number": 7,
                "hints": ["aliases": "other.org is a domain"]
            ])
        // A new domain may not take an existing domain's name as its alias either.
        let created = try await call(
            base, "change_domain", ["domain": "new.com", "attributes": ["aliases": ["example.com"]]])
        #expect(created["error_number"] == 7)
        #expect(try await call(base, "get_domain", ["domain": "new.com"])["error_number"] == 2)
    }

    @Test func anAliasThatIsTheDomainItselfIsError6() async throws {
        let base = try await start()
        let r = try await call(
            base, "change_domain", ["domain": "example.com", "attributes": ["aliases": ["EXAMPLE.com"]]])
        #expect(
            r == [
                "success": false, "error": "Attribute is badly formatted", "error_number": 6,
                "hints": ["aliases": "example.com is the domain itself"]
            ])
    }

    @Test func aDomainNamedLikeAnAliasIsError3() async throws {
        let base = try await start()
        for name in ["schmemoco.com", "Schmemoco.COM"] {
            let r = try await call(
                base, "change_domain", ["domain": .string(name), "attributes": ["filtermx": "10.9.9.9"]])
            #expect(
                r == [
                    "success": false, "error": "Object is an alias", "error_number": 3,
                    "hints": ["domain": "schmemoco.com is an alias of example.com"]
                ])
        }
        // A mailbox lives in the domain, not in its alias.
        let u = try await call(base, "change_user", ["user": "zed@schmemoco.com"])
        #expect(u["error_number"] == 3)
        #expect(try await call(base, "search_domains", ["criteria": ["type": ["domain"]]])["total"] == 2)
    }
}
