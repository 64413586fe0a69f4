import MXJSON

/// ManageEngine AD360's settings API, as vendors/ad360-api-settings.txt describes it:
/// `/RestAPI/DomainSettings/getDomains|updateDomainCredential`,
/// `/RestAPI/ProxySettings/getSettings|updateSettings`,
/// `/RestAPI/MailSettings/getSettings|updateSettings`; `Authorization: Bearer`;
/// form-encoded requests whose one field holds JSON; JSON replies; AT0xx, CE0xx,
/// PS0xx and MS0xx errors.
///
/// ASSUMED (the document gives the codes, not the envelope or HTTP status): errors
/// answer `{"STATUS":"FAILURE","ERROR_CODE":"AT001","ERROR_MSG":"..."}` with 401 for
/// AT001, 403 for AT002/AT004/AT005, 405 for AT003 (with `Allow`), 400 for CE001, 404
/// (CE001) for an unknown path, 500 for CE002, and HTTP 200 for the settings
/// validations (PS0xx, MS0xx), as the documented per-domain failures are.
public final class AD360Simulation: VendorSimulation, @unchecked Sendable {
    public let vendor = "ad360"
    public static let token = "sandbox-token"
    static let prefix = "/RestAPI"

    public static let errors: [String: String] = [
        "AT001": "Invalid or missing AuthToken. Check whether the AuthToken is not revoked or expired.",
        "AT002": "The given AuthToken doesn't have necessary permission to access the requested API.",
        "AT003": "The requested API doesn't support this HTTP Method.",
        "CE001": "Invalid or missing mandatory parameters.",
        "CE002": "Something went wrong.",
        "PS003": "Failed to save the proxy settings.",
        "MS001": "Invalid from email address.",
        "MS002": "Invalid admin email address.",
        "MS008": "Invalid domain name.",
        "MS010": "Invalid server name or port number.",
        "MS013": "Invalid connection type. Connection type should be SSL or TLS.",
        "MS014": "Invalid port number.",
    ]

    let store = SimulationStore(AD360Store())
    let router: Router<AD360API.Handler>

    public init() {
        var r = Router<AD360API.Handler>(prefix: Self.prefix)
        AD360API.registerDomains(&r)
        AD360API.registerSettings(&r)
        router = r
    }

    public func addDomain(_ d: JSONObject) { store.access { $0.domains.append(d) } }

    public func handle(_ r: SandboxRequest) -> SandboxResponse {
        guard r.path.hasPrefix(Self.prefix) else { return AD360API.fail("CE001", 404) }
        guard r.header("Authorization") == "Bearer \(Self.token)" else { return AD360API.fail("AT001", 401) }
        switch router.match(method: r.method, path: r.path) {
        case .notFound:
            return AD360API.fail("CE001", 404)
        case .methodNotAllowed(let allow):
            var answer = AD360API.fail("AT003", 405)
            answer.headers.append(("Allow", allow.joined(separator: ", ")))
            return answer
        case .found(let handler, _):
            return store.access { handler(&$0, r) }
        }
    }

    public func serverFault(_ request: SandboxRequest) -> SandboxResponse { AD360API.fail("CE002", 500) }

    public func state() -> JSON { store.access { $0.state() } }

    public func load(_ state: JSON) throws {
        let loaded = AD360Store.load(state)
        store.access { $0 = loaded }
    }
}

/// AD360's handlers (domains, settings) and what they share: the form field holding
/// JSON, the error envelope, the formats.
enum AD360API {
    typealias Handler = @Sendable (inout AD360Store, SandboxRequest) -> SandboxResponse

    static func fail(_ code: String, _ status: Int) -> SandboxResponse {
        .json(status, .object(JSONObject([("STATUS", "FAILURE"), ("ERROR_CODE", .string(code)),
                                          ("ERROR_MSG", .string(AD360Simulation.errors[code] ?? code))])))
    }

    /// The JSON held by one form field: `DOMAINS=[...]`.
    static func formJSON(_ r: SandboxRequest, _ field: String) -> JSON? {
        let form = String(decoding: r.body, as: UTF8.self)
        for pair in form.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if kv.count == 2, String(kv[0]).percentDecoded(plusIsSpace: true) == field {
                return try? JSON.parse(String(kv[1]).percentDecoded(plusIsSpace: true))
            }
        }
        return nil
    }

    static func isPort(_ s: String) -> Bool { Int(s).map { (1...65535).contains($0) } ?? false }
    static func isEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@")
        return parts.count == 2 && parts[1].contains(".") && !parts[0].isEmpty
    }
}
