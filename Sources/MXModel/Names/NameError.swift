// Why a name was refused, and the one-line English message that says so. The cases
// carry the text as given plus what is needed to point at the problem, so that the
// engine can match on them and the user reads e.g.
// "'a b.com' is not a domain name: a space at character 2".

/// Which kind of name a message is about.
public enum NameKind: Sendable, Equatable {
    case domainName, emailAddress, destination

    var noun: String {
        switch self {
        case .domainName: "domain name"
        case .emailAddress: "email address"
        case .destination: "mail destination"
        }
    }
}

/// Why a name was refused. The first associated value is the text as given; the rest
/// is what `message` needs to point at the problem. `position` counts characters
/// (what a user sees) from 1.
public enum NameError: Error, Equatable, Sendable {
    case empty(NameKind)
    case notADomain(String)  // ".", "..": only dots
    case tooLong(String, octets: Int)  // more than 253 in ASCII form
    case leadingDot(String)
    case trailingDot(String)
    case emptyLabel(String)  // "a..b"
    case labelTooLong(String, label: String, octets: Int)  // more than 63 in ASCII form
    case leadingHyphen(String, label: String)
    case trailingHyphen(String, label: String)
    case badCharacter(String, Character, position: Int)
    case badPunycode(String, label: String)  // "xn--" that is no A-label
    case numericLastLabel(String, label: String)  // "1.2.3.4" as a name
    case badEmail(String, EmailProblem)
    case badPort(String, port: String)
    case badIPv4(String, host: String)
    case badIPv6(String, host: String, IPv6Problem)
    indirect case badHost(String, NameError)  // a destination's host name

    /// One line of English: "'a b.com' is not a domain name: a space at character 2".
    public var message: String {
        switch self {
        case .empty(let kind):
            return "the \(kind.noun) is empty"
        case .badEmail(let text, _):
            return "\(quoted(text)) is not an email address: \(reason)"
        case .badPort(let text, _), .badIPv4(let text, _), .badIPv6(let text, _, _), .badHost(let text, _):
            return "\(quoted(text)) is not a mail destination: \(reason)"
        case .notADomain(let t), .tooLong(let t, _), .leadingDot(let t), .trailingDot(let t),
            .emptyLabel(let t), .labelTooLong(let t, _, _), .leadingHyphen(let t, _),
            .trailingHyphen(let t, _), .badCharacter(let t, _, _), .badPunycode(let t, _),
            .numericLastLabel(let t, _):
            return "\(quoted(t)) is not a domain name: \(reason)"
        }
    }

    /// The part of the message after the colon, also used for a nested domain error.
    var reason: String {
        switch self {
        case .empty: return "it is empty"
        case .notADomain: return "it has no labels, only dots"
        case .tooLong(let t, let n):
            return "it is \(n) characters long\(isAllASCII(t) ? "" : " in ASCII form") (at most 253)"
        case .leadingDot: return "it starts with a dot"
        case .trailingDot: return "it ends with a dot (write it without the final '.')"
        case .emptyLabel: return "it has an empty label (two dots in a row)"
        case .labelTooLong(_, let label, let n):
            return
                "the label \(quoted(label)) is \(n) characters long\(isAllASCII(label) ? "" : " in ASCII form") (at "
                + "most 63)"
        case .leadingHyphen(_, let label): return "the label \(quoted(label)) starts with a hyphen"
        case .trailingHyphen(_, let label): return "the label \(quoted(label)) ends with a hyphen"
        case .badCharacter(_, let c, let p): return "\(describeCharacter(c)) at character \(p)\(domainHint(c))"
        case .badPunycode(_, let label):
            return "the label \(quoted(label)) is not a valid internationalised (xn--) label"
        case .numericLastLabel(_, let label):
            return "the last label \(quoted(label)) is all digits (an IP address?)"
        case .badEmail(_, let problem): return problem.reason
        case .badPort(_, let port): return "the port \(quoted(port)) is not a number from 1 to 65535"
        case .badIPv4(_, let host):
            return "\(quoted(host)) is not an IPv4 address (four numbers 0-255, no leading zeros)"
        case .badIPv6(_, let host, let problem): return "\(quoted(host)) is not an IPv6 address: \(problem.reason)"
        case .badHost(_, .empty): return "the host is empty"
        case .badHost(_, let inner): return "the host \(quoted(inner.subject)): \(inner.reason)"
        }
    }

    /// The text a domain-name error is about.
    var subject: String {
        switch self {
        case .notADomain(let t), .tooLong(let t, _), .leadingDot(let t), .trailingDot(let t),
            .emptyLabel(let t), .labelTooLong(let t, _, _), .leadingHyphen(let t, _),
            .trailingHyphen(let t, _), .badCharacter(let t, _, _), .badPunycode(let t, _),
            .numericLastLabel(let t, _), .badEmail(let t, _), .badPort(let t, _),
            .badIPv4(let t, _), .badIPv6(let t, _, _), .badHost(let t, _):
            t
        case .empty: ""
        }
    }
}

