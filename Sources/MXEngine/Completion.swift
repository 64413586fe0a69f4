import MXLanguage
import MXModel

/// Tab completion: the candidates for the word before the cursor, from the same
/// tables the parser and `help` read (commands, keywords, fields, connections).
public struct Completion: Equatable {
    /// UTF-8 offset in the line where the word being completed starts.
    public var wordStart: Int
    public var candidates: [String]
}

extension Session {
    public func complete(_ line: String) -> Completion {
        let bytes = Array(line.utf8)
        var start = bytes.count
        func isWordByte(_ b: UInt8) -> Bool {
            (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 || b == 45 || b == 46
        }
        while start > 0, isWordByte(bytes[start - 1]) { start -= 1 }
        let word = String(decoding: bytes[start...], as: UTF8.self)
        let before = String(decoding: bytes[..<start], as: UTF8.self)

        // `d.na` -> fields of d; `cm.` -> members of the connection.
        if let dot = word.lastIndex(of: ".") {
            let base = String(word[..<dot])
            let prefix = String(word[word.index(after: dot)...])
            let offset = start + word[..<word.index(after: dot)].utf8.count
            return Completion(wordStart: offset, candidates: members(of: base).filter { $0.hasPrefix(prefix) }.sorted())
        }

        let previousWords = before.split(whereSeparator: { $0 == " " || $0 == "\t" })
        let statementStart =
            previousWords.isEmpty || ["<", ";", "else"].contains(previousWords.last!)
            || previousWords.last!.hasSuffix("<")
        var pool: [String]
        let previous = previousWords.last.map(String.init)
        switch previous {
        case "connect": pool = connectableVendors
        case "use": pool = interpreter.connectionOrder
        case "from" where previousWords.first == "copy", "to" where previousWords.first == "copy":
            pool = interpreter.connectionOrder
        case "help": pool = interpreter.commands.names + helpTopics
        default:
            if statementStart {
                // return, break and continue too: a line does not say whether it is in
                // a def or a loop (the shell's next line of one, the editor's), and
                // check says where they are not.
                pool =
                    interpreter.commands.names + ["let", "if", "for", "def", "return", "break", "continue"]
                    + Array(interpreter.knownDefs.keys) + interpreter.knownVariables
            } else {
                pool =
                    interpreter.knownVariables + interpreter.connectionOrder + ["domains", "users", "domain", "user"]
                    + ["where", "and", "or", "not", "in", "has", "of", "else", "true", "false", "none"]
                    + builtinFunctions.map(\.name) + Status.allCases.map(\.rawValue)
                // name=value options of the statement's command: the fields it can set.
                if let first = previousWords.first.map(String.init), let decl = interpreter.commands.declaration(first)
                {
                    switch decl.signature.named {
                    case .fields:
                        let kind: ObjectKind = first.hasSuffix("user") ? .user : .domain
                        pool += fieldNames(of: kind).filter { $0 != "raw" }.map { $0 + "=" }
                    case .keys(let keys): pool += keys.names.map { $0 + "=" }
                    case .none: break
                    }
                }
                // Inside `where`, bare names are fields.
                if previousWords.contains("where") { pool += fieldNames(of: .domain) + fieldNames(of: .user) }
            }
        }
        let candidates = Array(Set(pool.filter { $0.hasPrefix(word) })).sorted()
        return Completion(wordStart: start, candidates: candidates)
    }

    /// What can follow `base.`: an object's fields, a connection's members.
    func members(of base: String) -> [String] {
        guard !base.contains(".") else {
            return []  // d.raw.<x>: the vendor's keys are not known before reading
        }
        guard let v = interpreter.lookup(base) else { return [] }
        switch v {
        case .object(let ref):
            // The fields the connection's vendor has, from its resource table.
            let vendor = interpreter.connections[ref.connection]?.declaration
            if case .settings(let s) = ref.object {
                let declared = vendor?.resource(.settings, settings: s.kind)?.fields.map(\.name) ?? s.fields.keys
                return declared + ["raw"]
            }
            // `d.policy`, `d.dkim`: the vendor's own objects hanging off this one.
            let hanging = vendor?.resources.kinds.compactMap { $0.singleMember(of: ref.kind) } ?? []
            guard let fields = vendor?.resource(ref.kind)?.fields.map(\.name) else {
                return fieldNames(of: ref.kind) + hanging
            }
            return fields + hanging + ["raw"]
        case .record(let r): return r.keys
        case .opaque(let c as Connection):
            // `cm.health`, `pp.orgs`: the vendor's own collections too.
            let own = c.declaration.resources.kinds.filter { $0.kind == .settings }.compactMap {
                $0.singleMember ?? $0.collectionMember
            }
            return ["domains", "users", "name", "vendor"] + own + (c.record?.keys ?? [])
        default: return []
        }
    }
}
