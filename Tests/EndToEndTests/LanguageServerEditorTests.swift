import Foundation
import Testing

/// `mxsh lsp` as an editor uses it: Neovim's built-in client (headless, from Debian's
/// packages; scripts/setup.sh installs it) opens a runbook and gets mxsh's diagnostics,
/// hover, completion and formatting over stdio.
struct LanguageServerEditorTests {
    @Test func neovimsClientGetsDiagnosticsHoverCompletionAndFormatting() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let file = home.appendingPathComponent("runbook.mxsh")
        try
            ("connect  memory as m   seed=\"demo\"\nfor d in domains where status=DISABLED < enable d >\nadd-alais "
            + "(domain \"got.com\") \"x.net\"\n")
            .write(to: file, atomically: true, encoding: .utf8)
        let out = home.appendingPathComponent("out.txt")
        let lua = packageRoot.appendingPathComponent("Tests/EndToEndTests/Editors/nvim-lsp.lua")
        var env = testEnvironment(home: home)
        env["MXSH"] = mxshBinary
        env["MXSH_FILE"] = file.path
        env["MXSH_OUT"] = out.path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/nvim")
        p.arguments = ["--headless", "--clean", "-c", "luafile \(lua.path)"]
        p.environment = env
        p.currentDirectoryURL = home
        try launch(p)
        p.waitUntilExit()
        let text = try String(contentsOf: out, encoding: .utf8)
        #expect(text.contains("diagnostic 2:0 unknown command 'add-alais' | did you mean 'add-alias'?"), "\(text)")
        #expect(text.contains("hover usage: enable OBJECT"), "\(text)")
        #expect(text.contains("completion add-alias"), "\(text)")
        #expect(text.contains("format connect memory as m seed=\"demo\"\\n"), "\(text)")
    }
}
