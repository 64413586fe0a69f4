#if canImport(Glibc)
    import Glibc
#endif

/// A run holds a lock while it executes: `flock` on its own file beside the journal
/// (`locks/RUN.lock`), taken before the run is journaled and let go when the process
/// ends, however it ends (a kill -9 included). So "still executing" is a fact the
/// kernel keeps, not a process id that may have been reused, and `resume` and `undo`
/// take the lock of the run they work on: two of them never work on one run at once.
extension Journal {
    var lockDirectory: String {
        (path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ".") + "/locks"
    }

    func lockPath(_ run: String) -> String { lockDirectory + "/" + run + ".lock" }

    /// Takes the run's lock for the rest of this process; false when another process
    /// holds it.
    public func lock(run id: String) -> Bool {
        if heldLocks.withLock({ $0[id] != nil }) { return true }
        makeDirectories(lockDirectory)
        let fd = open(lockPath(id), O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return false
        }
        heldLocks.withLock { $0[id] = fd }
        return true
    }

    /// Lets the run's lock go and removes its file (the run has finished).
    func unlock(run id: String) {
        guard let fd = heldLocks.withLock({ $0.removeValue(forKey: id) }) else { return }
        unlink(lockPath(id))
        close(fd)
    }

    /// Whether a process holds the run's lock now; nil when the run has no lock file
    /// (it finished, or an older mxsh ran it).
    func isLocked(_ id: String) -> Bool? {
        if heldLocks.withLock({ $0[id] != nil }) { return true }
        let fd = open(lockPath(id), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return true
    }
}
