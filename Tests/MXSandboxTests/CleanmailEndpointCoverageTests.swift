// Cleanmail section 5: the 93 endpoints and the sandbox file that simulates each
// (Sources/MXSandbox/Cleanmail/). The test below extracts the same list from the document
// (each heading's `METHOD /path` line) and checks that the sandbox routes every one. All 93
// are simulated; where the document is silent, each file's header says what is ASSUMED.
//
// | § | method | path | file |
// | --- | --- | --- | --- |
// | 5.1.1 | DELETE | `/security/admins/{adminId}` | CleanmailAdminsAPI.swift |
// | 5.1.2 | GET | `/security/admins` | CleanmailAdminsAPI.swift |
// | 5.1.3 | GET | `/security/admins/{adminId}` | CleanmailAdminsAPI.swift |
// | 5.1.4 | GET | `/security/permissions` | CleanmailAdminsAPI.swift |
// | 5.1.5 | PATCH | `/security/admins/{adminId}` | CleanmailAdminsAPI.swift |
// | 5.2.1 | POST | `/admins/{adminId}/tokens` | CleanmailTokensAPI.swift |
// | 5.2.2 | GET | `/admins/{adminId}/tokens` | CleanmailTokensAPI.swift |
// | 5.2.3 | DELETE | `/admins/{adminId}/tokens/{id}` | CleanmailTokensAPI.swift |
// | 5.3.1 | POST | `/domains/{domainId}/aliases` | CleanmailAliasesAPI.swift |
// | 5.3.2 | DELETE | `/domains/{domainId}/aliases/{aliasId}` | CleanmailAliasesAPI.swift |
// | 5.3.3 | GET | `/domains/{domainId}/aliases` | CleanmailAliasesAPI.swift |
// | 5.3.4 | PUT | `/domains/{domainId}/aliases` | CleanmailAliasesAPI.swift |
// | 5.4.1 | POST | `/domains/{domainId}/policies` | CleanmailPoliciesAPI.swift |
// | 5.4.2 | DELETE | `/policies/{policyId}` | CleanmailPoliciesAPI.swift |
// | 5.4.3 | GET | `/policies/{policyId}` | CleanmailPoliciesAPI.swift |
// | 5.4.4 | GET | `/domains/{domainId}/policies` | CleanmailPoliciesAPI.swift |
// | 5.4.5 | PATCH | `/policies/{policyId}` | CleanmailPoliciesAPI.swift |
// | 5.5.1 | POST | `/domains` | CleanmailDomainsAPI.swift |
// | 5.5.2 | PUT | `/domains/{domainId}/access` | CleanmailAccessAPI.swift |
// | 5.5.3 | POST | `/domains/{domainId}/admins` | CleanmailAdminsAPI.swift |
// | 5.5.4 | DELETE | `/domains/{domainId}/options/{optionName}` | CleanmailOptionsAPI.swift |
// | 5.5.5 | DELETE | `/domains/{domainId}/admins/{adminId}` | CleanmailAdminsAPI.swift |
// | 5.5.6 | DELETE | `/domains/{domainId}` | CleanmailDomainsAPI.swift |
// | 5.5.7 | GET | `/domains/{domainId}/admins/{adminId}` | CleanmailAdminsAPI.swift |
// | 5.5.8 | GET | `/domains/{domainId}` | CleanmailDomainsAPI.swift |
// | 5.5.9 | GET | `/domains/{domainId}/admins` | CleanmailAdminsAPI.swift |
// | 5.5.10 | GET | `/domains/{domainId}/options` | CleanmailOptionsAPI.swift |
// | 5.5.11 | GET | `/domains` | CleanmailDomainsAPI.swift |
// | 5.5.12 | GET | `/domains/{domainId}/access` | CleanmailAccessAPI.swift |
// | 5.5.13 | PUT | `/domains/{domainId}/admins/{adminId}/authorities` | CleanmailAdminsAPI.swift |
// | 5.5.14 | POST | `/domains/{domainId}/options` | CleanmailOptionsAPI.swift |
// | 5.5.15 | PATCH | `/domains/{domainId}` | CleanmailDomainPatch.swift |
// | 5.6.1 | POST | `/domains/{domainId}/dkim` | CleanmailDKIMAPI.swift |
// | 5.6.2 | DELETE | `/domains/{domainId}/dkim` | CleanmailDKIMAPI.swift |
// | 5.6.3 | GET | `/domains/{domainId}/dkim` | CleanmailDKIMAPI.swift |
// | 5.6.4 | PUT | `/domains/{domainId}/dkim` | CleanmailDKIMAPI.swift |
// | 5.7.1 | DELETE | `/emails/attachments/{uid}/{filename}` | CleanmailUploadsAPI.swift |
// | 5.7.2 | GET | `/users/{userId}/emails/{folderPath}/{messageId}/attachments` | CleanmailMailboxAPI.swift |
// | 5.7.3 | GET | `/users/{userId}/emails/{folderPath}/{emailId}/attachments/{partId}` | CleanmailMailboxAPI.swift |
// | 5.7.4 | GET | `/emails/attachments/{uid}/{filename}` | CleanmailUploadsAPI.swift |
// | 5.7.5 | GET | `/users/{userIdOrEmail}/emails/{folderPath}/{fugluIdOrMailId}` | CleanmailMailboxAPI.swift |
// | 5.7.6 | GET | `/users/{userIdOrEmail}/emails/folders` | CleanmailMailboxAPI.swift |
// | 5.7.7 | GET | `/users/{userIdOrEmail}/emails/folders/{path}` | CleanmailMailboxAPI.swift |
// | 5.7.8 | GET | `/users/{userIdOrEmail}/emails/{folderPath}` | CleanmailMailboxAPI.swift |
// | 5.7.9 | POST | `/users/{userIdOrEmail}/emails/{folderPath}/{fugluId}/release` | CleanmailMailboxAPI.swift |
// | 5.7.10 | POST | `/users/{userIdOrEmail}/emails/send` | CleanmailUploadsAPI.swift |
// | 5.7.11 | POST | `/emails/attachments` | CleanmailUploadsAPI.swift |
// | 5.8.1 | POST | `/domains/{domainId}/filters/attachments` | CleanmailFiltersAPI.swift |
// | 5.8.2 | DELETE | `/filters/attachments/{attachmentId}` | CleanmailFiltersAPI.swift |
// | 5.8.3 | GET | `/domains/{domainId}/filters/attachments` | CleanmailFiltersAPI.swift |
// | 5.8.4 | PATCH | `/filters/attachments/{attachmentId}` | CleanmailFiltersAPI.swift |
// | 5.9.1 | POST | `/wblist` | CleanmailRulesAPI.swift |
// | 5.9.2 | POST | `/domains/{domainId}/wblist` | CleanmailRulesAPI.swift |
// | 5.9.3 | POST | `/users/{userId}/wblist` | CleanmailRulesAPI.swift |
// | 5.9.4 | DELETE | `/domains/{domainId}/wblist/{wbItemId}` | CleanmailRulesAPI.swift |
// | 5.9.5 | DELETE | `/users/{userId}/wblist/{wbItemId}` | CleanmailRulesAPI.swift |
// | 5.9.6 | GET | `/domains/{domainId}/wblist` | CleanmailRulesAPI.swift |
// | 5.9.7 | GET | `/users/{userId}/wblist` | CleanmailRulesAPI.swift |
// | 5.9.8 | PUT | `/domains/{domainId}/wblist/{wbItemId}` | CleanmailRulesAPI.swift |
// | 5.9.9 | PUT | `/users/{userId}/wblist/{wbItemId}` | CleanmailRulesAPI.swift |
// | 5.9.10 | PUT | `/domains/{domainId}/wblist` | CleanmailRulesAPI.swift |
// | 5.9.11 | PUT | `/users/{userId}/wblist` | CleanmailRulesAPI.swift |
// | 5.10.1 | POST | `/domains/{domainId}/filters/uris` | CleanmailFiltersAPI.swift |
// | 5.10.2 | DELETE | `/filters/uris/{uriId}` | CleanmailFiltersAPI.swift |
// | 5.10.3 | GET | `/domains/{domainId}/filters/uris` | CleanmailFiltersAPI.swift |
// | 5.10.4 | PATCH | `/filters/uris/{uriId}` | CleanmailFiltersAPI.swift |
// | 5.11.1 | POST | `/domains/{domainId}/health` | CleanmailHealthAPI.swift |
// | 5.11.2 | POST | `/platforms/{platformId}/health` | CleanmailHealthAPI.swift |
// | 5.11.3 | GET | `/domains/{domainId}/health` | CleanmailHealthAPI.swift |
// | 5.11.4 | GET | `/health` | CleanmailHealthAPI.swift |
// | 5.11.5 | GET | `/platforms/{platformId}/health` | CleanmailHealthAPI.swift |
// | 5.11.6 | POST | `/health/try-relay` | CleanmailHealthAPI.swift |
// | 5.12.1 | POST | `/tasks` | CleanmailTasksAPI.swift |
// | 5.13.1 | GET | `/token` | CleanmailTasksAPI.swift |
// | 5.14.1 | POST | `/users` | CleanmailUsersAPI.swift |
// | 5.14.2 | DELETE | `/users/{userId}/options/{optionName}` | CleanmailOptionsAPI.swift |
// | 5.14.3 | DELETE | `/users/{userId}` | CleanmailUsersAPI.swift |
// | 5.14.4 | GET | `/users/{userId}` | CleanmailUsersAPI.swift |
// | 5.14.5 | GET | `/domains/{domainId}/users` | CleanmailUsersAPI.swift |
// | 5.14.6 | GET | `/users/{userId}/options` | CleanmailOptionsAPI.swift |
// | 5.14.7 | GET | `/users` | CleanmailUsersAPI.swift |
// | 5.14.8 | POST | `/users/{userId}/options` | CleanmailOptionsAPI.swift |
// | 5.14.9 | PATCH | `/users/{userId}` | CleanmailUsersAPI.swift |
// | 5.15.1 | POST | `/domains/{domainId}/groups/{groupId}/addresses` | CleanmailGroupsAPI.swift |
// | 5.15.2 | POST | `/domains/{domainId}/groups` | CleanmailGroupsAPI.swift |
// | 5.15.3 | DELETE | `/groups/{groupId}` | CleanmailGroupsAPI.swift |
// | 5.15.4 | DELETE | `/domains/{domainId}/groups/{groupId}/addresses/{addressId}` | CleanmailGroupsAPI.swift |
// | 5.15.5 | GET | `/domains/{domainId}/groups/{groupId}` | CleanmailGroupsAPI.swift |
// | 5.15.6 | GET | `/domains/{domainId}/groups` | CleanmailGroupsAPI.swift |
// | 5.15.7 | PATCH | `/domains/{domainId}/groups/{groupId}` | CleanmailGroupsAPI.swift |
// | 5.16.1 | DELETE | `/users/{userId}/sign` | CleanmailSignsAPI.swift |
// | 5.16.2 | GET | `/users/{userId}/sign` | CleanmailSignsAPI.swift |
// | 5.16.3 | PUT | `/users/{userId}/sign` | CleanmailSignsAPI.swift |

