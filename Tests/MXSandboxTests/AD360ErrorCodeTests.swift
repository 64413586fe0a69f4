import MXHTTP
import MXJSON
import MXSandbox
import Testing

/// AD360: every documented error code, with the document's own text, where the
/// document (or, marked ASSUMED in the simulation, its simulated servers) says; the
/// document's own samples accepted; updates checked for the mandatory attributes.
@Suite(.serialized)
struct AD360ErrorCodeTests {
    let client = HTTPClient()
    static let auth: [(name: String, value: String)] = [("Authorization", "Bearer sandbox-token")]

    func start() async throws -> String {
        let sim = AD360Simulation()
        sim.seed(.demo)
        let ports = try await Sandbox(simulations: [sim]).start()
        return "http://127.0.0.1:\(ports[0])/RestAPI"
    }

    func form(_ url: String, _ field: String, _ json: String, token: String = AD360Simulation.token) async throws
        -> HTTPResponse
    {
        let body = field + "=" + formEncode(json)
        return try await client.send(
            HTTPRequest(
                .POST, url,
                headers: [
                    ("Authorization", "Bearer " + token),
                    ("Content-Type", "application/x-www-form-urlencoded")
                ],
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

    func failure(_ code: String) -> String {
        #"{"STATUS":"FAILURE","ERROR_CODE":"\#(code)","ERROR_MSG":\#(AD360Simulation.errors[code]!.jsonQuoted)}"#
    }

    @Test func documentTextsOfTheCodesOnceMisdescribed() {
        #expect(
            AD360Simulation.errors["AT004"]
                == "Access denied. User role has changed and the user no longer has permission to access this API.")
        #expect(
            AD360Simulation.errors["AT005"]
                == "Access denied. You don't have permission to access this API. Please contact your administrator.")
        #expect(AD360Simulation.errors["PS001"] == "Authentication required to access proxy server.")
        #expect(AD360Simulation.errors["PS002"] == "Proxy Server is down. Please try again later.")
        #expect(AD360Simulation.errors["CE003"] == "Invalid username or password.")
        #expect(
            AD360Simulation.errors["MS009"] == #"Please make sure the mail address doesn't contain "zohocorp" domain."#)
        #expect(AD360Simulation.errors.count == 25)
    }

    @Test func theDocumentsMailSampleIsAcceptedAsWritten() async throws {
        let base = try await start()
        let r = try await form(
            base + "/MailSettings/updateSettings", "MAIL_SETTINGS",
            #"{"PORT":"25","FROM_MAIL_ID":"no-reply@ad360.local","SERVER_NAME":"smtp","USER_NAME":"admin","ADMIN_MAIL"#
                + #"_ID":"admin@ad360.local","PASSWORD":"Test123"}"#
        )
        #expect(r.status == 200)
        #expect(r.text == #"{"STATUS":"SUCCESS"}"#)
        let got = try await client.send(HTTPRequest(.GET, base + "/MailSettings/getSettings", headers: Self.auth))
        #expect(
            got.text
                == #"{"SERVER_NAME":"smtp","PORT":"25","FROM_MAIL_ID":"no-reply@ad360.local","USER_NAME":"admin","ADM"#
                + #"IN_MAIL_ID":"admin@ad360.local"}"#
        )
        // The same user again without the password: the saved one is kept.
        let again = try await form(
            base + "/MailSettings/updateSettings", "MAIL_SETTINGS",
            #"{"PORT":"587","FROM_MAIL_ID":"no-reply@ad360.local","SERVER_NAME":"smtp","USER_NAME":"admin","ADMIN_MAI"#
                + #"L_ID":"admin@ad360.local","CONNECTION_SECURITY":"TLS"}"#
        )
        #expect(again.text == #"{"STATUS":"SUCCESS"}"#)
    }

    @Test func theDocumentsProxySampleIsAcceptedAsWritten() async throws {
        let base = try await start()
        let r = try await form(
            base + "/ProxySettings/updateSettings", "PROXY_SETTINGS",
            #"{"ENABLE_PROXY":"true","SERVER_NAME":"ad360-dc1","PORT":"5005","USER_NAME":"admin","PASSWORD":"Test123"}"#
        )
        #expect(r.text == #"{"STATUS":"SUCCESS"}"#)
    }

