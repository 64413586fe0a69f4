import Foundation
import Testing

/// scripts/install.sh into a temporary prefix, then the installed binary. The release
/// build is used when there is one (scripts/install.sh made it); otherwise the debug build
/// the suite runs, so the test costs seconds, not a release build.
struct InstallTests {
    @Test func installsIntoAPrefixAndTheInstalledBinaryRuns() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let prefix = dir.appendingPathComponent("prefix")
        let release = packageRoot.appendingPathComponent(".build/release/mxsh").path
        let binary = FileManager.default.isExecutableFile(atPath: release) ? release : mxshBinary
        let install = try runProcess(
            "/bin/bash",
            [
                packageRoot.appendingPathComponent("scripts/install.sh").path,
                "--prefix", prefix.path, "--binary", binary
            ], in: dir)
        #expect(install.status == 0, "\(install.stderr)")
        #expect(install.stdout.contains("installed mxsh "))

        let installed = prefix.appendingPathComponent("bin/mxsh").path
        let version = try runProcess(installed, ["--version"], in: dir)
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("mxsh "), "\(version.stdout)")
        let hello = try runProcess(installed, ["-c", "print \"hello\""], in: dir)
        #expect(hello.stdout == "hello\n", "\(hello.stderr)")

        func file(_ path: String) -> String {
            (try? String(contentsOf: prefix.appendingPathComponent(path), encoding: .utf8)) ?? ""
        }
        let man = file("share/man/man1/mxsh.1")
        #expect(man.hasPrefix(".TH MXSH 1"))
        // From the same declarations as --help and `help`.
        #expect(man.contains("--dry-run"))
        #expect(man.contains(".SS add-alias"))
        #expect(man.contains("usage: add-alias"))
        #expect(file("share/bash-completion/completions/mxsh").contains("fmt"))
        #expect(file("share/zsh/site-functions/_mxsh").contains("#compdef mxsh"))
        #expect(file("share/fish/vendor_completions.d/mxsh.fish").contains("complete -c 'mxsh'"))
        #expect(file("share/mxsh/grammar/mxsh.tmLanguage.json").contains("source.mxsh"))
        #expect(file("share/mxsh/grammar/README.md").contains("mxsh"))
    }
}
