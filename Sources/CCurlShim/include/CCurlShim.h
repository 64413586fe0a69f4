#ifndef MX_CURL_SHIM_H
#define MX_CURL_SHIM_H
#include <curl/curl.h>

// Typed wrappers for libcurl's variadic setters and getters, which Swift cannot call.
// One function per argument type; nothing else lives here.

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
