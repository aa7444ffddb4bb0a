#pragma once
// What the job command handlers share: the clock and the worker's staleness rule.
#include <chrono>

#include "botsvc/commands/command_context.hpp"

namespace teltubby::botsvc {

inline std::chrono::sys_seconds now_seconds() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

// A worker is offline after three missed heartbeats (it sends one per health interval).
inline std::chrono::seconds worker_stale_after(const Config& config) {
  return 3 * std::chrono::duration_cast<std::chrono::seconds>(config.worker_health_check_interval);
}

}  // namespace teltubby::botsvc
