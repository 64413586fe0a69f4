import MXHTTP
import MXJSON
import MXSandbox
import Testing

/// Email aliases, "groups" (5.15), over HTTP.
@Suite(.serialized)
struct CleanmailGroupsTests {
    @Test func createReadAddRemoveEditDelete() async throws {
        let k = try await CleanmailKit.start()
        let d = k.domain("contoso-cm.net")
        let path = "/domains/\(d)/groups"
        // 5.15.2's example shape.
        let r = try await k.send(.POST, path, ["email": "children@contoso-cm.net"])
        #expect(r.status == 201)
        let g = try k.json(r)
        #expect(g.object?.keys == ["id", "email", "recipients"])
        #expect(g["recipients"] == [])
        let id = try #require(g["id"]?.string)
        #expect(r.header("Location")?.hasSuffix("\(path)/\(id)") == true)

        // 5.15.1: users of the domain, another alias, an outside address.
        let added = try await k.send(
            .POST, "\(path)/\(id)/addresses", ["kim@contoso-cm.net", "patti@contoso-cm.net", "carl@partner.example"])
        #expect(added.status == 201)
        let recipients = try k.json(added)["recipients"]?.array ?? []
        #expect(recipients.first?.object?.keys == ["id", "email", "firstname", "lastname", "type"])
        #expect(recipients.map { $0["type"] } == ["USER", "USER", "EXTERNAL_ADDRESS"])
        #expect(recipients[0]["firstname"] == "Kim")
        let kim = try await k.user("kim@contoso-cm.net")
        #expect(recipients[0]["id"] == .string(kim))
        // The alias of an alias; an address already there is not added twice.
        let other = try k.json(
            try await k.send(
                .POST, path, ["email": "everyone@contoso-mail.net", "recipients": ["children@contoso-cm.net"]]))
        #expect(other["recipients"]?.array?.first?["type"] == "ALIAS")
        #expect(
            try k.json(try await k.send(.POST, "\(path)/\(id)/addresses", ["kim@contoso-cm.net"]))["recipients"]?.array?
                .count == 3)

        let read = try await k.get("\(path)/\(id)")
        #expect(read["recipients"]?.array?.count == 3)
        try k.expectError(
            try await k.send(.GET, "\(path)/zzzzz"), 404, "A problem occured. The domain or the user may not exist")
        try k.expectError(
            try await k.send(.GET, "/domains/zzzzz/groups/\(id)"), 404,
            "A problem occured. The domain or the user may not exist")

        // 5.15.4: remove one recipient by its id.
        let external = try #require(recipients[2]["id"]?.string)
        #expect(try await k.send(.DELETE, "\(path)/\(id)/addresses/\(external)").status == 204)
        try k.expectError(
            try await k.send(.DELETE, "\(path)/\(id)/addresses/\(external)"), 404,
            "A problem occured. The domain and/or the user and/or the alias may not exist ; the domain may not contain "
                + "the user"
        )
        let nw = k.domain("northwind-mail.com")
        try k.expectError(
            try await k.send(.DELETE, "/domains/\(nw)/groups/\(id)/addresses/\(kim)"), 400,
            "A problem occured. Possible cause: at least one parameter might not match required format or the domain "
                + "of the alias may not match the domain"
        )

