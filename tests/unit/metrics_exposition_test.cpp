// Golden text for every shape of output, so a change to the format is a visible diff.
#include <gtest/gtest.h>

#include <limits>

#include "core/error.hpp"
#include "metrics/registry.hpp"

namespace teltubby::metrics {
namespace {

TEST(MetricsExposition, RendersUnlabelledCounterWithHelpAndType) {
  Registry registry;
  registry.counter("demo_total", "Things counted.").inc(3);
  EXPECT_EQ(registry.render(),
            "# HELP demo_total Things counted.\n"
            "# TYPE demo_total counter\n"
            "demo_total 3\n");
}

TEST(MetricsExposition, RendersLabelledCounterOrderedByLabelValues) {
  Registry registry;
  auto& requests = registry.counter_family("requests_total", "Requests.",
                                           {LabelSpec{"method", {}}, LabelSpec{"code", {}}});
  requests.labels("post", "500").inc();
  requests.labels("get", "200").inc(2);
  EXPECT_EQ(registry.render(),
            "# HELP requests_total Requests.\n"
            "# TYPE requests_total counter\n"
            "requests_total{method=\"get\",code=\"200\"} 2\n"
            "requests_total{method=\"post\",code=\"500\"} 1\n");
}

TEST(MetricsExposition, RendersGaugeValuesIncludingFractionsAndInfinities) {
  Registry registry;
  auto& gauges = registry.gauge_family("level", "Level.", {LabelSpec{"which", {}}});
  gauges.labels("a").set(0.25);
  gauges.labels("b").set(-3);
  gauges.labels("c").set(std::numeric_limits<double>::infinity());
  gauges.labels("d").set(1e21);
  EXPECT_EQ(registry.render(),
            "# HELP level Level.\n"
            "# TYPE level gauge\n"
            "level{which=\"a\"} 0.25\n"
            "level{which=\"b\"} -3\n"
            "level{which=\"c\"} +Inf\n"
            "level{which=\"d\"} 1e+21\n");
}

TEST(MetricsExposition, RendersHistogramCumulativeBucketsInfSumAndCount) {
  Registry registry;
  auto& histogram = registry.histogram("latency_seconds", "Latency.", {0.5, 1, 2.5});
  histogram.observe(0.5);  // le is inclusive: lands in the 0.5 bucket
  histogram.observe(0.75);
  histogram.observe(2);
  histogram.observe(100);
  EXPECT_EQ(registry.render(),
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{le=\"0.5\"} 1\n"
            "latency_seconds_bucket{le=\"1\"} 2\n"
            "latency_seconds_bucket{le=\"2.5\"} 3\n"
            "latency_seconds_bucket{le=\"+Inf\"} 4\n"
            "latency_seconds_sum 103.25\n"
            "latency_seconds_count 4\n");
}

TEST(MetricsExposition, LabelledHistogramPutsLeAfterItsOwnLabels) {
  Registry registry;
  registry.histogram_family("size_bytes", "Size.", {LabelSpec{"kind", {}}}, {10}).labels("photo").observe(4);
  EXPECT_EQ(registry.render(),
            "# HELP size_bytes Size.\n"
            "# TYPE size_bytes histogram\n"
            "size_bytes_bucket{kind=\"photo\",le=\"10\"} 1\n"
            "size_bytes_bucket{kind=\"photo\",le=\"+Inf\"} 1\n"
            "size_bytes_sum{kind=\"photo\"} 4\n"
            "size_bytes_count{kind=\"photo\"} 1\n");
}

TEST(MetricsExposition, EscapesBackslashQuoteAndNewlineInLabelValuesAndHelp) {
  Registry registry;
  registry.counter_family("odd_total", "Help with \\ and\nnewline and \"quotes\".", {LabelSpec{"v", {}}})
      .labels("a\\b\"c\nd")
      .inc();
  // Free-form values are reduced to printable ASCII, so the newline becomes '_' before
  // escaping; the escaper itself is checked directly below.
  EXPECT_EQ(registry.render(),
            "# HELP odd_total Help with \\\\ and\\nnewline and \"quotes\".\n"
            "# TYPE odd_total counter\n"
            "odd_total{v=\"a\\\\b\\\"c_d\"} 1\n");
  EXPECT_EQ(escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  EXPECT_EQ(escape_help("a\\b\"c\nd"), "a\\\\b\"c\\nd");
}

TEST(MetricsExposition, OrdersFamiliesByNameWhateverTheRegistrationOrder) {
  Registry registry;
  registry.gauge("zeta", "Z.");
  registry.counter("alpha_total", "A.");
  EXPECT_EQ(registry.render(),
            "# HELP alpha_total A.\n# TYPE alpha_total counter\nalpha_total 0\n"
            "# HELP zeta Z.\n# TYPE zeta gauge\nzeta 0\n");
}

TEST(MetricsExposition, LabelledFamilyWithoutChildrenStillDeclaresItself) {
  Registry registry;
  registry.counter_family("later_total", "Later.", {LabelSpec{"x", {}}});
  EXPECT_EQ(registry.render(), "# HELP later_total Later.\n# TYPE later_total counter\n");
}

TEST(MetricsExposition, FormatsDoublesInShortestRoundTripForm) {
  EXPECT_EQ(format_double(0.1), "0.1");
  EXPECT_EQ(format_double(1.0), "1");
  EXPECT_EQ(format_double(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_double(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(format_double(0.005), "0.005");
}

TEST(MetricsExposition, CounterKeepsExactIntegersBeyondDoublePrecision) {
  Registry registry;
  registry.counter("big_total", "Big.").inc((std::uint64_t{1} << 53) + 1);
  EXPECT_NE(registry.render().find("big_total 9007199254740993\n"), std::string::npos);
}

}  // namespace
}  // namespace teltubby::metrics
