#pragma once
// The set of metric families one process exposes on /metrics.
//
//   metrics::Registry registry;
//   auto& stored = registry.counter("teltubby_ingested_messages_total", "Messages archived.");
//   stored.inc();
//   auto& skipped = registry.counter_family("teltubby_skipped_items_total", "Items not stored.",
//                                           {metrics::LabelSpec{"reason", {}}});
//   skipped.labels("exceeds_max_file_gb").inc();
//   std::string text = registry.render();  // Prometheus text format 0.0.4
//
// Registering a name again with the same definition returns the existing family (bot
// and worker code may both ask for it); with a different definition, or an invalid
// name, it throws FatalError (a start-up bug). Families and instruments live as long
// as the registry; references to them stay valid.
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "metrics/exposition.hpp"
#include "metrics/family.hpp"
#include "metrics/instruments.hpp"

namespace teltubby::metrics {

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  Counter& counter(std::string_view name, std::string_view help) {
    return family<Counter, 0>(name, help, {}, {}).labels();
  }
  Gauge& gauge(std::string_view name, std::string_view help) {
    return family<Gauge, 0>(name, help, {}, {}).labels();
  }
  // `upper_bounds`: finite, strictly increasing; +Inf is added implicitly.
  Histogram& histogram(std::string_view name, std::string_view help, std::vector<double> upper_bounds) {
    return family<Histogram, 0>(name, help, {}, std::move(upper_bounds)).labels();
  }

  template <std::size_t N>
  CounterFamily<N>& counter_family(std::string_view name, std::string_view help,
                                   const LabelSpec (&labels)[N]) {
    return family<Counter, N>(name, help, {std::begin(labels), std::end(labels)}, {});
  }
  template <std::size_t N>
  GaugeFamily<N>& gauge_family(std::string_view name, std::string_view help, const LabelSpec (&labels)[N]) {
    return family<Gauge, N>(name, help, {std::begin(labels), std::end(labels)}, {});
  }
  template <std::size_t N>
  HistogramFamily<N>& histogram_family(std::string_view name, std::string_view help,
                                       const LabelSpec (&labels)[N], std::vector<double> upper_bounds) {
    return family<Histogram, N>(name, help, {std::begin(labels), std::end(labels)}, std::move(upper_bounds));
  }

  // Every family, ordered by name; within a family, ordered by label values.
  [[nodiscard]] std::vector<FamilySnapshot> collect() const;
  // collect() in Prometheus text format 0.0.4 (serve with text_format_content_type).
  [[nodiscard]] std::string render() const;

 private:
  template <class Metric, std::size_t N>
  Family<Metric, N>& family(std::string_view name, std::string_view help, std::vector<LabelSpec> labels,
                            std::vector<double> buckets) {
    auto candidate = std::make_unique<Family<Metric, N>>(std::string(name), std::string(help),
                                                         std::move(labels), std::move(buckets));
    std::lock_guard lock(mutex_);
    auto [slot, inserted] = families_.try_emplace(std::string(name));
    if (inserted) {
      auto* created = candidate.get();
      slot->second = std::move(candidate);
      return *created;
    }
    auto* existing = dynamic_cast<Family<Metric, N>*>(slot->second.get());
    if (existing == nullptr || !existing->same_definition(*candidate)) {
      throw FatalError("metrics: " + std::string(name) + " registered twice with different definitions");
    }
    return *existing;
  }

  mutable std::mutex mutex_;  // registration and collection only; never on updates
  std::map<std::string, std::unique_ptr<detail::FamilyBase>, std::less<>> families_;
};

}  // namespace teltubby::metrics
