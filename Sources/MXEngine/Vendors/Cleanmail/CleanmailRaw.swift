import MXJSON
import MXModel

/// `call` at Cleanmail: the REST request as written, below the connection's API root.
extension CleanmailAdapter {
    func raw(_ request: RawRequest) throws -> JSON {
        let reply = try expect(api.raw(request, vendor: vendor.name), "call", request.key)
        return reply.json ?? .null
    }
}
