import Foundation
import MXJSON
import MXModel
import Testing

@testable import MXEngine

/// Runs blocking adapter calls on a thread of their own: the sandbox's handlers run on
/// the cooperative pool, which a blocked test task must not hold. (The adapter is not
/// Sendable; the test hands it to one thread at a time.)
struct Unchecked<V>: @unchecked Sendable { let value: V }

func onThread<T>(_ body: @escaping () throws -> T) async throws -> T {
    let work = Unchecked(value: body)
    let result: Unchecked<T> = try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { Unchecked(value: try work.value()) }) }
        thread.stackSize = 8 << 20
        thread.start()
    }
    return result.value
}

/// The vendor error `body` throws on a thread of its own; nil when it throws none.
func vendorError(_ body: @escaping () throws -> Void) async -> VendorError? {
    do {
        try await onThread(body)
        Issue.record("no error")
        return nil
    } catch let e as VendorError {
        return e
    } catch {
        Issue.record("\(error)")
        return nil
    }
}

/// An OpenSRS adapter on the fixture's sandbox, with the sandbox credentials.
func openSRSAdapter(_ f: SandboxFixture) -> OpenSRSAdapter {
    let credentials: JSON = ["user": "admin@example.com", "password": "sandbox", "client": "mxsh"]
    return OpenSRSAdapter(
        api: VendorAPI(vendor: "opensrs", base: f.urls["opensrs"]! + "/api", connection: "os", client: f.client),
        credentials: credentials)
}

