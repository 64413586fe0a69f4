import MXLanguage
import MXModel

/// Vendors `connect` accepts; `sandbox` starts all four simulations at once.
public let connectableVendors = ["sandbox"] + VendorRegistry.all.map(\.name)

/// What `connect sandbox` takes.
let sandboxOptions = ["port", "seed", "latency-ms"]

let connectionCommands: [CommandDeclaration] = [
    CommandDeclaration(
        "connect", group: .connections,
        .init([.word("vendor"), .optional([.keyword("as"), .word("name")])], named: .fields),
        summary:
            "open a connection to a vendor (proofpoint, cleanmail, opensrs, ad360, memory), a profile (@name) or the "
            + "sandbox",
        details:
            "Credentials come from env(\"X\") or secret(\"name\") and print as ****. The first connection becomes the "
            + "default; change it with 'use'. 'connect @work-cm' reads [profiles.work-cm] of "
            + "$XDG_CONFIG_HOME/mxsh/config.toml (which must be private: chmod 600). It is written at the top "
            + "level of a script, not inside an if, a for or a def.",
        examples: [
            "connect memory as m seed=\"demo\"",
            "connect cleanmail as cm url=\"https://api.example.net\" token=env(\"CM_TOKEN\")",
            "connect sandbox", "connect @work-cm as cm"
        ],
        words: .vendor
    ) { interp, inv in
        guard case .word(let vendor, let vendorRange) = inv.args[0] else { return }
        var name = vendor
        if inv.args.count > 1, case .word(let alias, _) = inv.args[1] { name = alias }
        defer { interp.pendingOrigin = nil }
        if vendor.hasPrefix("@") {
            try interp.refuseReconnect(name == vendor ? String(vendor.dropFirst()) : name, at: inv.range)
            try interp.connectProfile(String(vendor.dropFirst()), at: vendorRange, as: name == vendor ? nil : name, inv)
            return
        }
        var options = ConnectOptions(vendor: vendor, lineRange: inv.range)
        for (key, keyRange, e) in inv.named { options.values[key] = (try interp.eval(e), keyRange.to(e.range)) }
        // What a saved plan and the journal need to connect again, as data: unless a
        // credential is not plainly env("X") or secret("name") (a literal, or computed).
        let origin = ConnectionOrigin.of(
            vendor: vendor, name: name, profile: nil, named: inv.named, values: options.values)
        if case .failure(let unsavable) = origin {
            try interp.refuseLiteralCredential(unsavable, vendor: vendor, at: inv.range)
        }
        interp.pendingOrigin = try? origin.get()
        if vendor == "sandbox" {
            try interp.connectSandbox(options)
        } else if let declared = VendorRegistry.named(vendor) {
            try interp.refuseReconnect(name, at: inv.range)
            interp.add(
                Connection(name: name, adapter: try interp.connect(vendor: declared, name: name, options: options)))
        } else {
            throw RuntimeError.unknownVendor(vendor, at: vendorRange)
        }
    },
    CommandDeclaration(
        "use", group: .connections, .init([.word("connection")]),
        summary: "make a connection the default for bare 'domains' and 'users'",
        details: "Written at the top level of a script, not inside an if, a for or a def.",
        examples: ["use cm"], words: .connection
    ) { interp, inv in
        guard case .word(let name, let range) = inv.args[0] else { return }
        guard interp.connections[name] != nil else {
            throw RuntimeError(
                "no connection named '\(name)'", at: range,
                notes: bestMatch(for: name, in: interp.connectionOrder).map { [.init("did you mean '\($0)'?")] }
                    ?? [.init("connections: \(interp.connectionOrder.joined(separator: ", "))")])
        }
        interp.use(name)
    }
]

extension RuntimeError {
    static func unknownVendor(_ vendor: String, at range: SourceRange) -> RuntimeError {
        RuntimeError(
            "unknown vendor '\(vendor)'", at: range,
            notes: [
                .init(
                    bestMatch(for: vendor, in: connectableVendors).map { "did you mean '\($0)'?" }
                        ?? "vendors: \(connectableVendors.joined(separator: ", "))")
            ])
    }
}

extension Interpreter {
    /// A name already connected is not silently emptied or replaced.
    func refuseReconnect(_ name: String, at range: SourceRange) throws {
        guard let open = connections[name] else { return }
        throw RuntimeError(
            "'\(name)' is already connected (\(open.vendor))", at: range,
            notes: [.init("give the new connection another name: connect ... as \(name)2")])
    }

    /// `connect @NAME [as CONN] [options]`: the profile's options, the line's on top.
    func connectProfile(_ profileName: String, at range: SourceRange, as alias: String?, _ inv: Invocation) throws {
        let store = ProfileStore()
        do {
            let profile = try store.profile(profileName)
            var options = ConnectOptions(vendor: profile.vendor, lineRange: inv.range)
            for (key, source) in profile.options {
                options.values[key] = (try store.resolve(key, source, profile: profileName, secrets: secrets), range)
            }
            var lineValues: [String: (value: Value, range: SourceRange)] = [:]
            for (key, keyRange, e) in inv.named { lineValues[key] = (try eval(e), keyRange.to(e.range)) }
            for (key, v) in lineValues { options.values[key] = v }
            pendingOrigin = try? ConnectionOrigin.of(
                vendor: profile.vendor, name: alias ?? profileName, profile: profileName,
                named: inv.named, values: lineValues
            ).get()
            let name = alias ?? profileName
            guard let declared = VendorRegistry.named(profile.vendor) else {
                throw RuntimeError.unknownVendor(profile.vendor, at: range)
            }
            add(Connection(name: name, adapter: try connect(vendor: declared, name: name, options: options)))
        } catch let f as ProfileStore.Failure {
            throw RuntimeError(f.message, at: range, notes: f.fix.map { [.init($0)] } ?? [])
        }
    }
}
