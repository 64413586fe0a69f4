import MXJSON

/// The Proofpoint tenant of `--seed`: organisation `example.com` (DESIGN.md).
extension ProofpointSimulation: SeedableSimulation {
    public func seed(_ seed: SandboxSeed) {
        let org = "example.com"
        switch seed {
        case .demo:
            let domains: [(String, Bool, Bool, String, [String])] = [
                ("example.com", true, false, "mx1.example.com", ["mx2.example.com"]),
                ("got.com", true, false, "10.0.0.5", []),
                ("winterfell.org", true, true, "mail.winterfell.org", ["10.0.1.7"]),
                ("kingslanding.net", true, false, "mx.kingslanding.net", []),
                ("dragonstone.io", false, false, "10.0.2.1", []),
                ("riverrun.co.uk", true, true, "smtp.riverrun.co.uk", []),
                ("old.com", false, false, "10.9.9.9", []),
                ("highgarden.com", true, false, "mx.highgarden.com", ["mx-backup.highgarden.com"]),
                ("pyke.net", false, true, "10.0.3.3", []),
                ("oldtown.edu", true, false, "mail.oldtown.edu", []),
                ("braavos.biz", true, false, "mx.braavos.biz", []),
                ("dorne.travel", true, true, "10.0.4.4", ["10.0.4.5"])
            ]
            for (name, active, relay, dest, failovers) in domains {
                addDomain(org: org, domain(name, active: active, relay: relay, destination: dest, failovers: failovers))
            }
            let people = [
                ("jon", "Jon", "Snow", "winterfell.org"), ("arya", "Arya", "Stark", "winterfell.org"),
                ("tyrion", "Tyrion", "Lannister", "kingslanding.net"), ("sam", "Samwell", "Tarly", "oldtown.edu"),
                ("admin", "Site", "Admin", "example.com"), ("daenerys", "Daenerys", "Targaryen", "dragonstone.io")
            ]
            for (i, (local, first, last, domain)) in people.enumerated() {
                addUser(
                    org: org, user("\(local)@\(domain)", first, last, active: domain != "dragonstone.io", uid: i + 1))
            }
            seedPartner()
        case .generated(let n):
            for i in 0..<n {
                let name = "pp-domain-\(pad(i + 1)).example"
                addDomain(
                    org: org,
                    domain(
                        name, active: i % 7 != 6, relay: i % 5 == 0,
                        destination: "10.1.\(i / 250 % 250).\(i % 250 + 1)",
                        failovers: i % 3 == 0 ? ["backup.\(name)"] : []))
                for u in 0..<(1 + i % 2) {
                    addUser(
                        org: org, user("user\(u + 1)@\(name)", "User", "\(u + 1)", active: true, uid: i * 2 + u + 1))
                }
            }
        }
    }

    /// The demo organisation is a channel partner with three customers, each with a
    /// few domains and users, reached with the partner's credentials
    /// (`/orgs/{customer}/...`), and one customer administrator of its own.
    private func seedPartner() {
        store.access { s in
            let k = ProofpointStore.key("example.com")
            s.orgs[k]?.profile["type"] = "channel_partner"
            s.orgs[k]?.profile["name"] = "Example Partner Ltd"
            s.orgs[k]?.senderLists = JSONObject([
                ("allow_list", ["*@trusted.example"]), ("block_list", ["spam@bad.example", "junk.example"])
            ])
        }
        let customers: [(String, String, Int, [(String, Bool, String)], [(String, String, String)])] = [
            (
                "northwind.example", "Northwind Traders", 25,
                [("northwind.example", true, "mx.northwind.example"), ("northwind-shop.example", true, "10.5.0.2")],
                [("nancy", "Nancy", "Davolio"), ("andrew", "Andrew", "Fuller"), ("janet", "Janet", "Leverling")]
            ),
            (
                "fabrikam.example", "Fabrikam Inc", 10,
                [
                    ("fabrikam.example", true, "mail.fabrikam.example"), ("fabrikam.net.example", false, "10.5.1.2"),
                    ("fabrikam-labs.example", true, "10.5.1.3")
                ],
                [("kim", "Kim", "Abercrombie"), ("pat", "Pat", "Coleman")]
            ),
            (
                "tailspin.example", "Tailspin Toys", 5,
                [("tailspin.example", true, "mx.tailspin.example")],
                [("ann", "Ann", "Beebe"), ("ben", "Ben", "Smith")]
            )
        ]
        for (n, (primary, name, licences, domains, people)) in customers.enumerated() {
            store.access { s in
                var org = ProofpointStore.Org(
                    name: primary, profile: JSONObject([("name", .string(name)), ("country", "US")]),
                    parent: "example.com")
                org.licensing["licensed_users"] = .int(licences)
                if n == 1 { org.package["package"] = "Advanced"; org.features["url_defense"] = true }
                s.addOrg(primary, org)
            }
            for (d, active, dest) in domains {
                addDomain(org: primary, domain(d, active: active, relay: false, destination: dest, failovers: []))
            }
            for (i, (local, first, last)) in people.enumerated() {
                var u = user("\(local)@\(primary)", first, last, active: true, uid: 100 * (n + 1) + i)
                if i == 0 {
                    u["type"] = "organization_admin"
                    u["alias_emails"] = [.string("\(first.lowercased()).\(last.lowercased())@\(primary)")]
                    u["white_list_senders"] = ["*@partner.example"]
                }
                addUser(org: primary, u)
            }
        }
        // A customer's own administrator reaches that customer only.
        store.access { $0.accounts["admin@northwind.example"] = (ProofpointSimulation.password, "northwind.example") }
    }

    private func domain(_ name: String, active: Bool, relay: Bool, destination: String, failovers: [String])
        -> JSONObject
    {
        JSONObject([
            ("name", .string(name)), ("is_active", .bool(active)), ("is_relay", .bool(relay)),
            ("destination", .string(destination)), ("failovers", .array(failovers.map(JSON.string)))
        ])
    }

    /// ASSUMED user record shape (the documents here cover domains only): the public
    /// API's `primary_email`, `firstname`, `surname`, `uid`, `type`, `is_active`.
    private func user(_ email: String, _ first: String, _ last: String, active: Bool, uid: Int) -> JSONObject {
        JSONObject([
            ("primary_email", .string(email)), ("firstname", .string(first)), ("surname", .string(last)),
            ("uid", .string(String(1000 + uid))), ("type", "end_user"), ("is_active", .bool(active)),
            ("alias_emails", []), ("white_list_senders", []), ("black_list_senders", [])
        ])
    }
}

/// `00042`: generated names sort in creation order.
func pad(_ i: Int) -> String {
    let s = String(i)
    return String(repeating: "0", count: max(0, 5 - s.count)) + s
}
