#include "http/curl.hpp"

#include <mutex>
#include <string>

namespace teltubby::http {

void ensure_curl_global_init() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (result != CURLE_OK) {
    throw FatalError(std::string("libcurl initialisation failed: ") + curl_easy_strerror(result));
  }
}

CurlEasy make_curl_easy() {
  ensure_curl_global_init();
  CurlEasy handle(curl_easy_init());
  if (!handle) throw FatalError("libcurl could not create a handle (out of memory?)");
  return handle;
}

void append_header(CurlSlist& list, std::string_view line) {
  std::string copy(line);
  curl_slist* grown = curl_slist_append(list.get(), copy.c_str());
  if (grown == nullptr) throw FatalError("libcurl could not allocate a header list");
  (void)list.release();  // `grown` now owns the old nodes too
  list.reset(grown);
}

Error curl_error(CURLcode code, std::string_view detail, std::string_view url_for_message) {
  std::string text = curl_easy_strerror(code);
  if (!detail.empty()) text += std::string(" (") + std::string(detail) + ")";
  text += std::string(" for ") + std::string(url_for_message);
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return Error{ErrorKind::retryable, "http.timeout", std::move(text), {}};
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return Error{ErrorKind::retryable, "http.connect", std::move(text), {}};
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SEND_FAIL_REWIND:
      return Error{ErrorKind::retryable, "http.network", std::move(text), {}};
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_USE_SSL_FAILED:
      return Error{ErrorKind::permanent, "http.tls", std::move(text), {}};
    case CURLE_ABORTED_BY_CALLBACK:
    case CURLE_READ_ERROR:
    case CURLE_WRITE_ERROR:
      return Error{ErrorKind::permanent, "http.aborted", std::move(text), {}};
    default:
      return Error{ErrorKind::permanent, "http.request", std::move(text), {}};
  }
}

}  // namespace teltubby::http
