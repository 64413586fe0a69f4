import MXJSON

/// A domain's platforms (6.47): where its mail is delivered. They live inside the
/// domain's record; each has an id of its own, kept across edits that name it.
extension CleanmailAPI {
    /// Validates a `platforms` list. A platform that names one of the domain's current
    /// platforms by `id` keeps it; the others get new ids (`assignPlatformIDs`).
    static func parsePlatforms(_ v: JSON, current: [JSONObject]) throws -> [JSONObject] {
        let known = Set(current.compactMap { $0["id"]?.string })
        var used = Set<String>()
        var out: [JSONObject] = []
        for (i, item) in (v.array ?? []).enumerated() {
            guard let p = item.object else { throw Failure(400, "JSON parse error: platforms[\(i)] must be an object") }
            let at = "platforms[\(i)]."
            guard let name = p["name"]?.string, !name.isEmpty else {
                throw Failure(400, "Validation failed: \(at)name must not be blank")
            }
            guard let dest = p["transportDest"]?.string, Self.isHost(dest) else {
                throw Failure(400, "Validation failed: \(at)transportDest must be an IP address or a host name")
            }
            guard let type = p["transportType"]?.string, Self.transportTypes.contains(type) else {
                throw Failure(
                    400,
                    "Validation failed: \(at)transportType must be one of "
                        + "\(Self.transportTypes.joined(separator: ", "))"
                )
            }
            guard let port = p["transportPort"]?.int, (1...65535).contains(port) else {
                throw Failure(400, "Validation failed: \(at)transportPort must be a port number")
            }
            let fallback = try optional(p, "fallbackTransportDest", at: at) { v in
                v.string.flatMap { Self.isHost($0) ? $0 : nil }
            }
            let fallbackType = try optional(p, "fallbackTransportType", at: at) { v in
                v.string.flatMap { Self.transportTypes.contains($0) ? $0 : nil }
            }
            let fallbackPort = try optional(p, "fallbackTransportPort", at: at) { v in
                v.int.flatMap { (1...65535).contains($0) ? $0 : nil }
            }
            // ASSUMED: `apiType` is listed as required but the document's own create
            // example omits it and reads back null; it is optional here.
            let apiType = try optional(p, "apiType", at: at) { v in
                v.string.flatMap { Self.apiTypes.contains($0) ? $0 : nil }
            }
            let authType = try optional(p, "authType", at: at) { v in
                v.string.flatMap { Self.authTypes.contains($0) ? $0 : nil }
            }
            let isDefault = try optional(p, "default", at: at) { $0.bool } ?? false
            var id: JSON = .null
            if let given = p["id"]?.string, known.contains(given), !used.contains(given) {
                id = .string(given)
                used.insert(given)
            }
            // ASSUMED: apiData/authData hold credentials; like the document's example
            // (authData "" read back null) the sandbox keeps an object and drops the rest.
            out.append(
                JSONObject([
                    ("id", id), ("name", .string(name)), ("transportDest", .string(dest)),
                    ("transportType", .string(type)),
                    ("transportPort", .int(port)), ("fallbackTransportDest", fallback.map(JSON.string) ?? .null),
                    ("fallbackTransportType", fallbackType.map(JSON.string) ?? .null),
                    ("fallbackTransportPort", fallbackPort.map(JSON.int) ?? .null),
                    ("apiType", apiType.map(JSON.string) ?? .null),
                    ("apiData", p["apiData"]?.object.map(JSON.object) ?? .null),
                    ("authType", .string(authType ?? "local")),
                    ("authData", p["authData"]?.object.map(JSON.object) ?? .null), ("default", .bool(isDefault))
                ]))
        }
        return out
    }

    static func assignPlatformIDs(_ s: inout CleanmailStore, _ list: inout [JSONObject]) {
        for i in list.indices where list[i]["id"] == .null {
            list[i]["id"] = .string(CleanmailID.encode(s.next(.platform)))
        }
    }

}
