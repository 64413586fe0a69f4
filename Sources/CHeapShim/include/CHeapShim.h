#ifndef MX_HEAP_SHIM_H
#define MX_HEAP_SHIM_H

/// glibc's malloc tuning and the thread id, which Swift's Glibc module does not offer
/// (<malloc.h> is not in it; gettid() is glibc 2.30 and later).

/// mallopt(M_TOP_PAD, bytes): how much more the main heap grows each time it must grow.
int mx_heap_set_top_pad(int bytes);
/// mallopt(M_TRIM_THRESHOLD, bytes): how much free space at the heap's top is kept
/// rather than handed back to the kernel.
int mx_heap_set_trim_threshold(int bytes);
/// mallopt(M_MMAP_THRESHOLD, bytes): blocks this large or larger get a mapping of their own.
int mx_heap_set_mmap_threshold(int bytes);
/// 1 on the process's main thread (the one whose heap sbrk grows), else 0.
int mx_heap_is_main_thread(void);

#endif
