/// Small text helpers the wire formats need, kept here once (no Foundation: start-up
/// time matters).
extension String {
    /// `%41` -> `A`; with `plusIsSpace`, `+` -> ` ` (form encoding). Invalid escapes stay.
    public func percentDecoded(plusIsSpace: Bool = false) -> String {
        var out: [UInt8] = []
        let b = Array(utf8)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "%"), i + 2 < b.count,
                let v = UInt8(String(decoding: b[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
            {
                out.append(v); i += 3
            } else if plusIsSpace, b[i] == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " ")); i += 1
            } else {
                out.append(b[i]); i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Without the given characters at either end.
    public func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }

    /// The text as a JSON string literal, quotes included.
    public var jsonQuoted: String {
        var out = ""
        writeString(self, into: &out)
        return out
    }
}
