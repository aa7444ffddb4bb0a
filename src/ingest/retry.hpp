#pragma once
// Retrying one ingestion step (a download, an upload, a store call) on retryable errors.
#include <chrono>
#include <exception>
#include <functional>
#include <random>
#include <string>
#include <thread>

#include "core/error.hpp"
#include "ingest/backoff.hpp"

namespace teltubby::ingest {

struct RetryPolicy {
  int max_attempts = 3;  // first try included; below 1 acts as 1
  std::chrono::milliseconds first_backoff{500};
  std::chrono::seconds max_inline_wait{30};  // a longer server-requested wait is not waited for
};

double retry_jitter();  // uniform in [0, 1), per thread

// Calls `step` until it succeeds, fails with a non-retryable error, or max_attempts
// is used up; returns the last result. An exception from `step` becomes a permanent
// "ingest.internal" error (a loop boundary: one item must not take the process down).
template <class T>
Result<T> with_retry(const RetryPolicy& policy, const std::function<Result<T>()>& step) {
  for (int attempt = 1;; ++attempt) {
    Result<T> result = [&]() -> Result<T> {
      try {
        return step();
      } catch (const std::exception& exception) {
        return fail(ErrorKind::permanent, "ingest.internal", exception.what());
      }
    }();
    if (result || !result.error().retryable() || attempt >= policy.max_attempts) return result;
    const auto delay = backoff_delay(policy.first_backoff, attempt, retry_jitter(), result.error().retry_after);
    if (delay > policy.max_inline_wait) return result;
    std::this_thread::sleep_for(delay);
  }
}

}  // namespace teltubby::ingest
