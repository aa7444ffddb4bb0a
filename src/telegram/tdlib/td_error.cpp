#include "telegram/tdlib/td_error.hpp"

#include <cctype>
#include <charconv>

namespace teltubby::tdlib {

namespace {

// Reads the decimal number starting at `pos` (after optional spaces); 0 when none.
std::int64_t number_at(std::string_view text, std::size_t pos) {
  while (pos < text.size() && text[pos] == ' ') ++pos;
  std::int64_t value = 0;
  const char* begin = text.data() + pos;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc{} || ptr == begin || value < 0) return 0;
  return value;
}

ErrorKind kind_for(std::int64_t code) {
  switch (code) {
    case 404: return ErrorKind::not_found;
    case 420:  // FLOOD_WAIT_N passed through
    case 429:  // Too Many Requests: retry after N
    case 500:
    case 502:
    case 503: return ErrorKind::retryable;
    default: return ErrorKind::permanent;
  }
}

}  // namespace

std::chrono::seconds parse_retry_after(std::string_view message) {
  for (std::string_view marker : {std::string_view{"retry after "}, std::string_view{"FLOOD_WAIT_"}}) {
    const auto at = message.find(marker);
    if (at != std::string_view::npos) return std::chrono::seconds{number_at(message, at + marker.size())};
  }
  return std::chrono::seconds{0};
}

Error error_from_td(const nlohmann::json& error_object) {
  std::int64_t code = 0;
  std::string message = "malformed TDLib error object";
  if (error_object.is_object()) {
    if (auto it = error_object.find("code"); it != error_object.end() && it->is_number_integer()) {
      code = it->get<std::int64_t>();
    }
    if (auto it = error_object.find("message"); it != error_object.end() && it->is_string()) {
      message = it->get<std::string>();
    }
  }
  auto retry_after = parse_retry_after(message);
  ErrorKind kind = kind_for(code);
  if (retry_after.count() > 0) kind = ErrorKind::retryable;
  return Error{kind, "tdlib." + std::to_string(code), std::move(message), retry_after};
}

bool is_auth_error(const Error& error) { return error.code == "tdlib.401"; }

Result<nlohmann::json> answer_to_result(nlohmann::json answer) {
  if (!answer.is_object()) return fail(ErrorKind::permanent, "tdlib.json", "TDLib answer is not a JSON object");
  if (auto it = answer.find("@type"); it != answer.end() && it->is_string() && *it == "error") {
    return std::unexpected(error_from_td(answer));
  }
  return answer;
}

Result<nlohmann::json> parse_answer(std::string_view text) {
  auto answer = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (answer.is_discarded()) return fail(ErrorKind::permanent, "tdlib.json", "TDLib answer is not valid JSON");
  return answer_to_result(std::move(answer));
}

}  // namespace teltubby::tdlib
