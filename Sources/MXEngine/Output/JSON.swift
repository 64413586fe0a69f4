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
    case .record(let r): pairs(r.pairs.map { ($0, maskingCredentialMembers($0, $1)) })
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

/// A record's member named as a credential (`bind_password`, `apiKey`) that holds text
/// prints as `****`, as a secret does: a vendor's record may carry one (a Cleanmail
/// platform's LDAP `authData`), and the language keeps it as text in `raw`, where it is
/// also what is sent back.
func maskingCredentialMembers(_ name: String, _ v: Value) -> Value {
    if case .string = v, holdsCredential(name) { return .string(Secret.mask) }
    return v
}

/// `v` with every such member masked, in lists and records at any depth (`print` and
/// `show` in each format); `v` itself when it holds none.
func maskingCredentialMembers(_ v: Value) -> Value {
    func holds(_ v: Value) -> Bool {
        switch v {
        case .list(let items): return items.contains(where: holds)
        case .record(let r): return r.pairs.contains { k, x in holdsCredential(k) && x.isText || holds(x) }
        default: return false
        }
    }
    func masked(_ v: Value) -> Value {
        switch v {
        case .list(let items): return .list(items.map(masked))
        case .record(let r): return .record(Record(r.pairs.map { k, x in (k, masked(maskingCredentialMembers(k, x))) }))
        default: return v
        }
    }
    return holds(v) ? masked(v) : v
}

extension Value {
    fileprivate var isText: Bool { if case .string = self { return true }; return false }
}
