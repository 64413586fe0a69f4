import Dispatch
import MXHTTP
import MXJSON
import MXModel

#if canImport(Glibc)
    import Glibc
#endif

/// One connection's way to its vendor over HTTP: the base URL (scheme, host, port and
/// the vendor's path prefix), how requests are authenticated, and its session's client.
/// Credentials live here only as header values or body fields, never in a message.
final class VendorAPI {
    let vendor: String
    /// `http://127.0.0.1:9100/api/v1`: paths are appended to it.
    let base: String
    /// The connection's name: its limits and retries are keyed by it.
    let connection: String
    let authHeaders: [(name: String, value: String)]
    let insecure: Bool
    let client: HTTPClient
    /// Ctrl-C in the REPL aborts the request in flight.
    var shouldCancel: () -> Bool = { false }
    /// The connection's credentials, and every secret a change has sent through it (a
    /// password set): a reply that echoes one (a vendor's error page repeating the
    /// request) has it replaced by `****` before anything prints, compares, journals
    /// or exports it, and `--trace` masks them too. Only grows; shared by the
    /// executor's concurrent sends.
    private let secrets = Locked<[String]>([])
    var credentials: [String] {
        get { secrets.withLock { $0 } }
        set { secrets.withLock { $0 = newValue } }
    }

    init(
        vendor: String, base: String, connection: String, authHeaders: [(name: String, value: String)] = [],
        insecure: Bool = false, client: HTTPClient
    ) {
        self.vendor = vendor
        self.base = base
        self.connection = connection
        self.authHeaders = authHeaders
        self.insecure = insecure
        self.client = client
    }

    /// A secret's text, for the one request that carries it: from now on masked in
    /// whatever this connection's vendor answers.
    func reveal(_ secret: Secret) -> String {
        let text = secret.reveal()
        mask(text)
        return text
    }

    /// Masks `text` in every later answer and trace, as a credential is.
    func mask(_ text: String) {
        secrets.withLock { if !$0.contains(text) { $0.append(text) } }
    }

    /// Masks every secret among a change's values (a settings password, a list of them).
    func mask(secretsIn record: Record) {
        func visit(_ v: Value) {
            switch v {
            case .secret(let s): mask(s.reveal())
            case .list(let items): for item in items { visit(item) }
            case .record(let r): for (_, value) in r.pairs { visit(value) }
            default: break
            }
        }
        for (_, value) in record.pairs { visit(value) }
    }

    struct Reply {
        var status: Int
        var headers: [(name: String, value: String)]
        var bytes: [UInt8]
        /// The body as JSON, when it is JSON.
        var json: JSON? { bytes.isEmpty ? nil : try? JSON.parse(bytes) }
        func header(_ name: String) -> String? {
            let lower = name.lowercased()
            return headers.first { $0.name.lowercased() == lower }?.value
        }
        var isSuccess: Bool { (200..<300).contains(status) }
    }

    enum Body {
        case none
        case json(JSON)
        /// `application/x-www-form-urlencoded` fields (AD360).
        case form([(String, String)])
        /// `multipart/form-data` with one file part (Cleanmail's upload, 5.7.11).
        case file(part: String, filename: String, type: String, bytes: [UInt8])
    }

