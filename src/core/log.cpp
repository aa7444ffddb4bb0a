// Structured logging: JSON lines to stdout and a rotating file, every string redacted.
#include "core/log.hpp"

#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <mutex>

#include "core/error.hpp"
#include "core/log_file.hpp"

namespace teltubby {
namespace {

struct Sinks {
  bool to_stdout = true;
  std::unique_ptr<RotatingFile> file;
  bool file_error_reported = false;  // report a failing file once, not on every line
};

std::mutex g_sinks_mutex;
Sinks g_sinks;
// Read on every call without the lock: the level filter must be cheap.
std::atomic<int> g_level{static_cast<int>(LogLevel::info)};

constexpr std::array<std::string_view, 4> kFixedKeys{"ts", "level", "component", "msg"};

std::string timestamp_now() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[80];  // 24 needed; sized for any int the compiler can imagine in the fields
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(ms % 1000));
  return buffer;
}

std::string dump(const nlohmann::json& value) {
  // Invalid UTF-8 (a file name from a client) must not make logging throw.
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const auto result = ::write(fd, text.data(), text.size());
    if (result < 0) {
      if (errno == EINTR) continue;
      return;  // stdout closed or full: nowhere left to say so
    }
    text.remove_prefix(static_cast<std::size_t>(result));
  }
}

void emit(const std::string& line) {
  std::lock_guard lock(g_sinks_mutex);
  if (g_sinks.to_stdout) write_all(STDOUT_FILENO, line);
  if (g_sinks.file) {
    if (auto written = g_sinks.file->write(line); !written && !g_sinks.file_error_reported) {
      g_sinks.file_error_reported = true;
      write_all(STDERR_FILENO, "teltubby: log file: " + redact(written.error().message) + "\n");
    } else if (written) {
      g_sinks.file_error_reported = false;
    }
  }
}

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view text) {
  if (text == "debug" || text == "DEBUG") return LogLevel::debug;
  if (text == "info" || text == "INFO") return LogLevel::info;
  if (text == "warn" || text == "WARN" || text == "warning" || text == "WARNING") return LogLevel::warn;
  if (text == "error" || text == "ERROR") return LogLevel::error;
  return std::nullopt;
}

std::string_view to_string(LogLevel level) {
  switch (level) {
    case LogLevel::debug:
      return "debug";
    case LogLevel::info:
      return "info";
    case LogLevel::warn:
      return "warn";
    case LogLevel::error:
      return "error";
  }
  return "info";
}

void configure_logging(const LogSettings& settings) {
  std::unique_ptr<RotatingFile> file;
  if (settings.file && !settings.file->empty()) {
    auto opened = RotatingFile::open(*settings.file, settings.rotate_max_bytes, settings.rotate_backup_count);
    if (!opened) throw FatalError("cannot open the log file: " + opened.error().message);
    file = std::make_unique<RotatingFile>(std::move(*opened));
  }
  std::lock_guard lock(g_sinks_mutex);
  g_sinks.to_stdout = settings.to_stdout;
  g_sinks.file = std::move(file);
  g_sinks.file_error_reported = false;
  g_level.store(static_cast<int>(settings.level));
}

Logger::Logger(std::string component, nlohmann::json context)
    : component_(std::move(component)), context_(std::move(context)) {}

Logger Logger::with(const nlohmann::json& extra) const {
  nlohmann::json merged = context_;
  merged.update(extra);
  return Logger(component_, merged);
}

bool Logger::enabled(LogLevel level) const {
  return static_cast<int>(level) >= g_level.load();
}
void Logger::debug(std::string_view m, const nlohmann::json& f) const {
  write(LogLevel::debug, m, f);
}
void Logger::info(std::string_view m, const nlohmann::json& f) const {
  write(LogLevel::info, m, f);
}
void Logger::warn(std::string_view m, const nlohmann::json& f) const {
  write(LogLevel::warn, m, f);
}
void Logger::error(std::string_view m, const nlohmann::json& f) const {
  write(LogLevel::error, m, f);
}

void Logger::write(LogLevel level, std::string_view message, const nlohmann::json& fields) const {
  if (!enabled(level)) return;
  nlohmann::json extra = context_.is_object() ? context_ : nlohmann::json{{"context", context_}};
  if (fields.is_object()) {
    extra.update(fields);
  } else if (!fields.is_null()) {
    extra["fields"] = fields;
  }
  // Built by hand to keep the fixed keys first (nlohmann::json sorts object keys).
  std::string line = "{\"ts\":\"" + timestamp_now() + "\",\"level\":\"" + std::string(to_string(level)) +
                     "\",\"component\":" + dump(redact(component_)) + ",\"msg\":" + dump(redact(message));
  for (const auto& [key, value] : extra.items()) {
    std::string name = redact(key);
    for (const auto fixed : kFixedKeys) {
      if (name == fixed) name += '_';
    }
    line += ',' + dump(name) + ':' + dump(redact_json(value));
  }
  line += "}\n";
  emit(line);
}

}  // namespace teltubby
