#pragma once
// Progress events are advisory and the bot edits at most one message every few
// seconds, so the worker sends one per `interval` per phase, plus the final 100 %.
#include <chrono>
#include <cstdint>
#include <optional>

namespace teltubby::worker {

class ProgressThrottle {
 public:
  explicit ProgressThrottle(std::chrono::milliseconds interval) : interval_(interval) {}
  // Pure apart from remembering the last report: true when a report is due at `now`
  // (the first report, one `interval` after the previous, or the last byte).
  bool due(std::chrono::steady_clock::time_point now, std::int64_t done, std::int64_t total);

 private:
  std::chrono::milliseconds interval_;
  std::optional<std::chrono::steady_clock::time_point> last_;
  bool finished_ = false;
};

// Percent done (0..100); 0 when the total is unknown.
double percent_of(std::int64_t done, std::int64_t total);

}  // namespace teltubby::worker
