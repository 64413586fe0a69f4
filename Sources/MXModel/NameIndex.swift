/// The positions of a fixed set of names (a kind's fields, the commands), looked up as
/// `index[name]`, as a `[String: Int]` would be. `check` asks for one at every field and
/// every command a script names, and for such short keys `Dictionary`'s seeded SipHash
/// costs several times what this does: FNV-1a over the name's bytes into a table kept at
/// most half full, then one comparison. A name with a byte outside ASCII is compared with
/// each name instead, so canonically equivalent text (U+212A KELVIN SIGN for "K") is
/// found exactly as `Dictionary` finds it.
public struct NameIndex: Sendable {
    private let names: [String]
    /// A position in `names` plus one, or 0 for an empty slot.
    private let slots: [Int32]
    private let mask: Int

    public init(_ names: [String]) {
        self.names = names
        var size = 8
        while size < names.count * 2 { size *= 2 }
        var slots = [Int32](repeating: 0, count: size)
        for (position, name) in names.enumerated() {
            guard let hash = Self.asciiHash(name) else { continue }  // found by `slowLookup`
            var slot = hash & (size - 1)
            while slots[slot] != 0 {
                // The first of a name given twice wins, as `Dictionary(_:uniquingKeysWith: { a, _ in a })`.
                if names[Int(slots[slot]) - 1] == name { break }
                slot = (slot + 1) & (size - 1)
            }
            if slots[slot] == 0 { slots[slot] = Int32(position + 1) }
        }
        self.slots = slots
        self.mask = size - 1
    }

    public subscript(name: String) -> Int? {
        guard let hash = Self.asciiHash(name) else { return slowLookup(name) }
        var slot = hash & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return nil }
            if names[entry - 1] == name { return entry - 1 }
            slot = (slot + 1) & mask
        }
    }

    private func slowLookup(_ name: String) -> Int? {
        for i in names.indices where names[i] == name { return i }
        return nil
    }

    /// FNV-1a of the name's bytes, or nil when one is outside ASCII.
    private static func asciiHash(_ name: String) -> Int? {
        func hash<C: Sequence<UInt8>>(_ bytes: C) -> Int? {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes {
                if byte >= 0x80 { return nil }
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
            return Int(truncatingIfNeeded: hash ^ hash >> 29)
        }
        // A native string's bytes in place (a short one's are copied to the stack).
        if let h = name.utf8.withContiguousStorageIfAvailable({ hash($0) }) { return h }
        return hash(name.utf8)
    }
}
