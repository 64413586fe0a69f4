/// The type of a field as a vendor's table declares it. One `validate` serves the
/// static check (on literal values, before anything runs) and the run (on every value,
/// before a change is made), so `mxsh check` and `run` accept exactly the same values.
public enum FieldType: Sendable, Equatable {
    case text
    case bool
    /// A whole number within `range` (ports, sizes, scores).
    case integer(ClosedRange<Int>)
    /// A number, fractions allowed, within `range` (a spam score).
    case number(ClosedRange<Double>)
    /// A vendor's nested record, shown as it is (read-only settings groups).
    case record
    /// ENABLED, DISABLED, PENDING or DELETED, of which `writable` may be written.
    case status(writable: [Status])
    /// One of the document's allowed values; compared without regard to case, stored
    /// as the document spells it.
    case choice([String])
    case textList
    /// A DNS name (a domain or an alias), normalised to lower-case ASCII.
    case domainName
    case domainNameList
    /// A mail destination: host, IPv4 or [IPv6], with an optional :port.
    case destination
    case destinationList
    /// Email addresses (a message's recipients), each checked as `EmailAddress` does.
    case emailList
    /// A credential: written, never read back, never shown.
    case secret
    /// A day or a moment in UTC (`2027-01-01`, `2027-01-01T08:30:00Z`), stored in the
    /// second form, as dates are read back.
    case date

    /// A value of the kind the field holds when read, for the check to compare a value
    /// written out against (`relay = "true"`); nil where reads may differ in kind.
    public var sampleValue: Value? {
        switch self {
        case .text, .domainName, .destination: return .string("")
        case .bool: return .bool(false)
        case .integer, .number: return .number(0)
        default: return nil
        }
    }

    /// What `help fields` says the field takes.
    public var help: String {
        switch self {
        case .text: return "text"
        case .bool: return "true or false"
        case .integer(let r): return "a whole number \(r.lowerBound)-\(r.upperBound)"
        case .number(let r): return "a number \(formatNumber(r.lowerBound))-\(formatNumber(r.upperBound))"
        case .record: return "a record"
        case .status(let w): return w.map(\.rawValue).joined(separator: " or ")
        case .choice(let values): return "one of " + values.joined(separator: ", ")
        case .textList: return "a list of text"
        case .domainName: return "a domain name"
        case .domainNameList: return "a list of domain names"
        case .destination: return "a host, IPv4 or [IPv6], with an optional :port"
        case .destinationList: return "a list of destinations"
        case .emailList: return "a list of email addresses"
        case .secret: return "a secret (env(\"X\") or secret(\"name\"))"
        case .date: return "a date (2027-01-01 or 2027-01-01T00:00:00Z)"
        }
    }

