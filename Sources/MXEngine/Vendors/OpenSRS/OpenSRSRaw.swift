import MXJSON
import MXModel

/// `call` at OpenSRS: a method call as written (`call os "get_domain_changes"
/// {domain: "x"}`), credentials added as for every call. `get_*` and `search_*` read.
extension OpenSRSAdapter {
    func raw(_ request: RawRequest) throws -> JSON {
        guard request.path.isEmpty || request.path == "/" else {
            throw VendorError(
                vendor: vendor.name, kind: .invalid, code: "invalid",
                message:
                    "call: OpenSRS takes a method and its fields (call os \"get_domain\" {domain: \"x\"}), not a path")
        }
        guard request.method.allSatisfy({ $0.isASCII && ($0.isLowercase || $0 == "_") }) else {
            throw VendorError(
                vendor: vendor.name, kind: .invalid, code: "invalid",
                message: "call: OpenSRS methods are lower-case words (get_domain), not \(request.method)")
        }
        let answer = try call(request.method, request.body?.object ?? JSONObject(), safeToRepeat: rawIsRead(request))
        // The API answers HTTP 200 either way: `success` says which.
        if answer["success"]?.bool == false { throw failure(answer, "call", request.method) }
        return .object(answer)
    }

    func rawIsRead(_ request: RawRequest) -> Bool {
        request.method.hasPrefix("get_") || request.method.hasPrefix("search_")
    }
}
