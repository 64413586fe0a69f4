import Foundation
import Testing

/// Issue 11: `--format json` listings and `export` stream, and unknown is never empty:
/// a page that fails part-way leaves output that is clearly an error (exit status 1, the
/// error on stderr, the JSON on stdout unfinished, an export's file never written),
/// never a shorter listing that reads as the whole one.
@Suite(.serialized)
struct StreamingOutputTests {
    /// In front of a sandbox port: passes every request through, but answers the page
    /// of domains at `offset=200` with a proxy's HTML page (a 200 that is not the API).
    final class PageBreakingProxy: @unchecked Sendable {
        let port: Int
        let upstream: Int
        private let fd: Int32

        init(upstream: String) {
            self.upstream = Int(upstream.split(separator: ":").last!)!
            (fd, port) = Self.listen()
            let t = Thread { [self] in serve() }
            t.start()
        }

        var url: String { "http://127.0.0.1:\(port)" }

        static func listen() -> (Int32, Int) {
            for _ in 0..<50 {
                let port = 30000 + Int.random(in: 0..<20000)
                let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                var addr = Self.loopback(port)
                let ok = withUnsafePointer(to: &addr) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
                if ok == 0, Glibc.listen(fd, 64) == 0 { return (fd, port) }
                close(fd)
            }
            return (-1, 0)
        }

        static func loopback(_ port: Int) -> sockaddr_in {
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            return addr
        }

        /// The request's head (GETs only here: no body to wait for).
        private func readHead(_ c: Int32) -> String {
            var buffer = [UInt8](repeating: 0, count: 65536)
            var got = Data()
            while !String(decoding: got, as: UTF8.self).contains("\r\n\r\n") {
                let n = read(c, &buffer, buffer.count)
                if n <= 0 { break }
                got.append(contentsOf: buffer[0..<n])
            }
            return String(decoding: got, as: UTF8.self)
        }

        private func serve() {
            while true {
                let c = accept(fd, nil, nil)
                if c < 0 { return }
                let head = readHead(c)
                var reply = Data()
                let line = head.prefix { $0 != "\r" }
                if line.hasPrefix("GET /domains?"), line.contains("offset=200&") {
                    let page = Data("<html><body>Gateway error</body></html>".utf8)
                    reply = Data(
                        ("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: \(page.count)\r\n"
                            + "Connection: close\r\n\r\n").utf8)
                    reply.append(page)
                } else {
                    let u = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                    var addr = Self.loopback(upstream)
                    _ = withUnsafePointer(to: &addr) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                            Glibc.connect(u, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                        }
                    }
                    let closing = head.replacingOccurrences(of: "\r\n\r\n", with: "\r\nConnection: close\r\n\r\n")
                    _ = Array(closing.utf8).withUnsafeBytes { write(u, $0.baseAddress, $0.count) }
                    var buffer = [UInt8](repeating: 0, count: 65536)
                    while case let n = read(u, &buffer, buffer.count), n > 0 { reply.append(contentsOf: buffer[0..<n]) }
                    close(u)
                }
                _ = reply.withUnsafeBytes { write(c, $0.baseAddress, $0.count) }
                close(c)
            }
        }

        func stop() { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }
    }

    /// A sandbox with 500 Cleanmail domains (five pages of a hundred).
    static func sandbox() throws -> (home: URL, server: SandboxCommandTests.Server) {
        let home = try makeTemporaryDirectory()
        let server = try SandboxCommandTests.Server(
            ["--port", String(SandboxCommandTests.freeBasePort()), "--seed", "500"], in: home)
        return (home, server)
    }

    static func connect(_ url: String) -> String {
        "connect cleanmail as cm url=\"\(url)\" token=env(\"T\")\n"
    }

    @Test func aJSONListingStreamsAndAPageThatFailsLeavesNoValidDocument() throws {
        let (home, server) = try Self.sandbox()
        defer {
            _ = server.stop()
            try? FileManager.default.removeItem(at: home)
        }
        var env = testEnvironment(home: home)
        env["T"] = "sandbox-token"
        let whole = try runMxsh(
            ["-c", Self.connect(server.url("cleanmail")) + "list cm.domains", "--format", "json"], in: home,
            environment: env)
        #expect(whole.status == 0, "\(whole.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(whole.stdout.utf8)) as? [String: Any]
        #expect(((document?["output"] as? [Any])?.first as? [Any])?.count == 500)
        #expect(document?["status"] as? String == "done")

        let proxy = PageBreakingProxy(upstream: server.url("cleanmail"))
        defer { proxy.stop() }
        let cut = try runMxsh(
            ["-c", Self.connect(proxy.url) + "list cm.domains", "--format", "json"], in: home, environment: env)
        #expect(cut.status == 1)
        #expect(
            cut.stderr.contains(
                "offset=200&pageSize=100 is not JSON (text/html): not the vendor's API answering "
                    + "(a proxy or login page?)"
            ), "\(cut.stderr)")
        #expect(
            cut.stderr.hasSuffix(
                "mxsh: the JSON on stdout stops at the error above: it is cut short, not a whole document\n"),
            "\(cut.stderr)")
        // The pages before the broken one were written as they came (pages are read ahead,
        // so at least the first); the document was never closed.
        #expect(cut.stdout.hasPrefix("{\"output\":[[\n  {\n    \"name\": "), "\(cut.stdout.prefix(80))")
        let written = cut.stdout.components(separatedBy: "\"connection\": \"cm\"").count - 1
        #expect(written >= 100 && written <= 200, "\(written) domains written")
        #expect(throws: (any Error).self) { try JSONSerialization.jsonObject(with: Data(cut.stdout.utf8)) }
    }

    @Test func anExportThatFailsPartWayLeavesTheFileAsItWas() throws {
        let (home, server) = try Self.sandbox()
        defer {
            _ = server.stop()
            try? FileManager.default.removeItem(at: home)
        }
        var env = testEnvironment(home: home)
        env["T"] = "sandbox-token"
        for name in ["all.json", "all.csv"] {
            let r = try runMxsh(
                ["-c", Self.connect(server.url("cleanmail")) + "export cm.domains to \"\(name)\""], in: home,
                environment: env)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: home.appendingPathComponent("all.json")))
        #expect((json as? [[String: Any]])?.count == 500)
        #expect((json as? [[String: Any]])?.first?["raw"] is [String: Any], "an export keeps the raw record")
        let csv = try String(contentsOf: home.appendingPathComponent("all.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 501)

        let proxy = PageBreakingProxy(upstream: server.url("cleanmail"))
        defer { proxy.stop() }
        try "kept\n".write(to: home.appendingPathComponent("old.json"), atomically: true, encoding: .utf8)
        for name in ["old.json", "new.csv"] {
            let r = try runMxsh(
                ["-c", Self.connect(proxy.url) + "export cm.domains to \"\(name)\""], in: home, environment: env)
            #expect(r.status == 1)
            #expect(r.stderr.contains("is not JSON (text/html)"), "\(r.stderr)")
        }
        #expect(try String(contentsOf: home.appendingPathComponent("old.json"), encoding: .utf8) == "kept\n")
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("new.csv").path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: home.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }
}
