#include "api_types.hpp"

#include <charconv>

namespace fake_world {

ApiReply bot_ok(const Json& result, const std::string& description) {
  Json body{{"ok", true}, {"result", result}};
  if (!description.empty()) body["description"] = description;
  ApiReply reply;
  reply.body = body.dump();
  return reply;
}

ApiReply bot_error(const ApiError& error) {
  Json body{{"ok", false}, {"error_code", error.status}, {"description", error.description}};
  if (error.retry_after > 0) body["parameters"] = Json{{"retry_after", error.retry_after}};
  ApiReply reply;
  reply.status = error.status;
  reply.body = body.dump();
  if (error.retry_after > 0) reply.headers.emplace_back("Retry-After", std::to_string(error.retry_after));
  return reply;
}

ApiReply control_error(const ApiError& error) {
  Json body{{"error", error.code}, {"message", error.description}};
  if (error.retry_after > 0) body["retry_after"] = error.retry_after;
  ApiReply reply;
  reply.status = error.status;
  reply.body = body.dump();
  return reply;
}

ApiReply control_ok(const Json& body) {
  ApiReply reply;
  reply.body = body.dump();
  return reply;
}

std::optional<std::pair<std::uint64_t, std::uint64_t>> parse_range(const std::string& header, std::uint64_t size) {
  if (!header.starts_with("bytes=") || header.find(',') != std::string::npos) return std::nullopt;
  const std::string spec = header.substr(6);
  const auto dash = spec.find('-');
  if (dash == std::string::npos) return std::nullopt;
  auto number = [](const std::string& text) -> std::optional<std::uint64_t> {
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
  };
  const std::string first = spec.substr(0, dash);
  const std::string last = spec.substr(dash + 1);
  if (first.empty()) {  // suffix: the last N bytes
    const auto n = number(last);
    if (!n || *n == 0 || size == 0) return std::nullopt;
    const std::uint64_t length = std::min(*n, size);
    return std::pair{size - length, length};
  }
  const auto start = number(first);
  if (!start || *start >= size) return std::nullopt;
  std::uint64_t end = size - 1;
  if (!last.empty()) {
    const auto e = number(last);
    if (!e || *e < *start) return std::nullopt;
    end = std::min(*e, size - 1);
  }
  return std::pair{*start, end - *start + 1};
}

}  // namespace fake_world
