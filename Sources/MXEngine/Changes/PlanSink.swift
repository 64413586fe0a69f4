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
    }

    public private(set) var entries: [Entry] = []
    public init() {}

    public func adapter(for base: any Adapter) -> any Adapter { OverlayAdapter(base: base) }

    public func submit(_ change: Change, to connection: Connection) throws -> ChangeOutcome {
        let adapter = connection.adapter
        let before = try adapter.current(of: change)
        let outcome = try adapter.apply(change)
        var unchanged = false
        if case .unchanged = outcome { unchanged = true }
        entries.append(Entry(change: change, vendor: connection.vendor, before: before, after: outcome.after, unchanged: unchanged))
        return outcome
    }

    /// The changes that would do something.
    public var effective: [Entry] { entries.filter { !$0.unchanged } }
}
