#pragma once
// A metric family: one name, one help text, one instrument per distinct set of label
// values. The number of labels is part of the type, so `labels(...)` with the wrong
// number of values does not compile.
//
// Label values never carry secrets or unbounded cardinality:
// - a label with a fixed set of allowed values maps anything else to "other";
// - a free-form label (no allowed set) is passed through redact(), reduced to
//   printable ASCII and cut to `max_free_label_bytes`;
// - a family holds at most `max_children` instruments; further label sets all land in
//   the one whose values are all "other".
#include <array>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "metrics/exposition.hpp"
#include "metrics/instruments.hpp"

namespace teltubby::metrics {

struct LabelSpec {
  std::string name;
  std::vector<std::string> allowed;  // empty: free-form
  bool operator==(const LabelSpec&) const = default;
};

inline constexpr std::string_view overflow_label_value = "other";
inline constexpr std::size_t max_free_label_bytes = 64;
inline constexpr std::size_t max_children = 200;

namespace detail {

// What every family has whatever its instrument; non-template so it lives in the .cpp.
class FamilyBase {
 public:
  // Validates the names (Prometheus syntax, no duplicate or reserved label names,
  // histogram bounds finite and increasing); throws FatalError when they are wrong.
  FamilyBase(std::string name, std::string help, MetricType type, std::vector<LabelSpec> labels,
             std::vector<double> buckets);
  FamilyBase(const FamilyBase&) = delete;
  FamilyBase& operator=(const FamilyBase&) = delete;
  virtual ~FamilyBase() = default;

  [[nodiscard]] virtual FamilySnapshot collect() const = 0;

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  // Same type, help, labels and buckets: registering it again is harmless.
  [[nodiscard]] bool same_definition(const FamilyBase& other) const;

 protected:
  [[nodiscard]] std::vector<std::string> normalize(std::span<const std::string_view> values) const;
  [[nodiscard]] std::vector<std::string> overflow_key() const;
  // Every combination of allowed values when all labels have fixed sets (so a scrape
  // shows zeros before the first event); empty otherwise.
  [[nodiscard]] std::vector<std::vector<std::string>> fixed_combinations() const;
  [[nodiscard]] LabelPairs label_pairs(const std::vector<std::string>& values) const;
  [[nodiscard]] const std::vector<double>& buckets() const noexcept { return buckets_; }
  [[nodiscard]] FamilySnapshot empty_snapshot() const { return {name_, help_, type_, {}}; }

 private:
  std::string name_;
  std::string help_;
  MetricType type_;
  std::vector<LabelSpec> labels_;
  std::vector<double> buckets_;
};

// How each instrument turns into sample lines (instruments are not exposition-aware).
void append_samples(const Counter& counter, const LabelPairs& labels, std::vector<Sample>& out);
void append_samples(const Gauge& gauge, const LabelPairs& labels, std::vector<Sample>& out);
void append_samples(const Histogram& histogram, const LabelPairs& labels, std::vector<Sample>& out);

template <class Metric>
inline constexpr MetricType metric_type_of = std::is_same_v<Metric, Counter> ? MetricType::counter
                                             : std::is_same_v<Metric, Gauge> ? MetricType::gauge
                                                                             : MetricType::histogram;

}  // namespace detail

template <class Metric, std::size_t N>
class Family final : public detail::FamilyBase {
 public:
  Family(std::string name, std::string help, std::vector<LabelSpec> labels, std::vector<double> buckets)
      : FamilyBase(std::move(name), std::move(help), detail::metric_type_of<Metric>, std::move(labels),
                   std::move(buckets)) {
    for (auto& key : fixed_combinations()) children_.emplace(std::move(key), make());
  }

  // The instrument for these label values (created on first use). Takes a shared lock
  // and normalizes the values: in a hot loop, keep the returned reference.
  // This clang-format version mangles requires-clauses.
  // clang-format off
  template <class... Values>
    requires(sizeof...(Values) == N && (std::is_convertible_v<const Values&, std::string_view> && ...))
  Metric& labels(const Values&... values) {
    // clang-format on
    const std::array<std::string_view, N> raw{std::string_view(values)...};
    return child(normalize(raw));
  }

  [[nodiscard]] FamilySnapshot collect() const override {
    FamilySnapshot snapshot = empty_snapshot();
    std::shared_lock lock(mutex_);
    for (const auto& [values, metric] : children_) {
      detail::append_samples(*metric, label_pairs(values), snapshot.samples);
    }
    return snapshot;
  }

 private:
  std::unique_ptr<Metric> make() const {
    if constexpr (std::is_same_v<Metric, Histogram>) {
      return std::make_unique<Histogram>(buckets());
    } else {
      return std::make_unique<Metric>();
    }
  }

  Metric& child(std::vector<std::string> key) {
    {
      std::shared_lock lock(mutex_);
      if (const auto found = children_.find(key); found != children_.end()) return *found->second;
    }
    std::unique_lock lock(mutex_);
    if (children_.size() >= max_children && !children_.contains(key)) key = overflow_key();
    auto [slot, inserted] = children_.try_emplace(std::move(key));
    if (inserted) slot->second = make();
    return *slot->second;
  }

  mutable std::shared_mutex mutex_;
  // Ordered by label values: deterministic exposition. unique_ptr: stable addresses.
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> children_;
};

template <std::size_t N>
using CounterFamily = Family<Counter, N>;
template <std::size_t N>
using GaugeFamily = Family<Gauge, N>;
template <std::size_t N>
using HistogramFamily = Family<Histogram, N>;

}  // namespace teltubby::metrics
