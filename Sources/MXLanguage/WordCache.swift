/// The Strings of short words already read, by their bytes: a script says `x`, `d.name`,
/// `status`, `ENABLED` and `print` over and over, and making a String from bytes (checking
/// them as UTF-8 on the way) cost some 160 instructions a word, a tenth of the parser's
/// time. A word of at most 15 bytes (a String that fits in its own 16 bytes, so copying
/// it out retains nothing) is packed into two integers and looked up in a direct-mapped
/// table; a miss makes the String and takes the slot.
struct WordCache {
    /// The two packed integers of each slot's word (0, 0: an empty slot; no word packs so,
    /// since the second holds the length).
    private var keys: [UInt64]
    private var values: [String]
    /// Each slot's word as a command: asked once, not at every statement that names it
    /// (through the table's protocol, a hash of the name and a copy: some 330 instructions).
    private var signatures: [Signature]
    private let shift: UInt64
    /// The slot of the word `string` gave last, or -1 when it was not kept.
    private var lastSlot = -1

    private enum Signature {
        case notAsked
        case none
        case some(CommandSignature)
    }

    /// Sized for a script of `sourceBytes`: a slot for every 64 bytes, 64 to 8,192 slots.
    init(sourceBytes: Int) {
        var bits: UInt64 = 6
        while bits < 13, 1 << (bits + 6) < sourceBytes { bits += 1 }
        shift = 64 - bits
        keys = [UInt64](repeating: 0, count: 2 << bits)
        values = [String](repeating: "", count: 1 << bits)
        signatures = [Signature](repeating: .notAsked, count: 1 << bits)
    }

    /// `commands.signature(of: name)`, kept with the word when `name` is the word read last.
    mutating func signature(of name: String, in commands: any CommandLookup) -> CommandSignature? {
        guard lastSlot >= 0, values[lastSlot] == name else { return commands.signature(of: name) }
        switch signatures[lastSlot] {
        case .some(let signature): return signature
        case .none: return nil
        case .notAsked:
            let found = commands.signature(of: name)
            signatures[lastSlot] = found.map { .some($0) } ?? .none
            return found
        }
    }

    /// The String of `all[start..<end]`, as `String(decoding:as: UTF8.self)` makes it.
    mutating func string(_ all: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        let length = end - start
        lastSlot = -1
        guard length > 0, length <= 15, let base = all.baseAddress else {
            return String(decoding: UnsafeBufferPointer(rebasing: all[start..<max(start, end)]), as: UTF8.self)
        }
        var low: UInt64 = 0
        var high: UInt64 = 0
        if start + 16 <= all.count {
            // Two unaligned loads, read as little-endian on any machine (the first byte in
            // the lowest bits), and the bytes past the word masked off.
            let raw = UnsafeRawPointer(base + start)
            low = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
            high = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            if length < 8 {
                low &= (1 &<< UInt64(length * 8)) &- 1
                high = 0
            } else {
                high &= (1 &<< UInt64((length - 8) * 8)) &- 1
            }
        } else {
            // Near the end of the script: byte by byte, never past it.
            for k in 0..<length {
                let b = UInt64(base[start + k])
                if k < 8 { low |= b &<< UInt64(k * 8) } else { high |= b &<< UInt64((k - 8) * 8) }
            }
        }
        // The length in the top byte: "a" and "a\0" (a NUL in a quoted string) differ.
        high |= UInt64(length) &<< 56
        let slot = Int(truncatingIfNeeded: ((low ^ (high &* 0x9E37_79B9_7F4A_7C15)) &* 0x9E37_79B9_7F4A_7C15) >> shift)
        lastSlot = slot
        if keys[2 &* slot] == low, keys[2 &* slot &+ 1] == high { return values[slot] }
        let made = String(decoding: UnsafeBufferPointer(start: base + start, count: length), as: UTF8.self)
        keys[2 &* slot] = low
        keys[2 &* slot &+ 1] = high
        values[slot] = made
        signatures[slot] = .notAsked
        return made
    }
}
