import Foundation
import Testing

/// Bugs found and not fixed yet, kept as tests that run: each says what mxsh should do,
/// inside `withKnownIssue`. When one is fixed its expectations pass, Swift Testing reports
/// the known issue as no longer there (a failure), and the wrapper comes off with the fix.
/// Found by the tenth session's probes, after the parser and checker were frozen for the
/// fuzz count (docs/fuzzing.md).
@Suite(.serialized)
struct KnownIssueTests {
    /// `mxsh check` or `mxsh run --no-journal` of `text`, in a directory of its own.
    static func mxsh(_ command: String, _ text: String, _ extra: [String] = []) throws -> ProcessResult {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let script = home.appendingPathComponent("k.mxsh")
        try text.write(to: script, atomically: true, encoding: .utf8)
        let args = [command, script.path] + (command == "run" ? ["--no-journal"] : []) + extra
        return try runMxsh(args, in: home, environment: testEnvironment(home: home))
    }

    /// A check that passes what run refuses: each of these must be exit 2 at check.
    static let checkPassesWhatRunRefuses: [(String, String)] = [
        // A text field compared with an object is never equal (run answers false).
        (
            "connect memory as m seed=\"demo\"\nlet d = domain \"got.com\"\n"
                + "for u in users where domain = d < print u.email >\n", "never equal"
        ),
        // The vendor's table declares name as text; count, + and a loop over it fail at run.
        ("connect memory as m seed=\"demo\"\nlet d = domain \"got.com\"\nprint count(d.name)\n", "count needs"),
        ("connect memory as m seed=\"demo\"\nlet d = domain \"got.com\"\nprint (d.name + 1)\n", "cannot add"),
        // A variable holding a list of strings, filtered by a name that is no variable.
        ("let xs = [\"a.net\", \"b.org\"]\nprint (xs where x ~ \"*.net\")\n", "'x' is not a variable"),
        // A def is judged against the default connection where it is written, not where it is called.
        (
            "connect sandbox\nuse cm\ndef d1 < create-group \"sales@contoso-cm.net\" >\nuse pp\nd1\n",
            "proofpoint has no 'create-group'"
        ),
        // A value given to a def's parameter is not checked against the command it reaches.
        (
            "connect memory as m seed=\"demo\"\ndef f s < set (m.domain \"got.com\") status=s >\nf BOGUS\n",
            "status takes ENABLED or DISABLED"
        ),
        // `print x - 1`: with a space on both sides '-' is read as a sign, and two values print.
        ("let x = 5\nprint x - 1\n", "write (x - 1)"),
        // A connect line's options are judged at run only: a missing org=, an unknown stack,
        // a URL with a user part are refused at the connect, after what ran above it.
        ("connect proofpoint as pp user=\"a@b.c\" password=env(\"PPX\")\n", "proofpoint needs org="),
        (
            "connect proofpoint as pp user=\"a@b.c\" password=env(\"PPX\") org=\"x.com\" stack=\"us9\"\n",
            "stack is one of"
        ),
        (
            "connect cleanmail as cm url=\"https://u:p@127.0.0.1:9101\" token=env(\"CMX\")\n",
            "url must not carry a user or password"
        )
    ]

    @Test(arguments: checkPassesWhatRunRefuses.indices)
    func checkRefusesWhatRunWouldRefuse(_ i: Int) throws {
        let (text, message) = Self.checkPassesWhatRunRefuses[i]
        let checked = try Self.mxsh("check", text)
        withKnownIssue("check passes it; run refuses it partway (or, for x - 1, prints two values)") {
            #expect(checked.status == 2, "\(text)")
            #expect(checked.stderr.contains(message), "\(checked.stderr)")
        }
    }

    /// `--var s=BOGUS` is known to check, which reads the variable as unknown: what run
    /// refuses at the change (`status=s`) check could refuse with the value given.
    @Test func checkUsesTheValuesOfVar() throws {
        let text = "connect memory as m seed=\"demo\"\nset (m.domain \"got.com\") status=s\n"
        let checked = try Self.mxsh("check", text, ["--var", "s=BOGUS"])
        let ran = try Self.mxsh("run", text, ["--var", "s=BOGUS"])
        #expect(ran.status == 2 || ran.status == 1, "run refuses it: \(ran.stderr)")
        withKnownIssue("check --var does not judge the values it is given") {
            #expect(checked.status == 2, "\(checked.stderr)")
        }
    }

