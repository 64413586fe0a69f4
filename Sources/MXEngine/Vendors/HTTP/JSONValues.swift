import MXJSON
import MXModel

/// A vendor's JSON as language values, for `raw`: nothing the vendor returns is lost.
extension Value {
    init(json: JSON) {
        switch json {
        case .null: self = .none
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .number(Double(i))
        case .double(let d): self = .number(d)
        case .string(let s): self = .string(s)
        case .array(let a): self = .list(a.map(Value.init(json:)))
        case .object(let o): self = .record(Record(o.pairs.map { ($0.0, Value(json: $0.1)) }))
        }
    }
}

extension Record {
    init(json: JSONObject) { self.init(json.pairs.map { ($0.0, Value(json: $0.1)) }) }
}

extension JSON {
    /// A list of strings, or nil when this is not one.
    var strings: [String]? { array?.compactMap(\.string) }
}

extension Value {
    /// A raw record's value back as the vendor's JSON (secrets and opaque values have
    /// none: they never go back to a vendor this way).
    var json: JSON? {
        switch self {
        case .none: return .null
        case .bool(let b): return .bool(b)
        case .number(let n): return n.wholeNumber.map(JSON.int) ?? .double(n)
        case .string(let s), .enumCase(let s): return .string(s)
        case .list(let items): return .array(items.compactMap(\.json))
        case .record(let r): return .object(JSONObject(r.pairs.compactMap { k, v in v.json.map { (k, $0) } }))
        case .secret, .object, .opaque: return nil
        }
    }
}
