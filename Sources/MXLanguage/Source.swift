#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A script's text and name; locations elsewhere are UTF-8 offsets into it, so they
/// cannot outlive or mismatch their string.
public struct Source: Sendable {
    public let name: String
    public let text: String
    /// UTF-8 bytes of `text`, kept so offsets are O(1) to slice.
    public let bytes: [UInt8]
    /// Offset of the first byte of each line.
    public let lineStarts: [Int]

    public init(name: String, text: String) {
        self.name = name
        self.text = text
        let bytes = Array(text.utf8)
        self.bytes = bytes
        // memchr from line to line: a long script has a hundred thousand of them. A
        // byte-order mark the lexer skips is not part of line 1: no column counts it and
        // no excerpt shows it.
        var starts = [bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0]
        bytes.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress else { return }
            var at = 0
            while at < all.count, let nl = memchr(base + at, 10, all.count - at) {
                at = base.distance(to: nl.assumingMemoryBound(to: UInt8.self)) + 1
                starts.append(at)
            }
        }
        self.lineStarts = starts
    }

    /// 1-based line and column (in characters) of a byte offset.
    public func lineColumn(of offset: Int) -> (line: Int, column: Int) {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        let start = lineStarts[lo]
        let end = min(offset, bytes.count)
        let column = String(decoding: bytes[start..<max(start, end)], as: UTF8.self).count + 1
        return (lo + 1, column)
    }

    /// The text of a 1-based line without its newline.
    public func line(_ number: Int) -> String {
        guard number >= 1, number <= lineStarts.count else { return "" }
        let start = lineStarts[number - 1]
        var end = number < lineStarts.count ? lineStarts[number] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    public func slice(_ range: SourceRange) -> String {
        let lo = max(0, min(range.start, bytes.count)), hi = max(lo, min(range.end, bytes.count))
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }
}

/// A half-open byte range in a `Source`.
public struct SourceRange: Sendable, Hashable {
    // Stored in 32 bits (a script is at most 1 GB, `readTextFile`'s limit): every node of
    // a tree holds a range, and a long script's tree is tens of megabytes.
    private var storedStart: UInt32
    private var storedEnd: UInt32
    public var start: Int {
        get { Int(storedStart) }
        set { storedStart = UInt32(clamping: newValue) }
    }
    public var end: Int {
        get { Int(storedEnd) }
        set { storedEnd = UInt32(clamping: newValue) }
    }
    public init(_ start: Int, _ end: Int) { storedStart = UInt32(clamping: start); storedEnd = UInt32(clamping: end) }
    public static let none = SourceRange(0, 0)
    public func to(_ other: SourceRange) -> SourceRange { SourceRange(start, max(end, other.end)) }
}
