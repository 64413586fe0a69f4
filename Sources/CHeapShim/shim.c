#define _GNU_SOURCE
#include "CHeapShim.h"
#include <malloc.h>
#include <sys/syscall.h>
#include <unistd.h>

int mx_heap_set_top_pad(int bytes) { return mallopt(M_TOP_PAD, bytes); }
int mx_heap_set_trim_threshold(int bytes) { return mallopt(M_TRIM_THRESHOLD, bytes); }
int mx_heap_set_mmap_threshold(int bytes) { return mallopt(M_MMAP_THRESHOLD, bytes); }
int mx_heap_is_main_thread(void) { return getpid() == (pid_t)syscall(SYS_gettid); }
