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
        // Done, failed and sent with the answer unknown, each a column of its own.
        let header = r.stderr.split(separator: "\n").first { $0.hasPrefix("profile") }?.split(separator: " ")
        #expect(header == ["profile", "status", "done", "failed", "unknown", "run"], "\(r.stderr)")
        let cm = table.first { $0.hasPrefix("cust-cm") }?.split(separator: " ").map(String.init) ?? []
        #expect(cm.count == 6 && Array(cm[1...4]) == ["done", "1", "0", "0"], "\(r.stderr)")
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

    /// Each tenant's run takes this run's options (--format, --dry-run, --no-journal) and
    /// its whole output, not only its `print` lines; a plan with changes is exit 3, not a
    /// failure; a failing tenant stops the others only with a given `--on-error stop`; a
    /// profile `@NAME` cannot name in a script is refused with why.
    @Test func eachTenantsRunTakesTheRunsOptionsAndShowsAllItsOutput() throws {
        let sandbox = try SandboxHome()
        defer { sandbox.close() }
        let (home, server, env) = (sandbox.home, sandbox.server, sandbox.env)
        try ProfileTests().writeConfig(
            """
            [profiles.cust-a]
            vendor = "cleanmail"
            url = "\(server.url("cleanmail"))"
            token = { env = "CM_TOKEN" }

            [profiles.cust-b]
            vendor = "cleanmail"
            url = "\(server.url("cleanmail"))"
            token = { env = "NOT_SET_TOKEN" }

            [profiles.cust-c]
            vendor = "cleanmail"
            url = "\(server.url("cleanmail"))"
            token = { env = "CM_TOKEN" }

            [profiles.cust-0]
            vendor = "cleanmail"
            url = "\(server.url("cleanmail"))"
            token = { env = "CM_TOKEN" }
            """, in: home)
        let list = home.appendingPathComponent("list.mxsh")
        try "print \"p\" tenant_profile\nlist tenant.domains where name ~ \"l*\"\n".write(
            to: list, atomically: true, encoding: .utf8)

        // A listing reaches the output, as a table in table format...
        let table = try runMxsh(["run", list.path, "--profiles", "cust-a"], in: home, environment: env)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("[cust-a] p cust-a\n"), "\(table.stdout)")
        #expect(table.stdout.contains("[cust-a] litware-inc.com "), "\(table.stdout)")
        // ...and in JSON, one document holding each tenant's own.
        let json = try runMxsh(
            ["run", list.path, "--profiles", "cust-[ac]", "--format", "json"], in: home, environment: env)
        #expect(json.status == 0, "\(json.stderr)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.stdout)")
        let tenants = try #require(document["tenants"] as? [[String: Any]])
        #expect(tenants.map { $0["profile"] as? String } == ["cust-a", "cust-c"])
        let output = try #require((tenants[0]["document"] as? [String: Any])?["output"] as? [Any])
        #expect(output.first as? String == "p cust-a" && (output.last as? [[String: Any]])?.count == 2, "\(output)")

        // --dry-run: each tenant's plan, exit 3 (changes planned), nothing sent or journaled.
        let add = home.appendingPathComponent("add.mxsh")
        try "for d in tenant.domains where name ~ \"l*\" < add-alias d \"t-${tenant_profile}.${d.name}\" >\n".write(
            to: add, atomically: true, encoding: .utf8)
        let plan = try runMxsh(["run", add.path, "--profiles", "cust-a", "--dry-run"], in: home, environment: env)
        #expect(plan.status == 3, "\(plan.stdout) \(plan.stderr)")
        #expect(plan.stdout.contains("[cust-a] Plan: 0 to create, 2 to change, 0 to delete."), "\(plan.stdout)")
        #expect(plan.stderr.contains("plan: 0 to create, 2 to change, 0 to delete"), "\(plan.stderr)")
        let planOut = try runMxsh(
            ["run", add.path, "--profiles", "cust-a", "--plan-out", "p.json"], in: home, environment: env)
        #expect(planOut.status == 64 && planOut.stderr.contains("each tenant has its own"), "\(planOut.stderr)")
        // --no-journal reaches the tenant's run.
        let unjournaled = try runMxsh(
            ["run", add.path, "--profiles", "cust-a", "--no-journal"], in: home, environment: env)
        #expect(unjournaled.status == 0, "\(unjournaled.stderr)")
        let runs = try runMxsh(["runs"], in: home, environment: env)
        #expect(runs.stdout.contains("No runs yet"), "\(runs.stdout)")

        // cust-0 and cust-b fail; by default the others still run, one at a time here.
        let all = try runMxsh(["run", list.path, "--profiles", "cust-*", "--tenants", "1"], in: home, environment: env)
        #expect(all.status == 2, "\(all.stderr)")
        #expect(all.stdout.contains("[cust-c] p cust-c"), "\(all.stdout)")
        #expect(all.stderr.contains("[cust-0] mxsh: tenant_profile names a profile, and 'cust-0' cannot be one"))
        let stopped = try runMxsh(
            ["run", list.path, "--profiles", "cust-*", "--tenants", "1", "--on-error", "stop"], in: home,
            environment: env)
        #expect(stopped.status == 2 && !stopped.stdout.contains("[cust-c]"), "\(stopped.stdout)")
        #expect(stopped.stderr.contains("cust-c   not run"), "\(stopped.stderr)")
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
