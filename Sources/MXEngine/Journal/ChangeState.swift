/// Where a journaled change stands. Every change of every run is in exactly one of these,
/// and the order of the writes makes each one true: a change is journaled `queued` before
/// it can be sent, marked `sent` (on disk) before its request leaves, and settled after
/// the answer. So after a crash, `queued` means surely never sent and `sent` means the
/// answer was lost: unknown, read before anything is decided about it.
public enum ChangeState: String, CaseIterable, Sendable {
    /// Journaled, not sent: the run stopped first. Resume sends it; undo never inverts it.
    case queued
    /// Sent, answer unknown (in flight, or lost with the process), or done in part (a
    /// create whose following request was refused: `VendorError.partial`). Resume reads the
    /// object first; undo inverts it only where the object is as the change would have left
    /// it (a create's lists aside: they are what a part done may lack).
    case sent
    /// Done by this run: the object was not as asked before the change and was after.
    case done
    /// The vendor refused it or it could not be sent; the answer says why.
    case failed
    /// Nothing to send: already as asked before the change, or done by the run resumed.
    case skipped
    /// Not sent: the object had changed since it was planned (drift), or undo found it
    /// changed since the run or in use; the answer says how.
    case refused
}

/// What a run was: its kind is stored, and `resume`/`undo` choose by it.
public enum RunKind: String, Sendable {
    case run, resume, apply, undo, repl
}

/// How a run ended; `running` while its process holds the run's lock.
public enum RunStatus: String, Sendable {
    case running, done, failed, interrupted
}
