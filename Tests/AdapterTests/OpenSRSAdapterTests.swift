import MXEngine
import MXJSON
import MXSandbox
import Testing

/// The language over OpenSRS Email, against the sandbox over HTTP.
@Suite(.serialized)
struct OpenSRSAdapterTests {
    @Test func listsFiltersAndPagesThroughSearchDomains() async throws {
        let f = try await SandboxFixture(seed: .generated(250))
        let (outcome, host) = await f.run(
            """
            print count(os.domains)
            print count(os.domains where status=DISABLED)
            list os.domains where name~"os-domain-0012*"
            """, format: .csv)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(host.lines.prefix(2) == ["250", "35"])
        let log = try await f.requests("opensrs")
        // 250 domains, 100 a page: three calls for each full count.
        #expect(log.filter { $0 == "POST /api/search_domains 200" }.count >= 6)
        // The name pattern went to the vendor: the listing took one call and got 10 rows.
        #expect(host.lines.count == 2 + 1 + 10, "\(host.stdout)")
    }

    /// Pages are read by position: a loop deleting what it lists must still see every
    /// domain (the listing is read whole first), not skip those the deletes moved up.
    @Test func aLoopDeletingWhatItListsReachesEveryDomain() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let names = (1...150).map { "\"zz-\($0).example\"" }.joined(separator: ", ")
        let (outcome, host) = await f.run(
            """
            for name in [\(names)] < create-domain name at=os >
            let n = 0
            for d in os.domains where name ~ "zz-*" < delete-domain d
                n = n + 1 >
            print n count(os.domains where name ~ "zz-*")
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(host.lines.last == "150 0", "\(host.stdout) \(host.stderr)")
    }

    @Test func getDomainMapsEveryField() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            let d = os.domain "acme-widgets.com"
            print d.name d.status d.aliases d.destination d.allow d.block d.language d.timezone d.description
            print d.raw.attributes.company d.created
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(
            host.lines.first
                == "acme-widgets.com ENABLED [\"acme.net\", \"acmewidgets.co\"] mx.acme-widgets.com "
                + "[\"*@partner.example\"] [\"spam@bad.example\"] en UTC Gold support"
        )
        #expect(host.lines.last?.hasPrefix("Sandbox Co 2011-11-2") == true, "\(host.stdout)")
    }

    @Test func aliasesAddRemoveAndIdempotence() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            let d = os.domain "globex.org"
            add-alias d "globex.net"
            add-alias d "globex.net"
            remove-alias d "globex-corp.com"
            remove-alias d "never.net"
            print d.aliases
            print (os.domain "globex.org").aliases
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(host.lines == ["[\"globex.net\"]", "[\"globex.net\"]"])
        let changes = try await f.requests("opensrs").filter { $0.contains("change_domain") }
        #expect(changes.count == 2, "only real changes are sent: \(changes)")
    }

    @Test func createSetDeleteAndErrors() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            create-domain "fresh.io" description="new customer" at=os
            create-domain "fresh.io" description="new customer" at=os
            let d = os.domain "fresh.io"
            set d language="de" timezone="Europe/Berlin" allow=["*@fresh.io"]
            disable d
            let e = os.domain "fresh.io"
            print e.status e.language e.timezone e.allow e.description
            delete-domain e
            print count(os.domains where name="fresh.io")
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(host.lines == ["DISABLED de Europe/Berlin [\"*@fresh.io\"] new customer", "0"])
    }

    @Test func conflictingCreateIsRefusedNamingTheFields() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run("create-domain \"globex.org\" description=\"other\" at=os\n")
        #expect(outcome == .failed)
        #expect(
            host.stderr.contains("domain globex.org already exists with other values of description"), "\(host.stderr)")
        #expect(try await f.requests("opensrs").filter { $0.contains("change_domain") }.isEmpty)
    }

    @Test func domainWithUsersCannotBeDeleted() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run("delete-domain (os.domain \"acme-widgets.com\")\n")
        #expect(outcome == .failed)
        #expect(host.stderr.contains("object not empty"), "\(host.stderr)")
        #expect(host.stderr.contains("opensrs 10"))
    }

    @Test func missingDomainIsAClearError() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run("print (os.domain \"nope.example\").name\n")
        #expect(outcome == .failed)
        #expect(host.stderr.contains("no domain 'nope.example' at os"), "\(host.stderr)")
    }

    @Test func wrongPasswordIsErrorOneAndNeverShown() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            connect opensrs as bad url="\(f.urls["opensrs"]!)" user="admin@example.com" password="Wr0ng-Pa55"
            list bad.domains
            """)
        #expect(outcome == .failed)
        #expect(host.stderr.contains("invalid credentials"), "\(host.stderr)")
        #expect(host.stderr.contains("opensrs 1)"))
        #expect(!host.stderr.contains("Wr0ng-Pa55"))
    }

    @Test func users() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            let d = os.domain "acme-widgets.com"
            for u in users of d < print u.email u.name u.status >
            create-user "bugs@acme-widgets.com" name="Bugs Bunny" at=os
            let u = os.user "bugs@acme-widgets.com"
            set u language="fr"
            disable u
            print (os.user "bugs@acme-widgets.com").status (os.user "bugs@acme-widgets.com").language
            delete-user u
            print count(users of d)
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        // search_users answers in name order.
        #expect(
            host.lines == [
                "road@acme-widgets.com Road Runner ENABLED", "wile@acme-widgets.com Wile E. Coyote ENABLED",
                "DISABLED fr", "2"
            ])
    }

    @Test func retryableErrorNumbersAreRetriedByTheClient() async throws {
        var faults = FaultOptions()
        faults.failRate = 0.3
        let f = try await SandboxFixture(seed: .demo, faults: faults)
        let (outcome, host) = await f.run(
            """
            for d in os.domains < add-alias d "shared-${d.name}" >
            print count(os.domains where aliases has "shared-globex.org")
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(host.lines == ["1"])
        let state = try await f.state("opensrs")
        for d in state["domains"]?.array ?? [] {
            let name = d["name"]?.string ?? ""
            let aliases = (d["attributes"]?["aliases"]?.array ?? []).compactMap(\.string)
            #expect(aliases.filter { $0 == "shared-\(name)" }.count == 1, "\(name): \(aliases)")
        }
    }
}

/// OpenSRS's searches answer summaries (NOTES.md): every attribute shown, filtered on,
/// compared or copied must come from reading the domain, never from the summary.
@Suite(.serialized)
struct OpenSRSSummaryTests {
    @Test func copyFromOpenSRSCarriesEveryAliasAndStatus() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (copied, copyHost) = await f.run("copy domains from os to cm\n")
        #expect(copied == .ok, "\(copyHost.stderr)")
        let (outcome, host) = await f.run(
            """
            for d in os.domains < print "os" d.name d.status d.aliases >
            for d in os.domains < let t = cm.domain "${d.name}"
              print "cm" t.name t.status t.aliases >
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        /// `name STATUS ["a", "b"]` with the aliases in a fixed order.
        func rows(_ prefix: String) -> [String] {
            host.lines.filter { $0.hasPrefix(prefix + " ") }.map { line in
                let parts = line.dropFirst(prefix.count + 1).split(separator: " ", maxSplits: 2).map(String.init)
                let aliases = parts[2].split(whereSeparator: { "[], \"".contains($0) }).map(String.init).sorted()
                return "\(parts[0]) \(parts[1]) \(aliases)"
            }
        }
        let source = rows("os"), target = rows("cm")
        #expect(source == target)
        #expect(source.contains { $0.contains(" DISABLED ") }, "the demo tenant has a disabled domain: \(source)")
        #expect(source.contains { !$0.hasSuffix("[]") }, "and domains with aliases: \(source)")
        // Each listed domain was read whole.
        let log = try await f.requests("opensrs")
        #expect(log.filter { $0.hasPrefix("POST /api/get_domain ") }.count >= source.count)
    }
}

