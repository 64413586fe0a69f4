// Names: domain names (with IDNA/Punycode), email addresses, mail destinations and
// URL path segments, as MXModel checks them before anything reaches a vendor.
// Every case states its exact output or its exact message. The tables (NameCases,
// at the end) are shared with /tmp/names/main.swift, the swiftc-only runner.

import MXModel
import Testing

/// The message a refused input gives, or a note that nothing was refused.
private func failure<T>(_ body: () throws(NameError) -> T) -> String {
    do { return "no error, got \(try body())" } catch { return error.message }
}

struct DomainNameTests {
    @Test(arguments: NameCases.domainValid)
    func normalizes(input: String, expected: String) throws {
        #expect(try DomainName.normalize(input) == expected)
        #expect(try DomainName.normalize(expected) == expected)  // idempotent
    }

    @Test(arguments: NameCases.domainInvalid)
    func refuses(input: String, message: String) {
        #expect(failure { () throws(NameError) in try DomainName.normalize(input) } == message)
    }

    @Test(arguments: NameCases.domainErrors)
    func errorValues(input: String, expected: NameError) {
        #expect(throws: expected) { try DomainName.normalize(input) }
    }

    @Test(arguments: NameCases.domainDisplay)
    func display(_ c: (ascii: String, unicode: String, display: String)) {
        #expect(DomainName.unicode(c.ascii) == c.unicode)
        #expect(DomainName.display(c.ascii) == c.display)
    }
}

struct PunycodeTests {
    @Test(arguments: NameCases.punycodeSamples)
    func rfc3492Samples(decoded: String, encoded: String) {
        #expect(Punycode.encode(Array(decoded.unicodeScalars)) == encoded)
        #expect(Punycode.decode(encoded).map { String(String.UnicodeScalarView($0)) } == decoded)
    }

    @Test func digitCaseIsIgnored() {
        // RFC 3492 prints sample (I) with mixed-case annotation.
        #expect(
            Punycode.decode("b1abfaaepdrnnbgefbaDotcwatmq2g4l") == Punycode.decode("b1abfaaepdrnnbgefbadotcwatmq2g4l"))
    }

    @Test(arguments: NameCases.punycodeInvalid)
    func refuses(text: String) {
        #expect(Punycode.decode(text) == nil)
    }
}

struct EmailAddressTests {
    @Test(arguments: NameCases.emailValid)
    func normalizes(input: String, expected: String) throws {
        #expect(try EmailAddress.normalize(input) == expected)
    }

    @Test(arguments: NameCases.emailInvalid)
    func refuses(input: String, message: String) {
        #expect(failure { () throws(NameError) in try EmailAddress.normalize(input) } == message)
    }

    @Test(arguments: NameCases.emailKeys)
    func key(input: String, expected: String) {
        #expect(EmailAddress.key(input) == expected)
    }
}

struct DestinationTests {
    @Test(arguments: NameCases.destinationValid)
    func parses(_ c: NameCases.DestinationCase) throws {
        let d = try Destination.parse(c.input)
        #expect(d == Destination(host: c.host, kind: c.kind, port: c.port))
        #expect(d.text == c.text)
        #expect(try Destination.parse(d.text) == d)  // the canonical text parses back
    }

    @Test(arguments: NameCases.destinationInvalid)
    func refuses(input: String, message: String) {
        #expect(failure { () throws(NameError) in try Destination.parse(input) } == message)
    }
}

struct PathSegmentTests {
    @Test(arguments: NameCases.pathSegments)
    func encodes(segment: String, expected: String) {
        #expect(percentEncodePathSegment(segment) == expected)
    }
}

