// Retry, cancel and priority against a real SqliteStore in a temp dir: the state rules,
// the answers a curator reads, and what changes in the row and its history.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "integration/store_fixture.hpp"
#include "jobs/job_admin.hpp"
#include "jobs/job_ref.hpp"

namespace teltubby::jobs {
namespace {

using ::testing::HasSubstr;
using store::JobState;
using store::testing::StoreTest;

constexpr std::string_view kFirst = "1a2b3c4d-0000-4000-8000-000000000001";
constexpr std::string_view kSecond = "1a2b3c4d-0000-4000-8000-000000000002";
constexpr std::string_view kOther = "99887766-5544-4332-8110-ffeeddccbbaa";

class JobAdminTest : public StoreTest {
 protected:
  void SetUp() override {
    for (auto id : {kFirst, kSecond, kOther}) {
      store::JobRecord job;
      job.job_id = std::string(id);
      job.user_id = 7;
      job.chat_id = 7;
      job.message_id = 99;
      job.file_unique_id = "AgAD" + std::string(id.substr(0, 8));
      job.file_size = 3'000'000'000;
      job.payload = "{}";
      job.max_retries = 3;
      ASSERT_TRUE(store_.create_job(job).has_value());
    }
  }
  // Moves `id` along allowed transitions to `state`, as the worker would.
  void put_in(std::string_view id, JobState state) {
    auto change = [&](JobState from, JobState to) {
      auto changed = store_.transition_job(id, {from}, to, {});
      ASSERT_TRUE(changed.has_value()) << changed.error().describe();
    };
    if (state == JobState::pending) return;
    if (state == JobState::cancelled) return change(JobState::pending, JobState::cancelled);
    change(JobState::pending, JobState::processing);
    if (state != JobState::processing) change(JobState::processing, state);
  }
  store::JobRecord row(std::string_view id) { return store::testing::unwrap(store_.get_job(id)); }
};

TEST_F(JobAdminTest, FindsAJobByFullIdOrUniquePrefix) {
  EXPECT_EQ(find_job(store_, kOther)->job_id, kOther);
  EXPECT_EQ(find_job(store_, "99887766")->job_id, kOther);
  EXPECT_EQ(find_job(store_, "1A2B3C4D000040008000000000000002")->job_id, kSecond);
  EXPECT_EQ(find_job(store_, "1a2b3c4d_0000_4000_8000_000000000001")->job_id, kFirst);
}

TEST_F(JobAdminTest, AmbiguousPrefixAsksForMoreDigits) {
  auto found = find_job(store_, "1a2b3c4d");
  ASSERT_FALSE(found.has_value());
  EXPECT_EQ(found.error().code, "job.ambiguous");
  EXPECT_EQ(found.error().message, "2 jobs start with 1a2b3c4d; give more digits");
  EXPECT_EQ(find_job(store_, "1a2b3c4d-0000-4000-8000-00000000000").error().code, "job.ambiguous");
}

TEST_F(JobAdminTest, UnknownIdsAreNamed) {
  auto full = find_job(store_, "0000aaaa-0000-4000-8000-000000000001");
  ASSERT_FALSE(full.has_value());
  EXPECT_EQ(full.error().code, "job.not_found");
  EXPECT_EQ(full.error().message, "no job 0000aaaa-0000-4000-8000-000000000001");
  EXPECT_EQ(find_job(store_, "deadbeef").error().message, "no job deadbeef");
  EXPECT_EQ(retry_job(store_, "deadbeef").error().kind, ErrorKind::not_found);
  EXPECT_EQ(cancel_job(store_, "not-an-id").error().code, "job.bad_id");
}

TEST_F(JobAdminTest, RetryMakesAFailedJobPendingAndUnpublishedWithHistory) {
  put_in(kOther, JobState::failed);
  ASSERT_TRUE(store_.mark_job_published(kOther).has_value());
  advance(std::chrono::seconds{30});
  auto retried = retry_job(store_, "99887766");
  ASSERT_TRUE(retried.has_value()) << retried.error().describe();
  EXPECT_EQ(retried->previous, JobState::failed);
  EXPECT_EQ(retried->job.state, JobState::pending);
  EXPECT_FALSE(retried->job.published);
  EXPECT_EQ(row(kOther), retried->job);
  auto unpublished = store::testing::unwrap(store_.list_unpublished_pending_jobs(10));
  ASSERT_EQ(unpublished.size(), 3u);  // the two never-published ones and the retried one
  const auto history = store::testing::unwrap(store_.job_events(kOther));
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back().from_state, JobState::failed);
  EXPECT_EQ(history.back().to_state, JobState::pending);
  EXPECT_EQ(history.back().at, now_);
}

TEST_F(JobAdminTest, RetryOfACancelledJobWorksToo) {
  put_in(kFirst, JobState::cancelled);
  auto retried = retry_job(store_, kFirst);
  ASSERT_TRUE(retried.has_value()) << retried.error().describe();
  EXPECT_EQ(retried->previous, JobState::cancelled);
  EXPECT_EQ(row(kFirst).state, JobState::pending);
}

TEST_F(JobAdminTest, RetryRefusesOtherStatesWithAReadableAnswer) {
  put_in(kOther, JobState::processing);
  auto refused = retry_job(store_, kOther);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, "job.wrong_state");
  EXPECT_EQ(refused.error().message, "job 99887766 is PROCESSING; only FAILED or CANCELLED jobs can be retried");
  EXPECT_EQ(row(kOther).state, JobState::processing);
  put_in(kFirst, JobState::completed);
  EXPECT_THAT(retry_job(store_, kFirst).error().message, HasSubstr("is COMPLETED"));
  EXPECT_THAT(retry_job(store_, kSecond).error().message, HasSubstr("is PENDING"));
}

