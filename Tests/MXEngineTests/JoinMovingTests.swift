import Testing

@testable import MXEngine
@testable import MXLanguage

/// `joinMoving` moves a long script's statements out of the batches the checker was
/// given, and writes a `break`'s bytes where each was: the batches must then hold
/// `break`s, which the arrays destroy as they would any statement, and the joined
/// statements must be the ones parsed, in order.
struct JoinMovingTests {
    @Test func theStatementsComeOutInOrderAndTheBatchesHoldBreaks() {
        let text = (0..<50).map { "print \"a fairly long text that is no small string \($0)\" x\($0)" }
            .joined(separator: "\n")
        let (program, diagnostics) = parse(Source(name: "t", text: text))
        #expect(diagnostics.isEmpty)
        let expected = program.statements.map { dump($0, program.source, indent: 0) }
        var batches = stride(from: 0, to: 50, by: 7).map { Array(program.statements[$0..<min($0 + 7, 50)]) }
        batches.append([])
        let joined = joinMoving(&batches)
        #expect(joined.map { dump($0, program.source, indent: 0) } == expected)
        for batch in batches {
            for s in batch {
                guard case .break = s.kind else { Issue.record("a batch holds \(s.kind)"); continue }
            }
        }
        // Dropped here: the batches' breaks and the joined statements are destroyed once each.
        batches = []
        #expect(joined.count == 50)
    }
}
