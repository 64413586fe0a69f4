import GRDB
import MXHTTP
import MXJSON
import MXModel

#if canImport(Glibc)
    import Glibc
#endif

/// Every applied change, written before it is sent and marked after the answer: what
/// `mxsh runs`, `resume` and `undo` read. One SQLite file per user under
/// `$XDG_STATE_HOME/mxsh/`, private. No secret is ever stored: fields that are
/// secrets are written as a marker, scripts are referred to by path and fingerprint
/// (not copied: a script may hold a literal credential), and connections by their
/// origin (`ConnectionOrigin`: data, sealed, credentials only by source) when savable.
public final class Journal {
    let db: DatabasePool
    public let path: String
    /// The runs whose lock this process holds (`RunLock.swift`): run -> its lock file.
    let heldLocks = Locked([String: Int32]())

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
        // Opening (the switch to a write-ahead log, the migrations, the check) is done by
        // one process at a time: mxsh processes started together (`--profiles`, two
        // terminals) otherwise meet a journal half made and took it for a damaged one.
        let opening = open(path + ".open-lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if opening >= 0 { _ = flock(opening, LOCK_EX) }
        defer { if opening >= 0 { close(opening) } }
        do {
            db = try DatabasePool(path: path, configuration: config)
            try migrator.migrate(db)
            // A journal damaged anywhere is refused whole, before a run adds to it or a
            // resume or undo trusts it: a damaged page may hide changes that were sent.
            let report = try db.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check(5)") }
            if report != ["ok"] { throw JournalError(message: report.joined(separator: "; ")) }
        } catch let e as DatabaseError where [.SQLITE_BUSY, .SQLITE_LOCKED].contains(e.resultCode) {
            // Busy is not damage: another process holds it longer than the wait.
            throw JournalError(
                message: "the journal \(path) is busy (\(e.message ?? "locked")); nothing was sent. Try again")
        } catch {
            let why = (error as? JournalError)?.message ?? (error as? DatabaseError)?.message ?? "\(error)"
            throw JournalError(
                message: "the journal \(path) is damaged (\(why)); nothing was sent. Move it aside "
                    + "(mv \(path) \(path).damaged) to start a new one; its runs can then no longer be resumed or "
                    + "undone"
            )
        }
    }

    /// The `--limit` a run was made with, as the journal knows it.
    public enum CopyLimit: Equatable, Sendable {
        /// No limit: each `copy` moved all it found.
        case unlimited
        /// At most this many objects a `copy`.
        case limit(Int)
        /// The run was journaled before the limit was kept: not known, so never taken as none.
        case unknown

        /// As the column holds it: NULL for none, N, or `Journal.unknownCopyLimitColumn`.
        init(column: Int?) {
            switch column {
            case nil: self = .unlimited
            case Journal.unknownCopyLimitColumn?: self = .unknown
            case let n?: self = .limit(n)
            }
        }

        /// The limit to run with (nil: none) when it is known; nil when it is not.
        public var known: Int?? {
            switch self {
            case .unlimited: return .some(nil)
            case .limit(let n): return .some(n)
            case .unknown: return nil
            }
        }
    }

    /// The `copyLimit` column of a run journaled before the limit was kept (never a limit:
    /// `--limit` is 0 or more). Only the journal's own reading and migration see it.
    static let unknownCopyLimitColumn = -1

