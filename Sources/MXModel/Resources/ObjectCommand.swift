/// A command on a vendor's own kind of object (`create-group`, `add-member`,
/// `release`), declared in the vendor's table beside the kind: the parser, the
/// checker, `help`, completion, plans, the journal and undo all read this one
/// declaration. Its operation is named by the command (`Operation(rawValue: name)`).
public struct ObjectCommand: Sendable {
    public enum Effect: Sendable, Equatable {
        /// Makes a new object: its key is the first argument, or comes from its owner.
        case create
        /// Removes the object.
        case delete
        /// Adds the value of the command's parameter to a list field (`add-member`).
        case addTo(field: String)
        /// Removes it from a list field (`remove-member`).
        case removeFrom(field: String)
        /// Something the vendor does that is not a change of the object's fields
        /// (`release` a message, send a welcome mail): never "already as asked".
        case action
        /// Brings back a deleted object of a neutral kind (a domain, a user) by its key:
        /// "already as asked" when it is live.
        case restore
        /// Asks the vendor for something it works out (a domain's diagnostic) and gives
        /// it as a value; nothing the script manages changes, so plans run it too.
        case read(kind: String)
    }

    /// What the command's first argument is.
    public enum Subject: Sendable, Equatable {
        /// The new object's key (`create-group "sales@x.net"`); `at=CONN` picks the connection.
        case key
        /// An object of the kind (`release m`, `delete-group g`).
        case object
        /// The neutral object it belongs to (`create-dkim d`: the domain's DKIM key).
        case owner(ObjectKind)
    }

    /// How `undo` reverses it.
    public enum Inverse: Sendable, Equatable {
        /// By another command of the same kind, from the change's recorded state.
        case by(String)
        /// Cannot be undone; shown in plans and by `undo`.
        case irreversible(String)
    }

    public let name: String
    public let effect: Effect
    public let subject: Subject
    /// Values after the first, by name (`add-member G ADDRESS`: "address").
    public let params: [(name: String, type: FieldType)]
    /// `key=value` options that are not fields of the object (`release m virus=true`).
    public let options: [(name: String, type: FieldType, summary: String)]
    public let inverse: Inverse
    public let summary: String
    /// The object lives under a new key afterwards (`move-user u "new@x"`): the change
    /// is sent at once and the script's variables follow the object there.
    public private(set) var movesObject = false
    /// Of a move to another domain: the object's fields the vendor sets anew there (a
    /// mailbox's policy becomes the new domain's), unknown until it answers.
    public private(set) var resetAcrossDomains: [String] = []

    public init(
        _ name: String, _ effect: Effect, subject: Subject, params: [(name: String, type: FieldType)] = [],
        options: [(name: String, type: FieldType, summary: String)] = [], undo inverse: Inverse,
        _ summary: String
    ) {
        self.name = name
        self.effect = effect
        self.subject = subject
        self.params = params
        self.options = options
        self.inverse = inverse
        self.summary = summary
    }

    public var operation: Operation { Operation(rawValue: name) }

    /// The same command, declared as one that moves its object to a new key; `resetting`
    /// names the fields the vendor sets anew when that key is in another domain.
    public func movingObject(resetting: [String] = []) -> ObjectCommand {
        var c = self
        c.movesObject = true
        c.resetAcrossDomains = resetting
        return c
    }

    /// Takes the object's writable fields as `key=value` (a create does).
    public var takesFields: Bool { effect == .create }

    /// Gives a value and changes nothing (`diagnose d`).
    public var givesValue: Bool {
        if case .read = effect { return true }
        return false
    }

    /// `+`, `-` or `~` in plans and change echoes; `!` for an action that cannot be
    /// previewed or taken back.
    public var sign: String {
        switch effect {
        case .create, .addTo, .restore: return "+"
        case .delete, .removeFrom: return "-"
        // An action its table undoes (moving a mailbox) is a change; one it cannot, `!`.
        case .action: return irreversibleReason == nil ? "~" : "!"
        case .read: return "?"
        }
    }

    public var irreversibleReason: String? {
        if case .irreversible(let why) = inverse { return why }
        return nil
    }
}
