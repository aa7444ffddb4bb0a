#include "storage/s3_error.hpp"

#include <array>
#include <string>

#include "storage/xml.hpp"

namespace teltubby::storage {

namespace {

constexpr std::array retryable_codes{std::string_view{"SlowDown"}, std::string_view{"RequestTimeout"},
                                     std::string_view{"InternalError"}, std::string_view{"ServiceUnavailable"},
                                     std::string_view{"OperationAborted"}};

std::string status_code_name(long status) {
  switch (status) {
    case 403: return "Forbidden";
    case 404: return "NotFound";
    default: return "http" + std::to_string(status);
  }
}

}  // namespace

Error s3_error(long status, std::string_view body, std::string_view context) {
  const std::string code = xml::first_text(body, "Code").value_or(status_code_name(status));
  std::string message = xml::first_text(body, "Message").value_or("");
  std::string text = std::string(context) + ": HTTP " + std::to_string(status) + " " + code;
  if (!message.empty()) text += " (" + message + ")";

  ErrorKind kind = ErrorKind::permanent;
  bool listed_retryable = false;
  for (auto retryable : retryable_codes) listed_retryable = listed_retryable || code == retryable;
  if (status >= 500 || status == 429 || listed_retryable) {
    kind = ErrorKind::retryable;
  } else if (status == 404 && code != "NoSuchBucket") {
    kind = ErrorKind::not_found;
  }
  return Error{kind, "s3." + code, std::move(text), {}};
}

}  // namespace teltubby::storage
