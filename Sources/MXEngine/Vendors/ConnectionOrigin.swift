import MXJSON
import MXLanguage
import MXModel

/// How a connection was opened, as data: what a saved plan and the journal keep to open
/// it again. Never a credential and never text to evaluate: the options written on the
/// `connect` line as values, each credential by where it comes from (`env("X")`,
/// `secret("name")`, or the profile), and the URL and organisation it reached. Opening
/// it again resolves the credentials now, then refuses, before anything is sent, a
/// connection that no longer reaches the same vendor, URL and organisation, and (for
/// connections with credentials) one whose seal is not this user's.
public struct ConnectionOrigin: Sendable {
    public enum Source: Sendable, Equatable {
        case env(String), secret(String)
    }

    public var name: String
    /// A vendor's name, or `sandbox` for the seats of `connect sandbox`.
    public var vendor: String
    public var profile: String?
    /// Options written on the line that are not credentials, as evaluated.
    public var options: [(key: String, value: JSON)] = []
    public var credentials: [(key: String, source: Source)] = []
    /// The URL the adapter speaks to, the vendor's path prefix included.
    public var endpoint: String?
    public var org: String?
    public var seal: String?

    /// Why a connection cannot be saved: a credential not given as env("X"),
    /// secret("name") or by a profile (a literal, or computed: `"a" + "b"`).
    public struct Unsavable: Error {
        public let option: String
    }

    /// What the line says, or `Unsavable` when a credential is not plainly sourced.
    /// Only the expressions `env("X")` and `secret("name")`, with literal names, count.
    static func of(
        vendor: String, name: String, profile: String?, named: [(key: String, keyRange: SourceRange, value: Expr)],
        values: [String: (value: Value, range: SourceRange)]
    ) -> Result<ConnectionOrigin, Unsavable> {
        var origin = ConnectionOrigin(name: name, vendor: vendor, profile: profile)
        for (key, _, e) in named {
            if VendorRegistry.credentialOptions.contains(key) {
                guard let source = plainSource(e) else { return .failure(Unsavable(option: key)) }
                origin.credentials.append((key, source))
                continue
            }
            switch values[key]?.value {
            case .string(let s)?: origin.options.append((key, .string(s)))
            case .bool(let b)?: origin.options.append((key, .bool(b)))
            case .number(let n)? where n.wholeNumber != nil: origin.options.append((key, .int(n.wholeNumber!)))
            case .secret?:
                guard let source = plainSource(e) else { return .failure(Unsavable(option: key)) }
                origin.credentials.append((key, source))
            default: return .failure(Unsavable(option: key))
            }
        }
        return .success(origin)
    }

    static func plainSource(_ e: Expr) -> Source? {
        guard case .call(let callee, let args) = e.kind, case .identifier(let f) = callee.kind, args.count == 1,
            case .string(let name) = args[0].kind
        else { return nil }
        switch f {
        case "env": return .env(name)
        case "secret": return .secret(name)
        default: return nil
        }
    }

    /// Nothing secret leaves the process through these: no seal needed.
    var needsSeal: Bool { vendor != "sandbox" && VendorRegistry.named(vendor)?.outlivesProcess != false }

    /// The origin as JSON, without its seal: what is sealed.
    public var unsealedJSON: JSON {
        var o = JSONObject([("name", .string(name)), ("vendor", .string(vendor))])
        if let profile { o["profile"] = .string(profile) }
        if let endpoint { o["url"] = .string(endpoint) }
        if let org { o["org"] = .string(org) }
        o["options"] = .object(JSONObject(options.map { ($0.key, $0.value) }))
        o["credentials"] = .object(
            JSONObject(
                credentials.map { key, source in
                    switch source {
                    case .env(let n): return (key, ["env": .string(n)])
                    case .secret(let n): return (key, ["secret": .string(n)])
                    }
                }))
        return .object(o)
    }

    public var json: JSON {
        guard case .object(var o) = unsealedJSON else { return unsealedJSON }
        if let seal { o["seal"] = .string(seal) }
        return .object(o)
    }