/// In an enum so that the names do not clash with other files of the test target.
enum NameCases {
    static let label63 = String(repeating: "a", count: 63)
    static let label64 = String(repeating: "a", count: 64)
    /// 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253 octets: the longest name allowed.
    static let name253 = [label63, label63, label63, String(repeating: "b", count: 61)].joined(separator: ".")
    static let name254 = [label63, label63, label63, String(repeating: "b", count: 62)].joined(separator: ".")
    static let local64 = String(repeating: "l", count: 64)
    /// 64 + 1 + 195 = 260 octets: each part fits, the whole does not.
    static let longAddress = local64 + "@" + [label63, label63, label63, "com"].joined(separator: ".")

    /// (input, normalised A-label form)
    static let domainValid: [(String, String)] = [
        ("example.com", "example.com"),
        ("GOT.COM", "got.com"),
        ("Mail.Example.Org", "mail.example.org"),
        ("corp.local", "corp.local"),
        ("localhost", "localhost"),  // single label: accepted (AD)
        ("a-b.c-d.com", "a-b.c-d.com"),
        ("123.com", "123.com"),  // digits are fine, just not the whole last label
        ("r3--sn-abc.example.com", "r3--sn-abc.example.com"),
        ("bücher.de", "xn--bcher-kva.de"),
        ("MÜNCHEN.de", "xn--mnchen-3ya.de"),
        ("xn--mnchen-3ya.de", "xn--mnchen-3ya.de"),  // A-label round trip
        ("XN--MNCHEN-3YA.DE", "xn--mnchen-3ya.de"),
        ("München-Ost.de", "xn--mnchen-ost-9db.de"),
        ("bu\u{308}cher.de", "xn--bcher-kva.de"),  // decomposed input: NFC first
        ("straße.de", "xn--strae-oqa.de"),  // IDNA2008: ß is kept, not mapped to ss
        ("İstanbul.tr", "xn--istanbul-o0e.tr"),
        ("例え.jp", "xn--r8jz45g.jp"),
        ("日本語.com", "xn--wgv71a119e.com"),
        ("例子.广告", "xn--fsqu00a.xn--4rr70v"),
        ("ｅｘａｍｐｌｅ。ｃｏｍ", "example.com"),  // fullwidth and ideographic stop mapped
        ("\u{212A}.com", "k.com"),  // KELVIN SIGN lower-cases to k
        (label63 + ".com", label63 + ".com"),
        (name253, name253)
    ]

