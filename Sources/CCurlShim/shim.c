#include "CCurlShim.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

// libcurl is opened on first use, not linked: a script that never speaks HTTP (most
// of `mxsh -c`, the memory vendor, `mxsh check`) then does not pay for loading and
// relocating libcurl and the forty libraries it pulls in (TLS, Kerberos, LDAP...),
// which made up most of mxsh's start-up time.

static struct {
    void *lib;
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    const char *(*easy_strerror)(CURLcode);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_cleanup)(CURLM *);
    CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
    CURLMcode (*multi_add_handle)(CURLM *, CURL *);
    CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
    CURLMcode (*multi_perform)(CURLM *, int *);
    CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd *, unsigned int, int, int *);
    CURLMcode (*multi_wakeup)(CURLM *);
    CURLMsg *(*multi_info_read)(CURLM *, int *);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} curl;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded = 0;

#define FIND(field, name) if (!(*(void **)&curl.field = dlsym(curl.lib, name))) return;

static void load(void) {
    curl.lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!curl.lib) curl.lib = dlopen("libcurl.so", RTLD_NOW | RTLD_LOCAL);
    if (!curl.lib) return;
    FIND(global_init, "curl_global_init")
    FIND(easy_init, "curl_easy_init")
    FIND(easy_cleanup, "curl_easy_cleanup")
    FIND(easy_setopt, "curl_easy_setopt")
    FIND(easy_getinfo, "curl_easy_getinfo")
    FIND(easy_strerror, "curl_easy_strerror")
    FIND(multi_init, "curl_multi_init")
    FIND(multi_cleanup, "curl_multi_cleanup")
    FIND(multi_setopt, "curl_multi_setopt")
    FIND(multi_add_handle, "curl_multi_add_handle")
    FIND(multi_remove_handle, "curl_multi_remove_handle")
    FIND(multi_perform, "curl_multi_perform")
    FIND(multi_poll, "curl_multi_poll")
    FIND(multi_wakeup, "curl_multi_wakeup")
    FIND(multi_info_read, "curl_multi_info_read")
    FIND(slist_append, "curl_slist_append")
    FIND(slist_free_all, "curl_slist_free_all")
    loaded = 1;
}

int mx_curl_load(void) {
    pthread_once(&once, load);
    return loaded;
}

// Callers check mx_curl_load() once (HTTPClient's start) before any of these.
CURLcode mx_curl_global_init(long flags) { return curl.global_init(flags); }
CURL *mx_curl_easy_init(void) { return curl.easy_init(); }
void mx_curl_easy_cleanup(CURL *h) { curl.easy_cleanup(h); }
const char *mx_curl_easy_strerror(CURLcode c) { return curl.easy_strerror(c); }
CURLM *mx_curl_multi_init(void) { return curl.multi_init(); }
CURLMcode mx_curl_multi_cleanup(CURLM *m) { return curl.multi_cleanup(m); }
CURLMcode mx_curl_multi_add_handle(CURLM *m, CURL *h) { return curl.multi_add_handle(m, h); }
CURLMcode mx_curl_multi_remove_handle(CURLM *m, CURL *h) { return curl.multi_remove_handle(m, h); }
CURLMcode mx_curl_multi_perform(CURLM *m, int *running) { return curl.multi_perform(m, running); }
CURLMcode mx_curl_multi_poll(CURLM *m, struct curl_waitfd *fds, unsigned int n, int timeout_ms, int *ret) {
    return curl.multi_poll(m, fds, n, timeout_ms, ret);
}
CURLMcode mx_curl_multi_wakeup(CURLM *m) { return curl.multi_wakeup(m); }
CURLMsg *mx_curl_multi_info_read(CURLM *m, int *left) { return curl.multi_info_read(m, left); }
struct curl_slist *mx_curl_slist_append(struct curl_slist *l, const char *s) { return curl.slist_append(l, s); }
void mx_curl_slist_free_all(struct curl_slist *l) { curl.slist_free_all(l); }

// Typed wrappers for libcurl's variadic setters and getters, which Swift cannot call.
CURLcode mx_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl.easy_setopt(h, o, v); }
CURLcode mx_easy_setopt_string(CURL *h, CURLoption o, const char *v) { return curl.easy_setopt(h, o, v); }
CURLcode mx_easy_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl.easy_setopt(h, o, v); }
CURLcode mx_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl.easy_setopt(h, o, v); }
CURLcode mx_easy_setopt_data_fn(CURL *h, CURLoption o, mx_curl_data_fn v) { return curl.easy_setopt(h, o, v); }
CURLcode mx_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl.easy_setopt(h, o, v); }
CURLcode mx_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl.easy_getinfo(h, i, v); }
CURLcode mx_easy_getinfo_pointer(CURL *h, CURLINFO i, void **v) { return curl.easy_getinfo(h, i, v); }
CURLMcode mx_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl.multi_setopt(m, o, v); }