    public mutating func sealed(with key: SealKey) -> ConnectionOrigin {
        seal = needsSeal ? key.seal(unsealedJSON.text) : nil
        return self
    }

    /// Reads an origin back; nil when the JSON is not one (an older mxsh's statement).
    public init?(json: JSON) {
        guard let name = json["name"]?.string, let vendor = json["vendor"]?.string else { return nil }
        self.name = name
        self.vendor = vendor
        profile = json["profile"]?.string
        endpoint = json["url"]?.string
        org = json["org"]?.string
        seal = json["seal"]?.string
        options = (json["options"]?.object?.pairs ?? []).map { ($0.0, $0.1) }
        for (key, v) in json["credentials"]?.object?.pairs ?? [] {
            if let n = v["env"]?.string {
                credentials.append((key, .env(n)))
            } else if let n = v["secret"]?.string {
                credentials.append((key, .secret(n)))
            } else {
                return nil
            }
        }
    }

    init(name: String, vendor: String, profile: String?) {
        self.name = name
        self.vendor = vendor
        self.profile = profile
    }
}

extension Interpreter {
    /// Opens a connection again from its origin (a plan's, the journal's): nothing is
    /// evaluated; credentials come from the environment, the secret store or the
    /// profile now; a seal that is not this user's, or a connection that no longer
    /// reaches the vendor, URL and organisation recorded, is refused before anything
    /// is sent. `where` names the file for messages.
    public func reconnect(_ origin: ConnectionOrigin, key: SealKey, from place: String) throws {
        let range = SourceRange.none
        func refuse(_ why: String) -> RuntimeError {
            RuntimeError("\(place): connection \(origin.name) \(why); nothing was sent", at: range)
        }
        if origin.vendor == "sandbox" {
            if connections[origin.name] != nil { return }
            var o = ConnectOptions(vendor: "sandbox", lineRange: range)
            for (k, v) in origin.options { o.values[k] = (Value(json: v), range) }
            try connectSandbox(o)
            return
        }
        guard let vendor = VendorRegistry.named(origin.vendor) else {
            throw refuse("names an unknown vendor '\(origin.vendor)'")
        }
        if origin.needsSeal, origin.seal != key.seal(origin.unsealedJSON.text) {
            throw refuse("is not sealed by this user's mxsh (the plan was made by someone else, or altered since)")
        }
        if connections[origin.name] != nil { throw refuse("is opened twice") }
        var options = ConnectOptions(vendor: vendor.name, lineRange: range)
        if let name = origin.profile {
            let store = ProfileStore()
            do {
                let profile = try store.profile(name)
                guard profile.vendor == vendor.name else {
                    throw refuse("was \(vendor.name), and profile @\(name) is now \(profile.vendor)")
                }
                for (key, source) in profile.options {
                    options.values[key] = (try store.resolve(key, source, profile: name, secrets: secrets), range)
                }
            } catch let f as ProfileStore.Failure {
                throw refuse("cannot be opened: \(f.message)")
            }
        }
        for (k, v) in origin.options { options.values[k] = (Value(json: v), range) }
        for (k, source) in origin.credentials {
            switch source {
            case .env(let n):
                guard let v = environmentValue(n) else { throw refuse("takes \(k) from $\(n), which is not set") }
                options.values[k] = (.secret(Secret(v)), range)
            case .secret(let n):
                do { options.values[k] = (.secret(try secrets.read(n)), range) } catch let e as SecretStore.Failure {
                    throw refuse("takes \(k) from secret '\(n)': \(e.message)")
                }
            }
        }
        let org = try options.text("org")
        if org?.lowercased() != origin.org?.lowercased() {
            throw refuse("was made for organisation \(origin.org ?? "(none)"), and now names \(org ?? "(none)")")
        }
        let adapter = try connect(vendor: vendor, name: origin.name, options: options) { [origin] endpoint in
            guard endpoint == origin.endpoint else {
                throw refuse("was made against \(origin.endpoint ?? "(no URL)"), and now reaches \(endpoint)")
            }
        }
        add(Connection(name: origin.name, adapter: adapter, origin: origin))
    }
}
