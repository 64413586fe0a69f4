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
    /// nests 0 deep, `[]` and `[1]` 1, `[[1]]` 2). Looks no further down than `levels`.
    func nestsDeeper(than levels: Int) -> Bool {
        switch self {
        case .list(let items): return levels < 1 || items.contains { $0.nestsDeeper(than: levels - 1) }
        case .record(let r): return levels < 1 || r.pairs.contains { $0.1.nestsDeeper(than: levels - 1) }
        default: return false
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
