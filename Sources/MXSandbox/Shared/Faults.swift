#if canImport(Glibc)
    import Glibc
#endif

/// What can go wrong on purpose: for rehearsals and for the client's tests.
public struct FaultOptions: Sendable {
    /// Added to every reply.
    public var latencyMs: Int = 0
    /// Fraction of requests answered with the vendor's server fault, not applied.
    public var failRate: Double = 0
    /// Fraction answered 429 with `Retry-After`, not applied.
    public var throttleRate: Double = 0
    /// Fraction whose connection is closed with no reply. Not applied either, unless
    /// `dropAfterApply` (then the change is made and the reply lost: the hard case).
    public var dropRate: Double = 0
    public var dropAfterApply = false
    /// Requests per second per vendor; more are answered 429.
    public var rateLimit: Double? = nil
    /// `Retry-After` seconds for throttled replies.
    public var retryAfter: Int = 1

    public init() {}

    public var isEmpty: Bool {
        latencyMs == 0 && failRate == 0 && throttleRate == 0 && dropRate == 0 && rateLimit == nil
    }
}

/// One fault decision per request.
enum Fault: Equatable {
    case none, fail, throttle, drop, dropAfterApply
}

/// A token bucket per vendor for `--rate-limit`.
final class RateGate: @unchecked Sendable {
    private let lock = SandboxLock()
    private var tokens: Double
    private var last: Double
    let rate: Double

    init(rate: Double) {
        self.rate = rate
        self.tokens = max(1, rate)
        self.last = monotonic()
    }

    func admit() -> Bool {
        lock.withLock {
            let t = monotonic()
            tokens = min(max(1, rate), tokens + (t - last) * rate)
            last = t
            guard tokens >= 1 else { return false }
            tokens -= 1
            return true
        }
    }
}

func monotonic() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
