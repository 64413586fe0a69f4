#ifndef MX_CURL_SHIM_H
#define MX_CURL_SHIM_H
#include <curl/curl.h>

// libcurl, opened with dlopen on first use (see shim.c for why), and typed wrappers
// for its variadic setters and getters, which Swift cannot call.

/// 1 when libcurl is loaded (loads it on the first call), 0 when it cannot be found.
int mx_curl_load(void);
CURLcode mx_curl_global_init(long flags);
CURL *mx_curl_easy_init(void);
void mx_curl_easy_cleanup(CURL *h);
const char *mx_curl_easy_strerror(CURLcode c);
CURLM *mx_curl_multi_init(void);
CURLMcode mx_curl_multi_cleanup(CURLM *m);
CURLMcode mx_curl_multi_add_handle(CURLM *m, CURL *h);
CURLMcode mx_curl_multi_remove_handle(CURLM *m, CURL *h);
CURLMcode mx_curl_multi_perform(CURLM *m, int *running);
CURLMcode mx_curl_multi_poll(CURLM *m, struct curl_waitfd *fds, unsigned int n, int timeout_ms, int *ret);
CURLMcode mx_curl_multi_wakeup(CURLM *m);
CURLMsg *mx_curl_multi_info_read(CURLM *m, int *left);
struct curl_slist *mx_curl_slist_append(struct curl_slist *l, const char *s);
void mx_curl_slist_free_all(struct curl_slist *l);

typedef size_t (*mx_curl_data_fn)(char *data, size_t size, size_t count, void *user);

CURLcode mx_easy_setopt_long(CURL *h, CURLoption o, long v);
CURLcode mx_easy_setopt_string(CURL *h, CURLoption o, const char *v);
CURLcode mx_easy_setopt_pointer(CURL *h, CURLoption o, void *v);
CURLcode mx_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v);
CURLcode mx_easy_setopt_data_fn(CURL *h, CURLoption o, mx_curl_data_fn v);
CURLcode mx_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v);
CURLcode mx_easy_getinfo_long(CURL *h, CURLINFO i, long *v);
CURLcode mx_easy_getinfo_pointer(CURL *h, CURLINFO i, void **v);
CURLMcode mx_multi_setopt_long(CURLM *m, CURLMoption o, long v);

#endif
