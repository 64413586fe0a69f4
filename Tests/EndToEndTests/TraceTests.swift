import Foundation
import Testing

/// `--trace` through the binary: every request and answer, credentials masked.
struct TraceTests {
    @Test func traceShowsRequestsWithEveryCredentialMasked() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let script = """
            connect sandbox
            print count(pp.domains) count(cm.domains) count(os.domains) count(ad.domains)
            set ad.proxy enabled=true server="proxy.corp" port=3128 user="svc" password=secret("demo")
            """
        let r = try runMxsh(["--trace", "-c", script], in: home)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "12 12 12 6\n")
        #expect(r.stderr.contains("-> GET http://127.0.0.1:"))
        #expect(r.stderr.contains("<- 200 GET"))
        #expect(r.stderr.contains("X-Password: ****"))
        #expect(r.stderr.contains("Authorization: ****"))
        #expect(r.stderr.contains("\"credentials\": \"****\""))
        #expect(r.stderr.contains("\"PASSWORD\": \"****\""), "AD360's form field holds JSON with the password")
        for secret in ["sandbox-token", "\"sandbox\"", "X-Password: sandbox", plantedSecret] {
            #expect(!r.stderr.contains(secret), "the trace shows \(secret)")
        }
    }

    @Test func traceCanBeTurnedOnAndOffInAScript() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let r = try runMxsh(
            [
                "-c",
                "connect sandbox\nprint count(pp.domains)\ntrace on\nprint count(os.domains)\ntrace off\nprint "
                    + "count(cm.domains)"
            ], in: home)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("/api/search_domains"))
        #expect(!r.stderr.contains("/api/v1/orgs"), "pp was read before trace on")
        #expect(
            !r.stderr.contains("GET http://127.0.0.1:") || !r.stderr.contains("/domains?"),
            "cm was read after trace off")
    }

    @Test func proofpointFindsItsStackThroughEndpoints() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let port = SandboxCommandTests.freeBasePort()
        let server = try SandboxCommandTests.Server(["--port", String(port), "--seed", "demo"], in: home)
        defer { _ = server.stop() }
        var env = testEnvironment(home: home)
        env["MXSH_PROOFPOINT_ENDPOINTS_URL"] = server.url("proofpoint")
        env["PP_PASSWORD"] = "sandbox"
        let r = try runMxsh(
            [
                "--trace", "-c",
                "connect proofpoint as pp org=\"example.com\" user=\"admin@example.com\" "
                    + "password=env(\"PP_PASSWORD\")\nprint count(pp.domains)"
            ],
            in: home, environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "12\n")
        #expect(r.stderr.contains("/api/v1/endpoints/example.com"), "\(r.stderr)")
    }
}
