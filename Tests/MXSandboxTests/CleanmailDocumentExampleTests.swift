import Foundation
import MXHTTP
import MXJSON
import MXSandbox
import Testing

/// The sandbox answers in the shape of the document's own example responses
/// (Tests/AdapterTests/Fixtures/cleanmail/, copied verbatim): the same members in the same
/// order, at every depth, with values of the same kind (a null on either side matches
/// anything; a list's first element stands for all).
@Suite(.serialized)
struct CleanmailDocumentExampleTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("AdapterTests/Fixtures/cleanmail")

    static func fixture(_ name: String) throws -> JSON {
        try JSON.parse(Array(try Data(contentsOf: fixtures.appendingPathComponent(name))))
    }

    /// Where `answer` differs in shape from `example`, as paths.
    static func differences(_ answer: JSON, _ example: JSON, at path: String = "$") -> [String] {
        switch (answer, example) {
        case (.null, _), (_, .null): return []
        case (.object(let a), .object(let e)):
            if a.keys != e.keys { return ["\(path): members \(a.keys) vs the document's \(e.keys)"] }
            return a.keys.flatMap { differences(a[$0]!, e[$0]!, at: "\(path).\($0)") }
        case (.array(let a), .array(let e)):
            guard let x = a.first, let y = e.first else { return [] }
            return differences(x, y, at: "\(path)[0]")
        case (.int, .int), (.double, .double), (.int, .double), (.double, .int), (.bool, .bool), (.string, .string):
            return []
        default: return ["\(path): \(answer.text) vs the document's \(example.text)"]
        }
    }

    func check(_ answer: JSON, _ fixture: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let diffs = Self.differences(answer, try Self.fixture(fixture))
        #expect(diffs.isEmpty, "\(fixture): \(diffs)", sourceLocation: sourceLocation)
    }

    @Test func answersHaveTheExamplesShapes() async throws {
        let k = try await CleanmailKit.start()
        let own = CleanmailID.encode(1)
        let nw = k.domain("northwind-mail.com")
        let contoso = k.domain("contoso-cm.net")

        try check(
            try k.json(
                try await k.send(.POST, "/admins/\(own)/tokens", ["name": "mytoken", "expiration": 1_805_993_567_120])),
            "create-token.json")
        let fresh = try await CleanmailKit.start(demo: false)
        _ = try await fresh.send(.POST, "/admins/\(own)/tokens", ["name": "mytoken", "expiration": 1_805_993_567_120])
        try check(try await fresh.get("/admins/\(own)/tokens"), "list-tokens.json")

        let policy = try Self.fixture("new-policy.json").object!
        var body = policy
        body["id"] = nil
        body["name"] = "policyA"
        body["domainId"] = .string(contoso)
        try check(try k.json(try await k.send(.POST, "/domains/\(contoso)/policies", .object(body))), "new-policy.json")

        try check(try await k.get("/domains/\(nw)/options"), "domain-options.json")
        try check(
            try k.json(
                try await k.send(
                    .POST, "/domains/\(nw)/options", ["name": "DOMAIN_ADMIN", "value": "admin@targaryen.net"])),
            "set-domain-option.json")
        try check(try k.json(try await k.send(.POST, "/domains/\(contoso)/dkim")), "add-dkim.json")
        try check(try await k.get("/domains/\(nw)/dkim"), "get-dkim.json")
        try check(
            try k.json(
                try await k.send(
                    .POST, "/domains/\(nw)/filters/attachments",
                    [
                        "action": "ALLOW", "checkType": "CONTENTTYPE", "filter": ".xlsx",
                        "description": "Allow xslx files"
                    ])),
            "add-attachment-filter.json")
        try check(
            try k.json(
                try await k.send(
                    .POST, "/domains/\(nw)/filters/uris",
                    ["action": "URIDNSBL_SKIP_DOMAIN", "filter": "bulist.com", "description": "Rule bulist.com"])),
            "add-uri-filter.json")
        try check(try k.json(try await k.send(.POST, "/domains/\(contoso)/health")), "run-domain-diagnostic.json")
        try check(try await k.get("/domains/\(nw)/health"), "domain-health.json")
        try check(try await k.get("/health"), "health-errors.json")
        let nancy = try await k.user("nancy@northwind-mail.com")
        try check(try await k.get("/users/\(nancy)/options"), "user-options.json")

        let created = try k.json(
            try await k.send(.POST, "/domains/\(nw)/groups", ["email": "children@northwind-mail.com"]))
        try check(created, "new-email-alias.json")
        let g = try #require(created["id"]?.string)
        try check(
            try k.json(
                try await k.send(
                    .POST, "/domains/\(nw)/groups/\(g)/addresses", ["nancy@northwind-mail.com", "ramsay@got.net"])),
            "add-alias-addresses.json")
        try check(try await k.get("/domains/\(nw)/groups/\(g)"), "email-alias.json")
        try check(try await k.get("/domains/\(nw)/groups?recipient=nancy@northwind-mail.com"), "email-aliases.json")
        try check(try await k.get("/users/\(nancy)/sign"), "get-sign.json")
    }
}
