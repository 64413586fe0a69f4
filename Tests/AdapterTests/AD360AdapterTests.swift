import MXEngine
import MXJSON
import Testing

/// The language over ManageEngine AD360, against the sandbox over HTTP.
@Suite(.serialized)
struct AD360AdapterTests {
    @Test func domainsAreReadWithTheirControllers() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            print count(ad.domains)
            let d = ad.domain "ad360.local"
            print d.name d.status d.controllers d.raw.DOMAIN_FLAT_NAME
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(
            host.lines == ["6", "ad360.local ENABLED [\"win2k12master.ad360.local\", \"EST-ADC.ad360.local\"] AD360"])
    }

    @Test func mailServerSettingsRoundTrip() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            set ad.mailserver server="smtp.example.com" port=587 security=TLS
            print ad.mailserver.server ad.mailserver.port ad.mailserver.security ad.mailserver.from
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(host.lines == ["smtp.example.com 587 TLS no-reply@ad360.local"])
    }

    /// The document's allowed values (SSL, TLS) are in AD360's table: a value outside
    /// them is refused by the check, before the vendor could answer MS013.
    @Test func invalidConnectionTypeIsRefusedBeforeSending() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run("set ad.mailserver security=STARTTLS\n")
        #expect(outcome == .invalid)
        #expect(host.stderr.contains("security takes one of SSL, TLS, not STARTTLS"), "\(host.stderr)")
        #expect(try await f.requests("ad360").isEmpty)
    }

    @Test func proxySettings() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            set ad.proxy enabled=true server="proxy.corp" port=3128 user="svc" password="Pr0xy-Secret"
            print ad.proxy.enabled ad.proxy.server ad.proxy.port ad.proxy.user
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(host.lines == ["true proxy.corp 3128 svc"])
        // Written, never read back: reading it is an error, not none ("no password").
        let read = await f.run("print ad.proxy.password\n")
        #expect(read.0 == .invalid && read.1.stderr.contains("password is write-only"), "\(read.1.stderr)")
        #expect(!host.stderr.contains("Pr0xy-Secret"))
        let state = try await f.state("ad360")
        #expect(!state.text.contains("Pr0xy-Secret"), "the sandbox keeps no proxy password in its state")
    }

    @Test func setCredentialPerDomainResults() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (ok, host) = await f.run(
            "set-credential (ad.domain \"corp.example.com\") user=\"admin\" password=\"S3cret-AD\"\n")
        #expect(ok == .ok, "\(host.stderr)")
        let (bad, host2) = await f.run("set-credential (ad.domain \"corp.example.com\") user=\"admin\" password=\"\"\n")
        #expect(bad == .failed)
        #expect(host2.stderr.contains("INVALID_OR_INSUFFICIENT_CREDENTIAL"), "\(host2.stderr)")
        #expect(!host.stderr.contains("S3cret-AD"))
    }

    @Test func wrongTokenIsAT001() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            connect ad360 as bad url="\(f.urls["ad360"]!)" token="t0ken-Wr0ng"
            list bad.domains
            """)
        #expect(outcome == .failed)
        #expect(host.stderr.contains("AT001"), "\(host.stderr)")
        #expect(
            host.stderr.contains(
                "Invalid or missing AuthToken. Check whether the AuthToken is not revoked or expired."))
        #expect(!host.stderr.contains("t0ken-Wr0ng"))
    }

    @Test func domainsCannotBeCreatedAtAD360() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run("create-domain \"x.local\" at=ad\n")
        #expect(outcome == .invalid)
        #expect(host.stderr.contains("ad360 cannot create-domain"), "\(host.stderr)")
        #expect(try await f.requests("ad360").isEmpty)
    }
}
