import Foundation
import MXHTTP
import Testing

/// Issue 11, attack by attack: each test plays the attacker against `mxsh sandbox` or a
/// small hostile server and shows the attack refused, with the message the user sees.
@Suite(.serialized)
struct SecurityTests {
    /// A listening socket on a free loopback port, for the small servers below.
    static func listenOnLoopback() -> (fd: Int32, port: Int) {
        for _ in 0..<50 {
            let port = 30000 + Int.random(in: 0..<20000)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            let ok = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if ok == 0, listen(fd, 16) == 0 { return (fd, port) }
            close(fd)
        }
        return (-1, 0)
    }

    /// A server that answers every request with one canned reply and keeps what it was
    /// sent (request line and headers), to show what reached it.
    final class HostileServer: @unchecked Sendable {
        let port: Int
        private let fd: Int32
        private let lock = NSLock()
        private var seen: [String] = []
        let reply: Data

        init(status: String = "200 OK", contentType: String = "application/json", body: Data) {
            (self.fd, self.port) = SecurityTests.listenOnLoopback()
            var head = Data(
                ("HTTP/1.1 \(status)\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\nConnection: "
                    + "close\r\n\r\n")
                    .utf8)
            head.append(body)
            reply = head
            let t = Thread { [self] in serve() }
            t.start()
        }

        var url: String { "http://127.0.0.1:\(port)" }
        var requests: [String] { lock.withLock { seen } }

        private func serve() {
            while true {
                let c = accept(fd, nil, nil)
                if c < 0 { return }
                var buffer = [UInt8](repeating: 0, count: 65536)
                var got = Data()
                while !String(decoding: got, as: UTF8.self).contains("\r\n\r\n") {
                    let n = read(c, &buffer, buffer.count)
                    if n <= 0 { break }
                    got.append(contentsOf: buffer[0..<n])
                }
                lock.withLock { seen.append(String(decoding: got, as: UTF8.self)) }
                _ = reply.withUnsafeBytes { write(c, $0.baseAddress, $0.count) }
                close(c)
            }
        }

        func stop() { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }
    }

    func sandbox(_ home: URL) throws -> SandboxCommandTests.Server {
        try SandboxCommandTests.Server(
            ["--port", String(SandboxCommandTests.freeBasePort()), "--seed", "demo"], in: home)
    }

    /// The requests a sandbox port has received.
    func requests(_ server: SandboxCommandTests.Server, _ vendor: String) throws -> [Any] {
        let r = try sandboxReader.sendBlocking(HTTPRequest(.GET, server.url(vendor) + "/_sandbox/requests"))
        return try JSONSerialization.jsonObject(with: Data(r.body)) as? [Any] ?? []
    }

    // MARK: plans are data