    /// `create-dkim "x" at=pp` with cm the default: check judges the command at pp (at=),
    /// run looks the name up at the default connection. Both should take at= to say where.
    @Test func atSaysWhereAVendorCommandsNamedObjectIsLookedUp() throws {
        let ran = try Self.mxsh("run", "connect sandbox\nuse cm\ncreate-dkim \"example.com\" at=pp\n")
        withKnownIssue("run looks the name up at the default connection, not at=") {
            #expect(!ran.stderr.contains("no domain 'example.com' at cm"), "\(ran.stderr)")
        }
    }

    /// Names are compared without case (README): `domain "GOT.COM"` finds got.com and
    /// `add-alias d "GOT.NET"` is already as asked. `=`, `has` and `in` compare a name as
    /// it is written, so `domains where name = "GOT.COM"` finds nothing, silently.
    @Test func aNameComparesWithoutCaseInExpressionsToo() throws {
        let ran = try Self.mxsh(
            "run",
            """
            connect memory as m seed="demo"
            let d = domain "GOT.COM"
            print count(domains where name = "GOT.COM") (d.name = "Got.Com")
            print (d.aliases has "GOT.NET") ("GOT.NET" in d.aliases)
            """)
        // The lookup found got.com by "GOT.COM" (or the run would have stopped there).
        #expect(ran.status == 0, "\(ran.stderr)")
        withKnownIssue("=, has and in compare a name with its case") {
            #expect(ran.stdout == "1 true\ntrue true\n", "\(ran.stdout)")
        }
    }

    /// `print = 1` is refused with the note "define it first with 'let print = ...'",
    /// which check refuses in turn ("'print' is a command"): the note leads nowhere.
    @Test func assigningToACommandsNameSaysItIsACommand() throws {
        let checked = try Self.mxsh("check", "print = 1\n")
        #expect(checked.status == 2, "\(checked.stderr)")
        withKnownIssue("the note says to define print with let, which is refused") {
            #expect(checked.stderr.contains("'print' is a command"), "\(checked.stderr)")
            #expect(!checked.stderr.contains("let print"), "\(checked.stderr)")
        }
    }

    /// A def's parameter is checked as a domain wherever the def is called: `set u
    /// password=...` in a def is refused as "unknown domain field 'password'", though the
    /// def is only ever called with users (found by the thirteenth session's review; the
    /// checker is frozen for the fuzz count).
    @Test func aDefsParameterIsNotTakenForADomain() throws {
        let checked = try Self.mxsh(
            "check",
            "connect memory as m seed=\"demo\"\ndef reset u < set u enabled=true >\nreset (m.user \"admin@got.com\")\n")
        withKnownIssue("a def's parameter of unknown kind is checked against domain fields") {
            #expect(checked.status == 0, "\(checked.stderr)")
        }
    }

    /// The line quoted under an error masks what `env("...")` names as if it were the
    /// credential: `password=env("***")`, though the name is no secret and the message
    /// above it says it ("environment variable PPX is not set").
    @Test func theQuotedLineKeepsTheNameOfAnEnvironmentVariable() throws {
        let ran = try Self.mxsh(
            "run", "connect proofpoint as pp user=\"a@b.c\" password=env(\"PPX\") org=\"x.com\"\n")
        #expect(ran.status == 1 && ran.stderr.contains("environment variable PPX is not set"), "\(ran.stderr)")
        withKnownIssue("the renderer masks the variable's name") {
            #expect(ran.stderr.contains("password=env(\"PPX\")"), "\(ran.stderr)")
        }
    }

