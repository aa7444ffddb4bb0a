#include "metrics/exposition.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <system_error>

namespace teltubby::metrics {

std::string_view to_string(MetricType type) {
  switch (type) {
    case MetricType::counter:
      return "counter";
    case MetricType::gauge:
      return "gauge";
    case MetricType::histogram:
      return "histogram";
  }
  return "untyped";
}

namespace {

std::string escape(std::string_view text, bool quote) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '"':
        if (quote) {
          out += "\\\"";
        } else {
          out += c;
        }
        break;
      default:
        out += c;
    }
  }
  return out;
}

void append_value(std::string& out, const std::variant<std::uint64_t, double>& value) {
  if (const auto* integer = std::get_if<std::uint64_t>(&value)) {
    out += std::to_string(*integer);
  } else {
    out += format_double(std::get<double>(value));
  }
}

}  // namespace

std::string escape_help(std::string_view text) {
  return escape(text, false);
}
std::string escape_label_value(std::string_view text) {
  return escape(text, true);
}

std::string format_double(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  std::array<char, 32> buffer{};  // the shortest round-trip form of a double fits in 24
  const auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  if (error != std::errc{}) return "NaN";  // cannot happen with 32 bytes; never emit garbage
  return {buffer.data(), end};
}

std::string render_text(std::span<const FamilySnapshot> families) {
  std::string out;
  for (const auto& family : families) {
    out += "# HELP ";
    out += family.name;
    out += ' ';
    out += escape_help(family.help);
    out += "\n# TYPE ";
    out += family.name;
    out += ' ';
    out += to_string(family.type);
    out += '\n';
    for (const auto& sample : family.samples) {
      out += family.name;
      out += sample.suffix;
      if (!sample.labels.empty()) {
        out += '{';
        bool first = true;
        for (const auto& [label, value] : sample.labels) {
          if (!first) out += ',';
          first = false;
          out += label;
          out += "=\"";
          out += escape_label_value(value);
          out += '"';
        }
        out += '}';
      }
      out += ' ';
      append_value(out, sample.value);
      out += '\n';
    }
  }
  return out;
}

}  // namespace teltubby::metrics
