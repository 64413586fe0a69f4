import Foundation
import MXEngine
import MXModel
import MXSandbox
import Testing

/// One table of change scenarios, run against every implementation of a change's
/// meaning: the memory vendor, the plan overlay (over memory and over a vendor), and
/// the four adapters over the sandbox. Each scenario says what must happen, the same
/// everywhere: the sign each change is reported with (`+` created or added, `~` changed,
/// `-` deleted or removed, `=` already as asked), what the script prints, and the error
/// its last statement ends with. A vendor that lacks an operation the scenario needs
/// must refuse the script before anything is sent.
struct Scenario: Sendable, CustomStringConvertible {
    let name: String
    /// `{c}` the connection, `{d}` and `{e}` fresh domain names, `{n}` a unique number.
    let script: String
    let needs: Set<MXModel.Operation>
    let signs: [String]
    var output: [String] = []
    var error: String? = nil
    var description: String { name }

    static let all: [Scenario] = [
        Scenario(
            name: "create twice",
            script: """
                create-domain "{d}" destination="10.0.0.1" at={c}
                create-domain "{d}" destination="10.0.0.1" at={c}
                """, needs: [.createDomain], signs: ["+", "="]),
        Scenario(
            name: "create where it exists with other values",
            script: """
                create-domain "{d}" destination="10.0.0.1" at={c}
                create-domain "{d}" destination="10.0.0.2" at={c}
                """, needs: [.createDomain], signs: ["+"], error: "other values of destination"),
        Scenario(
            name: "set the same value",
            script: """
                create-domain "{d}" destination="10.0.0.1" at={c}
                set ({c}.domain "{d}") destination="10.0.0.1"
                """, needs: [.createDomain, .updateDomain], signs: ["+", "="]),
        Scenario(
            name: "set a new value, read it back",
            script: """
                create-domain "{d}" destination="10.0.0.1" at={c}
                set ({c}.domain "{d}") destination="10.0.0.9"
                print ({c}.domain "{d}").destination
                """, needs: [.createDomain, .updateDomain], signs: ["+", "~"], output: ["10.0.0.9"]),
        Scenario(
            name: "delete twice through one variable",
            script: """
                create-domain "{d}" destination="10.0.0.1" at={c}
                let x = {c}.domain "{d}"
                delete-domain x
                delete-domain x
                print x.status
                """, needs: [.createDomain, .deleteDomain], signs: ["+", "-", "="], output: ["DELETED"]),
        Scenario(
            name: "two variables, one object",
            script: """
                create-domain "{d}" destination="10.0.0.1" at={c}
                let x = {c}.domain "{d}"
                let y = {c}.domain "{D}"
                disable x
                print x.status y.status
                """, needs: [.createDomain, .updateDomain], signs: ["+", "~"], output: ["DISABLED DISABLED"]),
        Scenario(
            name: "add X.NET then x.net",
            script: """
                create-domain "{d}" destination="10.0.0.1" at={c}
                let x = {c}.domain "{d}"
                add-alias x "ALIAS-{n}.NET"
                add-alias x "alias-{n}.net"
                print x.aliases
                """, needs: [.createDomain, .addAlias], signs: ["+", "+", "="], output: ["[\"alias-{n}.net\"]"]),
        Scenario(
            name: "remove an alias that is not there",
            script: """
                create-domain "{d}" destination="10.0.0.1" at={c}
                remove-alias ({c}.domain "{d}") "never-{n}.net"
                """, needs: [.createDomain, .removeAlias], signs: ["+", "="]),
        Scenario(
            name: "alias that is the domain itself",
            script: """
                create-domain "{d}" destination="10.0.0.1" at={c}
                let own = "{D}"
                add-alias ({c}.domain "{d}") own
                """, needs: [.createDomain, .addAlias], signs: ["+"], error: "cannot be an alias of itself"),
        Scenario(
            name: "alias that is another domain",
            script: """
                create-domain "{d}" destination="10.0.0.1" at={c}
                create-domain "{e}" destination="10.0.0.1" at={c}
                add-alias ({c}.domain "{d}") "{e}"
                """, needs: [.createDomain, .addAlias], signs: ["+", "+"], error: "{e}"),
        Scenario(
            name: "upper-case create, lower-case lookup",
            script: """
                create-domain "{D}" destination="10.0.0.1" at={c}
                print ({c}.domain "{d}").name
                """, needs: [.createDomain], signs: ["+"], output: ["{d}"])
    ]
}

/// Where a scenario runs.
enum Implementation: String, CaseIterable, Sendable, CustomStringConvertible {
    case memory, planOverMemory, planOverCleanmail, proofpoint, cleanmail, opensrs, ad360
    var description: String { rawValue }

    /// The connection the script uses, and what it is connected to first.
    var connection: (name: String, prefix: String, plan: Bool) {
        switch self {
        case .memory: return ("m", "connect memory as m seed=\"demo\"\n", false)
        case .planOverMemory: return ("m", "connect memory as m seed=\"demo\"\n", true)
        case .planOverCleanmail: return ("cm", "", true)
        case .proofpoint: return ("pp", "", false)
        case .cleanmail: return ("cm", "", false)
        case .opensrs: return ("os", "", false)
        case .ad360: return ("ad", "", false)
        }
    }

    var vendor: Vendor {
        switch self {
        case .memory, .planOverMemory: return .memory
        case .planOverCleanmail, .cleanmail: return .cleanmail
        case .proofpoint: return .proofpoint
        case .opensrs: return .opensrs
        case .ad360: return .ad360
        }
    }
}

@Suite(.serialized)
struct ConformanceTests {
    static let counter = Counter()

    @Test(arguments: Scenario.all, Implementation.allCases)
    func scenario(_ s: Scenario, _ impl: Implementation) async throws {
        let f = try await SandboxFixture(seed: .demo)
        let n = Self.counter.next()
        let (c, prefix, plan) = impl.connection
        func fill(_ text: String) -> String {
            text.replacingOccurrences(of: "{c}", with: c).replacingOccurrences(of: "{n}", with: "\(n)")
                .replacingOccurrences(of: "{d}", with: "conf-\(n).test").replacingOccurrences(
                    of: "{D}", with: "CONF-\(n).TEST"
                )
                .replacingOccurrences(of: "{e}", with: "other-\(n).test")
        }
        let (outcome, host) = await f.run(prefix + fill(s.script) + "\n", plan: plan, echo: true)
        if let missing = s.needs.subtracting(impl.vendor.operations).first {
            // Refused before anything is sent: the check names what the vendor lacks.
            #expect(outcome == .invalid, "\(host.stderr)")
            #expect(host.stderr.contains("cannot \(missing.rawValue)"), "\(host.stderr)")
            return
        }
        let signs = host.stderr.split(separator: "\n").compactMap { line -> String? in
            let sign = String(line.prefix(1))
            return ["+", "~", "-", "="].contains(sign) && line.dropFirst().hasPrefix(" ") ? sign : nil
        }
        #expect(signs == s.signs, "signs: \(host.stderr)")
        #expect(
            host.lines.filter { !$0.hasPrefix("+") && !$0.hasPrefix("~") && !$0.hasPrefix("=") && !$0.hasPrefix("-") }
                == s.output.map(fill), "output: \(host.stdout)")
        if let error = s.error {
            #expect(outcome == .failed, "\(host.stderr)")
            #expect(host.stderr.contains(fill(error)), "error: \(host.stderr)")
        } else {
            #expect(outcome == .ok, "\(host.stderr)")
        }
    }
}

/// Unique names across the table's runs.
final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func next() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}
