import Foundation
import Testing

/// The command line as a user meets it: modes, exit statuses, formats, shebang.
struct CommandLineTests {
    let work: URL

    init() throws { work = try makeTemporaryDirectory() }

    func write(_ name: String, _ text: String) throws -> String {
        let url = work.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func dashCRunsCode() throws {
        let r = try runMxsh(["-c", "print 1 \"two\""], in: work)
        #expect(r.stdout == "1 two\n")
        #expect(r.status == 0)
    }

    @Test func exitStatuses() throws {
        #expect(try runMxsh(["-c", "print 1"], in: work).status == 0)
        #expect(try runMxsh(["-c", "connect memory as m\nlet d = domain \"nope\""], in: work).status == 1)
        let invalid = try runMxsh(["-c", "print \"a\"\nprint (1 +"], in: work)
        #expect(invalid.status == 2)
        #expect(invalid.stdout == "")  // nothing ran: the first line did not print
    }

    @Test func checkConnectsToNothingAndCountsErrors() throws {
        let path = try write(
            "bad.mxsh",
            "connect proofpoint as pp url=\"http://127.0.0.1:9\" user=\"u\" password=env(\"X\")\nlet d = domain "
                + "\"a.com\"\nadd-alias d \"x.net\"\nadd-alais d \"y\"\n"
        )
        let r = try runMxsh(["check", path], in: work)
        #expect(r.status == 2)
        #expect(r.stderr.contains("bad.mxsh:3:1: error: proofpoint cannot add-alias (connection pp)"))
        #expect(r.stderr.contains("bad.mxsh:4:1: error: unknown command 'add-alais'"))
        #expect(r.stderr.contains("2 errors in"))
        let good = try write("good.mxsh", "connect memory as m\nlist domains\n")
        #expect(try runMxsh(["check", good], in: work).status == 0)
    }

    /// A script of 256 KB or more is read into a heap readied for its tree (huge pages),
    /// parsed on the main thread and checked on another: `check` and `run` give the
    /// answers they give a short one, the error at its end located.
    @Test func aLongScriptIsCheckedAndRunAsAShortOne() throws {
        var lines = ["connect memory as m seed=\"demo\"", "let total = 0"]
        for i in 1...6_000 {
            lines += [
                "let d\(i) = m.domain \"got.com\"",
                "if d\(i).status = ENABLED < total = total + 1 > else < total = total + 1 >",
                "# a comment line, as runbooks have, to make the script long: \(String(repeating: "-", count: 20))"
            ]
        }
        let clean = lines.joined(separator: "\n") + "\nprint total\n"
        #expect(clean.utf8.count >= 256 * 1024)
        let path = try write("long.mxsh", clean)
        #expect(try runMxsh(["check", path], in: work).status == 0)
        let run = try runMxsh(["run", path], in: work)
        #expect(run.status == 0)
        #expect(run.stdout == "6000\n")
        let broken = try write("broken.mxsh", clean + "print totl\n")
        let check = try runMxsh(["check", broken], in: work)
        #expect(check.status == 2)
        #expect(check.stderr.contains("broken.mxsh:\(lines.count + 2):7: error: unknown variable 'totl'"))
    }

    @Test func shebangScriptRunsDirectly() throws {
        let path = try write("hello.mxsh", "#!/usr/bin/env mxsh\nprint \"hello from a script\"\n")
        #expect(chmod(path, 0o755) == 0)
        var env = testEnvironment(home: work)
        env["PATH"] = URL(fileURLWithPath: mxshBinary).deletingLastPathComponent().path + ":" + (env["PATH"] ?? "")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        try launch(process)
        process.waitUntilExit()
        #expect(
            String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "hello from a script\n")
        #expect(process.terminationStatus == 0)
        // `mxsh FILE` is `mxsh run FILE`, with run's options before the file too.
        #expect(try runMxsh([path], in: work).stdout == "hello from a script\n")
        let withOptions = try runMxsh(["--no-journal", "--var", "n=1", "--jobs", "2", path], in: work)
        #expect(withOptions.stdout == "hello from a script\n", "\(withOptions.stderr)")
        #expect(withOptions.status == 0)
    }

    @Test func variablesFromTheCommandLine() throws {
        let r = try runMxsh(
            ["-c", "print name (n + 1) flag", "--var", "name=got.com", "--var", "n=41", "--var", "flag=true"], in: work)
        #expect(r.stdout == "got.com 42 true\n")
    }

