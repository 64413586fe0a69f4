import MXJSON
import MXLanguage
import MXModel

extension LanguageServer {
    /// The same diagnostics as `mxsh check`, located in LSP terms.
    func diagnostics(uri: String, text: String) -> [JSON] {
        let session = Session(host: BufferHost())
        let path = Self.path(of: uri)
        let (program, found) = session.diagnose(text, name: path, after: TestPrelude.source(for: path))
        return found.map { d in
            let notes = d.notes.map(\.message)
            return .object(
                JSONObject([
                    ("range", Self.range(d.range, in: program.source)), ("severity", 1), ("source", "mxsh"),
                    ("message", .string(([d.message] + notes).joined(separator: "\n")))
                ]))
        }
    }

    /// Where each name is defined: `let`, `def` (and its parameters), `for` variables.
    func definitions(_ source: Source) -> [(name: String, range: SourceRange, kind: Int)] {
        let (program, _) = parse(source, commands: CommandTable.standard)
        var out: [(String, SourceRange, Int)] = []
        func walk(_ statements: [Stmt]) {
            for s in statements {
                switch s.kind {
                case .let(let name, let r, _): out.append((name, r, 13))
                case .def(let name, let r, _, let body): out.append((name, r, 12)); walk(body)
                case .for(let name, let r, _, let body): out.append((name, r, 13)); walk(body)
                case .if(_, let then, let otherwise): walk(then); walk(otherwise ?? [])
                default: break
                }
            }
        }
        walk(program.statements)
        return out
    }

    func symbols(_ source: Source) -> JSON {
        .array(
            definitions(source).map { d in
                let range = Self.range(d.range, in: source)
                return .object(
                    JSONObject([
                        ("name", .string(d.name)), ("kind", .int(d.kind)), ("range", range), ("selectionRange", range)
                    ]))
            })
    }

    func definition(_ source: Source, _ offset: Int, uri: String) -> JSON? {
        guard let (word, _) = DocumentPositions(source: source).word(at: offset) else { return nil }
        // The nearest definition before the cursor, else the first one (a def used above it).
        let found = definitions(source).filter { $0.name == word }
        guard let d = found.last(where: { $0.range.start <= offset }) ?? found.first else { return nil }
        return .object(JSONObject([("uri", .string(uri)), ("range", Self.range(d.range, in: source))]))
    }

    /// The command's or field's help, from the same tables as `help`.
    func hover(_ source: Source, _ offset: Int) -> JSON? {
        guard let (word, _) = DocumentPositions(source: source).word(at: offset) else { return nil }
        var text: String?
        if CommandTable.standard.declaration(word) != nil {
            text = helpText(word, commands: .standard)
        } else if let f = Domain.fields.first(where: { $0.name == word }) {
            text = "domain field \(f.name): \(f.summary)"
        } else if let f = User.fields.first(where: { $0.name == word }) {
            text = "user field \(f.name): \(f.summary)"
        } else {
            let lines = VendorRegistry.all.flatMap { v in
                v.resources.kinds.compactMap { k in
                    k.field(word).map {
                        "\(v.name) \(k.name) field \($0.name) (\($0.wire)): \($0.type.help)"
                            + ($0.summary.isEmpty ? "" : "; \($0.summary)")
                    }
                }
            }
            if !lines.isEmpty { text = lines.joined(separator: "\n") }
        }
        guard let text else { return nil }
        return ["contents": ["kind": "plaintext", "value": .string(text)]]
    }

    /// Commands, keywords and options as the shell completes them; the document's own
    /// names; after `NAME.` a connection's members or the fields of the vendors the
    /// document connects to.
    func completion(_ source: Source, _ offset: Int) -> JSON {
        let (line, _) = source.lineColumn(of: offset)
        let start = source.lineStarts[line - 1]
        let prefix = String(decoding: source.bytes[start..<min(offset, source.bytes.count)], as: UTF8.self)
        var word = Substring(prefix)
        while let c = word.last, c.isLetter || c.isNumber || c == "_" || c == "-" || c == "." { word.removeLast() }
        let typed = String(prefix[word.endIndex...])
        var candidates: [String]
        let connections = connectLines(source)
        if let dot = typed.lastIndex(of: ".") {
            let base = String(typed[..<dot]), partial = String(typed[typed.index(after: dot)...])
            if let vendor = connections[base] {
                candidates = ["domains", "users", "name", "vendor"] + (VendorRegistry.named(vendor)?.singles ?? [])
            } else {
                let vendors = Set(connections.values).compactMap(VendorRegistry.named)
                candidates =
                    fieldNames(of: .domain) + fieldNames(of: .user)
                    + vendors.flatMap { $0.resources.kinds.flatMap { $0.fields.map(\.name) } }
            }
            candidates = candidates.filter { $0.hasPrefix(partial) }
        } else {
            candidates = Session(host: BufferHost()).complete(prefix).candidates
            candidates += (definitions(source).map(\.name) + Array(connections.keys)).filter {
                $0.hasPrefix(typed) && $0 != typed
            }
        }
        return .array(Array(Set(candidates)).sorted().map { .object(JSONObject([("label", .string($0))])) })
    }

    /// `connect VENDOR [as NAME]` and `connect sandbox` lines: connection -> vendor.
    func connectLines(_ source: Source) -> [String: String] {
        var out: [String: String] = [:]
        for n in 1...max(1, source.lineStarts.count) {
            let words = source.line(n).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard words.count >= 2, words[0] == "connect" else { continue }
            if words[1] == "sandbox" {
                for seat in VendorRegistry.sandboxSeats { out[seat.name] = seat.vendor }
            } else if VendorRegistry.named(words[1]) != nil {
                out[words.count >= 4 && words[2] == "as" ? words[3] : words[1]] = words[1]
            }
        }
        return out
    }

    /// One edit replacing the whole document with `mxsh fmt`'s layout; none when it
    /// does not parse (as `mxsh fmt` leaves it alone).
    func formatting(_ source: Source) -> JSON {
        let result = formatChecked(
            source, commands: CommandTable.standard, connections: TestPrelude.connections(for: source.name))
        guard case .formatted(let text) = result, text != source.text else {
            return .array([])
        }
        let end = DocumentPositions(source: source).position(source.bytes.count)
        return .array([
            [
                "range": [
                    "start": ["line": 0, "character": 0],
                    "end": ["line": .int(end.line), "character": .int(end.character)]
                ],
                "newText": .string(text)
            ]
        ])
    }
}