/// Why an email address was refused.
public enum EmailProblem: Error, Equatable, Sendable {
    case missingAt
    case secondAt(position: Int)
    case emptyLocal
    case localTooLong(octets: Int)
    case localBadCharacter(Character, position: Int)
    case localLeadingDot, localTrailingDot, localDoubleDot
    case tooLong(octets: Int)
    indirect case domain(NameError)

    var reason: String {
        switch self {
        case .missingAt: "there is no '@'"
        case .secondAt(let p): "a second '@' at character \(p)"
        case .emptyLocal: "nothing before the '@'"
        case .localTooLong(let n): "the part before the '@' is \(n) octets long (at most 64)"
        case .localBadCharacter(let c, let p): "\(describeCharacter(c)) at character \(p)"
        case .localLeadingDot: "the part before the '@' starts with a dot"
        case .localTrailingDot: "the part before the '@' ends with a dot"
        case .localDoubleDot: "the part before the '@' has two dots in a row"
        case .tooLong(let n): "it is \(n) octets long (at most 254)"
        case .domain(.empty): "nothing after the '@'"
        case .domain(let e): "the domain \(quoted(e.subject)): \(e.reason)"
        }
    }
}

/// Why an IPv6 address was refused.
public enum IPv6Problem: Error, Equatable, Sendable {
    case badGroup(String)  // not 1-4 hex digits
    case twoDoubleColons
    case groupCount(Int)  // not 8 groups (or fewer with "::")
    case badIPv4Tail(String)
    case noColon  // "[mx.example.com]"
    case strayColon  // a single ':' at either end
    case unclosedBracket
    case textAfterBracket(String)

    var reason: String {
        switch self {
        case .badGroup(let g): "the group \(quoted(g)) is not 1 to 4 hex digits"
        case .twoDoubleColons: "'::' may appear only once"
        case .groupCount(let n): "it has \(n) groups (8 are needed, or fewer with '::')"
        case .badIPv4Tail(let t): "the IPv4 tail \(quoted(t)) is not an IPv4 address"
        case .noColon: "it has no ':' (brackets are only for IPv6)"
        case .strayColon: "it starts or ends with a single ':'"
        case .unclosedBracket: "the '[' has no ']'"
        case .textAfterBracket(let t): "\(quoted(t)) after the ']' (a port is written ']:25')"
        }
    }
}

// MARK: Naming characters

/// How a refused character is named in a message.
private func describeCharacter(_ c: Character) -> String {
    let codes = c.unicodeScalars.map { "U+" + pad(String($0.value, radix: 16, uppercase: true)) }
        .joined(separator: " ")
    switch c {
    case " ": return "a space"
    case "\t": return "a tab"
    case "\n", "\r", "\r\n": return "a line break"
    case "_": return "an underscore"
    case "'": return "an apostrophe"
    case "\"": return "a double quote"
    default: break
    }
    let s = c.unicodeScalars.first!
    if s.isASCII && s.value >= 0x20 && s.value < 0x7F { return "'\(c)'" }
    switch s.properties.generalCategory {
    case .control: return "a control character (\(codes))"
    case .spaceSeparator, .lineSeparator, .paragraphSeparator: return "a space (\(codes))"
    case .format: return "an invisible character (\(codes))"
    default: return "'\(c)' (\(codes))"
    }
}

/// A hint after a character refused in a domain name.
private func domainHint(_ c: Character) -> String {
    switch c {
    case "_": return " (underscores are not allowed in mail domain names)"
    case "@": return " (an email address where a domain name is expected?)"
    case ":": return " (a port or IPv6 address is not a domain name)"
    default:
        let s = c.unicodeScalars.first!
        if s.isASCII { return "" }
        switch s.properties.generalCategory {
        case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return " (symbols and emoji are not allowed)"
        case .nonspacingMark, .spacingMark, .enclosingMark:
            return " (a combining mark cannot start a label)"
        default: return ""
        }
    }
}

/// User text in a message: between quotes, with line breaks, controls and invisible
/// or unusual spaces written as escapes, so that the message stays one visible line.
private func quoted(_ text: String) -> String {
    var out = "'"
    for s in text.unicodeScalars {
        switch (s, s.properties.generalCategory) {
        case ("\n", _): out += "\\n"
        case ("\r", _): out += "\\r"
        case ("\t", _): out += "\\t"
        case (" ", _): out += " "
        case (_, .control), (_, .format), (_, .lineSeparator), (_, .paragraphSeparator), (_, .spaceSeparator):
            out += "\\u{" + String(s.value, radix: 16, uppercase: true) + "}"
        default: out.unicodeScalars.append(s)
        }
    }
    return out + "'"
}

private func pad(_ hex: String) -> String { String(repeating: "0", count: max(0, 4 - hex.count)) + hex }
