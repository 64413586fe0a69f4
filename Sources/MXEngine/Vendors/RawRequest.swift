import MXHTTP
import MXJSON
import MXModel

/// `call CONN METHOD PATH [BODY]`: a request the vendor's table does not describe,
/// sent as written to the connection's own API (DESIGN.md, "Each vendor's whole API").
/// Reads run in plans too; writes are changes, journaled and irreversible.
public struct RawRequest: Sendable {
    /// The HTTP method (GET, POST...), or for a vendor of method calls, the method.
    public var method: String
    /// Below the connection's API root; never another host.
    public var path: String
    public var body: JSON?

    /// The method and path, as plans and the journal name the request.
    public var key: String { path.isEmpty ? method : "\(method) \(path)" }

    /// The key's parts again (a journaled or planned raw change).
    public init(key: String, body: JSON?) {
        let parts = key.split(separator: " ", maxSplits: 1).map(String.init)
        self.init(method: parts.first ?? "", path: parts.count > 1 ? parts[1] : "", body: body)
    }

    public init(method: String, path: String, body: JSON?) {
        self.method = method
        self.path = path
        self.body = body
    }
}

extension Adapter {
    /// The default for REST vendors: GET and HEAD read, the rest write.
    public func rawIsRead(_ request: RawRequest) -> Bool { ["GET", "HEAD"].contains(request.method.uppercased()) }

    public func raw(_ request: RawRequest) throws -> JSON {
        throw VendorError(
            vendor: vendor.name, kind: .unsupported, code: "unsupported",
            message: "\(vendor.product) takes no raw requests")
    }
}

extension VendorAPI {
    /// A REST request as written: the method checked, the path kept below the API root.
    func raw(_ request: RawRequest, vendor: String) throws -> Reply {
        guard let method = HTTPRequest.Method(rawValue: request.method.uppercased()) else {
            throw VendorError(
                vendor: vendor, kind: .invalid, code: "invalid",
                message: "call: \(request.method) is not an HTTP method (GET, POST, PUT, PATCH, DELETE, HEAD)")
        }
        return try call(
            method, request.path, body: request.body.map { .json($0) } ?? .none, safeToRepeat: method != .POST)
    }
}

extension Value {
    /// The value as sent on the wire: a secret's text is revealed here, and only here
    /// (the journal and plans keep `Value.json`, which leaves secrets out).
    public var wireJSON: JSON {
        switch self {
        case .secret(let s): return .string(s.reveal())
        case .list(let items): return .array(items.map(\.wireJSON))
        case .record(let r): return .object(JSONObject(r.pairs.map { ($0.0, $0.1.wireJSON) }))
        default: return json ?? .null
        }
    }
}
