#pragma once
// Typed reads of JSON fields for the message parsers. Every failure is an
// invalid_input Error whose message starts with the field's full path
// ("file_info.file_size: expected a non-negative integer"), so a dead-lettered
// message says exactly what was wrong with it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

// Propagates the error of a Result expression out of the enclosing parser:
//   TT_QUEUE_TRY(size, reader.integer("file_size", 0));  // declares `size`
#define TT_QUEUE_TRY(var, expr)                                    \
  auto var##_result = (expr);                                      \
  if (!var##_result) return std::unexpected(var##_result.error()); \
  auto var = std::move(*var##_result)

namespace teltubby::queue::json_fields {

// Parses `body` as one JSON object: size limit, UTF-8, syntax, object at the top.
// `code` is the Error code used for every failure ("job_message.invalid").
Result<nlohmann::json> parse_object(std::string_view body, std::size_t max_bytes, std::string_view code);

class Reader {
 public:
  // `object` must outlive the reader; `path` is the prefix for error texts ("" at top).
  Reader(const nlohmann::json& object, std::string path, std::string code)
      : object_(object), path_(std::move(path)), code_(std::move(code)) {}

  [[nodiscard]] std::string path_of(std::string_view key) const;
  [[nodiscard]] Error error(std::string_view key, std::string_view what) const;

  Result<std::string> string(std::string_view key) const;  // required, may be empty
  Result<std::string> non_empty_string(std::string_view key) const;
  Result<std::optional<std::string>> optional_string(std::string_view key) const;  // absent/null ok
  Result<std::int64_t> integer(std::string_view key, std::int64_t min) const;
  Result<std::optional<std::int64_t>> optional_integer(std::string_view key, std::int64_t min) const;
  Result<double> number(std::string_view key, double min, double max) const;
  Result<bool> boolean(std::string_view key) const;
  // Telegram ids: an integer, or a string holding one ("-1001234567890"). Ids are
  // emitted as strings, since some are beyond what a JSON double holds exactly.
  Result<std::int64_t> id(std::string_view key) const;
  Result<std::optional<std::int64_t>> optional_id(std::string_view key) const;
  Result<Reader> object(std::string_view key) const;       // required object
  Result<nlohmann::json> any(std::string_view key) const;  // absent -> null

 private:
  Result<const nlohmann::json*> required(std::string_view key) const;
  const nlohmann::json& object_;
  std::string path_;
  std::string code_;
};

}  // namespace teltubby::queue::json_fields
