// Names the engine checks before anything is sent to a vendor: domain names, email
// addresses, mail destinations (Destination.swift), URL path segments. Pure Swift,
// no Foundation (start-up time); Unicode comes from the standard library alone.
//
// Decisions, so that every caller gets the same answer:
// - A trailing dot ("example.com.", the FQDN form) is refused: vendors do not accept
//   it, and silently dropping it would hide a typo such as "example.com.." .
// - An underscore is refused, with a message saying why: "_dmarc.example.com" is a DNS
//   record name, never a mail domain.
// - One label ("localhost", "corp") is accepted: Active Directory has single-label
//   domains, and "corp.local" shows that private names reach us. A vendor that wants a
//   public name says so itself. The last label may not be all digits, though: that is
//   an IP address (or a typo of one), not a name (RFC 3696 section 2).
// - Internationalised names: String.lowercased(), then NFC, then Punycode with "xn--"
//   (the core of IDNA2008 / UTS #46 without its mapping tables). Letters, marks and
//   decimal digits of any script are accepted; symbols, emoji, punctuation other than
//   "-", spaces, invisible characters and presentation forms are refused: IDNA2008
//   disallows them, and registries and mail vendors refuse them. Fullwidth ASCII and
//   the ideographic full stops are mapped as UTS #46 maps them ("ｅｘａｍｐｌｅ。ｊｐ").
//   Not done (needs tables): full UTS #46 mapping, Bidi and CONTEXTJ/O rules.
// - An ASCII label starting "xn--" must be a real A-label: it must decode, hold a
//   non-ASCII character, and re-encode to itself from its lower-case NFC form.
// - Labels of other shapes ("r3--sn-abc") are DNS-legal and kept.

// MARK: Domain names

