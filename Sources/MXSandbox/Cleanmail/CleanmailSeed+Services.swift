import MXJSON

/// The demo tenant's services beyond domains and users, so runbooks can be rehearsed:
/// administrators and their tokens, DNS facts and health reports, a DKIM key, options,
/// end users' access, quarantined and archived mail (one message carries a virus),
/// attachment and URI filters, email aliases, a signature.
extension CleanmailSimulation {
    func seedDemoServices() {
        store.access { s in
            s.listCache = [:]
            Self.seedServices(&s)
        }
    }

    private static func seedServices(_ s: inout CleanmailStore) {
        func domain(_ name: String) -> Int? { s.domainNamed(name) }
        func user(_ email: String) -> Int? { s.emails[email] }
        let day = 86_400_000

        // DNS facts (health, X-Ignore-MX): three domains point their MX to Cleanmail, one wrongly.
        for (name, mx) in [
            ("northwind-mail.com", "OK"), ("woodgrove-bank.fr", "OK"), ("fabrikam-mail.org", "OK"),
            ("adventure-works.biz", "INVALID")
        ] {
            if let d = domain(name) { s.keyed["dns/\(d)"] = .object(JSONObject([("mx", .string(mx))])) }
        }
        // DKIM: northwind has a key; woodgrove's published key does not match its own.
        for name in ["northwind-mail.com", "woodgrove-bank.fr"] {
            if let d = domain(name) {
                CleanmailAPI.setDKIM(&s, d, ("protect", CleanmailAPI.generatedPublicKey("seed:\(name)")))
            }
        }
        if let d = domain("woodgrove-bank.fr") {
            s.keyed["dns/\(d)"] = .object(JSONObject([("mx", "OK"), ("dkim", "INVALID")]))
        }
        for d in s.domains.keys.sorted() where s.domains[d]?["status"]?.string != "PENDING" {
            CleanmailAPI.runDomainHealth(&s, d)
        }
        if let d = domain("tailspin-toys.io"), let p = s.defaultPlatform(d) { CleanmailAPI.runPlatformHealth(&s, p) }

        // Administrators: a helpdesk with two domains, a data protection officer reading one.
        func authority(_ d: Int, _ permissions: [String]) -> JSON {
            .object(
                JSONObject([
                    ("objectType", "DOMAIN"), ("objectId", .string(CleanmailID.encode(d))),
                    ("objectName", s.domains[d]!["name"]!),
                    ("permissions", .array(permissions.map(JSON.string))),
                    ("securedObjectName", s.domains[d]!["name"]!),
                    ("securedObjectClass", "Domain")
                ]))
        }
        let helpdeskRights = [
            "DOMAIN_READ", "USER_READ", "USER_WRITE", "QUARANTINE_READ", "QUARANTINE_RELEASE", "FILTER_READ"
        ]
        let helpdesk = [domain("northwind-mail.com"), domain("contoso-cm.net")].compactMap { $0 }.map {
            authority($0, helpdeskRights)
        }
        let h = s.insert(
            .admin,
            [
                ("login", "helpdesk"), ("displayName", "Helpdesk Team"), ("email", "helpdesk@northwind-mail.com"),
                ("enabled", true), ("language", "EN"), ("totp", true), ("sysAdmin", false),
                ("authorities", .array(helpdesk)),
                ("lastConnectionDate", .int(s.now())), ("createdAt", .int(s.now()))
            ])
        if let w = domain("woodgrove-bank.fr") {
            s.insert(
                .admin,
                [
                    ("login", "dpo.woodgrove"), ("displayName", "Délégué à la protection des données"),
                    ("email", "dpo@woodgrove-bank.fr"), ("enabled", true), ("language", "FR"), ("totp", false),
                    ("sysAdmin", false),
                    ("authorities", [authority(w, ["DOMAIN_READ", "ARCHIVE_READ", "QUARANTINE_READ"])]),
                    ("lastConnectionDate", .null), ("createdAt", .int(s.now()))
                ])
        }
        s.insert(
            .token,
            [
                ("adminId", .string(CleanmailID.encode(1))), ("name", "mxsh"),
                ("expiration", .int(CleanmailSimulation.epoch + 365 * day)),
                ("createdAt", .int(s.now())), ("lastUse", .int(s.clock))
            ])
        s.insert(
            .token,
            [
                ("adminId", .string(CleanmailID.encode(1))), ("name", "monitoring"), ("expiration", .null),
                ("createdAt", .int(s.now())), ("lastUse", .null)
            ])
        s.insert(
            .token,
            [
                ("adminId", .string(CleanmailID.encode(h))), ("name", "helpdesk-scripts"),
                ("expiration", .int(CleanmailSimulation.epoch + 90 * day)),
                ("createdAt", .int(s.now())), ("lastUse", .null)
            ])

        // Options and end users' access.
        if let d = domain("northwind-mail.com") {
            s.keyed[CleanmailStore.key("options", .domain(d))] = .object(
                JSONObject([
                    ("DOMAIN_ADMIN", "postmaster@northwind-mail.com"),
                    ("QUARANTINE_REPORT_FREQUENCY", "WEEKLY")
                ]))
            s.keyed["access/\(d)"] = .array(
                CleanmailAPI.endUserDefaults.sorted().filter { $0 != "QUARANTINE_RELEASE" }.map(JSON.string))
        }
        if let u = user("nancy@northwind-mail.com") {
            s.keyed[CleanmailStore.key("options", .user(u))] = .object(
                JSONObject([("QUARANTINE_REPORT_FREQUENCY", "DAILY")]))
            s.keyed["sign/\(u)"] = .string(
                CleanmailAPI.base64(Array("Nancy Davolio<br/>Sales Representative, Northwind Traders".utf8)))
        }

        // Quarantined and archived mail.
        typealias M = CleanmailAPI.NewMessage
        let t = CleanmailSimulation.epoch + 20 * day
        let mail: [(String, String, M)] = [
            (
                "nancy@northwind-mail.com", "Quarantine",
                M(
                    from: "billing@invoices-portal.example", to: ["nancy@northwind-mail.com"],
                    subject: "Invoice 88231 overdue", body: "Please find attached the overdue invoice.",
                    date: t + 3_600_000, reason: "VIRUS",
                    virus: "Win.Trojan.Agent-1234",
                    attachments: [
                        (
                            "invoice-88231.pdf.exe", "application/x-msdownload",
                            Array("sandbox placeholder: not a real executable".utf8)
                        )
                    ])
            ),
            (
                "nancy@northwind-mail.com", "Quarantine",
                M(
                    from: "deals@mega-offers.example", to: ["nancy@northwind-mail.com"],
                    subject: "You won a free cruise!!!", body: "Click here to claim your prize.", date: t + 7_200_000,
                    reason: "SPAM", spamScore: 14.2)
            ),
            (
                "nancy@northwind-mail.com", "Quarantine",
                M(
                    from: "orders@partners.example.com", to: ["nancy@northwind-mail.com"],
                    subject: "Purchase order PO-5521", body: "Our purchase order for March.", date: t + 10_800_000,
                    reason: "SPAM", spamScore: 5.4,
                    attachments: [
                        (
                            "PO-5521.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            Array("sandbox spreadsheet".utf8)
                        )
                    ])
            ),
            (
                "nancy@northwind-mail.com", "Quarantine",
                M(
                    from: "it-support@northwind-mail.com.example", to: ["nancy@northwind-mail.com"],
                    subject: "Password expires today", body: "Confirm your password at the link below.",
                    date: t + 14_400_000, reason: "SPAM", spamScore: 9.8)
            ),
            (
                "andrew@northwind-mail.com", "Quarantine",
                M(
                    from: "deals@mega-offers.example", to: ["andrew@northwind-mail.com"],
                    subject: "You won a free cruise!!!", body: "Click here to claim your prize.", date: t + 7_260_000,
                    reason: "SPAM", spamScore: 14.2)
            ),
            (
                "andrew@northwind-mail.com", "Quarantine",
                M(
                    from: "scans@copier.example", to: ["andrew@northwind-mail.com"],
                    subject: "Scanned document", body: "Scan attached.", date: t + 18_000_000, reason: "BAD_ATTACHMENT",
                    attachments: [("scan.iso", "application/x-iso9660-image", Array("sandbox placeholder image".utf8))])
            ),
            (
                "kim@contoso-cm.net", "Quarantine",
                M(
                    from: "news@spam-king.example", to: ["kim@contoso-cm.net"], subject: "Weekly digest",
                    body: "This week's offers.", date: t + 21_600_000, reason: "BLACKLISTED")
            ),
            (
                "marc@woodgrove-bank.fr", "Quarantine",
                M(
                    from: "alerte@banque-secure.example", to: ["marc@woodgrove-bank.fr"],
                    subject: "Votre compte est suspendu", body: "Veuillez confirmer vos identifiants.",
                    date: t + 25_200_000, reason: "SPAM", spamScore: 11.0)
            ),
            (
                "nancy@northwind-mail.com", "INBOX",
                M(
                    from: "andrew@northwind-mail.com", to: ["nancy@northwind-mail.com"],
                    subject: "Q1 figures", body: "Numbers for the board meeting.", date: t, seen: true)
            ),
            (
                "helene@woodgrove-bank.fr", "Archive/2025",
                M(
                    from: "audit@woodgrove-bank.fr", to: ["helene@woodgrove-bank.fr"],
                    subject: "Rapport d'audit 2025", body: "Le rapport annuel.",
                    date: CleanmailSimulation.epoch - 30 * day, seen: true)
            ),
            (
                "helene@woodgrove-bank.fr", "Archive/2026",
                M(
                    from: "marc@woodgrove-bank.fr", to: ["helene@woodgrove-bank.fr"],
                    subject: "Comité de crédit", body: "Ordre du jour.", date: t - 5 * day, seen: true)
            )
        ]
        for (email, folder, m) in mail { if let u = user(email) { CleanmailAPI.deliver(&s, to: u, folder: folder, m) } }

        // Filters.
        if let d = domain("northwind-mail.com") {
            for (action, type, filter, description) in [
                ("DENY", "FILENAME", ".*\\.exe$", "Executables"), ("DENY", "FILENAME", ".*\\.iso$", "Disk images"),
                ("ALLOW", "CONTENTTYPE", "application/pdf", "Invoices")
            ] {
                _ = try? CleanmailAPI.addFilter(
                    &s, CleanmailAPI.attachmentFilters, d,
                    JSONObject([
                        ("action", .string(action)), ("checkType", .string(type)),
                        ("filter", .string(filter)), ("description", .string(description))
                    ]))
            }
            _ = try? CleanmailAPI.addFilter(
                &s, CleanmailAPI.uriFilters, d,
                JSONObject([
                    ("action", "BLACKLIST_URI_HOST"), ("filter", "bit-ly-clone.example"),
                    ("description", "Phishing wave")
                ]))
            _ = try? CleanmailAPI.addFilter(
                &s, CleanmailAPI.uriFilters, d,
                JSONObject([("action", "WHITELIST_URI_HOST"), ("filter", "partners.example.com")]))
        }
        if let d = domain("contoso-cm.net") {
            _ = try? CleanmailAPI.addFilter(
                &s, CleanmailAPI.attachmentFilters, d,
                JSONObject([
                    ("action", "DENY"), ("checkType", "ARCHIVE_FILENAME"),
                    ("filter", ".*\\.js$"), ("description", .null)
                ]))
        }

        // Email aliases.
        for (name, email, recipients) in [
            (
                "northwind-mail.com", "sales@northwind-mail.com",
                ["nancy@northwind-mail.com", "andrew@northwind-mail.com", "sales-backup@partner.example"]
            ),
            ("northwind-mail.com", "all@northwind-mail.com", ["sales@northwind-mail.com", "janet@northwind-mail.com"]),
            ("woodgrove-bank.fr", "direction@woodgrove-bank.fr", ["marc@woodgrove-bank.fr", "helene@woodgrove-bank.fr"])
        ] {
            guard let d = domain(name) else { continue }
            let g = s.insert(
                .group, [("domainId", .string(CleanmailID.encode(d))), ("email", .string(email)), ("recipients", [])])
            try? CleanmailAPI.addRecipients(&s, g, .array(recipients.map(JSON.string)), format: "")
        }
    }
}

