#if canImport(Glibc)
    import CHeapShim
    import Glibc

    /// Bytes `reserveHeap` has readied (the main thread's alone reads and writes it).
    nonisolated(unsafe) private var heapReserved = 0
    /// Where the optimiser must assume a block is used: a malloc freed at once is
    /// otherwise removed, and the heap never grows.
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
    /// The heap is extended by `bytes` (a block allocated and freed at once, from the heap
    /// and not a mapping of its own), the extension marked for huge pages, and its free top
    /// kept until `releaseHeapReserve`. Without transparent huge pages it is only a heap
    /// grown in one step. What stays changed for the process: blocks up to 32 MB come from
    /// the heap (glibc's own threshold moves up to that as large blocks are freed).
    public func reserveHeap(bytes: Int) {
        let twoMB = 2 << 20
        // The main thread's heap only (the one `sbrk` grows), and only what is not
        // reserved yet: reading a long script reserves for its tree, checking it finds
        // that done.
        guard mx_heap_is_main_thread() == 1, bytes - heapReserved >= twoMB else { return }
        _ = mx_heap_set_mmap_threshold(32 << 20)
        _ = mx_heap_set_trim_threshold(Int32(clamping: bytes * 2 + (32 << 20)))
        _ = mx_heap_set_top_pad(Int32(clamping: bytes - heapReserved))
        // Later growth is in ordinary steps again (glibc's default pad), whatever happens.
        defer { _ = mx_heap_set_top_pad(128 << 10) }
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
    }

    /// The parse is done: a free top of the heap goes back to the kernel again, as glibc
    /// does by default (a long `run` does not keep what the tree did not use).
    public func releaseHeapReserve() {
        guard mx_heap_is_main_thread() == 1, heapReserved > 0 else { return }
        _ = mx_heap_set_trim_threshold(128 << 10)
        heapReserved = 0
    }
#else
    public func reserveHeap(bytes: Int) {}
    public func releaseHeapReserve() {}
#endif
