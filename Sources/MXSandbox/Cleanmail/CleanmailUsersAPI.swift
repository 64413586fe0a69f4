import MXJSON

/// Users (5.14), the mailboxes: list (all, or a domain's), create, read, edit, delete.
/// Addresses are unique and compared without case; an address belongs to its domain's
/// name or one of the domain's aliases.
extension CleanmailAPI {
    static func registerUsers(_ r: inout Router<Route>) {
        r.read("/domains/{domainId}/users") { s, c in
            try listUsers(&s, c.request, in: try domain(s, c["domainId"], Message.domainNotFound))
        }
        r.read("/users") { s, c in try listUsers(&s, c.request, in: nil) }
        r.write("POST", "/users", postUser)
        // ASSUMED: the document lists no code for GET /users/{id}; 404 as for PATCH.
        r.read("/users/{userId}") { s, c in .json(200, renderUser(s, try user(s, c["userId"], Message.userNotFound))) }
        r.write("PATCH", "/users/{userId}", patchUser)
        r.write("DELETE", "/users/{userId}", deleteUser)
    }

    static func user(_ s: CleanmailStore, _ id: String, _ missing: String) throws -> Int {
        guard let n = CleanmailID.decode(id), s.users[n] != nil else { throw Failure(404, missing) }
        return n
    }

    static let userSortFields: Set<String> = [
        "id", "email", "firstname", "lastname", "status", "language", "creationDate",
        "senderVerifyOn", "mfaType", "lastConnectionDate"
    ]

    /// `GET /users` and `GET /domains/{id}/users`.
    ///
    /// ASSUMED: the filter is `email` (exact, or with `*` wildcards as section 3.1). The
    /// document's tables lost the parameter's name ("Filter by email", 5.14.5 and 5.14.7).
    /// The converter that lost it lost the word "email" everywhere (the `email` members of
    /// Admin, EmailAlias and NewEmailAlias, 5.15.6's "Filter groups by the alias's email"),
    /// so the lost name is `email`. The examples' `name=` (5.14.7 filters `name=ByE3n` and
    /// answers users of two domains) is not a filter: as Spring ignores an unknown
    /// parameter, it changes nothing and the whole list comes back, paged. A client that
    /// guessed wrong gets other users, so it must compare the address of what it gets,
    /// and read every page before concluding an address is absent.
    static func listUsers(_ s: inout CleanmailStore, _ r: SandboxRequest, in domainID: Int?) throws -> SandboxResponse {
        // ASSUMED default sort: by email, as the examples' lists come.
        let q = try listQuery(r, defaultSort: "email", fields: userSortFields, type: "User")
        let filter = try singleFilter(r, ["email", "platformName"])
        let answer = try page(
            &s, r, q,
            { s in
                let ids = domainID.map { s.domainUsers[$0] ?? [] } ?? Array(s.users.keys)
                guard let (field, value) = filter else { return ids }
                if field == "email" { return ids.filter { Self.matches(s.users[$0]!["email"]?.string ?? "", value) } }
                return ids.filter { Self.matches(s.userPlatform(s.users[$0]!)?["name"]?.string ?? "", value) }
            }, key: { s, u, f in f == "id" ? .int(u) : s.users[u]![f] ?? .null }, render: renderUser)
        // 5.14.5 (a domain's users) offers the export; 5.14.7 does not.
        return domainID == nil ? answer : exportIfAsked(r, answer)
    }

    static func renderUser(_ s: CleanmailStore, _ id: Int) -> JSON {
        let u = s.users[id]!
        let d = s.num(u["domainId"]) ?? 0
        let domain = s.domains[d]
        let policy = (s.num(u["policyId"]) ?? s.num(domain?["policyId"])).flatMap { s.policies[$0] }
        let platform = s.userPlatform(u)
        return .object(
            JSONObject([
                ("id", u["id"]!), ("email", u["email"]!), ("firstname", u["firstname"] ?? .null),
                ("lastname", u["lastname"] ?? .null),
                ("status", u["status"]!), ("language", u["language"] ?? "EN"),
                ("creationDate", u["creationDate"] ?? .null),
                ("domainId", u["domainId"]!), ("policy", policy.map(JSON.object) ?? .null),
                ("senderVerifyOn", u["senderVerifyOn"] ?? true),
                ("domainPolicyId", domain?["policyId"] ?? .null), ("domainStatus", domain?["status"] ?? .null),
                ("domainPlatformId", s.defaultPlatform(d)?["id"] ?? .null),
                ("platform", platform.map(JSON.object) ?? .null),
                ("mfaType", u["mfaType"] ?? .null), ("lastConnectionDate", u["lastConnectionDate"] ?? .null)
            ]))
    }

