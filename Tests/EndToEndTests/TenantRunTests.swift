import Foundation
import Testing

/// `mxsh run FILE --profiles GLOB`: one run per matching profile, concurrently, one
/// failing tenant not stopping the others, each run journaled and undone on its own.
@Suite(.serialized)
struct TenantRunTests {
    @Test func threeTenantsOneFailingEachItsOwnRun() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let server = try SandboxCommandTests.Server(
            ["--port", String(SandboxCommandTests.freeBasePort()), "--seed", "demo"], in: home)
        defer { _ = server.stop() }
        try ProfileTests().writeConfig(
            """
            [profiles.cust-cm]
            vendor = "cleanmail"
            url = "\(server.url("cleanmail"))"
            token = { env = "CM_TOKEN" }

            [profiles.cust-os]
            vendor = "opensrs"
            url = "\(server.url("opensrs"))"
            user = "admin@example.com"
            password = { env = "OS_PASSWORD" }

            [profiles.cust-broken]
            vendor = "cleanmail"
            url = "\(server.url("cleanmail"))"
            token = { env = "WRONG_TOKEN" }

            [profiles.other]
            vendor = "cleanmail"
            url = "\(server.url("cleanmail"))"
            token = { env = "CM_TOKEN" }
            """, in: home)
        var env = testEnvironment(home: home)
        env["CM_TOKEN"] = "sandbox-token"
        env["OS_PASSWORD"] = "sandbox"
        env["WRONG_TOKEN"] = "not-the-token"
        let script = home.appendingPathComponent("tenant.mxsh")
        try """
        create-domain "tenant-run.example" destination="10.0.0.1"
        print "${tenant_profile}:" count(domains where name = "tenant-run.example")
        """.write(to: script, atomically: true, encoding: .utf8)

        let r = try runMxsh(
            ["run", script.path, "--profiles", "cust-*", "--on-error", "continue"], in: home, environment: env)
        #expect(r.status == 1, "one tenant failed: \(r.stderr)")
        #expect(r.stdout.contains("[cust-cm] cust-cm: 1") && r.stdout.contains("[cust-os] cust-os: 1"), "\(r.stdout)")
        #expect(!r.stdout.contains("[other]"), "only the matching profiles run: \(r.stdout)")
        #expect(r.stderr.contains("[cust-broken]") && r.stderr.contains("cannot connect"), "\(r.stderr)")
        let table = r.stderr.split(separator: "\n").filter { $0.hasPrefix("cust-") }
        #expect(table.count == 3, "\(r.stderr)")
        #expect(table.contains { $0.hasPrefix("cust-cm") && $0.contains("done") }, "\(r.stderr)")
        #expect(!r.stderr.contains("sandbox-token") && !r.stdout.contains("sandbox-token"))

        // Each tenant's run is its own: undoing the Cleanmail one leaves the OpenSRS one.
        let runs = try runMxsh(["runs", "--format", "json"], in: home, environment: env)
        let ids = runs.stdout.matches(of: /"id":"([^"]+)"/).map { String($0.1) }
        #expect(ids.count >= 2, "\(runs.stdout)")
        let cmRun = try #require(table.first { $0.hasPrefix("cust-cm") }?.split(separator: " ").last.map(String.init))
        let undo = try runMxsh(["undo", cmRun], in: home, environment: env)
        #expect(undo.status == 0, "the tenant's connection is opened again from its profile: \(undo.stderr)")
        let check = home.appendingPathComponent("check.mxsh")
        try "print count(domains where name = \"tenant-run.example\")\n".write(
            to: check, atomically: true, encoding: .utf8)
        let after = try runMxsh(
            ["run", check.path, "--profiles", "cust-[co][ms]", "--no-journal"], in: home, environment: env)
        #expect(
            after.stdout.contains("[cust-cm] 0") && after.stdout.contains("[cust-os] 1"),
            "\(after.stdout) \(after.stderr)")
    }

    /// `check --var tenant_profile=P` reads the script after `connect @P as tenant`, as
    /// `run --var tenant_profile=P` (each tenant's run of `--profiles`) runs it.
    @Test func checkOfATenantScriptKnowsTheTenantConnection() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        try ProfileTests().writeConfig(
            """
            [profiles.cust-cm]
            vendor = "cleanmail"
            url = "https://cleanmail.invalid"
            token = { env = "CM_TOKEN" }
            """, in: home)
        let script = home.appendingPathComponent("tenant.mxsh")
        try "create-domain \"tenant-run.example\" destination=\"10.0.0.1\"\nprint (domain \"x.com\").name\n".write(
            to: script, atomically: true, encoding: .utf8)
        let env = testEnvironment(home: home)
        let tenant = try runMxsh(["check", script.path, "--var", "tenant_profile=cust-cm"], in: home, environment: env)
        #expect(tenant.status == 0, "\(tenant.stderr)")
        let alone = try runMxsh(["check", script.path], in: home, environment: env)
        #expect(alone.status == 2 && alone.stderr.contains("'create-domain' needs a connection"), "\(alone.stderr)")
    }
}
