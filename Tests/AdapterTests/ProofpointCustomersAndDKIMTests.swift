import MXJSON
import MXModel
import Testing

@testable import MXEngine

/// A Proofpoint adapter on the fixture's sandbox: the demo partner's administrator,
/// or another account.
func proofpointAdapter(_ f: SandboxFixture, org: String = "example.com", user: String = "admin@example.com")
    -> ProofpointAdapter
{
    let auth = [(name: "X-User", value: user), (name: "X-Password", value: "sandbox")]
    return ProofpointAdapter(
        api: VendorAPI(
            vendor: "proofpoint", base: f.urls["proofpoint"]! + "/api/v1", connection: "pp",
            authHeaders: auth, client: f.client), org: org)
}

/// The text of a record's member, for comparisons.
func text(_ r: Record?, _ key: String) -> String? {
    guard case .string(let s)? = r?[key] else { return nil }
    return s
}

/// A partner's customer organisations, against the sandbox over HTTP.
@Suite(.serialized)
struct ProofpointCustomerTests {
    @Test func aPartnerListsItsCustomersAndReachesTheirObjects() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let a = proofpointAdapter(f)
        let customers = try await onThread { try a.customers() }
        #expect(
            customers.compactMap { text($0, "primary_domain") } == [
                "northwind.example", "fabrikam.example", "tailspin.example"
            ])
        #expect(customers.compactMap { text($0, "name") } == ["Northwind Traders", "Fabrikam Inc", "Tailspin Toys"])
        let (domains, users, package) = try await onThread { () -> ([String], [String], Value?) in
            let c = a.customer("fabrikam.example")
            var domains: [String] = [], users: [String] = []
            try c.forEachDomain {
                domains.append($0.name); return true
            }
            try c.forEachUser(domain: nil) {
                users.append($0.email); return true
            }
            return (domains, users, try c.settings("licensing")?.fields["package"])
        }
        #expect(domains == ["fabrikam.example", "fabrikam.net.example", "fabrikam-labs.example"])
        #expect(users == ["kim@fabrikam.example", "pat@fabrikam.example"])
        #expect(package?.equals(.string("Advanced")) == true)
        let log = try await f.requests("proofpoint")
        #expect(log.contains("GET /api/v1/orgs/example.com/orgs 200"))
        #expect(log.contains("GET /api/v1/orgs/fabrikam.example/domains 200"))
    }

    @Test func aTypoedOrganisationSaysSo() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let a = proofpointAdapter(f)
        let e = await vendorError { _ = try a.organisation("fabrikan.example") }
        #expect(
            e?.code == "403"
                && e?.message == "read organisation fabrikan.example: not authorized for this organisation "
                    + "(not authorized for organisation fabrikan.example)",
            "\(String(describing: e))")
        let northwind = try await onThread { try a.organisation("northwind.example") }
        #expect(text(northwind, "parent_org") == "example.com")
    }

    @Test func createACustomerOnceAndReachIt() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let a = proofpointAdapter(f)
        let fields = JSONObject([("primary_domain", "contoso.example"), ("name", "Contoso"), ("user_licenses", 15)])
        let first = try await onThread { try a.createCustomer(fields) }
        guard case .applied(.settings(let made)?) = first else { Issue.record("\(first)"); return }
        #expect(
            text(made.fields, "primary_domain") == "contoso.example" && text(made.fields, "parent_org") == "example.com"
        )
        let again = try await onThread { try a.createCustomer(fields) }
        guard case .unchanged(.settings(_)?) = again else { Issue.record("\(again)"); return }
        let domains = try await onThread { () -> [String] in
            var names: [String] = []
            try a.customer("contoso.example").forEachDomain {
                names.append($0.name); return true
            }
            return names
        }
        #expect(domains == ["contoso.example"])
        #expect(
            try await f.requests("proofpoint").filter { $0.hasPrefix("POST") } == [
                "POST /api/v1/orgs/example.com/orgs 201"
            ])
    }

    @Test func whatTheAPIRefuses() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let a = proofpointAdapter(f)
        // An organisation already on the platform: 409, in the API's words.
        let taken = await vendorError {
            _ = try a.createCustomer(["primary_domain": "tailspin.example", "name": "Other name"])
        }
        #expect(
            taken?.kind == .exists && taken?.message.contains("organisation tailspin.example already exists") == true,
            "\(String(describing: taken))")
        // A customer's own administrator is no partner: 403.
        let customer = proofpointAdapter(f, org: "northwind.example", user: "admin@northwind.example")
        let notPartner = await vendorError {
            _ = try customer.createCustomer(["primary_domain": "sub.example", "name": "Sub"])
        }
        #expect(
            notPartner?.code == "403" && notPartner?.message.contains("is not a partner") == true,
            "\(String(describing: notPartner))")
        // A field the API does not take: 422 with the field.
        let bad = await vendorError {
            _ = try a.createCustomer(["primary_domain": "new.example", "name": "New", "colour": "red"])
        }
        #expect(
            bad?.kind == .invalid && bad?.message.contains("colour: not a field of an organisation") == true,
            "\(String(describing: bad))")
        // No name: refused before sending.
        let before = try await f.requests("proofpoint").filter { $0.hasPrefix("POST") }.count
        let unnamed = await vendorError { _ = try a.createCustomer(["primary_domain": "new.example"]) }
        #expect(unnamed?.kind == .invalid)
        #expect(try await f.requests("proofpoint").filter { $0.hasPrefix("POST") }.count == before)
    }
}