public struct DomainName {
    /// The lower-case ASCII (A-label) form of `text`, or why it is not a domain name.
    public static func normalize(_ text: String) throws(NameError) -> String {
        if text.isEmpty { throw .empty(.domainName) }
        // No name is this long in any form; refuse before doing per-label work on it.
        if text.utf8.count > 1024 { throw .tooLong(text, octets: text.utf8.count) }
        if let plain = plainASCII(text) { return plain }

        // Split into labels at the scalar level: ".\u{301}" is one Character, but its
        // dot still ends a label (and the mark then starts one, which is refused).
        var labels: [[Unicode.Scalar]] = [[]]
        var starts = [1]  // the character position where each label starts
        var position = 0
        for c in text {
            position += 1
            for s in c.unicodeScalars.map(widthMapped) {
                if s == "." { labels.append([]); starts.append(position + 1); continue }
                // The scalar, not its Character, is reported: "a\u{200D}" is one Character.
                guard isLabelScalar(s, first: labels[labels.count - 1].isEmpty) else {
                    throw .badCharacter(text, Character(s), position: position)
                }
                labels[labels.count - 1].append(s)
            }
        }
        if labels.allSatisfy(\.isEmpty) { throw .notADomain(text) }
        if labels.first!.isEmpty { throw .leadingDot(text) }
        if labels.last!.isEmpty { throw .trailingDot(text) }
        if labels.contains(where: \.isEmpty) { throw .emptyLabel(text) }

        var ascii: [String] = []
        for (scalars, start) in zip(labels, starts) {
            let label = String(String.UnicodeScalarView(scalars))
            if scalars.first == "-" { throw .leadingHyphen(text, label: label) }
            if scalars.last == "-" { throw .trailingHyphen(text, label: label) }
            let a = try aLabel(label, in: text, at: start)
            if a.utf8.count > 63 { throw .labelTooLong(text, label: label, octets: a.utf8.count) }
            ascii.append(a)
        }
        let name = ascii.joined(separator: ".")
        if name.utf8.count > 253 { throw .tooLong(text, octets: name.utf8.count) }
        if ascii.last!.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            throw .numericLastLabel(text, label: ascii.last!)
        }
        return name
    }

    /// The common case without the general path's per-scalar work: letters, digits,
    /// hyphens and dots only, every rule already met (no "xn--" label, which needs its
    /// Punycode checked). Anything else, valid or not, is nil and goes the general way,
    /// so both give the same answers.
    static func plainASCII(_ text: String) -> String? {
        // Judged in place; a copy is made only to lower-case it (most names are already).
        var text = text
        let (plain, upper) = text.withUTF8 { b -> (Bool, Bool) in
            var labelStart = 0
            var lastLabelNumeric = true
            var upper = false
            for i in b.indices {
                switch b[i] {
                case 0x41...0x5A: upper = true; lastLabelNumeric = false
                case 0x61...0x7A: lastLabelNumeric = false
                case 0x30...0x39: break
                case 0x2D:
                    if i == labelStart { return (false, upper) }  // a leading hyphen
                    lastLabelNumeric = false
                case 0x2E:
                    guard plainLabel(b[labelStart..<i]) else { return (false, upper) }
                    labelStart = i + 1
                    lastLabelNumeric = true
                default: return (false, upper)
                }
            }
            return (plainLabel(b[labelStart...]) && !lastLabelNumeric && b.count <= 253, upper)
        }
        guard plain else { return nil }
        return upper ? text.lowercased() : text
    }

    /// A label the general path would take as it is: not empty, at most 63 octets, no
    /// hyphen at its end, and not a claimed A-label ("xn--", or any "--" in 3rd-4th place).
    private static func plainLabel<C: BidirectionalCollection<UInt8>>(_ label: C) -> Bool where C.Index == Int {
        guard !label.isEmpty, label.count <= 63, label.last != 0x2D else { return false }
        if label.count >= 4, label[label.startIndex + 2] == 0x2D, label[label.startIndex + 3] == 0x2D { return false }
        return true
    }

    /// `ascii` with each "xn--" label shown in Unicode, for display: "xn--bcher-kva.de"
    /// gives "bücher.de". A label that is not a valid A-label is left as it is, so that
    /// a vendor's "xn--" cannot put emoji, controls or bidi overrides on the screen.
    public static func unicode(_ ascii: String) -> String {
        ascii.split(separator: ".", omittingEmptySubsequences: false).map { label -> String in
            let lower = label.lowercased()
            guard lower.hasPrefix("xn--"), let u = Punycode.decode(lower.dropFirst(4)) else { return String(label) }
            let unicode = String(String.UnicodeScalarView(u))
            return (try? normalize(unicode)) == lower ? unicode : String(label)
        }.joined(separator: ".")
    }

    /// "bücher.de (xn--bcher-kva.de)" when the Unicode form differs, else the name.
    public static func display(_ ascii: String) -> String {
        let u = unicode(ascii)
        return u == ascii ? ascii : "\(u) (\(ascii))"
    }

    /// The A-label of one label already checked for characters and hyphens.
    private static func aLabel(_ label: String, in text: String, at start: Int) throws(NameError) -> String {
        let lower = nfc(label.lowercased())
        if isAllASCII(lower) {  // also "K" (Kelvin sign), which lower-cases to "k"
            guard lower.hasPrefix("xn--") else { return lower }
            // A claimed A-label must decode to a valid U-label whose own A-label it is
            // (so: lower case, NFC, allowed characters, canonical Punycode).
            guard let u = Punycode.decode(lower.dropFirst(4)), u.contains(where: { !$0.isASCII }),
                u.first != "-", u.last != "-",
                (try? aLabel(String(String.UnicodeScalarView(u)), in: text, at: start)) == lower
            else { throw .badPunycode(text, label: label) }
            return lower
        }
        // Checked again after lower-casing and NFC, which could in principle produce
        // what the character check refused (and since an "xn--" label arrives here).
        let scalars = Array(lower.unicodeScalars)
        if let bad = scalars.indices.first(where: { !isLabelScalar(scalars[$0], first: $0 == 0) }) {
            throw .badCharacter(text, Character(scalars[bad]), position: start)
        }
        guard let code = Punycode.encode(scalars) else { throw .tooLong(text, octets: text.utf8.count) }
        return "xn--" + code
    }
}

// MARK: Email addresses

