#if canImport(Glibc)
import Glibc
#endif
import GRDB
import MXJSON
import MXModel

/// Every applied change, written before it is sent and marked after the answer: what
/// `mxsh runs`, `resume` and `undo` read. One SQLite file per user under
/// `$XDG_STATE_HOME/mxsh/`, private. No secret is ever stored: fields that are
/// secrets are written as a marker, scripts are referred to by path and fingerprint
/// (not copied: a script may hold a literal credential), and connections by their
/// origin (`ConnectionOrigin`: data, sealed, credentials only by source) when savable.
public final class Journal {
    let db: DatabasePool
    public let path: String

    public static var defaultPath: String {
        xdgDirectory("XDG_STATE_HOME", default: ".local/state") + "/mxsh/journal.sqlite"
    }

    public init(path: String = Journal.defaultPath) throws {
        self.path = path
        if let slash = path.lastIndex(of: "/") { makeDirectories(String(path[..<slash])) }
        // Created private before SQLite opens it (and its -wal/-shm files follow its mode).
        let fd = open(path, O_RDWR | O_CREAT, 0o600)
        if fd >= 0 { close(fd) }
        var config = Configuration()
        config.busyMode = .timeout(10)
        // A pool is a write-ahead log: a commit is an append, and with synchronous=NORMAL
        // it is not an fsync. A killed mxsh loses nothing committed (the log survives the
        // process); only a power cut may lose the last commits, and then resume reads the
        // objects whose changes look unsent or unanswered.
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        db = try DatabasePool(path: path, configuration: config)
        try migrator.migrate(db)
    }