    /// `safeToRepeat` and `retryWhen`: see `HTTPRequest`; the adapter knows its vendor.
    func call(
        _ method: HTTPRequest.Method, _ path: String, query: [(String, String)] = [], body: Body = .none,
        headers extra: [(String, String)] = [],
        safeToRepeat: Bool? = nil, retryWhen: (@Sendable (HTTPResponse) -> Bool)? = nil,
        secretReply: Bool = false, fileReply: Bool = false
    ) throws -> Reply {
        var url = base + path
        if !query.isEmpty {
            url += "?" + query.map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&")
        }
        var headers = authHeaders + [("Accept", "application/json")] + extra
        var bytes: [UInt8] = []
        switch body {
        case .none: break
        case .json(let j):
            headers.append(("Content-Type", "application/json"))
            bytes = j.bytes
        case .form(let fields):
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
            bytes = Array(fields.map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&").utf8)
        case .file(let part, let filename, let type, let content):
            let boundary = "mxsh-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            headers.append(("Content-Type", "multipart/form-data; boundary=\(boundary)"))
            // The name is the script's file name: quotes and line breaks would end the header.
            let name = String(filename.filter { $0 != "\"" && $0 != "\r" && $0 != "\n" && $0 != "\\" })
            bytes = Array(
                ("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part)\"; filename=\"\(name)\"\r\n"
                    + "Content-Type: \(type)\r\n\r\n").utf8)
            bytes += content
            bytes += Array("\r\n--\(boundary)--\r\n".utf8)
        }
        var request = HTTPRequest(
            method, url, headers: headers, body: bytes, limiterKey: connection, insecure: insecure)
        request.masks = credentials
        request.safeToRepeat = safeToRepeat
        request.retryWhen = retryWhen
        request.secretReply = secretReply
        let r: HTTPResponse
        do {
            r = try client.sendBlocking(request, shouldCancel: shouldCancel)
        } catch .cancelled {
            throw Cancelled()
        } catch {
            // A write whose every answer was lost (a PUT, PATCH or DELETE is sent again,
            // and any attempt may have done it): whether it was done is unknown, not
            // failed. (A POST the client may repeat is an OpenSRS read as often as not.)
            let writes = !request.isIdempotent || [.PUT, .PATCH, .DELETE].contains(method)
            if case .timedOut = error, writes { throw Self.lost(vendor, error) }
            if case .connectionLost = error, writes { throw Self.lost(vendor, error) }
            throw VendorError(vendor: vendor, kind: .transport, code: "transport", message: error.description)
        }
        return try reply(r, method, path, file: fileReply)
    }
}

extension VendorAPI {
    /// Sent, and not repeated: whether it was done is unknown, not failed.
    static func lost(_ vendor: String, _ error: HTTPError) -> VendorError {
        VendorError(
            vendor: vendor, kind: .transport, code: VendorError.lost,
            message: "\(error.description); its answer was lost, so whether it was done is unknown")
    }

    /// A request that creates (a POST the client may not repeat blindly). When its
    /// answer is lost, or is a server error, nobody knows whether the object was made:
    /// `exists` reads it, and the request is sent again only if it was not. Returns
    /// nil when the object turned out to exist (made by an earlier attempt).
    ///
    /// As many attempts as any other request gets (`RetryPolicy`'s reasoning): with six,
    /// a vendor failing 12% of POSTs (the migration test's 503s and dropped answers) lost
    /// one create in about 330,000, so a copy of 2,000 domains with their aliases (some
    /// thousands of creates) now and then ended with one not made.
    /// `retryWhen`: answers that say nothing was done (OpenSRS's contention errors), which
    /// the client sends again as it would any request.
    func create(
        _ path: String, body: Body, attempts: Int = RetryPolicy().maxAttempts,
        retryWhen: (@Sendable (HTTPResponse) -> Bool)? = nil, exists: () throws -> Bool
    ) throws -> Reply? {
        var delay = 0.05
        for attempt in 1...attempts {
            do {
                let reply = try call(.POST, path, body: body, safeToRepeat: false, retryWhen: retryWhen)
                if reply.status < 500 { return reply }
                // The last server error: made or not, the read says (a 5xx may have made it).
                if attempt == attempts { return try made(exists) ? nil : reply }
            } catch let e as VendorError where e.code == "transport" || e.code == VendorError.lost {
                if attempt == attempts { throw e }
            }
            if try made(exists) { return nil }
            usleep(UInt32(Double.random(in: 0...delay) * 1_000_000))
            delay = min(delay * 2, 2)
        }
        return nil
    }

    /// Whether an earlier attempt made the object. A read that fails leaves it unknown,
    /// never "not made": the create is then lost (sent, read first on resume), not failed.
    private func made(_ exists: () throws -> Bool) throws -> Bool {
        do { return try exists() } catch let e as VendorError {
            throw VendorError(
                vendor: vendor, kind: .transport, code: VendorError.lost,
                message: "a create's answer was lost, and reading whether it was made failed too (\(e.message)): "
                    + "whether it was done is unknown")
        }
    }

