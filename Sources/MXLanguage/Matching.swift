/// The nearest known name to a misspelt one, for "did you mean" notes: edit distance
/// with adjacent swaps, accepted when it is small against the word's length.
public func bestMatch(for word: String, in candidates: some Sequence<String>) -> String? {
    let w = Array(word.lowercased())
    var best: (name: String, distance: Int)? = nil
    for candidate in candidates where candidate != word {
        let d = editDistance(w, Array(candidate.lowercased()))
        let limit = max(1, min(3, (max(w.count, candidate.count) + 1) / 3))
        // A suggestion must keep part of the word: 'x' for 'd' helps nobody.
        guard d <= limit, d < w.count, d < candidate.count else { continue }
        if best == nil || d < best!.distance || (d == best!.distance && candidate < best!.name) {
            best = (candidate, d)
        }
    }
    return best?.name
}

/// A candidate one edit (a letter added, dropped, changed, or two swapped) from `word`,
/// in any case: a slip of the hand, where `bestMatch` also finds a name that is merely
/// like it (`setup` for `set`).
public func slipOf(_ word: String, in candidates: some Sequence<String>) -> String? {
    let w = Array(word.lowercased())
    for candidate in candidates where candidate != word && abs(candidate.count - w.count) <= 1 {
        if editDistance(w, Array(candidate.lowercased())) == 1 { return candidate }
    }
    return nil
}

/// Optimal string alignment distance (Levenshtein plus transposition of neighbours).
func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prevPrev = [Int](repeating: 0, count: b.count + 1)
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                cur[j] = min(cur[j], prevPrev[j - 2] + 1)
            }
        }
        (prevPrev, prev, cur) = (prev, cur, prevPrev)
    }
    return prev[b.count]
}
