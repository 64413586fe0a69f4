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
/// validations and the simulated servers' answers (CE003, PS0xx, MS0xx), as the
/// documented per-domain failures are. Every ERROR_MSG is the document's own text
/// (with ordinary spaces where the document has non-breaking ones).
public final class AD360Simulation: VendorSimulation, @unchecked Sendable {
    public let vendor = "ad360"
    /// The token of every scope (DESIGN.md's sandbox credential).
    public static let token = "sandbox-token"
    static let prefix = "/RestAPI"
    /// ASSUMED tokens for the document's other access errors, so a client can meet each:
    /// a token whose scopes are the reading APIs only (AT002 on an update), one whose
    /// technician's role has changed (AT004), one of a technician without permission
    /// for the API (AT005).
    public static let readOnlyToken = "sandbox-read-token"
    public static let roleChangedToken = "sandbox-role-changed-token"
    public static let deniedToken = "sandbox-denied-token"

    /// The document's error codes, each with the document's own text.
    public static let errors: [String: String] = [
        "AT001": "Invalid or missing AuthToken. Check whether the AuthToken is not revoked or expired.",
        "AT002": "The given AuthToken doesn't have necessary permission to access the requested API.",
        "AT003": "The requested API doesn't support this HTTP Method.",
        "AT004": "Access denied. User role has changed and the user no longer has permission to access this API.",
        "AT005": "Access denied. You don't have permission to access this API. Please contact your administrator.",
        "CE001": "Invalid or missing mandatory parameters.",
        "CE002": "Something went wrong.",
        "CE003": "Invalid username or password.",
        "PS001": "Authentication required to access proxy server.",
        "PS002": "Proxy Server is down. Please try again later.",
        "PS003": "Failed to save the proxy settings.",
        "MS001": "Invalid from email address.",
        "MS002": "Invalid admin email address.",
        "MS003": "Invalid email address, or mail server requires authentication.",
        "MS004":
            "Please check whether the server name/IP, port number, and connection type are correct, and try again.",
        "MS005": "Network failure, or mail server is down.",
        "MS006": "Authentication details for mail server are incorrect.",
        "MS007": "Unrecognized SSL message: Secure Connection enabled.",
        "MS008": "Invalid domain name.",
        "MS009": "Please make sure the mail address doesn't contain \"zohocorp\" domain.",
        "MS010": "Invalid server name or port number.",
        "MS011": "Invalid username or password.",
        "MS012": "Unable to configure SMTP server with TLS enabled.",
        "MS013": "Invalid connection type. Connection type should be SSL or TLS.",
        "MS014": "Invalid port number."
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
        let token = r.header("Authorization").flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        let known = [Self.token, Self.readOnlyToken, Self.roleChangedToken, Self.deniedToken]
        guard let token, known.contains(token) else { return AD360API.fail("AT001", 401) }
        switch router.match(method: r.method, path: r.path) {
        case .notFound:
            return AD360API.fail("CE001", 404)
        case .methodNotAllowed(let allow):
            var answer = AD360API.fail("AT003", 405)
            answer.headers.append(("Allow", allow.joined(separator: ", ")))
            return answer
        case .found(let handler, _):
            if token == Self.roleChangedToken { return AD360API.fail("AT004", 403) }
            if token == Self.deniedToken { return AD360API.fail("AT005", 403) }
            if token == Self.readOnlyToken, r.method != "GET" { return AD360API.fail("AT002", 403) }
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
        .json(
            status,
            .object(
                JSONObject([
                    ("STATUS", "FAILURE"), ("ERROR_CODE", .string(code)),
                    ("ERROR_MSG", .string(AD360Simulation.errors[code] ?? code))
                ])))
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
