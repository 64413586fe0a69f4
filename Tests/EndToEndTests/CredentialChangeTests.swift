import Foundation
import MXHTTP
import Testing

/// Issue 11: a field that holds a credential is a secret whatever its source (here
/// `env("P")`): every change to one reads `set (****)`, never the value and never
/// "unchanged" (a credential is never read back, so there is nothing to diff).
/// Every credential field of every vendor: AD360's proxy and mail server passwords and
/// set-credential, Cleanmail's admin and mailbox passwords.
@Suite(.serialized)
struct CredentialChangeTests {
    static let password = "Pl4nted/pa\"ss-in-env"

    static func script(_ s: SandboxHome) -> String {
        """
        connect cleanmail as cm url="\(s.server.url("cleanmail"))" token=env("CM_TOKEN")
        connect ad360 as ad url="\(s.server.url("ad360"))" token=env("CM_TOKEN")
        set ad.proxy enabled=true server="proxy.corp" port=3128 user="svc" password=env("P")
        set ad.mailserver server="smtp.example.com" port=587 user="relay" password=env("P")
        set-credential (ad.domain "ad360.local") user="admin" password=env("P")
        for a in cm.admins where login = "helpdesk" < set a password=env("P") >
        set (cm.user "kim@contoso-cm.net") password=env("P")

        """
    }

    /// The objects the script changes, as a plan heads them.
    static let objects = [
        "~ settings \"proxy\" at ad (ad360)", "~ settings \"mailserver\" at ad (ad360)",
        "~ domain \"ad360.local\" at ad (ad360)", "~ admin \"helpdesk\" at cm (cleanmail)",
        "~ user \"kim@contoso-cm.net\" at cm (cleanmail)"
    ]

    static func expectNoPassword(_ texts: [String], _ what: String) {
        for form in Redaction.forms(of: password) + ["Pl4nted"] {
            for text in texts { #expect(!text.contains(form), "\(what) shows the password as \(form): \(text)") }
        }
    }

    /// Each object's block in a plan's text, from its heading to the next one.
    static func block(_ plan: String, _ heading: String) -> String? {
        guard let start = plan.range(of: heading) else { return nil }
        let rest = plan[start.upperBound...]
        let end = rest.range(of: "\n~ ")?.lowerBound ?? rest.range(of: "\nPlan: ")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }

    @Test func aCredentialIsShownAsSetInPlansDryRunsAndPlanFiles() throws {
        let s = try SandboxHome()
        defer { s.close() }
        var env = s.env
        env["P"] = Self.password
        let path = try s.script("creds.mxsh", Self.script(s))
        let planFile = s.home.appendingPathComponent("plan.json").path
        let plan = try runMxsh(["plan", path, "--plan-out", planFile], in: s.home, environment: env)
        #expect(plan.status == 3, "\(plan.stderr)")
        let dryRun = try runMxsh(["run", "--dry-run", path], in: s.home, environment: env)
        #expect(dryRun.status == 3, "\(dryRun.stderr)")
        for text in [plan.stdout, dryRun.stdout] {
            for heading in Self.objects {
                let block = Self.block(text, heading)
                #expect(block?.contains("\n    password: set (****)") == true, "\(heading) in:\n\(text)")
            }
            #expect(text.contains("Plan: 0 to create, 5 to change, 0 to delete."), "\(text)")
        }
        let saved = try String(contentsOfFile: planFile, encoding: .utf8)
        #expect(saved.components(separatedBy: #""password":{"secret":"set (****)"}"#).count - 1 == 5, "\(saved)")
        Self.expectNoPassword([plan.stdout, plan.stderr, dryRun.stdout, dryRun.stderr, saved], "the plan")
    }

    /// Applied, the run's journal, `runs show` (text and JSON) and `--failed-csv` all
    /// read `set (****)`; the journal's files never hold the value.
    @Test func aCredentialIsShownAsSetInTheJournalAndRunsShow() throws {
        let s = try SandboxHome()
        defer { s.close() }
        var env = s.env
        env["P"] = Self.password
        let path = try s.script("creds.mxsh", Self.script(s))
        let run = try runMxsh(["run", path], in: s.home, environment: env)
        #expect(run.status == 0, "\(run.stderr)")
        let runs = try runMxsh(["runs", "--format", "json"], in: s.home, environment: env)
        let id = try #require(
            ((try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [[String: Any]])?.first?["id"])
                as? String)
        let text = try runMxsh(["runs", "show", id], in: s.home, environment: env)
        #expect(text.stdout.components(separatedBy: "password=set (****)").count - 1 == 5, "\(text.stdout)")
        let json = try runMxsh(["runs", "show", id, "--format", "json"], in: s.home, environment: env)
        let changes = try #require(
            (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["changes"]
                as? [[String: Any]])
        #expect(changes.count == 5)
        for c in changes {
            let fields = c["fields"] as? [String: Any]
            #expect((fields?["password"] as? [String: Any])?["secret"] as? String == "set (****)", "\(c)")
        }
        var stored = Data()
        let state = s.home.appendingPathComponent("state")
        for case let file as String in FileManager.default.enumerator(atPath: state.path) ?? .init() {
            stored.append((try? Data(contentsOf: state.appendingPathComponent(file))) ?? Data())
        }
        #expect(stored.range(of: Data("set (****)".utf8)) != nil, "the journal marks the credential as set")
        #expect(stored.range(of: Data("Pl4nted".utf8)) == nil, "the journal's files hold the password")
        Self.expectNoPassword([run.stdout, run.stderr, text.stdout, json.stdout], "the run")
    }
}
