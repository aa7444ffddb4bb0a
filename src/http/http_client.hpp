#pragma once
// A small, general HTTP client over libcurl. One `HttpClient` owns one easy handle, so
// consecutive requests reuse the connection (keep-alive). It is NOT thread-safe: use one
// client per thread (or a pool). Nothing here knows about S3 or Telegram.
//
//   HttpClient client;
//   auto response = client.perform({.method = "GET", .url = "http://127.0.0.1:9000/x"});
//
// URLs are passed through redact() before they appear in any error text or log line,
// because Telegram Bot API URLs carry the bot token.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "core/error.hpp"
#include "http/curl.hpp"
#include "http/headers.hpp"

namespace teltubby::http {

// Fills `buffer` with the next bytes of a streamed request body and returns how many;
// 0 means the end. An error aborts the request and is returned by perform().
using BodyReader = std::function<Result<std::size_t>(std::span<std::byte> buffer)>;
// Receives the response body piece by piece; an error aborts the request.
using BodySink = std::function<Status(std::span<const std::byte> bytes)>;

struct Request {
  std::string method = "GET";
  std::string url;
  Headers headers;
  // The request body when `body_reader` is empty.
  std::string body;
  // A streamed request body of exactly `body_length` bytes (Content-Length is sent).
  BodyReader body_reader;
  std::uint64_t body_length = 0;
  // When set, a 2xx response body is streamed here instead of into Response::body.
  // Bodies of other statuses are always collected (they are small error documents).
  BodySink response_sink;
  // Connecting, or no byte moving in either direction, for this long fails the request
  // with the retryable "http.timeout". Whole seconds; at least 1.
  std::chrono::seconds timeout{60};
  // Upper bound on the whole request; 0 means no limit (large transfers may take long).
  std::chrono::seconds total_timeout{0};
  // Polled about once a second (and on every transfer step) while the request runs;
  // returning true ends it with the error kind `cancelled`, code "http.cancelled".
  // Lets a long poll end promptly at shutdown. Empty: never aborted.
  std::function<bool()> should_abort;
};

struct Response {
  long status = 0;
  Headers headers;  // of the final response (a 100 Continue's headers are dropped)
  std::string body;
};

struct ClientOptions {
  bool tls_verify = true;  // false only when the operator asked for it (self-signed MinIO)
  std::string user_agent = "teltubby";
};

class HttpClient {
 public:
  explicit HttpClient(ClientOptions options = {});
  HttpClient(HttpClient&&) noexcept = default;
  HttpClient& operator=(HttpClient&&) noexcept = default;

  // Transport failures come back as errors (see curl_error()); any HTTP status, 4xx and
  // 5xx included, is a successful Response for the caller to interpret.
  Result<Response> perform(const Request& request);

 private:
  ClientOptions options_;
  CurlEasy handle_;
};

// A request method name is accepted when it is a plain token (letters only).
bool is_valid_method(std::string_view method);

}  // namespace teltubby::http
