import MXHTTP
import MXJSON
import MXModel

/// `call` at AD360: the request as written; a body's members are sent as the form
/// fields the API takes (a record as its JSON text, as `updateSettings` wants it).
extension AD360Adapter {
    func raw(_ request: RawRequest) throws -> JSON {
        guard let method = HTTPRequest.Method(rawValue: request.method.uppercased()) else {
            throw VendorError(
                vendor: vendor.name, kind: .invalid, code: "invalid",
                message: "call: \(request.method) is not an HTTP method")
        }
        var body = VendorAPI.Body.none
        if let fields = request.body?.object {
            body = .form(fields.pairs.map { k, v in (k, v.string ?? v.text) })
        }
        let reply = try expect(
            api.call(method, request.path, body: body, safeToRepeat: method != .POST), "call", request.key)
        return reply.json ?? .null
    }
}
