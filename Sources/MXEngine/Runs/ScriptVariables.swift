import MXLanguage
import MXModel

/// The variable `--profiles` gives each child run: the profile its run is for.
public let tenantVariable = "tenant_profile"

extension Session {
    /// A `--var` value that is a number as a script writes one: `42`, `-1.5`, `2e3`.
    /// Anything else is text, though `Double` would read it: `007` (an ID, a zip code,
    /// whose zeros would be lost), `0x10`, `inf`, `nan`, `+5`, ` 5`.
    static func plainNumber(_ raw: String) -> Double? {
        let b = Array(raw.utf8)
        var i = 0
        func digits() -> Int {
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            return i - start
        }
        if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
        let whole = i
        let count = digits()
        guard count > 0, count == 1 || b[whole] != UInt8(ascii: "0") else { return nil }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { return nil }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
            guard digits() > 0 else { return nil }
        }
        guard i == b.count, let n = Double(raw), n.isFinite else { return nil }
        return n
    }

    /// A name a script reads as a variable: one identifier token, as the lexer reads it.
    static func isVariableName(_ name: String) -> Bool {
        let tokens = tokenize(Source(name: "--var", text: name))
        guard let first = tokens.first, first.kind == .identifier, first.range == SourceRange(0, name.utf8.count)
        else { return false }
        return tokens.dropFirst().allSatisfy { $0.kind == .eof }
    }

    /// `--var name=value`: numbers and booleans as such, anything else as text. False
    /// (with a message) when one is not `name=value`.
    public func define(variables assignments: [String]) -> Bool {
        for a in assignments {
            guard let eq = a.firstIndex(of: "="), !a[..<eq].isEmpty else {
                host.message("mxsh: --var takes name=value, not '\(a)'\n")
                return false
            }
            let name = String(a[..<eq]), raw = String(a[a.index(after: eq)...])
            // `--var none=1`, `--var ENABLED=1`, `--var 1x=3`: no script could read it.
            guard Self.isVariableName(name) else {
                host.message(
                    "mxsh: --var \(name): a script cannot name that variable (a name is a word of letters, digits, "
                        + "_ and inner -, not a keyword like none or let, nor a word in capitals like ENABLED)\n")
                return false
            }
            // `--var domains=1` would hide the connection's domains, as `let domains` would.
            if name == "domains" || name == "users" {
                host.message("mxsh: --var \(name) would hide the connection's \(name); choose another name\n")
                return false
            }
            let value: Value =
                raw == "true"
                ? .bool(true)
                : raw == "false"
                    ? .bool(false)
                    : Self.plainNumber(raw).map(Value.number) ?? .string(raw)
            interpreter.define(name, value)
        }
        return true
    }

    /// A run for one profile of `--profiles` (its variables say which, so `resume` opens
    /// it again): `connect @PROFILE as tenant`, the default connection, before the script.
    /// Nil when there is none or it opened; else the outcome that stops the run.
    public func openTenant(_ assignments: [String]) -> Outcome? {
        guard let profile = tenantProfile(assignments) else { return nil }
        guard isProfileName(profile) else {
            host.message("mxsh: \(notAProfileName(profile))\n")
            return .invalid
        }
        let outcome = run(tenantConnectLine(profile), name: "<profile \(profile)>")
        return outcome == .ok ? nil : outcome
    }
}

/// The profile `--var tenant_profile=NAME` names, if any.
public func tenantProfile(_ assignments: [String]) -> String? {
    let prefix = tenantVariable + "="
    guard let profile = assignments.last(where: { $0.hasPrefix(prefix) })?.dropFirst(prefix.count), !profile.isEmpty
    else { return nil }
    return String(profile)
}

/// Whether `@NAME` reads as one word in a script, as the lexer reads it: a letter or `_`
/// first, then letters, digits and `_`, and a `-` only before a letter (`@cust-a`;
/// `@cust-0` would be `@cust` minus 0).
public func isProfileName(_ name: String) -> Bool {
    func start(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A || c == 0x5F }
    let b = Array(name.utf8)
    guard let first = b.first, start(first) else { return false }
    for (i, c) in b.enumerated().dropFirst() {
        if start(c) || (c >= 0x30 && c <= 0x39) { continue }
        guard c == 0x2D, i + 1 < b.count, start(b[i + 1]) else { return false }
    }
    return true
}

/// Why `name` cannot be a tenant's profile, for the one line that refuses it.
public func notAProfileName(_ name: String) -> String {
    "\(tenantVariable) names a profile, and '\(name)' cannot be one in a script (@\(name) is not one word): "
        + "a profile's name is letters, digits and _, with - only before a letter; rename it in config.toml"
}

/// What a run for a profile does before its script (`check` reads it the same way).
public func tenantConnectLine(_ profile: String) -> String { "connect @\(profile) as tenant\n" }

/// `--var` as the journal keeps them for `resume`: `name=value`, or the name alone for
/// one whose value may reach a credential (`credentialVariables`): resume asks for it.
public func journaled(_ variables: [String], text: String, name: String) -> [String] {
    guard !variables.isEmpty else { return [] }
    let withheld = credentialVariables(in: parse(Source(name: name, text: text), commands: CommandTable.standard).0)
    return variables.map { v in
        guard let eq = v.firstIndex(of: "="), withheld.contains(String(v[..<eq])) else { return v }
        return String(v[..<eq])
    }
}