    @Test(arguments: [
        (
            #"{"SERVER_NAME":"smtp-auth.ad360.local","PORT":"587","FROM_MAIL_ID":"a@b.c","ADMIN_MAIL_ID":"a@b.c","CON"#
                + #"NECTION_SECURITY":"TLS"}"#,
            "MS003"
        ),
        (#"{"SERVER_NAME":"smtp","PORT":"26","FROM_MAIL_ID":"a@b.c","ADMIN_MAIL_ID":"a@b.c"}"#, "MS004"),
        (#"{"SERVER_NAME":"mail.down.invalid","PORT":"25","FROM_MAIL_ID":"a@b.c","ADMIN_MAIL_ID":"a@b.c"}"#, "MS005"),
        (
            #"{"SERVER_NAME":"smtp","PORT":"25","FROM_MAIL_ID":"a@b.c","ADMIN_MAIL_ID":"a@b.c","USER_NAME":"admin","P"#
                + #"ASSWORD":"wrong"}"#,
            "MS006"
        ),
        (
            #"{"SERVER_NAME":"smtp","PORT":"25","FROM_MAIL_ID":"a@b.c","ADMIN_MAIL_ID":"a@b.c","CONNECTION_SECURITY":"#
                + #""SSL"}"#,
            "MS007"
        ),
        (#"{"SERVER_NAME":"smtp","PORT":"25","FROM_MAIL_ID":"alerts@zohocorp.com","ADMIN_MAIL_ID":"a@b.c"}"#, "MS009"),
        (
            #"{"SERVER_NAME":"smtp","PORT":"25","FROM_MAIL_ID":"a@b.c","ADMIN_MAIL_ID":"a@b.c,x@mail.zohocorp.com"}"#,
            "MS009"
        ),
        (#"{"SERVER_NAME":"smtp server","PORT":"25","FROM_MAIL_ID":"a@b.c","ADMIN_MAIL_ID":"a@b.c"}"#, "MS010"),
        (
            #"{"SERVER_NAME":"smtp","PORT":"25","FROM_MAIL_ID":"a@b.c","ADMIN_MAIL_ID":"a@b.c","USER_NAME":"someone"}"#,
            "MS011"
        ),
        (#"{"SERVER_NAME":"smtp","PORT":"25","FROM_MAIL_ID":"a@b.c","ADMIN_MAIL_ID":"a@b.c","PASSWORD":"x"}"#, "MS011"),
        (
            #"{"SERVER_NAME":"smtp","PORT":"465","FROM_MAIL_ID":"a@b.c","ADMIN_MAIL_ID":"a@b.c","CONNECTION_SECURITY""#
                + #":"TLS"}"#,
            "MS012"
        ),
        (
            #"{"SERVER_NAME":"smtp","PORT":"25","FROM_MAIL_ID":"a@b.c","ADMIN_MAIL_ID":"a@b.c","CONNECTION_SECURITY":"#
                + #""NONE"}"#,
            "MS013"
        ),
        (#"{"SERVER_NAME":"smtp","PORT":"0","FROM_MAIL_ID":"a@b.c","ADMIN_MAIL_ID":"a@b.c"}"#, "MS014")
    ])
    func mailServerAnswers(_ c: (String, String)) async throws {
        let base = try await start()
        let r = try await form(base + "/MailSettings/updateSettings", "MAIL_SETTINGS", c.0)
        #expect(r.status == 200)
        #expect(r.text == failure(c.1))
        // Nothing was saved.
        let got = try JSON.parse(
            try await client.send(HTTPRequest(.GET, base + "/MailSettings/getSettings", headers: Self.auth)).body)
        #expect(got["SERVER_NAME"] == "smtp" && got["PORT"] == "25")
    }

    @Test func sslOn465AndTlsOn587AreSaved() async throws {
        let base = try await start()
        for (port, security) in [("465", "SSL"), ("587", "TLS"), ("2525", "TLS")] {
            let r = try await form(
                base + "/MailSettings/updateSettings", "MAIL_SETTINGS",
                #"{"SERVER_NAME":"smtp.example.com","PORT":"\#(port)","FROM_MAIL_ID":"a@b.c","ADMIN_MAIL_ID":"a@b.c","#
                    + #""CONNECTION_SECURITY":"\#(security)"}"#
            )
            #expect(r.text == #"{"STATUS":"SUCCESS"}"#)
        }
    }

    @Test(arguments: [
        (#"{"ENABLE_PROXY":"true","SERVER_NAME":"ad360-dc1","PORT":"5005"}"#, "PS001", 200),
        (#"{"ENABLE_PROXY":"true","SERVER_NAME":"proxy.down.invalid","PORT":"3128"}"#, "PS002", 200),
        (
            #"{"ENABLE_PROXY":"true","SERVER_NAME":"ad360-dc1","PORT":"5005","USER_NAME":"admin","PASSWORD":"nope"}"#,
            "CE003", 200
        ),
        (#"{"ENABLE_PROXY":"true","SERVER_NAME":"proxy.corp","PORT":"3128","USER_NAME":"svc"}"#, "CE003", 200),
        (#"{"ENABLE_PROXY":"false"}"#, "CE001", 400),
        (#"{"ENABLE_PROXY":"true","SERVER_NAME":"proxy.corp"}"#, "CE001", 400),
        (#"{"ENABLE_PROXY":"yes","SERVER_NAME":"proxy.corp","PORT":"3128"}"#, "CE001", 400)
    ])
    func proxyAnswers(_ c: (String, String, Int)) async throws {
        let base = try await start()
        let r = try await form(base + "/ProxySettings/updateSettings", "PROXY_SETTINGS", c.0)
        #expect(r.status == c.2)
        #expect(r.text == failure(c.1))
    }

    @Test func disablingNamesTheServerAsTheTableSays() async throws {
        let base = try await start()
        let r = try await form(
            base + "/ProxySettings/updateSettings", "PROXY_SETTINGS",
            #"{"ENABLE_PROXY":"false","SERVER_NAME":"proxy.corp","PORT":"3128"}"#)
        #expect(r.text == #"{"STATUS":"SUCCESS"}"#)
    }

    @Test func tokensOfTheOtherAccessErrors() async throws {
        let base = try await start()
        let proxy = #"{"ENABLE_PROXY":"true","SERVER_NAME":"proxy.corp","PORT":"3128"}"#
        // A reading token reads and may not update.
        let read = try await client.send(
            HTTPRequest(
                .GET, base + "/ProxySettings/getSettings",
                headers: [("Authorization", "Bearer " + AD360Simulation.readOnlyToken)]))
        #expect(read.status == 200)
        let denied = try await form(
            base + "/ProxySettings/updateSettings", "PROXY_SETTINGS", proxy, token: AD360Simulation.readOnlyToken)
        #expect(denied.status == 403 && denied.text == failure("AT002"))
        for (token, code) in [(AD360Simulation.roleChangedToken, "AT004"), (AD360Simulation.deniedToken, "AT005")] {
            let r = try await client.send(
                HTTPRequest(.GET, base + "/DomainSettings/getDomains", headers: [("Authorization", "Bearer " + token)]))
            #expect(r.status == 403)
            #expect(r.text == failure(code))
        }
        let none = try await client.send(
            HTTPRequest(.GET, base + "/DomainSettings/getDomains", headers: [("Authorization", "Bearer nope")]))
        #expect(none.status == 401 && none.text == failure("AT001"))
    }

    @Test func domainCredentialsMandatoryAndPerDomainFailures() async throws {
        let base = try await start()
        #expect(
            try await form(base + "/DomainSettings/updateDomainCredential", "DOMAINS", "[]").text == failure("CE001"))
        let r = try await form(
            base + "/DomainSettings/updateDomainCredential", "DOMAINS",
            #"[{"USER_NAME":"admin"},{"DOMAIN_NAME":"corp.example.com","USER_NAME":"admin"}]"#)
        #expect(
            r.text
                == #"{"STATUS":"SUCCESS","DOMAINS":{"--":"{\"DOMAIN_STATUS\":\"FAILURE\",\"ERROR_MSG\":\"INVALID_DOMA"#
                + #"IN\"}","corp.example.com":"{\"DOMAIN_STATUS\":\"FAILURE\",\"ERROR_MSG\":\"INVALID_OR_INSUFFIC"#
                + #"IENT_CREDENTIAL\"}"}}"#
        )
    }
}
