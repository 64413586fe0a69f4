import Foundation
import Testing

/// `copy` between vendors, on a sandbox: what the source deleted does not go live at the
/// target, and a re-run finds what it copied the same.
@Suite(.serialized)
struct CopyTests {
    static func connect(_ s: SandboxHome) -> String {
        s.connectCleanmail + "connect opensrs as os url=\"\(s.server.url("opensrs"))\" user=\"admin@example.com\" "
            + "password=env(\"OS_PASSWORD\")\n"
    }

    /// A domain deleted at Cleanmail (kept, DELETED, until purged) is copied DISABLED.
    @Test func aDeletedDomainIsCopiedDisabled() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let script = try s.script(
            "deleted.mxsh",
            Self.connect(s) + "delete-domain (cm.domain \"wingtip-air.net\")\n"
                + "copy domains where status=DELETED from cm to os\n")
        let r = try s.mxsh(["run", script])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("DELETED -> DISABLED"), "\(r.stderr)")
        let now = try s.mxsh(["-c", Self.connect(s) + "print (os.domain \"wingtip-air.net\").status"])
        #expect(now.stdout == "DISABLED\n", "\(now.stdout) \(now.stderr)")
    }

    /// A destination given with SMTP's own port is held without it at Cleanmail: the
    /// second copy finds the domain the same, not different at every run.
    @Test func aCopyRunAgainFindsADestinationWithPort25TheSame() throws {
        let s = try SandboxHome()
        defer { s.close() }
        let script = try s.script(
            "port.mxsh",
            Self.connect(s) + "set (os.domain \"globex.org\") destination=\"MX.Globex.org:25\"\n"
                + "copy domains where name = \"globex.org\" from os to cm\n")
        let first = try s.mxsh(["run", script])
        #expect(first.status == 0, "\(first.stderr)")
        let again = try s.script(
            "again.mxsh", Self.connect(s) + "copy domains where name = \"globex.org\" from os to cm\n")
        let second = try s.mxsh(["run", again])
        #expect(second.stderr.contains("0 updated, 1 already the same"), "\(second.stderr)")
    }
}
