import MXJSON
import MXLanguage
import MXModel
import TOMLKit

#if canImport(Glibc)
    import Glibc
#endif

/// Connection profiles: `connect @work-cm` reads `[profiles.work-cm]` of
/// `$XDG_CONFIG_HOME/mxsh/config.toml`:
///
///     [profiles.work-cm]
///     vendor = "<a vendor name>"
///     url = "https://api.example.net"
///     token = { env = "CM_TOKEN" }          # or { file = "..." }, { command = "pass cm" }, { secret = "cm" }
///
/// The file may hold credentials, so one that others can read is refused.
public struct ProfileStore: Sendable {
    public let path: String

    public init(path: String? = nil) {
        self.path = path ?? xdgDirectory("XDG_CONFIG_HOME", default: ".config") + "/mxsh/config.toml"
    }

    public struct Failure: Error {
        public let message: String
        public let fix: String?
    }

    /// Where a credential comes from. Resolved only when connecting, never stored.
    enum Source {
        case text(String), bool(Bool), number(Int)
        case env(String), file(String), command(String), stored(String)
    }

    struct Profile {
        let name: String
        let vendor: String
        let options: [(key: String, source: Source)]
    }

    /// The vendor a profile names (what `mxsh check` needs; no secret is touched).
    public func vendor(of name: String) throws(Failure) -> String { try profile(name).vendor }

    /// Every profile's name, in the file's order (`--profiles 'cust-*'` picks from them).
    public func names() throws(Failure) -> [String] {
        try profilesTable(for: nil)?.keys ?? []
    }

    func profile(_ name: String) throws(Failure) -> Profile {
        let profiles = try profilesTable(for: name)
        guard let table = profiles?[name]?.table else {
            let known = profiles?.keys ?? []
            throw Failure(
                message: "no profile '\(name)' in \(path)",
                fix: bestMatch(for: name, in: known).map { "did you mean '@\($0)'?" }
                    ?? (known.isEmpty
                        ? "add a [profiles.\(name)] table"
                        : "profiles: " + known.map { "@" + $0 }.joined(separator: ", ")))
        }
        return try profile(name, table)
    }

