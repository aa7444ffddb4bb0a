#pragma once
// A start-up step against a service that may still be starting beside us (MinIO,
// Telegram, a container started in the same compose file): a few tries with growing
// pauses for routine failures; anything else, or the last failure, is returned for the
// caller to report as broken set-up.
#include <chrono>
#include <string_view>
#include <thread>

#include "core/error.hpp"
#include "core/log.hpp"

namespace teltubby::app {

inline constexpr int kStartupAttempts = 5;  // 0.5 + 1 + 2 + 4 s of pauses: 7.5 s in all

template <class Operation>
auto with_startup_retries(const Logger& log, std::string_view what, Operation operation) {
  auto result = operation();
  std::chrono::milliseconds backoff{500};
  for (int attempt = 2; attempt <= kStartupAttempts && !result && result.error().kind == ErrorKind::retryable;
       ++attempt) {
    log.warn("start-up step failed, retrying", {{"step", what}, {"error", result.error().message}});
    std::this_thread::sleep_for(backoff);  // start-up only: nothing else is running yet
    backoff *= 2;
    result = operation();
  }
  return result;
}

}  // namespace teltubby::app
