// SqliteStore: jobs, their state machine and history.
#include <gtest/gtest.h>

#include "core/log.hpp"
#include "store_fixture.hpp"

namespace teltubby::store {
namespace {

using namespace std::chrono_literals;
using enum JobState;
using testing::StoreTest;
using testing::unwrap;

// GCC warns about designated initializers that leave members out, so the tests build
// the details they need with these.
JobEventDetails with_bytes(std::int64_t bytes) {
  JobEventDetails details;
  details.bytes = bytes;
  return details;
}
JobEventDetails with_error(std::string error, std::optional<std::int64_t> bytes = std::nullopt) {
  JobEventDetails details;
  details.error = std::move(error);
  details.bytes = bytes;
  return details;
}
JobEventDetails with_attempt(int attempt) {
  JobEventDetails details;
  details.attempt = attempt;
  return details;
}
JobEventDetails unpublishing() {
  JobEventDetails details;
  details.mark_unpublished = true;
  return details;
}

JobRecord job(const std::string& id, std::int64_t file_size = 50'000'000) {
  JobRecord record;
  record.job_id = id;
  record.user_id = 7;
  record.chat_id = 7;
  record.message_id = 99;
  record.file_unique_id = "AgAD" + id;
  record.file_size = file_size;
  record.payload = R"({"job_id":")" + id + R"("})";
  record.max_retries = 3;
  record.s3_key = "teltubby/2026/05/chat/99/file.mp4";
  return record;
}

class JobStoreTest : public StoreTest {
 protected:
  JobRecord create(const std::string& id, std::int64_t file_size = 50'000'000) {
    auto created = store_.create_job(job(id, file_size));
    EXPECT_TRUE(created.has_value()) << created.error().describe();
    return *created;
  }
  Result<JobRecord> move(const std::string& id, std::vector<JobState> from, JobState to,
                         JobEventDetails details = {}) {
    return store_.transition_job(id, from, to, details);
  }
};

TEST_F(JobStoreTest, CreatesAPendingJobWithACreationEvent) {
  const JobRecord created = create("j1");
  EXPECT_EQ(created.state, pending);
  EXPECT_EQ(created.created_at, now_);
  EXPECT_EQ(created.updated_at, now_);
  EXPECT_FALSE(created.published);
  EXPECT_EQ(store_.get_job("j1"), created);

  auto events = store_.job_events("j1");
  ASSERT_TRUE(events.has_value());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().from_state, std::nullopt);
  EXPECT_EQ(events->front().to_state, pending);
  EXPECT_EQ(events->front().at, now_);
}

TEST_F(JobStoreTest, RefusesADuplicateIdAndBadInput) {
  create("j1");
  EXPECT_EQ(store_.create_job(job("j1")).error().code, "job.exists");
  JobRecord bad_payload = job("j2");
  bad_payload.payload = "{";
  EXPECT_EQ(store_.create_job(bad_payload).error().code, "store.invalid");
  JobRecord not_pending = job("j3");
  not_pending.state = processing;
  EXPECT_EQ(store_.create_job(not_pending).error().code, "store.invalid");
  EXPECT_EQ(store_.get_job("j2").error().code, "job.not_found");
  EXPECT_EQ(store_.get_job("j2").error().kind, ErrorKind::not_found);
}

TEST_F(JobStoreTest, WalksTheHappyPathRecordingAttemptAndBytes) {
  create("j1");
  advance(1s);
  auto started = move("j1", {pending}, processing);
  ASSERT_TRUE(started.has_value()) << started.error().describe();
  EXPECT_EQ(started->state, processing);
  EXPECT_EQ(started->attempt, 1);
  EXPECT_EQ(started->updated_at, now_);
  advance(10s);
  auto done = move("j1", {processing}, completed, with_bytes(50'000'000));
  ASSERT_TRUE(done.has_value()) << done.error().describe();
  EXPECT_EQ(done->state, completed);
  EXPECT_EQ(done->attempt, 1);

  auto events = store_.job_events("j1");
  ASSERT_TRUE(events.has_value());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[1].from_state, pending);
  EXPECT_EQ((*events)[1].to_state, processing);
  EXPECT_EQ((*events)[1].attempt, 1);
  EXPECT_EQ((*events)[2].from_state, processing);
  EXPECT_EQ((*events)[2].to_state, completed);
  EXPECT_EQ((*events)[2].bytes, 50'000'000);
  EXPECT_EQ((*events)[2].at, now_);
}

