#include "http/http_client.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>

#include "core/log.hpp"

namespace teltubby::http {

namespace {

// State shared with libcurl's callbacks for one request.
struct Transfer {
  CURL* handle = nullptr;
  const Request* request = nullptr;
  Response response;
  std::size_t memory_body_offset = 0;
  std::optional<Error> callback_error;  // the first error a callback of ours produced
};

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    transfer->response.headers = Headers{};  // a new status line: drop a 100 Continue's headers
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    transfer->response.headers.add(std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
  }
  return size * count;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t length = size * count;
  long status = 0;
  curl_easy_getinfo(transfer->handle, CURLINFO_RESPONSE_CODE, &status);
  if (transfer->request->response_sink && status >= 200 && status < 300) {
    auto written = transfer->request->response_sink(
        std::span<const std::byte>(reinterpret_cast<const std::byte*>(data), length));
    if (!written) {
      transfer->callback_error = written.error();
      return 0;  // any count other than `length` aborts the transfer
    }
    return length;
  }
  transfer->response.body.append(data, length);
  return length;
}

std::size_t on_read(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t capacity = size * count;
  const Request& request = *transfer->request;
  if (!request.body_reader) {
    const std::size_t remaining = request.body.size() - transfer->memory_body_offset;
    const std::size_t n = std::min(remaining, capacity);
    std::memcpy(buffer, request.body.data() + transfer->memory_body_offset, n);
    transfer->memory_body_offset += n;
    return n;
  }
  auto produced = request.body_reader(std::span<std::byte>(reinterpret_cast<std::byte*>(buffer), capacity));
  if (!produced) {
    transfer->callback_error = produced.error();
    return CURL_READFUNC_ABORT;
  }
  return std::min(*produced, capacity);
}

// Lets curl re-send a memory body (e.g. after a connection the server closed while idle);
// streamed bodies cannot be rewound, which curl then reports as an error.
int on_seek(void* user, curl_off_t offset, int origin) {
  auto* transfer = static_cast<Transfer*>(user);
  if (transfer->request->body_reader || origin != SEEK_SET || offset < 0 ||
      static_cast<std::uint64_t>(offset) > transfer->request->body.size()) {
    return CURL_SEEKFUNC_CANTSEEK;
  }
  transfer->memory_body_offset = static_cast<std::size_t>(offset);
  return CURL_SEEKFUNC_OK;
}

// Non-zero ends the transfer (CURLE_ABORTED_BY_CALLBACK) once the caller asks to stop.
int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* transfer = static_cast<const Transfer*>(user);
  return transfer->request->should_abort() ? 1 : 0;
}

// Option setting fails only for unknown options or out of memory: broken set-up.
template <class T>
void set_option(CURL* handle, CURLoption option, T value) {
  CURLcode code = curl_easy_setopt(handle, option, value);
  if (code != CURLE_OK) throw FatalError(std::string("libcurl option rejected: ") + curl_easy_strerror(code));
}

}  // namespace