/// Users' alias addresses and sender lists through the language.
@Suite(.serialized)
struct ProofpointUserFieldTests {
    @Test func senderListsAliasesAndTypeReadAndWritten() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            let u = pp.user "jon@winterfell.org"
            print u.aliases u.white_list_senders u.black_list_senders u.type u.uid
            set u aliases=["lord.snow@winterfell.org"] white_list_senders=["*@nightswatch.example"]
            set u black_list_senders=["ramsay@bolton.example"]
            let v = pp.user "jon@winterfell.org"
            print v.aliases v.white_list_senders v.black_list_senders v.name
            set v white_list_senders=["*@nightswatch.example"]
            create-user "bran@winterfell.org" name="Bran" type="silent_user" black_list_senders=["*@x.example"] at=pp
            let b = pp.user "bran@winterfell.org"
            print b.type b.black_list_senders
            """, echo: true)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(
            host.lines == [
                "[] [] [] end_user 1001",
                "[\"lord.snow@winterfell.org\"] [\"*@nightswatch.example\"] [\"ramsay@bolton.example\"] Jon Snow",
                "silent_user [\"*@x.example\"]"
            ], "\(host.stdout)")
        #expect(host.stderr.contains("= user \"jon@winterfell.org\" at pp: already as asked"), "\(host.stderr)")
    }

    @Test func badValuesAreRefusedBeforeSending() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run("set (pp.user \"jon@winterfell.org\") type=\"king\" uid=\"7\"\n")
        #expect(outcome == .invalid)
        #expect(
            host.stderr.contains(
                "type takes one of end_user, silent_user, organization_admin, functional_account, not \"king\""),
            "\(host.stderr)")
        #expect(host.stderr.contains("user field 'uid' is read-only at proofpoint (connection pp)"), "\(host.stderr)")
        #expect(try await f.requests("proofpoint").filter { $0.hasPrefix("PUT") }.isEmpty)
    }

    @Test func anAliasInAnotherOrganisationsDomainIsThe422() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run("set (pp.user \"jon@winterfell.org\") aliases=[\"jon@elsewhere.example\"]\n")
        #expect(outcome == .failed)
        #expect(
            host.stderr.contains(
                "alias_emails: jon@elsewhere.example is not an address in a domain of the organisation"),
            "\(host.stderr)")
        #expect(host.stderr.contains("proofpoint 422"), "\(host.stderr)")
    }
}

/// A domain's DKIM key through the adapter.
@Suite(.serialized)
struct ProofpointDKIMTests {
    @Test func makeSwitchAndRemoveAKey() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let a = proofpointAdapter(f)
        #expect(try await onThread { try a.dkim(of: "got.com") } == nil)
        let made = try await onThread { try a.createDKIM(of: "got.com", selector: "s1", keySize: 1024) }
        guard case .applied(.settings(let key)?) = made else { Issue.record("\(made)"); return }
        #expect(text(key.fields, "txt_name") == "s1._domainkey.got.com")
        #expect(text(key.fields, "txt_record")?.hasPrefix("v=DKIM1; k=rsa; p=") == true)
        guard case .unchanged = try await onThread({ try a.createDKIM(of: "got.com", selector: "s1") }) else {
            Issue.record("a second create with the same selector is already as asked"); return
        }
        let other = await vendorError { _ = try a.createDKIM(of: "got.com", selector: "s2") }
        #expect(other?.kind == .exists, "\(String(describing: other))")
        guard case .applied = try await onThread({ try a.setDKIM(of: "got.com", enabled: true) }) else {
            Issue.record("on"); return
        }
        guard case .unchanged = try await onThread({ try a.setDKIM(of: "got.com", enabled: true) }) else {
            Issue.record("on again"); return
        }
        #expect(try await onThread { try a.dkim(of: "got.com")?["is_enabled"] }?.equals(.bool(true)) == true)
        guard case .applied = try await onThread({ try a.deleteDKIM(of: "got.com") }) else {
            Issue.record("delete"); return
        }
        guard case .unchanged = try await onThread({ try a.deleteDKIM(of: "got.com") }) else {
            Issue.record("delete again"); return
        }
        let log = try await f.requests("proofpoint").filter { !$0.hasPrefix("GET") }
        #expect(
            log == [
                "POST /api/v1/orgs/example.com/domains/got.com/dkim 201",
                "PUT /api/v1/orgs/example.com/domains/got.com/dkim 204",
                "DELETE /api/v1/orgs/example.com/domains/got.com/dkim 204",
                "DELETE /api/v1/orgs/example.com/domains/got.com/dkim 404"
            ])
    }

    @Test func aMissingDomainAndBadValues() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let a = proofpointAdapter(f)
        let missing = await vendorError { _ = try a.dkim(of: "nope.example") }
        #expect(
            missing?.kind == .notFound && missing?.message == "domain nope.example does not exist",
            "\(String(describing: missing))")
        let selector = await vendorError { _ = try a.createDKIM(of: "got.com", selector: "bad selector") }
        #expect(selector?.kind == .invalid && selector?.hints.first?.field == "selector")
        let size = await vendorError { _ = try a.createDKIM(of: "got.com", keySize: 4096) }
        #expect(size?.message == "a DKIM key is 1024 or 2048 bits, not 4096")
        let off = await vendorError { _ = try a.setDKIM(of: "got.com", enabled: false) }
        #expect(off?.kind == .notFound && off?.message == "domain got.com has no DKIM key")
        #expect(try await f.requests("proofpoint").allSatisfy { $0.hasPrefix("GET") })
    }
}

/// Many creates in one request, the document's 207: one outcome per change.
@Suite(.serialized)
struct ProofpointBatchTests {
    func change(_ op: MXModel.Operation, _ key: String, _ fields: [(String, Value)]) -> Change {
        Change(
            connection: "pp", kind: op == .createUser ? .user : .domain, key: key, operation: op,
            fields: Record(fields),
            before: nil, location: ScriptLocation(file: "t.mxsh", line: 1, column: 1))
    }

    /// "applied", "unchanged" or the error's code and message, per change.
    func shown(_ results: [Result<ChangeOutcome, any Error>]) -> [String] {
        results.map { r in
            switch r {
            case .success(.applied): return "applied"
            case .success(.unchanged): return "unchanged"
            case .failure(let e as VendorError): return "\(e.code): \(e.message)"
            case .failure(let e): return "\(e)"
            }
        }
    }

    @Test func domainsInOneRequestEachWithItsOutcome() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let a = proofpointAdapter(f)
        let changes = [
            change(.createDomain, "b1.example", [("destination", .string("10.7.0.1"))]),
            change(.createDomain, "got.com", [("destination", .string("10.0.0.5"))]),
            change(.createDomain, "northwind-shop.example", [("destination", .string("10.7.0.3"))]),
            change(.createDomain, "b2.example", [("destination", .string("10.7.0.2")), ("relay", .bool(true))]),
            change(.createDomain, "nodest.example", []),
            change(.updateDomain, "b1.example", [("relay", .bool(true))])
        ]
        let results = try await onThread { a.applyAll(changes) }
        #expect(
            shown(results) == [
                "applied", "unchanged",
                "409: create domain northwind-shop.example: already exists on the platform "
                    + "(domain northwind-shop.example already exists on the platform)",
                "applied",
                "422: Proofpoint needs a destination to create a domain: add destination=\"host or IP\"",
                "applied"
            ])
        let posts = try await f.requests("proofpoint").filter { $0.hasPrefix("POST") || $0.hasPrefix("PUT") }
        #expect(
            posts == [
                "POST /api/v1/orgs/example.com/domains 207", "PUT /api/v1/orgs/example.com/domains/b1.example 204"
            ])
        let state = try await f.state("proofpoint")
        let domains = state["example.com"]?["domains"]?.array ?? []
        #expect(
            domains.first { $0["name"] == "b1.example" }?["is_relay"] == true, "the update after its create: \(domains)"
        )
        #expect(domains.first { $0["name"] == "b2.example" }?["destination"] == "10.7.0.2")
    }

    @Test func usersInOneRequestEachWithItsOutcome() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let a = proofpointAdapter(f)
        let changes = [
            change(.createUser, "brienne@winterfell.org", [("name", .string("Brienne Tarth"))]),
            change(.createUser, "jon@winterfell.org", [("name", .string("Jon Snow"))]),
            change(.createUser, "ghost@winterfell.org", [("aliases", .list([.string("arya@winterfell.org")]))]),
            change(.createUser, "hodor@nowhere.example", [])
        ]
        let results = try await onThread { a.applyAll(changes) }
        #expect(
            shown(results) == [
                "applied", "unchanged",
                "409: create user ghost@winterfell.org: already exists on the platform "
                    + "(arya@winterfell.org is already an address of arya@winterfell.org)",
                "422: create user hodor@nowhere.example: invalid request data "
                    + "(primary_email: domain nowhere.example is not in the organisation)"
            ])
        #expect(
            try await f.requests("proofpoint").filter { $0.hasPrefix("POST") } == [
                "POST /api/v1/orgs/example.com/users 207"
            ])
    }

    @Test func aBatchThatCannotBeReadIsNoOnesSuccess() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let wrong = ProofpointAdapter(
            api: VendorAPI(
                vendor: "proofpoint", base: f.urls["proofpoint"]! + "/api/v1", connection: "pp",
                authHeaders: [("X-User", "admin@example.com"), ("X-Password", "Wr0ng")], client: f.client),
            org: "example.com")
        let changes = ["c1.example", "c2.example"].map {
            change(.createDomain, $0, [("destination", .string("10.8.0.1"))])
        }
        let results = try await onThread { wrong.applyAll(changes) }
        #expect(
            shown(results)
                == Array(
                    repeating: "401: list domains of example.com: invalid credentials (invalid credentials)", count: 2))
        #expect(try await f.requests("proofpoint").allSatisfy { !$0.hasPrefix("POST") })
    }
}

/// The organisation's package: updated with PUT, read through the organisation.
@Suite(.serialized)
struct ProofpointPackageTests {
    @Test func updateOnlyWhatDiffers() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let a = proofpointAdapter(f)
        #expect(text(try await onThread { try a.package() }, "package") == "Business")
        let first = try await onThread {
            try a.updatePackage(Record([("package", .string("advanced")), ("is_activated", .bool(true))]))
        }
        guard case .applied(.settings(let p)?) = first else { Issue.record("\(first)"); return }
        #expect(text(p.fields, "package") == "Advanced")
        guard case .unchanged = try await onThread({ try a.updatePackage(Record([("package", .string("Advanced"))])) })
        else {
            Issue.record("the same package again is already as asked"); return
        }
        let licensing = try await onThread { try a.settings("licensing")?.fields["package"] }
        #expect(licensing?.equals(.string("Advanced")) == true)
        let log = try await f.requests("proofpoint").filter { $0.hasPrefix("PUT") }
        #expect(log == ["PUT /api/v1/orgs/example.com/package 204"])
    }

    @Test func badValuesAreRefusedBeforeSending() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let a = proofpointAdapter(f)
        let name = await vendorError { _ = try a.updatePackage(Record([("package", .string("Gold"))])) }
        #expect(name?.message == "package is one of Beginner, Business, Advanced, Professional, not \"Gold\"")
        let member = await vendorError { _ = try a.updatePackage(Record([("seats", .number(5))])) }
        #expect(member?.kind == .invalid && member?.hints.first?.field == "seats")
        #expect(try await f.requests("proofpoint").isEmpty)
    }
}

/// A user created without lists reads back with empty lists (the API answers them),
/// and nothing the script did not give is sent.
@Suite(.serialized)
struct ProofpointNewUserTests {
    @Test func aNewUsersListsAreEmptyNotUnknown() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            create-user "hodor@winterfell.org" name="Hodor" at=pp
            let u = pp.user "hodor@winterfell.org"
            print u.aliases u.white_list_senders u.black_list_senders u.type
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(host.lines == ["[] [] [] end_user"], "\(host.stdout)")
        let state = try await f.state("proofpoint")
        let hodor = state["example.com"]?["users"]?.array?.first { $0["primary_email"] == "hodor@winterfell.org" }
        #expect(hodor?["firstname"] == "Hodor" && hodor?["surname"] == "")
    }
}

/// A domain's DKIM key through the language: `d.dkim`, `create-dkim`, `set d.dkim`,
/// `delete-dkim`.
@Suite(.serialized)
struct ProofpointDKIMLanguageTests {
    @Test func makeShowSwitchAndDelete() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            let d = pp.domain "got.com"
            print d.dkim
            create-dkim d selector="s1" key_size=1024
            print d.dkim.txt_name d.dkim.is_enabled d.dkim.key_size
            set d.dkim is_enabled=true
            set d.dkim is_enabled=true
            print (pp.domain "got.com").dkim.is_enabled
            create-dkim d selector="s1"
            delete-dkim d
            delete-dkim d
            print (pp.domain "got.com").dkim
            """, echo: true)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(host.lines == ["none", "s1._domainkey.got.com false 1024", "true", "none"], "\(host.stdout)")
        #expect(host.stderr.components(separatedBy: "already as asked").count - 1 == 3, "\(host.stderr)")
        let log = try await f.requests("proofpoint").filter { !$0.hasPrefix("GET") }
        #expect(
            log == [
                "POST /api/v1/orgs/example.com/domains/got.com/dkim 201",
                "PUT /api/v1/orgs/example.com/domains/got.com/dkim 204",
                "DELETE /api/v1/orgs/example.com/domains/got.com/dkim 204"
            ], "\(log)")
    }

    @Test func aPlanSendsNothing() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let script = "create-dkim (pp.domain \"got.com\") selector=\"s1\"\n"
        let (outcome, host) = await f.run(script, plan: true, echo: true)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(host.stderr.contains("dkim \"got.com\" at pp: create-dkim"), "\(host.stderr)")
        #expect(try await f.requests("proofpoint").allSatisfy { $0.hasPrefix("GET") })
    }

    @Test func aSelectorIsChosenWhenTheKeyIsMade() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            let d = pp.domain "got.com"
            create-dkim d
            set d.dkim selector="s2"
            """)
        #expect(outcome == .failed)
        #expect(
            host.stderr.contains(
                "a DKIM key is switched on or off (is_enabled=); for another selector or size, delete-dkim and "
                    + "create-dkim"
            ),
            "\(host.stderr)")
        #expect(try await f.requests("proofpoint").filter { $0.hasPrefix("PUT") }.isEmpty)
    }
}
