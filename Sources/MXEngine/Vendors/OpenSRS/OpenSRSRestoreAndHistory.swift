import MXJSON
import MXModel

/// What OpenSRS has beyond create, update and delete (NOTES.md): deletes are soft, so
/// a deleted domain or user can be restored; and each object's change history.
/// Functions for the language layer to call.
extension OpenSRSAdapter {
    /// `restore_domain` / `restore_user`. The object restored, or `unchanged` when it is
    /// live already: the API answers a restore of a live object as "does not exist"
    /// (there is no deleted one), which is what was asked. A user whose domain is
    /// deleted stays an error (11) until the domain is restored.
    func restore(_ kind: ObjectKind, _ name: String) throws -> ChangeOutcome {
        let (method, key) = kind == .user ? ("restore_user", "user") : ("restore_domain", "domain")
        // Safe to repeat after a lost answer: the second finds the object live.
        let o = try call(method, [key: .string(name)], safeToRepeat: true)
        if succeeded(o) {
            guard let restored = try live(kind, name) else {
                throw VendorError(
                    vendor: vendor.name, kind: .reply, code: "reply",
                    message: "restore \(key) \(name): the API said it was restored, yet it cannot be read")
            }
            return .applied(restored)
        }
        let e = failure(o, "restore", "\(key) \(name)")
        if e.kind == .notFound, e.code != "11", let now = try live(kind, name) { return .unchanged(now) }
        throw e
    }

    /// The object as it is now, nil when it does not exist (or is deleted).
    func live(_ kind: ObjectKind, _ name: String) throws -> ObjectRef.Object? {
        kind == .user ? try user(email: name).map { .user($0) } : try domain(named: name).map { .domain($0) }
    }

    /// `get_domain_changes` / `get_user_changes`, every page, newest first: one record
    /// per change with `time` (an ISO date in UTC), `user` (who made it),
    /// `application` (the client it used) and `msg` (what changed), as the API names
    /// them. A member the API did not answer is none (unknown), never empty text.
    func changes(_ kind: ObjectKind, _ name: String) throws -> [Record] {
        let (method, key) = kind == .user ? ("get_user_changes", "user") : ("get_domain_changes", "domain")
        var out: [Record] = []
        var first = 0
        while true {
            let o = try call(
                method,
                JSONObject([
                    (key, .string(name)),
                    ("range", ["first": .int(first), "limit": .int(Self.pageSize)])
                ]))
            guard succeeded(o) else { throw failure(o, "read the changes of", "\(key) \(name)") }
            guard let items = o["changes"]?.array, items.allSatisfy({ $0.object != nil }) else {
                throw VendorError(
                    vendor: vendor.name, kind: .reply, code: "reply",
                    message: "\(method): the answer has no list of changes")
            }
            out += items.compactMap(\.object).map(Self.change)
            first += items.count
            // A page shorter than asked, or the total reached, is the last; a total the
            // answer lacks is unknown, so only a short page ends the listing then.
            if items.count < Self.pageSize || first >= (o["total"]?.int ?? Int.max) { return out }
        }
    }

    /// One change record: the API's four members, `time` as a date.
    static func change(_ o: JSONObject) -> Record {
        // Epoch seconds as a date; a time in another form is shown as the API gave it.
        Record([
            (
                "time",
                o["time"].flatMap(OpenSRSMapping.created).map(Value.string) ?? o["time"].map(Value.init(json:)) ?? .none
            ),
            ("user", o["user"].map(Value.init(json:)) ?? .none),
            ("application", o["application"].map(Value.init(json:)) ?? .none),
            ("msg", o["msg"].map(Value.init(json:)) ?? .none)
        ])
    }
}
