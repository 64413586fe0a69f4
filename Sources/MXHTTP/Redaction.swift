import MXJSON

/// Trace text with every credential replaced by `****`: header values of
/// Authorization, X-Password and X-User; JSON members and form fields whose name
/// says password, token, secret or key (OpenSRS's `credentials` object included).
public enum Redaction {
    static let secretHeaders: Set<String> = [
        "authorization", "x-password", "x-user", "proxy-authorization", "cookie", "set-cookie"
    ]
    static let secretWords = ["password", "token", "secret", "key", "credential", "user"]

    public static func header(_ name: String, _ value: String) -> String {
        secretHeaders.contains(name.lowercased()) ? "\(name): ****" : "\(name): \(value)"
    }

    static func isSecretName(_ name: String) -> Bool {
        let n = name.lowercased()
        return secretWords.contains { n.contains($0) }
    }

    /// Masks values in a JSON or form body. Works on text, not a parse, so that a
    /// malformed body is masked too.
    public static func body(_ text: String) -> String {
        if text.contains("=") && !text.contains("{") { return form(text) }
        return json(text)
    }

    static func form(_ text: String) -> String {
        text.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let eq = pair.firstIndex(of: "=") else { return String(pair) }
            let name = String(pair[..<eq])
            if isSecretName(name.percentDecoded(plusIsSpace: true)) { return name + "=****" }
            // AD360 sends JSON inside a form field (`DOMAINS=[{"USER_PASSWORD": ...}]`):
            // mask inside it, and show it decoded, which is easier to read anyway.
            let value = String(pair[pair.index(after: eq)...]).percentDecoded(plusIsSpace: true)
            if let first = value.first, first == "{" || first == "[" { return name + "=" + json(value) }
            return String(pair)
        }.joined(separator: "&")
    }

    /// `"password": "x"` -> `"password": "****"`; `"credentials": {...}` -> `"credentials": "****"`.
    static func json(_ text: String) -> String {
        let chars = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(chars.count)
        var i = 0
        while i < chars.count {
            guard chars[i] == UInt8(ascii: "\"") else { out.append(chars[i]); i += 1; continue }
            // A string: a key when a colon follows it.
            let end = stringEnd(chars, i)
            out.append(contentsOf: chars[i..<end])
            let name = String(decoding: chars[(i + 1)..<max(i + 1, end - 1)], as: UTF8.self)
            i = end
            var j = i
            while j < chars.count, chars[j] == UInt8(ascii: " ") { j += 1 }
            guard j < chars.count, chars[j] == UInt8(ascii: ":"), isSecretName(name) else { continue }
            j += 1
            while j < chars.count, chars[j] == UInt8(ascii: " ") { j += 1 }
            out.append(contentsOf: Array(": \"****\"".utf8))
            i = valueEnd(chars, j)
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func stringEnd(_ c: [UInt8], _ start: Int) -> Int {
        var i = start + 1
        while i < c.count {
            if c[i] == UInt8(ascii: "\\") { i += 2; continue }
            if c[i] == UInt8(ascii: "\"") { return i + 1 }
            i += 1
        }
        return c.count
    }

    /// The end of the JSON value starting at `start` (string, object, array or scalar).
    private static func valueEnd(_ c: [UInt8], _ start: Int) -> Int {
        guard start < c.count else { return start }
        if c[start] == UInt8(ascii: "\"") { return stringEnd(c, start) }
        if c[start] == UInt8(ascii: "{") || c[start] == UInt8(ascii: "[") {
            var depth = 0
            var i = start
            while i < c.count {
                switch c[i] {
                case UInt8(ascii: "\""): i = stringEnd(c, i); continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return i + 1 }
                default: break
                }
                i += 1
            }
            return c.count
        }
        var i = start
        while i < c.count, c[i] != UInt8(ascii: ","), c[i] != UInt8(ascii: "}"), c[i] != UInt8(ascii: "]") { i += 1 }
        return i
    }
}

extension Redaction {
    /// `bytes` with each secret replaced by `****` wherever it occurs: as written, as a
    /// JSON string escapes it, percent-encoded (a form body or URL echoed back) and
    /// HTML-escaped (an error page). Texts under 3 bytes are left alone: masking them
    /// would mangle ordinary text and hide nothing.
    public static func masking(_ bytes: [UInt8], _ secrets: [String]) -> [UInt8] {
        maskingEscapedStrings(plainMasking(bytes, secrets), secrets)
    }

    static func plainMasking(_ bytes: [UInt8], _ secrets: [String]) -> [UInt8] {
        var out = bytes
        for secret in secrets where secret.utf8.count >= 3 {
            for form in forms(of: secret) { out = replacing(out, Array(form.utf8)) }
        }
        return out
    }

