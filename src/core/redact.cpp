// The redaction layer: every log line, and every error text that leaves the process,
// passes through redact(). It is on the hot path of logging, so it scans by hand
// instead of running a regular expression.
#include <algorithm>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "core/log.hpp"

namespace teltubby {
namespace {

constexpr std::size_t kMinSecretLength = 4;
constexpr std::size_t kMinBotIdDigits = 5;
constexpr std::size_t kMinTokenSecretChars = 35;

std::shared_mutex g_secrets_mutex;
// Longest first, so a secret that contains another is masked whole.
std::vector<std::string> g_secrets;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_token_char(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
}

// RFC 3986 unreserved characters stay, everything else becomes %XX (upper-case hex),
// which is what curl_easy_escape and most URL builders produce.
std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (const char c : text) {
    if (is_token_char(c) || c == '.' || c == '~') {
      encoded += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      encoded += '%';
      encoded += kHex[byte >> 4];
      encoded += kHex[byte & 0x0F];
    }
  }
  return encoded;
}

void replace_all(std::string& text, std::string_view needle) {
  std::size_t position = 0;
  while ((position = text.find(needle, position)) != std::string::npos) {
    text.replace(position, needle.size(), kRedacted);
    position += kRedacted.size();
  }
}

// Length of the separator at `i`: ':' -> 1, "%3A"/"%3a" -> 3, else 0.
std::size_t separator_length(std::string_view text, std::size_t i) {
  if (text[i] == ':') return 1;
  if (text[i] == '%' && i + 2 < text.size() && text[i + 1] == '3' &&
      (text[i + 2] == 'A' || text[i + 2] == 'a')) {
    return 3;
  }
  return 0;
}

// Replaces every `\d{5,}(:|%3A)[A-Za-z0-9_-]{35,}` run in `text`.
std::string mask_token_shapes(std::string_view text) {
  std::string out;
  std::size_t copied = 0;  // text[0, copied) has been handled
  std::size_t i = text.find_first_of(":%");
  while (i != std::string_view::npos) {
    const std::size_t separator = separator_length(text, i);
    std::size_t digits_start = i;
    while (digits_start > copied && is_digit(text[digits_start - 1])) --digits_start;
    std::size_t secret_end = i + separator;
    while (secret_end < text.size() && is_token_char(text[secret_end])) ++secret_end;
    const bool is_token = separator > 0 && i - digits_start >= kMinBotIdDigits &&
                          secret_end - (i + separator) >= kMinTokenSecretChars;
    if (is_token) {
      out.append(text.substr(copied, digits_start - copied));
      out.append(kRedacted);
      copied = secret_end;
      i = text.find_first_of(":%", secret_end);
    } else {
      i = text.find_first_of(":%", i + 1);
    }
  }
  if (copied == 0) return std::string(text);
  out.append(text.substr(copied));
  return out;
}

}  // namespace

void register_secret(std::string_view secret) {
  if (secret.size() < kMinSecretLength) return;
  std::unique_lock lock(g_secrets_mutex);
  for (auto form : {std::string(secret), percent_encode(secret)}) {
    if (std::find(g_secrets.begin(), g_secrets.end(), form) == g_secrets.end())
      g_secrets.push_back(std::move(form));
  }
  std::stable_sort(g_secrets.begin(), g_secrets.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string redact(std::string_view text) {
  std::string result(text);
  {
    std::shared_lock lock(g_secrets_mutex);
    for (const auto& secret : g_secrets) {
      if (result.size() >= secret.size()) replace_all(result, secret);
    }
  }
  // Most lines hold neither ':' nor '%'; mask_token_shapes returns quickly for them.
  return mask_token_shapes(result);
}

nlohmann::json redact_json(const nlohmann::json& value) {
  if (value.is_string()) return redact(value.get_ref<const std::string&>());
  if (value.is_array()) {
    nlohmann::json result = nlohmann::json::array();
    for (const auto& item : value) result.push_back(redact_json(item));
    return result;
  }
  if (value.is_object()) {
    nlohmann::json result = nlohmann::json::object();
    for (const auto& [key, item] : value.items()) result[redact(key)] = redact_json(item);
    return result;
  }
  return value;
}

}  // namespace teltubby
