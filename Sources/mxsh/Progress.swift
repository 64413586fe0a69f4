import Dispatch
import MXEngine
import MXHTTP

#if canImport(Glibc)
    import Glibc
#endif

/// Progress of a long apply, on stderr: on a terminal, one line redrawn in place
/// (done / failed / in flight, rate, time left for what is queued); otherwise a plain
/// line every ten seconds (MXSH_PROGRESS_SECONDS), for logs. Nothing for runs
/// shorter than that.
final class ProgressReporter: @unchecked Sendable {
    private let sink: JournalSink
    /// The line is redrawn in place on a terminal; otherwise a plain line now and then.
    let terminal: Bool
    private let timer: DispatchSourceTimer
    private let started = monotonicSeconds()
    private let state = Locked((drawn: false, lastLine: 0.0))
    /// The reporter on screen now, so that other output can clear its line first.
    nonisolated(unsafe) static var current: ProgressReporter?

    init(sink: JournalSink, terminal: Bool = isatty(2) != 0) {
        self.sink = sink
        self.terminal = terminal
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "mxsh.progress"))
    }

    func start() {
        Self.current = self
        let every = getenv("MXSH_PROGRESS_SECONDS").flatMap { Double(String(cString: $0)) }.map { max(0.1, $0) } ?? 10
        let plain = DispatchTimeInterval.milliseconds(Int(every * 1000))
        timer.schedule(
            deadline: .now() + (terminal ? .milliseconds(1000) : plain),
            repeating: terminal ? .milliseconds(200) : plain)
        timer.setEventHandler { [weak self] in self?.tick() }
        timer.resume()
    }

    func stop() {
        timer.cancel()
        clear()
        Self.current = nil
    }

    func clear() { hold {} }

    /// Runs `write` (other output) with the progress line cleared and not redrawn
    /// meanwhile: the next tick draws it again below.
    func hold(_ write: () -> Void) {
        state.withLock { s in
            if s.drawn { put("\r\u{1B}[K"); s.drawn = false }
            write()
        }
    }

    private func put(_ text: String) {
        var bytes = Array(text.utf8)
        _ = Glibc.write(2, &bytes, bytes.count)
    }

    private func tick() {
        let submitted = sink.submitted, finished = sink.finished, inFlight = sink.inFlight
        let failed = sink.failed, unknown = sink.unknown
        if submitted == 0 { return }
        let elapsed = monotonicSeconds() - started
        let rate = Double(finished) / max(elapsed, 0.001)
        let left = submitted - finished
        let eta = rate > 0 ? Int((Double(left) / rate).rounded(.up)) : nil
        var text =
            "\(finished - failed - unknown) done, \(failed) failed"
            + (unknown > 0 ? ", \(unknown) answer unknown" : "")
            + ", \(inFlight) in flight of \(submitted) so far"
            + ", \(Int(rate.rounded()))/s"
        if let eta, left > 0 { text += ", ~\(eta) s left" }
        if terminal {
            let width = 24
            let filled = submitted > 0 ? min(width, width * finished / submitted) : 0
            let bar = "[" + String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled) + "] "
            state.withLock { s in
                put("\r\u{1B}[K" + bar + text)
                s.drawn = true
            }
        } else {
            // Output written before this line comes before it in a log of both streams.
            state.withLock { _ in
                fflush(nil)
                put("progress: " + text + "\n")
            }
        }
    }
}
