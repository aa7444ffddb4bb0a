#include "metrics/instruments.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <utility>

namespace teltubby::metrics {

GaugeFunction::GaugeFunction(GaugeFunction&& other) noexcept
    : gauge_(std::exchange(other.gauge_, nullptr)), generation_(other.generation_) {}

GaugeFunction& GaugeFunction::operator=(GaugeFunction&& other) noexcept {
  if (this != &other) {
    reset();
    gauge_ = std::exchange(other.gauge_, nullptr);
    generation_ = other.generation_;
  }
  return *this;
}

GaugeFunction::~GaugeFunction() {
  reset();
}

void GaugeFunction::reset() noexcept {
  if (gauge_ != nullptr) std::exchange(gauge_, nullptr)->clear_function(generation_);
}

GaugeFunction Gauge::set_function(Function function) {
  std::lock_guard lock(function_mutex_);
  function_ = std::move(function);
  return GaugeFunction(this, ++generation_);
}

void Gauge::clear_function(std::uint64_t generation) noexcept {
  std::lock_guard lock(function_mutex_);
  if (generation == generation_) function_ = nullptr;
}

std::optional<double> Gauge::sample() const {
  std::lock_guard lock(function_mutex_);
  if (!function_) return value();
  try {
    return function_();
  } catch (const std::exception&) {
    // A failing source means "unknown", not "0": leave the sample out.
    return std::nullopt;
  }
}

Histogram::Histogram(std::vector<double> upper_bounds)
    : upper_bounds_(std::move(upper_bounds)),
      bucket_counts_(std::make_unique<std::atomic<std::uint64_t>[]>(upper_bounds_.size() + 1)) {}

void Histogram::observe(double value) noexcept {
  if (std::isnan(value)) return;
  // `le` is inclusive: a value equal to a bound belongs to that bound's bucket.
  const auto bucket = static_cast<std::size_t>(
      std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value) - upper_bounds_.begin());
  bucket_counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot snapshot;
  snapshot.upper_bounds = upper_bounds_;
  snapshot.cumulative_counts.reserve(upper_bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= upper_bounds_.size(); ++i) {
    running += bucket_counts_[i].load(std::memory_order_relaxed);
    snapshot.cumulative_counts.push_back(running);
  }
  // Count is derived from the buckets so `_count` always equals the +Inf bucket, even
  // while other threads observe during the scrape.
  snapshot.count = running;
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

}  // namespace teltubby::metrics
