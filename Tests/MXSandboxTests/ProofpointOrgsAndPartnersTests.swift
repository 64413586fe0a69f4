import MXHTTP
import MXJSON
import MXSandbox
import Testing

/// Proofpoint beyond domains: a missing domain as the documents answer it, the
/// organisation, licensing, package, features, sender lists, users' lists and aliases,
/// DKIM, a partner's customers, and the 207 batches.
@Suite(.serialized)
struct ProofpointOrgsAndPartnersTests {
    let client = HTTPClient()
    static let partner: [(name: String, value: String)] = [("X-User", "admin@example.com"), ("X-Password", "sandbox")]
    static let customerAdmin: [(name: String, value: String)] = [
        ("X-User", "admin@northwind.example"), ("X-Password", "sandbox")
    ]

    /// The demo seed: example.com, a channel partner, and its three customers.
    func start() async throws -> String {
        let sim = ProofpointSimulation()
        sim.seed(.demo)
        let ports = try await Sandbox(simulations: [sim]).start()
        return "http://127.0.0.1:\(ports[0])/api/v1"
    }

    func send(
        _ method: HTTPRequest.Method, _ url: String, _ body: JSON? = nil,
        headers: [(name: String, value: String)] = partner
    ) async throws -> (Int, JSON) {
        let r = try await client.send(
            HTTPRequest(
                method, url, headers: headers + [("Content-Type", "application/json")],
                body: body?.bytes ?? []))
        return (r.status, (try? JSON.parse(r.body)) ?? .null)
    }

    // MARK: a missing domain

    @Test func aMissingDomainIs403IncorrectDomainNot404() async throws {
        let base = try await start()
        let expected: JSON = [
            "errors": ["incorrect domain: organisation example.com is not associated with the domain nope.com"]
        ]
        let d: JSON = [
            "name": "nope.com", "is_active": true, "is_relay": false, "destination": "10.0.0.1", "failovers": []
        ]
        for (method, body) in [(HTTPRequest.Method.GET, nil), (.PUT, d), (.DELETE, nil)]
            as [(HTTPRequest.Method, JSON?)]
        {
            let (status, r) = try await send(method, base + "/orgs/example.com/domains/nope.com", body)
            #expect(status == 403)
            #expect(r == expected)
        }
        // Another organisation's domain is not this one's either.
        #expect(try await send(.GET, base + "/orgs/example.com/domains/tailspin.example").0 == 403)
        // A typo'd organisation says so, in other words.
        let (status, r) = try await send(.GET, base + "/orgs/exmaple.com/domains/got.com")
        #expect(status == 403 && r == ["errors": ["not authorized for organisation exmaple.com"]])
    }

    // MARK: the organisation

