import Foundation
import MXJSON
import Testing

/// `undo` takes back only what a run did, and only from objects still as the run left
/// them: anything changed since is refused per object, saying which field and how; an
/// inverse that would orphan mailboxes is refused; `undo --dry-run` exits as plans do.
@Suite(.serialized)
struct UndoTests {
    @Test func undoRefusesDriftAndOrphansAndTakesBackTheRest() throws {
        let sandbox = try SandboxHome()
        defer { sandbox.close() }
        let home = sandbox.home
        let server = sandbox.server
        let env = sandbox.env
        let connect = "connect cleanmail as cm url=\"\(server.url("cleanmail"))\" token=env(\"CM_TOKEN\")\n"
        let run = home.appendingPathComponent("run.mxsh")
        try
            (connect + """
                create-domain "kept-a.example" destination="10.0.0.1"
                create-domain "drifted.example" destination="10.0.0.1"
                create-domain "peopled.example" destination="10.0.0.1"
                set (domain "contoso-cm.net") description="from the run"
                """).write(to: run, atomically: true, encoding: .utf8)
        let first = try runMxsh(["run", run.path], in: home, environment: env)
        #expect(first.status == 0, "\(first.stderr)")

        // Since the run: someone changes one domain and puts a mailbox in another.
        let later = home.appendingPathComponent("later.mxsh")
        try
            (connect + """
                set (domain "drifted.example") destination="10.9.9.9"
                create-user "ann@peopled.example" name="Ann"
                """).write(to: later, atomically: true, encoding: .utf8)
        let other = try runMxsh(["run", later.path, "--no-journal"], in: home, environment: env)
        #expect(other.status == 0, "\(other.stderr)")

        let runs = try runMxsh(["runs", "--format", "json"], in: home, environment: env)
        let id = try #require(runs.stdout.firstMatch(of: /"id":"([^"]+)"/)?.1)
        let dry = try runMxsh(["undo", String(id), "--dry-run"], in: home, environment: env)
        #expect(dry.status == 1, "refusals make a dry run fail too: \(dry.stderr)")
        #expect(dry.stderr.contains("refused: create-domain domain drifted.example"), "\(dry.stderr)")
        #expect(dry.stderr.contains("destination is \"10.9.9.9\" now (the run left \"10.0.0.1\")"), "\(dry.stderr)")
        #expect(dry.stderr.contains("refused: create-domain domain peopled.example"), "\(dry.stderr)")
        #expect(
            dry.stderr.contains("it now has 1 mailbox, which deleting it would leave without their domain"),
            "\(dry.stderr)")

