import CEditlineShim
import Dispatch
import MXEngine
import MXHTTP

#if canImport(Glibc)
    import Glibc
#endif

/// Ctrl-C during `mxsh run` (and `-c`, piped input, resume): the first press stops
/// sending (changes queued stay journaled `queued`: never sent), lets the changes in
/// flight finish and be journaled, and stops the script at its next step; the run then
/// reports what was done and how to resume. A second press leaves at once (exit 130);
/// the journal, written before each request leaves, still says which are unknown.
final class RunInterrupt: @unchecked Sendable {
    private let sink: JournalSink
    private let scriptThread = pthread_self()
    private let pressed = Locked(false)

    init(sink: JournalSink) { self.sink = sink }

    var wasPressed: Bool { pressed.withLock { $0 } }

    /// Installs the handler and a thread that acts on the first press at once, even while
    /// the script waits for changes in flight.
    func install() {
        mx_interrupt_install_run()
        mx_interrupt_set_leave_message(
            "\nmxsh: left at once; changes in flight are journaled as sent, answer unknown\n")
        DispatchQueue(label: "mxsh.interrupt").async { [self] in
            while mx_interrupt_wait(-1) == 0 {}
            mx_interrupt_clear()
            pressed.withLock { $0 = true }
            sink.halt()
            let run = sink.run
            if let run {
                mx_interrupt_set_leave_message(
                    "\nmxsh: left at once; changes in flight are journaled as sent (answer unknown): "
                        + "mxsh runs show \(run); mxsh resume \(run)\n")
            }
            let text =
                "\nmxsh: interrupted: sending no more; waiting for \(sink.inFlight) change(s) in flight "
                + "(Ctrl-C again leaves at once)\n"
            if let progress = ProgressReporter.current { progress.hold { put(text) } } else { put(text) }
        }
    }

    /// For the interpreter: the script stops at its next step once Ctrl-C was pressed. Only
    /// the script's own thread is stopped, and never while it sends a change itself: the
    /// changes in flight are answered, not cut off.
    var shouldCancel: () -> Bool {
        { [self] in
            wasPressed && pthread_equal(pthread_self(), scriptThread) != 0 && !sink.sendingInline
        }
    }

    private func put(_ text: String) {
        var bytes = Array(text.utf8)
        _ = write(2, &bytes, bytes.count)
    }
}
