import Foundation
import MXJSON
import Testing

/// Answers a real vendor may give and the sandbox never does, through `FaultyProxy`:
/// each change is told done, failed or unknown as it is, never a guess.
@Suite(.serialized)
struct VendorAnswerTests {
    /// The changes of the run `mxsh runs` lists first, by state.
    func states(_ s: SandboxHome) throws -> [String: Int] {
        let runs = try s.mxsh(["runs", "--format", "json"])
        let run = try #require(runs.stdout.firstMatch(of: /"id":"([^"]+)"/)?.1)
        let shown = try s.mxsh(["runs", "show", String(run), "--format", "json"])
        let changes = try JSON.parse(shown.stdout)["changes"]?.array ?? []
        return Dictionary(grouping: changes, by: { $0["state"]?.string ?? "?" }).mapValues(\.count)
    }

    /// A batch of Proofpoint creates the vendor made and answered with a server error:
    /// each item is read, found, and done; none is called failed.
    @Test func aBatchAnsweredWithAServerErrorIsReadItemByItem() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let proxy = FaultyProxy(upstream: s.server.url("proofpoint")) { method, path, body, count in
            method == "POST" && path.hasSuffix("/orgs/example.com/domains") && body.hasPrefix("[") && count == 0
                ? .init(status: "500 Internal Server Error", body: #"{"errors":["server error"]}"#, passedOn: true)
                : nil
        }
        defer { proxy.stop() }
        let names = (1...40).map { "\"batch-\($0).example\"" }.joined(separator: ", ")
        let script = try s.script(
            "create.mxsh",
            """
            connect proofpoint as pp url="\(proxy.url)" org="example.com" user="admin@example.com" \
            password=env("PP_PASSWORD")
            for n in [\(names)] < create-domain n destination="10.9.0.1" >
            """)
        let r = try s.mxsh(["run", script])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(proxy.requests.contains { $0.hasPrefix("POST") }, "\(proxy.requests)")
        #expect(try states(s) == ["done": 40], "\(r.stderr)")
    }