import Foundation
import MXHTTP
import MXJSON
import MXSandbox
import Testing

/// Every endpoint of the document's section 5 is routed by the sandbox: no answer is the
/// router's "No endpoint" 404 or a 405. The document is read from ../shared/vendors/
/// (beside the repository, as the issue names it) or, where that folder is absent, from
/// the copy of section 5's endpoint lines in Tests/AdapterTests/Fixtures/cleanmail/.
@Suite(.serialized)
struct CleanmailEndpointCoverageTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let document = repository.deletingLastPathComponent().appendingPathComponent(
        "shared/vendors/cleanmail-api.txt")
    static let fixture = repository.appendingPathComponent(
        "Tests/AdapterTests/Fixtures/cleanmail/section5-endpoints.txt")

    struct Endpoint: Equatable, CustomStringConvertible {
        let section: String, method: String, path: String
        var description: String { "\(section) \(method) \(path)" }
    }

    /// Section 5's endpoints: after each `5.x.y. Title` heading, its first `METHOD /path` line.
    static func endpoints(in text: String) -> [Endpoint] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(of: "5. Endpoints") else { return [] }
        let end = lines.firstIndex(of: "6. Models") ?? lines.count
        var out: [Endpoint] = []
        var section: String?
        for line in lines[start..<end] {
            let words = line.split(separator: " ", maxSplits: 1).map(String.init)
            if words.count == 2, words[0].hasPrefix("5."), words[0].hasSuffix("."),
                words[0].filter({ $0 == "." }).count == 3
            {
                section = String(words[0].dropLast())
                continue
            }
            if let s = section, words.count == 2, ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(words[0]),
                words[1].hasPrefix("/"), !words[1].contains(" ")
            {
                out.append(Endpoint(section: s, method: words[0], path: words[1]))
                section = nil
            }
        }
        return out
    }

    static func load() throws -> [Endpoint] {
        let url = FileManager.default.fileExists(atPath: document.path) ? document : fixture
        return endpoints(in: try String(contentsOf: url, encoding: .utf8))
    }

    @Test func theDocumentHasNinetyThreeEndpointsInSixteenGroups() throws {
        let all = try Self.load()
        #expect(all.count == 93)
        #expect(Set(all.map { $0.section.split(separator: ".").prefix(2).joined(separator: ".") }).count == 16)
    }

    @Test func theFixtureIsTheDocumentsList() throws {
        guard FileManager.default.fileExists(atPath: Self.document.path) else { return }
        let fromDocument = Self.endpoints(in: try String(contentsOf: Self.document, encoding: .utf8))
        let fromFixture = Self.endpoints(in: try String(contentsOf: Self.fixture, encoding: .utf8))
        #expect(fromDocument == fromFixture)
    }

    /// docs/cleanmail-endpoints.md has a row for each endpoint (section, method, path),
    /// naming what reaches it: a row that no longer matches the document fails here.
    @Test func theEndpointTableOfTheDocsHasEveryEndpoint() throws {
        let table = try String(
            contentsOf: Self.repository.appendingPathComponent("docs/cleanmail-endpoints.md"), encoding: .utf8)
        let rows = table.split(separator: "\n").filter { $0.hasPrefix("| 5.") }
        #expect(rows.count == 93, "one row per endpoint: \(rows.count)")
        for e in try Self.load() {
            let prefix = "| \(e.section) | \(e.method) | `\(e.path)` | "
            let row = rows.first { $0.hasPrefix(prefix) }
            #expect(row != nil, "docs/cleanmail-endpoints.md lacks \(e)")
            // What reaches it is said: a command or field, or the raw call with its reason.
            if let row {
                let what = row.dropFirst(prefix.count)
                #expect(what.count > 8 && what.contains("`"), "\(e): \(row)")
                if what.hasPrefix("`call cm") { #expect(what.contains(": "), "\(e): a raw call says why: \(row)") }
            }
        }
    }

    @Test func theSandboxRoutesEveryEndpoint() async throws {
        let endpoints = try Self.load()
        let sim = CleanmailSimulation()
        sim.seed(.demo)
        let ports = try await Sandbox(simulations: [sim]).start()
        let client = HTTPClient()
        var unrouted: [String] = []
        for e in endpoints {
            // Any value fits a `{name}` segment: the router is what is tested, not the answer.
            let path = e.path.split(separator: "/", omittingEmptySubsequences: false).map {
                $0.hasPrefix("{") ? "x" : String($0)
            }
            .joined(separator: "/")
            let method = HTTPRequest.Method(rawValue: e.method)!
            let r = try await client.send(
                HTTPRequest(
                    method, "http://127.0.0.1:\(ports[0])\(path)",
                    headers: [("Authorization", "Bearer sandbox-token"), ("Content-Type", "application/json")],
                    body: method == .GET || method == .DELETE ? [] : Array("{}".utf8)))
            let message = (try? JSON.parse(r.body))?["message"]?.string ?? ""
            if r.status == 405 || (r.status == 404 && message.hasPrefix("No endpoint")) {
                unrouted.append("\(e) -> \(r.status) \(message)")
            }
        }
        #expect(unrouted.isEmpty, "not routed: \(unrouted)")
        #expect(endpoints.count == 93)
    }
}