    /// The `[profiles]` table of a file that is safe to read (`wanted`, for messages).
    private func profilesTable(for wanted: String?) throws(Failure) -> TOMLTable? {
        let name = wanted ?? "NAME"
        guard let mode = fileMode(path) else {
            throw Failure(
                message: wanted.map { "no profile '\($0)': \(path) does not exist" } ?? "\(path) does not exist",
                fix:
                    "create it (chmod 600) with a [profiles.\(name)] table: vendor = \"cleanmail\", url = ..., token = "
                    + "{ env = \"CM_TOKEN\" }"
            )
        }
        if mode & 0o077 != 0 {
            throw Failure(
                message: "\(path) is readable by others, so its profiles are not used (it may hold credentials)",
                fix: "chmod 600 \(path)")
        }
        if let why = untrustedReason(path) {
            throw Failure(
                message: "\(why), so the profiles of \(path) are not used (they may run commands and hold credentials)",
                fix: "the file and the folders above it must be yours (or root's) and writable by no one else")
        }
        let text: String
        do { text = try readTextFile(path) } catch { throw Failure(message: "cannot read \(path)", fix: nil) }
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw Failure(
                message: "\(path):\(e.source.begin.line):\(e.source.begin.column): \(e.description)", fix: nil)
        } catch {
            throw Failure(message: "\(path) is not valid TOML", fix: nil)
        }
        return root["profiles"]?.table
    }

    private func profile(_ name: String, _ table: TOMLTable) throws(Failure) -> Profile {
        guard let vendor = table["vendor"]?.string else {
            throw Failure(
                message: "profile '\(name)' in \(path) names no vendor",
                fix: "add vendor = \"cleanmail\" (or proofpoint, opensrs, ad360)")
        }
        var options: [(String, Source)] = []
        for key in table.keys where key != "vendor" {
            let value = table[key]
            if let s = value?.string {
                options.append((key, .text(s)))
            } else if let b = value?.bool {
                options.append((key, .bool(b)))
            } else if let n = value?.int {
                options.append((key, .number(n)))
            } else if let t = value?.table {
                if let v = t["env"]?.string {
                    options.append((key, .env(v)))
                } else if let v = t["file"]?.string {
                    options.append((key, .file(v)))
                } else if let v = t["command"]?.string {
                    options.append((key, .command(v)))
                } else if let v = t["secret"]?.string {
                    options.append((key, .stored(v)))
                } else {
                    throw Failure(
                        message: "profile '\(name)': \(key) must say where the value is",
                        fix: "{ env = \"X\" }, { file = \"path\" }, { command = \"...\" } or { secret = \"name\" }")
                }
            } else {
                throw Failure(
                    message: "profile '\(name)': \(key) is neither text, a number, true/false nor a source table",
                    fix: nil)
            }
        }
        return Profile(name: name, vendor: vendor, options: options)
    }

    /// A profile's option as a language value; credentials become secrets.
    func resolve(_ key: String, _ source: Source, profile: String, secrets: SecretStore) throws(Failure) -> Value {
        let isCredential = VendorRegistry.credentialOptions.contains(key)
        func wrap(_ s: String) -> Value { isCredential ? .secret(Secret(s)) : .string(s) }
        switch source {
        case .text(let s): return wrap(s)
        case .bool(let b): return .bool(b)
        case .number(let n): return .number(Double(n))
        case .env(let name):
            guard let v = environmentValue(name), !v.isEmpty else {
                throw Failure(
                    message: "profile '\(profile)': \(key) comes from $\(name), which is not set",
                    fix: "export \(name)=...")
            }
            return wrap(v)
        case .file(let raw):
            let path = raw.hasPrefix("~/") ? (environmentValue("HOME") ?? "") + raw.dropFirst(1) : raw
            guard let mode = fileMode(path) else {
                throw Failure(message: "profile '\(profile)': \(key) file \(path) does not exist", fix: nil)
            }
            if isCredential, mode & 0o077 != 0 {
                throw Failure(
                    message: "profile '\(profile)': \(path) is readable by others, so it is not used",
                    fix: "chmod 600 \(path)")
            }
            if isCredential, let why = untrustedReason(path) {
                throw Failure(message: "profile '\(profile)': \(why), so \(path) is not used", fix: nil)
            }
            guard var text = try? readTextFile(path) else {
                throw Failure(message: "profile '\(profile)': cannot read \(path)", fix: nil)
            }
            while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
            return wrap(text)
        case .command(let command):
            return wrap(try run(command, for: key, profile: profile))
        case .stored(let name):
            do { return .secret(try secrets.read(name)) } catch let e as SecretStore.Failure {
                throw Failure(message: "profile '\(profile)': \(e.message)", fix: e.fix)
            } catch {
                throw Failure(message: "profile '\(profile)': cannot read secret '\(name)'", fix: nil)
            }
        }
    }

    /// Runs a credential command (`pass show cm`) through /bin/sh and takes its first
    /// line, waiting at most `MXSH_CREDENTIAL_TIMEOUT` seconds (default 30). What it
    /// prints is never echoed, even when it fails.
    func run(_ command: String, for key: String, profile: String) throws(Failure) -> String {
        let limit = environmentValue("MXSH_CREDENTIAL_TIMEOUT").flatMap(Double.init) ?? 30
        let result = runCommand(command, timeout: limit)
        switch result {
        case .failedToStart:
            throw Failure(message: "profile '\(profile)': cannot run the command for \(key)", fix: nil)
        case .timedOut:
            throw Failure(
                message:
                    "profile '\(profile)': the command for \(key) did not finish within \(Int(limit)) seconds, so it "
                    + "was stopped",
                fix: "MXSH_CREDENTIAL_TIMEOUT=SECONDS allows it longer")
        case .exited(let status, _) where status != 0:
            throw Failure(
                message: "profile '\(profile)': the command for \(key) failed (exit status \(status))", fix: nil)
        case .exited(_, let bytes):
            let first =
                String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first
                ?? ""
            let value = String(first).trimmingCharacters(in: "\r")
            if value.isEmpty {
                throw Failure(
                    message: "profile '\(profile)': the command for \(key) printed nothing",
                    fix: "it must print the credential on its first line")
            }
            return value
        }
    }
}
