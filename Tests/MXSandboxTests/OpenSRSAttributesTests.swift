import MXHTTP
import MXJSON
import MXSandbox
import Testing

/// OpenSRS as vendors/opensrs-email-get_domain.txt describes a domain: every attribute
/// of its table, exactly its settable_attributes, its allowed values, options, inherit
/// and defaults; session tokens; users' attributes and limits; restore; history.
@Suite(.serialized)
struct OpenSRSAttributesTests {
    let client = HTTPClient()
    static let credentials: JSON = ["user": "admin@example.com", "password": "sandbox", "client": "tests"]
    static let documentSettable: [JSON] = [
        "aliases", "allow", "block", "brand", "default_password_encoding", "disabled", "filterdelivery", "filtermx",
        "language", "limit_aliases", "limit_users", "notes_external", "quota", "quota_maximum", "regen_passwords",
        "service_imap4", "service_pop3", "service_smtpin", "service_smtprelay", "service_smtprelay_webmail",
        "service_webmail", "spamfolder", "spamheader", "spamlevel", "spamtag", "stats_mailout", "timezone",
        "wm_domainalias", "workgroup"
    ]
    static let tableFields = [
        "account", "aliases", "allow", "block", "brand", "catchall", "company", "default_password_encoding", "disabled",
        "filterdelivery", "filtermx", "language", "limit_aliases", "limit_users", "notes_external", "password", "quota",
        "quota_maximum", "password_strength", "regen_passwords", "service_imap4", "service_pop3", "service_smtpin",
        "service_smtprelay", "service_smtprelay_webmail", "service_webmail", "smtp_sent_limit", "spamfolder",
        "spamheader",
        "spamlevel", "spamtag", "stats_mailout", "timezone", "wm_domainalias", "workgroup"
    ]

    func start() async throws -> String {
        let sim = OpenSRSSimulation()
        sim.addDomain(
            "example.com", ["aliases": ["schmemoco.com"], "allow": ["*@example.com"], "notes_external": "Gold support"])
        sim.addUser("ann@example.com", ["name": "Ann"])
        let ports = try await Sandbox(simulations: [sim]).start()
        return "http://127.0.0.1:\(ports[0])/api/"
    }

    func call(_ base: String, _ method: String, _ fields: JSONObject, credentials: JSON = credentials) async throws
        -> JSON
    {
        var body = fields
        body["credentials"] = credentials
        let r = try await client.send(
            HTTPRequest(
                .POST, base + method, headers: [("Content-Type", "application/json")],
                body: JSON.object(body).bytes))
        #expect(r.status == 200)
        return (try? JSON.parse(r.body)) ?? .null
    }

    // MARK: get_domain