        // 5.15.7: a new address and, given, a new list of recipients.
        #expect(
            try await k.send(
                .PATCH, "\(path)/\(id)", ["email": "kids@contoso-cm.net", "recipients": ["patti@contoso-cm.net"]]
            ).status == 204)
        let edited = try await k.get("\(path)/\(id)")
        #expect(edited["email"] == "kids@contoso-cm.net")
        #expect(edited["recipients"]?.array?.map { $0["email"] } == ["patti@contoso-cm.net"])
        #expect(
            try await k.get("\(path)/\(other["id"]!.string!)")["recipients"]?.array?.first?["email"]
                == "kids@contoso-cm.net")
        try k.expectError(
            try await k.send(.PATCH, "\(path)/\(id)", ["email": "kids@northwind-mail.com"]), 400,
            "A problem occured. Possible cause: at least one parameter might not match required format or the domain "
                + "of the alias may not match the domain"
        )
        try k.expectError(
            try await k.send(.PATCH, "\(path)/zzzzz", ["email": "x@contoso-cm.net"]), 404,
            "A problem occured. The domain and/or the email alias may not exist")

        // A renamed user is followed; a deleted one leaves.
        let patti = try await k.user("patti@contoso-cm.net")
        #expect(try await k.send(.PATCH, "/users/\(patti)", ["email": "patricia@contoso-cm.net"]).status == 204)
        #expect(try await k.get("\(path)/\(id)")["recipients"]?.array?.first?["email"] == "patricia@contoso-cm.net")
        #expect(try await k.send(.DELETE, "/users/\(patti)").status == 204)
        #expect(try await k.get("\(path)/\(id)")["recipients"] == [])

        // 5.15.3.
        #expect(try await k.send(.DELETE, "/groups/\(id)", readOnly: true).status == 403)
        #expect(try await k.send(.DELETE, "/groups/\(id)").status == 204)
        try k.expectError(
            try await k.send(.DELETE, "/groups/\(id)"), 404,
            "A problem occured. The domain and/or the alias may not exist")
        #expect(try await k.send(.DELETE, "/groups/not-an-id").status == 400)
        #expect(try await k.get("\(path)/\(other["id"]!.string!)")["recipients"] == [])
    }

    @Test func createChecksAndConflicts() async throws {
        let k = try await CleanmailKit.start()
        let d = k.domain("northwind-mail.com")
        let format =
            "A problem occured. Arguments passed to the request may not match required format or the email's domain "
            + "may not match the domain"
        try k.expectError(
            try await k.send(.POST, "/domains/\(d)/groups", ["email": "sales@contoso-cm.net"]), 400, format)
        try k.expectError(try await k.send(.POST, "/domains/\(d)/groups", ["email": "not-an-address"]), 400, format)
        try k.expectError(
            try await k.send(
                .POST, "/domains/\(d)/groups", ["email": "x@northwind-mail.com", "recipients": ["bad address"]]), 400,
            format)
        try k.expectError(
            try await k.send(.POST, "/domains/\(d)/groups", ["email": "sales@northwind-mail.com"]), 409,
            "A email alias may already exists with the given name")
        try k.expectError(
            try await k.send(.POST, "/domains/\(d)/groups", ["email": "nancy@northwind-mail.com"]), 409,
            "A email alias may already exists with the given name")
        // And the other way: a mailbox cannot take an alias's address.
        try k.expectError(
            try await k.send(
                .POST, "/users", ["email": "sales@northwind-mail.com", "status": "ENABLED", "domainId": .string(d)]),
            409,
            "A user may already exists with the given name")
        // An alias name of the domain is its own.
        #expect(try await k.send(.POST, "/domains/\(d)/groups", ["email": "info@nwtraders.net"]).status == 201)
        try k.expectError(
            try await k.send(.POST, "/domains/zzzzz/groups", ["email": "a@b.fr"]), 404,
            "A problem occured. The domain may not exist")
        try k.expectError(
            try await k.send(.POST, "/domains/\(d)/groups/zzzzz/addresses", ["a@b.fr"]), 404,
            "A problem occured. The domain or the user may not exist")
        try k.expectError(
            try await k.send(.POST, "/domains/\(d)/groups", ["email": "y@northwind-mail.com"], readOnly: true), 403,
            "You do not have permission to execute this request.")
        let gone = k.domain("contoso-cm.net")
        #expect(try await k.send(.DELETE, "/domains/\(gone)").status == 204)
        try k.expectError(
            try await k.send(.POST, "/domains/\(gone)/groups", ["email": "late@contoso-cm.net"]), 422,
            "Operation cannot be done because of not met conditions. The domain is deleted.")
    }

    @Test func listFiltersSortsAndPages() async throws {
        let k = try await CleanmailKit.start()
        let d = k.domain("northwind-mail.com")
        let path = "/domains/\(d)/groups"
        #expect(
            try await k.get(path).array?.map { $0["email"] } == ["all@northwind-mail.com", "sales@northwind-mail.com"])
        #expect(try await k.get(path + "?email=sales*").array?.count == 1)
        #expect(
            try await k.get(path + "?recipient=nancy@northwind-mail.com").array?.map { $0["email"] } == [
                "sales@northwind-mail.com"
            ])
        #expect(try await k.get(path + "?recipient=*@northwind-mail.com").array?.count == 2)
        // 5.15.6's example parameter `address` is no filter: the whole list.
        #expect(try await k.get(path + "?address=ramsay@got.net").array?.count == 2)
        #expect(try await k.send(.GET, path + "?email=a*&recipient=b").status == 400)
        #expect(try await k.get(path + "?sort=-email").array?.first?["email"] == "sales@northwind-mail.com")
        for i in 0..<43 {
            #expect(try await k.send(.POST, path, ["email": .string("list\(i)@northwind-mail.com")]).status == 201)
        }
        let first = try await k.send(.GET, path)
        #expect(try k.json(first).array?.count == 40)
        #expect(first.header("X-Total-Count") == "45")
        #expect(try await k.pages(path, pageSize: 40).count == 45)
        try k.expectError(
            try await k.send(.GET, "/domains/zzzzz/groups"), 404, "A problem occured. The domain may not exist")
    }
}
