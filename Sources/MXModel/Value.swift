/// A value of the language. Secrets are a kind of their own so that every way of
/// turning a value into text (`description`, JSON, CSV, errors) prints them as `****`.
public enum Value {
    case none
    case bool(Bool)
    case number(Double)
    case string(String)
    /// An upper-case bare word: `ENABLED`.
    case enumCase(String)
    case list([Value])
    case record(Record)
    case secret(Secret)
    /// A domain, user or settings object at a connection, shared by reference so a
    /// change applied through one variable is seen through every other.
    case object(ObjectRef)
    /// Engine-level values (connections, lazy collections) the model does not know.
    case opaque(any OpaqueValue)
}

/// Reference values defined above the model (a connection, a lazy collection).
public protocol OpaqueValue: AnyObject {
    var typeName: String { get }
    var displayText: String { get }
}

/// A credential. It never prints: `description` is `****`; only `reveal()` gives the
/// text, and only adapters building a request should call it.
public struct Secret: Sendable, Equatable, CustomStringConvertible {
    private let value: String
    public init(_ value: String) { self.value = value }
    public func reveal() -> String { value }
    public var description: String { "****" }
    public static let mask = "****"
}

/// A row of a CSV file: the file as the script named it, and the line the row starts on
/// (the header is line 1, so it is also the row number a spreadsheet shows).
public struct RowOrigin: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }
    public var description: String { "\(file) row \(line)" }
}

/// String-keyed fields in insertion order (CSV rows, JSON objects, a vendor's raw record).
///
/// One reference, copied on write: a record is a value of the language, copied into
/// every variable and `where` that reads it, and copying it costs one retain. The keys
/// live apart from the values, in an object the rows of a CSV file share: a row costs
/// its values, not a dictionary of its own, and a field is found by comparing a few
/// short keys (or, for a record of many keys, through an index built once).
public struct Record {
    /// The keys in order and, past `indexedFrom` keys, an index of them.
    ///
    /// The stored properties skip the dynamic exclusivity check: every field read in a
    /// `where` passes through them, and no access here overlaps another (each method
    /// reads or writes one property at a time).
    final class Keys {
        @exclusivity(unchecked) var names: [String]
        @exclusivity(unchecked) var index: [String: Int]?
        init(_ names: [String]) {
            self.names = names
            if names.count > Keys.indexedFrom { buildIndex() }
        }
        /// Below this many keys, comparing them beats hashing the key looked up.
        static let indexedFrom = 12
        func buildIndex() {
            var index = [String: Int](minimumCapacity: names.count)
            for (i, k) in names.enumerated() { index[k] = i }
            self.index = index
        }
        func copy() -> Keys {
            let c = Keys([])
            c.names = names
            c.index = index
            return c
        }
        @inline(__always) func position(of key: String) -> Int? {
            if let index { return index[key] }
            let length = key.utf8.count
            for i in names.indices where names[i].utf8.count == length && names[i] == key { return i }
            return nil
        }
    }

    final class Storage {
        @exclusivity(unchecked) var keys: Keys
        @exclusivity(unchecked) var values: [Value]
        @exclusivity(unchecked) var origin: RowOrigin?
        init(keys: Keys, values: [Value], origin: RowOrigin?) {
            self.keys = keys
            self.values = values
            self.origin = origin
        }
    }

    private var storage: Storage

    /// Every empty record shares this storage until it gets a field (a million domains
    /// each carry an empty raw record in the memory vendor). It is never written: a
    /// record holding it is never its sole owner, so it copies before it changes.
    nonisolated(unsafe) private static let empty = Storage(keys: Keys([]), values: [], origin: nil)

    public init() {
        storage = Record.empty
    }

    public init(_ pairs: [(String, Value)]) {
        self.init()
        for (k, v) in pairs { self[k] = v }
    }

    /// Fields under keys known to be distinct (a CSV row under its checked header): every
    /// row built from the same `RecordKeys` shares its keys.
    public init(keys: RecordKeys, values: [Value], origin: RowOrigin? = nil) {
        precondition(keys.keys.names.count == values.count, "a record needs one value per key")
        storage = Storage(keys: keys.keys, values: values, origin: origin)
    }

    /// The next row of a reader that makes one record per row under the same keys (a CSV
    /// file), written into this record's storage when nothing else holds it: a loop that
    /// keeps no row then costs no allocation per row. The record takes `values`, and
    /// `values` gets the record's old ones back, to be emptied and refilled. False, and
    /// nothing changed, when the record is shared (the loop kept it) or its keys are not
    /// `keys` (the same header, not equal names).
    public mutating func exchangeValues(_ values: inout [Value], keys: RecordKeys, origin: RowOrigin?) -> Bool {
        guard isKnownUniquelyReferenced(&storage), storage !== Record.empty, storage.keys === keys.keys,
            storage.values.count == values.count
        else { return false }
        swap(&storage.values, &values)
        storage.origin = origin
        return true
    }

    /// Fields under keys known to be distinct.
    public init(uniqueKeys keys: [String], values: [Value]) {
        self.init(keys: RecordKeys(keys), values: values)
    }

    /// Where a CSV row came from, so that changes and errors made while looping over
    /// it can name the row as well as the script line.
    public var origin: RowOrigin? {
        get { storage.origin }
        set { unique(); storage.origin = newValue }
    }

    public var keys: [String] { storage.keys.names }

