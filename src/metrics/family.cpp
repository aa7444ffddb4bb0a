#include "metrics/family.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/error.hpp"
#include "core/log.hpp"

namespace teltubby::metrics::detail {

namespace {

bool is_metric_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    const bool digit = c >= '0' && c <= '9';
    if (!letter && !(digit && i > 0)) return false;
  }
  return true;
}

bool is_label_name(std::string_view name) {
  return is_metric_name(name) && name.find(':') == std::string_view::npos && !name.starts_with("__");
}

// Free-form values come from code paths we do not fully control (an S3 op name, a
// skip reason); keep them printable, short and free of secrets.
std::string sanitize_free_value(std::string_view raw) {
  std::string value = redact(raw);
  for (char& c : value) {
    if (c < 0x20 || c > 0x7e) c = '_';
  }
  if (value.size() > max_free_label_bytes) value.resize(max_free_label_bytes);
  return value;
}

}  // namespace

FamilyBase::FamilyBase(std::string name, std::string help, MetricType type, std::vector<LabelSpec> labels,
                       std::vector<double> buckets)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      labels_(std::move(labels)),
      buckets_(std::move(buckets)) {
  if (!is_metric_name(name_)) throw FatalError("metrics: invalid metric name '" + name_ + "'");
  std::set<std::string_view> seen;
  for (const auto& label : labels_) {
    if (!is_label_name(label.name)) {
      throw FatalError("metrics: " + name_ + ": invalid label name '" + label.name + "'");
    }
    if (type_ == MetricType::histogram && label.name == "le") {
      throw FatalError("metrics: " + name_ + ": label 'le' is reserved for histogram buckets");
    }
    if (!seen.insert(label.name).second) {
      throw FatalError("metrics: " + name_ + ": label '" + label.name + "' given twice");
    }
  }
  if (type_ == MetricType::histogram) {
    if (buckets_.empty()) throw FatalError("metrics: " + name_ + ": a histogram needs at least one bucket");
    for (std::size_t i = 0; i < buckets_.size(); ++i) {
      if (!std::isfinite(buckets_[i]) || (i > 0 && buckets_[i] <= buckets_[i - 1])) {
        throw FatalError("metrics: " + name_ + ": bucket bounds must be finite and strictly increasing");
      }
    }
  }
}

bool FamilyBase::same_definition(const FamilyBase& other) const {
  return type_ == other.type_ && help_ == other.help_ && labels_ == other.labels_ &&
         buckets_ == other.buckets_;
}

std::vector<std::string> FamilyBase::normalize(std::span<const std::string_view> values) const {
  std::vector<std::string> key;
  key.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto& allowed = labels_[i].allowed;
    if (allowed.empty()) {
      key.push_back(sanitize_free_value(values[i]));
    } else if (std::find(allowed.begin(), allowed.end(), values[i]) != allowed.end()) {
      key.emplace_back(values[i]);
    } else {
      key.emplace_back(overflow_label_value);
    }
  }
  return key;
}

std::vector<std::string> FamilyBase::overflow_key() const {
  return std::vector<std::string>(labels_.size(), std::string(overflow_label_value));
}

std::vector<std::vector<std::string>> FamilyBase::fixed_combinations() const {
  std::vector<std::vector<std::string>> combinations{{}};
  for (const auto& label : labels_) {
    if (label.allowed.empty()) return {};
    std::vector<std::vector<std::string>> next;
    for (const auto& prefix : combinations) {
      for (const auto& value : label.allowed) {
        next.push_back(prefix);
        next.back().push_back(value);
      }
    }
    combinations = std::move(next);
    if (combinations.size() > max_children) return {};
  }
  return combinations;
}

LabelPairs FamilyBase::label_pairs(const std::vector<std::string>& values) const {
  LabelPairs pairs;
  pairs.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) pairs.emplace_back(labels_[i].name, values[i]);
  return pairs;
}

void append_samples(const Counter& counter, const LabelPairs& labels, std::vector<Sample>& out) {
  out.push_back({"", labels, counter.value()});
}

void append_samples(const Gauge& gauge, const LabelPairs& labels, std::vector<Sample>& out) {
  if (const auto value = gauge.sample()) out.push_back({"", labels, *value});
}

void append_samples(const Histogram& histogram, const LabelPairs& labels, std::vector<Sample>& out) {
  const auto snapshot = histogram.snapshot();
  for (std::size_t i = 0; i < snapshot.cumulative_counts.size(); ++i) {
    LabelPairs with_le = labels;
    with_le.emplace_back("le", i < snapshot.upper_bounds.size() ? format_double(snapshot.upper_bounds[i])
                                                                : std::string("+Inf"));
    out.push_back({"_bucket", std::move(with_le), snapshot.cumulative_counts[i]});
  }
  out.push_back({"_sum", labels, snapshot.sum});
  out.push_back({"_count", labels, snapshot.count});
}

}  // namespace teltubby::metrics::detail
