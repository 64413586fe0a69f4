import MXLanguage
import MXModel

/// Writing a message's attachment to a file (Cleanmail 5.7.3): a read at the vendor
/// and a local write, so it changes nothing a plan shows and runs in plans too, as
/// `export` does. The file is written through a fresh private temporary file in the
/// same folder and a rename (writePrivateFile): a reader never sees half of it, and a
/// link planted at the name is replaced, not written through. An existing file is kept
/// unless `replace=true`: an attachment's name comes from its sender, and two of one
/// name in a loop would silently overwrite each other.
let attachmentCommands: [CommandDeclaration] = [
    CommandDeclaration(
        "save-attachment", group: .vendorObjects,
        .init([.value("attachment"), .value("file")], named: .keys(["replace"])),
        summary:
            "write an attachment's content to a file (kept private, 0600; an existing file only with replace=true)",
        details: "At cleanmail. a from 'attachments of m'. replace=true: replace a file already there.",
        examples: [
            "for a in attachments of m < save-attachment a (\"out/\" + a.filename) >",
            "save-attachment a \"invoice.pdf\" replace=true"
        ]
    ) { interp, inv in
        try interp.saveAttachment(inv)
    }
]

extension Interpreter {
    func saveAttachment(_ inv: Invocation) throws {
        let subject = try value(inv.args[0])
        guard case .object(let ref) = subject, case .settings(let s) = ref.object, s.kind == "attachment",
            let c = connections[ref.connection]
        else {
            throw RuntimeError(
                "'save-attachment' needs an attachment, not \(subject.typeName)", at: inv.args[0].range,
                notes: [.init("one from 'attachments of m'")])
        }
        let path = try string(inv.args[1], what: "the file name")
        var replace = false
        if let r = inv.named.first(where: { $0.key == "replace" }) {
            guard case .bool(let b) = try eval(r.value) else {
                throw RuntimeError("replace= takes true or false", at: r.value.range)
            }
            replace = b
        }
        let bytes = try vendorCall(inv.range) { try c.adapter.content(of: s) }
        do {
            try writePrivateFile(path, bytes, replace: replace)
        } catch let e as FileError {
            let exists = !replace && fileMode(path) != nil
            throw RuntimeError(
                exists ? "\(path) exists: nothing is written" : e.message, at: inv.args[1].range,
                notes: exists ? [.init("give replace=true to replace it")] : [])
        }
    }
}
