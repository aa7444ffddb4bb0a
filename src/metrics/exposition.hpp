#pragma once
// Prometheus text exposition format 0.0.4: the data a scrape produces and the pure
// functions that render it. No I/O; the registry collects, the HTTP layer serves.
//   https://prometheus.io/docs/instrumenting/exposition_formats/
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace teltubby::metrics {

// The Content-Type a /metrics response carries.
inline constexpr std::string_view text_format_content_type = "text/plain; version=0.0.4; charset=utf-8";

enum class MetricType { counter, gauge, histogram };
std::string_view to_string(MetricType type);

using LabelPairs = std::vector<std::pair<std::string, std::string>>;

// One line of output: `<family name><suffix>{labels} value`.
struct Sample {
  std::string suffix;  // "", "_bucket", "_sum", "_count"
  LabelPairs labels;   // in output order
  std::variant<std::uint64_t, double> value;
};

struct FamilySnapshot {
  std::string name;
  std::string help;
  MetricType type = MetricType::counter;
  std::vector<Sample> samples;  // may be empty: HELP and TYPE are still written
};

// `# HELP`, `# TYPE` and the samples of every family, in the order given, each line
// ending in '\n'.
std::string render_text(std::span<const FamilySnapshot> families);

// HELP text: `\` -> `\\`, newline -> `\n`.
std::string escape_help(std::string_view text);
// Label values: `\` -> `\\`, `"` -> `\"`, newline -> `\n`.
std::string escape_label_value(std::string_view text);
// Shortest text that reads back as the same double; `+Inf`, `-Inf`, `NaN` spelled the
// Prometheus way. Used for sample values and `le` bounds alike.
std::string format_double(double value);

}  // namespace teltubby::metrics
