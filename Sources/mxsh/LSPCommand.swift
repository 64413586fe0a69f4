import ArgumentParser
import MXEngine
import MXJSON

#if canImport(Glibc)
    import Glibc
#endif

/// `mxsh lsp`: the language server on stdin/stdout, framed as the protocol says
/// (`Content-Length: N` headers, a blank line, N bytes of JSON). The answers come
/// from the engine's `LanguageServer`; nothing is ever sent to a vendor.
struct LSPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract:
            "Speak the Language Server Protocol on stdin/stdout (diagnostics, completion, hover, definitions, symbols, "
            + "formatting)."
    )

    func run() throws {
        let server = LanguageServer()
        while let message = readMessage() {
            let out = server.handle(message)
            for m in out.messages { write(m) }
            if let code = out.exit { finish(code) }
        }
        finish(server.shutdownRequested ? 0 : 1)
    }

    func readMessage() -> JSON? {
        var length: Int?
        // Headers, up to the blank line.
        while true {
            guard let line = readHeaderLine() else { return nil }
            if line.isEmpty { break }
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "content-length" {
                length = Int(parts[1].trimmingCharacters(in: .whitespaces))
            }
        }
        guard let n = length, n >= 0, n <= 64 << 20 else { return nil }
        var body = [UInt8](repeating: 0, count: n)
        var got = 0
        while got < n {
            let r = body.withUnsafeMutableBytes { read(0, $0.baseAddress! + got, n - got) }
            if r <= 0 { return nil }
            got += r
        }
        return (try? JSON.parse(body)) ?? .object(JSONObject())
    }

    func readHeaderLine() -> String? {
        var bytes: [UInt8] = []
        var b: UInt8 = 0
        while read(0, &b, 1) == 1 {
            if b == UInt8(ascii: "\n") {
                return String(decoding: bytes.last == 13 ? bytes.dropLast() : bytes[...], as: UTF8.self)
            }
            bytes.append(b)
        }
        return nil
    }

    func write(_ message: JSON) {
        let body = message.bytes
        let frame = Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
        frame.withUnsafeBytes { p in
            var off = 0
            while off < frame.count {
                let w = Glibc.write(1, p.baseAddress! + off, frame.count - off)
                if w <= 0 { return }
                off += w
            }
        }
    }
}
