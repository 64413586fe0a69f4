import MXLanguage

/// LSP positions are 0-based lines and UTF-16 code units within the line; mxsh keeps
/// UTF-8 byte offsets. One place converts between them.
struct DocumentPositions {
    let source: Source

    /// A byte-order mark the document starts with: the language skips it (line 1 starts
    /// after it), but the editor's first line holds it, one UTF-16 unit.
    private var markUnits: Int { source.lineStarts.first == 3 ? 1 : 0 }

    /// `{line, character}` of a byte offset.
    func position(_ offset: Int) -> (line: Int, character: Int) {
        let (line, _) = source.lineColumn(of: offset)
        let start = source.lineStarts[line - 1]
        let end = min(max(offset, start), source.bytes.count)
        let prefix = String(decoding: source.bytes[start..<end], as: UTF8.self)
        return (line - 1, prefix.utf16.count + (line == 1 ? markUnits : 0))
    }

    /// The byte offset of `{line, character}`, clamped to the line.
    func offset(line: Int, character: Int) -> Int {
        guard line >= 0, line < source.lineStarts.count else { return source.bytes.count }
        let character = line == 0 ? max(0, character - markUnits) : character
        let text = source.line(line + 1)
        var units = 0, bytes = 0
        for scalar in text.unicodeScalars {
            if units >= character { break }
            units += scalar.utf16.count
            bytes += String(scalar).utf8.count
        }
        return source.lineStarts[line] + bytes
    }

    /// The word (a name, a hyphenated command, a dotted field) around a byte offset.
    func word(at offset: Int) -> (text: String, start: Int)? {
        func isWord(_ b: UInt8) -> Bool {
            (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 || b == 45
        }
        let bytes = source.bytes
        var start = min(offset, bytes.count), end = start
        while start > 0, isWord(bytes[start - 1]) { start -= 1 }
        while end < bytes.count, isWord(bytes[end]) { end += 1 }
        guard end > start else { return nil }
        return (String(decoding: bytes[start..<end], as: UTF8.self), start)
    }
}
