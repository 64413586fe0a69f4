import MXModel

/// `mxsh resume [RUN]`: the run's script again, as a run of its own whose parent is
/// the run resumed; what the run (and the runs it resumed) did is skipped, and each
/// change whose answer was lost is read before it is sent again.
public enum ResumeRun {
    /// The request that resumes `target`. `given` is this command's own `--var`, for
    /// the variables the journal kept only by name.
    public static func request(
        resuming target: Journal.RunSummary, runs: [Journal.RunSummary], journal: Journal, given: [String]
    ) throws(RunRefusal) -> RunRequest {
        if target.kind == .apply { throw .appliedPlan(target.id, plan: target.script) }
        guard target.script.hasPrefix("/") else { throw .notAFile(target.id, script: target.script) }
        let text: String
        do { text = try readTextFile(target.script) } catch let e as FileError {
            throw .scriptUnreadable(e.message)
        } catch { throw .scriptUnreadable("cannot read \(target.script): \(error)") }
        guard fingerprint(text) == target.fingerprint else {
            throw .scriptChanged(target.id, script: target.script)
        }
        var request = RunRequest(text: text, name: target.script)
        request.variables = try variables(of: target, given: given)
        request.kind = .resume
        request.resume = try point(resuming: target, runs: runs, journal: journal)
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
        // What an undo took back is not done: its changes are sent again (read first, so
        // those the undo left as asked are found so). Before, they were skipped as "done
        // before" and the resume ended as if all were done.
        let undone = Set(runs.filter { $0.kind == .undo }.compactMap(\.parent))
        var chain: String? = target.id
        while let id = chain {
            let changes: [Journal.ChangeRecord]
            do { changes = undone.contains(id) ? [] : try journal.changes(of: id) } catch {
                throw .journalUnreadable(path: journal.path, why: "\(error)")
            }
            for c in changes {
                let identity = JournalSink.identity(
                    connection: c.connection, kind: c.kind, key: c.key, operation: c.operation, fields: c.fields)
                switch c.state {
                case .done, .skipped: done[identity, default: 0] += 1
                case .sent:
                    unknown[identity, default: []].append(c.rowid)
                    if c.madeIfThere, madeIfThere[identity] == nil { madeIfThere[identity] = id }
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
    /// A create sent when its object was surely absent: the object there now is the
    /// run's (made in part, or made and its answer lost).
    var madeIfThere: Bool {
        guard [Operation.createDomain.rawValue, Operation.createUser.rawValue].contains(operation), beforeKnown
        else { return false }
        return before == nil || before == "null"
    }
}
