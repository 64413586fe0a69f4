import MXJSON

/// The OpenSRS tenant of `--seed`: a company with its own domains (none shared with the
/// other vendors, so a migration has something to move).
extension OpenSRSSimulation: SeedableSimulation {
    public func seed(_ seed: SandboxSeed) {
        switch seed {
        case .demo:
            let domains: [(String, Bool, [String], String?, String?)] = [
                ("acme-widgets.com", false, ["acme.net", "acmewidgets.co"], "mx.acme-widgets.com", "Gold support"),
                ("globex.org", false, ["globex-corp.com"], "10.2.0.10", nil),
                ("initech.biz", true, [], "10.2.0.11", "Suspended for non-payment"),
                ("umbrella-labs.io", false, ["umbrella.io"], nil, nil),
                ("hooli.xyz", false, [], "mx1.hooli.xyz", nil),
                ("stark-industries.net", false, ["stark.net", "si.net", "old.net"], "10.2.0.12", "VIP"),
                ("wayne-enterprises.com", false, ["wayne.com"], nil, nil),
                ("tyrell.co", true, [], nil, nil),
                ("cyberdyne.systems", false, ["skynet.io"], "10.2.0.13", nil),
                ("soylent.food", false, [], nil, nil),
                ("wonka.candy", false, ["wonka.sweets"], "mx.wonka.candy", nil),
                ("vandelay.industries", true, [], nil, "Import/export, closed")
            ]
            for (name, disabled, aliases, filtermx, notes) in domains {
                var a = JSONObject([("disabled", .bool(disabled)), ("aliases", .array(aliases.map(JSON.string)))])
                if let filtermx { a["filtermx"] = .string(filtermx) }
                if let notes { a["notes_external"] = .string(notes) }
                if name == "acme-widgets.com" {
                    a["allow"] = ["*@partner.example"]; a["block"] = ["spam@bad.example"]
                    a["spamlevel"] = "High"; a["filterdelivery"] = "quarantine"; a["spamfolder"] = "Junk";
                    a["limit_users"] = 50
                    a["stats_mailout"] = ["reports@acme-widgets.com"]
                }
                if name == "stark-industries.net" {
                    a["quota"] = 10240; a["service_pop3"] = "disabled"; a["spamlevel"] = "Very High";
                    a["brand"] = "Example Co Brand"
                    a["spamheader"] = "XSpam: Spam detected"; a["regen_passwords"] = true;
                    a["default_password_encoding"] = "BCRYPT-12"
                }
                if name == "initech.biz" {
                    a["service_webmail"] = "suspended"; a["filterdelivery"] = "passthrough"; a["spamtag"] = "[SPAM]"
                }
                if name == "hooli.xyz" { a["language"] = "fr"; a["timezone"] = "Europe/Paris" }
                addDomain(name, a)
            }
            let users = [
                ("wile", "Wile E. Coyote", "acme-widgets.com"), ("road", "Road Runner", "acme-widgets.com"),
                ("hank", "Hank Scorpio", "globex.org"), ("peter", "Peter Gibbons", "initech.biz"),
                ("gavin", "Gavin Belson", "hooli.xyz"), ("tony", "Tony Stark", "stark-industries.net"),
                ("bruce", "Bruce Wayne", "wayne-enterprises.com")
            ]
            for (local, name, domain) in users {
                addUser(
                    "\(local)@\(domain)",
                    JSONObject([("name", .string(name)), ("disabled", .bool(domain == "initech.biz"))]))
            }
        case .generated(let n):
            for i in 0..<n {
                let name = "os-domain-\(pad(i + 1)).example"
                let aliases: [JSON] = (0..<(1 + i % 2)).map { .string("alias\($0 + 1)-\(pad(i + 1)).example") }
                addDomain(
                    name,
                    JSONObject([
                        ("disabled", .bool(i % 7 == 6)), ("aliases", .array(aliases)),
                        ("filtermx", .string("10.3.\(i / 250 % 250).\(i % 250 + 1)"))
                    ]))
                for u in 0..<(1 + i % 2) {
                    addUser("user\(u + 1)@\(name)", JSONObject([("name", .string("User \(u + 1)"))]))
                }
            }
        }
    }
}
