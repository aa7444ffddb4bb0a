#pragma once
// TDLib's own log, routed into our Logger (component "tdlib").
//
// TDLib numbers its verbosity levels: 0 fatal (TDLib aborts right after the callback
// returns), 1 error, 2 warning, 3 info, 4 debug, 5+ verbose. Level 3 and above include
// the text of every request — login codes and 2FA passwords among them — so the default
// maximum here is 2; raise it only while debugging, never in production.
#include "core/log.hpp"
#include "telegram/tdlib/td_json_library.hpp"

namespace teltubby::tdlib {

inline constexpr int kDefaultTdlibLogVerbosity = 2;  // warnings and worse

// Our level for one TDLib verbosity level (pure).
[[nodiscard]] LogLevel log_level_for_verbosity(int verbosity_level);

// TDLib's message without its trailing newline (pure).
[[nodiscard]] std::string_view trim_log_message(std::string_view message);

// Sends TDLib's log to our Logger: TDLib's own stream off (setLogStream logStreamEmpty),
// verbosity set, and the message callback installed when the library has one. Without
// the callback TDLib's log is simply off. Errors from td_execute are returned.
Status route_tdlib_log(const TdJsonLibrary& library, int max_verbosity = kDefaultTdlibLogVerbosity);

}  // namespace teltubby::tdlib
