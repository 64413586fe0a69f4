#if canImport(Glibc)
    import Glibc
#endif

/// How far down this thread's stack may go before a script is stopped. A script's
/// blocks and def calls recurse in the interpreter: a def nesting 45 `if` blocks and
/// calling itself 199 times (each within its own limit, 128 and 200) needed more than
/// the main thread's 8 MB and died on SIGSEGV. Below the floor the interpreter stops
/// the script with an error at its line instead.
struct StackGuard {
    /// The lowest address a frame may be at; 0 when the thread's stack is not known.
    let floor: UInt

    /// The calling thread's stack, less a margin for what runs below the check (an
    /// expression up to 128 levels deep, a vendor call, JSON and HTTP).
    init() {
        var attributes = pthread_attr_t()
        var base: UnsafeMutableRawPointer?
        var size = 0
        guard let getattr = Self.getattr, getattr(pthread_self(), &attributes) == 0 else {
            floor = 0
            return
        }
        defer { pthread_attr_destroy(&attributes) }
        guard pthread_attr_getstack(&attributes, &base, &size) == 0, let base else {
            floor = 0
            return
        }
        floor = UInt(bitPattern: base) + UInt(min(1 << 20, size / 4))
    }

    /// glibc's `pthread_getattr_np`, which its headers declare only under _GNU_SOURCE
    /// (not set for Swift's Glibc module): found by name, called through its C type.
    private static let getattr: (@convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> CInt)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_getattr_np") else { return nil }
        return unsafeBitCast(
            symbol, to: (@convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> CInt).self)
    }()

    /// The thread whose stack `floor` is on.
    let thread = pthread_self()

    /// Whether the calling thread is near the end of its stack, with the guard kept in
    /// `cache` (made on first use, and again if the value moved to another thread: the
    /// checker is made on one thread and run on another).
    static func exhausted(_ cache: inout StackGuard?) -> Bool {
        if cache == nil || pthread_equal(cache!.thread, pthread_self()) == 0 { cache = StackGuard() }
        return cache!.isExhausted()
    }

    /// Whether the caller's frame is already below the floor.
    @inline(never)
    func isExhausted() -> Bool {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) } < floor
    }
}
