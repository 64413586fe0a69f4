// A mail destination: where a domain's mail is delivered. Accepted forms:
//   host   host:port   1.2.3.4   1.2.3.4:2525   [2001:db8::1]   [2001:db8::1]:2525
//   2001:db8::1   (a bare IPv6 address: with two colons or more there is no port,
//                  since "2001:db8::1:25" is itself a valid address)
// Host names go through DomainName.normalize; IPv6 is re-rendered per RFC 5952.

public struct Destination: Equatable, Sendable {
    public enum Kind: Equatable, Sendable { case hostName, ipv4, ipv6 }

    /// The host in canonical form: lower-case A-label name, dotted IPv4, or
    /// RFC 5952 IPv6 without brackets.
    public let host: String
    public let kind: Kind
    /// 1...65535, or nil when none was given.
    public let port: Int?

    public init(host: String, kind: Kind, port: Int?) {
        self.host = host
        self.kind = kind
        self.port = port
    }

    /// The canonical text: "host", "host:25", "2001:db8::1", "[2001:db8::1]:25".
    public var text: String {
        guard let port else { return host }
        return kind == .ipv6 ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    public static func parse(_ text: String) throws(NameError) -> Destination {
        if text.isEmpty { throw .empty(.destination) }
        // Most destinations a script writes are IPv4 addresses, their own canonical form:
        // told in one pass over the bytes, before any copy of them is made.
        if ipv4Packed(text) != nil { return Destination(host: text, kind: .ipv4, port: nil) }
        let bytes = Array(text.utf8)

        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else {
                throw .badIPv6(text, host: String(text.dropFirst()), .unclosedBracket)
            }
            let host = string(bytes[1..<close])
            let address: String
            do { address = try ipv6(host) } catch { throw .badIPv6(text, host: host, error) }
            let rest = bytes[(close + 1)...]
            if rest.isEmpty { return Destination(host: address, kind: .ipv6, port: nil) }
            guard rest.first == UInt8(ascii: ":") else {
                throw .badIPv6(text, host: host, .textAfterBracket(string(rest)))
            }
            return Destination(host: address, kind: .ipv6, port: try port(string(rest.dropFirst()), in: text))
        }

        var colons = 0
        for b in bytes where b == UInt8(ascii: ":") { colons += 1 }
        if colons >= 2 {
            do { return Destination(host: try ipv6(text), kind: .ipv6, port: nil) } catch {
                throw .badIPv6(text, host: text, error)
            }
        }
        var host = text, portNumber: Int? = nil
        if colons == 1, let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            host = string(bytes[..<colon])
            portNumber = try port(string(bytes[(colon + 1)...]), in: text)
        }
        // Only digits and dots: meant as an IPv4 address, so judged as one.
        if !host.isEmpty, host.utf8.allSatisfy({ $0 == UInt8(ascii: ".") || ($0 >= 0x30 && $0 <= 0x39) }) {
            // `ipv4` accepts only the canonical form (four parts, no leading zero, none
            // above 255): the text is its own canonical form.
            guard ipv4Packed(host) != nil else { throw .badIPv4(text, host: host) }
            return Destination(host: host, kind: .ipv4, port: portNumber)
        }
        do {
            return Destination(host: try DomainName.normalize(host), kind: .hostName, port: portNumber)
        } catch {
            throw .badHost(text, error)
        }
    }

    // MARK: Pieces

    /// 1 to 5 decimal digits with a value in 1...65535.
    private static func port(_ s: String, in text: String) throws(NameError) -> Int {
        guard (1...5).contains(s.utf8.count), s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let n = Int(s), (1...65535).contains(n)
        else { throw .badPort(text, port: s) }
        return n
    }

    /// Four decimal numbers 0...255. A leading zero is refused ("01.2.3.4"): some
    /// parsers read it as octal, so its meaning is ambiguous.
    static func ipv4(_ s: String) -> [UInt8]? {
        ipv4Packed(s).map { [UInt8($0 >> 24), UInt8($0 >> 16 & 255), UInt8($0 >> 8 & 255), UInt8($0 & 255)] }
    }

    /// The four octets of a dotted IPv4 address in one integer, first octet highest.
    static func ipv4Packed(_ s: String) -> UInt32? {
        // One pass over the bytes, no substrings and no array: `check` judges every
        // destination a script writes (over contiguous bytes: the generic view's
        // iterator cost more than the parse).
        var s = s
        return s.withUTF8(ipv4Packed)
    }

    static func ipv4Packed(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
        var packed: UInt32 = 0, octets = 0
        var value = 0, digits = 0
        for b in bytes {
            if b == UInt8(ascii: ".") {
                guard digits > 0, octets < 3 else { return nil }
                packed = packed << 8 | UInt32(value)
                octets += 1
                value = 0
                digits = 0
                continue
            }
            guard b >= 0x30, b <= 0x39, digits < 3 else { return nil }
            if digits == 1, value == 0 { return nil }  // "01"
            value = value * 10 + Int(b - 0x30)
            digits += 1
            if value > 255 { return nil }
        }
        guard digits > 0, octets == 3 else { return nil }
        return packed << 8 | UInt32(value)
    }

    /// `s` (no brackets) in RFC 5952 form: lower case, no leading zeros, the longest
    /// run of two or more zero groups as "::". An IPv4 tail stays dotted.
    static func ipv6(_ s: String) throws(IPv6Problem) -> String {
        let b = Array(s.utf8)
        if !b.contains(0x3A) { throw .noColon }
        // Split at the one "::" (":::" counts as two and is refused).
        let gaps = b.indices.dropLast().filter { b[$0] == 0x3A && b[$0 + 1] == 0x3A }
        if gaps.count > 1 { throw .twoDoubleColons }
        let left = gaps.first.map { string(b[..<$0]) } ?? s
        let right = gaps.first.map { string(b[($0 + 2)...]) }

        var dotted: [UInt8]? = nil
        // The groups of one side; only the address's last piece may be dotted IPv4.
        func groups(_ side: String, last: Bool) throws(IPv6Problem) -> [UInt16] {
            if side.isEmpty { return [] }
            let pieces = side.split(separator: ":", omittingEmptySubsequences: false)
            var out: [UInt16] = []
            for (i, p) in pieces.enumerated() {
                if p.isEmpty { throw .strayColon }
                if last, i == pieces.count - 1, p.contains(".") {
                    guard let v4 = ipv4(String(p)) else { throw .badIPv4Tail(String(p)) }
                    dotted = v4
                    out += [UInt16(v4[0]) << 8 | UInt16(v4[1]), UInt16(v4[2]) << 8 | UInt16(v4[3])]
                } else {
                    guard (1...4).contains(p.utf8.count), !p.hasPrefix("+"), let g = UInt16(p, radix: 16)
                    else { throw .badGroup(String(p)) }
                    out.append(g)
                }
            }
            return out
        }
        let head = try groups(left, last: right == nil)
        var tail: [UInt16] = []
        if let right { tail = try groups(right, last: true) }
        let count = head.count + tail.count
        if right == nil ? count != 8 : count > 7 { throw .groupCount(count) }
        return render(head + Array(repeating: 0, count: 8 - count) + tail, dotted: dotted)
    }

    private static func render(_ groups: [UInt16], dotted: [UInt8]?) -> String {
        let hexCount = dotted == nil ? 8 : 6
        // The longest run of zero groups (first one on a tie), if at least two long.
        var best = (start: -1, length: 0), run = (start: -1, length: 0)
        for i in 0..<hexCount {
            if groups[i] == 0 {
                run = run.start < 0 ? (i, 1) : (run.start, run.length + 1)
                if run.length > best.length { best = run }
            } else {
                run = (-1, 0)
            }
        }
        func hex(_ r: Range<Int>) -> [String] { r.map { String(groups[$0], radix: 16) } }
        var out: String
        if best.length >= 2 {
            out =
                hex(0..<best.start).joined(separator: ":") + "::"
                + hex((best.start + best.length)..<hexCount).joined(separator: ":")
        } else {
            out = hex(0..<hexCount).joined(separator: ":")
        }
        if let dotted {
            if !out.hasSuffix(":") { out += ":" }
            out += dotted.suffix(4).map(String.init).joined(separator: ".")
        }
        return out
    }

    private static func string(_ b: ArraySlice<UInt8>) -> String { String(decoding: b, as: UTF8.self) }
}
