#if canImport(Glibc)
    import Glibc

    // <malloc.h> is not in Glibc's module: its one function used here, and the values
    // of its parameters (glibc's malloc.h).
    @_silgen_name("mallopt") private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
    // Nor is glibc's gettid (2.30 and later): the main thread's id is the process's.
    @_silgen_name("gettid") private func gettid() -> pid_t
    private let M_TRIM_THRESHOLD: Int32 = -1
    private let M_TOP_PAD: Int32 = -2
    private let M_MMAP_THRESHOLD: Int32 = -3
    private let M_ARENA_MAX: Int32 = -8
    /// Bytes `reserveHeap` has readied (the main thread's alone reads and writes it).
    nonisolated(unsafe) private var heapReserved = 0
    nonisolated(unsafe) private var heapProbe: UnsafeMutableRawPointer?

    /// Readies the main thread's heap for the tree of a long script: `bytes` of heap,
    /// asked for once, in huge pages where the kernel gives them (transparent huge pages
    /// in `madvise` mode, Debian's default).
    ///
    /// Why: the tree of a 5 MB script is some 80 MB of small allocations, and glibc grows
    /// the heap a 4 KB page at a time, each page a fault on first touch: a fifth of the
    /// parser's time. In 2 MB pages the faults are 500 times fewer. glibc does this itself
    /// with `GLIBC_TUNABLES=glibc.malloc.hugetlb=1`, which a program cannot set for itself
    /// once started; this is the same done once, for the one heap that matters.
    ///
    /// The heap is extended by `bytes` (allocated and freed at once, from the heap and not
    /// a mapping of its own, then kept rather than given back), and the extension marked
    /// for huge pages. Without transparent huge pages it is only a heap grown in one step.
    public func reserveHeap(bytes: Int) {
        let twoMB = 2 << 20
        // The main thread's heap only (the one `sbrk` grows), and only what is not
        // reserved yet: reading a long script reserves for its tree, checking it finds
        // that done.
        guard getpid() == gettid(), bytes - heapReserved >= twoMB else { return }
        let more = bytes - heapReserved
        // Up to 32 MB (glibc's largest) comes from the heap, not a mapping of its own, and
        // a free top of the heap is kept, not handed back to the kernel.
        _ = mallopt(M_MMAP_THRESHOLD, 32 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, Int32(clamping: bytes * 2 + (32 << 20)))
        _ = mallopt(M_TOP_PAD, Int32(clamping: more))
        // Kept where the optimiser must assume it is used: a malloc freed at once is
        // otherwise removed, and the heap never grows.
        guard let before = sbrk(0) else { return }
        heapProbe = malloc(16 << 20)
        guard let probe = heapProbe else { return }
        if let after = sbrk(0) {
            let start = (Int(bitPattern: before) + twoMB - 1) & ~(twoMB - 1)
            let end = Int(bitPattern: after) & ~(twoMB - 1)
            if end > start { _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_HUGEPAGE) }
        }
        free(probe)
        heapProbe = nil
        heapReserved = bytes
        // Later growth is in ordinary steps again.
        _ = mallopt(M_TOP_PAD, 128 << 10)
    }

    /// Runs `body` with threads it starts allocating from the main thread's heap (the one
    /// `reserveHeap` readied) rather than an arena of their own, grown a page at a time.
    /// glibc's per-thread caches keep the two threads from contending for it.
    public func withOneHeap<T>(_ body: () -> T) -> T {
        _ = mallopt(M_ARENA_MAX, 1)
        defer { _ = mallopt(M_ARENA_MAX, 0) }  // 0: glibc's default again
        return body()
    }
#else
    public func reserveHeap(bytes: Int) {}
    public func withOneHeap<T>(_ body: () -> T) -> T { body() }
#endif