    /// (input, exact message)
    static let domainInvalid: [(String, String)] = [
        ("", "the domain name is empty"),
        (".", "'.' is not a domain name: it has no labels, only dots"),
        ("..", "'..' is not a domain name: it has no labels, only dots"),
        ("a..b", "'a..b' is not a domain name: it has an empty label (two dots in a row)"),
        (".a.com", "'.a.com' is not a domain name: it starts with a dot"),
        ("example.com.", "'example.com.' is not a domain name: it ends with a dot (write it without the final '.')"),
        ("-a.com", "'-a.com' is not a domain name: the label '-a' starts with a hyphen"),
        ("a-.com", "'a-.com' is not a domain name: the label 'a-' ends with a hyphen"),
        ("x.-b.com", "'x.-b.com' is not a domain name: the label '-b' starts with a hyphen"),
        ("bücher-.de", "'bücher-.de' is not a domain name: the label 'bücher-' ends with a hyphen"),
        ("a b.com", "'a b.com' is not a domain name: a space at character 2"),
        (" a.com", "' a.com' is not a domain name: a space at character 1"),
        ("a/b.com", "'a/b.com' is not a domain name: '/' at character 2"),
        ("a?b", "'a?b' is not a domain name: '?' at character 2"),
        ("a#b", "'a#b' is not a domain name: '#' at character 2"),
        ("a%b", "'a%b' is not a domain name: '%' at character 2"),
        ("a\\b", "'a\\b' is not a domain name: '\\' at character 2"),
        ("a:25", "'a:25' is not a domain name: ':' at character 2 (a port or IPv6 address is not a domain name)"),
        (
            "bob@x.com",
            "'bob@x.com' is not a domain name: '@' at character 4 (an email address where a domain name is expected?)"
        ),
        (
            "a_b.com",
            "'a_b.com' is not a domain name: an underscore at character 2 (underscores are not allowed in mail domain "
                + "names)"
        ),
        (
            "_dmarc.example.com",
            "'_dmarc.example.com' is not a domain name: an underscore at character 1 (underscores are not allowed in "
                + "mail domain names)"
        ),
        ("a\tb.com", "'a\\tb.com' is not a domain name: a tab at character 2"),
        ("a\nb.com", "'a\\nb.com' is not a domain name: a line break at character 2"),  // the message stays one line
        ("a\u{7}b.com", "'a\\u{7}b.com' is not a domain name: a control character (U+0007) at character 2"),
        ("a\u{A0}b.com", "'a\\u{A0}b.com' is not a domain name: a space (U+00A0) at character 2"),
        ("a\u{200D}b.com", "'a\\u{200D}b.com' is not a domain name: an invisible character (U+200D) at character 1"),
        ("😀.com", "'😀.com' is not a domain name: '😀' (U+1F600) at character 1 (symbols and emoji are not allowed)"),
        ("a★.com", "'a★.com' is not a domain name: '★' (U+2605) at character 2 (symbols and emoji are not allowed)"),
        ("ﬁle.com", "'ﬁle.com' is not a domain name: 'ﬁ' (U+FB01) at character 1"),
        (
            "\u{301}a.com",
            "'\u{301}a.com' is not a domain name: '\u{301}' (U+0301) at character 1 (a combining mark cannot start a "
                + "label)"
        ),
        (
            "xn--ls8h.la",
            "'xn--ls8h.la' is not a domain name: the label 'xn--ls8h' is not a valid internationalised (xn--) label"
        ),
        (
            "xn--bucher-xyd.de",
            "'xn--bucher-xyd.de' is not a domain name: the label 'xn--bucher-xyd' is not a valid internationalised "
                + "(xn--) label"
        ),  // "bu\u{308}cher": not NFC
        (
            "xn--bcher-2pa.de",
            "'xn--bcher-2pa.de' is not a domain name: the label 'xn--bcher-2pa' is not a valid internationalised "
                + "(xn--) label"
        ),  // "bÜcher": not lower case
        ("xn--abc-.com", "'xn--abc-.com' is not a domain name: the label 'xn--abc-' ends with a hyphen"),
        (
            "xn--99999999999.com",
            "'xn--99999999999.com' is not a domain name: the label 'xn--99999999999' is not a valid internationalised "
                + "(xn--) label"
        ),
        ("1.2.3.4", "'1.2.3.4' is not a domain name: the last label '4' is all digits (an IP address?)"),
        (
            label64 + ".com",
            "'\(label64).com' is not a domain name: the label '\(label64)' is 64 characters long (at most 63)"
        ),
        (
            String(repeating: "ü", count: 60) + ".de",
            "'\(String(repeating: "ü", count: 60)).de' is not a domain name: the label "
                + "'\(String(repeating: "ü", count: 60))' is 66 characters long in ASCII form (at most 63)"
        ),
        (name254, "'\(name254)' is not a domain name: it is 254 characters long (at most 253)")
    ]

    /// (input, the exact error value) for a few, so the cases' payloads are pinned too.
    static let domainErrors: [(String, NameError)] = [
        ("a b.com", .badCharacter("a b.com", " ", position: 2)),
        ("-a.com", .leadingHyphen("-a.com", label: "-a")),
        ("a..b", .emptyLabel("a..b")),
        ("example.com.", .trailingDot("example.com.")),
        (label64, .labelTooLong(label64, label: label64, octets: 64)),
        ("", .empty(.domainName))
    ]

