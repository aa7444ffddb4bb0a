#pragma once
// The neutral request/reply the HTTP layer (server.cpp) hands to the API handlers,
// so the handlers are plain functions over the world, testable without sockets.
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "world.hpp"

namespace fake_world {

struct Upload {
  std::string filename, content_type, content;
};

struct ApiRequest {
  Json params = Json::object();            // query, form, JSON body and multipart text fields, merged
  std::map<std::string, Upload> uploads;   // multipart parts that carry a file name
  std::string range;                       // the Range header, if any
};

// Generated (or uploaded) file bytes, streamed by the HTTP layer.
struct FileStream {
  std::uint64_t seed = 0;
  std::optional<std::string> data;         // uploaded bytes instead of generated ones
  std::uint64_t offset = 0, length = 0;
  std::uint64_t truncate_after = std::numeric_limits<std::uint64_t>::max();  // cut the connection after this many bytes
  std::uint64_t bytes_per_second = 0;      // 0 = unlimited
};

struct ApiReply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<FileStream> stream;
  double hang_seconds = 0;                 // hold the connection this long (or until shutdown) first
};

// {"ok":true,"result":...} (https://core.telegram.org/bots/api#making-requests)
ApiReply bot_ok(const Json& result, const std::string& description = "");
// {"ok":false,"error_code":N,"description":"...","parameters":{"retry_after":N}}
ApiReply bot_error(const ApiError& error);
// Account/control API error: {"error":"CODE","message":"...","retry_after":N}
ApiReply control_error(const ApiError& error);
ApiReply control_ok(const Json& body);

// Parses "bytes=a-b" against a file of `size` bytes into (offset, length); nullopt = unsatisfiable.
std::optional<std::pair<std::uint64_t, std::uint64_t>> parse_range(const std::string& header, std::uint64_t size);

}  // namespace fake_world
