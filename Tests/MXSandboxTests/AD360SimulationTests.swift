import MXHTTP
import MXJSON
import MXSandbox
import Testing

/// The AD360 simulation over real HTTP: the documented samples, codes and envelopes.
@Suite(.serialized)
struct AD360SimulationTests {
    let client = HTTPClient()
    static let auth: [(name: String, value: String)] = [("Authorization", "Bearer sandbox-token")]
    /// The document's sample domain, verbatim.
    static let sampleDomain =
        #"{"DEFAULT_NAMING_CONTEXT":"DC=ad360,DC=local","IS_DEFAULT_DOMAIN":"true","DC_LIST":["win2k12master.ad360.lo"#
        + #"cal","EST-ADC.ad360.local"],"DOMAIN_FLAT_NAME":"AD360","DOMAIN_NAME":"ad360.local","DOMAIN_DNS_NAME":"#
        + #""ad360.local","DOMAIN_FUNCTIONAL_LEVEL":"Windows Server 2008"}"#

    func start() async throws -> String {
        let sim = AD360Simulation()
        sim.addDomain(try JSON.parse(Self.sampleDomain).object!)
        let ports = try await Sandbox(simulations: [sim]).start()
        return "http://127.0.0.1:\(ports[0])/RestAPI"
    }

    func form(_ url: String, _ field: String, _ json: String, headers: [(name: String, value: String)] = auth)
        async throws -> HTTPResponse
    {
        let body = field + "=" + formEncode(json)
        return try await client.send(
            HTTPRequest(
                .POST, url, headers: headers + [("Content-Type", "application/x-www-form-urlencoded")],
                body: Array(body.utf8)))
    }

    func formEncode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(Unicode.Scalar(b))
            if c.isLetter || c.isNumber || "-_.".contains(c) {
                out.append(c)
            } else {
                let hex = String(b, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    @Test func getDomainsAnswersTheDocumentedSample() async throws {
        let base = try await start()
        let r = try await client.send(HTTPRequest(.GET, base + "/DomainSettings/getDomains", headers: Self.auth))
        #expect(r.status == 200)
        #expect(r.text == "[" + Self.sampleDomain + "]")
    }

    @Test func missingOrWrongTokenIsAT001() async throws {
        let base = try await start()
        for headers in [[], [(name: "Authorization", value: "Bearer nope")]] {
            let r = try await client.send(HTTPRequest(.GET, base + "/DomainSettings/getDomains", headers: headers))
            #expect(r.status == 401)
            #expect(try JSON.parse(r.body)["ERROR_CODE"] == "AT001")
        }
    }

    @Test func wrongMethodIsAT003() async throws {
        let base = try await start()
        let r = try await client.send(HTTPRequest(.POST, base + "/DomainSettings/getDomains", headers: Self.auth))
        #expect(try JSON.parse(r.body)["ERROR_CODE"] == "AT003")
    }

    @Test func updateCredentialPerDomainResults() async throws {
        let base = try await start()
        let r = try await form(
            base + "/DomainSettings/updateDomainCredential", "DOMAINS",
            #"[{"DOMAIN_NAME":"ad360.local","USER_NAME":"admin","USER_PASSWORD":"Test123"},{"DOMAIN_NAME":"nope.local"#
                + #""}]"#
        )
        #expect(r.status == 200)
        #expect(
            r.text
                == #"{"STATUS":"SUCCESS","DOMAINS":{"ad360.local":"{\"DOMAIN_STATUS\":\"SUCCESS\"}","nope.local":"{\""#
                + #"DOMAIN_STATUS\":\"FAILURE\",\"ERROR_MSG\":\"INVALID_DOMAIN\"}"}}"#
        )
        let domains = try JSON.parse(
            try await client.send(HTTPRequest(.GET, base + "/DomainSettings/getDomains", headers: Self.auth)).body)
        #expect(domains.array?.first?["USER_NAME"] == "admin")
        #expect(!String(decoding: domains.bytes, as: UTF8.self).contains("Test123"))
    }

    @Test func missingParameterIsCE001() async throws {
        let base = try await start()
        let r = try await form(base + "/ProxySettings/updateSettings", "WRONG", "{}")
        #expect(r.status == 400)
        #expect(try JSON.parse(r.body)["ERROR_CODE"] == "CE001")
    }

    @Test func proxyRoundTripWithoutThePassword() async throws {
        let base = try await start()
        let r = try await form(
            base + "/ProxySettings/updateSettings", "PROXY_SETTINGS",
            #"{"ENABLE_PROXY":"true","SERVER_NAME":"ad360-dc1","PORT":"5005","USER_NAME":"admin","PASSWORD":"Test123"}"#
        )
        #expect(r.text == #"{"STATUS":"SUCCESS"}"#)
        let got = try await client.send(HTTPRequest(.GET, base + "/ProxySettings/getSettings", headers: Self.auth))
        #expect(got.text == #"{"ENABLE_PROXY":"true","SERVER_NAME":"ad360-dc1","PORT":"5005","USER_NAME":"admin"}"#)
    }

    @Test(arguments: [
        (
            #"{"SERVER_NAME":"smtp","PORT":"99999","FROM_MAIL_ID":"a@b.c","ADMIN_MAIL_ID":"a@b.c","CONNECTION_SECURIT"#
                + #"Y":"TLS"}"#,
            "MS014"
        ),
        (
            #"{"SERVER_NAME":"smtp","PORT":"25","FROM_MAIL_ID":"nope","ADMIN_MAIL_ID":"a@b.c","CONNECTION_SECURITY":""#
                + #"TLS"}"#,
            "MS001"
        ),
        (
            #"{"SERVER_NAME":"smtp","PORT":"25","FROM_MAIL_ID":"a@b.c","ADMIN_MAIL_ID":"a@b.c, "#
                + #"x","CONNECTION_SECURITY":"TLS"}"#,
            "MS002"
        ),
        (
            #"{"SERVER_NAME":"smtp","PORT":"25","FROM_MAIL_ID":"a@b.c","ADMIN_MAIL_ID":"a@b.c","CONNECTION_SECURITY":"#
                + #""STARTTLS"}"#,
            "MS013"
        ),
        (#"{"PORT":"25"}"#, "CE001")
    ])
    func mailSettingsValidation(_ c: (String, String)) async throws {
        let base = try await start()
        let r = try await form(base + "/MailSettings/updateSettings", "MAIL_SETTINGS", c.0)
        #expect(try JSON.parse(r.body)["ERROR_CODE"] == .string(c.1))
        #expect(try JSON.parse(r.body)["STATUS"] == "FAILURE")
    }

    @Test func mailSettingsSaved() async throws {
        let base = try await start()
        let r = try await form(
            base + "/MailSettings/updateSettings", "MAIL_SETTINGS",
            #"{"PORT":"587","FROM_MAIL_ID":"no-reply@ad360.local","SERVER_NAME":"smtp.example.com","USER_NAME":"admin"#
                + #"","ADMIN_MAIL_ID":"admin@ad360.local","PASSWORD":"Test123","CONNECTION_SECURITY":"TLS"}"#
        )
        #expect(r.text == #"{"STATUS":"SUCCESS"}"#)
        let got = try JSON.parse(
            try await client.send(HTTPRequest(.GET, base + "/MailSettings/getSettings", headers: Self.auth)).body)
        #expect(got["SERVER_NAME"] == "smtp.example.com")
        #expect(got["PASSWORD"] == nil)
    }
}
