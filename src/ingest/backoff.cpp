#include "ingest/backoff.hpp"

#include <algorithm>

namespace teltubby::ingest {

std::chrono::milliseconds backoff_delay(std::chrono::milliseconds first, int retry, double jitter,
                                        std::chrono::seconds retry_after) {
  const int doublings = std::clamp(retry - 1, 0, 16);
  const double clamped_jitter = std::clamp(jitter, 0.0, 1.0);
  const double base = static_cast<double>(std::max<std::chrono::milliseconds::rep>(first.count(), 0)) *
                      static_cast<double>(1LL << doublings);
  const auto jittered = std::chrono::milliseconds{static_cast<std::chrono::milliseconds::rep>(base * (0.75 + 0.5 * clamped_jitter))};
  return std::max<std::chrono::milliseconds>(jittered, retry_after);
}

}  // namespace teltubby::ingest
