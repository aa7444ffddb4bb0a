#include "queue/json_fields.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include "queue/text.hpp"

namespace teltubby::queue::json_fields {

using nlohmann::json;

Result<json> parse_object(std::string_view body, std::size_t max_bytes, std::string_view code) {
  if (body.size() > max_bytes) {
    return fail(ErrorKind::invalid_input, std::string(code),
                "body: " + std::to_string(body.size()) + " bytes, more than the limit of " +
                    std::to_string(max_bytes));
  }
  if (const auto bad = first_invalid_utf8(body)) {
    return fail(ErrorKind::invalid_input, std::string(code),
                "body: not UTF-8 (ill-formed byte at offset " + std::to_string(*bad) + ")");
  }
  json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return fail(ErrorKind::invalid_input, std::string(code), "body: not valid JSON");
  if (!parsed.is_object())
    return fail(ErrorKind::invalid_input, std::string(code), "body: not a JSON object");
  return parsed;
}

std::string Reader::path_of(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

Error Reader::error(std::string_view key, std::string_view what) const {
  return Error{ErrorKind::invalid_input, code_, path_of(key) + ": " + std::string(what), {}};
}

Result<const json*> Reader::required(std::string_view key) const {
  const auto it = object_.find(key);
  if (it == object_.end()) return std::unexpected(error(key, "missing"));
  return &*it;
}

Result<std::string> Reader::string(std::string_view key) const {
  auto value = required(key);
  if (!value) return std::unexpected(value.error());
  if (!(*value)->is_string()) return std::unexpected(error(key, "expected a string"));
  return (*value)->get<std::string>();
}

Result<std::string> Reader::non_empty_string(std::string_view key) const {
  auto text = string(key);
  if (text && text->empty()) return std::unexpected(error(key, "must not be empty"));
  return text;
}

Result<std::optional<std::string>> Reader::optional_string(std::string_view key) const {
  const auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return std::optional<std::string>{};
  if (!it->is_string()) return std::unexpected(error(key, "expected a string or null"));
  return std::optional<std::string>{it->get<std::string>()};
}

Result<std::int64_t> Reader::integer(std::string_view key, std::int64_t min) const {
  auto value = required(key);
  if (!value) return std::unexpected(value.error());
  const json& v = **value;
  const std::string expected =
      min == 0 ? "expected a non-negative integer" : "expected an integer >= " + std::to_string(min);
  std::int64_t result = 0;
  if (v.is_number_integer()) {
    if (v.is_number_unsigned() &&
        v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return std::unexpected(error(key, "integer out of range"));
    }
    result = v.get<std::int64_t>();
  } else {
    return std::unexpected(error(key, expected));
  }
  if (result < min) return std::unexpected(error(key, expected));
  return result;
}

Result<std::optional<std::int64_t>> Reader::optional_integer(std::string_view key, std::int64_t min) const {
  const auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return std::optional<std::int64_t>{};
  auto value = integer(key, min);
  if (!value) return std::unexpected(value.error());
  return std::optional<std::int64_t>{*value};
}

Result<double> Reader::number(std::string_view key, double min, double max) const {
  auto value = required(key);
  if (!value) return std::unexpected(value.error());
  if (!(*value)->is_number()) return std::unexpected(error(key, "expected a number"));
  const double number = (*value)->get<double>();
  if (!std::isfinite(number) || number < min || number > max) {
    return std::unexpected(
        error(key, "out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]"));
  }
  return number;
}

Result<bool> Reader::boolean(std::string_view key) const {
  auto value = required(key);
  if (!value) return std::unexpected(value.error());
  if (!(*value)->is_boolean()) return std::unexpected(error(key, "expected true or false"));
  return (*value)->get<bool>();
}

Result<std::int64_t> Reader::id(std::string_view key) const {
  auto value = required(key);
  if (!value) return std::unexpected(value.error());
  const json& v = **value;
  if (v.is_number_integer()) {
    if (v.is_number_unsigned() &&
        v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return std::unexpected(error(key, "id out of range"));
    }
    return v.get<std::int64_t>();
  }
  if (v.is_string()) {
    const auto& text = v.get_ref<const std::string&>();
    std::int64_t parsed = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, parsed);
    if (!text.empty() && ec == std::errc{} && ptr == end) return parsed;
  }
  return std::unexpected(error(key, "expected an integer id (number or string of digits)"));
}

Result<std::optional<std::int64_t>> Reader::optional_id(std::string_view key) const {
  const auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return std::optional<std::int64_t>{};
  auto value = id(key);
  if (!value) return std::unexpected(value.error());
  return std::optional<std::int64_t>{*value};
}

Result<Reader> Reader::object(std::string_view key) const {
  auto value = required(key);
  if (!value) return std::unexpected(value.error());
  if (!(*value)->is_object()) return std::unexpected(error(key, "expected an object"));
  return Reader{**value, path_of(key), code_};
}

Result<json> Reader::any(std::string_view key) const {
  const auto it = object_.find(key);
  if (it == object_.end()) return json(nullptr);
  return *it;
}

}  // namespace teltubby::queue::json_fields
