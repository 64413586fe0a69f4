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

    func text(_ key: String) throws -> String? {
        guard let (v, r) = values[key] else { return nil }
        switch v {
        case .string(let s): return s
        case .secret(let s): return s.reveal()
        case .number(let n) where n.rounded() == n: return String(Int(n))
        default: throw RuntimeError("\(key) takes text, not a \(v.typeName)", at: r)
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

    /// `url=` as scheme, host and port, without a trailing slash.
    func url() throws -> String? {
        guard var u = try text("url") else { return nil }
        while u.hasSuffix("/") { u.removeLast() }
        guard u.hasPrefix("http://") || u.hasPrefix("https://") else {
            throw RuntimeError("url must start with https:// (or http:// for a local server), not '\(u)'", at: values["url"]!.range)
        }
        return u
    }
}

extension Interpreter {
    /// `connect VENDOR [as NAME] options...`: builds the vendor's adapter.
    func connect(vendor: String, name: String, options: ConnectOptions) throws -> any Adapter {
        let insecure = try options.flag("insecure")
        if insecure {
            host.message("warning: TLS certificates are not verified for connection \(name) (insecure=true)\n")
        }
        // Enough transfers at once for the executor's jobs, and a few reads besides.
        HTTPClient.shared.setLimits(ConnectionLimits(maxConcurrent: max(8, httpConcurrency)), for: name)
        func api(_ base: String, auth: [(name: String, value: String)] = []) -> VendorAPI {
            let api = VendorAPI(vendor: vendor, base: base, connection: name, authHeaders: auth, insecure: insecure)
            api.shouldCancel = { [unowned self] in self.shouldCancel() }
            return api
        }
        switch vendor {
        case "proofpoint":
            let org = try options.required("org", "org=\"example.com\"")
            let user = try options.required("user", "user=\"admin@example.com\"")
            let password = try options.required("password", "password=env(\"PP_PASSWORD\")")
            let auth = [(name: "X-User", value: user), (name: "X-Password", value: password)]
            let root: String
            if let url = try options.url() {
                root = url
            } else if let stack = try options.text("stack") {
                root = "https://\(stack).proofpointessentials.com"
            } else {
                root = try discoverProofpointStack(org: org, auth: auth, api: api)
            }
            return ProofpointAdapter(api: api(root + "/api/v1", auth: auth), org: org)
        case "opensrs":
            let user = try options.required("user", "user=\"admin@example.com\"")
            var credentials = JSONObject([("user", .string(user))])
            if let token = try options.text("token") {
                credentials["token"] = .string(token)
            } else {
                credentials["password"] = .string(try options.required("password", "password=secret(\"opensrs\")"))
            }
            credentials["client"] = "mxsh"
            let root = try options.url() ?? "https://admin.\(try options.text("cluster") ?? "a").hostedemail.com"
            return OpenSRSAdapter(api: api(root + "/api"), credentials: .object(credentials))
        case "ad360":
            let token = try options.required("token", "token=env(\"AD_TOKEN\")")
            guard let root = try options.url() else {
                throw RuntimeError("ad360 needs url= (your AD360 server)", at: options.lineRange,
                                   notes: [.init("for example: url=\"http://ad360-server:8082\"")])
            }
            return AD360Adapter(api: api(root + "/RestAPI", auth: [("Authorization", "Bearer " + token)]))
        case "cleanmail":
            let token = try options.required("token", "token=env(\"CM_TOKEN\")")
            guard let root = try options.url() else {
                throw RuntimeError("cleanmail needs url= (your Cleanmail API address)", at: options.lineRange,
                                   notes: [.init("for example: url=\"https://api.example.net\"")])
            }
            return CleanmailAdapter(api: api(root, auth: [("Authorization", "Bearer " + token)]))
        default:
            throw RuntimeError.unknownVendor(vendor, at: options.lineRange)
        }
    }

    /// ASSUMED (the overview says only that `/endpoints/{org}` "may be used against any
    /// instance"): us1 is asked, and the answer names the stack or its URL.
    /// `MXSH_PROOFPOINT_ENDPOINTS_URL` names another instance to ask (a proxy, or the
    /// sandbox in tests).
    func discoverProofpointStack(org: String, auth: [(name: String, value: String)], api: (String, [(name: String, value: String)]) -> VendorAPI) throws -> String {
        let instance = environmentValue("MXSH_PROOFPOINT_ENDPOINTS_URL") ?? "https://us1.proofpointessentials.com"
        let probe = api(instance + "/api/v1", auth)
        let reply = try probe.call(.GET, "/endpoints/" + pathSegment(org))
        guard reply.isSuccess, let body = reply.json else {
            throw VendorError(vendor: "proofpoint", code: String(reply.status),
                              message: "cannot find the stack of organisation \(org) (\(ProofpointMapping.meaning(reply.status))); give stack=\"us2\" or url=")
        }
        if let url = body["url"]?.string ?? body["endpoint"]?.string, url.hasPrefix("http") {
            var u = url
            if let cut = u.split(separator: "/", omittingEmptySubsequences: false).firstIndex(of: "api") {
                u = u.split(separator: "/", omittingEmptySubsequences: false)[..<cut].joined(separator: "/")
            }
            while u.hasSuffix("/") { u.removeLast() }
            return u
        }
        if let stack = body["stack"]?.string ?? body["endpoint"]?.string { return "https://\(stack).proofpointessentials.com" }
        throw VendorError(vendor: "proofpoint", code: "endpoint", message: "the endpoint reply for \(org) names no stack; give stack=\"us2\"")
    }

    /// `connect sandbox`: starts the simulations in this process (once) and connects
    /// pp, cm, os and ad to them with the sandbox credentials.
    func connectSandbox(_ options: ConnectOptions) throws {
        guard let launcher = sandboxLauncher else {
            throw RuntimeError("this program cannot start the sandbox", at: options.lineRange,
                               notes: [.init("run 'mxsh sandbox' and connect to its URLs")])
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
        for (name, vendor) in sandboxConnections {
            guard let url = urls.first(where: { $0.vendor == vendor })?.url else { continue }
            var o = ConnectOptions(vendor: vendor, lineRange: options.lineRange)
            o.values["url"] = (.string(url), options.lineRange)
            for (k, v) in Self.sandboxCredentials[vendor] ?? [] { o.values[k] = (v, options.lineRange) }
            add(Connection(name: name, adapter: try connect(vendor: vendor, name: name, options: o)))
        }
    }

    /// DESIGN.md's sandbox credentials (they open nothing but the sandbox).
    static var sandboxCredentials: [String: [(String, Value)]] {
        ["proofpoint": [("org", .string("example.com")), ("user", .string("admin@example.com")), ("password", .secret(Secret("sandbox")))],
         "opensrs": [("user", .string("admin@example.com")), ("password", .secret(Secret("sandbox")))],
         "cleanmail": [("token", .secret(Secret("sandbox-token")))],
         "ad360": [("token", .secret(Secret("sandbox-token")))]]
    }
}
