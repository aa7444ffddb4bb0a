#pragma once
// The request and response our HTTP handlers see. Our own small types rather than
// cpp-httplib's: handlers (health, metrics, the Telegram webhook) stay testable
// without a socket, and only server.cpp includes the library's header.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace teltubby::httpserver {

struct Request {
  std::string method;                                        // "GET", "POST", ...
  std::string path;                                          // without the query string
  std::vector<std::pair<std::string, std::string>> headers;  // as received
  std::map<std::string, std::string> query;                  // decoded; the first value when a key repeats
  std::string body;                                          // at most ServerSettings::max_body_bytes
  std::string remote_address;                                // peer IP address

  // The first header with this name, compared case-insensitively (RFC 9110).
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers; CR/LF in them is dropped

  static Response text(int status, std::string body) {
    return {status, "text/plain; charset=utf-8", std::move(body), {}};
  }
  static Response json(int status, std::string body) {
    return {status, "application/json", std::move(body), {}};
  }
};

}  // namespace teltubby::httpserver
