import MXEngine
import MXJSON
import MXSandbox
import Testing

/// The language over Cleanmail, against the sandbox over HTTP.
@Suite(.serialized)
struct CleanmailAdapterTests {
    /// A loop disabling what it lists `where status=ENABLED` (a filter the vendor applies)
    /// must reach every such domain, not skip those the changes moved up a page.
    @Test func aLoopDisablingWhatItListsReachesEveryDomain() async throws {
        let f = try await SandboxFixture(seed: .generated(250))
        let (outcome, host) = await f.run(
            """
            let before = count(cm.domains where status=ENABLED)
            for d in cm.domains where status=ENABLED < disable d >
            print (before > 100) count(cm.domains where status=ENABLED)
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(host.lines.last == "true 0", "\(host.stdout) \(host.stderr)")
    }

    @Test func pagesThroughMoreThanOnePageAndPushesFiltersDown() async throws {
        let f = try await SandboxFixture(seed: .generated(230))
        let (outcome, host) = await f.run(
            """
            print count(cm.domains)
            print count(cm.domains where status=DISABLED)
            print count(cm.domains where name~"cm-domain-0012*")
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(host.lines == ["230", "32", "10"])
        let lists = try await f.requests("cleanmail").filter { $0.hasPrefix("GET /domains ") }
        // 230 domains at 100 a page: three pages for the full count.
        #expect(lists.count >= 3 + 1 + 1, "\(lists)")
    }

    @Test func mapsEveryNeutralField() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            let d = cm.domain "northwind-mail.com"
            print d.name d.status d.aliases d.destination d.failovers d.relay d.language d.description
            print d.allow d.block
            print d.raw.externalId (d.created ~ "20*")
            let f = cm.domain "fabrikam-mail.org"
            print f.destination f.language f.relay
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(
            host.lines == [
                "northwind-mail.com ENABLED [\"northwind-traders.com\", \"nwtraders.net\"] mx1.northwind-mail.com "
                    + "[\"mx2.northwind-mail.com\"] true en Northwind Traders, head office",
                "[\"partners.example.com\", \"billing@invoices.example.net\"] [\"spam-king.example\"]",
                "NW-1001 true",
                "smtp.fabrikam-mail.org:587 fr false"
            ])
    }