/// Seeding helpers for section 5's services, for tests and runbooks (no HTTP): nil
/// when the mailbox or domain does not exist.
extension CleanmailSimulation {
    /// A message held in the quarantine of a mailbox (`reason` SPAM, VIRUS,
    /// BAD_ATTACHMENT, BLACKLISTED...; a `virus` name flags it infected). Returns its
    /// X-Fuglu-Id.
    @discardableResult
    public func quarantine(
        _ email: String, from: String, subject: String, reason: String = "SPAM", virus: String? = nil,
        folder: String = "Quarantine"
    ) -> String? {
        store.access { s in
            guard let u = s.emails[email.lowercased()] else { return nil }
            s.listCache = [:]
            let m = CleanmailAPI.NewMessage(
                from: from, to: [email.lowercased()], subject: subject, body: "Sandbox message: \(subject)",
                date: s.now(), reason: virus == nil ? reason : "VIRUS", virus: virus,
                spamScore: reason == "SPAM" ? 8.5 : nil)
            let n = CleanmailAPI.deliver(&s, to: u, folder: folder, m)
            return s.record(.message, n)?["fugluId"]?.string
        }
    }

    /// The sandbox's DNS facts about a domain (health, X-Ignore-MX): `mx` "OK" (points to
    /// Cleanmail), "MISSING" or "INVALID"; `dkimMatches` false makes a key an invalid couple.
    public func setDNS(domain name: String, mx: String, dkimMatches: Bool = true) {
        store.access { s in
            guard let d = s.domainNamed(name) else { return }
            var facts = JSONObject([("mx", .string(mx))])
            if !dkimMatches { facts["dkim"] = "INVALID" }
            s.keyed["dns/\(d)"] = .object(facts)
        }
    }
}
