import MXModel

/// What the engine asks of a vendor, in neutral terms. Each vendor's adapter maps
/// these onto its own API; the memory adapter keeps neutral objects in the process.
public protocol Adapter: AnyObject {
    var capabilities: VendorCapabilities { get }
    /// Streams domains; `body` returns false to stop early. `query` is a hint the
    /// adapter may pass on to the vendor's own filter (a superset is fine).
    func forEachDomain(matching query: DomainQuery, _ body: (Domain) throws -> Bool) throws
    func domain(named name: String) throws -> Domain?
    /// Streams users, of one domain when `domain` is given.
    func forEachUser(domain: String?, _ body: (User) throws -> Bool) throws
    func user(email: String) throws -> User?
    func settings(_ name: String) throws -> Settings?
    func apply(_ change: Change) throws -> ChangeOutcome
    /// Fills in what a listing leaves out to spare requests (Cleanmail's sender rules
    /// cost one request per domain): called, in batches, before those fields are read,
    /// shown, exported, copied or changed. The default has nothing to fill in.
    func complete(_ domains: [Domain]) throws -> [Domain]
    /// The domain as this vendor would hold it once written: its own form of the
    /// neutral fields (what `copy` reports as transformed, and compares a re-run with).
    func stored(_ domain: Domain) -> Domain
    /// How many objects of a kind the account may hold, where the vendor says
    /// (Proofpoint's licensed users); nil when it does not.
    func capacity(_ kind: ObjectKind) throws -> Int?
}

extension Adapter {
    public func complete(_ domains: [Domain]) throws -> [Domain] { domains }
    public func stored(_ domain: Domain) -> Domain { domain }
    public func capacity(_ kind: ObjectKind) throws -> Int? { nil }

    public func forEachDomain(_ body: (Domain) throws -> Bool) throws {
        try forEachDomain(matching: .all, body)
    }
}

/// A vendor error, as data: who said it, its code, and what it means.
public struct VendorError: Error, Sendable {
    public var vendor: String
    public var code: String
    public var message: String
    public init(vendor: String, code: String, message: String) {
        self.vendor = vendor
        self.code = code
        self.message = message
    }
}

/// A named connection to one vendor: what `connect ... as NAME` creates.
public final class Connection: OpaqueValue {
    public let name: String
    public let adapter: any Adapter
    public var vendor: String { adapter.capabilities.vendor }
    /// The `connect` statement that opened it, for a saved plan to open it again; nil
    /// when it cannot be saved (a credential written into the script).
    public var origin: String?

    public init(name: String, adapter: any Adapter, origin: String? = nil) {
        self.name = name
        self.adapter = adapter
        self.origin = origin
    }

    public var typeName: String { "connection" }
    public var displayText: String { "connection \(name) (\(vendor))" }
}
