import MXHTTP
import MXJSON
import MXSandbox
import Testing

/// `--trace` shows each request and answer with every credential masked: headers,
/// OpenSRS's `credentials` object, tokens and passwords in JSON, form fields, and the
/// JSON AD360 carries inside a form field.
@Suite(.serialized)
struct TraceRedactionTests {
    static let planted = "Pl4nted-S3cret"

    final class Lines: @unchecked Sendable {
        private let lock = Locked([String]())
        func add(_ s: String) { lock.withLock { $0.append(s) } }
        var text: String { lock.withLock { $0.joined(separator: "\n") } }
    }

    func traced(_ requests: (String) -> [HTTPRequest]) async throws -> String {
        let sandbox = VendorSandbox(seed: .demo)
        let urls = try await sandbox.start()
        let lines = Lines()
        let client = HTTPClient()
        client.setTrace { lines.add($0) }
        for r in requests(urls[0].url + "|" + urls[1].url + "|" + urls[2].url + "|" + urls[3].url) {
            _ = try await client.send(r)
        }
        client.setTrace(nil)
        return lines.text
    }

    @Test func noCredentialReachesTheTrace() async throws {
        let p = Self.planted
        let text = try await traced { all in
            let u = all.split(separator: "|").map(String.init)
            let osBody: JSON = [
                "credentials": ["user": "admin@example.com", "password": .string(p), "client": "mxsh"],
                "domain": "acme-widgets.com"
            ]
            let tokenBody: JSON = ["token": .string(p), "nested": ["api_key": .string(p), "Password": .string(p)]]
            let form =
                "DOMAINS="
                + "[{\"DOMAIN_NAME\":\"ad360.local\",\"USER_NAME\":\"admin\",\"USER_PASSWORD\":\"\(p)\"}]"
                .percentEncodedForForm()
                + "&PASSWORD=\(p)&x_password=\(p)"
            return [
                HTTPRequest(
                    .GET, u[0] + "/api/v1/orgs/example.com/domains",
                    headers: [("X-User", "admin@example.com"), ("X-Password", p)]),
                HTTPRequest(.GET, u[1] + "/domains", headers: [("Authorization", "Bearer \(p)")]),
                HTTPRequest(
                    .POST, u[2] + "/api/get_domain", headers: [("Content-Type", "application/json")], body: osBody.bytes
                ),
                HTTPRequest(
                    .POST, u[2] + "/api/get_domain", headers: [("Content-Type", "application/json")],
                    body: tokenBody.bytes),
                HTTPRequest(
                    .POST, u[3] + "/RestAPI/DomainSettings/updateDomainCredential",
                    headers: [("Authorization", "Bearer \(p)"), ("Content-Type", "application/x-www-form-urlencoded")],
                    body: Array(form.utf8)),
                HTTPRequest(.GET, u[1] + "/domains?token=\(p)&pageSize=5"),
                HTTPRequest(.GET, u[1].replacingScheme(withUser: "admin:\(p)") + "/domains")
            ]
        }
        #expect(!text.isEmpty)
        #expect(!text.contains(p), "a planted secret reached the trace:\n\(text)")
        #expect(text.contains("X-Password: ****"))
        #expect(text.contains("Authorization: ****"))
        #expect(text.contains("\"credentials\": \"****\""))
        #expect(text.contains("USER_PASSWORD\": \"****\""))
        #expect(text.contains("PASSWORD=****"))
        // What is not secret stays readable.
        #expect(text.contains("-> GET"))
        #expect(text.contains("<- 401") || text.contains("<- 200"))
        #expect(text.contains("acme-widgets.com"))
    }
}

/// A secret a vendor writes back, in each way it may be escaped, is masked whole.
struct EchoMaskingTests {
    static let secret = "n3w/pa\"ss&<wd> x"

    @Test(arguments: [
        ("as written", "bad password n3w/pa\"ss&<wd> x here"),
        ("JSON", #"{"message":"bad password n3w/pa\"ss&<wd> x here"}"#),
        ("JSON, slash escaped", #"{"message":"bad password n3w\/pa\"ss&<wd> x here"}"#),
        ("HTML", "<p>bad password n3w/pa&quot;ss&amp;&lt;wd&gt; x here</p>"),
        ("percent-encoded", "password=n3w%2Fpa%22ss%26%3Cwd%3E%20x&here"),
        ("form", "password=n3w%2Fpa%22ss%26%3Cwd%3E+x&here"),
        ("form holding JSON", "DATA=%7B%22PASSWORD%22%3A%22n3w%2Fpa%5C%22ss%26%3Cwd%3E%20x%22%7D"),
        ("JSON quoting a JSON request", #"{"message":"could not apply {\"password\":\"n3w\/pa\\\"ss&<wd> x\"}"}"#),
        ("JSON, Go's escapes", #"{"message":"bad password n3w/pa\"ss\u0026\u003cwd\u003e x here"}"#),
        ("JSON, every character escaped", #"{"message":"bad \u006e\u0033\u0077\u002F\u0070\u0061\"ss&<wd> x"}"#)
    ])
    func anEchoedSecretIsMasked(_ form: String, _ text: String) {
        let masked = Redaction.masking(text, [Self.secret])
        #expect(masked.contains("****"), "\(form): \(masked)")
        for part in ["n3w", "wd"] { #expect(!masked.contains(part), "\(form): \(masked)") }
    }

    /// Python's `json.dumps` writes every non-ASCII character as `\uXXXX`.
    @Test func aSecretWithAccentsEchoedAsPythonEscapesItIsMasked() {
        let masked = Redaction.masking(#"{"message":"password P\u00e4sswort-2024 is weak","n":1}"#, ["Pässwort-2024"])
        #expect(masked == #"{"message":"password **** is weak","n":1}"#, "\(masked)")
    }

    @Test func aPlainTokenHasOneFormAndShortTextsAreLeftAlone() {
        #expect(Redaction.forms(of: "sandbox-token") == ["sandbox-token"])
        #expect(Redaction.masking("a ab abc", ["ab"]) == "a ab abc")
        #expect(Redaction.masking("x sandbox-token y", ["sandbox-token"]) == "x **** y")
    }
}

extension String {
    func percentEncodedForForm() -> String {
        var out = ""
        for b in utf8 {
            if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D
                || b == 0x5F || b == 0x2E
            {
                out.append(Character(Unicode.Scalar(b)))
            } else {
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
    func replacingScheme(withUser user: String) -> String {
        guard let r = range(of: "://") else { return self }
        return String(self[..<r.upperBound]) + user + "@" + String(self[r.upperBound...])
    }
}