    /// (A-label form, unicode(_:), display(_:))
    static let domainDisplay: [(String, String, String)] = [
        ("xn--bcher-kva.de", "bücher.de", "bücher.de (xn--bcher-kva.de)"),
        ("xn--mnchen-3ya.de", "münchen.de", "münchen.de (xn--mnchen-3ya.de)"),
        ("xn--fsqu00a.xn--4rr70v", "例子.广告", "例子.广告 (xn--fsqu00a.xn--4rr70v)"),
        ("example.com", "example.com", "example.com"),
        ("xn--!!.com", "xn--!!.com", "xn--!!.com"),  // does not decode: shown as it is
        ("xn--ls8h.la", "xn--ls8h.la", "xn--ls8h.la"),  // decodes to an emoji, refused: shown as it is
        ("XN--BCHER-KVA.de", "bücher.de", "bücher.de (XN--BCHER-KVA.de)")
    ]

    /// RFC 3492 section 7.1 samples (A) to (S): (Unicode, Punycode).
    static let punycodeSamples: [(String, String)] = [
        (
            "\u{0644}\u{064A}\u{0647}\u{0645}\u{0627}\u{0628}\u{062A}\u{0643}\u{0644}\u{0645}\u{0648}\u{0634}\u{0639}"
                + "\u{0631}\u{0628}\u{064A}\u{061F}",
            "egbpdaj6bu4bxfgehfvwxn"
        ),
        ("\u{4ED6}\u{4EEC}\u{4E3A}\u{4EC0}\u{4E48}\u{4E0D}\u{8BF4}\u{4E2D}\u{6587}", "ihqwcrb4cv8a8dqg056pqjye"),
        ("\u{4ED6}\u{5011}\u{7232}\u{4EC0}\u{9EBD}\u{4E0D}\u{8AAA}\u{4E2D}\u{6587}", "ihqwctvzc91f659drss3x8bo0yb"),
        ("Pro\u{010D}prost\u{011B}nemluv\u{00ED}\u{010D}esky", "Proprostnemluvesky-uyb24dma41a"),
        (
            "\u{05DC}\u{05DE}\u{05D4}\u{05D4}\u{05DD}\u{05E4}\u{05E9}\u{05D5}\u{05D8}\u{05DC}\u{05D0}\u{05DE}\u{05D3}"
                + "\u{05D1}\u{05E8}\u{05D9}\u{05DD}\u{05E2}\u{05D1}\u{05E8}\u{05D9}\u{05EA}",
            "4dbcagdahymbxekheh6e0a7fei0b"
        ),
        (
            "\u{092F}\u{0939}\u{0932}\u{094B}\u{0917}\u{0939}\u{093F}\u{0928}\u{094D}\u{0926}\u{0940}\u{0915}\u{094D}"
                + "\u{092F}\u{094B}\u{0902}\u{0928}\u{0939}\u{0940}\u{0902}\u{092C}\u{094B}\u{0932}\u{0938}\u{0915}"
                + "\u{0924}\u{0947}\u{0939}\u{0948}\u{0902}",
            "i1baa7eci9glrd9b2ae1bj0hfcgg6iyaf8o0a1dig0cd"
        ),
        (
            "\u{306A}\u{305C}\u{307F}\u{3093}\u{306A}\u{65E5}\u{672C}\u{8A9E}\u{3092}\u{8A71}\u{3057}\u{3066}\u{304F}"
                + "\u{308C}\u{306A}\u{3044}\u{306E}\u{304B}",
            "n8jok5ay5dzabd5bym9f0cm5685rrjetr6pdxa"
        ),
        (
            "\u{C138}\u{ACC4}\u{C758}\u{BAA8}\u{B4E0}\u{C0AC}\u{B78C}\u{B4E4}\u{C774}\u{D55C}\u{AD6D}\u{C5B4}\u{B97C}"
                + "\u{C774}\u{D574}\u{D55C}\u{B2E4}\u{BA74}\u{C5BC}\u{B9C8}\u{B098}\u{C88B}\u{C744}\u{AE4C}",
            "989aomsvi5e83db1d2a355cv1e0vak1dwrv93d5xbh15a0dt30a5jpsd879ccm6fea98c"
        ),
        (
            "\u{043F}\u{043E}\u{0447}\u{0435}\u{043C}\u{0443}\u{0436}\u{0435}\u{043E}\u{043D}\u{0438}\u{043D}\u{0435}"
                + "\u{0433}\u{043E}\u{0432}\u{043E}\u{0440}\u{044F}\u{0442}\u{043F}\u{043E}\u{0440}\u{0443}\u{0441}"
                + "\u{0441}\u{043A}\u{0438}",
            "b1abfaaepdrnnbgefbadotcwatmq2g4l"
        ),
        ("Porqu\u{00E9}nopuedensimplementehablarenEspa\u{00F1}ol", "PorqunopuedensimplementehablarenEspaol-fmd56a"),
        (
            "T\u{1EA1}isaoh\u{1ECD}kh\u{00F4}ngth\u{1EC3}ch\u{1EC9}n\u{00F3}iti\u{1EBF}ngVi\u{1EC7}t",
            "TisaohkhngthchnitingVit-kjcr8268qyxafd2f1b9g"
        ),
        ("3\u{5E74}B\u{7D44}\u{91D1}\u{516B}\u{5148}\u{751F}", "3B-ww4c5e180e575a65lsy2b"),
        ("\u{5B89}\u{5BA4}\u{5948}\u{7F8E}\u{6075}-with-SUPER-MONKEYS", "-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n"),
        (
            "Hello-Another-Way-\u{305D}\u{308C}\u{305E}\u{308C}\u{306E}\u{5834}\u{6240}",
            "Hello-Another-Way--fc4qua05auwb3674vfr0b"
        ),
        ("\u{3072}\u{3068}\u{3064}\u{5C4B}\u{6839}\u{306E}\u{4E0B}2", "2-u9tlzr9756bt3uc0v"),
        ("Maji\u{3067}Koi\u{3059}\u{308B}5\u{79D2}\u{524D}", "MajiKoi5-783gue6qz075azm5e"),
        ("\u{30D1}\u{30D5}\u{30A3}\u{30FC}de\u{30EB}\u{30F3}\u{30D0}", "de-jg4avhby1noc0d"),
        ("\u{305D}\u{306E}\u{30B9}\u{30D4}\u{30FC}\u{30C9}\u{3067}", "d9juau41awczczp"),
        ("-> $1.00 <-", "-> $1.00 <--"),
        ("b\u{00FC}cher", "bcher-kva")
    ]

