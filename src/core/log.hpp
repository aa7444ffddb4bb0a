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
  std::optional<std::filesystem::path> file;  // no file when empty
  std::uint64_t rotate_max_bytes = 5 * 1024 * 1024;  // rotate when the file would exceed this
  unsigned rotate_backup_count = 10;  // keep file.1 .. file.N; 0 means truncate instead
};

// Process-wide; call once at start-up (tests may call it again). Thread-safe logging.
void configure_logging(const LogSettings& settings);

// Registers a literal secret (bot token, passwords, keys) that must be masked wherever
// it appears in a log line. Values shorter than 4 characters are ignored.
void register_secret(std::string_view secret);

// Masks every registered secret and anything shaped like a bot token
// (`<digits>:<35 token characters>`) in `text`. Use it for error texts that leave the
// process in other ways (replies, metrics labels) too.
std::string redact(std::string_view text);

class Logger {
 public:
  explicit Logger(std::string component, nlohmann::json context = nlohmann::json::object());

  // A child logger whose lines also carry `extra` fields (job_id, chat_id, ...).
  [[nodiscard]] Logger with(const nlohmann::json& extra) const;

  void debug(std::string_view message, const nlohmann::json& fields = nlohmann::json::object()) const;
  void info(std::string_view message, const nlohmann::json& fields = nlohmann::json::object()) const;
  void warn(std::string_view message, const nlohmann::json& fields = nlohmann::json::object()) const;
  void error(std::string_view message, const nlohmann::json& fields = nlohmann::json::object()) const;
  void write(LogLevel level, std::string_view message, const nlohmann::json& fields) const;

  [[nodiscard]] bool enabled(LogLevel level) const;

 private:
  std::string component_;
  nlohmann::json context_;
};

}  // namespace teltubby
