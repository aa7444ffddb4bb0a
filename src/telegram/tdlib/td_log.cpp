#include "telegram/tdlib/td_log.hpp"

namespace teltubby::tdlib {

LogLevel log_level_for_verbosity(int verbosity_level) {
  if (verbosity_level <= 1) return LogLevel::error;  // 0 is fatal: TDLib aborts after it
  if (verbosity_level == 2) return LogLevel::warn;
  if (verbosity_level == 3) return LogLevel::info;
  return LogLevel::debug;
}

std::string_view trim_log_message(std::string_view message) {
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.remove_suffix(1);
  return message;
}

namespace {

// Called on TDLib's threads. It must not call into TDLib (documented in
// td_json_client.h); it only formats and writes a log line.
void on_tdlib_log_message(int verbosity_level, const char* message) {
  static const Logger log{"tdlib"};
  if (message == nullptr) return;
  const LogLevel level = log_level_for_verbosity(verbosity_level);
  if (!log.enabled(level)) return;
  log.write(level, trim_log_message(message), {{"tdlib_verbosity", verbosity_level}});
}

}  // namespace

Status route_tdlib_log(const TdJsonLibrary& library, int max_verbosity) {
  if (max_verbosity < 0) max_verbosity = 0;
  // td_api.tl: setLogStream log_stream:LogStream = Ok; logStreamEmpty = LogStream;
  auto stream = library.execute({{"@type", "setLogStream"}, {"log_stream", {{"@type", "logStreamEmpty"}}}});
  if (!stream) return std::unexpected(stream.error());
  // td_api.tl: setLogVerbosityLevel new_verbosity_level:int32 = Ok;
  auto verbosity = library.execute({{"@type", "setLogVerbosityLevel"}, {"new_verbosity_level", max_verbosity}});
  if (!verbosity) return std::unexpected(verbosity.error());
  if (library.api().set_log_message_callback != nullptr) {
    library.api().set_log_message_callback(max_verbosity, &on_tdlib_log_message);
  }
  return {};
}

}  // namespace teltubby::tdlib
