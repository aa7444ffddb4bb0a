#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "store/job_state.hpp"

namespace teltubby::store {
namespace {

using enum JobState;

TEST(JobState, RoundTripsEveryStateThroughItsStoredSpelling) {
  for (const JobState state : kAllJobStates) {
    EXPECT_EQ(parse_job_state(to_string(state)), state) << to_string(state);
  }
  EXPECT_EQ(to_string(processing), "PROCESSING");
}

TEST(JobState, RejectsUnknownAndWronglyCasedNames) {
  EXPECT_FALSE(parse_job_state("pending").has_value());
  EXPECT_FALSE(parse_job_state("").has_value());
  EXPECT_FALSE(parse_job_state("DONE").has_value());
  EXPECT_FALSE(parse_job_state("PENDING ").has_value());
}

TEST(JobState, AllowsExactlyTheTransitionsOfTheDesign) {
  const std::set<std::pair<JobState, JobState>> allowed = {
      {pending, processing},   {processing, completed}, {processing, failed}, {failed, retrying},
      {retrying, pending},     {processing, retrying},  {pending, cancelled}, {retrying, cancelled},
      {processing, cancelled}, {failed, pending},       {cancelled, pending}, {processing, pending},
  };
  for (const JobState from : kAllJobStates) {
    for (const JobState to : kAllJobStates) {
      EXPECT_EQ(is_allowed_transition(from, to), allowed.contains({from, to}))
          << to_string(from) << " -> " << to_string(to);
    }
  }
}

TEST(JobState, CompletedIsFinal) {
  for (const JobState to : kAllJobStates) EXPECT_FALSE(is_allowed_transition(completed, to)) << to_string(to);
}

TEST(JobState, NoStateTransitionsToItself) {
  for (const JobState state : kAllJobStates)
    EXPECT_FALSE(is_allowed_transition(state, state)) << to_string(state);
}

TEST(JobPriority, RoundTripsAndRejectsUnknown) {
  for (const JobPriority priority : {JobPriority::normal, JobPriority::high, JobPriority::urgent}) {
    EXPECT_EQ(parse_job_priority(to_string(priority)), priority);
  }
  EXPECT_FALSE(parse_job_priority("URGENT").has_value());
  EXPECT_FALSE(parse_job_priority("low").has_value());
}

}  // namespace
}  // namespace teltubby::store