    /// JSON strings that spell characters as `\uXXXX` (Python's `json.dumps` writes
    /// every non-ASCII character so, Go and Gson `&`, `<` and `>`) are too many spellings
    /// to list: each string holding a `\u` is decoded, masked, and written back.
    static func maskingEscapedStrings(_ bytes: [UInt8], _ secrets: [String]) -> [UInt8] {
        let backslash = UInt8(ascii: "\\"), quote = UInt8(ascii: "\""), u = UInt8(ascii: "u")
        guard secrets.contains(where: { $0.utf8.count >= 3 }),
            bytes.indices.dropLast().contains(where: { bytes[$0] == backslash && bytes[$0 + 1] == u })
        else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            guard bytes[i] == quote else {
                out.append(bytes[i])
                i += 1
                continue
            }
            let end = stringEnd(bytes, i)
            let token = Array(bytes[i..<end])
            if token.indices.dropLast().contains(where: { token[$0] == backslash && token[$0 + 1] == u }),
                let text = (try? JSON.parse(token))?.string
            {
                let masked = String(decoding: plainMasking(Array(text.utf8), secrets), as: UTF8.self)
                if masked != text {
                    out += Array(("\"" + jsonEscaped(masked, slash: false) + "\"").utf8)
                    i = end
                    continue
                }
            }
            out += token
            i = end
        }
        return out
    }

    public static func masking(_ text: String, _ secrets: [String]) -> String {
        secrets.isEmpty ? text : String(decoding: masking(Array(text.utf8), secrets), as: UTF8.self)
    }

    /// The ways a vendor may write `secret` back: each escaping (JSON, JSON with `\/`,
    /// HTML, percent-encoding, a form's `+`), and each pair of them (a form field
    /// holding JSON, an error message quoting the JSON request). Longest first, so a
    /// form that contains another is masked whole. A plain token has one form.
    public static func forms(of secret: String) -> [String] {
        let once = Set(escapings.map { $0(secret) } + [secret])
        let twice = once.union(once.flatMap { s in escapings.map { $0(s) } })
        return twice.sorted { $0.utf8.count > $1.utf8.count }
    }

    static let escapings: [@Sendable (String) -> String] = [
        { jsonEscaped($0, slash: false) }, { jsonEscaped($0, slash: true) }, htmlEscaped,
        { percentEncoded($0, plus: false) }, { percentEncoded($0, plus: true) },
        { percentEncoded($0, plus: false).lowercased() }
    ]

    static func jsonEscaped(_ s: String, slash: Bool) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "/" where slash: out += "\\/"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    static func htmlEscaped(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    static func percentEncoded(_ s: String, plus: Bool) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            case UInt8(ascii: " ") where plus: out += "+"
            default: out += "%" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// Every occurrence of `secret` in `bytes` replaced by `****`.
    static func replacing(_ bytes: [UInt8], _ secret: [UInt8]) -> [UInt8] {
        guard let first = secret.first, bytes.count >= secret.count else { return bytes }
        var out: [UInt8] = []
        var i = 0
        var changed = false
        while i < bytes.count {
            if bytes[i] == first, i + secret.count <= bytes.count, bytes[i..<i + secret.count].elementsEqual(secret) {
                if !changed { out.reserveCapacity(bytes.count); out.append(contentsOf: bytes[0..<i]); changed = true }
                out.append(contentsOf: [42, 42, 42, 42])
                i += secret.count
                continue
            }
            if changed { out.append(bytes[i]) }
            i += 1
        }
        return changed ? out : bytes
    }
}

/// A URL with any `user:password@` or secret-looking query value masked.
func redactURL(_ url: String) -> String {
    var u = url
    if let colon = u.firstIndex(of: ":"), u[colon...].hasPrefix("://") {
        let hostStart = u.index(colon, offsetBy: 3)
        if let at = u[hostStart...].firstIndex(of: "@"), !u[hostStart..<at].contains("/") {
            u.replaceSubrange(hostStart..<at, with: "****")
        }
    }
    guard let q = u.firstIndex(of: "?") else { return u }
    return String(u[...q]) + Redaction.form(String(u[u.index(after: q)...]))
}

func traceRequest(_ r: HTTPRequest, attempt: Int) -> String {
    var lines = ["-> \(r.method.rawValue) \(redactURL(r.url))" + (attempt > 1 ? " (attempt \(attempt))" : "")]
    lines += r.headers.map { "   " + Redaction.header($0.name, $0.value) }
    if !r.body.isEmpty { lines.append("   " + Redaction.body(String(decoding: r.body, as: UTF8.self))) }
    return Redaction.masking(lines.joined(separator: "\n"), r.masks)
}

func traceResponse(_ response: HTTPResponse, for r: HTTPRequest) -> String {
    var lines = ["<- \(response.status) \(r.method.rawValue) \(redactURL(r.url))"]
    lines += response.headers.map { "   " + Redaction.header($0.name, $0.value) }
    if !response.body.isEmpty {
        lines.append(
            "   "
                + (r.secretReply
                    ? "(\(response.body.count) bytes not shown: the answer carries a secret)"
                    : Redaction.body(response.text)))
    }
    return Redaction.masking(lines.joined(separator: "\n"), r.masks)
}
