/// Why `resume` or `undo` will not work on a run, as data; `message` is its one text.
public enum RunRefusal: Error, Equatable {
    case noSuchRun(String)
    case nothingToResume, nothingToUndo
    /// Executing, resumed or undone by another process now (it holds the run's lock).
    case busy(String, undo: Bool)
    case journalUnreadable(path: String, why: String)
    /// Resume: the run applied a plan (apply it again instead).
    case appliedPlan(String, plan: String)
    /// Resume: the run came from `-c` or piped input, which cannot be read again.
    case notAFile(String, script: String)
    case scriptUnreadable(String)
    case scriptChanged(String, script: String)
    /// Resume: `--var` names the journal kept without their value (they may reach a credential).
    case variablesWithheld(String, names: [String])
    /// Resume: `--limit` other than the run's own (a rehearsal resumed stays a rehearsal).
    case limitDiffers(String, was: Int?, given: Int)
    /// Resume: the run was journaled before its `--limit` was kept, and none was given.
    case limitUnknown(String, script: String)
    /// Resume: the run changed objects of a connection whose objects ended with its
    /// process (the memory vendor, `connect sandbox`); what it did is gone.
    case endedWithProcess(String, connection: String, script: String)
    /// Resume of a run a later resume took up: what that one did is not this run's to
    /// know, so its chain goes on from its newest resume (or is finished).
    case takenUp(String, by: String, finished: Bool)

    public var message: String {
        switch self {
        case .noSuchRun(let id): return "no run '\(id)' in the journal; 'mxsh runs' lists them"
        case .nothingToResume: return "no unfinished run to resume"
        case .nothingToUndo: return "no run to undo"
        case .busy(let id, let undo):
            return "run \(id) is executing in another process (or being resumed or undone there); "
                + "it cannot \(undo ? "be undone" : "be resumed") now. Wait for it, or stop it with Ctrl-C"
        case .journalUnreadable(let path, let why): return "cannot read the journal \(path): \(why)"
        case .appliedPlan(let id, let plan):
            return "run \(id) applied the plan \(plan): apply it again (mxsh apply \(plan)); "
                + "objects already as planned are left as they are"
        case .notAFile(let id, let script):
            return "run \(id) came from \(script), not a file; only script files can be resumed"
        case .scriptUnreadable(let why): return why
        case .scriptChanged(let id, let script):
            return "\(script) changed since run \(id); resuming would not be the same run. "
                + "Run it again instead: mxsh run \(script)"
        case .variablesWithheld(let id, let names):
            return "run \(id) was given --var \(names.joined(separator: ", ")), whose value may reach a "
                + "credential, so the journal kept only the name; give it again: mxsh resume \(id) "
                + names.map { "--var \($0)=..." }.joined(separator: " ")
        case .limitDiffers(let id, let was, let given):
            return "run \(id) was run \(was.map { "with --limit \($0)" } ?? "without --limit"); resume takes it up "
                + "as it was run, not with --limit \(given). To move more, run the script again with the limit you want"
        case .limitUnknown(let id, let script):
            return "run \(id) was journaled before mxsh kept --limit, so whether it was a rehearsal is unknown: "
                + "give the limit it was run with (mxsh resume \(id) --limit N), or run the script again "
                + "(mxsh run \(script)): what is already as asked is not sent"
        case .takenUp(let id, let by, let finished):
            return finished
                ? "run \(id) was finished by its resume \(by): nothing is left to resume (mxsh runs show \(by))"
                : "run \(id) was taken up by its resume \(by): resume that one, which goes on from what both did "
                    + "(mxsh resume \(by))"
        case .endedWithProcess(let id, let connection, let script):
            return "run \(id) changed objects at \(connection), whose objects ended with the process that ran it: "
                + "what it did there is gone, so it cannot be resumed. Run it again instead: mxsh run \(script)"
        }
    }

    /// 1 when the journal cannot be read; 2 for a run that cannot be taken up.
    public var exitStatus: Int32 {
        if case .journalUnreadable = self { return 1 }
        return 2
    }
}

extension Journal {
    /// The journal's runs, newest first; a damaged journal is an error, never "no run".
    public func readRuns() throws(RunRefusal) -> [RunSummary] {
        do { return try runs() } catch { throw .journalUnreadable(path: path, why: "\(error)") }
    }

    /// The run `resume` takes up: `id`, or the newest unfinished run that is not an undo
    /// or a shell session, not resumed to the end already, and not undone. Its lock is
    /// taken (held until the process ends).
    public func pickForResume(_ id: String?) throws(RunRefusal) -> (target: RunSummary, runs: [RunSummary]) {
        let runs = try readRuns()
        let byID = Dictionary(runs.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // A run an undo took back is not unfinished work; nor is one a chain of resumes
        // finished (A, its resume B interrupted, B's resume C done: B and A both).
        var settled = Set(runs.filter { $0.kind == .undo && $0.status == .done }.compactMap(\.parent))
        for r in runs where r.kind == .resume && r.status == .done {
            var parent = r.parent
            while let p = parent, settled.insert(p).inserted {
                parent = byID[p].flatMap { $0.kind == .resume ? $0.parent : nil }
            }
        }
        if let id, byID[id] != nil, let newest = Self.newestResume(of: id, in: runs) {
            // Resuming it again would not see what its resumes did, and send it twice.
            throw .takenUp(id, by: newest.id, finished: settled.contains(id))
        }
        let target =
            id.map { id in runs.first { $0.id == id } }
            ?? runs.first {
                ![.done, .running].contains($0.status) && ![.undo, .repl].contains($0.kind) && !settled.contains($0.id)
            }
        guard let target else { throw id.map(RunRefusal.noSuchRun) ?? .nothingToResume }
        try hold(target, undo: false)
        return (target, runs)
    }

    /// The newest run of the chain of resumes that took up `id` (runs are newest first).
    static func newestResume(of id: String, in runs: [RunSummary]) -> RunSummary? {
        var chain: Set<String> = [id]
        var newest: RunSummary?
        // Oldest first, so that a resume of a resume joins the chain after its parent.
        for r in runs.reversed() where r.kind == .resume {
            guard let p = r.parent, chain.contains(p) else { continue }
            chain.insert(r.id)
            newest = r
        }
        return newest
    }

    /// The run `undo` takes back: `id`, or the newest that is not an undo, not executing,
    /// not wholly undone (after an interrupted undo, the same run again), and not one that
    /// finished having changed nothing (an apply or run that found all as asked does not
    /// hide the run before it; a failed or interrupted one that changed nothing is still
    /// picked, and said so). Its lock is taken (held until the process ends).
    public func pickForUndo(_ id: String?) throws(RunRefusal) -> (target: RunSummary, runs: [RunSummary]) {
        let runs = try readRuns()
        let undone = Set(runs.filter { $0.kind == .undo && $0.status == .done }.compactMap(\.parent))
        let target =
            id.map { id in runs.first { $0.id == id } }
            ?? runs.first {
                $0.kind != .undo && $0.status != .running && !undone.contains($0.id)
                    && !($0.status == .done && $0.count(.done) + $0.count(.sent) == 0)
            }
        guard let target else { throw id.map(RunRefusal.noSuchRun) ?? .nothingToUndo }
        try hold(target, undo: true)
        return (target, runs)
    }

    /// A run another process is executing, resuming or undoing is left to it.
    private func hold(_ target: RunSummary, undo: Bool) throws(RunRefusal) {
        if target.status == .running || !lock(run: target.id) { throw .busy(target.id, undo: undo) }
    }
}