    @Test func theOrganisationReadsAndUpdates() async throws {
        let base = try await start()
        var (status, org) = try await send(.GET, base + "/orgs/example.com")
        #expect(status == 200)
        #expect(
            org["primary_domain"] == "example.com" && org["name"] == "Example Partner Ltd"
                && org["type"] == "channel_partner")
        #expect(
            org["domains"]?.array?.count == 12 && org["user_licenses"] == 100 && org["licensing_package"] == "business")
        #expect(org["active_users"] == 5 && org["package"]?["package"] == "Business" && org["parent_org"] == nil)
        #expect(
            try await send(.PATCH, base + "/orgs/example.com", ["name": "Example Partners", "phone": "555-0100"]).0
                == 204)
        #expect(try await send(.PUT, base + "/orgs/example.com", ["www": "https://example.com"]).0 == 204)
        (status, org) = try await send(.GET, base + "/orgs/example.com")
        #expect(org["name"] == "Example Partners" && org["phone"] == "555-0100" && org["www"] == "https://example.com")
        let (bad, errors) = try await send(
            .PATCH, base + "/orgs/example.com", ["eid": 1, "is_active": "yes", "primary_domain": "x.com"])
        #expect(bad == 422)
        #expect(
            errors == [
                "errors": [
                    "eid": "not a writable field of the organisation", "is_active": "true or false",
                    "primary_domain": "not a writable field of the organisation"
                ]
            ])
    }

    @Test func licensingReadsAndUpdates() async throws {
        let base = try await start()
        var (status, l) = try await send(.GET, base + "/orgs/example.com/licensing")
        #expect(status == 200)
        #expect(
            l == [
                "licensed_users": 100, "package": "Business", "is_on_trial": false, "is_beginner_plus": false,
                "active_users": 5
            ])
        #expect(
            try await send(.PUT, base + "/orgs/example.com/licensing", ["license_count": 150, "is_on_trial": true]).0
                == 204)
        (status, l) = try await send(.GET, base + "/orgs/example.com/licensing")
        #expect(l["licensed_users"] == 150 && l["is_on_trial"] == true)
        let (bad, errors) = try await send(
            .PUT, base + "/orgs/example.com/licensing", ["package": "Gold", "active_users": 3, "licensed_users": -1])
        #expect(bad == 422)
        #expect(
            errors == [
                "errors": [
                    "active_users": "read-only: the organisation's active users",
                    "licensed_users": "a number of licences from 0",
                    "package": "one of: Beginner, Business, Advanced, Professional"
                ]
            ])
    }

    @Test func thePackageIsUpdatedAndReadThroughTheOrganisation() async throws {
        let base = try await start()
        #expect(
            try await send(
                .PUT, base + "/orgs/example.com/package", ["package": "professional", "is_trial_extended": true]
            ).0 == 204)
        let (_, org) = try await send(.GET, base + "/orgs/example.com")
        #expect(org["licensing_package"] == "professional")
        #expect(
            org["package"] == [
                "package": "Professional", "is_activated": true, "is_eula_confirmed": true, "is_trial_extended": true
            ])
        #expect(try await send(.GET, base + "/orgs/example.com/licensing").1["package"] == "Professional")
        // Update only.
        let r = try await client.send(HTTPRequest(.GET, base + "/orgs/example.com/package", headers: Self.partner))
        #expect(r.status == 405 && r.headers.first { $0.name.lowercased() == "allow" }?.value == "PUT")
        #expect(
            try await send(.PUT, base + "/orgs/example.com/package", ["package": "Gold"]) == (
                422, ["errors": ["package": "one of: Beginner, Business, Advanced, Professional"]]
            ))
    }

    @Test func featuresReadAndSwitch() async throws {
        let base = try await start()
        let (_, f) = try await send(.GET, base + "/orgs/example.com/features")
        #expect(f["url_defense"] == false && f["outbound_relaying"] == true && f["instant_replay"] == 30)
        #expect(
            try await send(.PUT, base + "/orgs/example.com/features", ["url_defense": true, "instant_replay": 14]).0
                == 204)
        let (_, after) = try await send(.GET, base + "/orgs/example.com/features")
        #expect(after["url_defense"] == true && after["instant_replay"] == 14)
        #expect(
            try await send(
                .PUT, base + "/orgs/example.com/features", ["url_defense": "on", "teleport": true, "instant_replay": 31]
            ) == (
                422,
                [
                    "errors": [
                        "instant_replay": "a number of days from 0 to 30", "teleport": "not a feature",
                        "url_defense": "true or false"
                    ]
                ]
            ))
    }

    @Test func theOrganisationsSenderLists() async throws {
        let base = try await start()
        #expect(
            try await send(.GET, base + "/orgs/example.com/sender-lists") == (
                200, ["allow_list": ["*@trusted.example"], "block_list": ["spam@bad.example", "junk.example"]]
            ))
        #expect(
            try await send(
                .PUT, base + "/orgs/example.com/sender-lists",
                ["allow_list": ["*@trusted.example", "ceo@partner.example"]]
            ).0 == 204)
        #expect(
            try await send(.GET, base + "/orgs/example.com/sender-lists").1 == [
                "allow_list": ["*@trusted.example", "ceo@partner.example"],
                "block_list": ["spam@bad.example", "junk.example"]
            ])
        #expect(
            try await send(
                .PUT, base + "/orgs/example.com/sender-lists", ["block_list": ["not an address"], "grey_list": []]) == (
                    422,
                    [
                        "errors": [
                            "block_list": "not an address is not an address, *@domain or domain",
                            "grey_list": "not a sender list (allow_list, block_list)"
                        ]
                    ]
                ))
    }

    // MARK: users' lists and aliases

    @Test func usersSenderListsAndAliases() async throws {
        let base = try await start()
        let users = base + "/orgs/example.com/users"
        let (status, created) = try await send(
            .POST, users,
            [
                "primary_email": "bran@winterfell.org", "firstname": "Bran",
                "alias_emails": ["raven@winterfell.org"], "white_list_senders": ["*@north.example"]
            ])
        #expect(status == 201)
        #expect(
            created["alias_emails"] == ["raven@winterfell.org"] && created["black_list_senders"] == []
                && created["type"] == "end_user")
        #expect(
            try await send(.PUT, users + "/bran@winterfell.org", ["black_list_senders": ["walker@beyond.example"]]).0
                == 204)
        let (_, u) = try await send(.GET, users + "/bran@winterfell.org")
        #expect(u["white_list_senders"] == ["*@north.example"] && u["black_list_senders"] == ["walker@beyond.example"])
        // An alias outside the organisation's domains, another user's address, a public client's other list name.
        #expect(
            try await send(.PUT, users + "/bran@winterfell.org", ["alias_emails": ["bran@elsewhere.example"]]) == (
                422,
                ["errors": ["alias_emails": "bran@elsewhere.example is not an address in a domain of the organisation"]]
            ))
        #expect(
            try await send(.PUT, users + "/bran@winterfell.org", ["alias_emails": ["jon@winterfell.org"]]) == (
                409, ["errors": ["jon@winterfell.org is already an address of jon@winterfell.org"]]
            ))
        #expect(try await send(.POST, users, ["primary_email": "raven@winterfell.org"]).0 == 409)
        #expect(
            try await send(.PUT, users + "/bran@winterfell.org", ["safe_list_senders": []]) == (
                422, ["errors": ["safe_list_senders": "not a field of a user"]]
            ))
        // A missing user stays 404 (the documents' 403 is about domains).
        #expect(
            try await send(.GET, users + "/nobody@winterfell.org") == (
                404, ["errors": ["user nobody@winterfell.org not found"]]
            ))
    }

    // MARK: DKIM

    @Test func aDomainsDKIMKey() async throws {
        let base = try await start()
        let dkim = base + "/orgs/example.com/domains/got.com/dkim"
        #expect(try await send(.GET, dkim) == (404, ["errors": ["no DKIM key for got.com"]]))
        let (status, key) = try await send(.POST, dkim, ["selector": "pp1", "key_size": 1024])
        #expect(status == 201)
        #expect(key["txt_name"] == "pp1._domainkey.got.com" && key["is_enabled"] == false && key["key_size"] == 1024)
        #expect(key["txt_record"]?.string?.hasPrefix("v=DKIM1; k=rsa; p=MIIB") == true)
        #expect(try await send(.POST, dkim).0 == 409)
        #expect(try await send(.PUT, dkim, ["is_enabled": true]).0 == 204)
        #expect(try await send(.GET, dkim).1["is_enabled"] == true)
        #expect(try await send(.PUT, dkim, ["selector": "x"]).0 == 422)
        #expect(try await send(.DELETE, dkim).0 == 204)
        #expect(try await send(.DELETE, dkim).0 == 404)
        #expect(try await send(.GET, base + "/orgs/example.com/domains/nope.com/dkim").0 == 403)
    }

    // MARK: partners

    @Test func aPartnersCustomersAreListedAndReachedWithThePartnersCredentials() async throws {
        let base = try await start()
        let (status, list) = try await send(.GET, base + "/orgs/example.com/orgs")
        #expect(status == 200)
        let orgs = try #require(list["orgs"]?.array)
        #expect(
            orgs.compactMap { $0["primary_domain"]?.string } == [
                "northwind.example", "fabrikam.example", "tailspin.example"
            ])
        #expect(orgs.compactMap { $0["name"]?.string } == ["Northwind Traders", "Fabrikam Inc", "Tailspin Toys"])
        #expect(orgs.allSatisfy { $0["parent_org"] == "example.com" && $0["type"] == "organization" })
        #expect(orgs[1]["domains"]?.array?.count == 3 && orgs[1]["licensing_package"] == "advanced")
        let (ds, domains) = try await send(.GET, base + "/orgs/fabrikam.example/domains")
        #expect(
            ds == 200
                && domains["domains"]?.array?.compactMap { $0["name"]?.string } == [
                    "fabrikam.example", "fabrikam.net.example", "fabrikam-labs.example"
                ])
        let (us, users) = try await send(.GET, base + "/orgs/northwind.example/users")
        #expect(us == 200 && users["users"]?.array?.count == 3)
        #expect(users["users"]?.array?.first?["alias_emails"] == ["nancy.davolio@northwind.example"])
        // A customer has no customers.
        #expect(try await send(.GET, base + "/orgs/tailspin.example/orgs") == (200, ["orgs": []]))
    }

    @Test func aCustomersOwnAdministratorReachesThatCustomerOnly() async throws {
        let base = try await start()
        #expect(try await send(.GET, base + "/orgs/northwind.example/domains", headers: Self.customerAdmin).0 == 200)
        #expect(
            try await send(.GET, base + "/orgs/fabrikam.example", headers: Self.customerAdmin) == (
                403, ["errors": ["not authorized for organisation fabrikam.example"]]
            ))
        #expect(try await send(.GET, base + "/orgs/example.com/orgs", headers: Self.customerAdmin).0 == 403)
        #expect(
            try await send(
                .POST, base + "/orgs/northwind.example/orgs", ["primary_domain": "sub.example", "name": "Sub"],
                headers: Self.customerAdmin) == (
                    403, ["errors": ["not authorized: organisation northwind.example is not a partner"]]
                ))
    }

    @Test func aPartnerCreatesACustomer() async throws {
        let base = try await start()
        let body: JSON = [
            "primary_domain": "wingtip.example", "name": "Wingtip Toys", "user_licenses": 20,
            "licensing_package": "Beginner",
            "domains": [
                [
                    "name": "wingtip.example", "is_active": true, "is_relay": false, "destination": "10.6.0.1",
                    "failovers": []
                ],
                [
                    "name": "wingtip-mail.example", "is_active": true, "is_relay": true, "destination": "10.6.0.2",
                    "failovers": []
                ]
            ],
            "admin_user": ["primary_email": "it@wingtip.example", "firstname": "IT", "surname": "Desk"]
        ]
        let (status, org) = try await send(.POST, base + "/orgs/example.com/orgs", body)
        #expect(status == 201)
        #expect(
            org["primary_domain"] == "wingtip.example" && org["parent_org"] == "example.com"
                && org["user_licenses"] == 20)
        #expect(org["licensing_package"] == "beginner" && org["domains"]?.array?.count == 2)
        let (_, users) = try await send(.GET, base + "/orgs/wingtip.example/users")
        #expect(users["users"]?.array?.first?["type"] == "organization_admin")
        #expect(try await send(.GET, base + "/orgs/example.com/orgs").1["orgs"]?.array?.count == 4)
        // Without domains, the primary domain is made one, inactive.
        let (s2, bare) = try await send(
            .POST, base + "/orgs/example.com/orgs", ["primary_domain": "bare.example", "name": "Bare"])
        #expect(
            s2 == 201
                && bare["domains"] == [
                    ["name": "bare.example", "is_active": false, "is_relay": false, "destination": nil, "failovers": []]
                ])
        #expect(
            try await send(.POST, base + "/orgs/example.com/orgs", ["primary_domain": "bare.example", "name": "Again"])
                == (409, ["errors": ["organisation bare.example already exists"]]))
        #expect(
            try await send(.POST, base + "/orgs/example.com/orgs", ["primary_domain": "got.com", "name": "Taken"]) == (
                409, ["errors": ["domain got.com already exists on the platform"]]
            ))
        #expect(
            try await send(.POST, base + "/orgs/example.com/orgs", ["primary_domain": "x", "colour": "red"]) == (
                422,
                [
                    "errors": [
                        "colour": "not a field of an organisation", "name": "required text",
                        "primary_domain": "required, a domain name"
                    ]
                ]
            ))
    }

    // MARK: 207 batches

    @Test func batchesOfDomainsAndUsersAnswer207PerItem() async throws {
        let base = try await start()
        func domain(_ n: String) -> JSON {
            ["name": .string(n), "is_active": true, "is_relay": false, "destination": "10.7.0.1", "failovers": []]
        }
        let (status, r) = try await send(
            .POST, base + "/orgs/tailspin.example/domains",
            [domain("one.example"), domain("got.com"), ["name": "half.example"], domain("two.example")])
        #expect(status == 207)
        let results = try #require(r["results"]?.array)
        #expect(results.compactMap { $0["status"]?.int } == [201, 409, 422, 201])
        #expect(results[0] == ["status": 201, "body": domain("one.example")])
        #expect(results[1] == ["status": 409, "errors": ["domain got.com already exists on the platform"]])
        #expect(results[2]["errors"]?["destination"] != nil)
        #expect(try await send(.GET, base + "/orgs/tailspin.example/domains").1["domains"]?.array?.count == 3)

        let (us, ur) = try await send(
            .POST, base + "/orgs/tailspin.example/users",
            [
                ["primary_email": "cy@tailspin.example", "firstname": "Cy"], ["primary_email": "ann@tailspin.example"],
                ["primary_email": "zed@nowhere.example"], ["firstname": "No address"]
            ])
        #expect(us == 207)
        let items = try #require(ur["results"]?.array)
        #expect(items.compactMap { $0["status"]?.int } == [201, 409, 422, 422])
        #expect(items[0]["body"]?["primary_email"] == "cy@tailspin.example")
        #expect(items[1] == ["status": 409, "errors": ["user ann@tailspin.example already exists"]])
        #expect(
            items[2] == [
                "status": 422, "errors": ["primary_email": "domain nowhere.example is not in the organisation"]
            ])
        #expect(try await send(.POST, base + "/orgs/tailspin.example/users", []).0 == 400)
    }
}
