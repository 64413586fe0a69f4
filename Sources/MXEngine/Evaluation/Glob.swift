/// Shell-style wildcard match over UTF-8 bytes: `*` any run, `?` one character,
/// `[abc]`/`[a-z]`/`[!x]` a class. Case-insensitive, as domain names are: ASCII is
/// folded as it is compared, and text outside ASCII (`MÜNCHEN.de ~ "münchen.*"`) is
/// matched again lower-cased when that first match fails (character by character, each
/// only where its lower case is as many code points: `?` is one of them either way).
public func globMatch(_ text: String, _ pattern: String) -> Bool {
    var t = text
    var p = pattern
    let (matched, ascii) = t.withUTF8 { tb in
        p.withUTF8 { pb in
            match(tb, pb) ? (true, true) : (false, isASCII(tb) && isASCII(pb))
        }
    }
    if matched || ascii { return matched }
    var lt = folded(text), lp = folded(pattern)
    return lt.withUTF8 { tb in lp.withUTF8 { pb in match(tb, pb) } }
}

/// Lower case, but a character whose lower case has more code points ("İ", i and a
/// combining dot) is kept as it is.
private func folded(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for c in s {
        let lower = c.lowercased()
        if lower.unicodeScalars.count == c.unicodeScalars.count { out += lower } else { out.append(c) }
    }
    return out
}

private func isASCII(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
    for c in b where c >= 0x80 { return false }
    return true
}

@inline(__always) private func isSpecial(_ c: UInt8) -> Bool {
    c == UInt8(ascii: "*") || c == UInt8(ascii: "?") || c == UInt8(ascii: "[")
}

@inline(__always) private func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c | 0x20 : c }

private func match(_ t: UnsafeBufferPointer<UInt8>, _ p: UnsafeBufferPointer<UInt8>) -> Bool {
    // `*.net`, the commonest pattern: a star, then plain text, is a test of the text's end.
    if p.count > 1, p[0] == UInt8(ascii: "*"), !p[1...].contains(where: isSpecial) {
        let tail = p.count - 1
        guard t.count >= tail else { return false }
        let start = t.count - tail
        for i in 0..<tail where lower(p[1 + i]) != lower(t[start + i]) { return false }
        return true
    }
    var ti = 0, pi = 0
    var starP = -1, starT = 0
    while ti < t.count {
        if pi < p.count {
            let pc = p[pi]
            if pc == UInt8(ascii: "*") {
                starP = pi; starT = ti; pi += 1; continue
            }
            if pc == UInt8(ascii: "?") {
                ti += 1; pi += 1
                while ti < t.count, t[ti] & 0xC0 == 0x80 { ti += 1 }  // whole UTF-8 character
                continue
            }
            if pc == UInt8(ascii: "["), let (matched, next) = matchClass(t[ti], p, pi) {
                if matched { ti += 1; pi = next; continue }
            } else if lower(pc) == lower(t[ti]) {
                ti += 1; pi += 1; continue
            }
        }
        if starP >= 0 {
            pi = starP + 1
            starT += 1
            ti = starT
            continue
        }
        return false
    }
    while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
    return pi == p.count
}

/// Matches one byte against `[...]` at `p[start]`; nil when the class is not closed
/// (then `[` is literal).
private func matchClass(_ c: UInt8, _ p: UnsafeBufferPointer<UInt8>, _ start: Int) -> (Bool, Int)? {
    var i = start + 1
    var negate = false
    if i < p.count, p[i] == UInt8(ascii: "!") || p[i] == UInt8(ascii: "^") { negate = true; i += 1 }
    var matched = false
    var first = true
    while i < p.count, p[i] != UInt8(ascii: "]") || first {
        first = false
        let lo = p[i]
        if i + 2 < p.count, p[i + 1] == UInt8(ascii: "-"), p[i + 2] != UInt8(ascii: "]") {
            if lower(c) >= lower(lo) && lower(c) <= lower(p[i + 2]) { matched = true }
            i += 3
        } else {
            if lower(c) == lower(lo) { matched = true }
            i += 1
        }
    }
    guard i < p.count else { return nil }
    return (matched != negate, i + 1)
}

/// `pattern` with `*` as its only wildcard, for a vendor's filter that knows no other
/// (Cleanmail's `name=`, OpenSRS's `match`: "wild*"): each `?` and each class `[...]`
/// becomes `*`, so the vendor returns a superset and the interpreter, which tests the
/// whole clause again, keeps what the pattern matches. Sent as written, `ed01?.net`
/// was a literal `?` there, and the filter matched nothing.
public func globAsStars(_ pattern: String) -> String {
    let p = Array(pattern.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(p.count)
    func star() { if out.last != UInt8(ascii: "*") { out.append(UInt8(ascii: "*")) } }
    var i = 0
    while i < p.count {
        switch p[i] {
        case UInt8(ascii: "*"), UInt8(ascii: "?"):
            star()
            i += 1
        case UInt8(ascii: "["):
            // The class's end as `matchClass` reads it; unclosed, `[` is literal.
            guard let end = classEnd(p, i) else {
                out.append(p[i])
                i += 1
                continue
            }
            star()
            i = end
        default:
            out.append(p[i])
            i += 1
        }
    }
    return String(decoding: out, as: UTF8.self)
}

/// The index after the `]` closing the class at `p[start]` (`matchClass`'s reading: the
/// first member may be `]`, and `a-z` is one member); nil when it is not closed.
private func classEnd(_ p: [UInt8], _ start: Int) -> Int? {
    var i = start + 1
    if i < p.count, p[i] == UInt8(ascii: "!") || p[i] == UInt8(ascii: "^") { i += 1 }
    var first = true
    while i < p.count, p[i] != UInt8(ascii: "]") || first {
        first = false
        i += i + 2 < p.count && p[i + 1] == UInt8(ascii: "-") && p[i + 2] != UInt8(ascii: "]") ? 3 : 1
    }
    return i < p.count ? i + 1 : nil
}