    /// Not Punycode: decode gives nil.
    static let punycodeInvalid: [String] = ["ü", "a-!", "99999999999", "zzzzzzzzzzzzzzzzzzzzzzzzzzz", "a-9"]

    /// (input, normalised)
    static let emailValid: [(String, String)] = [
        ("bob@example.com", "bob@example.com"),
        ("Bob@Example.COM", "Bob@example.com"),  // local part kept as given
        ("bob.smith+tag@bücher.de", "bob.smith+tag@xn--bcher-kva.de"),
        ("o'brien@x.org", "o'brien@x.org"),
        ("a!#$%&'*+-/=?^_`{|}~z@x.org", "a!#$%&'*+-/=?^_`{|}~z@x.org"),
        ("Jörg@Bücher.de", "Jörg@xn--bcher-kva.de"),  // SMTPUTF8 local part
        ("用户@例子.广告", "用户@xn--fsqu00a.xn--4rr70v"),
        ("admin@corp.local", "admin@corp.local"),
        (local64 + "@x.com", local64 + "@x.com")
    ]

    /// (input, exact message)
    static let emailInvalid: [(String, String)] = [
        ("", "the email address is empty"),
        ("bob", "'bob' is not an email address: there is no '@'"),
        ("@x.com", "'@x.com' is not an email address: nothing before the '@'"),
        ("bob@", "'bob@' is not an email address: nothing after the '@'"),
        ("a@b@c.com", "'a@b@c.com' is not an email address: a second '@' at character 4"),
        ("bob smith@x.com", "'bob smith@x.com' is not an email address: a space at character 4"),
        ("\"bob\"@x.com", "'\"bob\"@x.com' is not an email address: a double quote at character 1"),
        (
            "bob\u{200B}@x.com",
            "'bob\\u{200B}@x.com' is not an email address: an invisible character (U+200B) at character 4"
        ),
        ("bo(b)@x.com", "'bo(b)@x.com' is not an email address: '(' at character 3"),
        (".bob@x.com", "'.bob@x.com' is not an email address: the part before the '@' starts with a dot"),
        ("bob.@x.com", "'bob.@x.com' is not an email address: the part before the '@' ends with a dot"),
        ("bo..b@x.com", "'bo..b@x.com' is not an email address: the part before the '@' has two dots in a row"),
        (
            local64 + "l@x.com",
            "'\(local64)l@x.com' is not an email address: the part before the '@' is 65 octets long (at most 64)"
        ),
        (
            "bob@a..b",
            "'bob@a..b' is not an email address: the domain 'a..b': it has an empty label (two dots in a row)"
        ),
        ("bob@a b.com", "'bob@a b.com' is not an email address: the domain 'a b.com': a space at character 2"),
        (
            "bob@x.com.",
            "'bob@x.com.' is not an email address: the domain 'x.com.': it ends with a dot (write it without the final "
                + "'.')"
        ),
        ("bob@[1.2.3.4]", "'bob@[1.2.3.4]' is not an email address: the domain '[1.2.3.4]': '[' at character 1"),
        (
            "bob@a_b.com",
            "'bob@a_b.com' is not an email address: the domain 'a_b.com': an underscore at character 2 (underscores "
                + "are not allowed in mail domain names)"
        ),
        (longAddress, "'\(longAddress)' is not an email address: it is 260 octets long (at most 254)")
    ]