    /// A connect answered 404 (a URL with a wrong path) is told to check the credentials;
    /// a 404 says the address is wrong, and the note should point at url=.
    @Test func aConnectAnsweredNotFoundPointsAtTheURL() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let script = try s.script(
            "wrong.mxsh",
            "connect cleanmail as cm url=\"\(s.server.url("cleanmail"))/wrong\" token=env(\"CM_TOKEN\")\n")
        let ran = try s.mxsh(["run", script, "--no-journal"])
        #expect(ran.status == 1 && ran.stderr.contains("cleanmail 404"), "\(ran.stderr)")
        withKnownIssue("the note after a 404 is about the credentials") {
            #expect(!ran.stderr.contains("check the credentials"), "\(ran.stderr)")
        }
    }

    /// Source quoted under an error masks a credential's value by the argument's name
    /// (`password="..."`), not by where a value goes: a password given to a def's
    /// parameter, or written into an expression the message quotes, shows in clear (found
    /// by the fourteenth session's review; the parser and the excerpts are frozen for the
    /// fuzz count).
    @Test(arguments: [
        "connect memory as m seed=\"demo\"\ndef mk e p < create-user e password=p >\n"
            + "mk \"a@got.com\" \"RunPw6161\" \"x\"\n",
        "connect memory as m seed=\"demo\"\ncreate-user \"zz@got.com\" password=\"RunPw6161\" + \"2\"\n"
    ])
    func aPasswordInAQuotedLineIsMaskedWhereverItGoes(_ text: String) throws {
        let ran = try Self.mxsh("check", text)
        #expect(ran.status == 2, "\(ran.stderr)")
        withKnownIssue("excerpts and messages mask by the argument's name only") {
            #expect(!ran.stderr.contains("RunPw6161"), "\(ran.stderr)")
        }
    }

    /// A credential in a raw `call`'s query string (`?apikey=...`) is kept in the plan and
    /// the journal, whose key is the request line; a body's credential is refused before
    /// sending (`RawCallCommand`, checked, frozen for the fuzz count).
    @Test func aCredentialInARawCallsQueryIsRefused() throws {
        let checked = try Self.mxsh(
            "check", "connect sandbox\ncall cm GET \"/domains/NOPE?access_token=QueryTok5151\"\n")
        withKnownIssue("only a call's body is looked at for credentials") {
            #expect(checked.status == 2, "\(checked.stderr)")
        }
    }

    /// A Proofpoint organisation's sender lists are PUT with only the list the change
    /// names: a PUT that replaces the record (as the domain and user ones do) would
    /// empty the other list (found by the fourteenth session's review; the settings
    /// declarations are frozen for the fuzz count).
    @Test func aSenderListsPutCarriesBothLists() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let proxy = FaultyProxy(upstream: s.server.url("proofpoint")) { _, _, _, _ in nil }
        defer { proxy.stop() }
        let r = try s.mxsh([
            "-c",
            "connect proofpoint as pp url=\"\(proxy.url)\" org=\"example.com\" user=\"admin@example.com\" "
                + "password=env(\"PP_PASSWORD\")\nset pp.senders allow_list=[\"friend@partner.example\"]"
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let put = proxy.writes.first { $0.hasPrefix("PUT") && $0.contains("/sender-lists") } ?? ""
        #expect(put.contains("allow_list"), "\(proxy.writes)")
        withKnownIssue("only the changed members are sent") {
            #expect(put.contains("block_list"), "\(put)")
        }
    }

    /// A Cleanmail domain's DKIM selector changed (`set d.dkim selector=`) replaces the
    /// key (5.6.4): undo would make a third key, not bring back the one published in
    /// DNS, so it should refuse as for delete-dkim (the declarations are frozen).
    @Test func aDKIMSelectorChangeIsNotUndoneWithANewKey() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let script = try s.script(
            "dkim.mxsh", s.connectCleanmail + "set (cm.domain \"northwind-mail.com\").dkim selector=\"s2\"\n")
        let r = try s.mxsh(["run", script])
        #expect(r.status == 0, "\(r.stderr)")
        let undo = try s.mxsh(["undo", "--dry-run"])
        withKnownIssue("undo plans the selector back, which makes another key") {
            #expect(!undo.stdout.contains("selector"), "\(undo.stdout) \(undo.stderr)")
        }
    }

    /// Cleanmail answers of another shape read as "none" in declarations frozen for the
    /// fuzz count (found by the fourteenth session's review): a domain's health that is
    /// not an object with `report` reads as never diagnosed; a permission without its
    /// `enabled` member reads as disabled (and `set d.access` would write it so).
    @Test func cleanmailAnswersOfAnotherShapeAreNotNone() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let proxy = FaultyProxy(upstream: s.server.url("cleanmail")) { method, path, _, _ in
            guard method == "GET" else { return nil }
            if path.hasSuffix("/health") && path.hasPrefix("/domains/") {
                return .init(status: "200 OK", body: #"{"state":"RUNNING"}"#)
            }
            if path.hasSuffix("/access") { return .init(status: "200 OK", body: #"[{"name":"DOMAIN_EDIT"}]"#) }
            return nil
        }
        defer { proxy.stop() }
        let connect = "connect cleanmail as cm url=\"\(proxy.url)\" token=env(\"CM_TOKEN\")\n"
        let health = try s.mxsh(["-c", connect + "print (cm.domain \"contoso-cm.net\").health"])
        let access = try s.mxsh(["-c", connect + "print (cm.domain \"contoso-cm.net\").access.permissions"])
        withKnownIssue("a reply of another shape is read as none or as disabled") {
            #expect(health.status == 1, "\(health.stdout) \(health.stderr)")
            #expect(access.status == 1 || access.stdout.contains("none"), "\(access.stdout) \(access.stderr)")
        }
    }

    /// `copy` (found by the fourteenth session's review; the migration command and the
    /// vendors' declarations are frozen for the fuzz count): a vendor's own fields
    /// (OpenSRS's spamlevel) are neither carried nor said lost; a language the target's
    /// enum does not take is said carried, and its create counted to be made, then it fails.
    @Test func copySaysWhatItDoesWithEveryField() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let script = try s.script(
            "copy.mxsh",
            CopyTests.connect(s) + "set (os.domain \"hooli.xyz\") spamlevel=\"High\"\n"
                + "create-domain \"italia-srl.it\" destination=\"10.0.0.1\" language=\"it\" at=os\n"
                + "copy domains where name in [\"hooli.xyz\", \"italia-srl.it\"] from os to cm\n")
        let r = try s.mxsh(["run", script, "--dry-run"])
        withKnownIssue("copy knows the neutral fields only, and not the target's values") {
            #expect(r.stderr.contains("spamlevel"), "\(r.stderr)")
            // italia-srl.it's "it" is no language Cleanmail takes: its create will fail.
            #expect(!r.stderr.contains("will copy: 2 to create"), "\(r.stderr)")
        }
    }

    /// More of `copy` (the same review, the same frozen command): a collection of another
    /// connection than `from` is copied with `from`'s field table (cm's relay and
    /// failovers go unmentioned from "os"); a dry run counts a domain it says will fail
    /// among those to create.
    @Test func copyTakesItsItemsFromItsSourceAndCountsWhatWillFail() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let connect =
            CopyTests.connect(s) + "connect proofpoint as pp url=\"\(s.server.url("proofpoint"))\" org=\"example.com\" "
            + "user=\"admin@example.com\" password=env(\"PP_PASSWORD\")\n"
        let other = try s.script(
            "other.mxsh", connect + "copy cm.domains where name = \"tailspin-toys.io\" from os to pp\n")
        let fromOther = try s.mxsh(["run", other, "--dry-run"])
        let counts = try s.script(
            "counts.mxsh", connect + "copy domains where name = \"alpineski-house.eu\" from cm to pp\n")
        let counted = try s.mxsh(["run", counts, "--dry-run"])
        withKnownIssue("copy takes any item, and its plan counts a refused create") {
            #expect(fromOther.status == 2 || fromOther.stderr.contains("relay"), "\(fromOther.stderr)")
            #expect(!counted.stderr.contains("will copy: 1 to create"), "\(counted.stderr)")
        }
    }
}
