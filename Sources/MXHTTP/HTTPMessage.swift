#if canImport(Glibc)
    import Glibc
#endif
/// One HTTP request as the adapters build it.
public struct HTTPRequest: Sendable {
    public enum Method: String, Sendable { case GET, POST, PUT, PATCH, DELETE, HEAD }

    public var method: Method
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Seconds for the whole exchange, connection included.
    public var timeout: Double
    /// Which connection's limits (concurrency, rate, retries) apply: its name in mxsh.
    public var limiterKey: String
    /// Skip TLS verification: only when a connection says `insecure=true`.
    public var insecure: Bool
    /// The adapter's word that this request may be sent again after a lost reply
    /// (an OpenSRS `get_domain` is a POST that changes nothing). Nil: by its method.
    public var safeToRepeat: Bool?
    /// An answer that says "not done, try again" in the vendor's own way (OpenSRS's
    /// HTTP 200 with error 20, 22 or 25): retried like a 503, with the same back-off.
    public var retryWhen: (@Sendable (HTTPResponse) -> Bool)?
    /// A reply larger than this is an error, not unbounded memory: `MXSH_MAX_REPLY_MB`
    /// (default 256).
    public var maxReplyBytes: Int = HTTPRequest.defaultMaxReplyBytes
    /// The answer's body is a secret (a new API token's value): `--trace` never shows it.
    public var secretReply = false
    /// Secret texts this request carries (the connection's credentials, a password a
    /// change sets): masked, in every form a reply may echo them, in its trace and its
    /// answer's (`Redaction.masking`).
    public var masks: [String] = []

    public static let defaultMaxReplyBytes: Int = {
        guard let v = getenv("MXSH_MAX_REPLY_MB"), let mb = Int(String(cString: v)), mb > 0 else { return 256 << 20 }
        return mb << 20
    }()

    public init(
        _ method: Method, _ url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        timeout: Double = 30, limiterKey: String = "default", insecure: Bool = false
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.limiterKey = limiterKey
        self.insecure = insecure
        self.safeToRepeat = nil
        self.retryWhen = nil
    }

    /// GET, PUT, DELETE and HEAD may be sent again after a failure without doing twice
    /// what was asked once; POST and PATCH may not.
    public var isIdempotent: Bool {
        safeToRepeat ?? (method == .GET || method == .PUT || method == .DELETE || method == .HEAD)
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// How many times the request was sent to get this answer.
    public var attempts: Int

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8], attempts: Int = 1) {
        self.status = status
        self.headers = headers
        self.body = body
        self.attempts = attempts
    }

    /// A header's value; names compare without case, as HTTP says.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A request that got no HTTP answer.
public enum HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    case timedOut(url: String, seconds: Double)
    /// No connection could be made: nothing reached the server.
    case couldNotConnect(url: String, reason: String)
    /// The connection broke during the exchange: the server may have acted on it.
    case connectionLost(url: String, reason: String)
    case tls(url: String, reason: String)
    case cancelled
    case invalid(String)
    /// The reply grew past `HTTPRequest.maxReplyBytes`: the transfer was stopped.
    case replyTooLarge(url: String, limit: Int)

    public var description: String {
        switch self {
        case .timedOut(let url, let s): return "no answer from \(url) within \(formatSeconds(s)) s"
        case .couldNotConnect(let url, let r): return "cannot connect to \(url): \(r)"
        case .connectionLost(let url, let r): return "connection to \(url) lost: \(r)"
        case .tls(let url, let r):
            return "TLS failed for \(url): \(r) (insecure=true skips verification, at your own risk)"
        case .cancelled: return "cancelled"
        case .invalid(let r): return "invalid request: \(r)"
        case .replyTooLarge(let url, let limit):
            return
                "the reply from \(url) is larger than \(limit / 1_048_576) MB, so it was not read (MXSH_MAX_REPLY_MB "
                + "raises the limit)"
        }
    }
}

func formatSeconds(_ s: Double) -> String {
    s.rounded() == s ? String(Int(s)) : String(s)
}