    /// (input, key)
    static let emailKeys: [(String, String)] = [
        ("Bob@Example.COM", "bob@example.com"),
        ("JÖRG@BÜCHER.DE", "jörg@xn--bcher-kva.de"),
        ("bob@xn--bcher-kva.de", "bob@xn--bcher-kva.de"),
        ("Not An Email", "not an email")  // invalid: its own lower-cased text
    ]

    struct DestinationCase: Sendable, CustomStringConvertible {
        let input: String, host: String, kind: Destination.Kind, port: Int?, text: String
        init(_ input: String, _ host: String, _ kind: Destination.Kind, _ port: Int?, _ text: String) {
            (self.input, self.host, self.kind, self.port, self.text) = (input, host, kind, port, text)
        }
        var description: String { input }
    }

    static let destinationValid: [DestinationCase] = [
        .init("mx.example.com", "mx.example.com", .hostName, nil, "mx.example.com"),
        .init("MX.Example.com:25", "mx.example.com", .hostName, 25, "mx.example.com:25"),
        .init("bücher.de:2525", "xn--bcher-kva.de", .hostName, 2525, "xn--bcher-kva.de:2525"),
        .init("localhost:65535", "localhost", .hostName, 65535, "localhost:65535"),
        .init("1.2.3.4", "1.2.3.4", .ipv4, nil, "1.2.3.4"),
        .init("10.0.0.5:25", "10.0.0.5", .ipv4, 25, "10.0.0.5:25"),
        .init("0.0.0.0:1", "0.0.0.0", .ipv4, 1, "0.0.0.0:1"),
        .init("255.255.255.255", "255.255.255.255", .ipv4, nil, "255.255.255.255"),
        .init("[2001:db8::1]:2525", "2001:db8::1", .ipv6, 2525, "[2001:db8::1]:2525"),
        .init("[2001:db8::1]", "2001:db8::1", .ipv6, nil, "2001:db8::1"),
        .init("2001:db8::1", "2001:db8::1", .ipv6, nil, "2001:db8::1"),
        .init("2001:DB8:0:0:0:0:0:1", "2001:db8::1", .ipv6, nil, "2001:db8::1"),
        .init("2001:0db8:0000:0000:0001:0000:0000:0001", "2001:db8::1:0:0:1", .ipv6, nil, "2001:db8::1:0:0:1"),
        .init("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1", .ipv6, nil, "2001:db8:0:1:1:1:1:1"),
        .init("2001:db8::1:25", "2001:db8::1:25", .ipv6, nil, "2001:db8::1:25"),  // bare: no port
        .init("::", "::", .ipv6, nil, "::"),
        .init("::1", "::1", .ipv6, nil, "::1"),
        .init("[::1]:25", "::1", .ipv6, 25, "[::1]:25"),
        .init("1::", "1::", .ipv6, nil, "1::"),
        .init("::ffff:192.0.2.1", "::ffff:192.0.2.1", .ipv6, nil, "::ffff:192.0.2.1"),
        .init("[64:ff9b::192.0.2.33]:25", "64:ff9b::192.0.2.33", .ipv6, 25, "[64:ff9b::192.0.2.33]:25"),
        .init("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:1.2.3.4", .ipv6, nil, "1:2:3:4:5:6:1.2.3.4")
    ]

