import MXJSON
import MXModel

/// `call` at Proofpoint: the REST request as written, below the connection's API root.
extension ProofpointAdapter {
    func raw(_ request: RawRequest) throws -> JSON {
        let reply = try expect(api.raw(request, vendor: vendor.name), "call", request.key)
        return reply.json ?? .null
    }
}
