import CCurl
import CCurlShim
import MXJSON

/// One attempt of one request: a curl easy handle and what it has received so far.
/// Reached from curl's callbacks through `CURLOPT_PRIVATE`/userdata as an unmanaged
/// pointer; retained by the loop while curl holds it.
final class Transfer {
    let job: Job
    let handle: UnsafeMutableRawPointer
    var body: [UInt8] = []
    var tooLarge = false
    var headerLines: [String] = []
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var requestBody: [CChar] = []
    /// curl writes its error text here during the transfer: it must stay put.
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init?(job: Job) {
        guard let h = mx_curl_easy_init() else { return nil }
        self.job = job
        self.handle = h
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        mx_curl_easy_cleanup(handle)
        if let headerList { mx_curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    /// Sets the handle up; the pointer to self goes to the callbacks.
    func configure(_ me: UnsafeMutableRawPointer) {
        let r = job.request
        mx_easy_setopt_string(handle, CURLOPT_URL, r.url)
        mx_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        mx_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(r.timeout * 1000))
        mx_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(min(r.timeout, 10) * 1000))
        // Waiting for a connection that may multiplex pays only where HTTP/2 can be
        // negotiated (TLS); on plain HTTP/1.1 it holds requests back instead.
        if r.url.hasPrefix("https:") { mx_easy_setopt_long(handle, CURLOPT_PIPEWAIT, 1) }
        mx_easy_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1)
        // libcurl silently sends a request again when the reused connection it went out
        // on dies before any answer (it takes that for a server closing an idle one): a
        // POST the server did act on would be done twice (two mails sent). A request that
        // may not be repeated goes out on a connection of its own, which is never retried.
        if !r.isIdempotent { mx_easy_setopt_long(handle, CURLOPT_FRESH_CONNECT, 1) }
        // The path is sent as built: no `.`/`..` squashing (a value never moves the path).
        mx_easy_setopt_long(handle, CURLOPT_PATH_AS_IS, 1)
        mx_easy_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "")
        mx_easy_setopt_string(handle, CURLOPT_USERAGENT, "mxsh/0.1")
        if r.insecure {
            mx_easy_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 0)
            mx_easy_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0)
        }
        switch r.method {
        case .GET: mx_easy_setopt_long(handle, CURLOPT_HTTPGET, 1)
        case .HEAD: mx_easy_setopt_long(handle, CURLOPT_NOBODY, 1)
        case .POST, .PUT, .PATCH, .DELETE:
            mx_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, r.method.rawValue)
            if !r.body.isEmpty || r.method != .DELETE {
                // COPYPOSTFIELDS copies: the bytes need not outlive this call.
                mx_easy_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(r.body.count))
                requestBody = r.body.map { CChar(bitPattern: $0) } + [0]
                _ = requestBody.withUnsafeMutableBufferPointer {
                    mx_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, $0.baseAddress)
                }
            }
        }
        // An empty Expect stops curl waiting a second for "100 Continue" on bodies.
        var list: UnsafeMutablePointer<curl_slist>? = mx_curl_slist_append(nil, "Expect:")
        for (name, value) in r.headers { list = mx_curl_slist_append(list, "\(name): \(value)") }
        headerList = list
        mx_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, list)
        mx_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        mx_easy_setopt_data_fn(handle, CURLOPT_WRITEFUNCTION, onBody)
        mx_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, me)
        mx_easy_setopt_data_fn(handle, CURLOPT_HEADERFUNCTION, onHeader)
        mx_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, me)
        mx_easy_setopt_pointer(handle, CURLOPT_PRIVATE, me)
    }

    /// The outcome once curl says the transfer is done.
    func result(_ code: CURLcode) -> Result<HTTPResponse, HTTPError> {
        if tooLarge { return .failure(.replyTooLarge(url: job.request.url, limit: job.request.maxReplyBytes)) }
        guard code == CURLE_OK else {
            let detail =
                String(cString: errorBuffer).isEmpty
                ? String(cString: mx_curl_easy_strerror(code)) : String(cString: errorBuffer)
            let url = job.request.url
            switch code {
            case CURLE_OPERATION_TIMEDOUT: return .failure(.timedOut(url: url, seconds: job.request.timeout))
            case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
                return .failure(.couldNotConnect(url: url, reason: detail))
            case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
                CURLE_SSL_CACERT_BADFILE:
                return .failure(.tls(url: url, reason: detail))
            case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: return .failure(.invalid(detail))
            default: return .failure(.connectionLost(url: url, reason: detail))
            }
        }
        var status = 0
        mx_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        // Only the last response's headers (after redirects or 100-continue).
        var headers: [(name: String, value: String)] = []
        for line in headerLines {
            if line.hasPrefix("HTTP/") { headers.removeAll(); continue }
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append(
                (String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: " \t\r\n")))
        }
        return .success(HTTPResponse(status: status, headers: headers, body: body, attempts: job.attempt))
    }
}

private func onBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ user: UnsafeMutableRawPointer?)
    -> Int
{
    guard let data, let user else { return 0 }
    let t = Unmanaged<Transfer>.fromOpaque(user).takeUnretainedValue()
    let n = size * count
    if t.body.count + n > t.job.request.maxReplyBytes {
        t.tooLarge = true
        return 0  // curl stops the transfer
    }
    data.withMemoryRebound(to: UInt8.self, capacity: n) {
        t.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: n))
    }
    return n
}

private func onHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ user: UnsafeMutableRawPointer?)
    -> Int
{
    guard let data, let user else { return 0 }
    let t = Unmanaged<Transfer>.fromOpaque(user).takeUnretainedValue()
    let n = size * count
    let line = data.withMemoryRebound(to: UInt8.self, capacity: n) {
        String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self)
    }
    t.headerLines.append(line)
    return n
}
