#include "archive/timestamp.hpp"

#include <array>

namespace teltubby::archive {
namespace {

using namespace std::chrono;

struct Civil {
  int year;
  unsigned month, day;
  long long hour, minute, second;
};

Civil to_civil(sys_seconds time) {
  const auto day_start = floor<days>(time);
  const year_month_day date{day_start};
  const hh_mm_ss clock{time - day_start};
  return {static_cast<int>(date.year()),     static_cast<unsigned>(date.month()),
          static_cast<unsigned>(date.day()), clock.hours().count(),
          clock.minutes().count(),           clock.seconds().count()};
}

void append_digits(std::string& out, long long value, int width) {
  std::array<char, 20> buffer{};
  for (int i = width - 1; i >= 0; --i) {
    buffer[static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buffer.data(), static_cast<std::size_t>(width));
}

std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t count) {
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

bool in_archive_range(sys_seconds time) {
  constexpr sys_days kLast = year{9999} / December / 31;
  return time >= sys_seconds{} && time < kLast + days{1};
}

std::string format_compact_utc(sys_seconds time) {
  const Civil c = to_civil(time);
  std::string out;
  out.reserve(15);
  append_digits(out, c.year, 4);
  append_digits(out, c.month, 2);
  append_digits(out, c.day, 2);
  out += '-';
  append_digits(out, c.hour, 2);
  append_digits(out, c.minute, 2);
  append_digits(out, c.second, 2);
  return out;
}

std::string format_iso8601_utc(sys_seconds time) {
  const Civil c = to_civil(time);
  std::string out;
  out.reserve(20);
  append_digits(out, c.year, 4);
  out += '-';
  append_digits(out, c.month, 2);
  out += '-';
  append_digits(out, c.day, 2);
  out += 'T';
  append_digits(out, c.hour, 2);
  out += ':';
  append_digits(out, c.minute, 2);
  out += ':';
  append_digits(out, c.second, 2);
  out += 'Z';
  return out;
}

std::optional<sys_seconds> parse_iso8601_utc(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS is 19 characters, then an optional fraction, then Z.
  if (text.size() < 20 || text.back() != 'Z') return std::nullopt;
  if (text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':')
    return std::nullopt;
  const std::string_view rest = text.substr(19, text.size() - 20);
  if (!rest.empty()) {
    if (rest.size() < 2 || rest.front() != '.') return std::nullopt;
    for (const char c : rest.substr(1)) {
      if (c < '0' || c > '9') return std::nullopt;
    }
  }
  const auto y = digits(text, 0, 4), mo = digits(text, 5, 2), d = digits(text, 8, 2);
  const auto h = digits(text, 11, 2), mi = digits(text, 14, 2), s = digits(text, 17, 2);
  if (!y || !mo || !d || !h || !mi || !s) return std::nullopt;
  const year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
  if (!date.ok() || *h > 23 || *mi > 59 || *s > 59) return std::nullopt;
  return sys_days{date} + hours{*h} + minutes{*mi} + seconds{*s};
}

YearMonth year_month_utc(sys_seconds time) {
  const Civil c = to_civil(time);
  YearMonth result;
  append_digits(result.year, c.year, 4);
  append_digits(result.month, c.month, 2);
  return result;
}

}  // namespace teltubby::archive