public struct EmailAddress {
    /// "local@domain": the domain normalised as a domain name, the local part kept as
    /// given (it may be case-sensitive at the receiving server) but checked: dot-atom
    /// ASCII, or UTF-8 (SMTPUTF8) that is not a space, control or invisible character.
    public static func normalize(_ text: String) throws(NameError) -> String {
        if text.isEmpty { throw .empty(.emailAddress) }
        var local = "", domain: String? = nil
        var position = 0
        for c in text {
            position += 1
            if c == "@" {
                if domain != nil { throw .badEmail(text, .secondAt(position: position)) }
                domain = ""
            } else if domain == nil {
                if let bad = c.unicodeScalars.first(where: { !isLocalScalar($0) }) {
                    throw .badEmail(text, .localBadCharacter(Character(bad), position: position))
                }
                local.append(c)
            } else {
                domain!.append(c)
            }
        }
        guard let domain else { throw .badEmail(text, .missingAt) }
        if local.isEmpty { throw .badEmail(text, .emptyLocal) }
        if local.utf8.count > 64 { throw .badEmail(text, .localTooLong(octets: local.utf8.count)) }
        if local.hasPrefix(".") { throw .badEmail(text, .localLeadingDot) }
        if local.hasSuffix(".") { throw .badEmail(text, .localTrailingDot) }
        if local.contains("..") { throw .badEmail(text, .localDoubleDot) }
        let name: String
        do { name = try DomainName.normalize(domain) } catch { throw .badEmail(text, .domain(error)) }
        let address = local + "@" + name
        // RFC 5321: a path is at most 256 octets with its "<>", so 254 for the address.
        if address.utf8.count > 254 { throw .badEmail(text, .tooLong(octets: address.utf8.count)) }
        return address
    }

    /// The lookup key: the normalised address, lower-cased whole (the engine treats
    /// "Bob@X.com" and "bob@x.com" as one mailbox). Text that is not a valid address
    /// gives its own lower-cased form, so that it can still be compared.
    public static func key(_ email: String) -> String {
        ((try? normalize(email)) ?? email).lowercased()
    }

    private static func isLocalScalar(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII { return isAtext(UInt8(s.value)) || s == "." }
        switch s.properties.generalCategory {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .surrogate:
            return false
        default: return true
        }
    }

    /// RFC 5322 atext: letters, digits and !#$%&'*+-/=?^_`{|}~ .
    private static func isAtext(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        default: "!#$%&'*+-/=?^_`{|}~".utf8.contains(b)
        }
    }
}

// MARK: URL path segments

/// `s` as one URL path segment: everything but the unreserved characters (RFC 3986:
/// A-Z a-z 0-9 - _ . ~) is percent-encoded, and "." and ".." are written "%2E" and
/// "%2E%2E", so no value can walk up or across the path. (An empty value stays empty:
/// callers must refuse it, since "domains/" + "" names the collection.)
public func percentEncodePathSegment(_ s: String) -> String {
    if s == "." { return "%2E" }
    if s == ".." { return "%2E%2E" }
    let hex = Array("0123456789ABCDEF".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(s.utf8.count)
    for b in s.utf8 {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "-"), UInt8(ascii: "_"),
            UInt8(ascii: "."), UInt8(ascii: "~"):
            out.append(b)
        default:
            out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 0xF)]]
        }
    }
    return String(decoding: out, as: UTF8.self)
}

// MARK: Shared helpers

/// A scalar allowed in a label: ASCII letter, digit, "-"; or a non-ASCII letter,
/// decimal digit or mark (a mark not first: it would have nothing to combine with).
private func isLabelScalar(_ s: Unicode.Scalar, first: Bool) -> Bool {
    if s.isASCII {
        let b = UInt8(s.value)
        return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D
    }
    // Presentation forms (ligatures, Arabic forms, half/fullwidth) are compatibility
    // spellings that IDNA2008 disallows; without NFKC tables, refuse them outright.
    switch s.value {
    case 0xFB00...0xFDFF, 0xFE70...0xFEFF, 0xFF00...0xFFEF: return false
    default: break
    }
    switch s.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber:
        return true
    case .nonspacingMark, .spacingMark, .enclosingMark:
        return !first
    default:
        return false
    }
}

/// UTS #46 mappings that need no table: fullwidth ASCII to ASCII, and the
/// ideographic and halfwidth full stops to ".".
private func widthMapped(_ s: Unicode.Scalar) -> Unicode.Scalar {
    switch s.value {
    case 0x3002, 0xFF61: "."
    case 0xFF01...0xFF5E: Unicode.Scalar(s.value - 0xFEE0)!
    default: s
    }
}

/// Canonical composition (NFC), so that "u\u{308}" and "ü" give one A-label. The
/// standard library exposes it only under this underscored name; Foundation is avoided.
private func nfc(_ s: String) -> String {
    isAllASCII(s) ? s : String(decoding: s._nfcCodeUnits, as: UTF8.self)
}

func isAllASCII(_ s: String) -> Bool { s.utf8.allSatisfy { $0 < 0x80 } }
