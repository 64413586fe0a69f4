import Foundation
import Testing

/// `mxsh sandbox` as a user runs it: four URLs, scripts against them, `--state`
/// saved on exit and loaded on the next start, and bad options refused.
@Suite(.serialized)
struct SandboxCommandTests {
    /// A running `mxsh sandbox`; `stop()` sends SIGINT as Ctrl-C would.
    final class Server {
        let process = Process()
        let output = Pipe()
        var lines: [String] = []

        init(_ arguments: [String], in directory: URL) throws {
            process.executableURL = URL(fileURLWithPath: mxshBinary)
            process.arguments = ["sandbox"] + arguments
            process.currentDirectoryURL = directory
            process.environment = testEnvironment(home: directory)
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try launch(process)
            var buffer = Data()
            while lines.count < 4 {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                lines = String(decoding: buffer, as: UTF8.self).split(separator: "\n").map(String.init)
            }
        }

        func url(_ vendor: String) -> String {
            lines.first { $0.hasPrefix(vendor + " ") }?.split(separator: " ").last.map(String.init) ?? ""
        }

        func stop() -> Int32 {
            process.interrupt()
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    /// Four free consecutive ports, found by binding.
    static func freeBasePort() -> Int {
        for base in stride(from: 20000 + Int.random(in: 0..<400) * 4, to: 29000, by: 4) {
            let fds = (0..<4).map { i -> Int32 in
                let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                var addr = sockaddr_in()
                addr.sin_family = sa_family_t(AF_INET)
                addr.sin_port = in_port_t(UInt16(base + i).bigEndian)
                addr.sin_addr.s_addr = inet_addr("127.0.0.1")
                let ok = withUnsafePointer(to: &addr) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
                if ok != 0 { close(fd); return -1 }
                return fd
            }
            for fd in fds where fd >= 0 { close(fd) }
            if fds.allSatisfy({ $0 >= 0 }) { return base }
        }
        return 0
    }

    @Test func servesFourVendorsAndKeepsStateAcrossRestarts() throws {
        let work = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let port = Self.freeBasePort()
        let state = work.appendingPathComponent("sandbox.json").path
        let first = try Server(["--port", String(port), "--seed", "demo", "--state", state], in: work)
        #expect(
            first.lines == [
                "proofpoint http://127.0.0.1:\(port)", "cleanmail  http://127.0.0.1:\(port + 1)",
                "opensrs    http://127.0.0.1:\(port + 2)", "ad360      http://127.0.0.1:\(port + 3)"
            ])
        let connect =
            "connect proofpoint as pp url=\"\(first.url("proofpoint"))\" org=\"example.com\" "
            + "user=\"admin@example.com\" password=env(\"PP_PASSWORD\")\n"
        var env = testEnvironment(home: work)
        env["PP_PASSWORD"] = "sandbox"
        let deleted = try runMxsh(
            ["-c", connect + "delete-domain (pp.domain \"got.com\")\nprint count(pp.domains)"], in: work,
            environment: env)
        #expect(deleted.stdout == "11\n", "\(deleted.stderr)")
        #expect(first.stop() == 0)

        var st = stat()
        #expect(stat(state, &st) == 0 && st.st_mode & 0o777 == 0o600, "the state file is private")
        let second = try Server(["--port", String(port), "--seed", "demo", "--state", state], in: work)
        let again = try runMxsh(
            ["-c", connect + "print count(pp.domains)\nprint count(pp.domains where name=\"got.com\")"], in: work,
            environment: env)
        #expect(again.stdout == "11\n0\n", "the saved state wins over --seed: \(again.stderr)")
        #expect(second.stop() == 0)
    }

    @Test(arguments: [
        (["--fail-rate", "2"], "--fail-rate is a fraction between 0 and 1"),
        (["--seed", "lots"], "--seed takes 'demo' or a number of domains"),
        (["--fail-rate", "0.6", "--drop-rate", "0.6"], "add up to more than 1"),
        (["--port", "70000"], "--port must be between 1 and 65532")
    ])
    func badOptionsAreRefused(_ c: ([String], String)) throws {
        let work = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let r = try runMxsh(["sandbox"] + c.0, in: work)
        #expect(r.status != 0)
        #expect(r.stderr.contains(c.1), "\(r.stderr)")
    }

    @Test func aPortInUseIsNamed() throws {
        let work = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let port = Self.freeBasePort()
        let first = try Server(["--port", String(port)], in: work)
        let second = try runMxsh(["sandbox", "--port", String(port)], in: work)
        #expect(second.status == 1)
        #expect(second.stderr.contains("cannot listen on port \(port)"), "\(second.stderr)")
        _ = first.stop()
    }
}