    /// An OpenSRS create answered with a server error each time: sent a bounded number
    /// of times, read between, then failed (it was never made); not sent for ever.
    @Test func aCreateAlwaysAnsweredWithAServerErrorEnds() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let proxy = FaultyProxy(upstream: s.server.url("opensrs")) { method, path, _, _ in
            method == "POST" && path.hasSuffix("/change_domain")
                ? .init(status: "500 Internal Server Error", body: "{}") : nil
        }
        defer { proxy.stop() }
        let r = try s.mxsh([
            "-c",
            """
            connect opensrs as os url="\(proxy.url)" user="admin@example.com" password=env("OS_PASSWORD")
            create-domain "never-made.example"
            """
        ])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("http 500") || r.stderr.contains("HTTP 500"), "\(r.stderr)")
        let posts = proxy.requests.filter { $0.hasSuffix("/change_domain") }.count
        // As many attempts as any request gets (`RetryPolicy`'s ten), then the end.
        #expect(posts >= 2 && posts <= 10, "\(proxy.requests)")
    }

    /// A Proofpoint read answered 200 with something that is not a record: whether the
    /// domain exists is unknown, not "it does not".
    @Test func aReadThatIsNotARecordIsNotAMissingDomain() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let proxy = FaultyProxy(upstream: s.server.url("proofpoint")) { method, path, _, _ in
            method == "GET" && path.hasSuffix("/domains/got.com") ? .init(status: "200 OK", body: "[]") : nil
        }
        defer { proxy.stop() }
        let r = try s.mxsh([
            "-c",
            """
            connect proofpoint as pp url="\(proxy.url)" org="example.com" user="admin@example.com" \
            password=env("PP_PASSWORD")
            print (pp.domain "got.com")
            """
        ])
        #expect(r.status == 1, "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.contains("is not a record"), "\(r.stderr)")
    }

    /// A Proofpoint record without `is_active`: a PUT would write a status never read,
    /// so a change of another field is refused with why, and nothing is sent.
    @Test func aStatusNeverReadIsNotWrittenBack() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let record = #"{"name":"got.com","is_relay":false,"destination":"mx.got.com","failovers":[]}"#
        let proxy = FaultyProxy(upstream: s.server.url("proofpoint")) { method, path, _, _ in
            method == "GET" && path.hasSuffix("/domains/got.com") ? .init(status: "200 OK", body: record) : nil
        }
        defer { proxy.stop() }
        let r = try s.mxsh([
            "-c",
            """
            connect proofpoint as pp url="\(proxy.url)" org="example.com" user="admin@example.com" \
            password=env("PP_PASSWORD")
            set (pp.domain "got.com") destination="10.1.1.1"
            """
        ])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("has no is_active"), "\(r.stderr)")
        #expect(!proxy.requests.contains { $0.hasPrefix("PUT") }, "\(proxy.requests)")
    }

    /// An AD360 update answered 200 without its mandatory STATUS: not done, unknown.
    @Test func anUpdateWhoseAnswerDoesNotSaySoIsUnknown() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let proxy = FaultyProxy(upstream: s.server.url("ad360")) { method, path, _, _ in
            method == "POST" && path.hasSuffix("/updateSettings")
                ? .init(status: "200 OK", body: "{}", passedOn: true) : nil
        }
        defer { proxy.stop() }
        let script = try s.script(
            "proxy.mxsh",
            """
            connect ad360 as ad url="\(proxy.url)" token=env("CM_TOKEN")
            set ad.proxy enabled=true server="proxy.corp" port=3128 user="svc" password=env("CM_TOKEN")
            """)
        let r = try s.mxsh(["run", script])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("whether it was is unknown"), "\(r.stderr)")
        #expect(try states(s) == ["sent": 1], "\(r.stderr)")
    }

    /// A Cleanmail sender-rule change that removed a rule and was then refused adding
    /// one is done in part: kept `sent` (unknown), not failed, and undo puts the rule
    /// back (the list holds nothing but what was there before or what the run gave).
    @Test func aSenderRuleChangeRefusedPartWayIsDoneInPart() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let script = try s.script(
            "block.mxsh", s.connectCleanmail + "set (cm.domain \"contoso-cm.net\") block=[\"not valid value\"]\n")
        let r = try s.mxsh(["run", script])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(try states(s) == ["sent": 1], "\(r.stderr)")
        let undo = try s.mxsh(["undo"])
        #expect(undo.status == 0, "\(undo.stderr)")
        let now = try s.mxsh(["-c", s.connectCleanmail + "print (cm.domain \"contoso-cm.net\").block"])
        #expect(now.stdout.contains("*@phish.example.org"), "\(now.stdout) \(now.stderr)")
    }

    /// An email alias made with a member the vendor refuses is not made at all (its
    /// members go in the create), and the change is failed, not done.
    @Test func anAliasWithARefusedMemberIsNotMadeWithout() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let r = try s.mxsh([
            "-c",
            s.connectCleanmail
                + "create-group \"team@adventure-works.biz\" "
                + "members=[\"a@adventure-works.biz\", \"not an address\"] at=cm"
        ])
        #expect(r.status == 1, "\(r.stderr)")
        let listed = try s.mxsh([
            "-c",
            s.connectCleanmail + "print count(groups of (cm.domain \"adventure-works.biz\") where email = "
                + "\"team@adventure-works.biz\")"
        ])
        #expect(listed.stdout == "0\n", "\(listed.stdout) \(listed.stderr)")
    }

    /// A change made from an old copy of an object (another connection changed it
    /// since, as another run would) that finds it already as asked did nothing: it is
    /// journaled so, and undo takes back only the change that did something.
    @Test func aChangeFromAnOldCopyThatFindsItDoneIsNotUndone() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let url = s.server.url("cleanmail")
        let script = try s.script(
            "stale.mxsh",
            """
            connect cleanmail as a url="\(url)" token=env("CM_TOKEN")
            connect cleanmail as b url="\(url)" token=env("CM_TOKEN")
            let d = a.domain "fourthcoffee.cafe"
            set (b.domain "fourthcoffee.cafe") description="owned by b"
            print (b.domain "fourthcoffee.cafe").description
            set d description="owned by b"
            """)
        let r = try s.mxsh(["run", script])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try states(s) == ["done": 1, "skipped": 1], "\(r.stderr)")
        let undo = try s.mxsh(["undo", "--dry-run"])
        #expect(undo.stdout.components(separatedBy: "undo of").count - 1 == 1, "\(undo.stdout) \(undo.stderr)")
    }

    /// A plan that clears a field (`description=none`) is applied: a null planned for a
    /// field a change writes is the value asked, not one the plan could not know.
    @Test func aPlanThatClearsAFieldIsApplied() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let script = try s.script(
            "clear.mxsh", s.connectCleanmail + "set (cm.domain \"northwind-mail.com\") description=none\n")
        let plan = try s.mxsh(["plan", script, "--plan-out", "clear.json"])
        #expect(plan.status == 3, "\(plan.stderr)")
        let apply = try s.mxsh(["apply", "clear.json"])
        #expect(apply.status == 0 && apply.stderr.contains("1 change applied"), "\(apply.stderr)")
        let now = try s.mxsh(["-c", s.connectCleanmail + "print (cm.domain \"northwind-mail.com\").description"])
        #expect(now.stdout == "none\n", "\(now.stdout) \(now.stderr)")
    }
}