/// OpenSRS users' own attributes through the language, and the adapter's restore and
/// change history, against the sandbox over HTTP.
@Suite(.serialized)
struct OpenSRSUserFieldTests {
    @Test func userAttributesReadWriteAndAlreadyAsAsked() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            let u = os.user "wile@acme-widgets.com"
            print u.type u.account u.quota u.service_pop3 u.delivery_local u.forward_recipients u.spamlevel
            set u spamlevel="very high" service_imap4="disabled" title="Genius"
            set u delivery_forward=true forward_recipients=["road@acme-widgets.com"]
            let v = os.user "wile@acme-widgets.com"
            print v.spamlevel v.service_imap4 v.title v.delivery_forward v.forward_recipients
            set v title="Genius"
            create-user "bugs@acme-widgets.com" name="Bugs" phone="555-0100" quota=2048 at=os
            let b = os.user "bugs@acme-widgets.com"
            print b.phone b.quota b.name
            """, echo: true)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(
            host.lines == [
                "mailbox wile@acme-widgets.com 5120 enabled true [] none",
                "Very High disabled Genius true [\"road@acme-widgets.com\"]",
                "555-0100 2048 Bugs"
            ], "\(host.stdout)")
        #expect(host.stderr.contains("= user \"wile@acme-widgets.com\" at os: already as asked"), "\(host.stderr)")
        let state = try await f.state("opensrs")
        let wile = try #require(state["users"]?.array?.first { $0["name"] == "wile@acme-widgets.com" })
        #expect(wile["attributes"]?["spamlevel"] == "Very High" && wile["attributes"]?["service_imap4"] == "disabled")
    }

    /// Every user field of the table names an attribute get_user answers: none reads
    /// as unknown for want of a name.
    @Test func theTablesUserFieldsAreTheAttributesAnswered() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let a = openSRSAdapter(f)
        let answer = try await onThread { try a.call("get_user", ["user": "wile@acme-widgets.com"]) }
        let answered = Set(answer["attributes"]?.object?.keys ?? [])
        let fields = try #require(Vendor.opensrs.resources.kind(of: .user)?.fields)
        let wires = fields.filter { $0.wire.hasPrefix("attributes.") }.map {
            String($0.wire.dropFirst("attributes.".count))
        }
        #expect(wires.count == fields.count - 1)  // all but the domain, taken from the address
        #expect(Set(wires).subtracting(answered).isEmpty, "\(Set(wires).subtracting(answered))")
        // ... and no attribute answered is left out of the table.
        #expect(answered.subtracting(wires).isEmpty, "\(answered.subtracting(wires))")
    }

    @Test func forwardingOptionsRoundTrip() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            let r = os.user "road@acme-widgets.com"
            set r delivery_forward=true forward_recipients=["coyote@example.net"]
            set r forward_option_restricted=true forward_option_subject_prefix="[fwd]"
            let u = os.user "road@acme-widgets.com"
            print u.delivery_forward u.forward_recipients
            print u.forward_option_restricted u.forward_option_subject_prefix u.forward_option_reply_to
            """)
        #expect(outcome == .ok, "\(host.stderr)")
        #expect(host.lines == ["true [\"coyote@example.net\"]", "true [fwd] none"], "\(host.stdout)")
    }

    @Test func readOnlyAndBadUserValuesAreRefusedBeforeSending() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            set (os.user "wile@acme-widgets.com") type="forward" service_pop3="off" smtp_sent_limit=3
            """)
        #expect(outcome == .invalid)
        #expect(host.stderr.contains("user field 'type' is read-only at opensrs (connection os)"), "\(host.stderr)")
        #expect(
            host.stderr.contains("user field 'smtp_sent_limit' is read-only at opensrs (connection os)"),
            "\(host.stderr)")
        #expect(
            host.stderr.contains("service_pop3 takes one of enabled, disabled, suspended, not \"off\""),
            "\(host.stderr)")
        #expect(try await f.requests("opensrs").filter { $0.contains("change_user") }.isEmpty)
    }

    @Test func aQuotaAboveTheDomainsMaximumIsRefusedBeforeSending() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            set (os.domain "acme-widgets.com") quota_maximum=8000
            set (os.user "wile@acme-widgets.com") quota=9000
            """)
        #expect(outcome == .failed)
        #expect(
            host.stderr.contains("quota takes 0 to 8000 at acme-widgets.com (its quota_maximum), not 9000"),
            "\(host.stderr)")
        #expect(try await f.requests("opensrs").filter { $0.contains("change_user") }.isEmpty)
    }

    /// `metadata.options.quota_maximum` is a range, as quota's is: a value inside it is
    /// no "one of 0, 15360" refusal (a bug once), one outside is refused before sending.
    @Test func quotaMaximumIsARange() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run("set (os.domain \"globex.org\") quota_maximum=20000\n")
        #expect(outcome == .failed)
        #expect(host.stderr.contains("quota_maximum takes 0 to 15360 at this domain, not 20000"), "\(host.stderr)")
        #expect(try await f.requests("opensrs").filter { $0.contains("change_domain") }.isEmpty)
    }

    /// A mailbox's brand, workgroup and language are its domain's metadata.options; the
    /// domain's language too. Refused before sending, naming the allowed values.
    @Test func optionsOfTheDomainHoldForItsMailboxes() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (user, host) = await f.run("set (os.user \"wile@acme-widgets.com\") workgroup=\"pirates\"\n")
        #expect(user == .failed)
        #expect(
            host.stderr.contains(
                "workgroup takes one of \"contract\", \"interns\", \"sales\", \"sales_europe\", \"staff\", "
                    + "\"stock_holders\", \"sysadmins\" at acme-widgets.com, not \"pirates\""), "\(host.stderr)")
        let (domain, host2) = await f.run("set (os.domain \"globex.org\") language=\"xx\"\n")
        #expect(domain == .failed)
        #expect(host2.stderr.contains("language takes one of \"el\", \"en\", \"es\""), "\(host2.stderr)")
        #expect(try await f.requests("opensrs").filter { $0.contains("change_") }.isEmpty)
        let (ok, host3) = await f.run(
            """
            set (os.user "wile@acme-widgets.com") workgroup="sales" brand="Example Co Brand" timezone="Europe/Berlin"
            print (os.user "wile@acme-widgets.com").workgroup
            """)
        #expect(ok == .ok, "\(host3.stderr)")
        #expect(host3.lines == ["sales"])
    }

    @Test func theSandboxAnswersTheSameWhenAsked() async throws {
        // Sent anyway (through another path than the adapter's check), the vendor's
        // error 6 names the field with its hint.
        let f = try await SandboxFixture(seed: .demo)
        let a = openSRSAdapter(f)
        let o = try await onThread {
            try a.call("change_user", ["user": "wile@acme-widgets.com", "attributes": ["quota": 20000]])
        }
        let e = a.failure(o, "update", "user wile@acme-widgets.com")
        #expect(e.code == "6" && e.message.contains("quota: a number of megabytes from 0 to 15360"), "\(e.message)")
    }
}