    /// The value as the field stores it, or why it cannot be.
    /// `none` clears a field, except where the type says otherwise.
    public func validate(_ v: Value, field: String) throws(FieldError) -> Value {
        if case .none = v {
            if case .status = self { throw FieldError("\(field) cannot be none: it takes \(help)") }
            return .none
        }
        switch self {
        case .text:
            switch v {
            case .string, .enumCase: return v
            case .number(let n): return .string(formatNumber(n))
            default: throw FieldError("\(field) takes text, not \(v.aTypeName)")
            }
        case .bool:
            guard case .bool = v else {
                throw FieldError(
                    "\(field) takes true or false, not \(v.literal)",
                    fix: "write \(field)=true or \(field)=false, without quotes")
            }
            return v
        case .integer(let range):
            guard case .number(let n) = v, n.rounded() == n else {
                throw FieldError("\(field) takes a whole number, not \(v.literal)")
            }
            // A whole number too large for Int is out of range, not "not whole".
            guard let i = Int(exactly: n), range.contains(i) else {
                // A range with no upper end of its own (up to Int.max) is said as one.
                let span =
                    range.upperBound == Int.max
                    ? "\(range.lowerBound) or more" : "from \(range.lowerBound) to \(range.upperBound)"
                throw FieldError("\(field) takes a whole number \(span), not \(formatNumber(n))")
            }
            return v
        case .number(let range):
            guard case .number(let n) = v else { throw FieldError("\(field) takes a number, not \(v.literal)") }
            guard range.contains(n) else {
                throw FieldError(
                    "\(field) takes a number from \(formatNumber(range.lowerBound)) to "
                        + "\(formatNumber(range.upperBound)), not \(formatNumber(n))"
                )
            }
            return v
        case .record:
            guard case .record = v else { throw FieldError("\(field) takes a record, not \(v.aTypeName)") }
            return v
        case .status(let writable):
            let text: String
            switch v {
            case .enumCase(let s), .string(let s): text = s.uppercased()
            default: throw FieldError("\(field) takes \(help), not \(v.aTypeName)")
            }
            guard let s = Status(rawValue: text), writable.contains(s) else {
                throw FieldError("\(field) takes \(help), not \(v.literal)")
            }
            return .enumCase(s.rawValue)
        case .choice(let values):
            let text: String
            switch v {
            case .enumCase(let s), .string(let s): text = s
            case .number(let n): text = formatNumber(n)
            default: throw FieldError("\(field) takes \(help), not \(v.aTypeName)")
            }
            guard let match = values.first(where: { $0.lowercased() == text.lowercased() }) else {
                throw FieldError("\(field) takes \(help), not \(v.literal)")
            }
            return .string(match)
        case .textList:
            return .list(
                try items(v, field).map { item throws(FieldError) -> Value in
                    guard case .string = item else {
                        throw FieldError("\(field) takes a list of text, found \(item.aTypeName) in it")
                    }
                    return item
                })
        case .domainName:
            return .string(try name(v, field))
        case .domainNameList:
            return .list(try items(v, field).map { item throws(FieldError) in .string(try name(item, field)) })
        case .destination:
            return .string(try destination(v, field))
        case .destinationList:
            return .list(try items(v, field).map { item throws(FieldError) in .string(try destination(item, field)) })
        case .emailList:
            return .list(try items(v, field).map { item throws(FieldError) in .string(try email(item, field)) })
        case .secret:
            switch v {
            case .secret: return v
            // What an export or a listing wrote for a secret, read back (a CSV's
            // password column): sent, it would set the password to four stars.
            case .string(Secret.mask):
                throw FieldError(
                    "\(field) is \"\(Secret.mask)\", which is how mxsh writes a secret out, not the secret itself",
                    fix: "give \(field) from where the secret is kept: "
                        + "\(field)=env(\"X\") or \(field)=secret(\"name\")")
            case .string(let s): return .secret(Secret(s))
            default: throw FieldError("\(field) takes a secret, not \(v.aTypeName)")
            }
        case .date:
            guard case .string(let s) = v, let moment = Self.moment(s) else {
                throw FieldError("\(field) takes \(help), not \(v.literal)")
            }
            return .string(moment)
        }
    }

    /// `YYYY-MM-DD` as its midnight, or `YYYY-MM-DDTHH:MM:SSZ` as it is; nil otherwise.
    static func moment(_ text: String) -> String? {
        let full = text.count == 10 ? text + "T00:00:00Z" : text
        let c = Array(full.utf8)
        guard c.count == 20 else { return nil }
        let pattern = Array("0000-00-00T00:00:00Z".utf8)
        for (ch, want) in zip(c, pattern) {
            let ok = want == UInt8(ascii: "0") ? (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(ch) : ch == want
            if !ok { return nil }
        }
        func n(_ a: Int, _ b: Int) -> Int { Int(String(decoding: c[a..<b], as: UTF8.self))! }
        guard (1...12).contains(n(5, 7)), (1...31).contains(n(8, 10)), n(11, 13) < 24, n(14, 16) < 60, n(17, 19) < 60
        else { return nil }
        return full
    }

    private func items(_ v: Value, _ field: String) throws(FieldError) -> [Value] {
        switch v {
        case .list(let l): return l
        case .string: return [v]
        default: throw FieldError("\(field) takes a list, like [\"a\", \"b\"], not \(v.aTypeName)")
        }
    }

    private func name(_ v: Value, _ field: String) throws(FieldError) -> String {
        guard case .string(let s) = v else { throw FieldError("\(field) takes a domain name, not \(v.aTypeName)") }
        do { return try DomainName.normalize(s) } catch { throw FieldError("\(field): \(error.message)") }
    }

    private func email(_ v: Value, _ field: String) throws(FieldError) -> String {
        guard case .string(let s) = v else { throw FieldError("\(field) takes email addresses, not \(v.aTypeName)") }
        do { return try EmailAddress.normalize(s) } catch { throw FieldError("\(field): \(error.message)") }
    }

    private func destination(_ v: Value, _ field: String) throws(FieldError) -> String {
        guard case .string(let s) = v else { throw FieldError("\(field) takes a host or address, not \(v.aTypeName)") }
        do { return try Destination.parse(s).text } catch { throw FieldError("\(field): \(error.message)") }
    }
}
