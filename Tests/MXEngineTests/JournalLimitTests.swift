import Foundation
import GRDB
import Testing

@testable import MXEngine

/// A run's `--limit` is journaled so that `resume` moves what the run would have; a run
/// journaled before the limit was kept has it unknown, which resume does not take as none.
struct JournalLimitTests {
    /// A fresh directory holding the script `text` as `name`: the directory and the script's path.
    static func directory(script name: String, _ text: String) throws -> (dir: String, script: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mxsh-limit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let script = dir.appendingPathComponent(name).path
        try text.write(toFile: script, atomically: false, encoding: .utf8)
        return (dir.path, script)
    }

    /// A journal as mxsh wrote it before "v3 copy limit", holding one failed run of `script`.
    static func journalBeforeTheLimit(at path: String, script: String, text: String) throws {
        let older = try DatabaseQueue(path: path)
        let current = try Journal(path: path + ".current")
        try current.migrator.migrate(older, upTo: "v2 change states")
        try older.write { db in
            try db.execute(
                sql: """
                    INSERT INTO run (id, kind, script, fingerprint, variables, parent, started, status, pid)
                    VALUES ('20261101-000000-0000', 'run', ?, ?, '[]', NULL, 1, 'failed', 1)
                    """, arguments: [script, fingerprint(text)])
        }
    }

    @Test func aRunJournaledBeforeTheLimitWasKeptHasItUnknown() throws {
        let text = "connect memory as m seed=\"demo\"\nprint 1\n"
        let (dir, script) = try Self.directory(script: "old.mxsh", text)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.journalBeforeTheLimit(at: dir + "/journal.sqlite", script: script, text: text)

        let journal = try Journal(path: dir + "/journal.sqlite")
        let (target, runs) = try journal.pickForResume(nil)
        #expect(target.copyLimit == .unknown)
        #expect(throws: RunRefusal.limitUnknown(target.id, script: script)) {
            try ResumeRun.request(resuming: target, runs: runs, journal: journal, given: [])
        }
        let given = try ResumeRun.request(resuming: target, runs: runs, journal: journal, given: [], limit: 5)
        #expect(given.copyLimit == 5)
    }

    @Test func aRunsLimitIsResumedAndNoOtherIsTaken() throws {
        let text = "print 1\n"
        let (dir, script) = try Self.directory(script: "new.mxsh", text)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let journal = try Journal(path: dir + "/journal.sqlite")
        for limit in [3, nil] as [Int?] {
            let id = try journal.beginRun(
                kind: .run, script: script, fingerprint: fingerprint(text), variables: [], parent: nil,
                copyLimit: limit)
            try journal.finishRun(id, status: .failed)
            let runs = try journal.runs()
            let target = try #require(runs.first { $0.id == id })
            #expect(target.copyLimit == (limit.map { .limit($0) } ?? .unlimited))
            let request = try ResumeRun.request(resuming: target, runs: runs, journal: journal, given: [])
            #expect(request.copyLimit == limit)
            #expect(throws: RunRefusal.limitDiffers(id, was: limit, given: 7)) {
                try ResumeRun.request(resuming: target, runs: runs, journal: journal, given: [], limit: 7)
            }
        }
    }
}
