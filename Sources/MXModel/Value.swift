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
public struct Record {
    public private(set) var keys: [String] = []
    private var storage: [String: Value] = [:]
    /// Where a CSV row came from, so that changes and errors made while looping over
    /// it can name the row as well as the script line.
    public var origin: RowOrigin?

    public init() {}
    public init(_ pairs: [(String, Value)]) {
        for (k, v) in pairs { self[k] = v }
    }

    /// Fields under keys known to be distinct (a CSV row under its checked header): every
    /// row shares the one keys array instead of building its own.
    public init(uniqueKeys keys: [String], values: [Value]) {
        self.keys = keys
        var s = [String: Value](minimumCapacity: keys.count)
        for (k, v) in zip(keys, values) { s[k] = v }
        storage = s
    }

    public subscript(key: String) -> Value? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    public var count: Int { keys.count }
    public var pairs: [(String, Value)] { keys.map { ($0, storage[$0]!) } }
}

extension Value {
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
        case .record(let r): return "{" + r.pairs.map { "\($0.0): \($0.1.literal)" }.joined(separator: ", ") + "}"
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

public func formatNumber(_ n: Double) -> String {
    if n.rounded() == n, abs(n) < 1e15 { return String(Int64(n)) }
    return String(n)
}

extension String {
    public func replacingAll(_ target: String, _ replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        return components(separatedBy: target).joined(separator: replacement)
    }

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
