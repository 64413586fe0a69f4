import MXModel

extension MemoryAdapter {
    /// A small, believable tenant: a dozen domains, some disabled, aliases and users.
    public func seedDemo() {
        let rows: [(String, Status, [String], String)] = [
            ("got.com", .enabled, ["got.net"], "10.0.0.5"),
            ("old.com", .enabled, ["old.net", "older.net"], "10.0.0.7"),
            ("example.net", .enabled, [], "mx.example.net"),
            ("shop.example.com", .enabled, ["store.example.com"], "10.0.1.20"),
            ("legacy.org", .disabled, [], "10.0.9.9"),
            ("acme.io", .enabled, ["acme.net"], "mail.acme.io"),
            ("acme.net", .pending, [], "mail.acme.io"),
            ("northwind.com", .enabled, [], "10.1.0.4"),
            ("contoso.net", .disabled, ["contoso.org"], "10.1.0.8"),
            ("fabrikam.com", .enabled, [], "10.2.0.3"),
            ("tailspin.org", .enabled, ["tailspin.net"], "10.2.0.9"),
            ("wingtip.net", .disabled, [], "10.3.0.1")
        ]
        for (i, (name, status, aliases, dest)) in rows.enumerated() {
            insert(
                Domain(
                    name: name, status: status, aliases: aliases, destination: dest, failovers: [],
                    relay: i % 3 == 0, allow: [], block: [], language: i % 4 == 0 ? "fr" : "en",
                    timezone: "UTC", description: "", created: "2024-0\(1 + i % 9)-1\(i % 10)T09:00:00Z"))
            for who in ["admin", "info"] {
                insert(
                    User(
                        email: "\(who)@\(name)", name: who.capitalized,
                        status: status == .disabled ? .disabled : .enabled,
                        aliases: [], language: "en"))
            }
        }
    }

    /// `count` generated domains: a quarter each .com/.net/.org/.io, every fifth
    /// DISABLED, every third with an alias; users for the first thousand.
    public func seed(count: Int) {
        let tlds = [".com", ".net", ".org", ".io"]
        reserve(count)
        for i in 0..<count {
            let name = "d" + zeroPadded(i, 7) + tlds[i % 4]
            let status: Status = i % 5 == 4 ? .disabled : .enabled
            insert(
                Domain(
                    name: name, status: status, aliases: i % 3 == 0 ? ["alias-" + name] : [],
                    destination: "10.\(i / 65536 % 256).\(i / 256 % 256).\(i % 256)", failovers: [],
                    relay: i % 2 == 0, allow: [], block: [], language: "en", timezone: "UTC",
                    description: "", created: "2024-01-01T00:00:00Z"))
            if i < 1000 {
                insert(User(email: "admin@" + name, name: "Admin", status: .enabled, aliases: [], language: "en"))
            }
        }
    }
}

func zeroPadded(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

extension String {
    var capitalized: String { prefix(1).uppercased() + dropFirst() }
}