    var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.create(table: "run") { t in
                t.primaryKey("id", .text)
                t.column("kind", .text).notNull()          // run, resume, undo
                t.column("script", .text).notNull()        // path, or <-c>
                t.column("fingerprint", .text).notNull()
                t.column("variables", .text).notNull()     // JSON list of name=value
                t.column("parent", .text)                  // the run resumed or undone
                t.column("started", .double).notNull()
                t.column("finished", .double)
                t.column("status", .text).notNull()        // running, done, failed, interrupted
                t.column("pid", .integer).notNull()
            }
            try db.create(table: "change") { t in
                t.autoIncrementedPrimaryKey("rowid")
                t.column("run", .text).notNull().indexed().references("run", onDelete: .cascade)
                t.column("seq", .integer).notNull()
                t.column("connection", .text).notNull()
                t.column("vendor", .text).notNull()
                t.column("connect", .text)                 // the connection's origin (JSON, no credential), when savable
                t.column("kind", .text).notNull()
                t.column("key", .text).notNull()
                t.column("operation", .text).notNull()
                t.column("fields", .text).notNull()        // JSON, secrets masked
                t.column("before", .text)                  // neutral fields, JSON
                t.column("location", .text).notNull()
                t.column("csvRow", .integer)
                t.column("state", .text).notNull()         // pending, done, unchanged, failed, skipped
                t.column("answer", .text)                  // the vendor's answer or error
                t.column("updated", .double).notNull()
            }
        }
        return m
    }

    // MARK: writing

    public func beginRun(kind: String, script: String, fingerprint: String, variables: [String], parent: String?) throws -> String {
        let id = Self.newRunID()
        try db.write { db in
            try db.execute(sql: """
                INSERT INTO run (id, kind, script, fingerprint, variables, parent, started, status, pid)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?)
                """, arguments: [id, kind, script, fingerprint, JSON.array(variables.map(JSON.string)).text, parent, wallClock(), Int(getpid())])
        }
        return id
    }

    public func finishRun(_ id: String, status: String) throws {
        try db.write { db in
            try db.execute(sql: "UPDATE run SET status = ?, finished = ? WHERE id = ?", arguments: [status, wallClock(), id])
        }
    }

    /// Written (and on disk) before the change is sent.
    func record(run: String, seq: Int, change: Change, vendor: String, connect: String?, csvRow: Int?, state: String = "pending",
                answer: String? = nil) throws -> Int64 {
        try db.write { db in
            // Cached: parsed once per run, not once per change.
            try db.cachedStatement(sql: """
                INSERT INTO change (run, seq, connection, vendor, connect, kind, key, operation, fields, before, location, csvRow, state, answer, updated)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [run, seq, change.connection, vendor, connect, change.kindName, change.key, change.operation.rawValue,
                                 JSON.object(PlanFile.fieldsJSON(change.fields)).text, change.before.map { PlanFile.neutralJSON($0).text },
                                 change.location.description, csvRow, state, answer, wallClock()])
            return db.lastInsertedRowID
        }
    }

    func mark(_ rowid: Int64, state: String, answer: String?) throws {
        try db.write { db in
            try db.cachedStatement(sql: "UPDATE change SET state = ?, answer = ?, updated = ? WHERE rowid = ?")
                .execute(arguments: [state, answer, wallClock(), rowid])
        }
    }

    // MARK: reading

    public struct RunSummary {
        public var id, kind, script, fingerprint, status: String
        public var parent: String?
        public var variables: [String]
        public var started: Double
        public var finished: Double?
        public var done, failed, pending, unchanged: Int
    }

    public struct ChangeRecord {
        public var seq: Int
        public var connection, vendor, kind, key, operation, fields, location, state: String
        public var connect, before, answer: String?
        public var csvRow: Int?
    }

    /// Newest first. A run still marked running whose process is gone was interrupted.
    public func runs() throws -> [RunSummary] {
        try db.read { db in
            try Row.fetchAll(db, sql: """
                SELECT run.*,
                  (SELECT count(*) FROM change WHERE change.run = run.id AND state = 'done') AS done,
                  (SELECT count(*) FROM change WHERE change.run = run.id AND state = 'failed') AS failed,
                  (SELECT count(*) FROM change WHERE change.run = run.id AND state = 'pending') AS pending,
                  (SELECT count(*) FROM change WHERE change.run = run.id AND state IN ('unchanged', 'skipped')) AS unchanged
                FROM run ORDER BY started DESC, rowid DESC
                """).map { row in
                var status: String = row["status"]
                let pid: Int = row["pid"]
                if status == "running", kill(pid_t(pid), 0) != 0 { status = "interrupted" }
                let variables = (try? JSON.parse(Array((row["variables"] as String).utf8)))?.array?.compactMap(\.string) ?? []
                return RunSummary(id: row["id"], kind: row["kind"], script: row["script"], fingerprint: row["fingerprint"], status: status,
                                  parent: row["parent"], variables: variables, started: row["started"], finished: row["finished"],
                                  done: row["done"], failed: row["failed"], pending: row["pending"], unchanged: row["unchanged"])
            }
        }
    }

    public func run(_ id: String) throws -> RunSummary? { try runs().first { $0.id == id } }

    public func changes(of run: String) throws -> [ChangeRecord] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM change WHERE run = ? ORDER BY seq", arguments: [run]).map { row in
                ChangeRecord(seq: row["seq"], connection: row["connection"], vendor: row["vendor"], kind: row["kind"], key: row["key"],
                             operation: row["operation"], fields: row["fields"], location: row["location"], state: row["state"],
                             connect: row["connect"], before: row["before"], answer: row["answer"], csvRow: row["csvRow"])
            }
        }
    }

    static func newRunID() -> String {
        var t = time(nil)
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let stamp = "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))-\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))"
        let suffix = String(UInt16.random(in: 0...UInt16.max), radix: 16)
        return stamp + "-" + String(repeating: "0", count: 4 - suffix.count) + suffix
    }
}

/// Seconds since 1970, for the journal's timestamps.
func wallClock() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// FNV-1a of a script's text: resume refuses a script that changed since its run.
public func fingerprint(_ text: String) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in text.utf8 {
        h ^= UInt64(b)
        h = h &* 0x100_0000_01b3
    }
    return String(h, radix: 16)
}
