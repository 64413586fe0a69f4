#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file could not be read or written; the message names the file and the reason.
public struct FileError: Error {
    public let message: String
}

private func reason() -> String { String(cString: strerror(errno)) }

/// A file that must be UTF-8 text (CSV, JSON): other bytes are an error that says where,
/// not characters silently replaced.
public func readUTF8File(_ path: String) throws -> String {
    let bytes = try readFileBytes(path)
    if let bad = firstInvalidUTF8(bytes) {
        let line = 1 + bytes[..<bad].count { $0 == 10 }
        throw FileError(message: "\(path) is not UTF-8 text (line \(line), byte \(bad + 1) is 0x\(String(bytes[bad], radix: 16, uppercase: true))); save it as UTF-8")
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// The offset of the first byte that is not part of well-formed UTF-8, if any.
func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
    var i = 0
    while i < bytes.count {
        // ASCII, eight bytes at a time: most CSV files are all ASCII.
        while i + 8 <= bytes.count,
              bytes.withUnsafeBytes({ $0.loadUnaligned(fromByteOffset: i, as: UInt64.self) }) & 0x8080_8080_8080_8080 == 0 {
            i += 8
        }
        guard i < bytes.count else { break }
        let b = bytes[i]
        let n: Int
        if b < 0x80 { i += 1; continue }
        else if b >= 0xC2 && b <= 0xDF { n = 1 }
        else if b >= 0xE0 && b <= 0xEF { n = 2 }
        else if b >= 0xF0 && b <= 0xF4 { n = 3 }
        else { return i }
        guard i + n < bytes.count else { return i }
        for k in 1...n where bytes[i + k] & 0xC0 != 0x80 { return i }
        // Overlong three-byte forms and surrogates; overlong and too-large four-byte forms.
        if b == 0xE0, bytes[i + 1] < 0xA0 { return i }
        if b == 0xED, bytes[i + 1] >= 0xA0 { return i }
        if b == 0xF0, bytes[i + 1] < 0x90 { return i }
        if b == 0xF4, bytes[i + 1] >= 0x90 { return i }
        i += n + 1
    }
    return nil
}

/// Reads a whole UTF-8 file. (No Foundation: start-up time matters for `mxsh -c`.)
public func readTextFile(_ path: String) throws -> String {
    String(decoding: try readFileBytes(path), as: UTF8.self)
}

public func readFileBytes(_ path: String) throws -> [UInt8] {
    guard let f = fopen(path, "rb") else { throw FileError(message: "cannot read \(path): \(reason())") }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, f)
        if n > 0 { bytes.append(contentsOf: buffer[0..<n]) }
        if n < buffer.count {
            if ferror(f) != 0 { throw FileError(message: "cannot read \(path): \(reason())") }
            break
        }
    }
    return bytes
}

/// Writes a file through a temporary name and a rename, so a reader never sees half
/// of it. `mode` applies to a newly created file (0600 for anything private).
public func writeTextFile(_ path: String, _ text: String, mode: mode_t = 0o644) throws {
    let tmp = path + ".tmp-\(getpid())"
    let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, mode)
    guard fd >= 0 else { throw FileError(message: "cannot write \(path): \(reason())") }
    var ok = true
    var utf8 = Array(text.utf8)
    var offset = 0
    while offset < utf8.count {
        let n = utf8.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
        if n <= 0 { ok = false; break }
        offset += n
    }
    utf8.removeAll()
    if close(fd) != 0 { ok = false }
    guard ok, rename(tmp, path) == 0 else {
        let why = reason()
        unlink(tmp)
        throw FileError(message: "cannot write \(path): \(why)")
    }
}

public func environmentValue(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}

/// Permission bits of a file, or nil when it does not exist.
func fileMode(_ path: String) -> mode_t? {
    var st = stat()
    guard stat(path, &st) == 0 else { return nil }
    return st.st_mode & 0o7777
}

/// `mkdir -p` with private permissions for new folders.
public func makeDirectories(_ path: String, mode: mode_t = 0o700) {
    var current = path.hasPrefix("/") ? "" : "."
    for part in path.split(separator: "/") {
        current += "/" + part
        mkdir(current, mode)
    }
}

/// `$XDG_<kind>_HOME` or its default under the home folder.
public func xdgDirectory(_ variable: String, default fallback: String) -> String {
    if let v = environmentValue(variable), !v.isEmpty { return v }
    return (environmentValue("HOME") ?? ".") + "/" + fallback
}

/// Seconds since an arbitrary start, never going back.
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Unbuffered, from any thread: HTTP trace lines come from the transfer thread.
public func writeStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + offset, $0.count - offset) }
        if n <= 0 { return }
        offset += n
    }
}
