#pragma once
// RAII ownership of libcurl handles and the one place where libcurl's error codes
// become our `Error`.
#include <memory>
#include <string_view>

#include <curl/curl.h>

#include "core/error.hpp"

namespace teltubby::http {

struct CurlEasyDeleter {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;

struct CurlSlistDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;

// Initialises libcurl once per process (thread-safe); throws FatalError when it cannot.
void ensure_curl_global_init();

// A new easy handle; throws FatalError when libcurl cannot allocate one (broken set-up).
CurlEasy make_curl_easy();

// Appends one "Name: value" line; throws FatalError on allocation failure.
void append_header(CurlSlist& list, std::string_view line);

// Transport failures: timeouts, refused/reset connections and DNS trouble are retryable
// ("http.timeout", "http.connect", "http.network"); TLS and malformed-request problems are
// permanent ("http.tls", "http.request"); an abort from one of our callbacks is
// "http.aborted" (the callback's own error is reported instead where known).
// `detail` is libcurl's error buffer text; `url_for_message` must already be redacted.
Error curl_error(CURLcode code, std::string_view detail, std::string_view url_for_message);

}  // namespace teltubby::http
