import MXEngine
import Testing

/// The memory vendor applies a `where` clause's top conjuncts on `name` and `status`
/// itself (`DomainQuery.mayMatch`), as a server applies its filters. What a loop sees
/// must be exactly what the interpreter's own test of the clause lets through.
struct PushedDownFilterTests {
    /// `(x or false)` is never pushed down: the same clause, tested by the interpreter alone.
    @Test(arguments: [
        ("status=ENABLED and name~\"*.NET\"", "(status=ENABLED or false) and (name~\"*.NET\" or false)"),
        ("name~\"d00000[1-3]?.*\"", "(name~\"d00000[1-3]?.*\" or false)"),
        ("name=\"d0000007.io\"", "(name=\"d0000007.io\" or false)"),
        ("status=DISABLED and count(aliases) = 0", "(status=DISABLED or false) and count(aliases) = 0"),
        (
            "status=ENABLED and name~\"*.org\" and not (name~\"*9.org\")",
            "(status=ENABLED or false) and "
                + "(name~\"*.org\" or false) and not (name~\"*9.org\")"
        )
    ])
    func aPushedDownClauseSelectsWhatTheInterpreterSelects(pushed: String, alone: String) {
        let script = """
            let a = []
            for d in m.domains where \(pushed) < a = a + [d.name] >
            let b = []
            for d in m.domains where \(alone) < b = b + [d.name] >
            print count(a) (a = b)
            """
        let r = run(script, seed: "1000")
        #expect(r.stderr == "")
        let printed = r.stdout.split(separator: " ")
        #expect(printed.last == "true\n", "\(r.stdout)")
        #expect(printed.first != "0", "the clause selects something")
    }
}
