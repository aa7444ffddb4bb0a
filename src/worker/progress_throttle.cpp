#include "worker/progress_throttle.hpp"

#include <algorithm>

namespace teltubby::worker {

bool ProgressThrottle::due(std::chrono::steady_clock::time_point now, std::int64_t done, std::int64_t total) {
  if (total > 0 && done >= total) {
    if (finished_) return false;
    finished_ = true;
    last_ = now;
    return true;
  }
  if (last_ && now - *last_ < interval_) return false;
  last_ = now;
  return true;
}

double percent_of(std::int64_t done, std::int64_t total) {
  if (total <= 0) return 0;
  return std::clamp(100.0 * static_cast<double>(done) / static_cast<double>(total), 0.0, 100.0);
}

}  // namespace teltubby::worker
