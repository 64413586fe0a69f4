import MXLanguage
import MXModel

let userCommands: [CommandDeclaration] = [
    CommandDeclaration(
        "create-user", group: .users, .init([.value("email")], named: .fields),
        summary: "create a mailbox in an existing domain; at=CONN picks the connection",
        examples: ["create-user \"ann@got.com\" name=\"Ann\""],
        mutates: true, operation: .createUser
    ) { interp, inv in
        let email = try interp.emailAddress(inv.args[0], what: "the email address")
        let c = try interp.connection(for: inv)
        var fields = try interp.namedFields(inv, except: ["at"])
        if fields["status"] == nil { fields["status"] = .enumCase(Status.enabled.rawValue) }
        try interp.submit(
            Change(
                connection: c.name, kind: .user, key: email, operation: .createUser,
                fields: fields, before: nil, location: interp.location(inv.range)),
            updating: nil, at: inv.range, fieldRanges: interp.fieldRanges(inv))
    },
    CommandDeclaration(
        "delete-user", group: .users, .init([.value("user")]),
        summary: "delete a mailbox",
        examples: ["delete-user u", "delete-user \"ann@got.com\""],
        mutates: true, operation: .deleteUser
    ) { interp, inv in
        let ref = try interp.target(inv.args[0], kind: .user, command: inv.name)
        try interp.submit(
            Change(
                connection: ref.connection, kind: .user, key: ref.key, operation: .deleteUser,
                fields: Record(), before: ref.object, location: interp.location(inv.range)),
            updating: ref, at: inv.range)
    }
]
