import MXEngine
import MXLanguage
import Testing

/// The static check: named cases with the message each must produce.
struct CheckerTests {
    func diagnostics(_ text: String) -> [String] {
        let session = Session(host: BufferHost())
        return session.diagnose(text, name: "c.mxsh").1.map {
            ([$0.message] + $0.notes.map(\.message)).joined(separator: " | ")
        }
    }

    @Test(arguments: [
        ("connect memory as m\nadd-alais d \"x\"", "unknown command 'add-alais' | did you mean 'add-alias'?"),
        (
            "connect memory as m\nlet d = domain \"x\"\nprint d.nmae",
            "unknown domain field 'nmae' | did you mean 'name'?"
        ),
        (
            "connect memory as m\nfor d in domains where stauts=ENABLED < >",
            "unknown field or variable 'stauts' | did you mean 'status'?"
        ),
        ("connect memory as m\nlist domains where status=ENABLD", "unknown status 'ENABLD' | did you mean 'ENABLED'?"),
        ("connect memroy as m", "unknown vendor 'memroy' | did you mean 'memory'?"),
        ("connect memory as m\nuse n", "unknown connection 'n'"),
        ("connect cleanmail as cm url=\"u\" tokn=\"t\"", "unknown option 'tokn' for cleanmail | did you mean 'token'?"),
        (
            "connect proofpoint as pp org=\"o\"\nlet d = domain \"a.com\"\nadd-alias d \"x.net\"",
            "proofpoint cannot add-alias (connection pp)"
        ),
        (
            "connect proofpoint as pp org=\"o\"\nlet d = domain \"a.com\"\nset d language=\"fr\"",
            "proofpoint has no domain field 'language' to write (connection pp)"
        ),
        ("connect sandbox\nuse ad\ncreate-domain \"a.com\"", "ad360 cannot create-domain (connection ad)"),
        ("connect memory as m\nlet d = domain \"a.com\"\nset d created=\"x\"", "domain field 'created' is read-only"),
        ("connect memory as m\nretire \"x\"\ndef retire n < >", "'retire' is used before its def (at line 3)"),
        ("def f a b < >\nf 1", "'f' takes 2 argument(s), given 1"),
        ("print nope", "unknown variable 'nope'"),
        ("return 1", "'return' outside a def"),
        ("print lowr(\"A\")", "unknown function 'lowr' | did you mean 'lower'?"),
        ("help add-alais", "unknown help topic 'add-alais' | did you mean 'add-alias'?"),
        ("list domains", "'domains' needs a connection, and there is none yet"),
        (
            "connect memory as m\nlet d = domain \"a.com\"\nd.name = \"b.com\"",
            "'=' here compares, it does not change 'name' | to change a field: set d name=..."
        ),
        ("connect memory as m\nlet d = domain \"a.com\"\nset d", "'set' needs at least one field=value")
    ])
    func reports(_ pair: (String, String)) {
        let found = diagnostics(pair.0)
        #expect(found.contains { $0.hasPrefix(pair.1) }, "got: \(found)")
    }

    @Test func cleanScriptHasNoDiagnostics() {
        let script = """
            connect memory as m seed="demo"
            for d in domains where status=ENABLED < add-alias d "x.net" >
            def retire name <
              let d = domain name
              disable d
            >
            retire "old.com"
            """
        #expect(diagnostics(script).isEmpty)
    }
}
