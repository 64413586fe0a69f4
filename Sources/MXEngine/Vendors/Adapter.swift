import MXJSON
import MXModel

/// What the engine asks of a vendor, in neutral terms. Each vendor's adapter maps
/// these onto its own API; the memory adapter keeps neutral objects in the process.
public protocol Adapter: AnyObject {
    /// The vendor's declaration: its resource table, options and defaults.
    var vendor: Vendor { get }
    /// Streams domains; `body` returns false to stop early. `query` is a hint the
    /// adapter may pass on to the vendor's own filter (a superset is fine).
    func forEachDomain(matching query: DomainQuery, _ body: (Domain) throws -> Bool) throws
    func domain(named name: String) throws -> Domain?
    /// Streams users, of one domain when `domain` is given.
    func forEachUser(domain: String?, _ body: (User) throws -> Bool) throws
    func user(email: String) throws -> User?
    func settings(_ name: String) throws -> Settings?
    /// One object of the vendor's own kind `kind` by its key (a group's address; for one
    /// hanging off a domain, the domain's name); nil when there is none.
    func object(_ kind: String, key: String) throws -> Settings?
    /// The objects of the vendor's own kind `kind`: of the connection (`cm.groups`), or
    /// of `owner` (`groups of d`, `quarantine of u`). Every page is read.
    func objects(_ kind: String, of owner: ObjectRef.Object?) throws -> [Settings]
    /// The same, with the `where` terms the vendor may search with on its side (a
    /// superset is fine: the interpreter tests every object). The default ignores them.
    func objects(_ kind: String, of owner: ObjectRef.Object?, search: [SearchTerm]) throws -> [Settings]
    /// The bytes of an object that is a file at the vendor (a message's attachment).
    func content(of object: Settings) throws -> [UInt8]
    /// The adapter of one tenant (a partner's customer, by its key), speaking with this
    /// connection's credentials; unwrapped (the caller wraps it as it wraps connections).
    func tenant(_ key: String) throws -> any Adapter
    /// What a reading command (`diagnose d`) gives for `subject`: the vendor works it
    /// out, and nothing the script manages changes.
    func read(_ command: String, of subject: ObjectRef.Object) throws -> Settings
    /// Sends a request as written (`call`); the answer's JSON (RawRequest.swift).
    func raw(_ request: RawRequest) throws -> JSON
    /// Whether the request only reads (it then runs in plans too).
    func rawIsRead(_ request: RawRequest) -> Bool
    func apply(_ change: Change) throws -> ChangeOutcome
    /// Changes that may travel in one request with others of the same key (Proofpoint's
    /// 207 batch of creates); nil, the default: the change is sent on its own.
    func batchKey(of change: Change) -> String?
    /// At most this many changes in one batch.
    var batchLimit: Int { get }
    /// Many changes at once, one outcome each, in the order given. A vendor with a
    /// batch request (one POST answered 207 per item) sends what it can together; the
    /// default sends them one by one. Changes to one object keep their order.
    /// `willSend(i, before)` is called just before the request carrying change `i`
    /// leaves, with the object as the vendor held it then (the journal marks it sent);
    /// a change found already as asked is never sent and never announced. An error
    /// thrown by `willSend` fails that change unsent.
    func applyAll(_ changes: [Change], willSend: ((Int, ObjectRef.Object?) throws -> Void)?)
        -> [Result<ChangeOutcome, any Error>]
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
    /// One cheap authenticated read, made when the connection opens: wrong credentials
    /// or an unreachable server fail on the `connect` line, not on the first `list`.
    func probe() throws
}

extension Adapter {
    public func complete(_ domains: [Domain]) throws -> [Domain] { domains }
    public func batchKey(of change: Change) -> String? { nil }
    public var batchLimit: Int { 1 }
    public func applyAll(_ changes: [Change], willSend: ((Int, ObjectRef.Object?) throws -> Void)?)
        -> [Result<ChangeOutcome, any Error>]
    {
        changes.indices.map { i in
            Result {
                if let willSend { try willSend(i, try current(of: changes[i])) }
                return try apply(changes[i])
            }
        }
    }
    /// Many changes at once, with nobody to tell before each is sent.
    public func applyAll(_ changes: [Change]) -> [Result<ChangeOutcome, any Error>] {
        applyAll(changes, willSend: nil)
    }
    public func stored(_ domain: Domain) -> Domain { domain }
    public func capacity(_ kind: ObjectKind) throws -> Int? { nil }
    public func probe() throws {}

    public func object(_ kind: String, key: String) throws -> Settings? {
        if vendor.singles.contains(kind) { return try settings(kind) }
        throw VendorError(
            vendor: vendor.name, kind: .unsupported, code: "unsupported",
            message: "\(vendor.product) has no \(kind) objects")
    }

    public func tenant(_ key: String) throws -> any Adapter {
        throw VendorError(
            vendor: vendor.name, kind: .unsupported, code: "unsupported", message: "\(vendor.product) has no tenants")
    }

    public func read(_ command: String, of subject: ObjectRef.Object) throws -> Settings {
        throw VendorError(
            vendor: vendor.name, kind: .unsupported, code: "unsupported", message: "\(vendor.product) has no \(command)"
        )
    }

    public func objects(_ kind: String, of owner: ObjectRef.Object?) throws -> [Settings] {
        throw VendorError(
            vendor: vendor.name, kind: .unsupported, code: "unsupported",
            message: "\(vendor.product) has no \(kind) objects")
    }

