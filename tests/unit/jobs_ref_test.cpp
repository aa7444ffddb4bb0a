// How curators name jobs: full uuids, compact ids and unique prefixes; command arguments.
#include <gtest/gtest.h>

#include "jobs/job_ref.hpp"

namespace teltubby::jobs {
namespace {

constexpr std::string_view kId = "3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f";

TEST(JobRef, CanonicalIdInAnyCaseIsComplete) {
  auto ref = parse_job_ref("3F2B8C1E-9A4D-4F6B-8C2E-1A2B3C4D5E6F");
  ASSERT_TRUE(ref.has_value()) << ref.error().describe();
  EXPECT_TRUE(ref->complete());
  EXPECT_EQ(canonical_job_id(ref->digits), kId);
}

TEST(JobRef, CompactAndUnderscoreFormsAreTheSameId) {
  auto compact = parse_job_ref("3f2b8c1e9a4d4f6b8c2e1a2b3c4d5e6f");
  auto underscores = parse_job_ref("3f2b8c1e_9a4d_4f6b_8c2e_1a2b3c4d5e6f");
  ASSERT_TRUE(compact && underscores);
  EXPECT_EQ(compact->digits, underscores->digits);
  EXPECT_EQ(canonical_job_id(compact->digits), kId);
}

TEST(JobRef, EightHexDigitsOrMoreArePrefixes) {
  auto eight = parse_job_ref("  3f2b8c1e ");
  ASSERT_TRUE(eight.has_value());
  EXPECT_FALSE(eight->complete());
  EXPECT_EQ(eight->digits, "3f2b8c1e");
  auto with_separator = parse_job_ref("3f2b8c1e-9A4D");
  ASSERT_TRUE(with_separator.has_value());
  EXPECT_EQ(with_separator->digits, "3f2b8c1e9a4d");
}

TEST(JobRef, RejectsShortLongAndForeignTextBeforeAnyLookup) {
  for (std::string_view bad : {"", "   ", "3f2b8c1", "3f2b8c1g", "3f2b-8c1e", "3f2b8c1e9a4d-4f6b",
                               "3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f0", "'; DROP TABLE jobs; --", "жжжжжжжж",
                               "3f2b8c1e 9a4d"}) {
    auto ref = parse_job_ref(bad);
    ASSERT_FALSE(ref.has_value()) << bad;
    EXPECT_EQ(ref.error().code, "job.bad_id");
    EXPECT_EQ(ref.error().kind, ErrorKind::invalid_input);
  }
  EXPECT_NE(parse_job_ref("3f2b8c1").error().message.find("at least 8"), std::string::npos);
}

TEST(JobRef, ShortcutCarriesTheFirstEightHexDigits) {
  EXPECT_EQ(short_job_id(kId), "3f2b8c1e");
  EXPECT_EQ(job_shortcut_command(kId), "/jobs_3f2b8c1e");
}

TEST(JobArgs, OneJobIdExactly) {
  EXPECT_EQ(parse_job_arg(" 3f2b8c1e ", "/retry <job id>"), std::string("3f2b8c1e"));
  auto none = parse_job_arg("", "/retry <job id>");
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code, "job.bad_arguments");
  EXPECT_EQ(none.error().message, "usage: /retry <job id>");
  EXPECT_FALSE(parse_job_arg("3f2b8c1e 1a2b3c4d", "/retry <job id>").has_value());
}

TEST(JobArgs, PriorityTakesAnIdAndALevelInAnyCase) {
  auto urgent = parse_priority_args("3f2b8c1e URGENT", "/priority <job id> high|urgent");
  ASSERT_TRUE(urgent.has_value());
  EXPECT_EQ(urgent->job, "3f2b8c1e");
  EXPECT_EQ(urgent->priority, store::JobPriority::urgent);
  EXPECT_EQ(parse_priority_args("3f2b8c1e normal", "u")->priority, store::JobPriority::normal);
  EXPECT_EQ(parse_priority_args("3f2b8c1e", "u").error().code, "job.bad_arguments");
  auto wrong = parse_priority_args("3f2b8c1e asap", "u");
  ASSERT_FALSE(wrong.has_value());
  EXPECT_NE(wrong.error().message.find("normal, high or urgent"), std::string::npos);
}

}  // namespace
}  // namespace teltubby::jobs