/// OpenSRS's own domain attributes, under the document's names: read, written where
/// `settable_attributes` allows, values checked before anything is sent.
@Suite(.serialized)
struct OpenSRSAttributeFieldTests {
    @Test func attributesReadWriteAndFilter() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            let d = os.domain "acme-widgets.com"
            let before = count(os.domains where spamlevel = "Very High")
            set d spamlevel="very high" quota=10240 service_pop3="disabled" stats_mailout=["ops@acme-widgets.com"]
            let e = os.domain "acme-widgets.com"
            print e.spamlevel e.quota e.service_pop3 e.stats_mailout e.company
            print (count(os.domains where spamlevel = "Very High") - before)
            set d spamlevel="Very High"
            """, echo: true)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(host.lines == ["Very High 10240 disabled [\"ops@acme-widgets.com\"] Sandbox Co", "1"], "\(host.stdout)")
        #expect(host.stderr.contains("= domain \"acme-widgets.com\" at os: already as asked"), "\(host.stderr)")
    }

    @Test func readOnlyAndBadValuesAreRefusedBeforeSending() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            set (os.domain "acme-widgets.com") smtp_sent_limit=5 spamlevel="Extreme" filterdelivery="drop"
            print (cm.domain "contoso-cm.net").spamlevel
            """)
        #expect(outcome == .invalid)
        #expect(
            host.stderr.contains("domain field 'smtp_sent_limit' is read-only at opensrs (connection os)"),
            "\(host.stderr)")
        #expect(
            host.stderr.contains("spamlevel takes one of Normal, High, Very High, not \"Extreme\""), "\(host.stderr)")
        #expect(
            host.stderr.contains("filterdelivery takes one of quarantine, passthrough, not \"drop\""), "\(host.stderr)")
        #expect(host.stderr.contains("cleanmail has no domain field 'spamlevel' (connection cm)"), "\(host.stderr)")
        #expect(try await f.requests("opensrs").filter { $0.contains("change_domain") }.isEmpty)
    }

    @Test func metadataOptionsAreCheckedAtRunTime() async throws {
        let f = try await SandboxFixture(seed: .demo)
        // quota's options at this domain are [0, 15360]: 20000 is refused before sending.
        let (outcome, host) = await f.run("set (os.domain \"acme-widgets.com\") quota=20000\n")
        #expect(outcome == .failed)
        #expect(host.stderr.contains("quota takes 0 to 15360 at this domain, not 20000"), "\(host.stderr)")
        #expect(try await f.requests("opensrs").filter { $0.contains("change_domain") }.isEmpty)
    }
}
