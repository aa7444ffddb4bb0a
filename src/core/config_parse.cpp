#include "core/config_parse.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>

namespace teltubby::config_parse {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_token_char(char c) {
  return is_alnum(c) || c == '_' || c == '-';
}
bool all_of(std::string_view text, bool (*predicate)(char)) {
  return std::all_of(text.begin(), text.end(), predicate);
}
bool has_control(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == '\x7f'; });
}

std::optional<std::uint64_t> digits_value(std::string_view text) {
  if (text.empty() || !all_of(text, is_digit)) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// "12.345" with at most `max_decimals` decimals, times `scale`, rounded down. nullopt
// when malformed or when it does not fit 64 bits.
std::optional<std::uint64_t> scaled_decimal(std::string_view text, unsigned max_decimals,
                                            std::uint64_t scale) {
  const auto dot = text.find('.');
  const auto whole_text = text.substr(0, dot);
  const auto fraction_text = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (whole_text.empty() || (dot != std::string_view::npos && fraction_text.empty())) return std::nullopt;
  if (fraction_text.size() > max_decimals) return std::nullopt;
  const auto whole = digits_value(whole_text);
  if (!whole) return std::nullopt;
  std::uint64_t result = 0;
  if (__builtin_mul_overflow(*whole, scale, &result)) return std::nullopt;
  if (!fraction_text.empty()) {
    const auto fraction = digits_value(fraction_text);
    if (!fraction) return std::nullopt;
    std::uint64_t denominator = 1;
    for (std::size_t i = 0; i < fraction_text.size(); ++i) denominator *= 10;
    // fraction < denominator <= 10^6 and scale <= 2^30 here, so this cannot overflow.
    std::uint64_t fraction_scaled = 0;
    if (__builtin_mul_overflow(*fraction, scale, &fraction_scaled)) return std::nullopt;
    if (__builtin_add_overflow(result, fraction_scaled / denominator, &result)) return std::nullopt;
  }
  return result;
}

std::string range_text(std::uint64_t min, std::uint64_t max) {
  return std::to_string(min) + "-" + std::to_string(max);
}

// `whole.fraction` with `digits` decimals, trailing zeros dropped.
std::string decimal_text(std::uint64_t whole, std::uint64_t fraction, unsigned digits) {
  std::string text = std::to_string(whole);
  if (fraction == 0) return text;
  std::string fraction_text = std::to_string(fraction);
  fraction_text.insert(0, digits - fraction_text.size(), '0');
  while (fraction_text.back() == '0') fraction_text.pop_back();
  return text + "." + fraction_text;
}

std::string seconds_text(std::chrono::milliseconds value) {
  const auto ms = static_cast<std::uint64_t>(value.count());
  return decimal_text(ms / 1000, ms % 1000, 3);
}

}  // namespace

Parsed<bool> boolean(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  if (lower == "true" || lower == "1" || lower == "yes" || lower == "on") return true;
  if (lower == "false" || lower == "0" || lower == "no" || lower == "off") return false;
  return std::unexpected<std::string>("true or false (also 1/0, yes/no, on/off)");
}

Parsed<std::uint64_t> unsigned_in(std::string_view text, std::uint64_t min, std::uint64_t max) {
  const auto value = digits_value(text);
  if (!value || *value < min || *value > max) {
    return std::unexpected("a whole number " + range_text(min, max));
  }
  return *value;
}

Parsed<std::chrono::milliseconds> seconds_in(std::string_view text, std::chrono::milliseconds min,
                                             std::chrono::milliseconds max) {
  const auto ms = scaled_decimal(text, 3, 1000);
  const auto expected =
      "a number of seconds " + seconds_text(min) + "-" + seconds_text(max) + " (at most 3 decimals)";
  if (!ms || *ms > static_cast<std::uint64_t>(max.count()) || *ms < static_cast<std::uint64_t>(min.count())) {
    return std::unexpected(expected);
  }
  return std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(*ms));
}

Parsed<std::uint64_t> gibibytes_in(std::string_view text, std::uint64_t min_bytes, std::uint64_t max_bytes) {
  constexpr std::uint64_t kGiB = 1024ULL * 1024 * 1024;
  const auto bytes = scaled_decimal(text, 6, kGiB);
  if (!bytes || *bytes < min_bytes || *bytes > max_bytes) {
    return std::unexpected("a size in GiB between " + format_gibibytes(min_bytes) + " and " +
                           format_gibibytes(max_bytes) + " (at most 6 decimals)");
  }
  return *bytes;
}

Parsed<std::uint16_t> port(std::string_view text) {
  const auto value = unsigned_in(text, 1, 65535);
  if (!value) return std::unexpected<std::string>("a port number 1-65535");
  return static_cast<std::uint16_t>(*value);
}

