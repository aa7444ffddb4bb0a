#pragma once
// Pure parsers for configuration values. Each returns the typed value, or as its error
// the text that completes "expected ..." in a problem report (no value inside it: the
// caller shows the value, masked when secret).
#include <chrono>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace teltubby::config_parse {

template <class T>
using Parsed = std::expected<T, std::string>;

// true/false, 1/0, yes/no, on/off; any case.
Parsed<bool> boolean(std::string_view text);
// Decimal digits only (no sign, no spaces), within [min, max].
Parsed<std::uint64_t> unsigned_in(std::string_view text, std::uint64_t min, std::uint64_t max);
// Seconds with up to 3 decimals ("2", "0.25"), within [min, max] milliseconds.
Parsed<std::chrono::milliseconds> seconds_in(std::string_view text, std::chrono::milliseconds min,
                                             std::chrono::milliseconds max);
// GiB with up to 6 decimals ("4", "0.5"), as bytes (rounded down), within [min, max] bytes.
Parsed<std::uint64_t> gibibytes_in(std::string_view text, std::uint64_t min_bytes, std::uint64_t max_bytes);
// Port 1-65535.
Parsed<std::uint16_t> port(std::string_view text);

struct HostPort {
  std::string host;  // without the brackets of an IPv6 literal
  std::uint16_t port = 0;
  friend bool operator==(const HostPort&, const HostPort&) = default;
};
// "host:port" or "[ipv6]:port".
Parsed<HostPort> host_port(std::string_view text);

// Telegram user ids: comma-separated positive integers, spaces allowed, at least one;
// duplicates dropped, order kept.
Parsed<std::vector<std::int64_t>> user_ids(std::string_view text);

// http:// or https:// with a host; `require_https` rejects http. Trailing '/' removed.
Parsed<std::string> url(std::string_view text, bool require_https);

// `<5 or more digits>:<35 of A-Z a-z 0-9 _ ->`, the shape of every Bot API token.
Parsed<std::string> bot_token(std::string_view text);
// Telegram's rule for setWebhook secret_token: 1-256 of A-Z a-z 0-9 _ -.
Parsed<std::string> webhook_secret(std::string_view text);
// S3 bucket naming rules: 3-63 of a-z 0-9 . -, starting and ending with a letter or digit.
Parsed<std::string> bucket_name(std::string_view text);
// AMQP queue/exchange names we accept: 1-255 of A-Z a-z 0-9 . _ - :.
Parsed<std::string> amqp_name(std::string_view text);
// Exactly 32 hexadecimal digits (my.telegram.org api_hash).
Parsed<std::string> api_hash(std::string_view text);
// '+' optional, then 7-15 digits.
Parsed<std::string> phone_number(std::string_view text);
// Any non-empty text without control characters or surrounding spaces (host names,
// user names, vhosts, regions, paths).
Parsed<std::string> plain_text(std::string_view text);

// The inverse of seconds_in / gibibytes_in, so printed configuration reads back the same.
std::string format_seconds(std::chrono::milliseconds value);
std::string format_gibibytes(std::uint64_t bytes);

}  // namespace teltubby::config_parse
