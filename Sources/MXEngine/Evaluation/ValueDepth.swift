import MXHTTP
import MXLanguage
import MXModel

/// How deep lists and records built at run time may nest: less deep than the 512 levels
/// `json()` reads back (what `export` writes of them, values and all), and far short of
/// where releasing a value (recursive in Swift's runtime, as are `holdsSecret` and
/// writing JSON) would overflow the stack: `r = [r]` in a loop of 50,000 turns died
/// with SIGSEGV when `r` was let go of.
let maximumValueDepth = 500

extension Value {
    /// Whether this value nests lists and records more than `levels` deep (a plain value
    /// nests 0 deep, `[]` and `[1]` 1, `[[1]]` 2). Looks no further down than `levels`,
    /// and not again into a long list found shallow enough lately.
    func nestsDeeper(than levels: Int) -> Bool {
        switch self {
        case .list(let items):
            if levels < 1 { return true }
            guard items.count >= ShallowLists.fromCount else {
                return items.contains { $0.nestsDeeper(than: levels - 1) }
            }
            if ShallowLists.known(items, atMost: levels) { return false }
            if items.contains(where: { $0.nestsDeeper(than: levels - 1) }) { return true }
            ShallowLists.remember(items, atMost: levels)
            return false
        case .record(let r): return levels < 1 || r.pairs.contains { $0.1.nestsDeeper(than: levels - 1) }
        default: return false
        }
    }
}

/// Long lists lately found to nest no deeper than a depth, held here with it: their
/// storage stays allocated, so its address is theirs alone, and a list shared with this
/// cache cannot be changed in place (a change copies it), so the same address holds the
/// same items. `{data: big, i: n}` in a loop looked through all of `big` at each turn.
enum ShallowLists {
    static let fromCount = 64
    private static let lately = Locked<[(items: [Value], atMost: Int)]>([])

    static func known(_ items: [Value], atMost levels: Int) -> Bool {
        let address = items.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        return lately.withLock { all in
            all.contains { entry in
                entry.atMost <= levels && entry.items.count == items.count
                    && entry.items.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) } == address
            }
        }
    }

    static func remember(_ items: [Value], atMost levels: Int) {
        lately.withLock { all in
            all.append((items, levels))
            // A few: what a loop wraps again and again is what was seen last.
            if all.count > 4 { all.removeFirst() }
        }
    }
}

/// Refuses an item that would make the list or record written at `range` nest past
/// `maximumValueDepth`.
func refuseTooDeepItem(_ item: Value, at range: SourceRange) throws {
    guard item.nestsDeeper(than: maximumValueDepth - 1) else { return }
    throw RuntimeError(
        "a list or record nested more than \(maximumValueDepth) levels deep", at: range,
        notes: [.init("json() reads back at most 512 levels; keep items side by side in one list")])
}
