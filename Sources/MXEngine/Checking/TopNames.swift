/// The checker's top-level variables by name: a long script's thousands of `let`s, and
/// every bare name of a `where` (a field, usually: a miss here).
///
/// Why not a dictionary: hashing a `String` in full costs some 400 instructions a
/// lookup, a twentieth of the checker's time on a long script. A name of up to 16 bytes
/// is its own key here (its bytes packed in two integers, hashed by multiplying); a
/// longer one goes to a dictionary as before.
struct TopNames {
    private var keys: [(UInt64, UInt64)] = []
    private var names: [String] = []
    private var types: [StaticType] = []
    /// Index into the arrays plus one (0: empty), open addressing; at most half full.
    private var slots = [Int32](repeating: 0, count: 256)
    private var long: [String: StaticType] = [:]

    init(_ variables: [String: StaticType]) {
        for (name, type) in variables { self[name] = type }
    }

    /// The name's bytes as two integers, or nil when it is longer than 16 bytes (or
    /// empty). Names are ASCII without NUL, so the zero padding cannot be confused with
    /// a byte of the name.
    private static func pack(_ name: String) -> (UInt64, UInt64)? {
        var name = name
        return name.withUTF8 { w -> (UInt64, UInt64)? in
            guard w.count > 0, w.count <= 16 else { return nil }
            var packed: (UInt64, UInt64) = (0, 0)
            withUnsafeMutableBytes(of: &packed) { $0.copyMemory(from: UnsafeRawBufferPointer(w)) }
            return packed
        }
    }

    private func slot(_ key: (UInt64, UInt64)) -> (index: Int, found: Int?) {
        var h = key.0 &* 0x9E37_79B9_7F4A_7C15 ^ (key.1 &+ 0x632B_E59B_D9B4_E019) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 31
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let n = Int(slots[i])
            if n == 0 { return (i, nil) }
            if keys[n - 1] == key { return (i, n - 1) }
            i = (i + 1) & mask
        }
    }

    subscript(name: String) -> StaticType? {
        get {
            guard let key = Self.pack(name) else { return long[name] }
            return slot(key).found.map { types[$0] }
        }
        set {
            guard let key = Self.pack(name) else { long[name] = newValue; return }
            let (i, found) = slot(key)
            if let found {
                // A name is never undefined at the top level; nil keeps it unknown.
                types[found] = newValue ?? .unknown
                return
            }
            guard let newValue else { return }
            keys.append(key)
            names.append(name)
            types.append(newValue)
            slots[i] = Int32(keys.count)
            if keys.count * 2 > slots.count { grow() }
        }
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        for (n, key) in keys.enumerated() { slots[slot(key).index] = Int32(n + 1) }
    }

    /// Every name, in the order defined (the long ones after).
    var keysInOrder: [String] { names + long.keys }

    /// As a dictionary (what a checked script leaves to the next, in the shell).
    var dictionary: [String: StaticType] {
        var out = long
        for (n, name) in names.enumerated() { out[name] = types[n] }
        return out
    }
}
