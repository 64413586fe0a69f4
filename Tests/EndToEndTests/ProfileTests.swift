import Foundation
import Testing

/// `connect @name`: connection profiles in $XDG_CONFIG_HOME/mxsh/config.toml, with
/// credentials from the environment, a private file or a command, never printed.
@Suite(.serialized)
struct ProfileTests {
    func writeConfig(_ text: String, in home: URL, mode: Int = 0o600) throws {
        let dir = home.appendingPathComponent("config/mxsh")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("config.toml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
    }

    @Test func profilesConnectWithCredentialsFromEnvFileAndCommand() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let port = SandboxCommandTests.freeBasePort()
        let server = try SandboxCommandTests.Server(["--port", String(port), "--seed", "demo"], in: home)
        defer { _ = server.stop() }
        let passwordFile = home.appendingPathComponent("pp-password")
        try "sandbox\n".write(to: passwordFile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passwordFile.path)
        try writeConfig(
            """
            [profiles.work-cm]
            vendor = "cleanmail"
            url = "\(server.url("cleanmail"))"
            token = { env = "CM_TOKEN" }

            [profiles.pp]
            vendor = "proofpoint"
            url = "\(server.url("proofpoint"))"
            org = "example.com"
            user = { secret = "pp-user" }
            password = { file = "\(passwordFile.path)" }

            [profiles.pp-secret-org]
            vendor = "proofpoint"
            url = "\(server.url("proofpoint"))"
            org = { secret = "pp-user" }
            user = "admin@example.com"
            password = { file = "\(passwordFile.path)" }

            [profiles.os]
            vendor = "opensrs"
            url = "\(server.url("opensrs"))"
            user = "admin@example.com"
            password = { command = "printf 'sandbox\\\\nignored'" }
            """, in: home)
        var env = testEnvironment(home: home)
        env["CM_TOKEN"] = "sandbox-token"
        // A user name kept with the secrets is used as text (and masked like a credential).
        env["MXSH_SECRET_PP_USER"] = "admin@example.com"
        let script = """
            connect @work-cm as cm
            connect @pp
            connect @os
            print count(cm.domains) count(pp.domains) count(os.domains)
            print cm
            """
        let r = try runMxsh(["-c", script], in: home, environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "12 12 12\nconnection cm (cleanmail)\n")
        #expect(!r.stdout.contains("sandbox-token") && !r.stderr.contains("sandbox-token"))
        // Where requests go is never a secret: it is printed and kept in plans and the journal.
        let secretOrg = try runMxsh(["-c", "connect @pp-secret-org"], in: home, environment: env)
        #expect(secretOrg.status == 1 && secretOrg.stderr.contains("org says where requests go"), "\(secretOrg.stderr)")
        #expect(!secretOrg.stderr.contains("admin@example.com"), "\(secretOrg.stderr)")
        let checked = try runMxsh(
            ["check", "/dev/stdin"], stdin: "connect @pp\nadd-alias (pp.domain \"got.com\") \"x.net\"\n", in: home,
            environment: env)
        #expect(checked.status == 2)
        #expect(
            checked.stderr.contains("proofpoint cannot add-alias"), "the profile's vendor is checked: \(checked.stderr)"
        )
    }

    @Test func aConfigOthersCanReadIsRefused() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        try writeConfig(
            "[profiles.cm]\nvendor = \"cleanmail\"\nurl = \"http://127.0.0.1:1\"\ntoken = \"t0ken-in-file\"\n",
            in: home, mode: 0o644)
        let r = try runMxsh(["-c", "connect @cm\nprint 1"], in: home)
        #expect(r.status == 2)
        #expect(r.stderr.contains("is readable by others"), "\(r.stderr)")
        #expect(r.stderr.contains("chmod 600"))
        #expect(!r.stderr.contains("t0ken-in-file"))
    }

    @Test func anUnknownProfileIsNamedWithSuggestions() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        try writeConfig(
            "[profiles.work-cm]\nvendor = \"cleanmail\"\nurl = \"http://127.0.0.1:1\"\n"
                + "token = { env = \"CM_TOKEN\" }\n",
            in: home)
        let r = try runMxsh(["-c", "connect @work-mc"], in: home)
        #expect(r.status == 2)
        #expect(r.stderr.contains("no profile 'work-mc'"), "\(r.stderr)")
        #expect(r.stderr.contains("did you mean '@work-cm'?"))
    }

    @Test func aMissingVariableSaysWhichOne() throws {
        let home = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        try writeConfig(
            "[profiles.cm]\nvendor = \"cleanmail\"\nurl = \"http://127.0.0.1:1\"\ntoken = { env = \"NOT_SET_ANYWHERE\" "
                + "}\n",
            in: home)
        let r = try runMxsh(["-c", "connect @cm"], in: home)
        #expect(r.status == 1)
        #expect(r.stderr.contains("token comes from $NOT_SET_ANYWHERE, which is not set"), "\(r.stderr)")
    }
}
