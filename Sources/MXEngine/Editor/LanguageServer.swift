import MXJSON
import MXLanguage
import MXModel

/// `mxsh lsp`: the Language Server Protocol's requests, answered from the same parser,
/// checker, command table, vendor tables and formatter as `mxsh check`, `help` and
/// `mxsh fmt`. No I/O here (the executable frames messages on stdio), and it never
/// connects to a vendor: a document's `connect` lines are only read.
public final class LanguageServer {
    /// Open documents by URI.
    private var documents: [String: String] = [:]
    public private(set) var shutdownRequested = false

    public init() {}

    /// What to write back for one message: the response (for a request) and any
    /// notifications (diagnostics after an edit).
    public struct Output {
        public var messages: [JSON] = []
        public var exit: Int32?
    }

    public func handle(_ message: JSON) -> Output {
        var out = Output()
        let method = message["method"]?.string ?? ""
        let params = message["params"] ?? .null
        let id = message["id"]
        func reply(_ result: JSON) {
            guard let id else { return }
            out.messages.append(.object(JSONObject([("jsonrpc", "2.0"), ("id", id), ("result", result)])))
        }
        switch method {
        case "initialize":
            reply([
                "capabilities": [
                    "textDocumentSync": 1, "completionProvider": ["triggerCharacters": ["."]], "hoverProvider": true,
                    "definitionProvider": true, "documentSymbolProvider": true, "documentFormattingProvider": true
                ], "serverInfo": ["name": "mxsh"]
            ])
        case "initialized", "$/cancelRequest", "workspace/didChangeConfiguration":
            break
        case "shutdown":
            shutdownRequested = true
            reply(.null)
        case "exit":
            out.exit = shutdownRequested ? 0 : 1
        case "textDocument/didOpen":
            let doc = params["textDocument"]
            open(doc?["uri"]?.string, doc?["text"]?.string, into: &out)
        case "textDocument/didChange":
            // Full sync (textDocumentSync 1): the last change holds the whole text.
            open(
                params["textDocument"]?["uri"]?.string, params["contentChanges"]?.array?.last?["text"]?.string,
                into: &out)
        case "textDocument/didClose":
            if let uri = params["textDocument"]?["uri"]?.string { documents[uri] = nil }
        case "textDocument/completion":
            reply(at(params) { completion($0, $1) } ?? .array([]))
        case "textDocument/hover":
            reply(at(params) { hover($0, $1) } ?? .null)
        case "textDocument/definition":
            reply(at(params) { definition($0, $1, uri: params["textDocument"]?["uri"]?.string ?? "") } ?? .null)
        case "textDocument/documentSymbol":
            reply(document(params).map(symbols) ?? .array([]))
        case "textDocument/formatting":
            reply(document(params).map(formatting) ?? .null)
        default:
            if let id {
                out.messages.append(
                    .object(
                        JSONObject([
                            ("jsonrpc", "2.0"), ("id", id),
                            ("error", ["code": -32601, "message": .string("no method \(method)")])
                        ])))
            }
        }
        return out
    }

    private func open(_ uri: String?, _ text: String?, into out: inout Output) {
        guard let uri, let text else { return }
        documents[uri] = text
        out.messages.append(
            .object(
                JSONObject([
                    ("jsonrpc", "2.0"), ("method", "textDocument/publishDiagnostics"),
                    ("params", ["uri": .string(uri), "diagnostics": .array(diagnostics(uri: uri, text: text))])
                ])))
    }

    private func document(_ params: JSON) -> Source? {
        guard let uri = params["textDocument"]?["uri"]?.string, let text = documents[uri] else { return nil }
        return Source(name: Self.path(of: uri), text: text)
    }

    private func at(_ params: JSON, _ body: (Source, Int) -> JSON?) -> JSON? {
        guard let source = document(params), let line = params["position"]?["line"]?.int,
            let character = params["position"]?["character"]?.int
        else { return nil }
        return body(source, DocumentPositions(source: source).offset(line: line, character: character))
    }

    static func path(of uri: String) -> String {
        uri.hasPrefix("file://") ? String(uri.dropFirst(7)).removingPercentEncoding : uri
    }

    static func range(_ r: SourceRange, in source: Source) -> JSON {
        let p = DocumentPositions(source: source)
        let (l1, c1) = p.position(r.start), (l2, c2) = p.position(max(r.end, r.start))
        return ["start": ["line": .int(l1), "character": .int(c1)], "end": ["line": .int(l2), "character": .int(c2)]]
    }
}

extension String {
    /// `%20` and the like decoded (file URIs).
    var removingPercentEncoding: String {
        var bytes: [UInt8] = []
        var it = Array(utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%"), it.count >= 2,
                let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(v)
                it = it.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
