import MXHTTP
import MXJSON
import MXLanguage
import MXModel

/// What `connect sandbox` asks of whoever can start the sandbox's servers (the `mxsh`
/// executable links them; the engine does not): the base URL of each vendor.
public struct SandboxLaunch: Sendable {
    public var seed: String
    public var basePort: Int
    public var latencyMs: Int
}

public typealias SandboxLauncher = (SandboxLaunch) throws -> [(vendor: String, url: String)]

/// The evaluated options of one `connect` line, with where each was written.
struct ConnectOptions {
    let vendor: String
    var values: [String: (value: Value, range: SourceRange)] = [:]
    let lineRange: SourceRange

    /// Options naming the endpoint: the base URL, the organisation in its paths, the
    /// stack or cluster that picks the host.
    static let addressOptions: Set<String> = ["url", "org", "stack", "cluster"]

    func text(_ key: String) throws -> String? {
        guard let (v, r) = values[key] else { return nil }
        switch v {
        case .string(let s):
            try refuseLineBreaks(key, s, r)
            return s
        case .secret(let s):
            // Where the requests go is printed in errors, traces and transport failures,
            // and kept in plans and the journal to reconnect: a secret there would be
            // written out in clear. Other options (a user name kept with the secrets)
            // are masked like credentials.
            if Self.addressOptions.contains(key) {
                throw RuntimeError(
                    "\(key) says where requests go, so it is text, not a secret: it is shown in messages and kept in "
                        + "plans and the journal", at: r,
                    notes: [.init("write it as text: \(key)=\"...\" (in a profile, \(key) = \"...\")")])
            }
            try refuseLineBreaks(key, s.reveal(), r)
            return s.reveal()
        case .number(let n) where n.wholeNumber != nil: return formatNumber(n)
        default: throw RuntimeError("\(key) takes text, not \(v.aTypeName)", at: r)
        }
    }

    /// Credentials and `user=` go into headers or a body: a line break (or NUL) in an
    /// option would add headers of the value's choosing.
    func refuseLineBreaks(_ key: String, _ s: String, _ r: SourceRange) throws {
        if s.utf8.contains(where: { $0 == 10 || $0 == 13 || $0 == 0 }) {
            throw RuntimeError(
                "\(key) contains a line break (CR or LF), which is refused: it would inject a header", at: r)
        }
    }

    func required(_ key: String, _ example: String) throws -> String {
        guard let v = try text(key), !v.isEmpty else {
            throw RuntimeError("\(vendor) needs \(key)=", at: lineRange, notes: [.init("for example: \(example)")])
        }
        return v
    }

    func flag(_ key: String) throws -> Bool {
        guard let (v, r) = values[key] else { return false }
        guard case .bool(let b) = v else { throw RuntimeError("\(key) takes true or false", at: r) }
        return b
    }

    /// `url=` and `token=` of a vendor with bearer tokens and no default server: the
    /// base URL and the Authorization header.
    func bearer(token example: String, server: String, url urlExample: String) throws -> (
        String, [(name: String, value: String)]
    ) {
        let token = try required("token", example)
        guard let root = try url() else {
            throw RuntimeError(
                "\(vendor) needs url= (\(server))", at: lineRange, notes: [.init("for example: \(urlExample)")])
        }
        return (root, [("Authorization", "Bearer " + token)])
    }

    /// `url=` as scheme, host and port, without a trailing slash.
    func url() throws -> String? {
        guard var u = try text("url") else { return nil }
        while u.hasSuffix("/") { u.removeLast() }
        // A user part (`https://u:p@host`) would be printed in transport errors and
        // traces; credentials have their own options. The URL is not echoed.
        let authority = u.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false).dropFirst(2).first ?? ""
        if authority.contains("@") {
            throw RuntimeError(
                "url must not carry a user or password before '@': give them with the vendor's credential options",
                at: values["url"]!.range, notes: [.init("for example: url=\"https://api.example.net\"")])
        }
        if u.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0x20 }) {
            throw RuntimeError("url contains a space or a control character", at: values["url"]!.range)
        }
        guard u.hasPrefix("http://") || u.hasPrefix("https://") else {
            throw RuntimeError(
                "url must start with https:// (or http:// for a local server), not '\(u)'", at: values["url"]!.range)
        }
        return u
    }
}

