import MXEngine
import MXJSON
import Testing

/// The language server's answers, in-process, message by message.
struct LanguageServerTests {
    let uri = "file:///tmp/runbook.mxsh"
    let text = """
        connect cleanmail as cm url="https://api.example.net" token=env("CM_TOKEN")
        let d = cm.domain "contoso-cm.net"
        def retire name <
          disable (domain name)
        >
        add-alais d "x.net"

        """

    func open(_ server: LanguageServer) -> [JSON] {
        _ = server.handle(["jsonrpc": "2.0", "id": 1, "method": "initialize", "params": [:]])
        return server.handle([
            "jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": ["textDocument": ["uri": .string(uri), "languageId": "mxsh", "version": 1, "text": .string(text)]]
        ]).messages
    }

    func request(_ server: LanguageServer, _ method: String, line: Int, character: Int) -> JSON? {
        server.handle([
            "jsonrpc": "2.0", "id": 2, "method": .string(method),
            "params": [
                "textDocument": ["uri": .string(uri)], "position": ["line": .int(line), "character": .int(character)]
            ]
        ])
        .messages.first?["result"]
    }

    @Test func diagnosticsAreCheckAsYouType() throws {
        let server = LanguageServer()
        let published = try #require(open(server).first)
        #expect(published["method"]?.string == "textDocument/publishDiagnostics")
        let diagnostics = published["params"]?["diagnostics"]?.array ?? []
        // The same message and place as `mxsh check`: line 6, the command's name.
        let first = try #require(diagnostics.first)
        #expect((first["message"]?.string ?? "").hasPrefix("unknown command 'add-alais'"), "\(first)")
        #expect((first["message"]?.string ?? "").contains("did you mean 'add-alias'?"))
        #expect(first["range"]?["start"] == ["line": 5, "character": 0])
        #expect(first["range"]?["end"] == ["line": 5, "character": 9])
        // An edit that fixes it clears it.
        let fixed = server.handle([
            "jsonrpc": "2.0", "method": "textDocument/didChange",
            "params": [
                "textDocument": ["uri": .string(uri), "version": 2],
                "contentChanges": [["text": "connect memory as m\nprint 1\n"]]
            ]
        ])
        #expect((fixed.messages.first?["params"]?["diagnostics"]?.array ?? [JSON.null]).isEmpty)
    }

    /// A document that starts with a byte-order mark: the editor counts it on line 0 (one
    /// UTF-16 unit), so the columns there count it too.
    @Test func aByteOrderMarkCountsOnTheFirstLine() throws {
        let server = LanguageServer()
        _ = server.handle(["jsonrpc": "2.0", "id": 1, "method": "initialize", "params": [:]])
        let published = server.handle([
            "jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": [
                "textDocument": [
                    "uri": .string(uri), "languageId": "mxsh", "version": 1, "text": "\u{FEFF}print 1 nosuch\n"
                ]
            ]
        ]).messages
        let first = try #require(published.first?["params"]?["diagnostics"]?.array?.first, "\(published)")
        #expect(first["range"]?["start"] == ["line": 0, "character": 9], "\(first)")
    }

    @Test func completionHoverDefinitionSymbolsAndFormatting() throws {
        let server = LanguageServer()
        _ = open(server)
        let labels = { (r: JSON?) in (r?.array ?? []).compactMap { $0["label"]?.string } }
        #expect(labels(request(server, "textDocument/completion", line: 5, character: 5)).contains("add-alias"))
        // After `d.`, the fields of the vendors the document connects to.
        _ = server.handle([
            "jsonrpc": "2.0", "method": "textDocument/didChange",
            "params": [
                "textDocument": ["uri": .string(uri), "version": 2],
                "contentChanges": [["text": .string(text + "print d.\n")]]
            ]
        ])
        let afterDot = labels(request(server, "textDocument/completion", line: 6, character: 8))
        #expect(afterDot.contains("aliases") && afterDot.contains("destination"), "\(afterDot)")
        let hover = request(server, "textDocument/hover", line: 3, character: 4)?["contents"]?["value"]?.string ?? ""
        #expect(hover.hasPrefix("usage: disable OBJECT"), "\(hover)")
        // `d` on line 6 is the `let d` of line 2.
        let def = request(server, "textDocument/definition", line: 5, character: 10)
        #expect(def?["range"]?["start"] == ["line": 1, "character": 4], "\(String(describing: def))")
        let symbols =
            server.handle([
                "jsonrpc": "2.0", "id": 3, "method": "textDocument/documentSymbol",
                "params": ["textDocument": ["uri": .string(uri)]]
            ]).messages.first?["result"]?.array ?? []
        let names: [String] = symbols.compactMap { $0["name"]?.string }
        #expect(names.contains("retire"))
        let shutdown = server.handle(["jsonrpc": "2.0", "id": 9, "method": "shutdown"])
        #expect(shutdown.messages.first?["result"] == .null)
        #expect(server.handle(["jsonrpc": "2.0", "method": "exit"]).exit == 0)
    }
}
