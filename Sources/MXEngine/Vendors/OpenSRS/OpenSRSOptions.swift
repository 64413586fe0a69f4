import MXModel

/// Values checked at run time, before anything is sent, against what the vendor itself
/// says it allows: `metadata.options` of get_domain (for the domain, and for its
/// mailboxes) and the domain's `quota_maximum` for a mailbox's quota.
extension OpenSRSAdapter {
    /// The allowed values `get_domain` gave in `metadata.options` (a list of values, or
    /// `[min, max]` for quota and quota_maximum: the document's examples give both as a
    /// range), checked before anything is sent. `timezone` is not checked: the
    /// document's list is one zone per offset, and the service takes any tz name
    /// (ASSUMED). `place` says where the options hold ("at this domain").
    func checkOptions(_ values: [(name: String, key: String, value: Value)], _ options: Record?, _ place: String) throws
    {
        for (name, key, value) in values where key != "timezone" {
            guard case .list(let allowed)? = options?[key] else { continue }
            if key == "quota" || key == "quota_maximum", allowed.count == 2, case .number(let lo) = allowed[0],
                case .number(let hi) = allowed[1]
            {
                if case .number(let n) = value, n < lo || n > hi {
                    throw VendorError(
                        vendor: vendor.name, kind: .invalid, code: "options",
                        message:
                            "\(name) takes \(formatNumber(lo)) to \(formatNumber(hi)) \(place), not \(formatNumber(n))",
                        hints: [(name, "out of range")])
                }
                continue
            }
            if !allowed.contains(where: { $0.equals(value) }) {
                let shown = allowed.map { $0.literal }.joined(separator: ", ")
                throw VendorError(
                    vendor: vendor.name, kind: .invalid, code: "options",
                    message: "\(name) takes one of \(shown) \(place), not \(value.literal)",
                    hints: [(name, "not allowed")])
            }
        }
    }

    /// The values a change gives among `names`, under the attribute each is sent as:
    /// the vendor's own fields as set in the record, and the neutral language.
    func optionValues(_ names: [String], kind: ObjectKind, raw: Record, language: String?) -> [(
        name: String, key: String, value: Value
    )] {
        names.compactMap { name in
            guard let spec = vendor.field(kind, name), let key = spec.wirePath.last else { return nil }
            if spec.neutral { return name == "language" ? (name, key, language.map(Value.string) ?? .none) : nil }
            return (name, key, raw.value(atPath: spec.wirePath) ?? .none)
        }
    }

    /// A mailbox's values, checked against its domain's `metadata.options` (the same
    /// brands, workgroups, languages, spam levels) and its quota against the domain's
    /// `quota_maximum` (the document: "the default maximum quota (in Megabytes) that can
    /// be assigned to any mailbox in the domain"). The domain is read only when one of
    /// those is set; a maximum it does not give (null: the company's) is unknown here,
    /// and the vendor decides.
    /// `metadata.options` of a domain's record as get_domain answered it.
    static func options(of raw: Record) -> Record? {
        guard case .record(let r)? = raw.value(atPath: ["metadata", "options"]) else { return nil }
        return r
    }

    func checkUser(_ u: User, _ names: [String]) throws {
        // The domain's own quota range is for its default, not a mailbox's.
        let values = optionValues(names, kind: .user, raw: u.raw, language: u.language).filter { $0.key != "quota" }
        guard !values.isEmpty || names.contains("quota"), let d = try domain(named: u.domain) else { return }
        try checkOptions(values, Self.options(of: d.raw), "at \(u.domain)")
        guard names.contains("quota"), case .number(let quota)? = u.raw.value(atPath: ["attributes", "quota"]),
            case .number(let top)? = d.raw.value(atPath: ["attributes", "quota_maximum"]), quota > top
        else { return }
        throw VendorError(
            vendor: vendor.name, kind: .invalid, code: "options",
            message:
                "quota takes 0 to \(formatNumber(top)) at \(u.domain) (its quota_maximum), not \(formatNumber(quota))",
            hints: [("quota", "above the domain's quota_maximum")])
    }
}
