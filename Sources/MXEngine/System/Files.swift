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

/// A file that must be UTF-8 text (CSV, JSON): other bytes are an error that says
/// where, not characters silently replaced.
public func readUTF8File(_ path: String) throws -> String { try readTextFile(path) }

/// Reads a whole UTF-8 file. (No Foundation: start-up time matters for `mxsh -c`.)
/// Bytes that are not UTF-8 are an error naming the line and column, never replaced
/// and sent on; a file larger than `limit` bytes (or endless, /dev/zero) is an error.
public func readTextFile(_ path: String, limit: Int = 1 << 30) throws -> String {
    guard let f = fopen(path, "rb") else { throw FileError(message: "cannot read \(path): \(reason())") }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    // A regular file is read straight into an array of its size (a long script is
    // megabytes: growing the array chunk by chunk copied it over and over).
    var info = stat()
    if fstat(fileno(f), &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size > 0, Int(info.st_size) <= limit {
        let size = Int(info.st_size)
        bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = fread(buffer.baseAddress, 1, size, f)
        }
    }
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, f)
        if n > 0 { bytes.append(contentsOf: buffer[0..<n]) }
        if bytes.count > limit { throw FileError(message: "cannot read \(path): larger than \(limit) bytes") }
        if n < buffer.count {
            if ferror(f) != 0 { throw FileError(message: "cannot read \(path): \(reason())") }
            break
        }
    }
    // The standard library's check is many times faster than ours; ours says where.
    if let text = String(validating: bytes, as: UTF8.self) { return text }
    try checkUTF8(bytes, file: path)
    return String(decoding: bytes, as: UTF8.self)
}

/// Throws, naming `file:line:column`, at the first byte that is not UTF-8.
public func checkUTF8<C: Collection>(_ bytes: C, file: String, firstLine: Int = 1, firstColumn: Int = 1) throws
where C.Element == UInt8, C.Index == Int {
    guard let bad = firstInvalidUTF8(bytes) else { return }
    var line = firstLine, column = firstColumn
    for b in bytes[bytes.startIndex..<bad] {
        if b == 10 { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
    }
    let byte = bytes[bad]
    let hex = Array("0123456789ABCDEF".utf8)
    throw FileError(
        message:
            "\(file):\(line):\(column): invalid UTF-8 (byte "
            + "0x\(String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)))"
    )
}

/// The index of the first byte that does not start or continue a valid UTF-8 sequence.
func firstInvalidUTF8<C: Collection>(_ bytes: C) -> Int? where C.Element == UInt8, C.Index == Int {
    var i = bytes.startIndex
    let end = bytes.endIndex
    while i < end {
        let b = bytes[i]
        if b < 0x80 { i += 1; continue }
        let (count, low, high): (Int, UInt8, UInt8)
        switch b {
        case 0xC2...0xDF: (count, low, high) = (1, 0x80, 0xBF)
        case 0xE0: (count, low, high) = (2, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (count, low, high) = (2, 0x80, 0xBF)
        case 0xED: (count, low, high) = (2, 0x80, 0x9F)
        case 0xF0: (count, low, high) = (3, 0x90, 0xBF)
        case 0xF1...0xF3: (count, low, high) = (3, 0x80, 0xBF)
        case 0xF4: (count, low, high) = (3, 0x80, 0x8F)
        default: return i
        }
        guard i + count < end, (low...high).contains(bytes[i + 1]) else { return i }
        for j in 2..<(count + 1) where bytes[i + j] & 0xC0 != 0x80 { return i }
        i += count + 1
    }
    return nil
}

/// Writes a file through a fresh temporary file in the same folder (O_CREAT|O_EXCL|
/// O_NOFOLLOW, so a link planted there is never followed) and a rename, so a reader
/// never sees half of it and a link at `path` is replaced, not written through.
/// `mode` is the new file's (0600 for anything private).
public func writeTextFile(_ path: String, _ text: String, mode: mode_t = 0o644) throws {
    try writePrivateFile(path, Array(text.utf8), mode: mode)
}

/// `writeTextFile` for bytes; `replace: false` refuses to replace an existing file.
public func writePrivateFile(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o600, replace: Bool = true) throws {
    let file = try StreamedFile(path, mode: mode)
    try file.write(bytes: bytes)
    try file.commit(replace: replace)
}

/// Reads a whole regular file's bytes: a device, FIFO or directory is refused (opened
/// without blocking, so a FIFO never hangs the run; /dev/zero never ends), and a file
/// larger than `limit` bytes is an error naming it.
public func readBinaryFile(_ path: String, limit: Int) throws -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else { throw FileError(message: "cannot read \(path): \(reason())") }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw FileError(message: "cannot read \(path): \(reason())") }
    guard info.st_mode & S_IFMT == S_IFREG else {
        throw FileError(message: "cannot read \(path): not a regular file")
    }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = read(fd, &buffer, buffer.count)
        if n < 0 {
            if errno == EINTR { continue }
            throw FileError(message: "cannot read \(path): \(reason())")
        }
        if n == 0 { break }
        bytes.append(contentsOf: buffer[0..<n])
        if bytes.count > limit { throw FileError(message: "cannot read \(path): larger than \(limit) bytes") }
    }
    return bytes
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

/// Why a file that may hold credentials is not to be trusted, or nil: as ssh judges
/// its configuration, the file must be owned by this user (or root), written by no one
/// else, and so must every folder above it up to the home folder (or the root).
func untrustedReason(_ path: String) -> String? {
    var st = stat()
    guard lstat(path, &st) == 0 else { return nil }
    let me = geteuid()
    if st.st_mode & S_IFMT == S_IFLNK, stat(path, &st) != 0 { return nil }
    if st.st_uid != me && st.st_uid != 0 { return "\(path) is owned by another user (uid \(st.st_uid))" }
    if st.st_mode & 0o022 != 0 { return "\(path) can be written by others" }
    let home = environmentValue("HOME").map { $0.hasSuffix("/") && $0.count > 1 ? String($0.dropLast()) : $0 }
    var dir = path.hasPrefix("/") ? path : (currentDirectory() + "/" + path)
    while let slash = dir.lastIndex(of: "/") {
        dir = slash == dir.startIndex ? "/" : String(dir[..<slash])
        guard stat(dir, &st) == 0 else { break }
        if st.st_uid != me && st.st_uid != 0 { return "the folder \(dir) is owned by another user (uid \(st.st_uid))" }
        if st.st_mode & 0o022 != 0 { return "the folder \(dir) can be written by others" }
        if dir == "/" || dir == home { break }
    }
    return nil
}

func currentDirectory() -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    guard getcwd(&buffer, buffer.count) != nil else { return "." }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
