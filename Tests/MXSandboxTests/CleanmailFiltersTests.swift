import MXHTTP
import MXJSON
import MXSandbox
import Testing

/// Filtering rules on attachments (5.8) and on URIs (5.10), over HTTP.
@Suite(.serialized)
struct CleanmailFiltersTests {
    @Test func attachmentFiltersAsTheDocumentShowsThem() async throws {
        let k = try await CleanmailKit.start(demo: false) { $0.addDomain("stark.net", destination: "1.2.3.4") }
        let d = k.domain("stark.net")
        // 5.8.1's example request and answer.
        let r = try await k.send(
            .POST, "/domains/\(d)/filters/attachments",
            ["action": "ALLOW", "checkType": "CONTENTTYPE", "filter": ".xlsx", "description": "Allow xslx files"])
        #expect(r.status == 201)
        #expect(r.header("Location")?.hasSuffix("/domains/\(d)/filters/attachments") == true)
        let f = try k.json(r)
        #expect(
            f.object?.keys == ["id", "action", "checkType", "filter", "scope", "priority", "description", "createdDate"]
        )
        #expect(f["scope"] == "stark.net")
        #expect(f["priority"] == 1)
        #expect(f["action"] == "ALLOW")
        let id = try #require(f["id"]?.string)
        // The models' lower case (6.25) is accepted, answered as the examples write it.
        let second = try await k.send(
            .POST, "/domains/\(d)/filters/attachments",
            ["action": "deny", "checkType": "archive-filename", "filter": ".*\\.iso$"])
        #expect(second.status == 201)
        #expect(try k.json(second)["checkType"] == "ARCHIVE_FILENAME")
        #expect(try k.json(second)["priority"] == 2)
        #expect(try k.json(second)["description"] == .null)

        try k.expectError(
            try await k.send(
                .POST, "/domains/\(d)/filters/attachments",
                ["action": "DENY", "checkType": "CONTENTTYPE", "filter": ".XLSX"]),
            409, "This item may already exists with same rules")
        for bad: JSON in [
            ["action": "DROP", "checkType": "FILENAME", "filter": "x"], ["action": "DENY", "filter": "x"],
            ["action": "DENY", "checkType": "FILENAME", "filter": "(unclosed"]
        ] {
            try k.expectError(
                try await k.send(.POST, "/domains/\(d)/filters/attachments", bad), 400, "A problem occured")
        }
        try k.expectError(
            try await k.send(
                .POST, "/domains/zzzzz/filters/attachments",
                ["action": "DENY", "checkType": "FILENAME", "filter": "x"]),
            404, "Domain may not exist")
        try k.expectError(
            try await k.send(
                .POST, "/domains/\(d)/filters/attachments", ["action": "DENY", "checkType": "FILENAME", "filter": "y"],
                readOnly: true), 403, "You do not have permission to execute this request.")

