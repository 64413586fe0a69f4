import MXJSON
import MXLanguage
import MXModel

/// `call CONN METHOD [PATH] [BODY]`: what a vendor's table does not describe yet, sent
/// as written. A read (GET, OpenSRS `get_*`/`search_*`) runs at once, plans included,
/// and gives the answer as a value; a write is a change like any other: planned as
/// "sent as written, cannot be previewed", journaled, and never undone.
let rawCallCommand = CommandDeclaration(
    "call", group: .vendorObjects, .init([.value("connection"), .value("method"), .rest("path and body")]),
    summary: "send a request the vendor tables do not describe, as written (reads print the answer)",
    details: "As a value: let r = call cm GET \"/domains/X/options\". PATH stays below the connection's API; "
        + "BODY is a record or list in braces, brackets or parentheses. A write is journaled and cannot be undone.",
    examples: [
        "call cm GET \"/domains\"", "call os \"get_domain_changes\" {domain: \"example.com\"}",
        "let r = call cm GET \"/users/ann@contoso-cm.net/emails/folders\""
    ],
    mutates: true, operation: .call
) { interp, inv in
    var rest = Array(inv.args.dropFirst(2))
    var path = Value.string("")
    if let first = rest.first, case .string = try interp.value(first) {
        path = try interp.value(first); rest.removeFirst()
    }
    guard rest.count <= 1 else {
        throw RuntimeError(
            "call takes a connection, a method, a path and a body", at: rest[1].range,
            notes: [.init("usage: call cm POST \"/domains/X/groups\" {email: \"sales@x.net\"}")])
    }
    let body = try rest.first.map(interp.value) ?? .none
    let answer = try interp.rawCall(
        try interp.value(inv.args[0]), method: try interp.value(inv.args[1]), path: path,
        body: body, at: inv.range)
    if !answer.isNone {
        interp.host.output(render(answer, format: interp.host.format, width: interp.host.terminalWidth) + "\n")
    }
}

extension Interpreter {
    /// Checks the request (a known connection that takes raw calls, a method word, a
    /// path below the API root) before anything is sent, then reads or submits it.
    func rawCall(_ target: Value, method: Value, path: Value, body: Value, at range: SourceRange) throws -> Value {
        guard case .opaque(let c as Connection) = target else {
            throw RuntimeError("call needs a connection first, not \(target.aTypeName)", at: range)
        }
        guard c.declaration.acceptsRawCalls else {
            throw RuntimeError("\(c.vendor) takes no raw requests (connection \(c.name))", at: range)
        }
        let m = try stringArgument(method, range, "call")
        let p = try stringArgument(path, range, "call")
        if let why = Self.rawRequestProblem(method: m, path: p) { throw RuntimeError("call: " + why, at: range) }
        if let field = Self.credentialIn(body) {
            throw RuntimeError(
                "call: the body carries a credential (\(field)); nothing is sent", at: range,
                notes: [
                    .init("a raw request is journaled as written: credentials go in the connection, never in a body")
                ])
        }
        let request = RawRequest(method: m, path: p, body: body.isNone ? nil : body.wireJSON)
        if c.adapter.rawIsRead(request) {
            return MXEngine.value(fromJSON: try vendorCall(range) { try c.adapter.raw(request) })
        }
        let change = Change(
            connection: c.name, kind: .settings, key: request.key, operation: .call,
            fields: body.isNone ? Record() : Record([("body", body)]), before: nil, location: location(range),
            resource: "request")
        let outcome = try submit(change, updating: nil, at: range)
        if case .settings(let s)? = outcome.after { return s.fields["reply"] ?? .none }
        return .none
    }

    /// The first credential a body carries: a secret value, or a member whose name says
    /// it holds one (password, token, secret, credentials, api key), at any depth.
    static func credentialIn(_ v: Value, at path: String = "") -> String? {
        switch v {
        case .secret: return path.isEmpty ? "a secret" : path
        case .list(let items):
            for (i, item) in items.enumerated() { if let f = credentialIn(item, at: "\(path)[\(i)]") { return f } }
        case .record(let r):
            for (k, item) in r.pairs {
                let name = path.isEmpty ? k : "\(path).\(k)"
                let lower = k.lowercased()
                if ["password", "passwd", "token", "secret", "credential", "apikey", "api_key"].contains(where: {
                    lower.contains($0)
                }) {
                    return name
                }
                if let f = credentialIn(item, at: name) { return f }
            }
        default: break
        }
        return nil
    }

    /// Why a request must not be sent as written: a method that is not one word, or a
    /// path that would leave the connection's API (another host, a header, a space).
    static func rawRequestProblem(method: String, path: String) -> String? {
        if method.isEmpty || !method.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
            return "the method must be one word (GET, POST, get_domain), not \"\(method)\""
        }
        if path.isEmpty { return nil }
        if !path.hasPrefix("/") || path.contains("://") || path.hasPrefix("//")
            || path.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7f } ?? false })
        {
            return
                "the path must start with / and stay below the connection's API (no host, no spaces), not \"\(path)\""
        }
        // A server (or a proxy before it) resolves `.` and `..`, encoded or not: a value
        // put in the path (a CSV row "..") would reach another object, or the
        // organisation itself (issue 11).
        let segments = path.prefix { $0 != "?" && $0 != "#" }.split(separator: "/", omittingEmptySubsequences: false)
        if let bad = segments.first(where: { isDotSegment($0) }) {
            return
                "the path must not hold a '\(bad)' segment, which the server would resolve to another path: \"\(path)\""
        }
        if path.contains("\\") {
            return "the path must not hold a backslash, which some servers take for '/': \"\(path)\""
        }
        return nil
    }

    /// `.` or `..`, written plainly or percent-encoded (`%2e%2E`, `.%2e`).
    static func isDotSegment(_ segment: Substring) -> Bool {
        let decoded = segment.lowercased().replacingAll("%2e", ".")
        return decoded == "." || decoded == ".."
    }
}
