#pragma once
// The three instrument kinds. Each is safe to update from any thread without a lock:
// a counter or gauge update is one atomic operation, a histogram observation three.
// Instruments are created and owned by a Registry (see registry.hpp); callers hold
// references, which stay valid for the registry's lifetime.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace teltubby::metrics {

// Monotonically increasing count (messages, bytes, requests). Integer so that byte
// totals stay exact beyond 2^53.
class Counter {
 public:
  void inc(std::uint64_t amount = 1) noexcept { value_.fetch_add(amount, std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge;

// Keeps a gauge's scrape-time function installed; uninstalls it on destruction, so a
// component that goes away (the storage client) cannot leave a dangling callback.
// Destruction waits for a scrape that is running the function right now. The handle
// must not outlive the registry that owns the gauge.
class GaugeFunction {
 public:
  GaugeFunction() = default;
  GaugeFunction(Gauge* gauge, std::uint64_t generation) : gauge_(gauge), generation_(generation) {}
  GaugeFunction(GaugeFunction&& other) noexcept;
  GaugeFunction& operator=(GaugeFunction&& other) noexcept;
  GaugeFunction(const GaugeFunction&) = delete;
  GaugeFunction& operator=(const GaugeFunction&) = delete;
  ~GaugeFunction();

  void reset() noexcept;  // uninstall now

 private:
  Gauge* gauge_ = nullptr;
  std::uint64_t generation_ = 0;
};

// A value that goes up and down (queue depth, state flags). Either set by the owner,
// or computed at scrape time by an installed function (bucket used ratio).
class Gauge {
 public:
  // What a scrape-time function returns: the value, or nullopt when it is unknown right
  // now (the sample is then left out of the exposition rather than reported as 0).
  // It runs on the scrape thread: it must be quick (return a cached value, no I/O).
  using Function = std::function<std::optional<double>()>;

  void set(double value) noexcept { value_.store(value, std::memory_order_relaxed); }
  void add(double delta) noexcept { value_.fetch_add(delta, std::memory_order_relaxed); }
  // The last set()/add() value; ignores any installed function.
  [[nodiscard]] double value() const noexcept { return value_.load(std::memory_order_relaxed); }

  // Installs `function`; it replaces the stored value in expositions until the returned
  // handle is destroyed. A later install replaces an earlier one.
  [[nodiscard]] GaugeFunction set_function(Function function);

  // What a scrape reports: the function's answer when one is installed (nullopt if it
  // returned nullopt or threw), else the stored value.
  [[nodiscard]] std::optional<double> sample() const;

 private:
  friend class GaugeFunction;
  void clear_function(std::uint64_t generation) noexcept;

  std::atomic<double> value_{0.0};
  mutable std::mutex function_mutex_;  // scrapes and (un)installs only; never set()/add()
  Function function_;
  std::uint64_t generation_ = 0;  // which install is current, so a stale handle clears nothing
};

// Distribution of observations over fixed upper bounds (Prometheus `le` buckets).
class Histogram {
 public:
  // `upper_bounds` must be finite and strictly increasing (the registry validates);
  // the +Inf bucket is implicit.
  explicit Histogram(std::vector<double> upper_bounds);

  // NaN observations are ignored: they would poison the sum forever.
  void observe(double value) noexcept;

  struct Snapshot {
    std::vector<double> upper_bounds;
    std::vector<std::uint64_t> cumulative_counts;  // one per bound, then +Inf (== count)
    double sum = 0;
    std::uint64_t count = 0;
  };
  [[nodiscard]] Snapshot snapshot() const;
  [[nodiscard]] const std::vector<double>& upper_bounds() const noexcept { return upper_bounds_; }

 private:
  std::vector<double> upper_bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> bucket_counts_;  // not cumulative; last = +Inf
  std::atomic<double> sum_{0.0};
};

// Observes the seconds between construction and destruction (steady clock) into a
// histogram: `metrics::ScopedTimer timer{catalog.processing_seconds};`.
class ScopedTimer {
 public:
  explicit ScopedTimer(Histogram& histogram)
      : histogram_(histogram), start_(std::chrono::steady_clock::now()) {}
  ScopedTimer(const ScopedTimer&) = delete;
  ScopedTimer& operator=(const ScopedTimer&) = delete;
  ~ScopedTimer() {
    histogram_.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
  }

 private:
  Histogram& histogram_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace teltubby::metrics
