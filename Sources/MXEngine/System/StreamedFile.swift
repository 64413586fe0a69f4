#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file written a piece at a time (an export of 100,000 domains, never held whole)
/// through a fresh private temporary file in the same folder, opened O_CREAT|O_EXCL|
/// O_NOFOLLOW so a link planted there is never followed, and renamed into place by
/// `commit`: a reader never sees half of it, and a run that fails before the end (a
/// page the vendor refused) leaves `path` as it was, with no partial file beside it.
public final class StreamedFile {
    public let path: String
    private let temporary: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var finished = false

    /// Writes are gathered to this size: one system call per 64 KB, not per row.
    private static let bufferSize = 1 << 16

    public init(_ path: String, mode: mode_t = 0o644) throws(FileError) {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var fd: Int32 = -1
        var tmp = ""
        for _ in 0..<16 {
            tmp = dir + "/." + base + ".tmp-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw FileError(message: "cannot write \(path): \(String(cString: strerror(errno)))") }
        self.fd = fd
        temporary = tmp
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit { abandon() }

    public func write(_ text: String) throws(FileError) { try write(bytes: Array(text.utf8)) }

    public func write(bytes: [UInt8]) throws(FileError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.bufferSize { try flush() }
    }

    /// Puts the whole file in place of `path` (`replace: false`: only where there is no
    /// file yet, else an error).
    public func commit(replace: Bool = true) throws(FileError) {
        try flush()
        let closed = close(fd) == 0
        fd = -1
        guard closed, replace ? rename(temporary, path) == 0 : link(temporary, path) == 0 else {
            let why = String(cString: strerror(errno))
            abandon()
            throw FileError(message: "cannot write \(path): \(why)")
        }
        if !replace { unlink(temporary) }
        finished = true
    }

    /// Removes the temporary file; `path` is left as it was. Nothing once committed.
    public func abandon() {
        guard !finished else { return }
        finished = true
        if fd >= 0 { close(fd) }
        fd = -1
        unlink(temporary)
    }

    private func flush() throws(FileError) {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { writeDescriptor(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 {
                let why = String(cString: strerror(errno))
                abandon()
                throw FileError(message: "cannot write \(path): \(why)")
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// `write(2)`, by a name the class's own `write` does not hide.
private func writeDescriptor(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, bytes, count)
}
