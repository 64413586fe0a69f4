import MXLanguage
import Testing

@testable import MXEngine

/// Scripts `check` used to pass and `run` refused or ran wrongly, found by a bug hunt
/// (29 November 2026): a lookup or a create with nothing connected, and a def whose name
/// is also something else's.
struct CheckerDefAndConnectionTests {
    func checkMessages(_ text: String) -> [String] {
        let source = Source(name: "gap.mxsh", text: text)
        let (program, parsed) = parse(source, commands: CommandTable.standard, connections: [])
        #expect(parsed.isEmpty, "\(parsed.first?.message ?? "")")
        return check(program).map(\.message)
    }

    /// The checker reads `f(...)` as a built-in function before asking whether `f` is a
    /// command, a lookup or `call`: right only while no command or lookup takes a
    /// function's name (a def cannot: checkDefName).
    @Test func noCommandOrLookupIsNamedAsABuiltInFunction() {
        let functions = Set(builtinFunctions.map(\.name))
        #expect(functions.isDisjoint(with: CommandTable.standard.names))
        #expect(functions.isDisjoint(with: LookupKind.allCases.map(\.rawValue) + ["call"]))
    }

    /// `run` stops at once with "no connection yet" (exit 1), as it does for `domains`.
    @Test(arguments: [
        ("print (domain \"got.com\")", "'domain ...' needs a connection, and there is none yet"),
        ("print (user \"a@got.com\")", "'user ...' needs a connection, and there is none yet"),
        ("print domain(\"got.com\")", "'domain(...)' needs a connection, and there is none yet"),
        ("create-domain \"x.com\"", "'create-domain' needs a connection, and there is none yet"),
        ("create-user \"a@x.com\"", "'create-user' needs a connection, and there is none yet"),
        ("show domain \"x.com\"", "'domain ...' needs a connection, and there is none yet")
    ])
    func aLookupOrCreateWithNoConnectionIsAnError(_ line: String, _ message: String) {
        #expect(checkMessages(line + "\n") == [message])
    }

    /// A def may be written before the `connect` it needs: it is judged where it is called.
    @Test func aDefNeedingAConnectionIsJudgedWhereItIsCalled() {
        let defs = "def f < print count(domains) >\ndef g < f >\n"
        #expect(checkMessages(defs + "connect memory as m seed=\"demo\"\ng\n").isEmpty)
        #expect(
            checkMessages(defs + "g\n") == ["'g' needs a connection (for line 1), and there is none yet"])
        #expect(checkMessages("create-domain \"x.com\" at=m\n").allSatisfy { !$0.contains("needs a connection") })
    }

    /// A def calling a def further down that needs a connection needs one too.
    @Test func aDefCallingALaterDefThatNeedsAConnectionNeedsOne() {
        #expect(
            checkMessages("def a < b >\ndef b < print count(domains) >\na\n")
                == ["'a' needs a connection (for line 2), and there is none yet"])
        #expect(checkMessages("def a < b >\ndef b < a >\na\n").isEmpty, "calls in a circle end")
    }

    /// A vendor's own command that creates (at the default connection) needs one.
    @Test func aVendorCreateWithNoConnectionIsAnError() {
        #expect(
            checkMessages("create-group \"team@x.com\"\n").contains { $0.contains("'create-group' needs a connection") }
        )
    }

    /// A def's parameter named as a def: a bare name runs the def.
    @Test func aParameterNamedAsADefIsAnError() {
        #expect(
            checkMessages("def f < print \"def\" >\ndef g f < f >\ng 1\n")
                == ["'f' is a def; as a parameter of 'g', a bare 'f' would run the def, not read the parameter"])
    }

    /// `def count x < return 5 >` was accepted, and `count([1])` still called the built-in.
    @Test(arguments: ["count", "number", "lower", "env", "secret", "csv"])
    func aDefNamedAsABuiltInFunctionIsRefused(_ name: String) {
        #expect(
            checkMessages("def \(name) x < return 5 >\n")
                == ["'\(name)' is a built-in function; a def of that name would never be called"])
    }

    @Test func aDefNamedAsALookupIsRefused() {
        #expect(
            checkMessages("def domain x < return 5 >\n")
                == ["'domain' is the lookup of a domain; a def of that name would never be called"])
    }

    /// A def inside a def replaced a top-level one when the outer def ran, and one inside
    /// a block saw variables at check that it did not see at run: a def is top-level only.
    @Test func aDefIsWrittenAtTheTopLevel() {
        let nested = "'g' is defined inside a block; a def is written at the top level of the script"
        #expect(checkMessages("def g < print \"g\" >\ndef h < def g < print \"g2\" > >\nh\ng\n") == [nested])
        // A top-level def given twice is said once.
        #expect(
            checkMessages("def f < print 1 >\ndef f < print 2 >\n").filter { $0.contains("defined") }.count == 1)
        // Inside an if block too, whichever comes first.
        #expect(checkMessages("if true < def g < print 1 > >\ndef g < print 2 >\n") == [nested])
    }

    /// A bare name that is a def and a variable ran the def: whichever comes second is refused.
    @Test func aNameThatIsADefAndAVariableIsAnError() {
        #expect(
            checkMessages("def f < print \"def\" >\nlet f = 1\nf\n")
                == ["'f' is a def; a bare 'f' would run it, not read this variable"])
        #expect(
            checkMessages("let f = 1\ndef f < print \"def\" >\nf\n")
                == ["'f' is a variable here; a bare 'f' would run the def, not read it"])
        #expect(
            checkMessages("def f < print \"def\" >\nfor f in [1] < print f >\n")
                == ["'f' is a def; a bare 'f' would run it, not read this variable"])
    }
}
