import MXLanguage
import MXModel

/// `assert`: what a runbook's test states it expects. Under `mxsh test` a failure is
/// recorded and the script goes on (every failed assertion is reported); anywhere else
/// it is a runtime error, so a runbook can also guard itself.
let testCommands: [CommandDeclaration] = [
    CommandDeclaration(
        "assert", group: .testing, .init([.expression("condition"), .optional([.value("message")])]),
        summary: "fail unless the condition holds (mxsh test reports each failure with its values)",
        details: """
            The condition is a whole expression, operators included. When it does not hold, the \
            failure names the script line and, for a comparison, the values of both sides.
            """,
        examples: [
            "assert count(cm.domains) = 12", "assert d.status = ENABLED \"the domain came back\"",
            "assert (\"x.net\" in d.aliases)"
        ]
    ) { interp, inv in
        guard case .value(let condition) = inv.args[0] else { return }
        if try interp.eval(condition).isTruthy { return }
        var message = "assertion failed"
        if inv.args.count > 1 { message += ": " + (try interp.value(inv.args[1])).text }
        var notes: [Diagnostic.Note] = []
        if case .binary(let op, let l, let r) = condition.kind, op != .and, op != .or {
            let left = try interp.eval(l), right = try interp.eval(r)
            notes.append(.init("left:  \(left.literal)"))
            notes.append(.init("right: \(right.literal)"))
        } else if case .unary(.not, let x) = condition.kind {
            notes.append(.init("value: \(try interp.eval(x).literal)"))
        }
        let failure = Diagnostic(message, at: condition.range, notes: notes)
        if interp.host.assertionFailed(failure) { return }
        throw RuntimeError(message, at: condition.range, notes: notes)
    }
]
