import Foundation
import Testing

/// A partner's customers (`pp.orgs`): each is a connection of its own, with the
/// partner's credentials; what a script changes there is planned, journaled under the
/// customer's connection, and undone by reopening it.
@Suite(.serialized)
struct TenantTests {
    @Test func aCustomersDomainsAreReachedChangedAndUndone() throws {
        let sandbox = try SandboxHome()
        defer { sandbox.close() }
        let home = sandbox.home
        let server = sandbox.server
        let env = sandbox.env
        let connect =
            "connect proofpoint as pp url=\"\(server.url("proofpoint"))\" org=\"example.com\" "
            + "user=\"admin@example.com\" password=env(\"PP_PASSWORD\")\n"
        func run(_ script: String, _ extra: [String] = [], command: String = "run") throws -> ProcessResult {
            let file = home.appendingPathComponent("s\(UUID().uuidString.prefix(6)).mxsh")
            try (connect + script).write(to: file, atomically: true, encoding: .utf8)
            return try runMxsh([command, file.path] + extra, in: home, environment: env)
        }

        let listed = try run("for o in pp.orgs < print o.name o.primary_domain count(o.domains) >\n", ["--no-journal"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("Fabrikam Inc fabrikam.example 3"), "\(listed.stdout)")

        let change = """
            for o in pp.orgs where primary_domain = "fabrikam.example" <
              create-domain "new-fabrikam.example" destination="10.1.1.1" at=o
            >
            """
        let plan = try run(change, command: "plan")
        #expect(plan.status == 3, "\(plan.stderr)")
        #expect(
            plan.stdout.contains("+ domain \"new-fabrikam.example\" at pp/fabrikam.example (proofpoint)"),
            "\(plan.stdout)")
        let applied = try run(change)
        #expect(applied.status == 0, "\(applied.stderr)")
        let count = "for o in pp.orgs where primary_domain = \"fabrikam.example\" < print count(o.domains) >\n"
        #expect(try run(count, ["--no-journal"]).stdout == "4\n")

        let runs = try runMxsh(["runs", "--format", "json"], in: home, environment: env)
        let id = try #require(runs.stdout.firstMatch(of: /"id":"([^"]+)"/)?.1)
        let undo = try runMxsh(["undo", String(id)], in: home, environment: env)
        #expect(undo.status == 0, "the customer's connection is reopened from the journal: \(undo.stderr)")
        #expect(try run(count, ["--no-journal"]).stdout == "3\n")
    }

    @Test func creatingACustomerIsAlreadyAsAskedTheSecondTime() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let script = home.appendingPathComponent("c.mxsh")
        try """
        connect sandbox
        create-customer "contoso-pp.example" name="Contoso PP" at=pp
        create-customer "contoso-pp.example" name="Contoso PP" at=pp
        print count(pp.orgs where primary_domain = "contoso-pp.example")
        """.write(to: script, atomically: true, encoding: .utf8)
        let r = try runMxsh(["run", script.path], in: home)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "1\n", "\(r.stdout)")
        #expect(r.stderr.contains("1 already as asked"), "\(r.stderr)")
        let check = home.appendingPathComponent("bad.mxsh")
        try "connect sandbox\ncreate-customer \"x.example\" name=\"X\" at=cm\n".write(
            to: check, atomically: true, encoding: .utf8)
        let refused = try runMxsh(["check", check.path], in: home)
        #expect(refused.status == 2 && refused.stderr.contains("cleanmail cannot create-customer"), "\(refused.stderr)")
    }
}