        let undo = try runMxsh(["undo", String(id)], in: home, environment: env)
        #expect(undo.status == 1, "\(undo.stderr)")
        let check = home.appendingPathComponent("check.mxsh")
        try
            (connect + """
                print count(domains where name = "kept-a.example") count(domains where name = "drifted.example") \
                count(domains where name = "peopled.example")
                print (domain "contoso-cm.net").description
                """).write(to: check, atomically: true, encoding: .utf8)
        let after = try runMxsh(["run", check.path, "--no-journal"], in: home, environment: env)
        #expect(after.stdout.split(separator: "\n").first == "0 1 1", "\(after.stdout)\(after.stderr)")
        #expect(!after.stdout.contains("from the run"), "\(after.stdout)")
    }

    /// Undo goes as wide as its connections allow, one domain at a time within a domain:
    /// mailboxes the run made in a domain it made are deleted before the domain, so the
    /// domain is never refused as peopled; `--format json` is one document for jq.
    @Test func concurrentUndoKeepsEachDomainsOrderAndSpeaksJSON() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let server = s.server
        let connect = "connect cleanmail as cm url=\"\(server.url("cleanmail"))\" token=env(\"CM_TOKEN\")\n"
        let run = try s.script(
            "run.mxsh",
            connect + """
                for n in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"] <
                  create-domain "wide-${n}.example" destination="10.0.0.1"
                  create-user "ann@wide-${n}.example" name="Ann"
                  create-user "bob@wide-${n}.example" name="Bob"
                  add-alias (domain "wide-${n}.example") "alias-${n}.example"
                >
                """)
        let first = try s.mxsh(["run", run])
        #expect(first.status == 0, "\(first.stderr)")

        let undo = try s.mxsh(["undo", "--jobs", "6", "--format", "json"])
        #expect(undo.status == 0, "\(undo.stdout)\(undo.stderr)")
        let doc = try JSON.parse(Array(undo.stdout.utf8))
        #expect(doc["undone"]?.int == 48, "\(undo.stdout)")
        #expect(doc["refused"]?.array?.isEmpty == true, "\(undo.stdout)")
        #expect(doc["failed"]?.array?.isEmpty == true, "\(undo.stdout)")
        #expect(doc["undo_run"]?.string != nil, "\(undo.stdout)")
        let check = try s.script(
            "check.mxsh",
            connect + "print count(domains where name ~ \"wide-*\") count(users where email ~ \"*@wide-*\")\n")
        let after = try s.mxsh(["run", check, "--no-journal"])
        #expect(after.stdout == "0 0\n", "\(after.stdout)\(after.stderr)")
        // The undo is a run of its own, journaled change by change.
        let runs = try s.mxsh(["runs", "--format", "json"])
        let newest = try JSON.parse(Array(runs.stdout.utf8)).array?.first
        #expect(newest?["kind"]?.string == "undo" && newest?["done"]?.int == 48, "\(runs.stdout)")
    }

    @Test func undoDryRunWithChangesExitsThree() throws {
        let sandbox = try SandboxHome()
        defer { sandbox.close() }
        let home = sandbox.home
        let server = sandbox.server
        let env = sandbox.env
        let run = home.appendingPathComponent("run.mxsh")
        try """
        connect cleanmail as cm url="\(server.url("cleanmail"))" token=env("CM_TOKEN")
        create-domain "undo-me.example" destination="10.0.0.1"
        """.write(to: run, atomically: true, encoding: .utf8)
        #expect(try runMxsh(["run", run.path], in: home, environment: env).status == 0)
        let dry = try runMxsh(["undo", "--dry-run"], in: home, environment: env)
        #expect(dry.status == 3, "\(dry.stdout)\(dry.stderr)")
        #expect(dry.stdout.contains("undo-me.example"), "\(dry.stdout)")
    }

    /// Cleanmail makes a domain with one request and sets its aliases with another
    /// (5.5.1, then 5.3.4), which refuses an alias another domain holds. The domain is
    /// made all the same: the run says so (not that it "already exists"), the journal
    /// keeps the change sent, not failed, and undo deletes the domain, leaving the other
    /// domain its alias.
    @Test func aCreateWhoseAliasesAreRefusedIsDoneInPartAndUndone() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let connect = s.connectCleanmail
        let run = try s.script(
            "run.mxsh",
            connect + """
                let taken = (domains where (count(aliases) > 0))[0].aliases
                create-domain "dupe.example" aliases=taken
                """)
        let check = try s.script(
            "check.mxsh",
            connect + "print count(domains where name = \"dupe.example\") count(domains where (count(aliases) > 0))\n")
        let before = try s.mxsh(["run", check, "--no-journal"])
        let held = try #require(before.stdout.split(separator: " ").last.map(String.init), "\(before.stderr)")

        let first = try s.mxsh(["run", run])
        #expect(first.status == 1, "\(first.stderr)")
        #expect(
            first.stderr.contains(
                "error: create-domain domain \"dupe.example\" at cm: domain dupe.example was created, but not wholly: "
                    + "set aliases of domain dupe.example: already exists"),
            "\(first.stderr)")
        #expect(first.stderr.contains("mxsh undo takes back what was made"), "\(first.stderr)")
        #expect(!first.stderr.contains("already exists with other values"), "\(first.stderr)")
        #expect(first.stderr.contains("0 changes applied, 1 sent with the answer unknown"), "\(first.stderr)")
        let made = try s.mxsh(["run", check, "--no-journal"])
        #expect(made.stdout == "1 \(held)", "the domain was made: \(made.stdout)\(made.stderr)")

        let runs = try s.mxsh(["runs", "--format", "json"])
        let id = try #require(try JSON.parse(Array(runs.stdout.utf8)).array?.first?["id"]?.string, "\(runs.stdout)")
        let shown = try s.mxsh(["runs", "show", id, "--format", "json"])
        let change = try JSON.parse(Array(shown.stdout.utf8))["changes"]?.array?.first
        #expect(change?["state"]?.string == "sent", "\(shown.stdout)")
        #expect(change?["answer"]?.string?.contains("was created, but not wholly") == true, "\(shown.stdout)")

        let undo = try s.mxsh(["undo", id])
        #expect(undo.status == 0, "\(undo.stdout)\(undo.stderr)")
        let after = try s.mxsh(["run", check, "--no-journal"])
        #expect(after.stdout == "0 \(held)", "undone; the other keeps its alias: \(after.stdout)\(after.stderr)")
    }

    /// A language written in capitals (`language="EN"`), which Cleanmail reads back in
    /// small letters: no change since the run, so undo deletes the domain (it refused it
    /// as "changed since the run: language is "en" now").
    @Test func undoTakesBackACreateWhoseLanguageTheVendorReadsBackInSmallLetters() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let connect = s.connectCleanmail
        let run = try s.script("run.mxsh", connect + "create-domain \"lang.example\" language=\"EN\"\n")
        let gone = try s.script("gone.mxsh", connect + "print count(domains where name = \"lang.example\")\n")
        #expect(try s.mxsh(["run", run]).status == 0)
        #expect(try s.mxsh(["run", gone, "--no-journal"]).stdout == "1\n")
        let undo = try s.mxsh(["undo"])
        #expect(undo.status == 0 && !undo.stdout.contains("refused"), "\(undo.stdout)\(undo.stderr)")
        #expect(try s.mxsh(["run", gone, "--no-journal"]).stdout == "0\n", "undone")
    }

    /// A run stopped partway and undone, then resumed: what the undo took back is sent
    /// again, not skipped as "done before" (the resume ended as if all were done). And
    /// a plain `mxsh resume` passes over runs a resume finished or an undo took back.
    @Test func resumeAfterUndoSendsAgainWhatTheUndoTookBack() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let connect = s.connectCleanmail
        let run = try s.script(
            "run.mxsh",
            connect + """
                set (domain "contoso-cm.net") description="by the run"
                set (domain "later.example") description="by the run"
                """)
        let read = try s.script("read.mxsh", connect + "print (domain \"contoso-cm.net\").description\n")
        let first = try s.mxsh(["run", run])
        #expect(first.status == 1 && first.stderr.contains("later.example"), "\(first.stderr)")
        let runs = try JSON.parse(Array(try s.mxsh(["runs", "--format", "json"]).stdout.utf8)).array ?? []
        let id = try #require(runs.first?["id"]?.string)
        #expect(try s.mxsh(["undo", id]).status == 0)
        #expect(try s.mxsh(["run", read, "--no-journal"]).stdout != "by the run\n", "undone")

        let make = try s.script("make.mxsh", connect + "create-domain \"later.example\"\n")
        #expect(try s.mxsh(["run", make, "--no-journal"]).status == 0)
        let resumed = try s.mxsh(["resume", id])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("2 changes applied"), "\(resumed.stderr)")
        #expect(resumed.stderr.contains(": 0 change(s) done before are skipped"), "\(resumed.stderr)")
        #expect(!resumed.stderr.contains("done before (skipped)"), "\(resumed.stderr)")
        #expect(try s.mxsh(["run", read, "--no-journal"]).stdout == "by the run\n", "sent again")

        // The run was undone and its resume is done: nothing is left to resume.
        let again = try s.mxsh(["resume"])
        #expect(again.status != 0 && again.stderr.contains("no unfinished run to resume"), "\(again.stderr)")
    }

    /// A resume of a resume: the change the first run did, which the first resume noted
    /// as "done in run X", counts once. It counted twice, so a later change the same as it
    /// (disable again after enable) was skipped as done and the domain left enabled.
    @Test func aResumeOfAResumeCountsEachChangeDoneOnce() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let connect = s.connectCleanmail
        let run = try s.script(
            "run.mxsh",
            connect + """
                disable (domain "contoso-cm.net")
                enable (domain "contoso-cm.net")
                set (domain "later.example") description="by the run"
                disable (domain "contoso-cm.net")
                """)
        #expect(try s.mxsh(["run", run]).status == 1)
        let runs = try JSON.parse(Array(try s.mxsh(["runs", "--format", "json"]).stdout.utf8)).array ?? []
        let first = try #require(runs.first?["id"]?.string)
        #expect(try s.mxsh(["resume", first]).status == 1, "stops at later.example again")
        let make = try s.script("make.mxsh", connect + "create-domain \"later.example\"\n")
        #expect(try s.mxsh(["run", make, "--no-journal"]).status == 0)
        let resumed = try s.mxsh(["resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains(": 2 change(s) done before are skipped"), "\(resumed.stderr)")
        let read = try s.script("read.mxsh", connect + "print (domain \"contoso-cm.net\").status\n")
        #expect(try s.mxsh(["run", read, "--no-journal"]).stdout == "DISABLED\n", "the last disable was sent")
    }

    /// A domain the run made, given an alias since by someone else: deleting it would
    /// take that alias too, so undo refuses it, saying which (it deleted both).
    @Test func undoOfACreateRefusesWhatWasAddedToItsListsSince() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let connect = s.connectCleanmail
        let run = try s.script("run.mxsh", connect + "create-domain \"grown.example\" aliases=[\"grown-a.example\"]\n")
        let later = try s.script(
            "later.mxsh", connect + "add-alias (domain \"grown.example\") \"grown-b.example\"\n")
        let count = try s.script("count.mxsh", connect + "print count(domains where name = \"grown.example\")\n")
        #expect(try s.mxsh(["run", run]).status == 0)
        #expect(try s.mxsh(["run", later, "--no-journal"]).status == 0)
        let undo = try s.mxsh(["undo"])
        #expect(
            (undo.stdout + undo.stderr).contains(
                "changed since the run: aliases has \"grown-b.example\" now, which the run did not give"),
            "\(undo.stdout)\(undo.stderr)")
        #expect(try s.mxsh(["run", count, "--no-journal"]).stdout == "1\n", "left as it is")
    }

    /// The same create done in part, then the alias freed and the run resumed: resume
    /// finishes the domain the run made (sets its aliases), rather than sending the create
    /// again into "exists with other values". The domain stays the first run's: undo of
    /// the resume leaves it, undo of the first run deletes it.
    @Test func resumeFinishesACreateDoneInPart() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let connect = s.connectCleanmail
        let find = try s.script(
            "find.mxsh", connect + "let h = (domains where (count(aliases) > 0))[0]\nprint h.name h.aliases[0]\n")
        let found = try s.mxsh(["run", find, "--no-journal"])
        let words = found.stdout.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(words.count == 2, "\(found.stdout)\(found.stderr)")
        guard words.count == 2 else { return }
        let (holder, alias) = (words[0], words[1])
        let run = try s.script("run.mxsh", connect + "create-domain \"dupe.example\" aliases=[\"\(alias)\"]\n")
        let check = try s.script(
            "check.mxsh",
            connect + "print count(domains where name = \"dupe.example\") (domain \"dupe.example\").aliases\n")

        let first = try s.mxsh(["run", run])
        #expect(first.status == 1 && first.stderr.contains("was created, but not wholly"), "\(first.stderr)")
        let free = try s.script("free.mxsh", connect + "remove-alias (domain \"\(holder)\") \"\(alias)\"\n")
        #expect(try s.mxsh(["run", free, "--no-journal"]).status == 0)

        let resumed = try s.mxsh(["resume"])
        #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
        #expect(!resumed.stderr.contains("already exists"), "\(resumed.stderr)")
        #expect(resumed.stderr.contains("1 change applied"), "\(resumed.stderr)")
        let made = try s.mxsh(["run", check, "--no-journal"])
        #expect(made.stdout == "1 [\"\(alias)\"]\n", "finished: \(made.stdout)\(made.stderr)")

        let runs = try JSON.parse(Array(try s.mxsh(["runs", "--format", "json"]).stdout.utf8)).array ?? []
        let ids = runs.compactMap { $0["id"]?.string }
        #expect(ids.count == 2, "\(runs)")
        guard ids.count == 2 else { return }
        let (resume, original) = (ids[0], ids[1])
        let shown = try s.mxsh(["runs", "show", original, "--format", "json"])
        let row = try JSON.parse(Array(shown.stdout.utf8))["changes"]?.array?.first
        #expect(row?["state"]?.string == "done", "\(shown.stdout)")
        #expect(row?["answer"]?.string?.contains("run \(resume) finished it") == true, "\(shown.stdout)")

        // The resume finished the run's change: the change is the run's, the resume has
        // nothing of its own to undo (exit 2, as the README's exit statuses say).
        let undoResume = try s.mxsh(["undo", resume])
        #expect(undoResume.status == 2, "\(undoResume.stdout)\(undoResume.stderr)")
        #expect(undoResume.stderr.contains("changed nothing; nothing to undo"), "\(undoResume.stderr)")
        #expect(try s.mxsh(["run", check, "--no-journal"]).stdout == made.stdout, "the resume did not make it")
        let undo = try s.mxsh(["undo", original])
        #expect(undo.status == 0, "\(undo.stdout)\(undo.stderr)")
        let gone = try s.script("gone.mxsh", connect + "print count(domains where name = \"dupe.example\")\n")
        let after = try s.mxsh(["run", gone, "--no-journal"])
        #expect(after.stdout == "0\n", "undone by the run that made it: \(after.stdout)\(after.stderr)")
    }

    /// An undo killed partway, then a plain `mxsh undo`: it takes up the same run again
    /// (not the partial undo), skips what the first undo took back, and finishes.
    /// Also under the issue's faults (5xx, 429, answers dropped after the change was made).
    @Test(arguments: [false, true])
    func aPlainUndoAfterAnInterruptedUndoFinishesIt(underFaults: Bool) throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let port = SandboxCommandTests.freeBasePort()
        let server = try SandboxCommandTests.Server(
            ["--port", String(port), "--seed", "demo", "--latency-ms", "20"]
                + (underFaults ? ApplyKillTests.faults : []),
            in: home)
        defer { _ = server.stop() }
        var env = testEnvironment(home: home)
        env["CM_TOKEN"] = "sandbox-token"
        let url = server.url("cleanmail")
        let before = try JournalStateTests.cleanmail(url)
        let domain = try #require(before.keys.sorted().first)
        let rows = (1...60).map { "u\($0).\(domain)" }.joined(separator: "\n")
        try ("alias\n" + rows + "\n").write(
            to: home.appendingPathComponent("aliases.csv"), atomically: true, encoding: .utf8)
        let run = home.appendingPathComponent("run.mxsh")
        try """
        connect cleanmail as cm url="\(url)" token=env("CM_TOKEN")
        let d = domain "\(domain)"
        for row in csv("aliases.csv") < add-alias d row.alias >
        set d description="changed by the run"
        """.write(to: run, atomically: true, encoding: .utf8)
        #expect(try runMxsh(["run", run.path], in: home, environment: env).status == 0)
        let full = try JournalStateTests.cleanmail(url)[domain]?.count ?? 0

        // A random point of the undo, short of its last ten inverses (so it is killed partway).
        let killAt = Int.random(in: 1...50)
        let undo = try startMxsh(["undo"], in: home, environment: env)
        while try (JournalStateTests.cleanmail(url)[domain]?.count ?? 0) > full - killAt { usleep(20_000) }
        kill(undo.processIdentifier, SIGKILL)
        undo.waitUntilExit()
        #expect(
            try (JournalStateTests.cleanmail(url)[domain]?.count ?? 0) > before[domain]!.count,
            "killed partway (after \(killAt) inverses)")

        let again = try runMxsh(["undo"], in: home, environment: env)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("undone by an earlier undo"), "\(again.stderr)")
        #expect(
            try JournalStateTests.cleanmail(url) == before, "the run is wholly undone, and the partial undo was not")
        let check = home.appendingPathComponent("check.mxsh")
        try """
        connect cleanmail as cm url="\(url)" token=env("CM_TOKEN")
        print (domain "\(domain)").description
        """.write(to: check, atomically: true, encoding: .utf8)
        let description = try runMxsh(["run", check.path, "--no-journal"], in: home, environment: env)
        #expect(!description.stdout.contains("changed by the run"), "\(description.stdout)")
        let last = try runMxsh(["undo"], in: home, environment: env)
        #expect(
            last.status == 2 && last.stderr.contains("no run to undo"),
            "a wholly undone run is not picked again: \(last.stderr)")
    }
}

