import MXLanguage
import MXModel

let outputCommands: [CommandDeclaration] = [
    CommandDeclaration(
        "print", group: .output, .init([.rest("values")]),
        summary: "print values on one line, separated by spaces",
        examples: ["print d.name d.status", "print \"fixing\" d.name"]
    ) { interp, inv in
        let values = try inv.args.map { try interp.value($0) }
        try interp.completeDomains(values, at: inv.range)
        var text = ""
        for (i, v) in values.enumerated() {
            if i > 0 { text += " " }
            // A record's credential member (a vendor's `bind_password`) prints as ****.
            text += maskingCredentialMembers(v).text
        }
        text += "\n"
        interp.host.printed(text)
    },
    CommandDeclaration(
        "list", group: .output, .init([.query("collection")]),
        summary: "list objects as a table (or JSON/CSV with --format)",
        details:
            "Bare names in 'where' are the item's fields; compare with = != ~ has in, and order inside parentheses: "
            + "where (count(aliases) > 1).",
        examples: ["list domains", "list domains where status=ENABLED and name~\"*.net\"", "list users of d"]
    ) { interp, inv in
        guard case .value(let e) = inv.args[0] else { return }
        try interp.list(at: e.range) { body in try interp.forEach(in: e, body) }
    },
    CommandDeclaration(
        "show", group: .output, .init([.value("object")]),
        summary: "show every field of one object: the neutral ones, then the vendor's own (inherited values said so)",
        examples: ["show domain \"got.com\"", "show d", "show ad.proxy"]
    ) { interp, inv in
        try interp.show(try interp.value(inv.args[0]), at: inv.args[0].range)
    },
    CommandDeclaration(
        "export", group: .output, .init([.query("collection"), .keyword("to"), .value("file")]),
        summary: "write objects to a .json or .csv file (JSON keeps the vendor's raw record)",
        examples: [
            "export cm.domains to \"cm-domains.json\"", "export domains where status=DISABLED to \"disabled.csv\""
        ]
    ) { interp, inv in
        guard case .value(let e) = inv.args[0] else { return }
        let path = try interp.string(inv.args[1], what: "the file name")
        try interp.export(at: e.range, to: path, pathRange: inv.args[1].range) { body in
            try interp.forEach(in: e, body)
        }
    },
    CommandDeclaration(
        "help", group: .output, .init([.optional([.word("topic")]), .optional([.word("vendor")])]),
        summary: "list commands, or explain one (help add-alias, help fields [VENDOR], help vendors)",
        words: .topic
    ) { interp, inv in
        if case .word(var topic, let range)? = inv.args.first {
            if inv.args.count > 1, case .word(let vendor, let vr) = inv.args[1] {
                guard topic == "fields", VendorRegistry.named(vendor) != nil else {
                    throw RuntimeError(
                        "help takes a vendor only after 'fields'", at: vr,
                        notes: [.init("vendors: \(VendorRegistry.all.map(\.name).joined(separator: ", "))")])
                }
                topic += " " + vendor
            }
            guard let text = helpText(topic, commands: interp.commands) else {
                throw RuntimeError(
                    "no help on '\(topic)'", at: range,
                    notes: bestMatch(for: topic, in: interp.commands.names + helpTopics).map {
                        [.init("did you mean '\($0)'?")]
                    } ?? [])
            }
            interp.host.output(text)
        } else {
            interp.host.output(helpOverview(interp.commands))
        }
    },
    CommandDeclaration(
        "trace", group: .output, .init([.word("on|off")]),
        summary: "print each HTTP request and answer to the vendors (credentials masked), or stop",
        details:
            "The same as 'mxsh --trace'. Authorization, X-User/X-Password, credentials objects, tokens and password "
            + "fields show as ****.",
        examples: ["trace on", "trace off"]
    ) { interp, inv in
        guard case .word(let w, let r) = inv.args[0], w == "on" || w == "off" else {
            throw RuntimeError("trace takes 'on' or 'off'", at: inv.args[0].range)
        }
        _ = r
        interp.setTrace(w == "on")
    }
]