    static func postUser(_ s: inout CleanmailStore, _ c: Call) throws -> SandboxResponse {
        let id = try createUser(&s, try bodyObject(c.request))
        return .json(201, renderUser(s, id), headers: location(c.request, "/users/\(CleanmailID.encode(id))"))
    }

    /// `NewUser` (6.39) -> a user. 400 for a bad email or an unknown domain (as
    /// documented), 409 for an existing address, 422 for the conditions below.
    static func createUser(_ s: inout CleanmailStore, _ o: JSONObject) throws -> Int {
        guard let raw = o["email"]?.string, Self.isEmail(raw) else { throw Failure(400, Message.newUserInvalid) }
        let email = raw.lowercased()
        let status = try required(o, "status") { v in v.string.flatMap { Self.userStatuses.contains($0) ? $0 : nil } }
        let domainText = try required(o, "domainId") { $0.string }
        guard let d = CleanmailID.decode(domainText), let domain = s.domains[d] else {
            throw Failure(400, Message.newUserInvalid)
        }
        let language = try optional(o, "language") { Self.language($0) }
        let firstname = try optional(o, "firstname") { $0.string }
        let lastname = try optional(o, "lastname") { $0.string }
        let senderVerify = try optional(o, "senderVerifyOn") { $0.bool } ?? true
        let policyText = try optional(o, "policyId") { $0.string }
        let platformText = try optional(o, "platformId") { $0.string }
        _ = try optional(o, "password") { $0.string }
        _ = try optional(o, "sendNotification") { $0.bool }
        if s.emails[email] != nil || isGroupAddress(s, email) { throw Failure(409, Message.userExists) }
        try checkUserPlacement(s, email: email, domain: d, policy: policyText, platform: platformText)
        let u = s.next(.user)
        // ASSUMED: the sandbox keeps no passwords (they are never read back: 6.39).
        s.insertUser(
            u,
            JSONObject([
                ("id", .string(CleanmailID.encode(u))), ("email", .string(email)),
                ("firstname", firstname.map(JSON.string) ?? .null),
                ("lastname", lastname.map(JSON.string) ?? .null), ("status", .string(status)),
                ("language", .string(language ?? domain["defaultLanguage"]?.string ?? "EN")),
                ("creationDate", .int(s.now())),
                ("domainId", .string(CleanmailID.encode(d))), ("policyId", policyText.map(JSON.string) ?? .null),
                ("platformId", platformText.map(JSON.string) ?? .null), ("senderVerifyOn", .bool(senderVerify)),
                ("mfaType", .null), ("lastConnectionDate", .null)
            ]))
        return u
    }

    /// ASSUMED conditions of the 422: the address is in the domain ("the domain
    /// specified in user's email address": its name or one of its aliases); the domain
    /// is not deleted; a policy or platform given is the domain's own.
    static func checkUserPlacement(
        _ s: CleanmailStore, email: String, domain d: Int, policy: String?, platform: String?
    ) throws {
        let part = String(email.split(separator: "@").last ?? "")
        guard s.names[part] == d else {
            throw Failure(
                422, Message.conditions + " \(email) is not an address of domain \(s.domains[d]!["name"]!.string!).")
        }
        if s.domains[d]!["status"]?.string == "DELETED" {
            throw Failure(422, Message.conditions + " The domain is deleted.")
        }
        if let policy {
            guard let p = CleanmailID.decode(policy), let found = s.policies[p], s.num(found["domainId"]) == d else {
                throw Failure(422, Message.conditions + " Policy \(policy) is not a policy of this domain.")
            }
        }
        if let platform {
            guard (s.domains[d]!["platforms"]?.array ?? []).contains(where: { $0["id"]?.string == platform }) else {
                throw Failure(422, Message.conditions + " Platform \(platform) is not a platform of this domain.")
            }
        }
    }