/// Undo, undone, and undone again: the changes an undo took back and a later undo put
/// back are the run's again.
@Suite(.serialized)
struct UndoAgainTests {
    @Test func aRunIsUndoneAgainAfterItsUndoWasUndone() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let script = try s.script(
            "aliases.mxsh",
            s.connectCleanmail + "let d = cm.domain \"fourthcoffee.cafe\"\nadd-alias d \"again-1.net\"\n"
                + "add-alias d \"again-2.net\"\n")
        func newest() throws -> String {
            let runs = try s.mxsh(["runs", "--format", "json"])
            return String(try #require(runs.stdout.firstMatch(of: /"id":"([^"]+)"/)?.1))
        }
        func aliases() throws -> String {
            try s.mxsh(["-c", s.connectCleanmail + "print (cm.domain \"fourthcoffee.cafe\").aliases"]).stdout
        }
        #expect(try s.mxsh(["run", script]).status == 0)
        let run = try newest()
        #expect(try s.mxsh(["undo", run]).status == 0)
        let firstUndo = try newest()
        #expect(try s.mxsh(["undo", firstUndo]).status == 0)
        #expect(try aliases().contains("again-2.net"))
        let again = try s.mxsh(["undo", run])
        #expect(again.status == 0 && again.stderr.contains("2 change(s) undone"), "\(again.stderr)")
        let left = try aliases()
        #expect(!left.contains("again-"), "\(left)")
    }
}
