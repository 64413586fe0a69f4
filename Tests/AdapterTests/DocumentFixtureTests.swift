import Foundation
import MXJSON
import MXModel
import Testing

@testable import MXEngine

/// The example responses printed in the vendors' documents (Fixtures/, copied
/// verbatim) through the adapters' mapping: what a user sees of each record.
struct DocumentFixtureTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures")

    func text(_ name: String) throws -> String {
        try String(contentsOf: Self.directory.appendingPathComponent(name), encoding: .utf8)
    }

    func json(_ name: String) throws -> JSON {
        try JSON.parse(Array(try text(name).utf8))
    }

    // MARK: Proofpoint

    @Test func proofpointDomainFromTheGetExample() throws {
        let o = try #require(try json("proofpoint/get-domains.json").object)
        let d = ProofpointMapping.domain(o)
        #expect(d.name == "sample.com")
        #expect(d.status == .disabled)  // "is_active": false
        #expect(d.relay == false)
        #expect(d.destination == "10.20.30.40")
        #expect(d.failovers == ["10.30.40.50", "10.40.50.60"])
        #expect(d.raw["is_active"]?.equals(.bool(false)) == true)
        // Written back, the record is the one the document's PUT and POST require.
        #expect(ProofpointMapping.record(d) == .object(o))
    }

    @Test func proofpointStatusCodesHaveTheDocumentsMeanings() {
        #expect(ProofpointMapping.meaning(409) == "already exists on the platform")
        #expect(ProofpointMapping.meaning(422) == "invalid request data")
        #expect(ProofpointMapping.meaning(403) == "not authorized for this organisation")
        #expect(ProofpointMapping.meaning(401) == "invalid credentials")
        #expect(ProofpointMapping.meaning(500) == "server error")
    }

    // MARK: Cleanmail

    @Test func cleanmailDomainFromTheGetExample() throws {
        let o = try #require(try json("cleanmail/get-domain.json").object)
        let rules = try #require(try json("cleanmail/domain-wblist.json").array)
        let d = CleanmailMapping.domain(o, rules: rules)
        #expect(d.name == "got.com")
        #expect(d.status == .enabled)
        #expect(d.aliases == [])
        // The default platform's transportDest, port 25 left implicit; no fallback.
        #expect(d.destination == "1.2.3.4")
        #expect(d.failovers == [])
        #expect(d.relay == false)  // policy.outgoing
        #expect(d.language == "en")  // "EN"
        #expect(d.description == nil)
        #expect(d.created == "2026-03-25T16:50:49Z")  // creationDate 1774457449000 ms
        #expect(d.allow == ["daenerys@goodguys.fr", "arya@goodguys.fr"])
        #expect(d.block == ["baelish@badguys.fr", "deadguys.fr", "joffrey@badguys.fr"])
        #expect(d.raw["id"]?.equals(.string("Eygdk")) == true)
        #expect(d.raw["customer"] != nil && d.raw["wblist"] != nil)
    }

    @Test func cleanmailListingLeavesRulesForLater() throws {
        let list = try #require(try json("cleanmail/list-domains.json").array)
        let domains = list.compactMap(\.object).map { CleanmailMapping.domain($0, rules: nil) }
        #expect(domains.map(\.name) == ["stark.net"])
        #expect(domains[0].language == "fr")
        #expect(domains[0].allow == nil && domains[0].block == nil)
        #expect(domains[0].mayBePartial)
    }

    @Test func cleanmailStatusesAndErrorBodies() {
        #expect(CleanmailMapping.meaning(409) == "already exists")
        #expect(CleanmailMapping.meaning(422) == "the operation's conditions are not met")
        #expect(CleanmailMapping.meaning(403) == "no permission for this request")
        #expect(CleanmailMapping.details(["message": "Domain already exists"]) == "Domain already exists")
    }

    // MARK: OpenSRS

    /// The document's Example 1 is not valid JSON as printed: two closing quotes are
    /// typographic (”) and the text stops after `notes_external` without closing its
    /// objects. Exactly those two faults are repaired; nothing else is touched.
    func repairTruncatedJSON(_ text: String) -> String {
        var t = text.replacingOccurrences(of: "\u{201D}", with: "\"")
        while let last = t.last, last.isWhitespace || last == "," { t.removeLast() }
        var stack: [Character] = []
        var inString = false, escaped = false
        for c in t {
            if inString {
                if escaped {
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else if c == "\"" {
                    inString = false
                }
            } else if c == "\"" {
                inString = true
            } else if c == "{" {
                stack.append("}")
            } else if c == "[" {
                stack.append("]")
            } else if c == "}" || c == "]" {
                stack.removeLast()
            }
        }
        return t + String(stack.reversed())
    }

    @Test func opensrsGetDomainExample1() throws {
        let printed = try text("opensrs/get_domain-example1.txt")
        #expect((try? JSON.parse(Array(printed.utf8))) == nil, "the printed example is not JSON; the repair is needed")
        let o = try #require(try JSON.parse(Array(repairTruncatedJSON(printed).utf8)).object)
        #expect(o["success"]?.bool == true)
        let d = OpenSRSMapping.domain(
            name: "example.com", attributes: try #require(o["attributes"]?.object),
            createtime: o["metadata"]?["createtime"], raw: o)
        #expect(d.name == "example.com")  // attributes.account
        #expect(d.status == .enabled)  // disabled: false
        #expect(d.aliases == ["schmemoco.com"])
        // As printed: the page masked the address, with a no-break space.
        #expect(d.allow == ["*@example.com", "[email\u{00A0}protected]"])
        #expect(d.block == [])
        #expect(d.destination == nil)  // filtermx: null
        #expect(d.language == "en")
        #expect(d.timezone == "America/Montreal")
        #expect(d.description == "Gold support for this domain")  // notes_external
        #expect(d.created == "2011-11-21T18:59:32Z")  // createtime "1321901972"
        #expect(d.raw["settable_attributes"] != nil)
        // The settable attributes include every neutral field the adapter writes.
        let settable = Set(o["settable_attributes"]?.strings ?? [])
        for attribute in ["aliases", "allow", "block", "disabled", "filtermx", "language", "timezone", "notes_external"]
        {
            #expect(settable.contains(attribute), "\(attribute)")
        }
    }

    @Test func opensrsGetDomainExample2IsAMissingDomain() throws {
        let o = try #require(try json("opensrs/get_domain-example2.txt").object)
        #expect(o["success"]?.bool == false)
        #expect(o["error_number"]?.int == 2)
        // Error 2 is what domain(named:) reads as "no such domain" (nil), and its meaning:
        #expect(OpenSRSMapping.meaning(2) == "object does not exist")
        #expect(o["error"]?.string?.lowercased() == "the requested object does not exist")
        #expect(o["metadata"]?["defaults"]?["timezone"]?.string == "America/Montreal")
    }

    // MARK: AD360

    @Test func ad360DomainsFromTheSample() throws {
        let list = try #require(try json("ad360/getDomains.json").array)
        let d = AD360Adapter.domain(try #require(list.first?.object))
        #expect(d.name == "ad360.local")
        #expect(d.status == .enabled)
        #expect(d.controllers == ["win2k12master.ad360.local", "EST-ADC.ad360.local"])
        #expect(d.raw["DOMAIN_FLAT_NAME"]?.equals(.string("AD360")) == true)
        #expect(d.raw["DOMAIN_FUNCTIONAL_LEVEL"]?.equals(.string("Windows Server 2008")) == true)
    }

    @Test func ad360CredentialResultsSuccessAndEachDocumentedError() throws {
        #expect(AD360Adapter.credentialFailures(try json("ad360/updateDomainCredential.json")).isEmpty)
        let invalid = AD360Adapter.credentialFailures(try json("ad360/updateDomainCredential-invalid-domain.json"))
        #expect(invalid.map(\.domain) == ["--"] && invalid.map(\.code) == ["INVALID_DOMAIN"])
        let credential = AD360Adapter.credentialFailures(try json("ad360/updateDomainCredential-credential.json"))
        #expect(
            credential.map(\.domain) == ["ad360.local"]
                && credential.map(\.code) == ["INVALID_OR_INSUFFICIENT_CREDENTIAL"])
        let server = AD360Adapter.credentialFailures(try json("ad360/updateDomainCredential-server.json"))
        #expect(server.map(\.code) == ["FAILURE_IN_SERVER"])
        #expect(AD360Settings.meaning("INVALID_DOMAIN") == "no such domain in AD360 (INVALID_DOMAIN)")
        let failure = try #require(
            AD360Adapter.failure(
                status: 200, body: try json("ad360/failure-in-server.json"), "update", "proxy settings"))
        #expect(failure.code == "FAILURE_IN_SERVER")
        #expect(failure.message == "update proxy settings: the AD360 server failed (FAILURE_IN_SERVER)")
        #expect(
            AD360Adapter.failure(
                status: 401, body: ["STATUS": "FAILURE", "ERROR_CODE": "AT001"], "read", "proxy settings")?.message
                == "read proxy settings: Invalid or missing AuthToken. "
                + "Check whether the AuthToken is not revoked or expired.")
    }

    @Test func ad360SettingsFromTheSamples() throws {
        let proxy = AD360Settings.proxy.neutral(try #require(try json("ad360/proxy-getSettings.json").object))
        #expect(proxy.keys == ["enabled", "server", "port", "user"])
        #expect(proxy["enabled"]?.equals(.bool(true)) == true)
        #expect(proxy["server"]?.equals(.string("ad360-dc1")) == true)
        #expect(proxy["port"]?.equals(.number(5005)) == true)
        #expect(proxy["user"]?.equals(.string("admin")) == true)
        let mail = AD360Settings.mailserver.neutral(try #require(try json("ad360/mail-getSettings.json").object))
        #expect(mail["server"]?.equals(.string("smtp")) == true)
        #expect(mail["port"]?.equals(.number(25)) == true)
        #expect(mail["from"]?.equals(.string("no-reply@ad360.local")) == true)
        #expect(mail["admin"]?.equals(.string("admin@ad360.local,super-admin@ad360.local")) == true)
        #expect(mail["password"] == nil)
    }
}
