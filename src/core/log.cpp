// Placeholder implementation; the core/logging work replaces it (rotation, redaction).
#include "core/log.hpp"

#include <iostream>
#include <mutex>

namespace teltubby {
namespace {
std::mutex g_mutex;
LogSettings g_settings;
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
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warn: return "warn";
    case LogLevel::error: return "error";
  }
  return "info";
}
void configure_logging(const LogSettings& settings) {
  std::lock_guard lock(g_mutex);
  g_settings = settings;
}
void register_secret(std::string_view) {}
std::string redact(std::string_view text) { return std::string(text); }

Logger::Logger(std::string component, nlohmann::json context)
    : component_(std::move(component)), context_(std::move(context)) {}
Logger Logger::with(const nlohmann::json& extra) const {
  nlohmann::json merged = context_;
  merged.update(extra);
  return Logger(component_, merged);
}
bool Logger::enabled(LogLevel level) const { return level >= g_settings.level; }
void Logger::debug(std::string_view m, const nlohmann::json& f) const { write(LogLevel::debug, m, f); }
void Logger::info(std::string_view m, const nlohmann::json& f) const { write(LogLevel::info, m, f); }
void Logger::warn(std::string_view m, const nlohmann::json& f) const { write(LogLevel::warn, m, f); }
void Logger::error(std::string_view m, const nlohmann::json& f) const { write(LogLevel::error, m, f); }
void Logger::write(LogLevel level, std::string_view message, const nlohmann::json& fields) const {
  if (!enabled(level)) return;
  nlohmann::json line = {{"level", to_string(level)}, {"component", component_}, {"msg", message}};
  line.update(context_);
  line.update(fields);
  std::lock_guard lock(g_mutex);
  std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}
}  // namespace teltubby
