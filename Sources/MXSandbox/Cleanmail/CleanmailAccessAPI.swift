import MXJSON

/// End users' permissions on a domain (5.5.2 PUT, 5.5.12 GET `/domains/{id}/access`):
/// `AclPermissionStatus` (6.2), a name and whether it is enabled.
///
/// ASSUMED (the document names none): the permissions of `endUserPermissions`, all but
/// `SIGN_WRITE` and `WBLIST_WRITE` enabled on a new domain; PUT takes the names to
/// enable (the others are disabled) and answers 204; an unknown name is a 400; the
/// domain's 404 is "Domain not found with given id".
extension CleanmailAPI {
    static let endUserPermissions = [
        "QUARANTINE_READ", "QUARANTINE_RELEASE", "ARCHIVE_READ", "RETENTION_READ", "WBLIST_READ",
        "WBLIST_WRITE", "SIGN_WRITE", "PASSWORD_CHANGE", "MFA_SETUP"
    ]
    static let endUserDefaults: Set<String> = [
        "QUARANTINE_READ", "QUARANTINE_RELEASE", "ARCHIVE_READ", "RETENTION_READ",
        "WBLIST_READ", "PASSWORD_CHANGE", "MFA_SETUP"
    ]

    static func registerAccess(_ r: inout Router<Route>) {
        r.read("/domains/{domainId}/access") { s, c in
            let d = try domain(s, c["domainId"], Message.domainNotFound)
            let enabled = enabledAccess(s, d)
            return .json(
                200,
                .array(
                    endUserPermissions.map { p in
                        .object(JSONObject([("name", .string(p)), ("enabled", .bool(enabled.contains(p)))]))
                    }))
        }
        r.write("PUT", "/domains/{domainId}/access") { s, c in
            let d = try domain(s, c["domainId"], Message.domainNotFound)
            guard let list = try body(c.request).array, list.allSatisfy({ $0.string != nil }) else {
                throw Failure(400, "JSON parse error: the body must be a list of permission names")
            }
            var names: [String] = []
            for p in list.compactMap(\.string) {
                guard endUserPermissions.contains(p) else { throw Failure(400, "Unknown permission '\(p)'") }
                if !names.contains(p) { names.append(p) }
            }
            s.keyed["access/\(d)"] = .array(names.map(JSON.string))
            return .empty(204)
        }
    }

    static func enabledAccess(_ s: CleanmailStore, _ d: Int) -> Set<String> {
        guard let set = s.keyed["access/\(d)"]?.array else { return endUserDefaults }
        return Set(set.compactMap(\.string))
    }
}
