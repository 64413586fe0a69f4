import MXJSON
import MXModel

/// JSON text of a value: records keep their key order; secrets print as "****";
/// objects as their neutral fields (with `raw` when asked).
public func jsonText(_ v: Value, indent: Int = 0, pretty: Bool = true, includeRaw: Bool = false) -> String {
    var out = ""
    writeJSON(v, into: &out, indent: indent, pretty: pretty, includeRaw: includeRaw)
    return out
}

func writeJSON(_ v: Value, into out: inout String, indent: Int, pretty: Bool, includeRaw: Bool) {
    let nl = pretty ? "\n" : ""
    let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
    let closePad = pretty ? String(repeating: "  ", count: indent) : ""
    func pairs(_ ps: [(String, Value)]) {
        if ps.isEmpty { out += "{}"; return }
        out += "{" + nl
        for (i, (k, v)) in ps.enumerated() {
            out += pad + jsonString(k) + (pretty ? ": " : ":")
            writeJSON(v, into: &out, indent: indent + 1, pretty: pretty, includeRaw: includeRaw)
            out += (i + 1 < ps.count ? "," : "") + nl
        }
        out += closePad + "}"
    }
    switch v {
    case .none: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let n): out += n.isFinite ? formatNumber(n) : "null"
    case .string(let s): out += jsonString(s)
    case .enumCase(let s): out += jsonString(s)
    case .secret: out += jsonString(Secret.mask)
    case .list(let items):
        if items.isEmpty { out += "[]"; return }
        out += "[" + nl
        for (i, item) in items.enumerated() {
            out += pad
            writeJSON(item, into: &out, indent: indent + 1, pretty: pretty, includeRaw: includeRaw)
            out += (i + 1 < items.count ? "," : "") + nl
        }
        out += closePad + "]"
    case .record(let r): pairs(r.pairs)
    case .object(let ref): pairs(objectFields(ref, includeRaw: includeRaw))
    case .opaque(let o): out += jsonString(o.displayText)
    }
}

/// The neutral fields of an object in schema order, then `connection` (and `raw`).
func objectFields(_ ref: ObjectRef, includeRaw: Bool) -> [(String, Value)] {
    var ps: [(String, Value)]
    switch ref.object {
    case .domain(let d): ps = Domain.fields.map { ($0.name, $0.get(d)) }
    case .user(let u): ps = User.fields.map { ($0.name, $0.get(u)) }
    case .settings(let s): ps = s.fields.pairs
    }
    ps.append(("connection", .string(ref.connection)))
    if includeRaw, case .settings = ref.object {
    } else if includeRaw, let raw = ref.field("raw") {
        ps.append(("raw", raw))
    }
    return ps
}

public func jsonString(_ s: String) -> String { s.jsonQuoted }