@Suite(.serialized)
struct OpenSRSRestoreTests {
    @Test func restoreBringsBackAUserAndSaysWhenThereIsNothingToRestore() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (deleted, host) = await f.run("delete-user (os.user \"road@acme-widgets.com\")\n")
        #expect(deleted == .ok, "\(host.stderr)")
        let a = openSRSAdapter(f)
        let first = try await onThread { try a.restore(.user, "road@acme-widgets.com") }
        guard case .applied(.user(let u)?) = first else { Issue.record("\(first)"); return }
        #expect(u.email == "road@acme-widgets.com" && u.name == "Road Runner")
        let again = try await onThread { try a.restore(.user, "road@acme-widgets.com") }
        guard case .unchanged(.user(_)?) = again else { Issue.record("\(again)"); return }
        let never = await vendorError { _ = try a.restore(.user, "nobody@acme-widgets.com") }
        #expect(never?.kind == .notFound && never?.code == "13", "\(String(describing: never))")
    }

    @Test func aUserWaitsForItsDomain() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (deleted, host) = await f.run(
            """
            delete-user (os.user "hank@globex.org")
            delete-domain (os.domain "globex.org")
            """)
        #expect(deleted == .ok, "\(host.stderr)")
        let a = openSRSAdapter(f)
        let early = await vendorError { _ = try a.restore(.user, "hank@globex.org") }
        #expect(
            early?.code == "11"
                && early?.message.contains("restore user hank@globex.org: company or domain does not exist") == true,
            "\(String(describing: early))")
        let domain = try await onThread { try a.restore(.domain, "globex.org") }
        guard case .applied(.domain(let d)?) = domain else { Issue.record("\(domain)"); return }
        #expect(d.name == "globex.org" && d.aliases == ["globex-corp.com"])
        let user = try await onThread { try a.restore(.user, "hank@globex.org") }
        guard case .applied(.user(_)?) = user else { Issue.record("\(user)"); return }
        let log = try await f.requests("opensrs").filter { $0.contains("restore_") }
        #expect(log == ["POST /api/restore_user 200", "POST /api/restore_domain 200", "POST /api/restore_user 200"])
    }
}

@Suite(.serialized)
struct OpenSRSHistoryTests {
    @Test func changesArePagedRecordsNewestFirst() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let a = openSRSAdapter(f)
        // 130 changes: two pages of get_domain_changes.
        try await onThread {
            for i in 1...130 {
                let o = try a.call(
                    "change_domain", ["domain": "hooli.xyz", "attributes": ["notes_external": .string("note \(i)")]])
                #expect(a.succeeded(o))
            }
        }
        let changes = try await onThread { try a.changes(.domain, "hooli.xyz") }
        #expect(changes.count == 130)  // the seed's records were not made through the API
        #expect(
            changes.first?["msg"]?.equals(
                .string("change_domain hooli.xyz: changed notes_external \"note 129\" -> \"note 130\"")) == true,
            "\(String(describing: changes.first))")
        #expect(changes.first?["user"]?.equals(.string("admin@example.com")) == true)
        #expect(changes.first?["application"]?.equals(.string("mxsh")) == true)
        guard case .string(let time)? = changes.first?["time"] else { Issue.record("no time"); return }
        #expect(time.hasPrefix("20") && time.hasSuffix("Z"), "\(time)")
        let pages = try await f.requests("opensrs").filter { $0.contains("get_domain_changes") }
        #expect(pages == ["POST /api/get_domain_changes 200", "POST /api/get_domain_changes 200"])
    }

    @Test func userChangesAndAMissingObject() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run("set (os.user \"gavin@hooli.xyz\") title=\"CEO\"\n")
        #expect(outcome == .ok, "\(host.stderr)")
        let a = openSRSAdapter(f)
        let changes = try await onThread { try a.changes(.user, "gavin@hooli.xyz") }
        #expect(
            changes.first?["msg"]?.equals(.string("change_user gavin@hooli.xyz: changed title null -> \"CEO\""))
                == true,
            "\(changes.map { $0["msg"] ?? .none })")
        let missing = await vendorError { _ = try a.changes(.domain, "never.example") }
        #expect(missing?.kind == .notFound && missing?.code == "2", "\(String(describing: missing))")
    }
}