    public subscript(key: String) -> Value? {
        get { storage.keys.position(of: key).map { storage.values[$0] } }
        set {
            if let i = storage.keys.position(of: key) {
                unique()
                if let newValue {
                    storage.values[i] = newValue
                } else {
                    uniqueKeys()
                    let keys = storage.keys
                    keys.names.remove(at: i)
                    storage.values.remove(at: i)
                    keys.index = nil
                    if keys.names.count > Keys.indexedFrom { keys.buildIndex() }
                }
            } else if let newValue {
                unique()
                uniqueKeys()
                let keys = storage.keys
                keys.names.append(key)
                storage.values.append(newValue)
                if keys.index != nil {
                    keys.index![key] = keys.names.count - 1
                } else if keys.names.count > Keys.indexedFrom {
                    keys.buildIndex()
                }
            }
        }
    }

    private mutating func unique() {
        if !isKnownUniquelyReferenced(&storage) {
            storage = Storage(keys: storage.keys, values: storage.values, origin: storage.origin)
        }
    }

    /// Keys shared with other records (CSV rows) are copied before they change.
    private mutating func uniqueKeys() {
        if !isKnownUniquelyReferenced(&storage.keys) { storage.keys = storage.keys.copy() }
    }

    public var count: Int { storage.values.count }
    public var pairs: [(String, Value)] { Array(zip(storage.keys.names, storage.values)) }
}

/// The keys of records that share them (the header of a CSV file), made once.
public struct RecordKeys {
    let keys: Record.Keys
    public init(_ names: [String]) { keys = Record.Keys(names) }
    public var names: [String] { keys.names }
}

extension Value {
    /// Whether a secret is this value or inside it (a list's item, a record's field):
    /// such a value never becomes text, where the secret would print as `****` and be
    /// sent as those four characters.
    public var holdsSecret: Bool {
        switch self {
        case .secret: return true
        case .list(let items): return items.contains { $0.holdsSecret }
        case .record(let r): return r.pairs.contains { $0.1.holdsSecret }
        default: return false
        }
    }

    /// The type's name as a message puts it after "not" or "cannot ...": "a number",
    /// "an enum", "none".
    public var aTypeName: String {
        if case .none = self { return "none" }
        let name = typeName
        // "a user": only a, e, i and o are said as vowels at the start of these names.
        return ("aeio".contains(name.first ?? "x") ? "an " : "a ") + name
    }

    public var typeName: String {
        switch self {
        case .none: return "none"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .enumCase: return "enum"
        case .list: return "list"
        case .record: return "record"
        case .secret: return "secret"
        case .object(let o): return o.kindName
        case .opaque(let o): return o.typeName
        }
    }

    public var isTruthy: Bool {
        switch self {
        case .none: return false
        case .bool(let b): return b
        case .number(let n): return n != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.isEmpty
        case .record(let r): return !r.keys.isEmpty
        default: return true
        }
    }

    /// Text for `print` and tables: strings bare, secrets masked, numbers without `.0`.
    public var text: String {
        switch self {
        case .none: return "none"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return formatNumber(n)
        case .string(let s): return s
        case .enumCase(let e): return e
        case .list(let items): return "[" + items.map(\.literal).joined(separator: ", ") + "]"
        case .record(let r):
            return "{" + r.pairs.map { "\(recordKeyText($0.0)): \($0.1.literal)" }.joined(separator: ", ") + "}"
        case .secret: return Secret.mask
        case .object(let o): return o.displayText
        case .opaque(let o): return o.displayText
        }
    }

    /// Text as it would be written in a script: strings quoted.
    public var literal: String {
        switch self {
        case .string(let s): return "\"" + s.replacingAll("\\", "\\\\").replacingAll("\"", "\\\"") + "\""
        default: return text
        }
    }
}

/// A record's key as a script writes it: a name (the lexer's identifier: letters,
/// digits and `_`, a hyphen only between a letter and a letter) bare, anything else (a
/// CSV header with a space, an empty one) quoted, so `{"first name": 1}` prints as it
/// is written.
func recordKeyText(_ key: String) -> String {
    func isStart(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F }
    let bytes = Array(key.utf8)
    var plain = bytes.first.map(isStart) == true
    for (i, b) in bytes.enumerated() where plain && !isStart(b) && !(0x30...0x39).contains(b) {
        plain = b == 0x2D && i + 1 < bytes.count && isStart(bytes[i + 1])
    }
    return plain ? key : Value.string(key).literal
}

/// A number as a script would write it. Every whole number below 2^63 prints as its
/// digits: `1000000000000000`, not `1000000000000000.0` or `1e+16`, since this text is
/// what a description or a quota sends to a vendor.
public func formatNumber(_ n: Double) -> String {
    if let whole = n.wholeNumber { return String(whole) }
    return String(n)
}

extension Double {
    /// The number as an Int when it is whole and one fits (below 2^63): how a number is
    /// printed, written to a vendor's JSON and kept in a plan.
    public var wholeNumber: Int? { rounded() == self && abs(self) < 0x1p63 ? Int(self) : nil }
}

extension String {
    public func replacingAll(_ target: String, _ replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        return components(separatedBy: target).joined(separator: replacement)
    }

    /// The text between each occurrence of `separator` (which must not be empty).
    public func splitting(at separator: String) -> [String] { components(separatedBy: separator) }

    func components(separatedBy separator: String) -> [String] {
        var parts: [String] = []
        var rest = self[...]
        while let r = rest.range(of: separator) {
            parts.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}

extension Substring {
    func range(of needle: String) -> Range<Index>? {
        guard !needle.isEmpty else { return nil }
        var i = startIndex
        while i < endIndex {
            if self[i...].hasPrefix(needle) {
                return i..<index(i, offsetBy: needle.count)
            }
            i = index(after: i)
        }
        return nil
    }
}
