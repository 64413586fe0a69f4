import MXLanguage
import MXModel

/// Topics `help` knows beyond command names.
public let helpTopics = ["language", "fields", "vendors", "functions"]

/// `help`: every command by group, from the command table.
func helpOverview(_ table: CommandTable) -> String {
    var out = "Commands (help COMMAND for details; help language|fields|vendors|functions):\n"
    let width = table.names.map(\.count).max() ?? 0
    for group in CommandDeclaration.Group.allCases {
        let members = table.declarations.filter { $0.group == group }
        guard !members.isEmpty else { continue }
        out += "\n\(group.rawValue):\n"
        for d in members {
            out += "  " + d.name + String(repeating: " ", count: width - d.name.count) + "  " + d.summary
                + (d.mutates ? " [changes]" : "") + "\n"
        }
    }
    return out
}

func helpText(_ topic: String, commands: CommandTable) -> String? {
    if let d = commands.declaration(topic) {
        var out = "usage: \(d.usage)\n\n\(d.summary)\n"
        if !d.details.isEmpty { out += "\n\(d.details)\n" }
        if d.mutates { out += "\nThis command changes things: it produces changes, which --dry-run only plans.\n" }
        if !d.examples.isEmpty { out += "\nExamples:\n" + d.examples.map { "  \($0)\n" }.joined() }
        return out
    }
    switch topic {
    case "fields":
        var out = "Domain fields (read d.FIELD; write with set d FIELD=...):\n"
        for f in Domain.fields { out += "  \(pad(f.name, 12)) \(f.summary)\n" }
        out += "\nUser fields:\n"
        for f in User.fields { out += "  \(pad(f.name, 12)) \(f.summary)\n" }
        out += "\nEvery object also has raw: the vendor's own record, as it came (d.raw.FIELD).\n"
        return out
    case "vendors":
        return capabilityMatrix()
    case "functions":
        return "Functions:\n" + builtinFunctions.map { "  \($0.name)(\($0.params.joined(separator: ", ")))  \($0.summary)\n" }.joined()
    case "language":
        return """
        Statements, one per line (or separated by ';'):
          let x = EXPR              define a variable;  x = EXPR  changes it
          if COND < ... > else < ... >
          for x in COLLECTION [where PRED] < ... >
          def name a b < ... >      a command of your own; call it as: name 1 2
          COMMAND args field=value  see 'help' for the commands
        Values: "text ${expr}", 'raw text', 42, true, false, none, ENABLED, [1, 2], {k: v}
        Operators: = != ~ (glob) has in and or not + - * /
          Ordering comparisons go inside parentheses, since '<' opens a block: (quota > 100)
        Collections: domains, users, cm.domains, users of d, domain "x", csv("f.csv")

        """
    default:
        return nil
    }
}

/// `help vendors`: which neutral fields and operations each vendor supports.
func capabilityMatrix() -> String {
    let vendors = VendorCatalog.all
    var rows: [[String]] = []
    for f in Domain.fields {
        rows.append(["domain." + f.name] + vendors.map { $0.access(.domain, f.name).rawValue })
    }
    for f in User.fields {
        rows.append(["user." + f.name] + vendors.map { $0.access(.user, f.name).rawValue })
    }
    for op in Operation.allCases {
        rows.append([op.rawValue] + vendors.map { $0.operations.contains(op) ? "yes" : "-" })
    }
    return "rw = read and write, r = read only, - = the vendor has no such thing (writing it is refused before anything is sent)\n\n"
        + formatTable(header: ["field / operation"] + vendors.map(\.vendor), rows: rows)
}

func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