Parsed<HostPort> host_port(std::string_view text) {
  const std::string expected = "host:port, e.g. 0.0.0.0:8080 or [::]:8080, port 1-65535";
  std::string_view host;
  std::string_view port_text;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return std::unexpected(expected);
    }
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::unexpected(expected);
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return std::unexpected(expected);  // bare IPv6
  }
  const auto parsed_port = port(port_text);
  const bool host_ok = !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return is_alnum(c) || c == '.' || c == '-' || c == ':' || c == '_';
  });
  if (!host_ok || !parsed_port) return std::unexpected(expected);
  return HostPort{std::string(host), *parsed_port};
}

Parsed<std::vector<std::int64_t>> user_ids(std::string_view text) {
  std::vector<std::int64_t> ids;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    auto item = text.substr(start, end - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    const auto value = unsigned_in(item, 1, static_cast<std::uint64_t>(INT64_MAX));
    if (!value) {
      return std::unexpected<std::string>(
          "a comma-separated list of Telegram user ids (positive whole numbers), e.g. 12345,67890");
    }
    const auto id = static_cast<std::int64_t>(*value);
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    start = end + 1;
  }
  return ids;
}

Parsed<std::string> url(std::string_view text, bool require_https) {
  const std::string expected =
      require_https ? "an https:// URL with a host" : "an http:// or https:// URL with a host";
  std::string_view rest;
  if (text.starts_with("https://")) {
    rest = text.substr(8);
  } else if (text.starts_with("http://") && !require_https) {
    rest = text.substr(7);
  } else {
    return std::unexpected(expected);
  }
  const auto host_end = rest.find_first_of("/?#");
  const auto authority = rest.substr(0, host_end);
  if (authority.empty() || authority.starts_with(':') || has_control(text) ||
      text.find(' ') != std::string_view::npos) {
    return std::unexpected(expected);
  }
  std::string result(text);
  while (result.ends_with('/') && result.size() > text.size() - rest.size() + authority.size())
    result.pop_back();
  return result;
}

Parsed<std::string> bot_token(std::string_view text) {
  const auto colon = text.find(':');
  const bool ok = colon != std::string_view::npos && colon >= 5 && all_of(text.substr(0, colon), is_digit) &&
                  text.size() - colon - 1 == 35 && all_of(text.substr(colon + 1), is_token_char);
  if (!ok) {
    return std::unexpected<std::string>(
        "a bot token from @BotFather: at least 5 digits, ':', then 35 of A-Z a-z 0-9 _ -");
  }
  return std::string(text);
}

Parsed<std::string> webhook_secret(std::string_view text) {
  if (text.empty() || text.size() > 256 || !all_of(text, is_token_char)) {
    return std::unexpected<std::string>("1-256 characters of A-Z a-z 0-9 _ - (Telegram's rule)");
  }
  return std::string(text);
}

Parsed<std::string> bucket_name(std::string_view text) {
  const bool ok =
      text.size() >= 3 && text.size() <= 63 &&
      all_of(text, [](char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || c == '.' || c == '-'; }) &&
      is_alnum(text.front()) && is_alnum(text.back()) && text.find("..") == std::string_view::npos;
  if (!ok) {
    return std::unexpected<std::string>(
        "an S3 bucket name: 3-63 of a-z 0-9 . -, starting and ending with a letter or digit");
  }
  return std::string(text);
}

Parsed<std::string> amqp_name(std::string_view text) {
  const bool ok = !text.empty() && text.size() <= 255 &&
                  all_of(text, [](char c) { return is_token_char(c) || c == '.' || c == ':'; });
  if (!ok) return std::unexpected<std::string>("a queue or exchange name: 1-255 of A-Z a-z 0-9 . _ - :");
  return std::string(text);
}

Parsed<std::string> api_hash(std::string_view text) {
  const bool ok = text.size() == 32 && all_of(text, [](char c) {
                    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
                  });
  if (!ok) return std::unexpected<std::string>("32 hexadecimal digits (api_hash from my.telegram.org)");
  return std::string(text);
}

Parsed<std::string> phone_number(std::string_view text) {
  const auto digits = text.starts_with('+') ? text.substr(1) : text;
  if (digits.size() < 7 || digits.size() > 15 || !all_of(digits, is_digit)) {
    return std::unexpected<std::string>("a phone number in international format, e.g. +15551234567");
  }
  return std::string(text);
}

Parsed<std::string> plain_text(std::string_view text) {
  if (text.empty() || has_control(text) || text.front() == ' ' || text.back() == ' ') {
    return std::unexpected<std::string>("non-empty text without control characters or surrounding spaces");
  }
  return std::string(text);
}

std::string format_seconds(std::chrono::milliseconds value) {
  return seconds_text(value);
}

std::string format_gibibytes(std::uint64_t bytes) {
  constexpr std::uint64_t kGiB = 1024ULL * 1024 * 1024;
  // Six decimals of a GiB are about 1 KiB; round up so reading it back gives at least `bytes`.
  const std::uint64_t remainder = bytes % kGiB;
  std::uint64_t micro = (remainder * 1000000 + kGiB - 1) / kGiB;
  std::uint64_t whole = bytes / kGiB;
  if (micro == 1000000) {
    ++whole;
    micro = 0;
  }
  return decimal_text(whole, micro, 6);
}

}  // namespace teltubby::config_parse
