import MXLanguage
import MXModel

/// Domains come from listings without the fields that cost a request per domain
/// (Cleanmail's sender rules). They are filled in, a batch at a time, only when a
/// script reads, shows, exports, copies or changes them: a loop that adds aliases to
/// 5,000 domains then costs the 5,000 changes, not 5,000 more reads.
extension Interpreter {
    /// Fields that may be missing from a listed domain until it is completed.
    static let fieldsFilledLater: Set<String> = ["allow", "block", "raw"]

    /// `fieldsFilledLater.contains(field)` without hashing: asked for every field a
    /// `where` reads, on every item.
    @inline(__always) static func isFilledLater(_ field: String) -> Bool {
        switch field.utf8.count {
        case 3: return field == "raw"
        case 5: return field == "allow" || field == "block"
        default: return false
        }
    }

    /// Completes, in place, every listed domain in `values` (lists included).
    func completeDomains(_ values: [Value], at range: SourceRange) throws {
        var refs: [String: [ObjectRef]] = [:]
        func gather(_ v: Value) {
            switch v {
            case .object(let ref):
                if case .domain(let d) = ref.object, d.mayBePartial { refs[ref.connection, default: []].append(ref) }
            case .list(let items): items.forEach(gather)
            default: break
            }
        }
        values.forEach(gather)
        for (name, group) in refs {
            guard let c = connections[name] else { continue }
            let domains = group.compactMap { ref -> Domain? in
                if case .domain(let d) = ref.object { return d }
                return nil
            }
            let full = try vendorCall(range) { try c.adapter.complete(domains) }
            for (ref, d) in zip(group, full) { ref.object = .domain(d) }
        }
    }

    /// Completes one domain before `field` of it is read.
    func completeDomain(_ ref: ObjectRef, for field: String, at range: SourceRange) throws {
        guard Self.isFilledLater(field), case .domain(let d) = ref.object, d.mayBePartial else { return }
        try completeDomains([.object(ref)], at: range)
    }

    /// The change's before-state made whole when it will be needed whole: to re-create
    /// a deleted domain on undo, or to restore its sender lists.
    func completingBefore(_ change: Change, at c: Connection, range: SourceRange) throws -> Change {
        guard case .domain(let d)? = change.before, d.mayBePartial,
            change.operation == .deleteDomain || change.fields["allow"] != nil || change.fields["block"] != nil
        else { return change }
        var whole = change
        whole.before = .domain(try vendorCall(range) { try c.adapter.complete([d]) }.first ?? d)
        return whole
    }
}

extension Domain {
    /// Neither sender list is known: the listing may have left them out.
    var mayBePartial: Bool { allow == nil && block == nil }
}