    @Test func getDomainAnswersEveryAttributeOfTheTable() async throws {
        let base = try await start()
        let r = try await call(base, "get_domain", ["domain": "example.com"])
        #expect(r["success"] == true)
        #expect(r["settable_attributes"] == .array(Self.documentSettable))
        let a = try #require(r["attributes"]?.object)
        #expect(Set(a.keys) == Set(Self.tableFields))
        #expect(a["account"] == "example.com" && a["company"] == "Sandbox Co" && a["notes_external"] == "Gold support")
        #expect(a["quota"] == 5120 && a["quota_maximum"] == 15360 && a["workgroup"] == "staff")
        for s in [
            "service_imap4", "service_pop3", "service_smtpin", "service_smtprelay", "service_smtprelay_webmail",
            "service_webmail"
        ] {
            #expect(a[s] == "enabled")
        }
        #expect(
            a["spamlevel"] == .null && a["filterdelivery"] == .null && a["password"] == .null
                && a["stats_mailout"] == [])
        let m = try #require(r["metadata"]?.object)
        #expect(m.keys == ["options", "bulletins", "createtime", "inherit"])
        #expect(m["options"]?["spamlevel"] == [nil, "Very High", "High", "Normal"])
        #expect(m["options"]?["quota"] == [0, 15360] && m["options"]?["quota_maximum"] == [0, 15360])
        #expect(
            m["options"]?.object?.keys == [
                "quota", "default_password_encoding", "workgroup", "quota_maximum", "timezone",
                "language", "brand", "spamlevel"
            ])
        #expect(
            m["inherit"]?.object?.keys.sorted() == [
                "brand", "default_password_encoding", "filterdelivery", "password_strength",
                "regen_passwords", "smtp_sent_limit", "spamfolder", "spamheader", "spamlevel", "spamtag"
            ])
        #expect(m["inherit"]?["spamlevel"] == "Normal" && m["inherit"]?["filterdelivery"] == "quarantine")
        #expect(m["bulletins"] == ["manual": [], "auto": []])
    }

    @Test func aMissingDomainAnswersSettableOptionsAndDefaults() async throws {
        let base = try await start()
        let r = try await call(base, "get_domain", ["domain": "example3.com"])
        #expect(r["success"] == false && r["error_number"] == 2 && r["error"] == "The requested object does not exist")
        #expect(r["settable_attributes"] == .array(Self.documentSettable))
        #expect(r["metadata"]?.object?.keys == ["options", "defaults"])
        #expect(
            r["metadata"]?["defaults"] == [
                "service_imap4": "enabled", "quota": 5120, "disabled": false, "quota_maximum": 15360,
                "timezone": "UTC", "language": "en", "service_smtprelay": "enabled",
                "service_pop3": "enabled", "workgroup": "staff", "service_smtprelay_webmail": "enabled",
                "service_smtpin": "enabled", "service_webmail": "enabled"
            ])
        // An alias of another domain cannot be created: the error alone.
        let alias = try await call(base, "get_domain", ["domain": "schmemoco.com"])
        #expect(alias == ["success": false, "error_number": 2, "error": "The requested object does not exist"])
    }

    // MARK: change_domain

    @Test func theFourDocumentedSettablesOnceRefusedAreTaken() async throws {
        let base = try await start()
        let set: JSONObject = [
            "default_password_encoding": "SSHA512", "service_imap4": "suspended", "service_pop3": "disabled",
            "stats_mailout": ["ops@example.com"], "spamlevel": "Very High", "filterdelivery": "passthrough",
            "spamheader": "XSpam: Spam detected", "spamtag": "[SPAM]", "spamfolder": "Junk", "quota": 10240,
            "quota_maximum": 15360, "limit_users": 10, "limit_aliases": 0, "brand": "Example Co Brand",
            "workgroup": "sales", "wm_domainalias": true, "regen_passwords": true, "timezone": "Europe/Berlin",
            "language": "pt_BR", "service_smtprelay_webmail": "disabled"
        ]
        #expect(
            try await call(base, "change_domain", ["domain": "example.com", "attributes": .object(set)]) == [
                "success": true
            ])
        let a = try #require(try await call(base, "get_domain", ["domain": "example.com"])["attributes"]?.object)
        for (k, v) in set.pairs { #expect(a[k] == v, "\(k)") }
        // null hands a setting back to the company.
        #expect(
            try await call(
                base, "change_domain",
                ["domain": "example.com", "attributes": ["spamlevel": nil, "filterdelivery": nil]])["success"] == true)
        #expect(try await call(base, "get_domain", ["domain": "example.com"])["attributes"]?["spamlevel"] == .null)
    }

    @Test func readOnlyAttributesAreErrorFourUnknownOnesSix() async throws {
        let base = try await start()
        let r = try await call(
            base, "change_domain",
            [
                "domain": "example.com",
                "attributes": ["catchall": "ann@example.com", "password_strength": "high", "smtp_sent_limit": 10]
            ])
        #expect(
            r == [
                "success": false, "error": "No permission for attribute", "error_number": 4,
                "hints": [
                    "catchall": "not a settable attribute", "password_strength": "not a settable attribute",
                    "smtp_sent_limit": "not a settable attribute"
                ]
            ])
        let six = try await call(
            base, "change_domain", ["domain": "example.com", "attributes": ["spam_header": "XSpam: x", "find": 1]])
        #expect(six["error_number"] == 6)
        #expect(
            six["hints"] == [
                "spam_header": "not an attribute; the header is spamheader", "find": "not a settable attribute"
            ])
    }

    @Test(arguments: [
        ("spamlevel", "Low" as JSON, "one of: Normal, High, Very High (or null to inherit)"),
        ("filterdelivery", "drop", "one of: quarantine, passthrough (or null to inherit)"),
        ("service_imap4", "on", "one of: enabled, disabled, suspended"),
        ("service_webmail", nil, "one of: enabled, disabled, suspended"),
        ("quota", 20000, "a number from 0 to 15360"),
        ("quota_maximum", -1, "a number from 0 to 15360"),
        ("limit_users", -1, "a number from 0, or null for no limit"),
        ("limit_aliases", "many", "a number from 0, or null for no limit"),
        ("spamheader", "spam detected", "[Capital letter]anything[:] anything, such as XSpam: Spam detected"),
        ("timezone", "Mars", "a time zone, such as America/Montreal"),
        ("disabled", "yes", "true or false"),
        ("stats_mailout", JSON.array(["not-an-address"]), "a list of email addresses"),
        ("allow", "*@x.com", "a list of addresses (wildcards allowed)")
    ])
    func valuesTheDocumentDoesNotAllowAreErrorSix(_ c: (String, JSON, String)) async throws {
        let base = try await start()
        let r = try await call(
            base, "change_domain", ["domain": "example.com", "attributes": .object(JSONObject([(c.0, c.1)]))])
        #expect(
            r == [
                "success": false, "error": "Attribute is badly formatted", "error_number": 6,
                "hints": .object(JSONObject([(c.0, .string(c.2))]))
            ])
    }

    @Test func optionValuesAreCheckedAgainstMetadataOptions() async throws {
        let base = try await start()
        for (k, v) in [
            ("language", "xx"), ("brand", "Other Brand"), ("workgroup", "pirates"),
            ("default_password_encoding", "ROT13")
        ] {
            let r = try await call(
                base, "change_domain", ["domain": "example.com", "attributes": .object(JSONObject([(k, .string(v))]))])
            #expect(r["error_number"] == 6)
            #expect(r["hints"]?[k]?.string?.hasPrefix("one of metadata.options.\(k): ") == true)
        }
    }

    @Test func tooManyDomainAliasesIsSixteen() async throws {
        let base = try await start()
        let many = JSON.array((0...2000).map { .string("a\($0).example") })
        #expect(
            try await call(base, "change_domain", ["domain": "example.com", "attributes": ["aliases": many]])[
                "error_number"] == 16)
    }

    // MARK: session tokens

    @Test func authenticateGivesATokenTheCredentialsAccept() async throws {
        let base = try await start()
        let auth = try await call(base, "authenticate", ["generate_session_token": true])
        #expect(auth["success"] == true && auth["session_token_duration"] == 10800)
        let token = try #require(auth["session_token"]?.string)
        let r = try await call(
            base, "get_domain", ["domain": "example.com"],
            credentials: ["user": "admin@example.com", "token": .string(token)])
        #expect(r["success"] == true)
        let bad = try await call(
            base, "get_domain", ["domain": "example.com"], credentials: ["user": "admin@example.com", "token": "forged"]
        )
        #expect(bad == ["success": false, "error": "Invalid credentials", "error_number": 1])
        let short = try await call(base, "authenticate", ["generate_session_token": true, "session_token_duration": 60])
        #expect(short["session_token_duration"] == 60 && short["session_token"]?.string != token)
        let long = try await call(
            base, "authenticate", ["generate_session_token": true, "session_token_duration": 86401])
        #expect(long["error_number"] == 6 && long["hints"]?["session_token_duration"] == "seconds, from 1 to 86400")
        #expect(try await call(base, "authenticate", [:]) == ["success": true])
        #expect(
            try await call(base, "authenticate", [:], credentials: ["user": "admin@example.com", "password": "x"])[
                "error_number"] == 1)
    }

    // MARK: users

    @Test func usersCarryTheRealAPIsAttributesFromTheirDomain() async throws {
        let base = try await start()
        _ = try await call(
            base, "change_domain",
            ["domain": "example.com", "attributes": ["service_pop3": "disabled", "language": "fr"]])
        #expect(
            try await call(
                base, "change_user",
                ["user": "bob@example.com", "attributes": ["name": "Bob", "password": "pw", "title": "CTO"]])["success"]
                == true)
        let r = try await call(base, "get_user", ["user": "bob@example.com"])
        let a = try #require(r["attributes"]?.object)
        #expect(a["account"] == "bob@example.com" && a["mailbox"] == "bob@example.com" && a["type"] == "mailbox")
        #expect(
            a["service_pop3"] == "disabled" && a["service_imap4"] == "enabled" && a["language"] == "fr"
                && a["quota"] == 5120)
        #expect(
            a["title"] == "CTO" && a["password"] == nil && a["delivery_local"] == true && a["forward_recipients"] == [])
        #expect(r["settable_attributes"]?.array?.contains("spamlevel") == true)
        #expect(r["settable_attributes"]?.array?.contains("account") == false)
        #expect(r["metadata"]?["createtime"]?.string != nil)
        let four = try await call(base, "change_user", ["user": "bob@example.com", "attributes": ["type": "forward"]])
        #expect(four["error_number"] == 4 && four["hints"] == ["type": "not a settable attribute"])
        let six = try await call(
            base, "change_user", ["user": "bob@example.com", "attributes": ["quota": 20000, "spamlevel": "Low"]])
        #expect(six["error_number"] == 6)
        #expect(six["hints"]?["quota"] == "a number of megabytes from 0 to 15360 (the domain's quota_maximum)")
        #expect(six["hints"]?["spamlevel"] != nil)
    }

    @Test func theDomainsLimitsHold() async throws {
        let base = try await start()
        _ = try await call(
            base, "change_domain", ["domain": "example.com", "attributes": ["limit_users": 2, "limit_aliases": 1]])
        #expect(try await call(base, "change_user", ["user": "bob@example.com"])["success"] == true)
        #expect(
            try await call(base, "change_user", ["user": "cat@example.com"]) == [
                "success": false, "error": "Domain users full", "error_number": 15
            ])
        #expect(
            try await call(
                base, "change_user", ["user": "bob@example.com", "attributes": ["aliases": ["b@example.com"]]])[
                    "success"] == true)
        #expect(
            try await call(
                base, "change_user", ["user": "ann@example.com", "attributes": ["aliases": ["a@example.com"]]])
                == ["success": false, "error": "Domain aliases full", "error_number": 16])
        // A deleted user frees its place; restoring it when full is 15.
        #expect(try await call(base, "delete_user", ["user": "bob@example.com"])["success"] == true)
        #expect(try await call(base, "change_user", ["user": "cat@example.com"])["success"] == true)
        #expect(try await call(base, "restore_user", ["user": "bob@example.com"])["error_number"] == 15)
    }

    // MARK: restore

    @Test func restoreBringsBackDomainsAndUsersWithTheirAttributes() async throws {
        let base = try await start()
        _ = try await call(base, "change_user", ["user": "ann@example.com", "attributes": ["title": "CEO"]])
        #expect(try await call(base, "delete_user", ["user": "ann@example.com"]) == ["success": true])
        #expect(try await call(base, "get_user", ["user": "ann@example.com"])["error_number"] == 13)
        #expect(try await call(base, "delete_domain", ["domain": "example.com"]) == ["success": true])
        // The user waits for its domain.
        #expect(
            try await call(base, "restore_user", ["user": "ann@example.com"]) == [
                "success": false, "error": "Domain does not exist", "error_number": 11
            ])
        #expect(try await call(base, "restore_domain", ["domain": "example.com"]) == ["success": true])
        #expect(try await call(base, "restore_user", ["user": "ann@example.com"]) == ["success": true])
        #expect(try await call(base, "get_user", ["user": "ann@example.com"])["attributes"]?["title"] == "CEO")
        #expect(
            try await call(base, "get_domain", ["domain": "example.com"])["attributes"]?["aliases"] == ["schmemoco.com"]
        )
        // Restoring what is not deleted: the deleted object does not exist.
        #expect(try await call(base, "restore_domain", ["domain": "example.com"])["error_number"] == 2)
        #expect(try await call(base, "restore_user", ["user": "ann@example.com"])["error_number"] == 13)
    }

    // MARK: history

    @Test func domainChangesRecordWhatWhenAndWho() async throws {
        let base = try await start()
        _ = try await call(base, "change_domain", ["domain": "new.com", "attributes": ["filtermx": "10.0.0.5"]])
        _ = try await call(
            base, "change_domain", ["domain": "new.com", "attributes": ["spamlevel": "High", "filtermx": "10.0.0.5"]])
        // No change: no record.
        _ = try await call(base, "change_domain", ["domain": "new.com", "attributes": ["filtermx": "10.0.0.5"]])
        _ = try await call(base, "delete_domain", ["domain": "new.com"])
        _ = try await call(base, "restore_domain", ["domain": "new.com"])
        let r = try await call(base, "get_domain_changes", ["domain": "new.com"])
        #expect(r["success"] == true && r["count"] == 4 && r["total"] == 4)
        let changes = try #require(r["changes"]?.array)
        #expect(
            changes.compactMap { $0["msg"]?.string } == [
                "restore_domain new.com: restored", "delete_domain new.com: deleted",
                "change_domain new.com: changed spamlevel null -> \"High\"",
                "change_domain new.com: created filtermx=\"10.0.0.5\""
            ])
        for c in changes {
            #expect(c["user"] == "admin@example.com" && c["application"] == "tests")
            #expect((c["time"]?.int ?? 0) > 1_600_000_000)
        }
        #expect(changes.first?.object?.keys == ["application", "msg", "time", "user"])
        let page = try await call(base, "get_domain_changes", ["domain": "new.com", "range": ["first": 1, "limit": 2]])
        #expect(page["count"] == 2 && page["total"] == 4)
        let messages = changes.compactMap { $0["msg"]?.string }
        #expect(page["changes"]?.array?.compactMap { $0["msg"]?.string } == Array(messages[1...2]))
        #expect(try await call(base, "get_domain_changes", ["domain": "never.com"])["error_number"] == 2)
        #expect(
            try await call(base, "get_domain_changes", ["domain": "new.com", "range": ["first": -1]])["error_number"]
                == 6)
    }

    @Test func userChangesHideThePassword() async throws {
        let base = try await start()
        _ = try await call(
            base, "change_user", ["user": "ann@example.com", "attributes": ["password": "s3cret", "name": "Ann B"]])
        let r = try await call(base, "get_user_changes", ["user": "ann@example.com"])
        #expect(r["total"] == 1)
        let c = try #require(r["changes"]?.array?.first)
        #expect(c["user"] == "admin@example.com")
        #expect(
            c["msg"]?.string == "change_user ann@example.com: changed password \"****\" -> \"****\", "
                + "name \"Ann\" -> \"Ann B\"")
        #expect(!JSON.object(r.object!).text.contains("s3cret"))
        #expect(try await call(base, "get_user_changes", ["user": "zed@example.com"])["error_number"] == 13)
    }
}