    /// (input, exact message)
    static let destinationInvalid: [(String, String)] = [
        ("", "the mail destination is empty"),
        (
            "host.example.com:99999",
            "'host.example.com:99999' is not a mail destination: the port '99999' is not a number from 1 to 65535"
        ),
        ("host:0", "'host:0' is not a mail destination: the port '0' is not a number from 1 to 65535"),
        ("host:", "'host:' is not a mail destination: the port '' is not a number from 1 to 65535"),
        ("host:smtp", "'host:smtp' is not a mail destination: the port 'smtp' is not a number from 1 to 65535"),
        ("host:+25", "'host:+25' is not a mail destination: the port '+25' is not a number from 1 to 65535"),
        (":25", "':25' is not a mail destination: the host is empty"),
        ("a b:25", "'a b:25' is not a mail destination: the host 'a b': a space at character 2"),
        (
            "-mx.example.com",
            "'-mx.example.com' is not a mail destination: the host '-mx.example.com': the label '-mx' starts with a "
                + "hyphen"
        ),
        (
            "01.2.3.4",
            "'01.2.3.4' is not a mail destination: '01.2.3.4' is not an IPv4 address (four numbers 0-255, no leading "
                + "zeros)"
        ),
        (
            "256.1.1.1:25",
            "'256.1.1.1:25' is not a mail destination: '256.1.1.1' is not an IPv4 address (four numbers 0-255, no "
                + "leading zeros)"
        ),
        (
            "1.2.3",
            "'1.2.3' is not a mail destination: '1.2.3' is not an IPv4 address (four numbers 0-255, no leading zeros)"
        ),
        (
            "1.2.3.4.5",
            "'1.2.3.4.5' is not a mail destination: '1.2.3.4.5' is not an IPv4 address (four numbers 0-255, no leading "
                + "zeros)"
        ),
        (
            "1.2..4",
            "'1.2..4' is not a mail destination: '1.2..4' is not an IPv4 address (four numbers 0-255, no leading zeros)"
        ),
        (
            "1.2.3.4:99999",
            "'1.2.3.4:99999' is not a mail destination: the port '99999' is not a number from 1 to 65535"
        ),
        (
            "[2001:db8::1",
            "'[2001:db8::1' is not a mail destination: '2001:db8::1' is not an IPv6 address: the '[' has no ']'"
        ),
        (
            "[2001:db8::1]2525",
            "'[2001:db8::1]2525' is not a mail destination: '2001:db8::1' is not an IPv6 address: '2525' after the ']' "
                + "(a port is written ']:25')"
        ),
        (
            "[2001:db8::1]:0",
            "'[2001:db8::1]:0' is not a mail destination: the port '0' is not a number from 1 to 65535"
        ),
        (
            "[mx.example.com]:25",
            "'[mx.example.com]:25' is not a mail destination: 'mx.example.com' is not an IPv6 address: it has no ':' "
                + "(brackets are only for IPv6)"
        ),
        (
            "2001:db8:::1",
            "'2001:db8:::1' is not a mail destination: '2001:db8:::1' is not an IPv6 address: '::' may appear only once"
        ),
        ("1::2::3", "'1::2::3' is not a mail destination: '1::2::3' is not an IPv6 address: '::' may appear only once"),
        (
            "2001:db8::g",
            "'2001:db8::g' is not a mail destination: '2001:db8::g' is not an IPv6 address: the group 'g' is not 1 to "
                + "4 hex digits"
        ),
        (
            "2001:db8::12345",
            "'2001:db8::12345' is not a mail destination: '2001:db8::12345' is not an IPv6 address: the group '12345' "
                + "is not 1 to 4 hex digits"
        ),
        (
            "1:2:3:4:5:6:7",
            "'1:2:3:4:5:6:7' is not a mail destination: '1:2:3:4:5:6:7' is not an IPv6 address: it has 7 groups (8 are "
                + "needed, or fewer with '::')"
        ),
        (
            "1:2:3:4:5:6:7:8:9",
            "'1:2:3:4:5:6:7:8:9' is not a mail destination: '1:2:3:4:5:6:7:8:9' is not an IPv6 address: it has 9 "
                + "groups (8 are needed, or fewer with '::')"
        ),
        (
            "1:2:3:4::5:6:7:8",
            "'1:2:3:4::5:6:7:8' is not a mail destination: '1:2:3:4::5:6:7:8' is not an IPv6 address: it has 8 groups "
                + "(8 are needed, or fewer with '::')"
        ),
        (
            ":1:2:3:4:5:6:7",
            "':1:2:3:4:5:6:7' is not a mail destination: ':1:2:3:4:5:6:7' is not an IPv6 address: it starts or ends "
                + "with a single ':'"
        ),
        (
            "1:2:3:4:5:6:7:",
            "'1:2:3:4:5:6:7:' is not a mail destination: '1:2:3:4:5:6:7:' is not an IPv6 address: it starts or ends "
                + "with a single ':'"
        ),
        (
            "::ffff:1.2.3.256",
            "'::ffff:1.2.3.256' is not a mail destination: '::ffff:1.2.3.256' is not an IPv6 address: the IPv4 tail "
                + "'1.2.3.256' is not an IPv4 address"
        ),
        (
            "1.2.3.4::",
            "'1.2.3.4::' is not a mail destination: '1.2.3.4::' is not an IPv6 address: the group '1.2.3.4' is not 1 "
                + "to 4 hex digits"
        ),
        (
            "[fe80::1%eth0]:25",
            "'[fe80::1%eth0]:25' is not a mail destination: 'fe80::1%eth0' is not an IPv6 address: the group '1%eth0' "
                + "is not 1 to 4 hex digits"
        )
    ]

    /// (segment, encoded)
    static let pathSegments: [(String, String)] = [
        ("abc", "abc"),
        ("a.b-c_d~e", "a.b-c_d~e"),
        (".", "%2E"),
        ("..", "%2E%2E"),
        ("...", "..."),  // not a dot segment: harmless
        (".a", ".a"),
        ("a b", "a%20b"),
        ("a/b", "a%2Fb"),
        ("../admin", "..%2Fadmin"),
        ("?#%&=+", "%3F%23%25%26%3D%2B"),
        ("bob@x.com", "bob%40x.com"),
        ("bücher", "b%C3%BCcher"),
        ("", "")
    ]
}