    /// `PATCH /users/{id}` with an `UpdateUser` (6.61): 204 as in the example.
    static func patchUser(_ s: inout CleanmailStore, _ c: Call) throws -> SandboxResponse {
        let id = try user(s, c["userId"], Message.userNotFound)
        let o = try bodyObject(c.request)
        var u = s.users[id]!
        var email = u["email"]!.string!
        if o["email"] != nil {
            guard let raw = o["email"]?.string, Self.isEmail(raw) else { throw Failure(400, Message.userEmailFormat) }
            email = raw.lowercased()
        }
        for key in ["status", "language", "email"] where o[key] == .null {
            throw Failure(400, "Validation failed: \(key) must not be null")
        }
        let status = try optional(o, "status") { v in v.string.flatMap { Self.userStatuses.contains($0) ? $0 : nil } }
        let language = try optional(o, "language") { Self.language($0) }
        let firstname = try optional(o, "firstname") { $0.string }
        let lastname = try optional(o, "lastname") { $0.string }
        let senderVerify = try optional(o, "senderVerifyOn") { $0.bool }
        let domainText = try optional(o, "domainId") { $0.string }
        let policyText = try optional(o, "policyId") { $0.string }
        let platformText = try optional(o, "platformId") { $0.string }
        let mfa = try optional(o, "mfaType") { v in v.string.flatMap { ["NONE", "TOTP"].contains($0) ? $0 : nil } }
        _ = try optional(o, "password") { $0.string }
        var d = s.num(u["domainId"])!
        if let domainText {
            // ASSUMED: an unknown domain is a 422 here (the document lists 400 only for the email).
            guard let nd = CleanmailID.decode(domainText), s.domains[nd] != nil else {
                throw Failure(422, Message.conditions + " Unknown domain \(domainText).")
            }
            d = nd
        }
        if email != u["email"]!.string!, s.emails[email] != nil || isGroupAddress(s, email) {
            throw Failure(409, Message.userExists)  // ASSUMED: the same conflict as in POST /users
        }
        // ASSUMED: "Disable account's multi-factor authentication": only NONE is accepted.
        if mfa == "TOTP" {
            throw Failure(422, Message.conditions + " Multi-factor authentication can only be disabled (NONE).")
        }
        let policy = o["policyId"] != nil ? policyText : u["policyId"]?.string
        let platform = o["platformId"] != nil ? platformText : u["platformId"]?.string
        let oldDomain = s.num(u["domainId"])!
        try checkUserPlacement(
            s, email: email, domain: d, policy: d == oldDomain || o["policyId"] != nil ? policy : nil,
            platform: d == oldDomain || o["platformId"] != nil ? platform : nil)

        u["email"] = .string(email)
        if d != oldDomain {
            u["domainId"] = .string(CleanmailID.encode(d))
            if o["policyId"] == nil { u["policyId"] = .null }
            if o["platformId"] == nil { u["platformId"] = .null }
        }
        if let status { u["status"] = .string(status) }
        if let language { u["language"] = .string(language) }
        if o["firstname"] != nil { u["firstname"] = firstname.map(JSON.string) ?? .null }
        if o["lastname"] != nil { u["lastname"] = lastname.map(JSON.string) ?? .null }
        if let senderVerify { u["senderVerifyOn"] = .bool(senderVerify) }
        if o["policyId"] != nil { u["policyId"] = policyText.map(JSON.string) ?? .null }
        if o["platformId"] != nil { u["platformId"] = platformText.map(JSON.string) ?? .null }
        if let mfa { u["mfaType"] = .string(mfa) }
        s.updateUser(id, u)
        return .empty(204)
    }

    /// ASSUMED: an email alias's address (5.15) is taken for a mailbox too: the same 409.
    static func isGroupAddress(_ s: CleanmailStore, _ email: String) -> Bool {
        s.all(.group).values.contains { $0["email"]?.string == email }
    }

    static func deleteUser(_ s: inout CleanmailStore, _ c: Call) throws -> SandboxResponse {
        // The mailbox's own filtering rules go with it (`removeUser`).
        s.removeUser(try user(s, c["userId"], Message.userOrDomainNotFound))
        return .empty(204)
    }
}
