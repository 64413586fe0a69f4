import MXLanguage
import MXModel

/// delete-domain's options (`ignoreMX=`), from every vendor's table: worked out the first
/// time they are asked for (a global is initialised lazily), not at start-up.
let deleteDomainOptions = VendorRegistry.optionNames(of: .deleteDomain)

let domainCommands: [CommandDeclaration] = [
    CommandDeclaration(
        "create-domain", group: .domains, .init([.value("name")], named: .fields),
        summary: "create a domain (ENABLED unless status= says otherwise); at=CONN picks the connection",
        details:
            "Creating a domain that exists with the same fields is reported as unchanged, so a runbook can be re-run.",
        examples: ["create-domain \"new.com\" status=ENABLED destination=\"1.2.3.4\""],
        mutates: true, operation: .createDomain
    ) { interp, inv in
        let name = try interp.domainName(inv.args[0])
        let c = try interp.connection(for: inv)
        var fields = try interp.namedFields(inv, except: ["at"])
        if fields["status"] == nil { fields["status"] = .enumCase(Status.enabled.rawValue) }
        try interp.submit(
            Change(
                connection: c.name, kind: .domain, key: name, operation: .createDomain,
                fields: fields, before: nil, location: interp.location(inv.range)),
            updating: nil, at: inv.range, fieldRanges: interp.fieldRanges(inv))
    },
    CommandDeclaration(
        "set", group: .domains, .init([.value("object")], named: .fields),
        summary: "change fields of a domain, a user or a settings object",
        examples: [
            "set d destination=\"10.0.0.5\" failovers=[\"10.0.0.6\"]",
            "set ad.mailserver server=\"smtp.example.com\" port=587 security=TLS"
        ],
        mutates: true
    ) { interp, inv in
        let fields = try interp.namedFields(inv)
        guard fields.count > 0 else {
            throw RuntimeError(
                "'set' needs at least one field=value", at: inv.range,
                notes: [.init("usage: set d destination=\"10.0.0.5\"")])
        }
        let v = try interp.value(inv.args[0])
        guard case .object(let ref) = v else {
            throw RuntimeError(
                "'set' needs a domain, a user or a settings object, not \(v.aTypeName)", at: inv.args[0].range)
        }
        let operation: Operation =
            ref.kind == .domain ? .updateDomain : ref.kind == .user ? .updateUser : .updateSettings
        // A vendor's own object keyed apart from its kind (`d.policy`) names its kind.
        let resource = ref.kind == .settings && ref.kindName != ref.key ? ref.kindName : nil
        try interp.submit(
            Change(
                connection: ref.connection, kind: ref.kind, key: ref.key, operation: operation,
                fields: fields, before: ref.object, location: interp.location(inv.range), resource: resource),
            updating: ref, at: inv.range, fieldRanges: interp.fieldRanges(inv))
    },
    statusCommand("enable", .enabled),
    statusCommand("disable", .disabled),
    CommandDeclaration(
        "delete-domain", group: .domains,
        .init([.value("domain")], named: .keys(.init(lazy: { deleteDomainOptions }))),
        summary: "delete a domain (its before-state is kept with the change, for undo)",
        details:
            "Cleanmail: ignoreMX=true deletes a domain whose MX still points to Cleanmail (X-Ignore-MX); never the "
            + "default.",
        examples: ["delete-domain d", "delete-domain \"old.com\"", "delete-domain d ignoreMX=true"],
        mutates: true, operation: .deleteDomain
    ) { interp, inv in
        let ref = try interp.target(inv.args[0], kind: .domain, command: inv.name)
        try interp.submit(
            Change(
                connection: ref.connection, kind: .domain, key: ref.key, operation: .deleteDomain,
                fields: try interp.namedFields(inv), before: ref.object, location: interp.location(inv.range)),
            updating: ref, at: inv.range, fieldRanges: interp.fieldRanges(inv))
    },
    CommandDeclaration(
        "set-credential", group: .domains, .init([.value("domain")], named: .keys(["user", "password"])),
        summary: "set the account AD360 uses for an Active Directory domain (ad360 only)",
        details: "The password is best given as secret(\"name\") or env(\"X\"); it is sent once and never shown.",
        examples: ["set-credential domain \"ad360.local\" user=\"admin\" password=secret(\"ad360-admin\")"],
        mutates: true, operation: .setCredential
    ) { interp, inv in
        let ref = try interp.target(inv.args[0], kind: .domain, command: inv.name)
        let fields = try interp.namedFields(inv)
        guard fields["user"] != nil, fields["password"] != nil else {
            throw RuntimeError(
                "set-credential needs user= and password=", at: inv.range,
                notes: [.init("set-credential d user=\"admin\" password=secret(\"ad360-admin\")")])
        }
        try interp.submit(
            Change(
                connection: ref.connection, kind: .domain, key: ref.key, operation: .setCredential,
                fields: fields, before: ref.object, location: interp.location(inv.range)),
            updating: ref, at: inv.range, fieldRanges: interp.fieldRanges(inv))
    },
    aliasCommand("add-alias", .addAlias, summary: "add an alias to a domain (unchanged if it is there already)"),
    aliasCommand("remove-alias", .removeAlias, summary: "remove an alias from a domain (unchanged if it is not there)")
]

/// `enable d` / `disable d`: a status change, on a domain or a user.
private func statusCommand(_ name: String, _ status: Status) -> CommandDeclaration {
    CommandDeclaration(
        name, group: .domains, .init([.value("object")]),
        summary: "set a domain's or a user's status to \(status.rawValue)",
        examples: ["\(name) d", "\(name) \"old.com\""],
        mutates: true
    ) { interp, inv in
        let v = try interp.value(inv.args[0])
        let ref: ObjectRef
        if case .object(let r) = v, r.kind == .user {
            ref = r
        } else {
            ref = try interp.target(inv.args[0], kind: .domain, command: inv.name)
        }
        try interp.submit(
            Change(
                connection: ref.connection, kind: ref.kind, key: ref.key,
                operation: ref.kind == .user ? .updateUser : .updateDomain,
                fields: Record([("status", .enumCase(status.rawValue))]), before: ref.object,
                location: interp.location(inv.range)),
            updating: ref, at: inv.range)
    }.with(setsStatus: status)
}

private func aliasCommand(_ name: String, _ operation: Operation, summary: String) -> CommandDeclaration {
    CommandDeclaration(
        name, group: .domains, .init([.value("domain"), .value("alias")]),
        summary: summary,
        examples: ["\(name) d \"x.net\"", "\(name) d \"old-${d.name}\""],
        mutates: true, operation: operation
    ) { interp, inv in
        let ref = try interp.target(inv.args[0], kind: .domain, command: inv.name)
        let alias = try interp.domainName(inv.args[1], what: "the alias")
        try interp.submit(
            Change(
                connection: ref.connection, kind: .domain, key: ref.key, operation: operation,
                fields: Record([("alias", .string(alias))]), before: ref.object,
                location: interp.location(inv.range)),
            updating: ref, at: inv.range)
    }.with(nameArgument: 1)
}