TEST_F(JobAdminTest, CancelStopsPendingRetryingAndRunningJobs) {
  put_in(kSecond, JobState::retrying);
  put_in(kOther, JobState::processing);
  for (auto [id, before] : {std::pair{kFirst, JobState::pending}, std::pair{kSecond, JobState::retrying},
                            std::pair{kOther, JobState::processing}}) {
    auto cancelled = cancel_job(store_, id);
    ASSERT_TRUE(cancelled.has_value()) << id << ": " << cancelled.error().describe();
    EXPECT_EQ(cancelled->previous, before);
    EXPECT_EQ(row(id).state, JobState::cancelled);
    EXPECT_EQ(store::testing::unwrap(store_.job_events(id)).back().to_state, JobState::cancelled);
  }
}

TEST_F(JobAdminTest, CancelOfAFinishedJobSaysWhy) {
  put_in(kFirst, JobState::completed);
  put_in(kOther, JobState::failed);
  EXPECT_EQ(cancel_job(store_, kFirst).error().message,
            "job 1a2b3c4d is COMPLETED; only PENDING, RETRYING or PROCESSING jobs can be cancelled");
  EXPECT_THAT(cancel_job(store_, kOther).error().message, HasSubstr("is FAILED"));
  ASSERT_TRUE(cancel_job(store_, kSecond).has_value());
  EXPECT_THAT(cancel_job(store_, kSecond).error().message, HasSubstr("is CANCELLED"));
}

TEST_F(JobAdminTest, PriorityOfAPendingPublishedJobUnpublishesItForItsNewLane) {
  ASSERT_TRUE(store_.mark_job_published(kOther).has_value());
  auto raised = set_priority(store_, "99887766", store::JobPriority::urgent);
  ASSERT_TRUE(raised.has_value()) << raised.error().describe();
  EXPECT_EQ(raised->job.priority, store::JobPriority::urgent);
  EXPECT_FALSE(raised->job.published);
  EXPECT_EQ(row(kOther).priority, store::JobPriority::urgent);
}

TEST_F(JobAdminTest, PriorityIsKeptForTheNextPublishOfAFailedJob) {
  put_in(kOther, JobState::failed);
  auto raised = set_priority(store_, kOther, store::JobPriority::high);
  ASSERT_TRUE(raised.has_value()) << raised.error().describe();
  EXPECT_EQ(raised->job.state, JobState::failed);
  EXPECT_EQ(row(kOther).priority, store::JobPriority::high);
}

TEST_F(JobAdminTest, PriorityIsRefusedForRunningAndCompletedJobs) {
  put_in(kOther, JobState::processing);
  put_in(kFirst, JobState::completed);
  EXPECT_EQ(set_priority(store_, kOther, store::JobPriority::high).error().message,
            "job 99887766 is PROCESSING; it is running already; its priority no longer matters");
  EXPECT_THAT(set_priority(store_, kFirst, store::JobPriority::urgent).error().message, HasSubstr("is COMPLETED"));
  EXPECT_EQ(row(kOther).priority, store::JobPriority::normal);
}

TEST_F(JobAdminTest, OverviewListsActiveJobsNewestFirstUpToTheLimit) {
  put_in(kFirst, JobState::failed);
  advance(std::chrono::seconds{1});
  store::JobRecord newest = row(kOther);
  newest.job_id = "abcdef01-0000-4000-8000-000000000009";
  newest.state = JobState::pending;
  ASSERT_TRUE(store_.create_job(newest).has_value());
  auto overview = load_queue_overview(store_, 2);
  ASSERT_TRUE(overview.has_value()) << overview.error().describe();
  EXPECT_EQ(overview->counts.at(JobState::pending), 3);
  EXPECT_EQ(overview->counts.at(JobState::failed), 1);
  EXPECT_EQ(overview->active_total, 3u);
  ASSERT_EQ(overview->active.size(), 2u);
  EXPECT_EQ(overview->active[0].job_id, newest.job_id);
}

}  // namespace
}  // namespace teltubby::jobs
