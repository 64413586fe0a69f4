import MXLanguage
import MXModel

/// Topics `help` knows beyond command names.
public let helpTopics = ["language", "fields", "vendors", "functions"] + languageTopics.keys.sorted()

/// `help`: every command by group, from the command table.
func helpOverview(_ table: CommandTable) -> String {
    var out = "Commands (help COMMAND for details; help language|fields|vendors|functions):\n"
    let width = table.names.map(\.count).max() ?? 0
    for group in CommandDeclaration.Group.allCases {
        let members = table.declarations.filter { $0.group == group }
        guard !members.isEmpty else { continue }
        out += "\n\(group.rawValue):\n"
        for d in members {
            out +=
                "  " + d.name + String(repeating: " ", count: width - d.name.count) + "  " + d.summary
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
    if topic.hasPrefix("fields "), let vendor = VendorRegistry.named(String(topic.dropFirst(7))) {
        return vendorFields(vendor)
    }
    if let text = languageTopics[topic] { return text }
    switch topic {
    case "fields":
        var out = "Domain fields (read d.FIELD; write with set d FIELD=...):\n"
        for f in Domain.fields { out += "  \(pad(f.name, 12)) \(f.summary)\n" }
        out += "\nUser fields:\n"
        for f in User.fields { out += "  \(pad(f.name, 12)) \(f.summary)\n" }
        out += "\nEvery object also has raw: the vendor's own record, as it came (d.raw.FIELD).\n"
        out += "Each vendor's own table: help fields \(VendorRegistry.all.map(\.name).joined(separator: "|"))\n"
        return out
    case "vendors":
        return capabilityMatrix()
    case "functions":
        let signatures = builtinFunctions.map { "\($0.name)(\($0.params.joined(separator: ", ")))" }
        let width = signatures.map(\.count).max() ?? 0
        return "Functions:\n"
            + zip(signatures, builtinFunctions).map { "  \(pad($0, width))  \($1.summary)\n" }.joined()
    case "language":
        return """
            Statements, one per line (or separated by ';'):
              let x = EXPR              define a variable;  x = EXPR  changes it
              if COND < ... > else < ... >
              for x in COLLECTION [where PRED] < ... >     break and continue inside
              def name a b < ... >      a command of your own; call it as: name 1 2,
                                        or for what it returns: let y = name(1, 2)
              COMMAND args field=value  see 'help' for the commands
            Values: "text ${expr}", 'raw text', 42, true, false, none, ENABLED, [1, 2], {k: v}
            Indexing: xs[0] (from 0), row["first name"] (a record's field by name)
            Operators: = != ~ (glob) has in and or not + - * /
              Ordering comparisons go inside parentheses, since '<' opens a block: (count(d.aliases) > 1)
              In a command's arguments an operator needs parentheses too: print (n + 1)
              + adds numbers, joins two texts or two lists (xs + item adds one item); text
              and a number do not mix: number("5") reads text as a number, "${n}" makes text
              ~ ignores case: * any run, ? one character, [abc] one of those, [a-z], [!abc]
              False: false, none, 0, "", [] and {}; anything else is true
            Collections: domains, users, cm.domains, users of d, domain "x", csv("f.csv"), json("f.json")
            More: help for, help where, help def

            """
    default:
        return nil
    }
}

/// `help vendors`: which fields and operations each vendor has, from their tables.
func capabilityMatrix() -> String {
    let vendors = VendorRegistry.all
    var rows: [[String]] = []
    func cell(_ a: FieldSpec.Access?) -> String { a?.rawValue ?? "-" }
    for f in Domain.fields { rows.append(["domain." + f.name] + vendors.map { cell($0.access(.domain, f.name)) }) }
    for f in User.fields { rows.append(["user." + f.name] + vendors.map { cell($0.access(.user, f.name)) }) }
    for member in Set(vendors.flatMap(\.singles)).sorted() {
        rows.append([member + " (settings)"] + vendors.map { $0.singles.contains(member) ? "rw" : "-" })
    }
    for op in Operation.allCases + vendorObjectCommands.compactMap(\.operation) {
        rows.append(
            [op.rawValue]
                + vendors.map { v in
                    guard let inverse = v.inverse(of: op) else { return "-" }
                    if case .irreversible = inverse { return "yes, no undo" }
                    return "yes"
                })
    }
    return "rw = read and write, r = read only, w = written, never read back, - = the vendor has no such thing\n"
        + "(writing it is refused before anything is sent; 'help fields VENDOR' shows one vendor's whole table)\n\n"
        + formatTable(header: ["field / operation"] + vendors.map(\.name), rows: rows)
}

/// `help fields VENDOR`: one vendor's resource table: each kind, where it lives, its
/// fields (the vendor's own name for each, the values it takes) and operations.
func vendorFields(_ vendor: Vendor) -> String {
    var out = "\(vendor.name): \(vendor.product)\n"
    out +=
        "connect options: "
        + vendor.options.map { $0.name + ($0.isCredential ? " (credential)" : "") }.joined(separator: ", ") + "\n"
    for kind in vendor.resources.kinds {
        let places = kind.placement.map { p -> String in
            switch p {
            case .collection(let m): return "CONN.\(m)"
            case .collectionOf(let owner, let m): return "\(m) of \(owner.rawValue)"
            case .single(let m): return "CONN.\(m)"
            case .singleOf(let owner, let m): return "\(owner.rawValue).\(m)"
            case .collectionOfKind(let owner, let m): return "\(m) of \(owner)"
            }
        }
        out +=
            "\n\(kind.name) (\(places.joined(separator: ", ")))" + (kind.listing.isEmpty ? "" : ": \(kind.listing)")
            + "\n"
        let rows = kind.fields.map { f in [f.name, f.access.rawValue, f.type.help, f.wire] }
        out += formatTable(header: ["field", "access", "takes", "vendor's name"], rows: rows)
        if !kind.requiredToCreate.isEmpty {
            out += "  required to create: \(kind.requiredToCreate.joined(separator: ", "))\n"
        }
        for op in kind.operations {
            let undo: String
            switch op.inverse {
            case .by(let inverse): undo = "undone by \(inverse.rawValue)"
            case .restoreFields: undo = "undone by writing the values before"
            case .irreversible(let why): undo = "cannot be undone: \(why)"
            }
            out += "  \(op.operation.rawValue): \(undo)\n"
        }
        for command in kind.commands {
            let undo: String
            switch command.inverse {
            case .by(let inverse): undo = "undone by \(inverse)"
            case .irreversible(let why): undo = "cannot be undone: \(why)"
            }
            out += "  \(command.name): \(command.summary); \(undo)\n"
        }
    }
    return out
}

func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