TEST_F(JobStoreTest, RetriesCountAttemptsAndKeepTheLastError) {
  create("j1");
  ASSERT_TRUE(move("j1", {pending}, processing).has_value());
  ASSERT_TRUE(move("j1", {processing}, failed, with_error("s3.SlowDown: try later", 1000)).has_value());
  ASSERT_TRUE(move("j1", {failed}, retrying).has_value());
  ASSERT_TRUE(move("j1", {retrying}, pending).has_value());
  auto second = move("j1", {pending}, processing);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->attempt, 2);
  EXPECT_EQ(second->last_error, "s3.SlowDown: try later");

  auto events = store_.job_events("j1");
  ASSERT_EQ(events->size(), 6u);
  EXPECT_EQ((*events)[2].to_state, failed);
  EXPECT_EQ((*events)[2].error, "s3.SlowDown: try later");
  EXPECT_EQ((*events)[2].bytes, 1000);
  EXPECT_EQ((*events)[2].attempt, 1);
  EXPECT_EQ((*events)[5].attempt, 2);
}

TEST_F(JobStoreTest, AnExplicitAttemptOverridesTheCount) {
  create("j1");
  auto started = move("j1", {pending}, processing, with_attempt(4));
  ASSERT_TRUE(started.has_value());
  EXPECT_EQ(started->attempt, 4);
}

TEST_F(JobStoreTest, RefusesAChangeFromAnUnexpectedStateAndNamesTheCurrentOne) {
  create("j1");
  ASSERT_TRUE(move("j1", {pending}, processing).has_value());
  ASSERT_TRUE(move("j1", {processing}, completed).has_value());
  auto cancel = move("j1", {pending, retrying}, cancelled);
  ASSERT_FALSE(cancel.has_value());
  EXPECT_EQ(cancel.error().code, "job.wrong_state");
  EXPECT_NE(cancel.error().message.find("is COMPLETED"), std::string::npos) << cancel.error().message;
  EXPECT_EQ(store_.get_job("j1")->state, completed);
  EXPECT_EQ(store_.job_events("j1")->size(), 3u);  // no history row for a refused change
}

TEST_F(JobStoreTest, RefusesAChangeTheStateTableForbidsEvenWhenTheCallerAllowsIt) {
  create("j1");
  auto skip = move("j1", {pending}, completed);
  ASSERT_FALSE(skip.has_value());
  EXPECT_EQ(skip.error().code, "job.illegal_transition");
  EXPECT_EQ(store_.get_job("j1")->state, pending);
  EXPECT_EQ(store_.job_events("j1")->size(), 1u);
}

TEST_F(JobStoreTest, TransitionOfAMissingJobIsNotFound) {
  auto missing = move("nope", {pending}, processing);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, "job.not_found");
}

TEST_F(JobStoreTest, MasksATokenInAnErrorText) {
  create("j1");
  ASSERT_TRUE(move("j1", {pending}, processing).has_value());
  const std::string token = "1234567:FAKEtokenFORteltubbyTESTSonly000000";
  auto failed_job = move("j1", {processing}, failed,
                         with_error("GET https://api.telegram.org/bot" + token + "/getFile: 500"));
  ASSERT_TRUE(failed_job.has_value());
  ASSERT_TRUE(failed_job->last_error.has_value());
  EXPECT_EQ(failed_job->last_error->find(token), std::string::npos) << *failed_job->last_error;
  EXPECT_EQ(store_.job_events("j1")->back().error->find(token), std::string::npos);
}

