import MXEngine
import MXJSON
import Testing

/// AD360 as vendors/ad360-api-settings.txt describes it, through the language against
/// the sandbox over HTTP: every field of getDomains, each documented error code with
/// the document's own words, the mandatory attributes checked before sending.
@Suite(.serialized)
struct AD360DocumentTests {
    @Test func everyFieldOfGetDomains() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            let d = ad.domain "ad360.local"
            print d.default_naming_context d.is_default_domain d.domain_flat_name
            print d.domain_dns_name d.domain_functional_level
            print d.user_name d.is_authentication_required d.is_ldap_ssl_enabled d.status_message
            set-credential d user="admin" password="Test123"
            let e = ad.domain "ad360.local"
            print e.user_name e.is_authentication_required e.status_message
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(
            host.lines == [
                "DC=ad360,DC=local true AD360", "ad360.local Windows Server 2008",
                "none none none none", "admin true SUCCESS"
            ], "\(host.stdout)")
    }

    /// Mail-server updates meeting each documented code; the message is the document's.
    @Test(arguments: [
        ("from=\"not-an-address\"", "MS001", "Invalid from email address."),
        ("admin=\"nobody\"", "MS002", "Invalid admin email address."),
        (
            "server=\"smtp-auth.ad360.local\" port=587", "MS003",
            "Invalid email address, or mail server requires authentication."
        ),
        (
            "port=2526", "MS004",
            "Please check whether the server name/IP, port number, and connection type are correct, and try again."
        ),
        ("server=\"mail.invalid\"", "MS005", "Network failure, or mail server is down."),
        (
            "server=\"smtp-auth.ad360.local\" port=587 user=\"admin\" password=\"nope\"", "MS006",
            "Authentication details for mail server are incorrect."
        ),
        ("security=SSL port=25", "MS007", "Unrecognized SSL message: Secure Connection enabled."),
        (
            "from=\"alerts@zohocorp.com\"", "MS009",
            "Please make sure the mail address doesn't contain \"zohocorp\" domain."
        ),
        ("server=\"bad name\"", "MS010", "Invalid server name or port number."),
        ("user=\"someone\"", "MS011", "Invalid username or password."),
        ("security=TLS port=465", "MS012", "Unable to configure SMTP server with TLS enabled.")
    ])
    func mailServerCodes(_ fields: String, _ code: String, _ text: String) async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run("set ad.mailserver \(fields)\n")
        #expect(outcome == .failed)
        #expect(host.stderr.contains("update mailserver settings: \(text) (ad360 \(code))"), "\(host.stderr)")
        #expect(try await f.requests("ad360").contains("POST /RestAPI/MailSettings/updateSettings 200"))
    }

    @Test(arguments: [
        ("server=\"proxy.invalid\"", "PS002", "Proxy Server is down. Please try again later."),
        ("server=\"ad360-dc1\"", "PS001", "Authentication required to access proxy server."),
        ("server=\"ad360-dc1\" user=\"admin\" password=\"wrong\"", "CE003", "Invalid username or password.")
    ])
    func proxyCodes(_ fields: String, _ code: String, _ text: String) async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run("set ad.proxy enabled=true port=5005 \(fields)\n")
        #expect(outcome == .failed)
        #expect(host.stderr.contains("update proxy settings: \(text) (ad360 \(code))"), "\(host.stderr)")
    }

    @Test func theDocumentsProxySampleThroughTheLanguage() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            set ad.proxy enabled=true server="ad360-dc1" port=5005 user="admin" password="Test123"
            print ad.proxy.enabled ad.proxy.server ad.proxy.port ad.proxy.user
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(host.lines == ["true ad360-dc1 5005 admin"])
    }

    /// The proxy starts disabled with no server: enabling it alone would lack two of
    /// the document's mandatory attributes, and is refused before anything is sent.
    @Test func mandatoryAttributesAreCheckedBeforeSending() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run("set ad.proxy enabled=true\n")
        #expect(outcome == .failed)
        #expect(
            host.stderr.contains(
                "AD360 requires server, port on every update; give them too (nothing was sent) (ad360 CE001)"),
            "\(host.stderr)")
        #expect(try await f.requests("ad360").allSatisfy { !$0.hasPrefix("POST") })
    }

    @Test(arguments: [
        (
            "sandbox-role-changed-token", "AT004",
            "Access denied. User role has changed and the user no longer has permission to access this API."
        ),
        (
            "sandbox-denied-token", "AT005",
            "Access denied. You don't have permission to access this API. Please contact your administrator."
        )
    ])
    func accessCodes(_ token: String, _ code: String, _ text: String) async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run("connect ad360 as other url=\"\(f.urls["ad360"]!)\" token=\"\(token)\"\n")
        #expect(outcome == .failed)
        #expect(host.stderr.contains("\(text) (ad360 \(code))"), "\(host.stderr)")
        #expect(!host.stderr.contains(token))
    }

    @Test func aReadingTokenCannotUpdate() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            connect ad360 as reader url="\(f.urls["ad360"]!)" token="sandbox-read-token"
            print count(reader.domains)
            set reader.mailserver port=587
            """)
        #expect(outcome == .failed)
        #expect(host.lines == ["6"])
        #expect(
            host.stderr.contains(
                "The given AuthToken doesn't have necessary permission to access the requested API. (ad360 AT002)"),
            "\(host.stderr)")
    }
}
