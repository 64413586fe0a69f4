import MXJSON

/// Method + path pattern -> handler, the same for every vendor. Patterns are written
/// as the documents write them (`/domains/{domainId}/aliases`); a `{name}` segment
/// matches any one segment and is handed to the handler, percent-decoded.
///
/// The router answers "which handler", "no such path" (the vendor's 404) or "the path
/// exists with other methods" (the vendor's 405, with the methods for `Allow` in the
/// order they were registered); each vendor renders the last two in its own error shape.
struct Router<Handler: Sendable>: Sendable {
    enum Match {
        case found(Handler, PathParameters)
        case notFound
        case methodNotAllowed(allow: [String])
    }

    private enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    private struct Route: Sendable {
        let method: String
        let segments: [Segment]
        let handler: Handler
    }

    /// What every path of the vendor starts with (`/api/v1`); not part of the patterns.
    let prefix: String
    private var routes: [Route] = []

    init(prefix: String = "") { self.prefix = prefix }

    mutating func add(_ method: String, _ pattern: String, _ handler: Handler) {
        let segments: [Segment] = pattern.split(separator: "/").map { s in
            s.hasPrefix("{") && s.hasSuffix("}") ? .parameter(String(s.dropFirst().dropLast())) : .literal(String(s))
        }
        routes.append(Route(method: method, segments: segments, handler: handler))
    }

    func match(method: String, path: String) -> Match {
        // The prefix ends at a segment boundary: `/apifoo` is not under `/api`.
        let rest = path.dropFirst(prefix.count)
        guard path.hasPrefix(prefix), rest.isEmpty || rest.hasPrefix("/") || prefix.isEmpty else { return .notFound }
        let parts = rest.split(separator: "/").map { String($0).percentDecoded() }
        var allow: [String] = []
        for route in routes {
            guard let parameters = bind(route.segments, parts) else { continue }
            if route.method == method { return .found(route.handler, parameters) }
            if !allow.contains(route.method) { allow.append(route.method) }
        }
        return allow.isEmpty ? .notFound : .methodNotAllowed(allow: allow)
    }

    private func bind(_ segments: [Segment], _ parts: [String]) -> PathParameters? {
        guard segments.count == parts.count else { return nil }
        var values: [(String, String)] = []
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let text): if text != part { return nil }
            case .parameter(let name): values.append((name, part))
            }
        }
        return PathParameters(values: values)
    }
}

/// The `{name}` segments of a matched path.
struct PathParameters: Sendable {
    var values: [(String, String)] = []
    subscript(_ name: String) -> String { values.first { $0.0 == name }?.1 ?? "" }
}
