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

/// Reads a whole UTF-8 file. (No Foundation: start-up time matters for `mxsh -c`.)
public func readTextFile(_ path: String) throws -> String {
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
    return String(decoding: bytes, as: UTF8.self)
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
