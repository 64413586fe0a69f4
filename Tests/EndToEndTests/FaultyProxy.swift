import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A proxy in front of a sandbox port that answers some requests as the sandbox never
/// does (a real vendor's server error after the change was made, a success of another
/// shape), for the adapters' handling of such answers. `rule` is given each request's
/// method, path, body and how many requests with the same method and path came before
/// it; nil passes it to the sandbox (one request per connection) and its answer back.
final class FaultyProxy: @unchecked Sendable {
    struct Answer {
        /// "500 Internal Server Error".
        var status: String
        var body: String
        /// More header lines, each ending with CRLF ("X-Total-Count: 1\r\n").
        var headers = ""
        /// Sent to the sandbox first (the change is made), and this answer given instead
        /// of the sandbox's; otherwise the sandbox never sees the request.
        var passedOn = false
    }
    typealias Rule = @Sendable (_ method: String, _ path: String, _ body: String, _ count: Int) -> Answer?
    let port: Int
    let upstream: Int
    /// The sandbox URL's path after its port (Proofpoint's `/api/v1`).
    private let prefix: String
    private let fd: Int32
    private let rule: Rule
    private let lock = NSLock()
    private var seen: [String] = []

    init(upstream: String, rule: @escaping Rule) {
        let afterColon = upstream.split(separator: ":").last!
        self.upstream = Int(afterColon.prefix { $0.isNumber })!
        self.prefix = String(afterColon.drop { $0.isNumber })
        self.rule = rule
        (self.fd, self.port) = SecurityTests.listenOnLoopback()
        let t = Thread { [self] in serve() }
        t.start()
    }

    var url: String { "http://127.0.0.1:\(port)" + prefix }
    /// "METHOD path" of each request, in the order they came.
    var requests: [String] { lock.withLock { seen } }
    /// "METHOD path body" of each request that is not a GET.
    var writes: [String] { lock.withLock { sent } }
    private var sent: [String] = []

    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    private func serve() {
        while true {
            let c = accept(fd, nil, nil)
            if c < 0 { return }
            let t = Thread { [self] in answer(c) }
            t.start()
        }
    }

    private func answer(_ c: Int32) {
        defer { close(c) }
        let request = Self.readMessage(c)
        let text = String(decoding: request, as: UTF8.self)
        guard let headEnd = text.range(of: "\r\n\r\n") else { return }
        let line = text[..<headEnd.lowerBound].split(separator: "\r\n").first.map(String.init) ?? ""
        let parts = line.split(separator: " ")
        guard parts.count >= 2 else { return }
        let (method, path) = (String(parts[0]), String(parts[1]))
        let body = String(text[headEnd.upperBound...])
        let count = lock.withLock {
            let before = seen.filter { $0 == "\(method) \(path)" }.count
            seen.append("\(method) \(path)")
            if method != "GET" { sent.append("\(method) \(path) \(body)") }
            return before
        }
        var forwarded = text
        forwarded.replaceSubrange(headEnd, with: "\r\nConnection: close\r\n\r\n")
        let answer = rule(method, path, body, count)
        var reply = Data()
        if answer == nil || answer!.passedOn { reply = Self.forward(Data(forwarded.utf8), to: upstream) }
        if let own = answer {
            reply = Data(
                ("HTTP/1.1 \(own.status)\r\nContent-Type: application/json\r\nContent-Length: "
                    + "\(own.body.utf8.count)\r\n\(own.headers)Connection: close\r\n\r\n" + own.body).utf8)
        }
        _ = reply.withUnsafeBytes { write(c, $0.baseAddress, $0.count) }
    }

    /// `request` sent to the loopback port `upstream`, and all it answered.
    static func forward(_ request: Data, to upstream: Int) -> Data {
        let u = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(u) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(upstream).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(u, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        _ = request.withUnsafeBytes { write(u, $0.baseAddress, $0.count) }
        var reply = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while case let n = read(u, &buffer, buffer.count), n > 0 { reply.append(contentsOf: buffer[0..<n]) }
        return reply
    }

    /// A request: its head, and as many body bytes as its Content-Length says.
    static func readMessage(_ c: Int32) -> Data {
        var buffer = [UInt8](repeating: 0, count: 65536)
        var got = Data()
        while true {
            let text = String(decoding: got, as: UTF8.self)
            if let end = text.range(of: "\r\n\r\n") {
                let head = text[..<end.lowerBound].lowercased()
                let length =
                    head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst(15).trimmingCharacters(in: .whitespaces)) } ?? 0
                if got.count >= text[..<end.upperBound].utf8.count + length { return got }
            }
            let n = read(c, &buffer, buffer.count)
            if n <= 0 { return got }
            got.append(contentsOf: buffer[0..<n])
        }
    }
}
