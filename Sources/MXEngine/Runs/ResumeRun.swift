import MXModel

/// `mxsh resume [RUN]`: the run's script again, as a run of its own whose parent is
/// the run resumed; what the run (and the runs it resumed) did is skipped, and each
/// change whose answer was lost is read before it is sent again.
public enum ResumeRun {
    /// The request that resumes `target`. `given` is this command's own `--var`, for
    /// the variables the journal kept only by name; `limit` its `--limit`: the run's own
    /// is used, and another refused; for a run journaled before the limit was kept, the
    /// one given (without it, the resume is refused: the limit is unknown, not none).
    public static func request(
        resuming target: Journal.RunSummary, runs: [Journal.RunSummary], journal: Journal, given: [String],
        limit: Int? = nil
    ) throws(RunRefusal) -> RunRequest {
        if target.kind == .apply { throw .appliedPlan(target.id, plan: target.script) }
        guard target.script.hasPrefix("/") else { throw .notAFile(target.id, script: target.script) }
        let copyLimit: Int?
        if let journaled = target.copyLimit.known {
            if let limit, limit != journaled { throw .limitDiffers(target.id, was: journaled, given: limit) }
            copyLimit = journaled
        } else {
            guard let limit else { throw .limitUnknown(target.id, script: target.script) }
            copyLimit = limit
        }
        let text: String
        do { text = try readTextFile(target.script) } catch let e as FileError {
            throw .scriptUnreadable(e.message)
        } catch { throw .scriptUnreadable("cannot read \(target.script): \(error)") }
        guard fingerprint(text) == target.fingerprint else {
            throw .scriptChanged(target.id, script: target.script)
        }
        var request = RunRequest(text: text, name: target.script)
        // What the run did first: a run that cannot be resumed at all is said so before
        // any variable is asked for again.
        request.resume = try point(resuming: target, runs: runs, journal: journal)
        request.variables = try variables(of: target, given: given)
        request.kind = .resume
        request.copyLimit = copyLimit
        return request
    }

    /// What `target` and the runs it resumed did or found already so, and the changes
    /// whose answer they lost.
    static func point(resuming target: Journal.RunSummary, runs: [Journal.RunSummary], journal: Journal)
        throws(RunRefusal) -> ResumePoint
    {
        var done: [String: Int] = [:]
        var unknown: [String: [Int64]] = [:]
        var madeIfThere: [String: String] = [:]
        func changes(of id: String) throws(RunRefusal) -> [Journal.ChangeRecord] {
            do { return try journal.changes(of: id) } catch {
                throw .journalUnreadable(path: journal.path, why: "\(error)")
            }
        }
        // What an undo took back is not done: sent again (read first, so what the undo
        // left as asked is found so). Counted by the inverse's identity, as `UndoRun`
        // counts what an earlier undo did: only what was taken back, not what the undo
        // refused, could not invert (a message released) or never reached.
        var takenBack: [String: [String: Int]] = [:]
        // An undo undone since put back what it took: that is done again.
        let undone = UndoRun.whollyUndone(runs)
        for u in runs where u.kind == .undo && !undone.contains(u.id) {
            guard let parent = u.parent else { continue }
            for c in try changes(of: u.id) where c.state == .done || c.state == .skipped {
                takenBack[parent, default: [:]][c.identity, default: 0] += 1
            }
        }
        var chain: String? = target.id
        while let id = chain {
            for c in try changes(of: id) {
                // What it did there is gone with its process: skipping it as done would
                // report done what no longer exists.
                if c.state == .done || c.state == .sent, Undo.endedWithProcess(c) {
                    throw .endedWithProcess(target.id, connection: c.connection, script: target.script)
                }
                // A resume's own note of what was done before it (or read done): the
                // earlier run's row counts it, once.
                if c.state == .skipped, c.answer?.hasPrefix("done in run ") == true { continue }
                if c.state == .done || c.state == .sent, takenBack[id]?.isEmpty == false,
                    let inverse = Undo.inverse(of: c, vendor: VendorRegistry.named(c.vendor)).change,
                    let n = takenBack[id]?[JournalSink.identity(inverse)], n > 0
                {
                    takenBack[id]?[JournalSink.identity(inverse)] = n - 1
                    continue
                }
                switch c.state {
                case .done, .skipped: done[c.identity, default: 0] += 1
                case .sent:
                    unknown[c.identity, default: []].append(c.rowid)
                    if c.madeIfThere, madeIfThere[c.identity] == nil { madeIfThere[c.identity] = id }
                case .queued, .failed, .refused: break
                }
            }
            let run = runs.first { $0.id == id }
            chain = run?.kind == .resume ? run?.parent : nil
        }
        return ResumePoint(parent: target.id, alreadyDone: done, unknown: unknown, madeIfThere: madeIfThere)
    }

    /// The run's `--var` again: those the journal kept, and those it kept only by name
    /// (they may hold a credential) from `given`.
    static func variables(of target: Journal.RunSummary, given: [String]) throws(RunRefusal) -> [String] {
        func name(_ v: String) -> String { String(v.prefix { $0 != "=" }) }
        let byName = Dictionary(given.map { (name($0), $0) }, uniquingKeysWith: { _, b in b })
        var out: [String] = []
        var missing: [String] = []
        for v in target.variables {
            if let g = byName[name(v)] {
                out.append(g)
            } else if v.contains("=") {
                out.append(v)
            } else {
                missing.append(v)
            }
        }
        guard missing.isEmpty else { throw .variablesWithheld(target.id, names: missing) }
        return out
    }
}

extension Journal.ChangeRecord {
    /// What makes it "the same change" across a run and its resume (`JournalSink.identity`).
    var identity: String {
        JournalSink.identity(connection: connection, kind: kind, key: key, operation: operation, fields: fields)
    }

    /// A create sent when its object was surely absent: the object there now is the
    /// run's (made in part, or made and its answer lost).
    var madeIfThere: Bool {
        guard [Operation.createDomain.rawValue, Operation.createUser.rawValue].contains(operation), beforeKnown
        else { return false }
        return before == nil || before == "null"
    }
}