    /// A `--var` value is a number only as a script writes one: an ID's leading zeros,
    /// and what only `Double` reads as a number (hexadecimal, inf), stay text.
    @Test func aVariableIsANumberOnlyAsAScriptWritesOne() throws {
        let given = ["007", "0x10", "inf", "+5", "1.", "1e999", "42", "-1.5", "2e3", "true"]
        // A list prints its text quoted.
        let r = try runMxsh(
            ["-c", "print [" + given.indices.map { "v\($0)" }.joined(separator: ", ") + "]"]
                + given.enumerated().flatMap { ["--var", "v\($0.offset)=\($0.element)"] }, in: work)
        #expect(
            r.stdout == "[\"007\", \"0x10\", \"inf\", \"+5\", \"1.\", \"1e999\", 42, -1.5, 2000, true]\n",
            "\(r.stdout)\(r.stderr)")
    }

    /// `mxsh help for` is the language's help on `for`, as `help for` in the shell;
    /// `mxsh help run` stays the command line's help on `run`.
    @Test func helpOnTheCommandLineKnowsTheLanguagesTopics() throws {
        #expect(try runMxsh(["help", "for"], in: work).stdout.hasPrefix("for NAME in COLLECTION"))
        #expect(try runMxsh(["help", "fields", "cleanmail"], in: work).stdout.hasPrefix("cleanmail: "))
        #expect(try runMxsh(["help", "fields", "ad360"], in: work).stdout.hasPrefix("ad360: "))
        #expect(try runMxsh(["help", "run"], in: work).stdout.hasPrefix("OVERVIEW: Run a script file."))
        let unknown = try runMxsh(["help", "nosuch"], in: work)
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown help topic 'nosuch'"), "\(unknown.stderr)")
    }

    /// `check --var` knows what `run --var` defines, the option before or after the file.
    @Test func checkKnowsTheVariablesRunIsGiven() throws {
        try "print (n + 1)\n".write(to: work.appendingPathComponent("v.mxsh"), atomically: true, encoding: .utf8)
        for arguments in [["check", "v.mxsh", "--var", "n=5"], ["check", "--var", "n=5", "v.mxsh"]] {
            let r = try runMxsh(arguments, in: work)
            #expect(r.status == 0, "\(arguments): \(r.stderr)")
        }
        let without = try runMxsh(["check", "v.mxsh"], in: work)
        #expect(without.status == 2 && without.stderr.contains("unknown variable 'n'"), "\(without.stderr)")
        #expect(try runMxsh(["run", "v.mxsh", "--var", "n=5"], in: work).stdout == "6\n")
    }

    /// A NUL in a value is written like any other character: it once ended the line.
    @Test func aNulInAValueDoesNotCutTheLine() throws {
        let r = try runMxsh(["-c", "print \"a\\0b\" \"c\"\nprint \"next\""], in: work)
        #expect(r.stdout == "a\u{0}b c\nnext\n", "\(Array(r.stdout.utf8))")
    }

    /// `--format csv` is CSV for any listing: plain values one per row under `value`
    /// (as `export` writes them), and for an empty one the header alone, then the empty
    /// line that ends every CSV listing: read back by `csv()` it is no rows (nothing at
    /// all would be an empty file, which `csv()` refuses; `[]` would read as a header).
    @Test func csvFormatOfPlainValuesAndOfNothing() throws {
        let values = try runMxsh(["--format", "csv", "-c", "list [1, \"a,b\"]"], in: work)
        #expect(values.stdout == "value\n1\n\"a,b\"\n\n", "\(values.stdout)")
        let none = try runMxsh(
            ["--format", "csv", "-c", "connect memory as m seed=\"demo\"\nlist m.domains where name = \"nomatch\""],
            in: work)
        #expect(none.status == 0 && none.stdout == "value\n\n", "\(none.stdout)")
        try none.stdout.write(to: work.appendingPathComponent("none.csv"), atomically: true, encoding: .utf8)
        #expect(try runMxsh(["-c", "print count(csv(\"none.csv\"))"], in: work).stdout == "0\n")
    }

    @Test func formats() throws {
        let script = "connect memory as m seed=\"demo\"\nlist domains where name=\"got.com\""
        let json = try runMxsh(["-c", script, "--format", "json"], in: work)
        let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let listed = (document?["output"] as? [Any])?.first as? [[String: Any]]
        #expect(
            listed?.first?["name"] as? String == "got.com" && listed?.first?["status"] as? String == "ENABLED",
            "\(json.stdout)")
        let csv = try runMxsh(["-c", script, "--format", "csv"], in: work)
        #expect(csv.stdout.hasPrefix("name,status,aliases,destination,failovers,relay"))
        #expect(csv.stdout.contains("\ngot.com,ENABLED,got.net,10.0.0.5,,true,"))
        let table = try runMxsh(["-c", script], in: work)
        #expect(table.stdout.hasPrefix("name     status   destination  aliases  relay\n-------  -------"))
    }

    /// `--format json` makes stdout one JSON document whatever the command: a script's
    /// results and print lines (as strings) in `output`, beside the run or the plan.
    @Test func formatJSONIsOneDocument() throws {
        let path = work.appendingPathComponent("doc.mxsh").path
        try """
        connect memory as m seed="demo"
        print "first line" 42
        list domains where name = "got.com"
        add-alias (domain "got.com") "doc.example"
        show domain "got.com"
        """.write(toFile: path, atomically: true, encoding: .utf8)
        func document(_ arguments: [String], status: Int32) throws -> [String: Any] {
            let r = try runMxsh(arguments, in: work)
            #expect(r.status == status, "\(arguments): \(r.stderr)")
            let parsed = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8), options: [.fragmentsAllowed])
            return try #require(parsed as? [String: Any], "\(arguments): \(r.stdout)")
        }
        let run = try document(["run", path, "--format", "json"], status: 0)
        let output = try #require(run["output"] as? [Any])
        #expect(output.count == 3 && output.first as? String == "first line 42", "\(output)")
        #expect(run["status"] as? String == "done" && run["run"] is String, "\(run)")
        #expect((run["changes"] as? [String: Any])?["done"] as? Int == 1, "\(run)")

        let plan = try document(["plan", path, "--format", "json"], status: 3)
        let planned = try #require(plan["plan"] as? [String: Any], "\(plan)")
        #expect(planned["change"] as? Int == 1, "\(planned)")
        #expect((plan["output"] as? [Any])?.first as? String == "first line 42")

        let runs = try runMxsh(["runs", "--format", "json"], in: work)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [[String: Any]])
        let id = try #require(list.first?["id"] as? String)
        #expect(list.first?["done"] as? Int == 1, "\(list)")
        let shown = try JSONSerialization.jsonObject(
            with: Data(try runMxsh(["runs", "show", id, "--format", "json"], in: work).stdout.utf8))
        #expect(((shown as? [String: Any])?["changes"] as? [Any])?.count == 1)
        let csv = try runMxsh(["runs", "show", id, "--format", "csv"], in: work).stdout.split(separator: "\n")
        #expect(csv.count == 2 && csv[1].hasPrefix("1,done,add-alias,domain,got.com,m,"), "\(csv)")
    }

    @Test func pipedInputRunsAsAScriptWithoutPrompts() throws {
        let r = try runMxsh([], stdin: "let x = 2\nfor i in [1, x] <\n  print i\n>\n", in: work)
        #expect(r.stdout == "1\n2\n")
        #expect(!r.stderr.contains("mxsh>"))
    }

    @Test func exportThenReadBack() throws {
        let script = """
            connect memory as m seed="demo"
            export domains where status=DISABLED to "disabled.csv"
            export domains where status=DISABLED to "disabled.json"
            for row in csv("disabled.csv") < print row.name row.status >
            """
        let r = try runMxsh(["-c", script], in: work)
        #expect(r.stdout == "legacy.org DISABLED\ncontoso.net DISABLED\nwingtip.net DISABLED\n", "\(r.stderr)")
        let json = try String(contentsOf: work.appendingPathComponent("disabled.json"), encoding: .utf8)
        #expect(json.contains("\"connection\": \"m\""))
        #expect(json.contains("\"raw\": {}"))
    }

    /// `--var domains=1` hid the connection's domains (`count(domains)` failed at run
    /// while check passed), as `let domains` would: it is refused before anything runs.
    @Test func aVarNamedDomainsIsRefused() throws {
        let script = "connect memory as m seed=\"demo\"\nprint count(domains)"
        let r = try runMxsh(["--var", "domains=1", "-c", script], in: work)
        #expect(r.status == 2)
        #expect(r.stderr.contains("--var domains would hide the connection's domains"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func secretsNeverAppear() throws {
        let script = """
            let t = env("MXSH_TEST_TOKEN")
            let s = secret("demo")
            print s
            print [s] {k: s}
            connect memory as m seed="demo"
            list domains where name = "got.com"
            print "${[s][0]}"
            """
        let r = try runMxsh(["-c", script, "--format", "json"], in: work)
        #expect(r.stdout.contains("****"))
        #expect(r.stderr.contains("a secret cannot be put into a string"))
        #expect(!r.stdout.contains(plantedSecret) && !r.stderr.contains(plantedSecret))
    }

    @Test func secretFileMustBePrivate() throws {
        let dir = work.appendingPathComponent("config/mxsh/secrets")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("cm")
        try "from-a-file\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(chmod(file.path, 0o644) == 0)
        let open = try runMxsh(["-c", "print secret(\"cm\")"], in: work)
        #expect(open.status == 1)
        #expect(open.stderr.contains("is readable by others, so it is not used"))
        #expect(open.stderr.contains("chmod 600"))
        #expect(chmod(file.path, 0o600) == 0)
        let closed = try runMxsh(["-c", "print secret(\"cm\")"], in: work)
        #expect(closed.stdout == "****\n")
        #expect(!closed.stdout.contains("from-a-file"))
    }

    @Test func helpComesFromTheCommandTable() throws {
        let r = try runMxsh(["-c", "help\nhelp add-alias\nhelp vendors"], in: work)
        #expect(
            r.stdout.split(separator: "\n").contains {
                $0.hasPrefix("  add-alias ")
                    && $0.contains("add an alias to a domain (unchanged if it is there already)")
            })
        #expect(r.stdout.contains("  set-credential "))
        #expect(r.stdout.contains("usage: add-alias DOMAIN ALIAS"))
        #expect(r.stdout.contains("domain.aliases"))
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func shellCompletionScripts(_ shell: String) throws {
        let r = try runMxsh(["--generate-completion-script", shell], in: work)
        #expect(r.status == 0)
        #expect(r.stdout.contains("mxsh"))
        #expect(r.stdout.contains("check"))
    }
}