    /// GETs sent all at once (the client bounds them per connection), answers in the
    /// order asked: a page of domains' sub-resources in one round trip, not forty.
    func getAll(_ paths: [String]) throws -> [Reply] {
        try sendAll(paths.map { (.GET, $0, Body.none) })
    }

    /// Requests that only read, sent all at once, answers in the order asked (OpenSRS
    /// reads are POSTs: `get_domain` for each summary a search returned).
    func sendAll(
        _ requests: [(method: HTTPRequest.Method, path: String, body: Body)],
        retryWhen: (@Sendable (HTTPResponse) -> Bool)? = nil
    ) throws -> [Reply] {
        if requests.isEmpty { return [] }
        let done = DispatchSemaphore(value: 0)
        let results = Locked([Result<HTTPResponse, HTTPError>?](repeating: nil, count: requests.count))
        for (i, r) in requests.enumerated() {
            var request = HTTPRequest(
                r.method, base + r.path, headers: authHeaders + [("Accept", "application/json")],
                limiterKey: connection, insecure: insecure)
            if case .json(let j) = r.body {
                request.headers.append(("Content-Type", "application/json"))
                request.body = j.bytes
            }
            request.masks = credentials
            // Reads: safe to send again after a lost answer.
            request.safeToRepeat = true
            request.retryWhen = retryWhen
            _ = client.send(request) { r in
                results.withLock { $0[i] = r }
                done.signal()
            }
        }
        var remaining = requests.count
        while remaining > 0 {
            if done.wait(timeout: .now() + .milliseconds(50)) == .success { remaining -= 1; continue }
            if shouldCancel() { client.cancelAll(key: connection) }
        }
        return try zip(results.withLock { $0 }, requests).map { r, asked in
            switch r! {
            case .success(let response): return try reply(response, asked.method, asked.path)
            case .failure(.cancelled): throw Cancelled()
            case .failure(let e):
                throw VendorError(vendor: vendor, kind: .transport, code: "transport", message: e.description)
            }
        }
    }
}

extension VendorAPI {
    /// A reply as the adapters see it: credentials it echoes masked, and a success
    /// that is not JSON (a proxy's or a login page's HTML) refused rather than read as
    /// "no objects".
    /// `file`: a success answers a file's bytes (an attachment), not JSON.
    func reply(_ r: HTTPResponse, _ method: HTTPRequest.Method, _ path: String, file: Bool = false) throws -> Reply {
        let bytes = Redaction.masking(r.body, credentials)
        let reply = Reply(status: r.status, headers: r.headers, bytes: bytes)
        if reply.isSuccess, !file, !bytes.isEmpty, reply.json == nil {
            let type = reply.header("Content-Type").map { " (\($0))" } ?? ""
            throw VendorError(
                vendor: vendor, kind: .reply, code: "reply",
                message:
                    "the answer to \(method.rawValue) \(path) is not JSON\(type): not the vendor's API answering (a "
                    + "proxy or login page?)"
            )
        }
        return reply
    }
}

/// Percent-encoding for query strings and form bodies: everything but unreserved characters.
func formEncode(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for b in s.utf8 {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            out.unicodeScalars.append(Unicode.Scalar(b))
        default:
            let hex = Array("0123456789ABCDEF".utf8)
            out.unicodeScalars.append("%")
            out.unicodeScalars.append(Unicode.Scalar(hex[Int(b >> 4)]))
            out.unicodeScalars.append(Unicode.Scalar(hex[Int(b & 15)]))
        }
    }
    return out
}

/// Path segments (a domain name, an email, an id) go into URLs encoded as one segment:
/// `/` and every other reserved character encoded, and `.` or `..` (which a URL
/// resolver would take as "this" or "the parent" folder) encoded too, so no value
/// can change the path it is put in.
func pathSegment(_ s: String) -> String {
    if s == "." { return "%2E" }
    if s == ".." { return "%2E%2E" }
    return formEncode(s)
}
