import MXEngine
import MXModel
import Testing

/// Runs a script in a fresh session on the memory vendor and returns what it printed.
func run(_ script: String, seed: String = "\"demo\"") -> (stdout: String, stderr: String, outcome: Session.Outcome) {
    let host = BufferHost()
    let session = Session(host: host)
    let outcome = session.run("connect memory as m seed=\(seed)\n" + script, name: "t.mxsh")
    return (host.stdout, host.stderr, outcome)
}

struct EvaluatorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let script: String
        let output: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "arithmetic and precedence", script: "print (1 + 2 * 3) (10 / 4) (-2 - 3)", output: "7 2.5 -5"),
        Case(name: "string concatenation", script: "print (\"a\" + \"1\" + \"b\") \"a${1}b\"", output: "a1b a1b"),
        Case(
            name: "def value in an expression", script: "def double n < return (n * 2) >\nprint (double(3) + 1)",
            output: "7"),
        Case(
            name: "break and continue",
            script: "for n in [1, 2, 3, 4] < if n = 2 < continue >; if n = 4 < break >; print n >",
            output: "1\n3"),
        Case(
            name: "loop variable in its where",
            script: "for x in [\"a.net\", \"b.org\"] where x ~ \"*.net\" < print x >",
            output: "a.net"),
        Case(name: "indexing", script: "let xs = [[1, 2], {k: \"v\"}]\nprint xs[0][1] xs[1][\"k\"]", output: "2 v"),
        Case(
            name: "interpolation", script: "let d = domain \"got.com\"\nprint \"old-${d.name} ${1 + 1}\"",
            output: "old-got.com 2"),
        Case(name: "raw strings", script: "print 'a${b}\\n'", output: "a${b}\\n"),
        Case(
            name: "lists and records", script: "let r = {a: 1, b: [1, \"x\"]}\nprint r r.b r.b.count",
            output: "{a: 1, b: [1, \"x\"]} [1, \"x\"] 2"),
        Case(
            name: "enum equals string", script: "print (ENABLED = \"ENABLED\") (ENABLED != DISABLED)",
            output: "true true"),
        Case(
            name: "glob",
            script: "print (\"a.net\" ~ \"*.NET\") (\"a.com\" ~ \"*.net\") (\"ab\" ~ \"a?\") (\"ac\" ~ \"a[!b]\")",
            output: "true false true true"),
        Case(
            name: "has and in", script: "print ([1, 2] has 2) (3 in [1, 2]) (\"ell\" in \"hello\")",
            output: "true false true"),
        Case(name: "and or not", script: "print (true and not false) (false or none)", output: "true false"),
        Case(
            name: "ordering in parentheses", script: "print (2 > 1) (2 <= 1) (\"a\" < \"b\")", output: "true false true"
        ),
        Case(
            name: "if else if",
            script:
                "let n = 5\nif (n > 10) < print \"big\" > else if (n > 3) < print \"mid\" > else < print \"small\" >",
            output: "mid"),
        Case(
            name: "assignment reaches outer scope", script: "let n = 0\nfor d in domains < n = n + 1 >\nprint n",
            output: "12"),
        Case(name: "let in a block stays in it", script: "let x = 1\nif true < let x = 2 >\nprint x", output: "1"),
        Case(
            name: "where on fields",
            script: "for d in domains where status=DISABLED and name~\"*.net\" < print d.name >",
            output: "contoso.net\nwingtip.net"),
        Case(
            name: "where with aliases has", script: "for d in m.domains where aliases has \"old.net\" < print d.name >",
            output: "old.com"),
        Case(
            name: "where sees variables", script: "let s = PENDING\nfor d in domains where status=s < print d.name >",
            output: "acme.net"),
        Case(name: "count with where", script: "print count(domains where status=ENABLED)", output: "8"),
        Case(
            name: "def with return value unused",
            script: "def greet who <\n  print \"hi\" who\n  return\n  print \"never\"\n>\ngreet \"ann\"",
            output: "hi ann"),
        Case(
            name: "users of a domain", script: "let d = domain \"got.com\"\nfor u in users of d < print u.email >",
            output: "admin@got.com\ninfo@got.com"),
        Case(
            name: "a user's domain field is not a lookup",
            script: "let u = user \"admin@got.com\"\nprint u.domain u.name m.domain \"old.com\"",
            output: "got.com Admin domain \"old.com\" at m"),
        Case(name: "raw missing is none", script: "let d = domain \"got.com\"\nprint d.raw.anything", output: "none"),
        Case(
            name: "functions", script: "print upper(\"a\") join([1, 2], \"-\") split(\"a,b\", \",\") number(\"4\")",
            output: "A 1-2 [\"a\", \"b\"] 4")
    ]

    @Test(arguments: cases)
    func evaluates(_ c: Case) {
        let r = run(c.script)
        #expect(r.outcome == .ok, "\(r.stderr)")
        #expect(r.stdout == c.output + "\n", "stderr: \(r.stderr)")
    }

    @Test func changesReachTheVendorAndTheVariable() {
        let r = run(
            """
            let d = domain "got.com"
            set d destination="10.0.0.5" failovers=["10.0.0.6"]
            add-alias d "x.net"
            add-alias d "x.net"
            remove-alias d "got.net"
            print d.destination d.failovers d.aliases
            print (domain "got.com").aliases
            disable d
            print d.status
            create-domain "new.com" destination="1.2.3.4"
            create-domain "new.com" destination="1.2.3.4"
            print (domain "new.com").status
            delete-domain "new.com"
            print count(domains where name = "new.com")
            """)
        #expect(r.outcome == .ok, "\(r.stderr)")
        #expect(r.stdout == "10.0.0.5 [\"10.0.0.6\"] [\"x.net\"]\n[\"x.net\"]\nDISABLED\nENABLED\n0\n")
    }

    @Test func conflictingCreateIsAnError() {
        let r = run("create-domain \"got.com\" destination=\"9.9.9.9\"")
        #expect(r.outcome == .failed)
        #expect(
            r.stderr.contains(
                "create-domain domain \"got.com\" at m failed: domain got.com already exists with other values of "
                    + "destination"
            ))
    }

    @Test func runtimeErrorsAreLocated() {
        let r = run("let d = domain \"nope.com\"")
        #expect(r.outcome == .failed)
        #expect(r.stderr.hasPrefix("t.mxsh:2:16: error: no domain 'nope.com' at m"))
    }

    @Test func checkFailureRunsNothing() {
        let r = run("print \"before\"\nadd-alais d \"x\"")
        #expect(r.outcome == .invalid)
        #expect(r.stdout == "")
        #expect(r.stderr.contains("unknown command 'add-alais'"))
        #expect(r.stderr.contains("did you mean 'add-alias'?"))
    }

    @Test func copyBetweenConnectionsIsADelta() {
        let host = BufferHost()
        let session = Session(host: host)
        let script = """
            connect memory as a seed="demo"
            connect memory as b
            copy domains where status=ENABLED from a to b
            copy domains where status=ENABLED from a to b
            print count(b.domains)
            """
        #expect(session.run(script, name: "c") == .ok, "\(host.stderr)")
        #expect(host.stdout == "8\n")
        #expect(host.stderr.contains("copied: 8 created, 0 updated, 0 already the same"))
        #expect(host.stderr.contains("copied: 0 created, 0 updated, 8 already the same"))
    }

    /// `let c = m` makes `c` a name of the connection for the parser too: `c.domain NAME`
    /// is a lookup at it, written either way.
    @Test func lookupThroughAVariableHoldingAConnection() {
        for script in [
            "let c = m\nprint (c.domain(\"got.com\")).name", "let c = m\nprint (c.domain \"got.com\").name",
            "let c = 0\nc = m\nprint (c.domain \"got.com\").name"
        ] {
            let r = run(script)
            #expect(r.stdout == "got.com\n", "\(script): \(r.stderr)")
        }
    }

    @Test func secretsNeverPrint() {
        let host = BufferHost()
        let session = Session(host: host)
        session.interpreter.secrets = SecretStore(directory: "/nonexistent")
        let outcome = session.run("let s = secret(\"nope\")", name: "s")
        #expect(outcome == .failed)
        #expect(host.stderr.contains("no secret named 'nope'"))
        let v = Value.secret(Secret("hunter2"))
        #expect(v.text == "****")
        #expect(render(.list([.record(Record([("p", v)]))]), format: .json).contains("****"))
        #expect(!render(.list([.record(Record([("p", v)]))]), format: .csv).contains("hunter2"))
    }

    @Test func cancellationStopsALoop() {
        let host = BufferHost()
        let session = Session(host: host)
        nonisolated(unsafe) var polls = 0
        session.interpreter.shouldCancel = {
            polls += 1; return polls > 3
        }
        let outcome = session.run("connect memory as m seed=100000\nfor d in domains < let x = 1 >", name: "c")
        #expect(outcome == .interrupted)
    }
}