    public func objects(_ kind: String, of owner: ObjectRef.Object?, search: [SearchTerm]) throws -> [Settings] {
        try objects(kind, of: owner)
    }

    public func content(of object: Settings) throws -> [UInt8] {
        throw VendorError(
            vendor: vendor.name, kind: .unsupported, code: "unsupported",
            message: "\(vendor.product) has no content for a \(object.kind)")
    }

    /// The object a change is about, as the vendor holds it now (nil: there is none).
    public func current(of change: Change) throws -> ObjectRef.Object? {
        switch change.kind {
        case .domain: return try domain(named: change.key).map(ObjectRef.Object.domain)
        case .user: return try user(email: change.key).map(ObjectRef.Object.user)
        case .settings:
            if change.operation == .call { return nil }  // a raw request has no object to read
            return try object(change.resource ?? change.key, key: change.key).map(ObjectRef.Object.settings)
        }
    }

    public func forEachDomain(_ body: (Domain) throws -> Bool) throws {
        try forEachDomain(matching: .all, body)
    }
}

/// A vendor error, as data: who said it, what kind of failure it is (which decides
/// what the engine does next: "already as asked", retry, refuse), the vendor's own code
/// and its meaning. Each vendor's folder maps its codes to kinds.
public struct VendorError: Error, Sendable {
    public enum Kind: String, Sendable {
        /// The object does not exist.
        case notFound = "not-found"
        /// An object of that name exists already.
        case exists
        /// The request was refused for its values; `hints` name the fields.
        case invalid
        /// Refused for another reason (permission, quota, state), with the vendor's code.
        case refused
        /// The vendor has no such operation.
        case unsupported
        /// No answer, or no usable answer: the outcome is unknown.
        case transport
        /// An answer that is not the documented shape.
        case reply

        /// What an HTTP status means, for the REST vendors (their folders say where
        /// their documents differ).
        public static func ofHTTP(_ status: Int) -> Kind {
            switch status {
            case 404: return .notFound
            case 409: return .exists
            case 400, 422: return .invalid
            case 500...: return .transport
            default: return .refused
            }
        }
    }
    /// The code of a request that was sent and not repeated, whose answer was lost:
    /// the journal keeps its change `sent` (unknown), never `failed`.
    public static let lost = "lost"
    /// The code of a change done in part: its object was made, then a request that
    /// finishes it (a Cleanmail domain's aliases, a mailbox's sender rules) was refused.
    /// Not `failed`: undo would leave the object behind. The journal keeps it `sent`,
    /// as a run killed between the two requests would have, so undo takes the object
    /// back and resume reads it first.
    public static let partial = "partial"
    /// Lost or done in part: the journal keeps the change `sent`, never `failed`.
    public var keepsChangeSent: Bool { code == Self.lost || code == Self.partial }
    public var vendor: String
    public var kind: Kind
    public var code: String
    public var message: String
    /// Field -> what the vendor said of it.
    public var hints: [(field: String, reason: String)]

    public init(
        vendor: String, kind: Kind, code: String, message: String, hints: [(field: String, reason: String)] = []
    ) {
        self.vendor = vendor
        self.kind = kind
        self.code = code
        self.message = message
        self.hints = hints
    }

    /// For errors whose code is the kind's own name ("not-found", "transport", ...).
    public init(vendor: String, code: String, message: String) {
        self.init(vendor: vendor, kind: Kind(rawValue: code) ?? .refused, code: code, message: message)
    }

    static func notFound(_ vendor: String, _ kind: String, _ key: String) -> VendorError {
        VendorError(vendor: vendor, kind: .notFound, code: "not-found", message: "\(kind) \(key) does not exist")
    }

    /// `made` ("domain x.net was created") is done; `rest`, the request after it, was not.
    /// Its kind is never `exists`: that would read as the create meeting an object made
    /// by someone else, when the object there is the one just made.
    static func madeInPart(_ made: String, _ rest: VendorError) -> VendorError {
        if rest.code == partial { return rest }
        // The request after the create was sent and its answer lost: it may have worked.
        if rest.code == lost {
            return VendorError(
                vendor: rest.vendor, kind: .refused, code: partial,
                message: "\(made); whether the rest was done is unknown: \(rest.message)", hints: rest.hints)
        }
        return VendorError(
            vendor: rest.vendor, kind: .refused, code: partial,
            message: "\(made), but not wholly: \(rest.message) (\(rest.vendor) \(rest.code))", hints: rest.hints)
    }

    static func unsupported(_ vendor: Vendor, _ op: Operation) -> VendorError {
        VendorError(
            vendor: vendor.name, kind: .unsupported, code: "unsupported",
            message: "\(vendor.product) has no \(op.rawValue)")
    }
}

/// A named connection to one vendor: what `connect ... as NAME` creates.
public final class Connection: OpaqueValue {
    public let name: String
    public let adapter: any Adapter
    /// The vendor's name, for messages and the journal.
    public var vendor: String { adapter.vendor.name }
    public var declaration: Vendor { adapter.vendor }
    /// How it was opened, for a saved plan or the journal to open it again; nil when it
    /// cannot be saved (a credential written into the script, or computed there).
    public var origin: ConnectionOrigin?
    /// A tenant's own record (a customer organisation's name, licences...), read as
    /// fields of the connection: `o.name`, `o.primary_domain`.
    public var record: Record?

    public init(name: String, adapter: any Adapter, origin: ConnectionOrigin? = nil) {
        self.name = name
        self.adapter = adapter
        self.origin = origin
    }

    public var typeName: String { "connection" }
    public var displayText: String { "connection \(name) (\(vendor))" }
}
