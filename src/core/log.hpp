#pragma once
// Structured logging: one JSON object per line, to stdout and (optionally) a
// size-rotated file. Every line passes through the redactor, so a bot token or any
// registered secret never reaches a log sink, whatever string it hides in.
//
//   teltubby::Logger log{"s3"};
//   log.info("object stored", {{"key", key}, {"bytes", size}});
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace teltubby {

enum class LogLevel { debug = 0, info = 1, warn = 2, error = 3 };

std::optional<LogLevel> parse_log_level(std::string_view text);
std::string_view to_string(LogLevel level);

struct LogSettings {
  LogLevel level = LogLevel::info;
  bool to_stdout = true;
  std::optional<std::filesystem::path> file;         // no file when empty
  std::uint64_t rotate_max_bytes = 5 * 1024 * 1024;  // rotate when the file would exceed this
  unsigned rotate_backup_count = 10;                 // keep file.1 .. file.N; 0 means truncate instead
};

// Process-wide; call once at start-up (tests may call it again). Thread-safe logging.
// Opens (creating its directory and the file, mode 0600) `settings.file` for appending;
// throws FatalError when that is impossible. Lines are written whole with one write(2)
// each, so a crash never leaves half a line behind.
void configure_logging(const LogSettings& settings);

// Registers a literal secret (bot token, passwords, keys) that must be masked wherever
// it appears in a log line, as is and percent-encoded (as in a URL). Values shorter than
// 4 characters are ignored: masking them would mangle ordinary words.
void register_secret(std::string_view secret);

// Masks every registered secret and anything shaped like a bot token
// (`<digits>:<35 token characters>`) in `text`. Use it for error texts that leave the
// process in other ways (replies, metrics labels) too.
// Token-shaped means: 5 or more digits, ':' (or its URL encoding %3A), 35 or more of
// A-Z a-z 0-9 _ - (the run is masked whole), the replacement being `<redacted>`.
std::string redact(std::string_view text);

// `value` with redact() applied to every string in it, object keys included, recursively.
nlohmann::json redact_json(const nlohmann::json& value);

inline constexpr std::string_view kRedacted = "<redacted>";

class Logger {
 public:
  explicit Logger(std::string component, nlohmann::json context = nlohmann::json::object());

  // A child logger whose lines also carry `extra` fields (job_id, chat_id, ...).
  [[nodiscard]] Logger with(const nlohmann::json& extra) const;

  void debug(std::string_view message, const nlohmann::json& fields = nlohmann::json::object()) const;
  void info(std::string_view message, const nlohmann::json& fields = nlohmann::json::object()) const;
  void warn(std::string_view message, const nlohmann::json& fields = nlohmann::json::object()) const;
  void error(std::string_view message, const nlohmann::json& fields = nlohmann::json::object()) const;
  // The line is {"ts","level","component","msg", context..., fields...}; a field wins over
  // a context entry of the same name, and fields named like the four fixed keys are
  // written with a trailing '_' ("msg_") instead of replacing them. A non-object
  // `fields` is written under "fields".
  void write(LogLevel level, std::string_view message, const nlohmann::json& fields) const;

  [[nodiscard]] bool enabled(LogLevel level) const;

 private:
  std::string component_;
  nlohmann::json context_;
};

}  // namespace teltubby