TEST_F(JobStoreTest, ListsByStateOldestFirstWithALimit) {
  create("a");
  advance(1s);
  create("b");
  advance(1s);
  create("c");
  ASSERT_TRUE(move("b", {pending}, processing).has_value());
  ASSERT_TRUE(move("c", {pending}, cancelled).has_value());

  auto waiting = store_.list_jobs({{pending, processing}, 0});
  ASSERT_TRUE(waiting.has_value());
  ASSERT_EQ(waiting->size(), 2u);
  EXPECT_EQ((*waiting)[0].job_id, "a");
  EXPECT_EQ((*waiting)[1].job_id, "b");
  EXPECT_EQ(store_.list_jobs({{}, 0})->size(), 3u);
  EXPECT_EQ(store_.list_jobs({{}, 2})->size(), 2u);
  EXPECT_EQ(store_.list_jobs({{failed}, 0})->size(), 0u);

  auto counts = store_.count_jobs_by_state();
  ASSERT_TRUE(counts.has_value());
  EXPECT_EQ(counts->at(pending), 1);
  EXPECT_EQ(counts->at(processing), 1);
  EXPECT_EQ(counts->at(cancelled), 1);
  EXPECT_EQ(counts->at(completed), 0);
  EXPECT_EQ(counts->size(), kAllJobStates.size());
}

TEST_F(JobStoreTest, ThroughputComesFromRecentCompletedJobs) {
  EXPECT_EQ(unwrap(store_.recent_throughput_bytes_per_second(1h)), std::optional<double>{});
  create("a", 1'000'000);
  ASSERT_TRUE(move("a", {pending}, processing).has_value());
  advance(10s);
  ASSERT_TRUE(move("a", {processing}, completed).has_value());  // 1 MB in 10 s, bytes from the job
  create("b");
  ASSERT_TRUE(move("b", {pending}, processing).has_value());
  advance(10s);
  ASSERT_TRUE(move("b", {processing}, retrying).has_value());
  ASSERT_TRUE(move("b", {retrying}, pending).has_value());
  ASSERT_TRUE(move("b", {pending}, processing).has_value());
  advance(30s);
  ASSERT_TRUE(
      move("b", {processing}, completed, with_bytes(7'000'000)).has_value());  // the last attempt: 30 s

  EXPECT_EQ(unwrap(store_.recent_throughput_bytes_per_second(1h)), std::optional<double>(8'000'000.0 / 40.0));
  EXPECT_EQ(unwrap(store_.recent_throughput_bytes_per_second(20s)),
            std::optional<double>(7'000'000.0 / 30.0));
  advance(2h);
  EXPECT_EQ(unwrap(store_.recent_throughput_bytes_per_second(1h)), std::optional<double>{});
}

TEST_F(JobStoreTest, UnpublishedPendingJobsAreListedUntilMarkedPublished) {
  create("a");
  advance(1s);
  create("b");
  ASSERT_TRUE(store_.mark_job_published("a").has_value());
  auto unpublished = store_.list_unpublished_pending_jobs(0);
  ASSERT_TRUE(unpublished.has_value());
  ASSERT_EQ(unpublished->size(), 1u);
  EXPECT_EQ(unpublished->front().job_id, "b");
  EXPECT_TRUE(store_.get_job("a")->published);
  EXPECT_EQ(store_.get_job("a")->published_at, now_);
  EXPECT_EQ(store_.mark_job_published("zzz").error().code, "job.not_found");
}

TEST_F(JobStoreTest, AdminRetryCanMarkTheJobForPublishingAgain) {
  create("a");
  ASSERT_TRUE(store_.mark_job_published("a").has_value());
  ASSERT_TRUE(move("a", {pending}, processing).has_value());
  ASSERT_TRUE(move("a", {processing}, failed, with_error("boom")).has_value());
  auto retried = move("a", {failed, cancelled}, pending, unpublishing());
  ASSERT_TRUE(retried.has_value());
  EXPECT_FALSE(retried->published);
  EXPECT_EQ(retried->published_at, std::nullopt);
  EXPECT_EQ(store_.list_unpublished_pending_jobs(0)->size(), 1u);
}

TEST_F(JobStoreTest, RemembersTheStatusMessageAndPriority) {
  create("a");
  ASSERT_TRUE(store_.set_job_status_message("a", {7, 555}).has_value());
  ASSERT_TRUE(store_.set_job_priority("a", JobPriority::urgent).has_value());
  auto found = store_.get_job("a");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->status_message, (StatusMessageRef{7, 555}));
  EXPECT_EQ(found->priority, JobPriority::urgent);
  EXPECT_EQ(store_.set_job_status_message("zzz", {7, 1}).error().code, "job.not_found");
}

}  // namespace
}  // namespace teltubby::store