bool is_valid_method(std::string_view method) {
  return !method.empty() && method.size() <= 16 &&
         std::all_of(method.begin(), method.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

HttpClient::HttpClient(ClientOptions options) : options_(std::move(options)), handle_(make_curl_easy()) {}

Result<Response> HttpClient::perform(const Request& request) {
  const std::string safe_url = redact(request.url);
  if (!is_valid_method(request.method)) {
    return fail(ErrorKind::invalid_input, "http.request", "invalid HTTP method for " + safe_url);
  }
  if (!request.url.starts_with("http://") && !request.url.starts_with("https://")) {
    return fail(ErrorKind::invalid_input, "http.request", "only http:// and https:// URLs are supported: " + safe_url);
  }

  CURL* handle = handle_.get();
  curl_easy_reset(handle);  // forgets options, keeps the connection cache
  Transfer transfer;
  transfer.handle = handle;
  transfer.request = &request;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};

  set_option(handle, CURLOPT_URL, request.url.c_str());
  set_option(handle, CURLOPT_NOSIGNAL, 1L);
  set_option(handle, CURLOPT_ERRORBUFFER, error_buffer.data());
  set_option(handle, CURLOPT_USERAGENT, options_.user_agent.c_str());
  set_option(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  set_option(handle, CURLOPT_FOLLOWLOCATION, 0L);
  set_option(handle, CURLOPT_SSL_VERIFYPEER, options_.tls_verify ? 1L : 0L);
  set_option(handle, CURLOPT_SSL_VERIFYHOST, options_.tls_verify ? 2L : 0L);
  set_option(handle, CURLOPT_TCP_KEEPALIVE, 1L);
  // Larger than curl's 64 KiB default: fewer read callbacks and syscalls for big uploads.
  set_option(handle, CURLOPT_UPLOAD_BUFFERSIZE, 512L * 1024);
  const long timeout_seconds = std::max<long>(1, static_cast<long>(request.timeout.count()));
  set_option(handle, CURLOPT_CONNECTTIMEOUT, timeout_seconds);
  set_option(handle, CURLOPT_LOW_SPEED_LIMIT, 1L);  // bytes per second
  set_option(handle, CURLOPT_LOW_SPEED_TIME, timeout_seconds);
  if (request.total_timeout.count() > 0) set_option(handle, CURLOPT_TIMEOUT, static_cast<long>(request.total_timeout.count()));
  set_option(handle, CURLOPT_HEADERFUNCTION, &on_header);
  set_option(handle, CURLOPT_HEADERDATA, &transfer);
  set_option(handle, CURLOPT_WRITEFUNCTION, &on_body);
  set_option(handle, CURLOPT_WRITEDATA, &transfer);
  set_option(handle, CURLOPT_READFUNCTION, &on_read);
  set_option(handle, CURLOPT_READDATA, &transfer);
  set_option(handle, CURLOPT_SEEKFUNCTION, &on_seek);
  set_option(handle, CURLOPT_SEEKDATA, &transfer);

  const bool has_body = request.body_reader || !request.body.empty();
  const auto body_length =
      static_cast<curl_off_t>(request.body_reader ? request.body_length : request.body.size());
  if (request.method == "GET" && !has_body) {
    set_option(handle, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    set_option(handle, CURLOPT_NOBODY, 1L);
  } else if (request.method == "POST") {
    set_option(handle, CURLOPT_POST, 1L);
    set_option(handle, CURLOPT_POSTFIELDSIZE_LARGE, body_length);
  } else if (has_body || request.method == "PUT") {
    set_option(handle, CURLOPT_UPLOAD, 1L);
    set_option(handle, CURLOPT_INFILESIZE_LARGE, body_length);
    if (request.method != "PUT") set_option(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  } else {
    set_option(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }

  CurlSlist header_list;
  for (const auto& [name, value] : request.headers.entries()) {
    if (name.find_first_of(":\r\n") != std::string::npos || value.find_first_of("\r\n") != std::string::npos) {
      return fail(ErrorKind::invalid_input, "http.request", "header with a line break or colon in its name for " + safe_url);
    }
    // "Name;" is curl's way to send a header with an empty value.
    append_header(header_list, value.empty() ? name + ";" : name + ": " + value);
  }
  // No "Expect: 100-continue" round trip before every large upload.
  append_header(header_list, "Expect:");
  set_option(handle, CURLOPT_HTTPHEADER, header_list.get());

  if (request.should_abort) {
    set_option(handle, CURLOPT_NOPROGRESS, 0L);
    set_option(handle, CURLOPT_XFERINFOFUNCTION, &on_progress);
    set_option(handle, CURLOPT_XFERINFODATA, &transfer);
  }

  const CURLcode code = curl_easy_perform(handle);
  if (code == CURLE_ABORTED_BY_CALLBACK && request.should_abort && request.should_abort()) {
    return fail(ErrorKind::cancelled, "http.cancelled", "request cancelled: " + safe_url);
  }
  if (transfer.callback_error) return std::unexpected(*transfer.callback_error);
  if (code != CURLE_OK) return std::unexpected(curl_error(code, error_buffer.data(), safe_url));
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &transfer.response.status);
  return std::move(transfer.response);
}

}  // namespace teltubby::http
