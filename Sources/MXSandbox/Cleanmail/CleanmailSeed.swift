import MXJSON

/// The Cleanmail tenant of `--seed`: its own domains (none shared with the other
/// vendors, so a migration has somewhere to go and something to move). Deterministic:
/// ids, creation dates and contents are the same on every run (the simulation's clock
/// starts at a fixed date and advances one second per object).
extension CleanmailSimulation {
    public func seed(_ seed: SandboxSeed) {
        switch seed {
        case .demo: seedDemo()
        case .generated(let n): seedGenerated(n)
        }
    }

    private func seedDemo() {
        struct Demo {
            var name: String
            var status = "ENABLED"
            var description: String? = nil
            var language = "EN"
            var destination: String? = nil
            var fallback: String? = nil
            var port = 25
            var outgoing = false
            var aliases: [String] = []
            var externalId: String? = nil
        }
        let demo: [Demo] = [
            Demo(
                name: "northwind-mail.com", description: "Northwind Traders, head office",
                destination: "mx1.northwind-mail.com",
                fallback: "mx2.northwind-mail.com", outgoing: true, aliases: ["northwind-traders.com", "nwtraders.net"],
                externalId: "NW-1001"),
            Demo(name: "contoso-cm.net", destination: "10.40.0.10", aliases: ["contoso-mail.net"]),
            Demo(name: "fabrikam-mail.org", language: "FR", destination: "smtp.fabrikam-mail.org", port: 587),
            Demo(
                name: "tailspin-toys.io", destination: "mail.tailspin-toys.io", fallback: "10.40.0.21", outgoing: true),
            Demo(
                name: "adventure-works.biz", language: "DE", destination: "10.40.0.30", aliases: ["adventureworks.de"]),
            Demo(name: "wingtip-air.net", status: "DISABLED", destination: "mx.wingtip-air.net"),
            Demo(name: "litware-inc.com", destination: "10.40.0.40"),
            Demo(name: "proseware.co", status: "DISABLED", destination: "10.40.0.50", aliases: ["proseware-old.co"]),
            Demo(name: "fourthcoffee.cafe", language: "ES", destination: "mx.fourthcoffee.cafe"),
            Demo(name: "alpineski-house.eu", status: "PENDING"),
            Demo(
                name: "woodgrove-bank.fr", language: "FR", destination: "mx1.woodgrove-bank.fr",
                fallback: "mx2.woodgrove-bank.fr",
                outgoing: true, aliases: ["woodgrove.fr", "woodgrovebank.fr"]),
            Demo(name: "lucerne-publishing.de", language: "DE", destination: "10.40.0.60")
        ]
        var ids: [String: String] = [:]
        for d in demo {
            guard
                let id = addDomain(
                    d.name, status: d.status, description: d.description, language: d.language,
                    destination: d.destination, port: d.port, fallback: d.fallback, outgoing: d.outgoing,
                    externalId: d.externalId)
            else { continue }
            ids[d.name] = id
            for a in d.aliases { addAlias(domainID: id, a) }
        }
        let people: [(String, String, String, String, String)] = [
            ("nancy", "Nancy", "Davolio", "northwind-mail.com", "ENABLED"),
            ("andrew", "Andrew", "Fuller", "northwind-mail.com", "ENABLED"),
            ("janet", "Janet", "Leverling", "northwind-mail.com", "DISABLED"),
            ("patti", "Patti", "Fuller", "contoso-cm.net", "ENABLED"),
            ("kim", "Kim", "Abercrombie", "contoso-cm.net", "ENABLED"),
            ("claire", "Claire", "Dubois", "fabrikam-mail.org", "ENABLED"),
            ("sven", "Sven", "Mortensen", "adventure-works.biz", "ENABLED"),
            ("ana", "Ana", "Trujillo", "fourthcoffee.cafe", "PENDING"),
            ("marc", "Marc", "Lefèvre", "woodgrove-bank.fr", "ENABLED"),
            ("helene", "Hélène", "Martin", "woodgrove-bank.fr", "ENABLED")
        ]
        var userIDs: [String: String] = [:]
        for (local, first, last, domain, status) in people {
            guard let d = ids[domain] else { continue }
            let email = "\(local)@\(domain)"
            userIDs[email] = addUser(domainID: d, email: email, firstname: first, lastname: last, status: status)
        }
        let domainRules: [(String, String, String, String?)] = [
            ("northwind-mail.com", "partners.example.com", "ALLOW", "Suppliers' portal"),
            ("northwind-mail.com", "billing@invoices.example.net", "ALLOW", nil),
            ("northwind-mail.com", "spam-king.example", "BLOCK", "Bulk mailer"),
            ("contoso-cm.net", "*@phish.example.org", "BLOCK", nil),
            ("woodgrove-bank.fr", "alerts@banque.example.fr", "ALLOW", nil),
            ("woodgrove-bank.fr", "lottery-winner.example", "BLOCK", "Fraud")
        ]
        for (domain, value, type, description) in domainRules {
            if let d = ids[domain] { addRule(domainID: d, value: value, type: type, description: description) }
        }
        if let u = userIDs["nancy@northwind-mail.com"] {
            addRule(userID: u, value: "newsletter@deals.example.com", type: "BLOCK")
            addRule(userID: u, value: "family.example", type: "ALLOW")
        }
        seedDemoServices()
    }