    var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.create(table: "run") { t in
                t.primaryKey("id", .text)
                t.column("kind", .text).notNull()  // RunKind
                t.column("script", .text).notNull()  // path, or <-c>
                t.column("fingerprint", .text).notNull()
                t.column("variables", .text).notNull()  // JSON list of name=value
                t.column("parent", .text)  // the run resumed or undone
                t.column("started", .double).notNull()
                t.column("finished", .double)
                t.column("status", .text).notNull()  // RunStatus
                t.column("pid", .integer).notNull()
            }
            try db.create(table: "change") { t in
                t.autoIncrementedPrimaryKey("rowid")
                t.column("run", .text).notNull().indexed().references("run", onDelete: .cascade)
                t.column("seq", .integer).notNull()
                t.column("connection", .text).notNull()
                t.column("vendor", .text).notNull()
                t.column("connect", .text)  // the connection's origin (JSON, no credential), when savable
                t.column("kind", .text).notNull()
                t.column("key", .text).notNull()
                t.column("operation", .text).notNull()
                t.column("fields", .text).notNull()  // JSON, secrets masked
                t.column("before", .text)  // neutral fields, JSON
                t.column("location", .text).notNull()
                t.column("csvRow", .integer)
                t.column("state", .text).notNull()  // ChangeState (v1: pending, unchanged)
                t.column("answer", .text)  // the vendor's answer or error
                t.column("updated", .double).notNull()
            }
        }
        // The states of `ChangeState`: `pending` could not tell queued from sent (it is read
        // as sent, the cautious reading), and `unchanged` is skipped ("already as asked").
        // `beforeKnown` tells an object read as absent (before NULL) from one not read.
        m.registerMigration("v2 change states") { db in
            try db.alter(table: "change") { t in t.add(column: "beforeKnown", .boolean).notNull().defaults(to: false) }
            try db.execute(sql: "UPDATE change SET state = 'sent' WHERE state = 'pending'")
            try db.execute(sql: "UPDATE change SET state = 'skipped' WHERE state = 'unchanged'")
            try db.execute(sql: "UPDATE change SET beforeKnown = (before IS NOT NULL)")
        }
        // `--limit N`, so that `resume` moves what the run would have: a rehearsal resumed
        // stays a rehearsal. NULL: no limit (and, for a run journaled before this, unknown).
        m.registerMigration("v3 copy limit") { db in
            try db.alter(table: "run") { t in t.add(column: "copyLimit", .integer) }
            // Runs journaled before: their limit is unknown, which is not "none".
            try db.execute(sql: "UPDATE run SET copyLimit = ?", arguments: [Self.unknownCopyLimitColumn])
        }
        return m
    }

    // MARK: writing

    public func beginRun(
        kind: RunKind, script: String, fingerprint: String, variables: [String], parent: String?, copyLimit: Int? = nil
    ) throws -> String {
        let id = Self.newRunID()
        // Locked before it is journaled: a run marked running is never seen unlocked.
        guard lock(run: id) else { throw JournalError(message: "cannot lock the new run \(id) in \(lockDirectory)") }
        try db.write { db in
            try db.execute(
                sql: """
                    INSERT INTO run (id, kind, script, fingerprint, variables, parent, started, status, pid, copyLimit)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?)
                    """,
                arguments: [
                    id, kind.rawValue, script, fingerprint, JSON.array(variables.map(JSON.string)).text, parent,
                    wallClock(), Int(getpid()), copyLimit
                ])
        }
        return id
    }

    public func finishRun(_ id: String, status: RunStatus) throws {
        try db.write { db in
            try db.execute(
                sql: "UPDATE run SET status = ?, finished = ? WHERE id = ?",
                arguments: [status.rawValue, wallClock(), id])
        }
        // The run's pages move from the write-ahead log into the journal file, where a
        // damaged page is seen by the check every open makes (a log cut short is not).
        try? db.writeWithoutTransaction { db in try db.checkpoint(.passive) }
        unlock(run: id)
    }

    /// Written (and on disk) before the change can be sent: `queued` unless it is settled
    /// without sending (skipped, refused).
    func record(
        run: String, seq: Int, change: Change, vendor: String, connect: String?, csvRow: Int?,
        state: ChangeState = .queued, answer: String? = nil
    ) throws -> Int64 {
        try db.write { db in
            // Cached: parsed once per run, not once per change.
            try db.cachedStatement(
                sql: """
                    INSERT INTO change (run, seq, connection, vendor, connect, kind, key, operation, fields, before, \
                    beforeKnown,
                                        location, csvRow, state, answer, updated)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                run, seq, change.connection, vendor, connect, change.kindName, change.key,
                change.operation.rawValue, JSON.object(PlanFile.fieldsJSON(change.fields)).text,
                change.before.map { PlanFile.neutralJSON($0, vendor: VendorRegistry.named(vendor)).text },
                change.before != nil,
                change.location.description, csvRow, state.rawValue, answer, wallClock()
            ])
            return db.lastInsertedRowID
        }
    }

    /// The request is about to leave: from now on its answer can be lost. `before` is the
    /// object as read just before (nil and known: absent), when it was read.
    func markSent(_ rowid: Int64, before: ObjectRef.Object?, known: Bool, vendor: Vendor? = nil) throws {
        try db.write { db in
            if known {
                try db.cachedStatement(
                    sql: "UPDATE change SET state = 'sent', before = ?, beforeKnown = 1, updated = ? WHERE rowid = ?"
                )
                .execute(arguments: [before.map { PlanFile.neutralJSON($0, vendor: vendor).text }, wallClock(), rowid])
            } else {
                try db.cachedStatement(sql: "UPDATE change SET state = 'sent', updated = ? WHERE rowid = ?")
                    .execute(arguments: [wallClock(), rowid])
            }
        }
    }

    func mark(_ rowid: Int64, state: ChangeState, answer: String?) throws {
        try db.write { db in
            try db.cachedStatement(sql: "UPDATE change SET state = ?, answer = ?, updated = ? WHERE rowid = ?")
                .execute(arguments: [state.rawValue, answer, wallClock(), rowid])
        }
    }

    // MARK: reading

    public struct RunSummary {
        public var id, script, fingerprint: String
        public var kind: RunKind
        public var status: RunStatus
        public var parent: String?
        public var variables: [String]
        /// `--limit N` of the run: the most objects one `copy` moved.
        public var copyLimit: CopyLimit = .unlimited
        public var started: Double
        public var finished: Double?
        /// How many of the run's changes are in each state.
        public var counts: [ChangeState: Int]
        public func count(_ state: ChangeState) -> Int { counts[state] ?? 0 }
        public var done: Int { count(.done) }
        public var failed: Int { count(.failed) }
    }

    public struct ChangeRecord {
        public var rowid: Int64 = 0
        public var seq: Int
        public var connection, vendor, kind, key, operation, fields, location: String
        public var state: ChangeState
        public var connect, before, answer: String?
        /// The before-state was read (a NULL `before` is then "absent"), not just unknown.
        public var beforeKnown = true
        public var csvRow: Int?

        /// The fields as `runs show` prints them: `key=value`, a credential as
        /// `password=set (****)` (the journal never held its value).
        public var fieldsText: String {
            guard let object = (try? JSON.parse(Array(fields.utf8)))?.object else { return fields }
            return object.pairs.map { (k: String, v: JSON) -> String in
                if v["secret"] != nil { return "\(k)=\(Change.credentialMark)" }
                return "\(k)=\(v.text)"
            }.joined(separator: " ")
        }
    }

    /// Newest first. A run still marked running whose lock nobody holds was interrupted.
    public func runs() throws -> [RunSummary] {
        try db.read { db in
            var counts: [String: [ChangeState: Int]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT run, state, count(*) AS n FROM change GROUP BY run, state") {
                guard let state = ChangeState(rawValue: row["state"]) else { continue }
                counts[row["run"], default: [:]][state] = row["n"]
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM run ORDER BY started DESC, rowid DESC").map { row in
                var status = RunStatus(rawValue: row["status"]) ?? .failed
                let pid: Int = row["pid"]
                let id: String = row["id"]
                if status == .running, !(isLocked(id) ?? (kill(pid_t(pid), 0) == 0)) { status = .interrupted }
                let variables =
                    (try? JSON.parse(Array((row["variables"] as String).utf8)))?.array?.compactMap(\.string) ?? []
                return RunSummary(
                    id: id, script: row["script"], fingerprint: row["fingerprint"],
                    kind: RunKind(rawValue: row["kind"]) ?? .run, status: status, parent: row["parent"],
                    variables: variables, copyLimit: CopyLimit(column: row["copyLimit"]), started: row["started"],
                    finished: row["finished"],
                    counts: counts[id] ?? [:])
            }
        }
    }

    public func run(_ id: String) throws -> RunSummary? { try runs().first { $0.id == id } }

    public func changes(of run: String) throws -> [ChangeRecord] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT rowid, * FROM change WHERE run = ? ORDER BY seq", arguments: [run]).map {
                row in
                ChangeRecord(
                    rowid: row["rowid"], seq: row["seq"], connection: row["connection"], vendor: row["vendor"],
                    kind: row["kind"], key: row["key"], operation: row["operation"], fields: row["fields"],
                    location: row["location"], state: ChangeState(rawValue: row["state"]) ?? .sent,
                    connect: row["connect"], before: row["before"], answer: row["answer"],
                    beforeKnown: row["beforeKnown"], csvRow: row["csvRow"])
            }
        }
    }

    /// Settles a change of an earlier run whose answer was lost, once a later run has read
    /// what became of it.
    public func settle(_ rowid: Int64, state: ChangeState, answer: String) throws {
        try mark(rowid, state: state, answer: answer)
    }

    static func newRunID() -> String {
        var t = time(nil)
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let stamp =
            "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))-\(two(parts.tm_hour))"
            + "\(two(parts.tm_min))\(two(parts.tm_sec))"
        let suffix = String(UInt16.random(in: 0...UInt16.max), radix: 16)
        return stamp + "-" + String(repeating: "0", count: 4 - suffix.count) + suffix
    }
}

/// The journal cannot be used: its message names the file and what is wrong.
public struct JournalError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
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
