import MXModel

/// One option of a vendor's `connect` line.
public struct ConnectOption: Sendable {
    public let name: String
    /// Its value is a credential: wrapped as a secret, kept out of history, plans and
    /// the journal, and refused as a literal.
    public let isCredential: Bool
    public let summary: String
    public init(_ name: String, credential: Bool = false, _ summary: String) {
        self.name = name
        self.isCredential = credential
        self.summary = summary
    }
}

/// A vendor, declared once in its folder (`Vendors/<Name>/<Name>Vendor.swift`) and
/// listed once in `VendorRegistry`: how to connect, what it has (its resource table),
/// how many changes to keep in flight, how the sandbox reaches it, how to build its
/// adapter. Nothing else in the engine spells a vendor's name.
/// A class, not a struct: it never changes, and the checker passes one around for every
/// statement that writes, where copying a struct of tables cost a retain per member.
public final class Vendor: Sendable {
    public let name: String
    public let product: String
    public let options: [ConnectOption]
    /// Changes in flight per connection when `--jobs` is not given.
    public let defaultJobs: Int
    /// The connection `connect sandbox` opens for it, and the sandbox's credentials
    /// (they open nothing but the sandbox).
    public let sandbox: SandboxSeat?
    public let resources: ResourceTable
    /// False for a vendor whose objects live only as long as the process (memory): its
    /// runs are not journaled, since nothing could be undone or resumed later.
    public let outlivesProcess: Bool
    let makeAdapter: @Sendable (ConnectContext) throws -> any Adapter

    public struct SandboxSeat: Sendable {
        public let connection: String
        public let credentials: [(option: String, value: String)]
    }

    init(
        name: String, product: String, options: [ConnectOption], defaultJobs: Int, sandbox: SandboxSeat?,
        resources: ResourceTable, outlivesProcess: Bool = true, acceptsRawCalls: Bool = true,
        makeAdapter: @escaping @Sendable (ConnectContext) throws -> any Adapter
    ) {
        self.name = name
        self.product = product
        self.options = options
        self.defaultJobs = defaultJobs
        self.sandbox = sandbox
        self.resources = resources
        self.outlivesProcess = outlivesProcess
        self.acceptsRawCalls = acceptsRawCalls
        self.makeAdapter = makeAdapter
        self.operations = acceptsRawCalls ? resources.operations.union([.call]) : resources.operations
    }

    /// Whether `call` may send it requests as written (an API over HTTP).
    public let acceptsRawCalls: Bool
    /// Made once: `check` asks for every command that writes.
    public let operations: Set<Operation>
    public var optionNames: [String] { options.map(\.name) }
    /// `conn.proxy`, `conn.mailserver`: single objects hanging off a connection.
    public var singles: [String] { resources.singles.compactMap(\.singleMember) }

    /// A field of a kind (`settings` kinds by their member name), or nil when the vendor
    /// has no such field.
    public func field(_ kind: ObjectKind, _ name: String, settings: String? = nil) -> FieldSpec? {
        resource(kind, settings: settings)?.field(name)
    }

    public func resource(_ kind: ObjectKind, settings: String? = nil) -> ResourceKind? {
        if kind == .settings {
            return settings.flatMap { s in resources.kinds.first { $0.singleMember == s } ?? resources.kind(s) }
        }
        return resources.kind(of: kind)
    }

    /// rw, r, w, or nil when the vendor has no such field.
    public func access(_ kind: ObjectKind, _ field: String) -> FieldSpec.Access? { self.field(kind, field)?.access }

    public var requiredToCreate: [String] { resources.kind(of: .domain)?.requiredToCreate ?? [] }

    public func inverse(of op: Operation) -> OperationSpec.Inverse? {
        if op == .call, acceptsRawCalls {
            return .irreversible("a request sent as written: mxsh cannot know what it changed, nor its inverse")
        }
        guard let kind = resources.owner(of: op) else { return nil }
        if let spec = kind.operation(op) { return spec.inverse }
        switch kind.command(op.rawValue)?.inverse {
        case .by(let name)?: return .by(Operation(rawValue: name))
        case .irreversible(let why)?: return .irreversible(why)
        case nil: return nil
        }
    }
}

/// Every vendor `connect` knows, in DESIGN.md's order: adding a vendor is one line here.
public enum VendorRegistry {
    public static let all: [Vendor] = [.proofpoint, .cleanmail, .opensrs, .ad360, .memory]

    private static let byName = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    public static func named(_ name: String) -> Vendor? { byName[name] }

    /// The vendors the sandbox simulates, with the connection each gets.
    public static var sandboxSeats: [(name: String, vendor: String)] {
        all.compactMap { v in v.sandbox.map { ($0.connection, v.name) } }
    }

    /// "cleanmail has it": where a vendor's own command a connection lacks is found, for
    /// the error that refuses it.
    public static func whoHas(_ command: String) -> String {
        let names = all.filter { $0.resources.command(command) != nil }.map(\.name)
        return "\(names.joined(separator: ", ")) \(names.count == 1 ? "has" : "have") it"
    }

    /// The `key=value` options any vendor declares for a neutral operation
    /// (`delete-domain d ignoreMX=true`), for the command's signature.
    public static func optionNames(of op: Operation) -> [String] {
        var seen = Set<String>()
        return all.flatMap { $0.resources.kind(of: op.kind)?.operation(op)?.options.map(\.name) ?? [] }
            .filter { seen.insert($0).inserted }
    }

    /// Every vendor's write-only field names (a password), once each: a handful.
    public static let writeOnlyFieldNames: [String] = Array(
        Set(all.flatMap { $0.resources.kinds.flatMap { $0.fields.filter { $0.access == .writeOnly }.map(\.name) } })
    ).sorted()

    /// Option names that hold a credential at any vendor.
    public static let credentialOptions: Set<String> = Set(
        all.flatMap { $0.options.filter(\.isCredential).map(\.name) })
}

/// What building an adapter needs: the connection's name, its evaluated options, and
/// a way to make the HTTP endpoint (the session's client, limits and Ctrl-C).
struct ConnectContext {
    let name: String
    let options: ConnectOptions
    let api: (_ base: String, _ auth: [(name: String, value: String)]) -> VendorAPI
    let environment: (String) -> String?
    let sandboxLauncher: SandboxLauncher?
}
