#pragma once
// UTC time stamps as the archive writes them. Supported range: 1970-01-01 to
// 9999-12-31 (four-digit years); callers validate with in_archive_range().
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace teltubby::archive {

[[nodiscard]] bool in_archive_range(std::chrono::sys_seconds time);

// "20261128-134400" (file names).
[[nodiscard]] std::string format_compact_utc(std::chrono::sys_seconds time);

// "2026-11-28T13:44:00Z" (message.json).
[[nodiscard]] std::string format_iso8601_utc(std::chrono::sys_seconds time);

// Parses "YYYY-MM-DDTHH:MM:SSZ", optionally with fractional seconds (dropped);
// nullopt for anything else, including offsets other than Z and impossible dates.
[[nodiscard]] std::optional<std::chrono::sys_seconds> parse_iso8601_utc(std::string_view text);

// Year and month of `time` as "YYYY" and "MM" (key folders).
struct YearMonth {
  std::string year;
  std::string month;
};
[[nodiscard]] YearMonth year_month_utc(std::chrono::sys_seconds time);

}  // namespace teltubby::archive
