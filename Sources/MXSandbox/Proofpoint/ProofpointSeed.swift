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
                ("dorne.travel", true, true, "10.0.4.4", ["10.0.4.5"]),
            ]
            for (name, active, relay, dest, failovers) in domains {
                addDomain(org: org, domain(name, active: active, relay: relay, destination: dest, failovers: failovers))
            }
            let people = [("jon", "Jon", "Snow", "winterfell.org"), ("arya", "Arya", "Stark", "winterfell.org"),
                          ("tyrion", "Tyrion", "Lannister", "kingslanding.net"), ("sam", "Samwell", "Tarly", "oldtown.edu"),
                          ("admin", "Site", "Admin", "example.com"), ("daenerys", "Daenerys", "Targaryen", "dragonstone.io")]
            for (i, (local, first, last, domain)) in people.enumerated() {
                addUser(org: org, user("\(local)@\(domain)", first, last, active: domain != "dragonstone.io", uid: i + 1))
            }
        case .generated(let n):
            for i in 0..<n {
                let name = "pp-domain-\(pad(i + 1)).example"
                addDomain(org: org, domain(name, active: i % 7 != 6, relay: i % 5 == 0, destination: "10.1.\(i / 250 % 250).\(i % 250 + 1)",
                                           failovers: i % 3 == 0 ? ["backup.\(name)"] : []))
                for u in 0..<(1 + i % 2) {
                    addUser(org: org, user("user\(u + 1)@\(name)", "User", "\(u + 1)", active: true, uid: i * 2 + u + 1))
                }
            }
        }
    }

    private func domain(_ name: String, active: Bool, relay: Bool, destination: String, failovers: [String]) -> JSONObject {
        JSONObject([("name", .string(name)), ("is_active", .bool(active)), ("is_relay", .bool(relay)),
                    ("destination", .string(destination)), ("failovers", .array(failovers.map(JSON.string)))])
    }

    /// ASSUMED user record shape (the documents here cover domains only): the public
    /// API's `primary_email`, `firstname`, `surname`, `uid`, `type`, `is_active`.
    private func user(_ email: String, _ first: String, _ last: String, active: Bool, uid: Int) -> JSONObject {
        JSONObject([("primary_email", .string(email)), ("firstname", .string(first)), ("surname", .string(last)),
                    ("uid", .string(String(1000 + uid))), ("type", "end_user"), ("is_active", .bool(active)),
                    ("alias_emails", [])])
    }
}

/// `00042`: generated names sort in creation order.
func pad(_ i: Int) -> String {
    let s = String(i)
    return String(repeating: "0", count: max(0, 5 - s.count)) + s
}
