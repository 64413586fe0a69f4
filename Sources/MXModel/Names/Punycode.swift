// Punycode (RFC 3492): the bootstring encoding that turns a Unicode label into the
// ASCII that DNS carries after "xn--". Pure integer arithmetic, no Foundation.
//
// Basic (ASCII) code points are copied as given, case included; the digits that
// follow use lower case (decode accepts either case, as RFC 3492 section 5 asks).
// Every addition and multiplication is overflow-checked: a hostile "xn--" label
// must give `nil`, never a trap.

public enum Punycode {
    private static let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700
    private static let initialBias = 72, initialN = 0x80

    /// The Punycode of `scalars` (without "xn--"), or nil if the arithmetic overflows.
    public static func encode(_ scalars: [Unicode.Scalar]) -> String? {
        let input = scalars.map { Int($0.value) }
        var output: [UInt8] = input.filter { $0 < 0x80 }.map { UInt8($0) }
        let basicCount = output.count
        if basicCount > 0 { output.append(UInt8(ascii: "-")) }

        var n = initialN, delta = 0, bias = initialBias, handled = basicCount
        while handled < input.count {
            // The smallest code point not yet handled; all inputs are valid scalars.
            let m = input.filter { $0 >= n }.min()!
            guard let step = mul(m - n, handled + 1), let d = add(delta, step) else { return nil }
            delta = d
            n = m
            for c in input {
                if c < n { guard let d = add(delta, 1) else { return nil }; delta = d }
                if c == n {
                    var q = delta, k = base
                    while true {
                        let t = threshold(k, bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta, handled + 1, first: handled == basicCount)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The code points that `text` (without "xn--") encodes, or nil if it is not Punycode.
    public static func decode(_ text: some StringProtocol) -> [Unicode.Scalar]? {
        let bytes = Array(text.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        // Everything before the last "-" is basic code points, copied as is.
        let dash = bytes.lastIndex(of: UInt8(ascii: "-"))
        var output: [Unicode.Scalar] = dash.map { bytes[..<$0].map { Unicode.Scalar($0) } } ?? []
        var pos = dash.map { $0 + 1 } ?? 0

        var n = initialN, i = 0, bias = initialBias
        while pos < bytes.count {
            let oldI = i
            var w = 1, k = base
            while true {
                guard pos < bytes.count, let d = value(bytes[pos]) else { return nil }
                pos += 1
                guard let dw = mul(d, w), let sum = add(i, dw) else { return nil }
                i = sum
                let t = threshold(k, bias)
                if d < t { break }
                guard let nw = mul(w, base - t) else { return nil }
                w = nw
                k += base
            }
            let count = output.count + 1
            bias = adapt(i - oldI, count, first: oldI == 0)
            // n only grows from 0x80; a surrogate or anything past U+10FFFF is refused.
            guard let nn = add(n, i / count), nn <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(nn))
            else { return nil }
            n = nn
            i %= count
            output.insert(scalar, at: i)
            i += 1
        }
        return output
    }

    // MARK: RFC 3492 section 6 helpers

    private static func threshold(_ k: Int, _ bias: Int) -> Int {
        k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
    }

    private static func adapt(_ delta: Int, _ count: Int, first: Bool) -> Int {
        var delta = first ? delta / damp : delta / 2
        delta += delta / count
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }

    /// 0...25 -> "a"..."z", 26...35 -> "0"..."9".
    private static func digit(_ d: Int) -> UInt8 { UInt8(d < 26 ? 0x61 + d : 0x30 + d - 26) }

    private static func value(_ b: UInt8) -> Int? {
        switch b {
        case 0x30...0x39: Int(b) - 0x30 + 26
        case 0x41...0x5A: Int(b) - 0x41
        case 0x61...0x7A: Int(b) - 0x61
        default: nil
        }
    }

    private static func add(_ a: Int, _ b: Int) -> Int? {
        let (r, o) = a.addingReportingOverflow(b); return o ? nil : r
    }

    private static func mul(_ a: Int, _ b: Int) -> Int? {
        let (r, o) = a.multipliedReportingOverflow(by: b); return o ? nil : r
    }
}