    /// `cm-domain-00001.example` ...: 1 or 2 aliases and 1 or 2 users each, every 7th
    /// DISABLED, every 5th relaying outgoing mail.
    private func seedGenerated(_ n: Int) {
        guard n > 0 else { return }
        for i in 0..<n {
            let number = cmPad(i + 1)
            let name = "cm-domain-\(number).example"
            guard
                let id = addDomain(
                    name, status: i % 7 == 6 ? "DISABLED" : "ENABLED", language: "EN",
                    destination: "10.4.\(i / 250 % 250).\(i % 250 + 1)",
                    fallback: i % 3 == 0 ? "backup.\(name)" : nil, outgoing: i % 5 == 0,
                    quarantine: i % 2 == 0)
            else { continue }
            for a in 0..<(1 + i % 2) { addAlias(domainID: id, "cm-alias\(a + 1)-\(number).example") }
            for u in 0..<(1 + (i / 2) % 2) {
                addUser(domainID: id, email: "user\(u + 1)@\(name)", firstname: "User", lastname: String(u + 1))
            }
        }
    }

    /// `00042`: generated names sort in creation order.
    private func cmPad(_ i: Int) -> String {
        let s = String(i)
        return String(repeating: "0", count: max(0, 5 - s.count)) + s
    }
}

/// Seeding helpers, for `--seed` and tests: the same checks as the API (nil when it
/// would refuse), without HTTP. Each is a write, so cached list orders go.
extension CleanmailSimulation {
    private func writing<T>(_ body: (inout CleanmailStore) -> T) -> T {
        store.access { s in
            s.listCache = [:]
            return body(&s)
        }
    }

    /// Creates a domain as `POST /domains` would, with a default platform when a
    /// destination is given; returns its id.
    @discardableResult
    public func addDomain(
        _ name: String, status: String = "ENABLED", description: String? = nil, language: String = "EN",
        destination: String? = nil, port: Int = 25, fallback: String? = nil, outgoing: Bool = false,
        externalId: String? = nil, quarantine: Bool = true
    ) -> String? {
        var body = JSONObject([
            ("name", .string(name)), ("status", .string(status)), ("incoming", true), ("outgoing", .bool(outgoing)),
            ("quarantine", .bool(quarantine)), ("retention", false), ("archive", false),
            ("defaultLanguage", .string(language))
        ])
        if let description { body["description"] = .string(description) }
        if let externalId { body["externalId"] = .string(externalId) }
        if let destination {
            var p = JSONObject([
                ("name", "platform"), ("transportDest", .string(destination)), ("transportType", "SMTP"),
                ("transportPort", .int(port))
            ])
            if let fallback {
                p["fallbackTransportDest"] = .string(fallback)
                p["fallbackTransportType"] = "SMTP"
                p["fallbackTransportPort"] = .int(port)
            }
            p["authType"] = "local"
            p["default"] = true
            body["platforms"] = [.object(p)]
        }
        return writing { s in (try? CleanmailAPI.createDomain(&s, body)).map { CleanmailID.encode($0) } }
    }

    /// An alias of a domain, refused (nil) when the name is any domain's or alias's.
    @discardableResult
    public func addAlias(domainID: String, _ name: String) -> String? {
        writing { s in
            let lower = name.lowercased()
            guard let d = CleanmailID.decode(domainID), s.domains[d] != nil, CleanmailAPI.isDomainName(name),
                s.names[lower] == nil
            else { return nil }
            return CleanmailID.encode(s.insertAlias(lower, domain: d))
        }
    }

    @discardableResult
    public func addUser(
        domainID: String, email: String, firstname: String? = nil, lastname: String? = nil,
        status: String = "ENABLED", language: String? = nil
    ) -> String? {
        var body = JSONObject([("email", .string(email)), ("status", .string(status)), ("domainId", .string(domainID))])
        if let firstname { body["firstname"] = .string(firstname) }
        if let lastname { body["lastname"] = .string(lastname) }
        if let language { body["language"] = .string(language) }
        return writing { s in (try? CleanmailAPI.createUser(&s, body)).map { CleanmailID.encode($0) } }
    }

    /// A sender rule of a domain: `type` ALLOW, BLOCK or PROTECTED.
    @discardableResult
    public func addRule(domainID: String, value: String, type: String, description: String? = nil) -> String? {
        writing { s in
            guard let d = CleanmailID.decode(domainID), s.domains[d] != nil else { return nil }
            return Self.addRule(&s, owner: .domain(d), value: value, type: type, description: description)
        }
    }

    /// A sender rule of a mailbox.
    @discardableResult
    public func addRule(userID: String, value: String, type: String, description: String? = nil) -> String? {
        writing { s in
            guard let u = CleanmailID.decode(userID), s.users[u] != nil else { return nil }
            return Self.addRule(&s, owner: .user(u), value: value, type: type, description: description)
        }
    }

    private static func addRule(
        _ s: inout CleanmailStore, owner: CleanmailStore.Owner, value: String, type: String,
        description: String?
    ) -> String? {
        var o = JSONObject([("value", .string(value)), ("type", .string(type))])
        if let description { o["description"] = .string(description) }
        if type == "ALLOW" { o["spfOn"] = false }
        guard let rule = try? CleanmailAPI.parseRule(.object(o)), !s.hasRule(rule.value, owner: owner) else {
            return nil
        }
        return CleanmailID.encode(s.insertRule(rule, owner: owner))
    }

    /// The id of the domain with this name (not an alias's), if any.
    public func domainID(named name: String) -> String? {
        store.access { s in s.domainNamed(name).map(CleanmailID.encode) }
    }
}
