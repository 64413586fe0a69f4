import MXHTTP
import MXJSON
import MXSandbox
import Testing

/// A Cleanmail sandbox over real HTTP for the tests of section 5's groups: start one
/// (the demo tenant by default), send requests, read answers, check error bodies.
struct CleanmailKit {
    static let auth: [(name: String, value: String)] = [("Authorization", "Bearer sandbox-token")]
    static let readOnly: [(name: String, value: String)] = [("Authorization", "Bearer sandbox-readonly-token")]
    static let errorKeys = ["timestamp", "status", "error", "message", "path"]

    let root: String
    let sim: CleanmailSimulation
    let client = HTTPClient()

    static func start(demo: Bool = true, _ setup: (CleanmailSimulation) -> Void = { _ in }) async throws -> CleanmailKit
    {
        let sim = CleanmailSimulation()
        if demo { sim.seed(.demo) }
        setup(sim)
        let ports = try await Sandbox(simulations: [sim]).start()
        return CleanmailKit(root: "http://127.0.0.1:\(ports[0])", sim: sim)
    }

    func send(
        _ method: HTTPRequest.Method, _ path: String, _ body: JSON? = nil,
        headers: [(name: String, value: String)] = [], readOnly: Bool = false
    ) async throws -> HTTPResponse {
        var request = HTTPRequest(
            method, root + path,
            headers: (readOnly ? Self.readOnly : Self.auth) + [("Content-Type", "application/json")] + headers,
            body: body?.bytes ?? [])
        request.safeToRepeat = false  // a documented 500 is an answer to check, not to retry
        return try await client.send(request)
    }

    func raw(_ method: HTTPRequest.Method, _ path: String, body: [UInt8], contentType: String) async throws
        -> HTTPResponse
    {
        try await client.send(
            HTTPRequest(method, root + path, headers: Self.auth + [("Content-Type", contentType)], body: body))
    }

    func json(_ r: HTTPResponse) throws -> JSON { try JSON.parse(r.body) }

    /// GET, expecting 200, the body parsed.
    func get(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSON {
        let r = try await send(.GET, path)
        #expect(
            r.status == 200, "GET \(path): \(r.status) \(String(decoding: r.body, as: UTF8.self))",
            sourceLocation: sourceLocation)
        return try json(r)
    }

    func domain(_ name: String) -> String { sim.domainID(named: name)! }

    func user(_ email: String) async throws -> String {
        try #require(try await get("/users?email=\(email)").array?.first?["id"]?.string)
    }

    /// Spring Boot's error body with the document's message.
    func expectError(
        _ r: HTTPResponse, _ status: Int, _ message: String, path: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(r.status == status, "\(String(decoding: r.body, as: UTF8.self))", sourceLocation: sourceLocation)
        let body = try json(r)
        #expect(body.object?.keys == Self.errorKeys, sourceLocation: sourceLocation)
        #expect(body["status"] == .int(status), sourceLocation: sourceLocation)
        #expect(body["message"] == .string(message), sourceLocation: sourceLocation)
        if let path { #expect(body["path"] == .string(path), sourceLocation: sourceLocation) }
    }

    /// Every page of a list, `pageSize` at a time, checking `X-Total-Count` on each.
    func pages(_ path: String, pageSize: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [JSON]
    {
        var all: [JSON] = []
        var offset = 0
        let sep = path.contains("?") ? "&" : "?"
        while true {
            let r = try await send(.GET, "\(path)\(sep)offset=\(offset)&pageSize=\(pageSize)")
            #expect(r.status == 200, sourceLocation: sourceLocation)
            let page = try json(r).array ?? []
            let total = Int(r.header("X-Total-Count") ?? "") ?? -1
            all += page
            offset += pageSize
            if page.count < pageSize || offset >= total {
                #expect(all.count == total, sourceLocation: sourceLocation)
                return all
            }
        }
    }
}
