import MXModel

/// Plan mode: each connection's adapter is wrapped in an overlay, changes are applied
/// to it only, and every change is kept for the diff (and `--plan-out`).
public final class PlanSink: ChangeSink {
    public struct Entry {
        public var change: Change
        public var vendor: String
        public var before: ObjectRef.Object?
        public var after: ObjectRef.Object?
        public var unchanged: Bool
        /// The vendor would refuse it, and why: a predicted failure, shown with the plan
        /// (the plan goes on past it, as the object stays as it was).
        public var failure: String?
    }

    public private(set) var entries: [Entry] = []
    /// A change the vendor would refuse is kept as a predicted failure and the plan goes
    /// on (the command line's plans: a failure does not hide the rest). Off, it fails the
    /// statement as applying it would (what the conformance suite compares).
    public var continuesPastFailures = false
    public init() {}

    public func adapter(for base: any Adapter) -> any Adapter { OverlayAdapter(base: base) }

    public func submit(_ change: Change, to connection: Connection) throws -> ChangeOutcome {
        let adapter = connection.adapter
        let before = try adapter.current(of: change)
        let outcome: ChangeOutcome
        do {
            outcome = try adapter.apply(change)
        } catch let e as VendorError where continuesPastFailures {
            entries.append(
                Entry(
                    change: change, vendor: connection.vendor, before: before, after: before, unchanged: true,
                    failure: "\(e.message) (\(e.vendor) \(e.code))"))
            return .unchanged(before)
        }
        var unchanged = false
        if case .unchanged = outcome { unchanged = true }
        entries.append(
            Entry(change: change, vendor: connection.vendor, before: before, after: outcome.after, unchanged: unchanged)
        )
        return outcome
    }

    /// The changes that would do something.
    public var effective: [Entry] { entries.filter { !$0.unchanged } }
    /// The changes the vendor would refuse.
    public var failures: [Entry] { entries.filter { $0.failure != nil } }
}
