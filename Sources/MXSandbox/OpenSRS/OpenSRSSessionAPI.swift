import MXJSON

/// `authenticate` (NOTES.md): checks the credentials and, with
/// `generate_session_token: true`, answers a session token to send as
/// `credentials.token` instead of the password, valid `session_token_duration` seconds
/// (10,800 by default, at most 86,400). ASSUMED answer shape:
/// `{"success": true, "session_token": "...", "session_token_duration": 10800}`;
/// a duration out of range is error 6 with a hint.
extension OpenSRSAPI {
    static let defaultTokenDuration = 10_800
    static let maximumTokenDuration = 86_400

    static func registerSession(_ r: inout Router<Handler>) {
        r.add("POST", "/authenticate", authenticate)
    }

    static func authenticate(_ s: inout OpenSRSStore, _ body: JSONObject) -> SandboxResponse {
        guard let generate = body["generate_session_token"], generate != .null else { return success }
        guard let wanted = generate.bool else {
            return failure(6, "Attribute is badly formatted", hints: ["generate_session_token": "true or false"])
        }
        if !wanted { return success }
        var duration = defaultTokenDuration
        if let d = body["session_token_duration"], d != .null {
            guard let n = d.int, n > 0, n <= maximumTokenDuration else {
                return failure(
                    6, "Attribute is badly formatted",
                    hints: ["session_token_duration": .string("seconds, from 1 to \(maximumTokenDuration)")])
            }
            duration = n
        }
        s.tokenCount += 1
        // Not a secret worth guessing in a sandbox, but never the same twice.
        let token =
            "sbx" + String(now(), radix: 16) + String(s.tokenCount, radix: 16)
            + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        s.tokens[token] = (OpenSRSSimulation.user, now() + duration)
        return .json(
            200,
            .object(
                JSONObject([
                    ("success", true), ("session_token", .string(token)),
                    ("session_token_duration", .int(duration))
                ])))
    }
}