extension Interpreter {
    /// `connect VENDOR [as NAME] options...`: builds the vendor's adapter from its
    /// declaration, then proves the connection with one cheap authenticated read, so
    /// wrong credentials or an unreachable URL fail on the `connect` line.
    /// `checkEndpoint` sees the URL the adapter will speak to before anything is sent
    /// with the credentials (a saved plan refuses a connection that moved).
    func connect(
        vendor: Vendor, name: String, options: ConnectOptions,
        checkEndpoint: ((String) throws -> Void)? = nil
    ) throws -> any Adapter {
        let insecure = try options.flag("insecure")
        if insecure {
            host.message("warning: TLS certificates are not verified for connection \(name) (insecure=true)\n")
        }
        // Enough transfers at once for the executor's jobs, and a few reads besides.
        let limits = ConnectionLimits(maxConcurrent: max(8, httpConcurrency))
        // The proof is retried as often as any read (a busy vendor answers "try again")
        // but with short waits: a typo'd URL fails in about a second, not after the
        // back-off meant for a flaky vendor in the middle of a run.
        http.setLimits(
            ConnectionLimits(maxConcurrent: 2, retry: RetryPolicy(maxAttempts: 10, baseDelay: 0.02, maxDelay: 0.2)),
            for: name)
        defer { http.setLimits(limits, for: name) }
        // Every credential of the line, as sent: masked wherever a reply echoes it.
        let credentialNames = Set(vendor.options.filter(\.isCredential).map(\.name))
        let credentials = try options.values.keys.sorted().filter { key in
            if case .secret = options.values[key]!.value { return true }
            return credentialNames.contains(key)
        }.compactMap { try options.text($0) }
        final class Reached: @unchecked Sendable { var base: String? }
        let reached = Reached()
        let context = ConnectContext(
            name: name, options: options,
            api: { [unowned self] base, auth in
                reached.base = base
                let api = VendorAPI(
                    vendor: vendor.name, base: base, connection: name, authHeaders: auth, insecure: insecure,
                    client: self.http)
                api.shouldCancel = { [unowned self] in self.shouldCancel() }
                api.credentials = credentials
                return api
            },
            environment: environmentValue, sandboxLauncher: sandboxLauncher)
        let adapter = try vendor.makeAdapter(context)
        if let base = reached.base {
            try checkEndpoint?(base)
            endpoints[name] = (base, try options.text("org"))
            warnIfPlain(base, connection: name)
        }
        do {
            try adapter.probe()
        } catch let e as VendorError {
            throw RuntimeError(
                "cannot connect \(name) to \(vendor.name): \(e.message) (\(e.vendor) \(e.code))", at: options.lineRange,
                notes: [
                    .init(
                        e.kind == .transport
                            ? "check url= and that the server is reachable"
                            : "check the credentials "
                                + "(\(vendor.options.filter(\.isCredential).map(\.name).joined(separator: ", ")))"
                    )
                ])
        }
        return adapter
    }

    /// Plain http:// carries the credentials readable on the wire: allowed (a local
    /// server, a test rig) but said, unless the host is loopback.
    func warnIfPlain(_ base: String, connection: String) {
        guard base.hasPrefix("http://") else { return }
        var host = String(base.dropFirst("http://".count).prefix { $0 != "/" })
        if host.hasPrefix("[") {
            host = String(host.dropFirst().prefix { $0 != "]" })
        } else if let colon = host.lastIndex(of: ":") {
            host = String(host[..<colon])
        }
        let loopback = host == "localhost" || host == "::1" || host.hasPrefix("127.")
        if !loopback {
            if !host.isEmpty {
                self.host.message(
                    "warning: connection \(connection) sends its credentials over plain http:// to \(host); use "
                        + "https://\n"
                )
            }
        }
    }

    /// `connect sandbox`: starts the simulations in this process (once) and connects
    /// each vendor's seat (pp, cm, os, ad) with the sandbox credentials.
    func connectSandbox(_ options: ConnectOptions) throws {
        guard let launcher = sandboxLauncher else {
            throw RuntimeError(
                "this program cannot start the sandbox", at: options.lineRange,
                notes: [.init("run 'mxsh sandbox' and connect to its URLs")])
        }
        let taken = VendorRegistry.sandboxSeats.map(\.name).filter { connections[$0] != nil }
        if !taken.isEmpty {
            throw RuntimeError(
                "connect sandbox opens \(VendorRegistry.sandboxSeats.map(\.name).joined(separator: ", ")), and "
                    + "\(taken.joined(separator: ", ")) \(taken.count == 1 ? "is" : "are") already connected",
                at: options.lineRange, notes: [.init("the sandbox is connected once per session")])
        }
        let seed = try options.text("seed") ?? "demo"
        let port = Int(try options.text("port") ?? "0") ?? 0
        let latency = Int(try options.text("latency-ms") ?? "0") ?? 0
        let urls: [(vendor: String, url: String)]
        do {
            urls = try launcher(SandboxLaunch(seed: seed, basePort: port, latencyMs: latency))
        } catch let e as RuntimeError {
            throw e
        } catch {
            throw RuntimeError("the sandbox did not start: \(error)", at: options.lineRange)
        }
        for vendor in VendorRegistry.all {
            guard let seat = vendor.sandbox, let url = urls.first(where: { $0.vendor == vendor.name })?.url else {
                continue
            }
            var o = ConnectOptions(vendor: vendor.name, lineRange: options.lineRange)
            o.values["url"] = (.string(url), options.lineRange)
            for (k, v) in seat.credentials {
                let isSecret = vendor.options.first { $0.name == k }?.isCredential == true
                o.values[k] = (isSecret ? .secret(Secret(v)) : .string(v), options.lineRange)
            }
            add(
                Connection(
                    name: seat.connection, adapter: try connect(vendor: vendor, name: seat.connection, options: o)))
        }
    }
}
