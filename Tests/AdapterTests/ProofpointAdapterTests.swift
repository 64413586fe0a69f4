import MXEngine
import MXJSON
import Testing

/// The language over Proofpoint Essentials, against the sandbox over HTTP.
@Suite(.serialized)
struct ProofpointAdapterTests {
    @Test func listsAndFiltersDomains() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            print count(pp.domains)
            for d in pp.domains where status=DISABLED < print d.name d.relay d.destination >
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(
            host.lines == ["12", "dragonstone.io false 10.0.2.1", "old.com false 10.9.9.9", "pyke.net true 10.0.3.3"])
    }

    @Test func showsOneDomainWithItsRawRecord() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (_, host) = await f.run(
            """
            let d = pp.domain "winterfell.org"
            print d.name d.status d.relay d.failovers d.raw.is_relay d.aliases
            """)
        #expect(host.lines == ["winterfell.org ENABLED true [\"10.0.1.7\"] true none"], "\(host.stderr)")
    }

    @Test func createSetDisableDeleteAndIdempotence() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            create-domain "new.com" destination="1.2.3.4" at=pp
            create-domain "new.com" destination="1.2.3.4" at=pp
            let d = pp.domain "new.com"
            set d relay=true failovers=["5.6.7.8"]
            disable d
            print d.status d.relay d.failovers
            let e = pp.domain "new.com"
            print e.status e.relay e.failovers e.destination
            delete-domain e
            print count(pp.domains)
            """, use: "pp")
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(host.lines == ["DISABLED true [\"5.6.7.8\"]", "DISABLED true [\"5.6.7.8\"] 1.2.3.4", "12"])
        let log = try await f.requests("proofpoint")
        // The second create finds the domain as asked when it reads first: nothing sent.
        #expect(log.filter { $0.hasPrefix("POST") } == ["POST /api/v1/orgs/example.com/domains/new.com 201"])
        #expect(log.contains("PUT /api/v1/orgs/example.com/domains/new.com 204"))
        #expect(log.contains("DELETE /api/v1/orgs/example.com/domains/new.com 204"))
    }

    /// Creating a domain that exists with other values is refused, naming the fields,
    /// before anything is sent (the create reads first).
    @Test func conflictWithOtherFieldsIsRefusedNamingTheFields() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run("create-domain \"got.com\" destination=\"9.9.9.9\" at=pp\n")
        #expect(outcome == .failed)
        #expect(
            host.stderr.contains("domain got.com already exists with other values of destination"), "\(host.stderr)")
        #expect(try await f.requests("proofpoint").filter { $0.hasPrefix("POST") }.isEmpty)
    }

    @Test func missingDestinationIsRefusedBeforeSending() async throws {
        let f = try await SandboxFixture(seed: .demo)
        // Written without one: check refuses the script.
        let (checked, checkHost) = await f.run("create-domain \"nodest.com\" at=pp\n")
        #expect(checked == .invalid)
        #expect(checkHost.stderr.contains("proofpoint needs destination to create-domain"), "\(checkHost.stderr)")
        // A destination that is none when the line runs: the adapter refuses it unsent.
        let (outcome, host) = await f.run("let d = none\ncreate-domain \"nodest.com\" at=pp destination=d\n")
        #expect(outcome == .failed)
        #expect(host.stderr.contains("needs a destination"), "\(host.stderr)")
        #expect(try await f.requests("proofpoint").allSatisfy { !$0.hasPrefix("POST") })
    }

    @Test func wrongPasswordIs401AndNotPrinted() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            connect proofpoint as bad url="\(f.urls["proofpoint"]!)" org="example.com" user="admin@example.com" \
            password="Wr0ng-Pa55"
            list bad.domains
            """)
        #expect(outcome == .failed)
        #expect(host.stderr.contains("invalid credentials"), "\(host.stderr)")
        #expect(host.stderr.contains("401"))
        #expect(!host.stderr.contains("Wr0ng-Pa55") && !host.stdout.contains("Wr0ng-Pa55"))
    }

    @Test func unknownOrganisationIs403() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            connect proofpoint as other url="\(f.urls["proofpoint"]!)" org="nope.com" user="admin@example.com" \
            password="sandbox"
            list other.domains
            """)
        #expect(outcome == .failed)
        #expect(host.stderr.contains("not authorized for this organisation"), "\(host.stderr)")
    }

    @Test func usersOfADomain() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            let d = pp.domain "winterfell.org"
            for u in users of d < print u.email u.name u.status >
            create-user "bran@winterfell.org" name="Bran Stark" at=pp
            print count(users of d)
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(host.lines == ["jon@winterfell.org Jon Snow ENABLED", "arya@winterfell.org Arya Stark ENABLED", "3"])
    }

    @Test func writesTheVendorCannotDoAreRefusedBeforeAnyRequest() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            for d in pp.domains < add-alias d "x.net" >
            """)
        #expect(outcome == .invalid)
        #expect(host.stderr.contains("proofpoint cannot add-alias"), "\(host.stderr)")
        #expect(try await f.requests("proofpoint").isEmpty)
    }
}

/// The organisation's single objects: pp.org, pp.licensing, pp.features, pp.senders.
@Suite(.serialized)
struct ProofpointOrganisationTests {
    @Test func organisationLicensingFeaturesAndSenderLists() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            print pp.org.primary_domain pp.licensing.licensed_users pp.features.url_defense pp.senders.allow_list
            set pp.licensing licensed_users=150 package="advanced"
            set pp.features url_defense=true instant_replay=14
            set pp.senders block_list=["spam@bad.example"]
            set pp.features url_defense=true
            print pp.licensing.licensed_users pp.licensing.package pp.features.url_defense pp.features.instant_replay \
            pp.senders.block_list
            """, echo: true)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(
            host.lines == [
                "example.com 100 false [\"*@trusted.example\"]",
                "150 Advanced true 14 [\"spam@bad.example\"]"
            ], "\(host.stdout)")
        #expect(host.stderr.contains("= settings \"features\" at pp: already as asked"), "\(host.stderr)")
        let puts = try await f.requests("proofpoint").filter { $0.hasPrefix("PUT") }
        #expect(
            puts == [
                "PUT /api/v1/orgs/example.com/licensing 204", "PUT /api/v1/orgs/example.com/features 204",
                "PUT /api/v1/orgs/example.com/sender-lists 204"
            ], "\(puts)")
    }

    @Test func readOnlyMembersAndBadValuesAreRefusedBeforeSending() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run("set pp.org primary_domain=\"x.com\"\nset pp.features instant_replay=45\n")
        #expect(outcome == .invalid)
        #expect(host.stderr.contains("org field 'primary_domain' is read-only"), "\(host.stderr)")
        #expect(host.stderr.contains("instant_replay takes a whole number from 0 to 30, not 45"), "\(host.stderr)")
    }
}