    @Test func aPlanWhoseConnectionWasMovedIsRefusedBeforeAnythingIsSent() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let server = try sandbox(home)
        defer { _ = server.stop() }
        var env = testEnvironment(home: home)
        env["CM_TOKEN"] = "sandbox-token"
        let script = home.appendingPathComponent("s.mxsh").path
        try
            ("connect cleanmail as cm url=\"\(server.url("cleanmail"))\" token=env(\"CM_TOKEN\")\ndisable (cm.domain "
            + "\"litware-inc.com\")\n")
            .write(toFile: script, atomically: true, encoding: .utf8)
        let plan = home.appendingPathComponent("plan.json").path
        let planned = try runMxsh(["plan", script, "--plan-out", plan], in: home, environment: env)
        #expect(planned.status == 3, "\(planned.stderr)")
        let text = try String(contentsOfFile: plan, encoding: .utf8)
        #expect(
            text.contains("\"credentials\":{\"token\":{\"env\":\"CM_TOKEN\"}}") && !text.contains("sandbox-token"),
            "\(text)")
        #expect(!text.contains("connect cleanmail"), "no statement is kept: \(text)")

        // The attacker points the connection at a server of theirs (here: ad360's port).
        let evil = home.appendingPathComponent("evil.json").path
        try text.replacingOccurrences(of: server.url("cleanmail"), with: server.url("ad360")).write(
            toFile: evil, atomically: true, encoding: .utf8)
        let applied = try runMxsh(["apply", evil], in: home, environment: env)
        #expect(applied.status == 1)
        #expect(
            applied.stderr
                == "mxsh apply: \(evil): connection cm is not sealed by this user's mxsh (the plan was made by someone "
                + "else, or altered since); nothing was sent\n"
        )
        #expect(try requests(server, "ad360").isEmpty, "nothing reached the attacker's port")

        // A plan of the old kind (statements to run) is refused, its statements never run.
        let old = home.appendingPathComponent("old.json").path
        try
            ("{\"mxsh_plan\":1,\"connect\":[\"connect cleanmail as cm url=\\\"\(server.url("ad360"))\\\" "
            + "token=env(\\\"CM_TOKEN\\\")\"],\"changes\":[]}")
            .write(toFile: old, atomically: true, encoding: .utf8)
        let refused = try runMxsh(["apply", old], in: home, environment: env)
        #expect(refused.status == 2)
        #expect(
            refused.stderr
                == "mxsh apply: \(old) was made by an older mxsh, whose plans held statements to run; make the plan "
                + "again\n"
        )
        #expect(try requests(server, "ad360").isEmpty)

        // The plan as made applies.
        let good = try runMxsh(["apply", plan], in: home, environment: env)
        // An applied plan is a run of the journal: the summary names it.
        #expect(good.status == 0 && good.stderr.hasPrefix("1 change applied\n(run "), "\(good.stderr)")
    }

    @Test func aProfilePlanIsRefusedWhenTheProfileNowReachesAnotherURL() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let server = try sandbox(home)
        defer { _ = server.stop() }
        var env = testEnvironment(home: home)
        env["CM_TOKEN"] = "sandbox-token"
        let dir = home.appendingPathComponent("config/mxsh")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let config = dir.appendingPathComponent("config.toml").path
        func profile(_ url: String) throws {
            try "[profiles.cm]\nvendor = \"cleanmail\"\nurl = \"\(url)\"\ntoken = { env = \"CM_TOKEN\" }\n".write(
                toFile: config, atomically: true, encoding: .utf8)
            chmod(config, 0o600)
        }
        try profile(server.url("cleanmail"))
        let script = home.appendingPathComponent("s.mxsh").path
        try "connect @cm\ndisable (cm.domain \"litware-inc.com\")\n".write(
            toFile: script, atomically: true, encoding: .utf8)
        let plan = home.appendingPathComponent("plan.json").path
        let planned = try runMxsh(["plan", script, "--plan-out", plan], in: home, environment: env)
        #expect(planned.status == 3, "\(planned.stderr)")
        try profile(server.url("ad360"))
        let applied = try runMxsh(["apply", plan], in: home, environment: env)
        #expect(applied.status == 1)
        #expect(
            applied.stderr
                == "mxsh apply: \(plan): connection cm was made against \(server.url("cleanmail")), and now reaches "
                + "\(server.url("ad360")); nothing was sent\n"
        )
        #expect(try requests(server, "ad360").isEmpty)
    }

    @Test(arguments: ["(\"sandbox\" + \"-token\")", "\"sandbox-token${\"\"}\"", "lower(\"SANDBOX-TOKEN\")"])
    func aComputedCredentialIsNeverSaved(_ expression: String) throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let server = try sandbox(home)
        defer { _ = server.stop() }
        let script = home.appendingPathComponent("s.mxsh").path
        try
            ("connect cleanmail as cm url=\"\(server.url("cleanmail"))\" token=\(expression)\ndisable (cm.domain "
            + "\"litware-inc.com\")\n")
            .write(toFile: script, atomically: true, encoding: .utf8)
        // A run (journaled) refuses the connect line before anything is sent.
        let run = try runMxsh(["run", script], in: home)
        #expect(run.status == 1)
        #expect(
            run.stderr.contains("error: token= is written in the script (a literal, or computed): nothing is sent"),
            "\(run.stderr)")
        #expect(try requests(server, "cleanmail").isEmpty, "nothing was sent")
        let plan = home.appendingPathComponent("plan.json").path
        let r = try runMxsh(["plan", script, "--plan-out", plan], in: home)
        #expect(r.status == 1)
        #expect(
            r.stderr
                == "mxsh: plan not saved: connection cm's credential is written into the script or computed there; "
                + "give it as env(\"X\"), secret(\"name\") or a profile (connect @name)\n"
        )
        #expect(!FileManager.default.fileExists(atPath: plan))
    }

    // MARK: credentials and URLs

    @Test func credentialsWithLineBreaksAndURLsWithUserPartsAreRefused() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let hostile = HostileServer(body: Data("{}".utf8))
        defer { hostile.stop() }
        var env = testEnvironment(home: home)
        env["T"] = "tok\r\nX-Injected: 1"
        let crlf = try runMxsh(
            ["-c", "connect cleanmail as cm url=\"\(hostile.url)\" token=env(\"T\")"], in: home, environment: env)
        #expect(crlf.status == 1)
        #expect(
            crlf.stderr.hasPrefix(
                "<-c>:1:54: error: token contains a line break (CR or LF), which is refused: it would inject a header\n"
            ), "\(crlf.stderr)")
        let user = try runMxsh(
            ["-c", "connect cleanmail as cm url=\"https://u:pw-in-url@127.0.0.1:1\" token=env(\"MXSH_TEST_TOKEN\")"],
            in: home)
        #expect(user.status == 1)
        #expect(
            user.stderr.hasPrefix(
                "<-c>:1:25: error: url must not carry a user or password before '@': give them with the vendor's "
                    + "credential options\n"
            ), "\(user.stderr)")
        #expect(!user.stderr.contains("pw-in-url"))
        let stack = try runMxsh(
            [
                "-c",
                "connect proofpoint as pp stack=\"us2.evil.example\" org=\"o.com\" user=\"a@o.com\" "
                    + "password=env(\"MXSH_TEST_TOKEN\")"
            ], in: home)
        #expect(
            stack.stderr.hasPrefix(
                "<-c>:1:26: error: stack is one of us1, us2, us3, us4, us5, eu1, not 'us2.evil.example'\n"),
            "\(stack.stderr)")
        let cluster = try runMxsh(
            ["-c", "connect opensrs as os cluster=\"c\" user=\"a@o.com\" password=env(\"MXSH_TEST_TOKEN\")"], in: home)
        #expect(cluster.stderr.hasPrefix("<-c>:1:23: error: cluster is a, b or test, not 'c'\n"), "\(cluster.stderr)")
        #expect(hostile.requests.isEmpty, "nothing was sent: \(hostile.requests)")
    }

    @Test func plainHTTPToAnotherHostWarns() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let r = try runMxsh(
            ["-c", "connect cleanmail as cm url=\"http://192.0.2.1:1\" token=env(\"MXSH_TEST_TOKEN\")"], in: home)
        #expect(
            r.stderr.hasPrefix(
                "warning: connection cm sends its credentials over plain http:// to 192.0.2.1; use https://\n"),
            "\(r.stderr)")
    }

    /// Finding a Proofpoint organisation's stack (`/endpoints/{org}`) never sends the
    /// credentials anywhere but a Proofpoint Essentials https:// address: a reply that
    /// names plain http:// or another host is refused before the first request there.
    @Test(arguments: ["http://192.0.2.1:1/api/v1", "https://pp.evil.example/api/v1", "http://127.0.0.1:1"])
    func endpointDiscoveryNeverLeavesProofpointOrHTTPS(_ named: String) throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let hostile = HostileServer(body: Data("{\"url\":\"\(named)\"}".utf8))
        defer { hostile.stop() }
        var env = testEnvironment(home: home)
        // The instance asked is not loopback to the address it names: the test rig
        // (loopback asking loopback) is the only exception, so name a remote instance.
        env["MXSH_PROOFPOINT_ENDPOINTS_URL"] = hostile.url
        let r = try runMxsh(
            [
                "-c",
                "connect proofpoint as pp org=\"o.com\" user=\"a@o.com\" password=env(\"MXSH_TEST_TOKEN\")"
            ], in: home, environment: env)
        #expect(r.status == 1)
        let loopbackAsked = named.hasPrefix("http://127.")
        if loopbackAsked {
            // A loopback instance may name a loopback address (the sandbox does): allowed, and
            // the connection then fails to reach port 1.
            #expect(r.stderr.contains("cannot connect pp"), "\(r.stderr)")
        } else {
            #expect(
                r.stderr.contains(
                    "the endpoint reply for o.com names \(named), not an https:// address of Proofpoint Essentials"),
                "\(r.stderr)")
        }
        #expect(hostile.requests.count == 1, "only the endpoint was asked: \(hostile.requests)")
        #expect(!r.stderr.contains(plantedToken))
    }

    // MARK: hostile replies

    @Test func aSuccessThatIsNotJSONIsAnErrorNotZeroObjects() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let hostile = HostileServer(
            contentType: "text/html", body: Data("<html><body>Please log in</body></html>".utf8))
        defer { hostile.stop() }
        let r = try runMxsh(
            [
                "-c",
                "connect cleanmail as cm url=\"\(hostile.url)\" token=env(\"MXSH_TEST_TOKEN\")\nprint count(cm.domains)"
            ], in: home)
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(
            r.stderr.contains(
                "the answer to GET /domains is not JSON (text/html): not the vendor's API answering (a proxy or login "
                    + "page?)"
            ), "\(r.stderr)")
    }

    /// A 2xx reply that is JSON but not the documented shape (a proxy's JSON error page)
    /// is an error too: Cleanmail read it as zero domains, Proofpoint as one nameless one.
    @Test(arguments: [
        (
            "connect cleanmail as cm url=\"URL\" token=env(\"MXSH_TEST_TOKEN\")\nprint count(cm.domains)",
            "list domains: the answer is not the documented shape"
        ),
        (
            "connect proofpoint as pp url=\"URL\" org=\"o.com\" user=\"a@o.com\" password=env(\"MXSH_TEST_TOKEN\")"
                + "\nprint count(pp.domains)",
            "list domains of o.com: the answer is not the documented shape"
        )
    ])
    func aSuccessOfAnotherShapeIsAnErrorNotZeroObjects(_ script: String, _ message: String) throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let hostile = HostileServer(body: Data(#"{"message":"down for maintenance"}"#.utf8))
        defer { hostile.stop() }
        let r = try runMxsh(["-c", script.replacingOccurrences(of: "URL", with: hostile.url)], in: home)
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty, "\(r.stdout)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test func aVendorErrorThatEchoesTheCredentialIsMasked() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let hostile = HostileServer(
            status: "401 Unauthorized", body: Data("{\"message\":\"bad token Bearer \(plantedToken)\"}".utf8))
        defer { hostile.stop() }
        let r = try runMxsh(
            ["-c", "connect cleanmail as cm url=\"\(hostile.url)\" token=env(\"MXSH_TEST_TOKEN\")"], in: home)
        #expect(r.status == 1)
        #expect(!r.stderr.contains(plantedToken), "\(r.stderr)")
        #expect(
            hostile.requests.first?.contains("Bearer \(plantedToken)") == true,
            "the token was sent, and only the reply is masked")
    }

    /// A vendor whose JSON writes characters as `\uXXXX` (Python, Go, Gson): the
    /// credential it quotes is masked all the same.
    @Test func aVendorErrorThatEchoesTheCredentialEscapedIsMasked() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let escaped = plantedToken.unicodeScalars.map { "\\u00" + String($0.value, radix: 16) }.joined()
        let hostile = HostileServer(
            status: "401 Unauthorized", body: Data("{\"message\":\"bad token Bearer \(escaped)\"}".utf8))
        defer { hostile.stop() }
        let r = try runMxsh(
            ["-c", "connect cleanmail as cm url=\"\(hostile.url)\" token=env(\"MXSH_TEST_TOKEN\")", "--trace"],
            in: home)
        #expect(r.status == 1)
        #expect(r.stderr.contains("bad token Bearer ****"), "\(r.stderr)")
        #expect(!r.stderr.contains(plantedToken) && !r.stderr.contains(escaped), "\(r.stderr)")
    }

    /// A proxy in front of a sandbox port: reads pass through; a write is answered 400
    /// with an error that quotes the request's body (as some vendors' error pages do),
    /// the body JSON-escaped inside the message with `/` as `\/`.
    final class EchoingProxy: @unchecked Sendable {
        let port: Int
        let upstream: Int
        private let fd: Int32
        private let lock = NSLock()
        private var bodies: [String] = []

        init(upstream: String) {
            self.upstream = Int(upstream.split(separator: ":").last!)!
            (self.fd, self.port) = SecurityTests.listenOnLoopback()
            let t = Thread { [self] in serve() }
            t.start()
        }

        var url: String { "http://127.0.0.1:\(port)" }
        /// The bodies of the writes it was sent.
        var writes: [String] { lock.withLock { bodies } }

        private func serve() {
            while true {
                let c = accept(fd, nil, nil)
                if c < 0 { return }
                let request = FaultyProxy.readMessage(c)
                let text = String(decoding: request, as: UTF8.self)
                var reply = Data()
                if text.hasPrefix("GET ") {
                    // Passed through, one request per connection.
                    let head = text.replacingOccurrences(of: "\r\n\r\n", with: "\r\nConnection: close\r\n\r\n")
                    reply = FaultyProxy.forward(Data(head.utf8), to: upstream)
                } else {
                    let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
                    lock.withLock { bodies.append(body) }
                    let echo = try! JSONSerialization.data(withJSONObject: [
                        "status": 400, "error": "Bad Request",
                        "message": "could not apply " + body
                    ])
                    reply = Data(
                        ("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: "
                            + "\(echo.count)\r\nConnection: close\r\n\r\n")
                            .utf8)
                    reply.append(echo)
                }
                _ = reply.withUnsafeBytes { write(c, $0.baseAddress, $0.count) }
                close(c)
            }
        }

        func stop() { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }
    }

    /// A password a change sets, echoed back by the vendor in an error, is masked in
    /// whatever mxsh prints, traces or journals, in every form the echo takes.
    /// The journal, `runs show` and `--failed-csv` show the refused change's credential
    /// as `set (****)`.
    @Test(arguments: [
        ("cleanmail", "for a in cm.admins where login = \"helpdesk\" < set a password=env(\"NEW_PW\") >"),
        ("cleanmail", "set (cm.user \"kim@contoso-cm.net\") password=env(\"NEW_PW\")"),
        ("ad360", "set ad.proxy enabled=true server=\"proxy.corp\" port=3128 user=\"svc\" password=env(\"NEW_PW\")"),
        ("ad360", "set ad.mailserver server=\"smtp.example.com\" port=587 user=\"m\" password=env(\"NEW_PW\")"),
        ("ad360", "set-credential (ad.domain \"ad360.local\") user=\"admin\" password=env(\"NEW_PW\")")
    ])
    func aSecretAChangeSendsIsMaskedWhenTheVendorEchoesIt(_ vendor: String, _ line: String) throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let server = try sandbox(home)
        defer { _ = server.stop() }
        let proxy = EchoingProxy(upstream: server.url(vendor))
        defer { proxy.stop() }
        let password = "n3w/pa\"ss&<wd> x"
        var env = testEnvironment(home: home)
        env["NEW_PW"] = password
        env["T"] = "sandbox-token"
        let connect =
            vendor == "cleanmail"
            ? "connect cleanmail as cm url=\"\(proxy.url)\" token=env(\"T\")"
            : "connect ad360 as ad url=\"\(proxy.url)\" token=env(\"T\")"
        let r = try runMxsh(["--trace", "-c", connect + "\n" + line], in: home, environment: env)
        #expect(r.status == 1, "the vendor refused the change: \(r.stderr)")
        let sent = proxy.writes.joined()
        let forms = Set(Redaction.forms(of: password)).filter { sent.contains($0) }
        #expect(!forms.isEmpty, "the password was sent: \(sent)")
        #expect(r.stderr.contains("could not apply"), "the echo reached mxsh: \(r.stderr)")
        let runs = try runMxsh(["runs", "--format", "json"], in: home, environment: env)
        let id = try #require(
            ((try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [[String: Any]])?.first?["id"])
                as? String)
        let failedCSV = home.appendingPathComponent("failed.csv").path
        let shown = try runMxsh(
            ["runs", "show", id, "--format", "json", "--failed-csv", failedCSV], in: home, environment: env)
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains(#""password":{"secret":"set (****)"}"#), "\(shown.stdout)")
        let csv = try String(contentsOfFile: failedCSV, encoding: .utf8)
        #expect(csv.contains(#""password"":{""secret"":""set (****)""}"#), "\(csv)")
        let text = try runMxsh(["runs", "show", id], in: home, environment: env)
        #expect(text.stdout.contains("password=set (****)"), "\(text.stdout)")
        // The journal's files themselves (database and write-ahead log), byte for byte.
        var stored = Data()
        let state = home.appendingPathComponent("state")
        for case let file as String in FileManager.default.enumerator(atPath: state.path) ?? .init() {
            stored.append((try? Data(contentsOf: state.appendingPathComponent(file))) ?? Data())
        }
        #expect(!stored.isEmpty)
        for form in Redaction.forms(of: password) + ["n3w", "ss&"] {
            #expect(!r.stderr.contains(form), "stderr shows the password as \(form): \(r.stderr)")
            #expect(!r.stdout.contains(form))
            #expect(!shown.stdout.contains(form), "runs show gives \(form): \(shown.stdout)")
            #expect(!text.stdout.contains(form) && !csv.contains(form), "runs show or --failed-csv gives \(form)")
            #expect(stored.range(of: Data(form.utf8)) == nil, "the journal's files hold \(form)")
        }
    }

    @Test func anOversizedReplyIsAnError() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let hostile = HostileServer(
            body: Data(("[" + String(repeating: "{\"name\":\"x.com\"},", count: 100_000) + "{}]").utf8))
        defer { hostile.stop() }
        var env = testEnvironment(home: home)
        env["MXSH_MAX_REPLY_MB"] = "1"
        let r = try runMxsh(
            ["-c", "connect cleanmail as cm url=\"\(hostile.url)\" token=env(\"MXSH_TEST_TOKEN\")"], in: home,
            environment: env)
        #expect(r.status == 1)
        #expect(
            r.stderr.contains("is larger than 1 MB, so it was not read (MXSH_MAX_REPLY_MB raises the limit)"),
            "\(r.stderr)")
    }

    /// Vendor text printed to a terminal has its control characters escaped: a reply
    /// cannot retitle the window, recolour it or move the cursor. `script` gives mxsh a
    /// real pseudo-terminal.
    @Test func controlCharactersFromAVendorAreEscapedOnATerminal() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let hostile = HostileServer(
            body: Data(
                (#"[{"id":"1","name":"a.com","status":"ENABLED","#
                    + #""description":"\u001b]0;pwned\u0007\u001b[2Jred","note":"\u009b2J"}]"#).utf8
            ))
        defer { hostile.stop() }
        let code =
            "connect cleanmail as cm url=\"\(hostile.url)\" token=env(\"MXSH_TEST_TOKEN\")\nfor d in cm.domains < "
            + "print d.description >"
        let script = home.appendingPathComponent("s.mxsh")
        try code.write(to: script, atomically: true, encoding: .utf8)
        let r = try runProcess(
            "/usr/bin/script", ["-qec", "\(mxshBinary) run \(script.path)", "/dev/null"], in: home,
            environment: testEnvironment(home: home))
        #expect(r.stdout.contains(#"\x1B]0;pwned\x07\x1B[2Jred"#), "\(r.stdout.debugDescription)")
        #expect(!r.stdout.contains("\u{1B}]0;") && !r.stdout.contains("\u{1B}[2J"), "\(r.stdout.debugDescription)")
        // --format json escapes C0 controls as JSON does; a C1 control (U+009B, CSI) is
        // escaped on the terminal as well.
        let both = home.appendingPathComponent("both.mxsh")
        try code.replacingOccurrences(of: "print d.description", with: "print d.description d.raw.note")
            .write(to: both, atomically: true, encoding: .utf8)
        let json = try runProcess(
            "/usr/bin/script", ["-qec", "\(mxshBinary) run --format json \(both.path)", "/dev/null"], in: home,
            environment: testEnvironment(home: home))
        #expect(json.stdout.contains(#"\u001b]0;pwned\u0007\u001b[2Jred"#), "\(json.stdout.debugDescription)")
        #expect(json.stdout.contains(#"\x9B2J"#), "\(json.stdout.debugDescription)")
        #expect(!json.stdout.contains("\u{9B}"), "\(json.stdout.debugDescription)")
        // Piped, the text is the vendor's own.
        let piped = try runMxsh(["run", script.path], in: home)
        #expect(piped.stdout == "\u{1B}]0;pwned\u{07}\u{1B}[2Jred\n", "\(piped.stdout.debugDescription)")
        // The server gives the same page whatever the offset: listed once, then an error, not for ever.
        #expect(piped.status == 1)
        #expect(piped.stderr.contains("the answer for offset 1 repeats the page before it"), "\(piped.stderr)")
    }

    /// A value put in a raw `call`'s path cannot change the path: `..` (plain or encoded)
    /// would resolve, at a server or a proxy before it, to the organisation itself.
    @Test(arguments: ["..", "%2e%2E", ".", "x\\..\\y"])
    func aDotSegmentInARawPathIsRefusedBeforeSending(_ name: String) throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let server = try sandbox(home)
        defer { _ = server.stop() }
        var env = testEnvironment(home: home)
        env["PP"] = "sandbox"
        try "name\n\(name)\n".write(to: home.appendingPathComponent("rows.csv"), atomically: true, encoding: .utf8)
        let r = try runMxsh(
            [
                "-c",
                """
                connect proofpoint as pp url="\(server.url("proofpoint"))" org="example.com" user="admin@example.com" \
                password=env("PP")
                for r in csv("rows.csv") < call pp DELETE "/orgs/example.com/domains/${r.name}" >
                """
            ], in: home, environment: env)
        #expect(r.status != 0)
        #expect(r.stderr.contains("the path must not hold a"), "\(r.stderr)")
        let sent = try requests(server, "proofpoint").compactMap { ($0 as? [String: Any])?["method"] as? String }
        #expect(!sent.contains("DELETE"), "nothing was deleted: \(sent)")
    }

    /// A name `.` or `..` would, once in a path, resolve to the collection or the
    /// organisation itself (a CSV row `..` disabled Proofpoint's organisation domain;
    /// `delete-domain "."` sent DELETE to the domains collection): refused, nothing sent.
    @Test(arguments: [
        "for r in csv(\"rows.csv\") < disable (pp.domain r.name) >", "delete-domain (pp.domain \".\")",
        "delete-domain \"..\""
    ])
    func aDotNameIsRefusedBeforeAnythingIsSent(_ line: String) throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let server = try sandbox(home)
        defer { _ = server.stop() }
        var env = testEnvironment(home: home)
        env["PP"] = "sandbox"
        try "name\n..\n".write(to: home.appendingPathComponent("rows.csv"), atomically: true, encoding: .utf8)
        let r = try runMxsh(
            [
                "-c",
                "connect proofpoint as pp url=\"\(server.url("proofpoint"))\" org=\"example.com\" "
                    + "user=\"admin@example.com\" password=env(\"PP\")\nuse pp\n\(line)"
            ], in: home, environment: env)
        #expect(r.status != 0)
        #expect(r.stderr.contains("is not a domain name: it has no labels, only dots"), "\(r.stderr)")
        let sent = try requests(server, "proofpoint").compactMap { ($0 as? [String: Any])?["method"] as? String }
        #expect(sent.allSatisfy { $0 == "GET" }, "nothing was changed: \(sent)")
    }

    // MARK: resource use

    /// `csv("/dev/zero")`: an endless file with no line end is an error, in bounded memory.
    @Test func anEndlessCSVEndsWithAnError() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let r = try runProcess(
            "/usr/bin/time", ["-f", "maxrss=%M", mxshBinary, "-c", "for r in csv(\"/dev/zero\") < print r >"],
            in: home, environment: testEnvironment(home: home))
        #expect(r.status == 1)
        #expect(
            r.stderr.hasPrefix("<-c>:1:14: error: /dev/zero: row 1 is longer than 16 MB (is it a CSV file?)\n"),
            "\(r.stderr)")
        let rss =
            r.stderr.split(separator: "\n").last { $0.hasPrefix("maxrss=") }.flatMap { Int($0.dropFirst(7)) } ?? .max
        #expect(rss < 200_000, "peak RSS \(rss) kB")
    }

    /// `--var pw=...` that reaches a credential (here through a def) is kept by the
    /// journal by name only; resume asks for it again rather than reading it back.
    @Test func aVarThatReachesACredentialIsNotJournaled() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let server = try sandbox(home)
        defer { _ = server.stop() }
        var env = testEnvironment(home: home)
        env["T"] = "sandbox-token"
        let script = home.appendingPathComponent("s.mxsh")
        try """
        connect ad360 as ad url="\(server.url("ad360"))" token=env("T")
        def credential x < return x >
        set-credential (ad.domain "corp.example.com") user="admin" password=credential(pw)
        print label
        let xs = [1]
        print xs[5]
        """.write(to: script, atomically: true, encoding: .utf8)
        let r = try runMxsh(
            ["run", script.path, "--var", "pw=Var-Pw-456", "--var", "label=kept-label"], in: home, environment: env)
        #expect(r.status == 1, "the last line fails, so the run can be resumed: \(r.stderr)")
        #expect(r.stdout == "kept-label\n")
        var stored = Data()
        let state = home.appendingPathComponent("state")
        for case let file as String in FileManager.default.enumerator(atPath: state.path) ?? .init() {
            stored.append((try? Data(contentsOf: state.appendingPathComponent(file))) ?? Data())
        }
        #expect(stored.range(of: Data("Var-Pw-456".utf8)) == nil, "the journal keeps the password")
        #expect(stored.range(of: Data("label=kept-label".utf8)) != nil, "other variables are kept for resume")
        let again = try runMxsh(["resume"], in: home, environment: env)
        #expect(again.status == 2)
        #expect(
            again.stderr.contains(
                "was given --var pw, whose value may reach a credential, so the journal kept only the name; "
                    + "give it again: mxsh resume"), "\(again.stderr)")
        let given = try runMxsh(["resume", "--var", "pw=Var-Pw-456"], in: home, environment: env)
        #expect(given.stdout == "kept-label\n", "\(given.stderr)")
    }

    // MARK: files

    @Test func aPlantedLinkIsReplacedNeverWrittenThrough() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let victim = home.appendingPathComponent("victim").path
        try "precious\n".write(toFile: victim, atomically: true, encoding: .utf8)
        for name in ["out.csv", "out.json"] {
            let target = home.appendingPathComponent(name).path
            try FileManager.default.createSymbolicLink(atPath: target, withDestinationPath: victim)
            let r = try runMxsh(["-c", "connect memory as m seed=\"demo\"\nexport m.domains to \"\(name)\""], in: home)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
            let attributes = try FileManager.default.attributesOfItem(atPath: target)
            #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        }
        // --plan-out, through the same private temporary file and rename.
        let script = home.appendingPathComponent("s.mxsh").path
        try "connect memory as m seed=\"demo\"\nadd-alias (domain \"got.com\") \"linked.example\"\n"
            .write(toFile: script, atomically: true, encoding: .utf8)
        let planned = home.appendingPathComponent("plan.json").path
        try FileManager.default.createSymbolicLink(atPath: planned, withDestinationPath: victim)
        let plan = try runMxsh(["plan", script, "--plan-out", planned], in: home)
        #expect(plan.status == 3, "\(plan.stderr)")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
        #expect(try String(contentsOfFile: planned, encoding: .utf8).contains("\"mxsh_plan\""))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: home.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func exportedCellsThatWouldBeFormulasAreNeutralised() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let r = try runMxsh(
            ["-c", "export [{a: \"=HYPERLINK(1)\", b: \"+1+2\", c: \"@SUM(A1)\", d: \"-5\", e: \"ok\"}] to \"x.csv\""],
            in: home)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            try String(contentsOfFile: home.appendingPathComponent("x.csv").path, encoding: .utf8)
                == "a,b,c,d,e\n'=HYPERLINK(1),'+1+2,'@SUM(A1),-5,ok\n")
    }

    @Test func invalidUTF8InAScriptOrACSVIsALocatedError() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let script = home.appendingPathComponent("s.mxsh")
        var bytes = Array("print 1\nprint \"ab\"\n".utf8)
        bytes[16] = 0xFF
        try Data(bytes).write(to: script)
        let r = try runMxsh(["run", script.path], in: home)
        #expect(r.status == 2)
        #expect(r.stderr == "mxsh: \(script.path):2:9: invalid UTF-8 (byte 0xFF)\n", "\(r.stderr)")
        var rows = Array("name\ngood.com\nba.com\n".utf8)
        rows[16] = 0xFE
        try Data(rows).write(to: home.appendingPathComponent("rows.csv"))
        let c = try runMxsh(["-c", "for r in csv(\"rows.csv\") < print r.name >"], in: home)
        #expect(c.status == 1)
        #expect(c.stderr.hasPrefix("<-c>:1:14: error: rows.csv:3:3: invalid UTF-8 (byte 0xFE)\n"), "\(c.stderr)")
    }

    // MARK: configuration

    @Test func aConfigInAFolderOthersCanWriteIsRefused() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let dir = home.appendingPathComponent("config/mxsh")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let config = dir.appendingPathComponent("config.toml").path
        try "[profiles.cm]\nvendor = \"cleanmail\"\nurl = \"http://127.0.0.1:1\"\ntoken = { command = \"touch ran\" }\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        chmod(config, 0o600)
        chmod(dir.path, 0o777)
        let r = try runMxsh(["-c", "connect @cm"], in: home)
        #expect(r.status == 2)
        #expect(
            r.stderr.hasPrefix(
                "<-c>:1:9: error: the folder \(dir.path) can be written by others, so the profiles of \(config) are "
                    + "not used (they may run commands and hold credentials)\n"
            ), "\(r.stderr)")
        #expect(
            !FileManager.default.fileExists(atPath: home.appendingPathComponent("ran").path), "the command did not run")
    }

    /// A 0600 config.toml owned by another user is refused (as ssh refuses such a
    /// config), its credential command never run. Giving the file away needs root.
    @Test(.enabled(if: geteuid() == 0, "giving a file to another user needs root"))
    func aConfigOwnedByAnotherUserIsRefused() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let dir = home.appendingPathComponent("config/mxsh")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let config = dir.appendingPathComponent("config.toml").path
        try "[profiles.cm]\nvendor = \"cleanmail\"\nurl = \"http://127.0.0.1:1\"\ntoken = { command = \"touch ran\" }\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        chmod(config, 0o600)
        #expect(chown(config, 4242, 4242) == 0)
        let r = try runMxsh(["-c", "connect @cm"], in: home)
        #expect(r.status == 2)
        #expect(
            r.stderr.hasPrefix(
                "<-c>:1:9: error: \(config) is owned by another user (uid 4242), so the profiles of \(config) are not "
                    + "used (they may run commands and hold credentials)\n"), "\(r.stderr)")
        #expect(
            !FileManager.default.fileExists(atPath: home.appendingPathComponent("ran").path), "the command did not run")
    }

    @Test(arguments: [
        ("sleep 5", "the command for token did not finish within 1 seconds, so it was stopped"),
        ("true", "the command for token printed nothing")
    ])
    func aCredentialCommandThatHangsOrPrintsNothingIsAClearError(_ command: String, _ message: String) throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let dir = home.appendingPathComponent("config/mxsh")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let config = dir.appendingPathComponent("config.toml").path
        try
            ("[profiles.cm]\nvendor = \"cleanmail\"\nurl = \"http://127.0.0.1:1\"\ntoken = { command = \"\(command)\" "
            + "}\n")
            .write(toFile: config, atomically: true, encoding: .utf8)
        chmod(config, 0o600)
        var env = testEnvironment(home: home)
        env["MXSH_CREDENTIAL_TIMEOUT"] = "1"
        let r = try runMxsh(["-c", "connect @cm"], in: home, environment: env)
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("<-c>:1:9: error: profile 'cm': \(message)\n"), "\(r.stderr)")
    }

    /// A vendor's record holding a credential member (a Cleanmail platform's LDAP
    /// `authData.bind_password`) prints, shows and exports it as ****, in each format.
    @Test func aCredentialInAVendorsRecordIsNotShown() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let proxy = FaultyProxy(upstream: s.server.url("cleanmail")) { method, path, _, _ in
            if method == "GET", path.hasPrefix("/domains/9/wblist") { return .init(status: "200 OK", body: "[]") }
            return method == "GET" && path.hasPrefix("/domains?") && path.contains("name=got-cm.example")
                ? .init(
                    status: "200 OK",
                    body: #"[{"id":"9","name":"got-cm.example","status":"ENABLED","#
                        + #""platforms":[{"authData":{"bind_user":"cn=svc","bind_password":"LdapBindPw9"}}]}]"#,
                    headers: "X-Total-Count: 1\r\n")
                : nil
        }
        defer { proxy.stop() }
        let connect = "connect cleanmail as cm url=\"\(proxy.url)\" token=env(\"CM_TOKEN\")\n"
        let code = connect + "for d in cm.domains where name = \"got-cm.example\" < print d.raw.platforms >"
        let ran = try s.mxsh(["-c", code])
        #expect(ran.stdout.contains("cn=svc"), "\(ran.stdout) \(ran.stderr)")
        #expect(!ran.stdout.contains("LdapBindPw9") && ran.stdout.contains("bind_password: \"****\""), "\(ran.stdout)")
        for format in ["json", "csv"] {
            let other = try s.mxsh(["-c", code, "--format", format])
            #expect(other.stdout.contains("cn=svc") && !other.stdout.contains("LdapBindPw9"), "\(other.stdout)")
        }
        let shown = try s.mxsh(["-c", connect + "show (cm.domain \"got-cm.example\")"])
        #expect(shown.stdout.contains("cn=svc") && !shown.stdout.contains("LdapBindPw9"), "\(shown.stdout)")
        let exported = try s.mxsh(["-c", connect + "export cm.domains where name = \"got-cm.example\" to \"x.json\""])
        let file = (try? String(contentsOfFile: s.home.appendingPathComponent("x.json").path, encoding: .utf8)) ?? ""
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(file.contains("cn=svc") && !file.contains("LdapBindPw9"), "\(file)")
    }
}
