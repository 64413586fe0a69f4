import Foundation
import MXModel
import Testing

@testable import MXEngine

/// Resume identity: a change the resumed run makes again is the same change as the one
/// the journal holds (same connection, kind, key without regard to case, operation and
/// fields), so what was done is skipped and what was not is sent; a change that differs
/// in anything else is another change.
struct ResumeIdentityTests {
    static func change(_ key: String, _ fields: [(String, Value)], operation: MXModel.Operation = .updateDomain)
        -> Change
    {
        Change(
            connection: "cm", kind: .domain, key: key, operation: operation, fields: Record(fields), before: nil,
            location: ScriptLocation(file: "t.mxsh", line: 3, column: 1))
    }

    /// A change to a domain's destination (and relay), as a script makes it.
    static func made(
        key: String = "Got.com", destination: String = "10.0.0.5", relay: Bool = true,
        operation: MXModel.Operation = .updateDomain
    ) -> Change {
        change(
            key, [("destination", Value.string(destination))] + (relay ? [("relay", Value.bool(true))] : []),
            operation: operation)
    }

    struct Again: Sendable, CustomTestStringConvertible {
        let testDescription: String
        var key = "Got.com", destination = "10.0.0.5", relay = true, create = false
        let same: Bool
    }

    @Test(arguments: [
        Again(testDescription: "the key in another case", key: "got.COM", same: true),
        Again(testDescription: "the same fields", same: true),
        Again(testDescription: "another value", destination: "10.0.0.6", same: false),
        Again(testDescription: "a field fewer", relay: false, same: false),
        Again(testDescription: "another object", key: "got.net", same: false),
        Again(testDescription: "another operation", create: true, same: false)
    ])
    func aChangeMadeAgainIsTheSameChange(_ a: Again) {
        let again = Self.made(
            key: a.key, destination: a.destination, relay: a.relay, operation: a.create ? .createDomain : .updateDomain)
        #expect((JournalSink.identity(again) == JournalSink.identity(Self.made())) == a.same)
    }

    /// The identity of a journaled row is the identity of the change it was made from.
    @Test func aJournaledRowKeepsItsChangesIdentity() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mxsh-identity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let journal = try Journal(path: dir.appendingPathComponent("journal.sqlite").path)
        let run = try journal.beginRun(kind: .run, script: "/t.mxsh", fingerprint: "f", variables: [], parent: nil)
        _ = try journal.record(run: run, seq: 1, change: Self.made(), vendor: "cleanmail", connect: nil, csvRow: nil)
        let row = try #require(try journal.changes(of: run).first)
        let journaled = JournalSink.identity(
            connection: row.connection, kind: row.kind, key: row.key, operation: row.operation, fields: row.fields)
        #expect(journaled == JournalSink.identity(Self.made()))
    }
}