    @Test func createSetAliasesRulesAndDelete() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            create-domain "newco.net" destination="10.9.0.1" description="New customer" at=cm
            create-domain "newco.net" destination="10.9.0.1" description="New customer" at=cm
            let d = cm.domain "newco.net"
            set d relay=true failovers=["10.9.0.2"] language="de" allow=["good.example"] block=["bad.example"]
            add-alias d "newco.org"
            add-alias d "newco.org"
            disable d
            let e = cm.domain "newco.net"
            print e.status e.relay e.destination e.failovers e.language e.aliases e.allow e.block
            remove-alias e "newco.org"
            print (cm.domain "newco.net").aliases
            delete-domain e
            print count(cm.domains where name="newco.net")
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(
            host.lines == [
                "DISABLED true 10.9.0.1 [\"10.9.0.2\"] de [\"newco.org\"] [\"good.example\"] [\"bad.example\"]",
                "[]", "0"
            ])
        let posts = try await f.requests("cleanmail").filter { $0.hasPrefix("POST /domains ") }
        #expect(posts == ["POST /domains 201"], "the second create finds it as asked: nothing sent")
    }

    @Test func aliasHeldByAnotherDomainIsTheVendorsConflict() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run("add-alias (cm.domain \"litware-inc.com\") \"nwtraders.net\"\n")
        #expect(outcome == .failed)
        #expect(host.stderr.contains("already exists"), "\(host.stderr)")
        #expect(host.stderr.contains("cleanmail 409"), "\(host.stderr)")
    }

    @Test func users() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            let d = cm.domain "contoso-cm.net"
            for u in users of d < print u.email u.name u.status u.language >
            create-user "lee@contoso-cm.net" name="Lee Chen" at=cm
            let u = cm.user "lee@contoso-cm.net"
            set u language="fr"
            disable u
            let v = cm.user "lee@contoso-cm.net"
            print v.name v.status v.language
            delete-user v
            print count(users of d)
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(
            host.lines == [
                "kim@contoso-cm.net Kim Abercrombie ENABLED en", "patti@contoso-cm.net Patti Fuller ENABLED en",
                "Lee Chen DISABLED fr", "2"
            ])
    }

    @Test func wrongTokenIs401AndNeverShown() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            connect cleanmail as bad url="\(f.urls["cleanmail"]!)" token="Wr0ng-t0ken"
            list bad.domains
            """)
        #expect(outcome == .failed)
        #expect(host.stderr.contains("cleanmail 401"), "\(host.stderr)")
        #expect(!host.stderr.contains("Wr0ng-t0ken"))
    }

    @Test func readOnlyTokenIs403OnWrites() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            connect cleanmail as ro url="\(f.urls["cleanmail"]!)" token="sandbox-readonly-token"
            print count(ro.domains)
            disable (ro.domain "litware-inc.com")
            """)
        #expect(outcome == .failed)
        #expect(host.lines == ["12"])
        #expect(host.stderr.contains("cleanmail 403"), "\(host.stderr)")
        #expect(host.stderr.contains("no permission"))
    }

    @Test func policyWritesWithATokenThatIsNotASysadminsSaySo() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            connect cleanmail as ro url="\(f.urls["cleanmail"]!)" token="sandbox-readonly-token"
            let d = ro.domain "litware-inc.com"
            print d.policy.spamScore
            set d.policy spamScore=4
            """)
        #expect(outcome == .failed, "\(host.stderr)")
        #expect(host.lines == ["5"], "\(host.lines)")
        #expect(host.stderr.contains("a policy is changed only with a sysadmin token (403)"), "\(host.stderr)")
    }

    @Test func migrationFromOpenSRSCarriesAliasesAndIsADelta() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            copy domains where name~"*.net" from os to cm
            copy domains where name~"*.net" from os to cm
            let d = cm.domain "stark-industries.net"
            print d.aliases d.destination d.description
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(host.lines == ["[\"old.net\", \"si.net\", \"stark.net\"] 10.2.0.12 VIP"], "\(host.stderr)")
        #expect(host.stderr.contains("copied: 1 created, 0 updated, 0 already the same"), "\(host.stderr)")
        #expect(host.stderr.contains("copied: 0 created, 0 updated, 1 already the same"), "\(host.stderr)")
        // The mapping report, before anything was sent.
        #expect(
            host.stderr.contains(
                "timezone     lost: cleanmail has no such field (1 domain(s), e.g. stark-industries.net:"),
            "\(host.stderr)")
        #expect(
            host.stderr.contains(
                "at cm: 1 to create, 0 already there but different (updated), 0 already the same (left alone)"))
        #expect(host.stderr.contains("capacity: cleanmail shows no limit on domains"))
    }

    @Test func migrationReportShowsTransformsConflictsAndRefusalsBeforeSending() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            create-domain "northwind-mail.com" at=pp destination="10.0.0.1"
            copy domains where name ~ "*.eu" or name = "northwind-mail.com" from cm to pp
            """)
        // The PENDING domain with no destination cannot be created at Proofpoint.
        #expect(outcome == .failed)
        let report = host.stderr
        #expect(
            report.contains(
                "status       transformed: proofpoint holds it in its own form (1 domain(s), e.g. alpineski-house.eu: "
                    + "PENDING -> ENABLED)"
            ), "\(report)")
        #expect(report.contains("aliases      lost: proofpoint has no such field"), "\(report)")
        #expect(report.contains("created      not copied: proofpoint sets it itself"), "\(report)")
        #expect(
            report.contains(
                "at pp: 1 to create, 1 already there but different (updated), 0 already the same (left alone)"),
            "\(report)")
        #expect(report.contains("differs: northwind-mail.com: destination"), "\(report)")
        #expect(
            report.contains(
                "will fail: 1 domain(s): lacks destination, which proofpoint requires to create one (e.g. "
                    + "alpineski-house.eu)"
            ), "\(report)")
        // The report came before the first change was sent.
        let reportEnd = report.range(of: "capacity:")!.lowerBound
        #expect(!report[..<reportEnd].contains("failed"), "\(report)")
    }

    @Test func usersWhoseDomainIsMissingAreFlaggedBeforeSending() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            copy users where domain = "acme-widgets.com" from os to cm
            """)
        // The copy fails: the domain is not at Cleanmail yet, as the report said first.
        #expect(outcome == .failed)
        let report = host.stderr
        #expect(report.contains("will fail: 2 user(s): their domain is not at cm: copy the domains first"), "\(report)")
        #expect(report.contains("password  not copied: no vendor returns one"), "\(report)")
        #expect(
            report.contains("aliases   carried as email aliases of cm, each delivering to its mailbox"), "\(report)")
        #expect(report.contains("capacity: cleanmail shows no limit on users"), "\(report)")
        #expect(report.contains("domain wayne-enterprises.com does not exist") == false)
        #expect(report.contains("domain acme-widgets.com does not exist (cleanmail 400)"), "\(report)")
    }

    /// A mailbox's aliases travel as Cleanmail's email aliases (5.15), both ways.
    @Test func mailboxAliasesAreCarriedThroughEmailAliases() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            create-user "beep@acme-widgets.com" at=os aliases=["roadrunner@acme-widgets.com"]
            copy domains where name = "acme-widgets.com" from os to cm
            copy users where domain = "acme-widgets.com" from os to cm
            copy users where domain = "acme-widgets.com" from os to cm
            for g in groups of (cm.domain "acme-widgets.com") < print g.email g.members >
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(host.lines == ["roadrunner@acme-widgets.com [\"beep@acme-widgets.com\"]"], "\(host.stdout)")
        #expect(
            host.stderr.contains(
                "aliases   carried as email aliases of cm, each delivering to its mailbox (1 user(s), e.g. "
                    + "beep@acme-widgets.com: [\"roadrunner@acme-widgets.com\"])"
            ), "\(host.stderr)")
        #expect(host.stderr.contains("aliases at cm: 1 email alias(es) made, 0 already there"), "\(host.stderr)")
        #expect(
            host.stderr.contains("aliases at cm: 0 email alias(es) made, 1 already there"),
            "a re-run makes none: \(host.stderr)")

        let (back, host2) = await f.run(
            """
            create-group "nancy.d@northwind-mail.com" members=["nancy@northwind-mail.com"] at=cm
            copy domains where name = "northwind-mail.com" from cm to os
            copy users where email = "nancy@northwind-mail.com" from cm to os
            print (os.user "nancy@northwind-mail.com").aliases
            """)
        #expect(back == .ok, "\(host2.stderr)")
        #expect(host2.lines == ["[\"nancy.d@northwind-mail.com\"]"], "\(host2.stdout) \(host2.stderr)")
        #expect(
            host2.stderr.contains("aliases   carried (read from cm's email aliases that deliver to the one mailbox)"),
            "\(host2.stderr)")
    }

    @Test func userCapacityAtProofpointComesFromItsLicensing() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            copy domains where name = "acme-widgets.com" from os to cm
            copy users where domain = "acme-widgets.com" from os to cm
            copy users where domain = "acme-widgets.com" from os to cm
            print count(users of (cm.domain "acme-widgets.com"))
            create-domain "acme-widgets.com" at=pp destination="10.0.0.9"
            copy users where domain = "acme-widgets.com" from os to pp
            print count(pp.users)
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(host.lines == ["2", "8"], "\(host.stdout)")
        #expect(
            host.stderr.contains("at cm: 2 to create, 0 already there but different (updated), 0 already the same"),
            "\(host.stderr)")
        #expect(
            host.stderr.contains("at cm: 0 to create, 0 already there but different (updated), 2 already the same"),
            "\(host.stderr)")
        #expect(
            host.stderr.contains("capacity: proofpoint is licensed for 100 users; 6 now, 8 after this copy: it fits"),
            "\(host.stderr)")
    }

    @Test func listingLeavesSenderRulesUntilTheScriptReadsThem() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            for d in cm.domains < add-alias d "x-${d.name}" >
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        let requests = try await f.requests("cleanmail")
        #expect(requests.filter { $0.contains("/wblist") }.isEmpty, "\(requests)")
        #expect(requests.filter { $0.hasPrefix("POST ") }.count == 12)

        // Read, filtered on, shown or changed: then they are read (a page at a time).
        let (outcome2, host2) = await f.run(
            """
            print count(cm.domains where (count(block) > 0))
            let d = cm.domain "northwind-mail.com"
            for x in cm.domains where name = "northwind-mail.com" < set x allow=(x.allow + ["new@partner.example"]) >
            print (cm.domain "northwind-mail.com").allow
            """)
        #expect(outcome2 == .ok, "\(host2.stderr)")
        #expect(
            host2.lines == [
                "3", "[\"partners.example.com\", \"billing@invoices.example.net\", \"new@partner.example\"]"
            ], "\(host2.stdout)")
        _ = host
    }
}

/// Destinations keep their form through Cleanmail's host and port fields.
@Suite(.serialized)
struct CleanmailDestinationTests {
    @Test func ipv6WithAPortRoundTrips() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            create-domain "v6.example" destination="[2001:db8::1]:2525" failovers=["10.0.0.6:26"] at=cm
            let d = cm.domain "v6.example"
            print d.destination d.failovers
            set d destination="mx.v6.example"
            print (cm.domain "v6.example").destination
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(host.lines == ["[2001:db8::1]:2525 [\"10.0.0.6:26\"]", "mx.v6.example"])
    }
}