        // 5.8.4's example.
        #expect(
            try await k.send(
                .PATCH, "/filters/attachments/\(id)",
                ["action": "DENY", "filter": ".xls", "description": "Deny xls files"]
            ).status == 204)
        let list = try await k.send(.GET, "/domains/\(d)/filters/attachments")
        #expect(list.header("X-Total-Count") == "2")
        let edited = try #require(try k.json(list).array?.first { $0["id"] == .string(id) })
        #expect(edited["action"] == "DENY")
        #expect(edited["filter"] == ".xls")
        #expect(edited["checkType"] == "CONTENTTYPE")
        #expect(try await k.get("/domains/\(d)/filters/attachments?action=ALLOW").array == [])
        #expect(try await k.get("/domains/\(d)/filters/attachments?action=deny").array?.count == 2)
        #expect(try await k.send(.GET, "/domains/\(d)/filters/attachments?action=DROP").status == 400)
        try k.expectError(
            try await k.send(.PATCH, "/filters/attachments/\(id)", ["checkType": "MAGIC"]), 400, "A problem occured")
        try k.expectError(
            try await k.send(.PATCH, "/filters/attachments/zzzzz", ["action": "DENY"]), 404,
            "No attachment filter found with given id")
        try k.expectError(
            try await k.send(.PATCH, "/filters/attachments/not-an-id", ["action": "DENY"]), 400, "A problem occured")
        #expect(try await k.send(.DELETE, "/filters/attachments/\(id)", readOnly: true).status == 403)
        #expect(try await k.send(.DELETE, "/filters/attachments/\(id)").status == 204)
        try k.expectError(
            try await k.send(.DELETE, "/filters/attachments/\(id)"), 404, "No attachment filter found with given id")
        try k.expectError(try await k.send(.GET, "/domains/zzzzz/filters/attachments"), 404, "Domain may not exist")
    }

    @Test func attachmentFiltersPagePastOnePageAndSort() async throws {
        let k = try await CleanmailKit.start()
        let d = k.domain("tailspin-toys.io")
        for i in 0..<45 {
            let body: JSON = [
                "action": i % 3 == 0 ? "ALLOW" : "DENY", "checkType": "FILENAME", "filter": .string(".*\\.x\(i)$")
            ]
            #expect(try await k.send(.POST, "/domains/\(d)/filters/attachments", body).status == 201)
        }
        let all = try await k.pages("/domains/\(d)/filters/attachments", pageSize: 40)
        #expect(all.count == 45)
        // Sorted by action by default: ALLOW before DENY.
        #expect(all.prefix(15).allSatisfy { $0["action"] == "ALLOW" })
        #expect(
            try await k.get("/domains/\(d)/filters/attachments?sort=-priority&pageSize=1").array?.first?["priority"]
                == 45)
    }

    @Test func uriFilters() async throws {
        let k = try await CleanmailKit.start(demo: false) { $0.addDomain("stark.net", destination: "1.2.3.4") }
        let d = k.domain("stark.net")
        // 5.10.1's example.
        let r = try await k.send(
            .POST, "/domains/\(d)/filters/uris",
            ["action": "URIDNSBL_SKIP_DOMAIN", "filter": "bulist.com", "description": "Rule bulist.com"])
        #expect(r.status == 201)
        let f = try k.json(r)
        #expect(f.object?.keys == ["id", "scope", "action", "filter", "priority", "description", "createdDate"])
        #expect(f["scope"] == "stark.net")
        let id = try #require(f["id"]?.string)
        try k.expectError(
            try await k.send(
                .POST, "/domains/\(d)/filters/uris", ["action": "BLACKLIST_URI_HOST", "filter": "BULIST.com"]),
            409, "This item may already exists with same rules")
        try k.expectError(
            try await k.send(.POST, "/domains/\(d)/filters/uris", ["action": "BLOCK", "filter": "x.com"]), 400,
            "A problem occured")
        try k.expectError(
            try await k.send(.POST, "/domains/zzzzz/filters/uris", ["action": "BLACKLIST_URI_HOST", "filter": "x.com"]),
            404,
            "Domain may not exist")
        // 5.10.4's example.
        #expect(
            try await k.send(
                .PATCH, "/filters/uris/\(id)", ["action": "WHITELIST_URI_HOST", "description": "Rule bulist.com"]
            ).status == 204)
        #expect(
            try await k.get("/domains/\(d)/filters/uris?action=whitelist_uri_host").array?.first?["filter"]
                == "bulist.com")
        for i in 0..<44 {
            #expect(
                try await k.send(
                    .POST, "/domains/\(d)/filters/uris",
                    ["action": "BLACKLIST_URI_HOST", "filter": .string("bad\(i).example")]
                ).status == 201)
        }
        #expect(try await k.pages("/domains/\(d)/filters/uris", pageSize: 40).count == 45)
        try k.expectError(
            try await k.send(.PATCH, "/filters/uris/zzzzz", ["action": "WHITELIST_URI_HOST"]), 404,
            "No uriBl filter found with given id")
        try k.expectError(try await k.send(.DELETE, "/filters/uris/bad"), 400, "A problem occured")
        #expect(try await k.send(.DELETE, "/filters/uris/\(id)").status == 204)
        try k.expectError(try await k.send(.DELETE, "/filters/uris/\(id)"), 404, "No uriBl filter found with given id")
        try k.expectError(
            try await k.send(.PATCH, "/filters/uris/\(id)", ["action": "WHITELIST_URI_HOST"], readOnly: true), 403,
            "You do not have permission to execute this request.")
    }

    @Test func listsExportAsASpreadsheetWhenAsked() async throws {
        let k = try await CleanmailKit.start()
        let d = k.domain("northwind-mail.com")
        let excel: [(name: String, value: String)] = [("Accept", "application/vnd.ms-excel")]
        for path in [
            "/domains/\(d)/filters/attachments", "/domains/\(d)/filters/uris", "/domains/\(d)/groups",
            "/domains/\(d)/users"
        ] {
            let r = try await k.send(.GET, path, headers: excel)
            #expect(r.status == 200)
            #expect(r.header("Content-Type") == "application/vnd.ms-excel", "\(path)")
            #expect(r.header("X-Total-Count") != nil)
            let lines = String(decoding: r.body, as: UTF8.self).split(separator: "\r\n")
            #expect(lines.count == Int(r.header("X-Total-Count") ?? "").map { $0 + 1 }, "\(path)")
            #expect(lines.first?.hasPrefix("id,") == true)
        }
        let csv = String(
            decoding: try await k.send(.GET, "/domains/\(d)/filters/attachments?sort=filter", headers: excel).body,
            as: UTF8.self)
        #expect(csv.contains("DENY,FILENAME,.*\\.exe$,northwind-mail.com,1,Executables,"))
        // GET /users (5.14.7) offers no export: JSON.
        #expect(try await k.send(.GET, "/users", headers: excel).header("Content-Type") == "application/json")
    }
}
