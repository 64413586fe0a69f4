import MXModel

/// Where `secret("name")` finds a credential: the variable `MXSH_SECRET_<NAME>`, then
/// the file `$XDG_CONFIG_HOME/mxsh/secrets/<name>`, which must be private (0600).
public struct SecretStore: Sendable {
    public struct Failure: Error {
        public let message: String
        public let fix: String?
    }

    public var directory: String

    public init(directory: String? = nil) {
        self.directory = directory ?? xdgDirectory("XDG_CONFIG_HOME", default: ".config") + "/mxsh/secrets"
    }

    public static func variableName(_ name: String) -> String {
        "MXSH_SECRET_" + String(name.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    public func read(_ name: String) throws -> Secret {
        let variable = Self.variableName(name)
        if let v = environmentValue(variable), !v.isEmpty { return Secret(v) }
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
            throw Failure(message: "'\(name)' is not a valid secret name", fix: "use letters, digits, '-' and '_'")
        }
        let path = directory + "/" + name
        guard let mode = fileMode(path) else {
            throw Failure(
                message: "no secret named '\(name)'",
                fix: "set \(variable), or store it: install -m 600 /dev/stdin \(path)")
        }
        if mode & 0o077 != 0 {
            throw Failure(
                message: "secret file \(path) is readable by others, so it is not used",
                fix: "chmod 600 \(path)")
        }
        do {
            var text = try readTextFile(path)
            while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
            return Secret(text)
        } catch let e as FileError {
            throw Failure(message: e.message, fix: nil)
        }
    }
}
