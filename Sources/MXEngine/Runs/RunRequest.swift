import MXModel

/// What one run of a script needs, as plain values: the command line fills it in (from
/// its arguments, or from the journal for `resume`) and the engine runs it.
public struct RunRequest: Sendable {
    public var text: String
    /// How diagnostics name the script (`<-c>`, the path as given).
    public var name: String
    /// How the journal names it: the absolute path that `resume` reads again.
    public var script: String
    /// `--var name=value`, in order.
    public var variables: [String] = []
    /// Changes in flight per connection; nil: each vendor's own.
    public var jobs: Int?
    public var onError: Executor.OnError = .stop
    /// `--limit N`: the most objects one `copy` moves. Journaled with the run, so that
    /// `resume` moves the same.
    public var copyLimit: Int?
    /// `--no-journal`: nothing can be resumed or undone (for measuring, or a connection
    /// with a literal credential).
    public var keepsJournal = true
    public var kind = RunKind.run
    /// Set when this run resumes another.
    public var resume: ResumePoint?
    /// The journal: the user's own (under the XDG state directory) unless a test says.
    public var journalPath = Journal.defaultPath

    public init(text: String, name: String, script: String? = nil) {
        self.text = text
        self.name = name
        self.script = script ?? name
    }
}

/// Where a resumed run starts from: the run resumed, what it (and the runs it resumed)
/// already did, by change identity, and the journal rows whose answer was lost.
public struct ResumePoint: Sendable {
    public var parent: String
    public var alreadyDone: [String: Int]
    public var unknown: [String: [Int64]]
    /// Creates among `unknown` whose object was absent just before a run sent them, and
    /// that run: if the object is there now, that run made it (in part, or its answer lost).
    public var madeIfThere: [String: String]

    public init(
        parent: String, alreadyDone: [String: Int], unknown: [String: [Int64]], madeIfThere: [String: String] = [:]
    ) {
        (self.parent, self.alreadyDone, self.unknown) = (parent, alreadyDone, unknown)
        self.madeIfThere = madeIfThere
    }
}

/// What the program around the engine adds to a run: its own session settings (the
/// embedded sandbox, `--trace`), and, while changes are sent, what watches them (Ctrl-C,
/// a progress line). The engine calls these; it does no terminal I/O itself.
public struct RunSurroundings {
    /// Called on each new session before anything runs.
    public var configure: (Session) -> Void = { _ in }
    /// The run is about to send: install an interrupt, start a progress line.
    public var sending: (JournalSink, Session) -> Void = { _, _ in }
    /// Every change is answered: stop the progress line.
    public var answered: () -> Void = {}
    /// Whether the run was interrupted (the first Ctrl-C).
    public var wasInterrupted: () -> Bool = { false }

    public init(configure: @escaping (Session) -> Void = { _ in }) { self.configure = configure }
}
