// The real `teltubby jobs` process on a database the test prepares: what an operator
// sees in a shell, its exit codes, and a retry without a broker (the bot publishes later).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "queue/job_message.hpp"
#include "queue/session.hpp"
#include "queue_fixture.hpp"
#include "store/sqlite_store.hpp"
#include "store_test_support.hpp"
#include "support/child_process.hpp"
#include "support/rabbitmq_broker.hpp"
#include "support/temp_dir.hpp"

namespace teltubby {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using store::JobState;

constexpr std::string_view kPending = "1a2b3c4d-0000-4000-8000-000000000001";
constexpr std::string_view kFailed = "5e6f7a8b-0000-4000-8000-000000000002";

class JobsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_.path() / "empty.env").flush();
    store_ = store::SqliteStore::open({.path = database(), .busy_timeout = std::chrono::seconds{10}, .clock = {}});
    for (auto id : {kPending, kFailed}) {
      ASSERT_TRUE(store_->create_job(store::testing::sample_job(std::string(id), 2'147'483'648, "AgAD<cli>")).has_value());
    }
    ASSERT_TRUE(store_->transition_job(kFailed, {JobState::pending}, JobState::processing, {}).has_value());
    store::JobEventDetails failure;
    failure.error = "download <timed out>";
    ASSERT_TRUE(store_->transition_job(kFailed, {JobState::processing}, JobState::failed, failure).has_value());
  }

  [[nodiscard]] std::filesystem::path database() const { return dir_.path() / "teltubby.db"; }

  // `teltubby jobs <args>` with a broker port where nothing listens (port 1 is
  // privileged and unused on loopback), so a publish attempt fails at once.
  // With `queue`, the broker and every name it uses (unique to the test, so the run's
  // shared broker serves).
  test::CommandResult jobs(std::vector<std::string> args, std::optional<std::filesystem::path> sqlite = {},
                           const std::optional<queue::QueueSettings>& queue = std::nullopt) {
    std::vector<std::string> argv{"/usr/bin/env",
                                  "TELTUBBY_DATA_DIR=" + dir_.path().string(),
                                  "SQLITE_PATH=" + sqlite.value_or(database()).string(),
                                  "RABBITMQ_HOST=127.0.0.1",
                                  "RABBITMQ_PORT=" + std::to_string(queue ? queue->port : 1),
                                  "LOG_LEVEL=warn",
                                  TELTUBBY_BINARY,
                                  "jobs",
                                  "--env-file",
                                  (dir_.path() / "empty.env").string()};
    if (queue) {
      const std::vector<std::string> names{"JOB_QUEUE_NAME=" + queue->job_queue.str(),
                                           "JOB_PRIORITY_QUEUE=" + queue->priority_queue.str(),
                                           "JOB_RETRY_QUEUE=" + queue->retry_queue_prefix,
                                           "JOB_EXCHANGE=" + queue->job_exchange.str(),
                                           "JOB_DLX_EXCHANGE=" + queue->dlx_exchange.str(),
                                           "JOB_DEAD_LETTER_QUEUE=" + queue->dead_letter_queue.str(),
                                           "JOB_EVENTS_EXCHANGE=" + queue->events_exchange.str(),
                                           "JOB_BOT_EVENTS_QUEUE=" + queue->bot_events_queue.str(),
                                           "JOB_WORKER_CONTROL_QUEUE=" + queue->worker_control_queue.str()};
      argv.insert(argv.begin() + 1, names.begin(), names.end());
    }
    argv.insert(argv.end(), args.begin(), args.end());
    return test::run_command(argv);
  }

  test::TempDir dir_;
  std::unique_ptr<store::SqliteStore> store_;
};

TEST_F(JobsCliTest, ListPrintsCountsAndActiveJobsAsPlainText) {
  const auto result = jobs({"list"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.output, HasSubstr("PENDING 1 · PROCESSING 0 · RETRYING 0 · FAILED 1"));
  EXPECT_THAT(result.output, HasSubstr(std::string(kPending) + " PENDING · 2.0 GB · normal"));
  EXPECT_THAT(result.output, Not(HasSubstr(std::string(kFailed))));  // not active
  EXPECT_THAT(result.output, Not(HasSubstr("<b>")));
}

TEST_F(JobsCliTest, ShowTakesAPrefixAndPrintsTheHistory) {
  const auto result = jobs({"show", "5e6f7a8b"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.output, HasSubstr("Job " + std::string(kFailed)));
  EXPECT_THAT(result.output, HasSubstr("File: AgAD<cli>"));
  EXPECT_THAT(result.output, HasSubstr("Last error: download <timed out>"));
  EXPECT_THAT(result.output, HasSubstr("PROCESSING → FAILED · attempt 1 · download <timed out>"));
  EXPECT_THAT(result.output, Not(HasSubstr("<code>")));
  EXPECT_THAT(result.output, Not(HasSubstr("&lt;")));
}

TEST_F(JobsCliTest, RetryWithoutABrokerLeavesTheJobForTheBot) {
  const auto result = jobs({"retry", std::string(kFailed)});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.output, HasSubstr("was FAILED and is PENDING again"));
  EXPECT_THAT(result.output, HasSubstr("the bot will publish it when it runs"));
  auto job = store_->get_job(kFailed);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->state, JobState::pending);
  EXPECT_FALSE(job->published);
}

// The run's shared broker, with every name (JOB_*) unique to this test.
TEST_F(JobsCliTest, RetryWithABrokerPublishesAtOnceIntoTheJobsLane) {
  const queue::QueueSettings settings = queue::testing::settings_for(test::shared_rabbit_port());
  auto message = queue::testing::make_job();
  const store::JobRecord job = queue::job_record_from(message);
  ASSERT_TRUE(store_->create_job(job).has_value());
  ASSERT_TRUE(store_->transition_job(job.job_id, {JobState::pending}, JobState::cancelled, {}).has_value());
  ASSERT_TRUE(store_->set_job_priority(job.job_id, store::JobPriority::urgent).has_value());

  const auto result = jobs({"retry", job.job_id}, std::nullopt, settings);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.output, HasSubstr("Published to the broker."));
  auto row = store_->get_job(job.job_id);
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->state, JobState::pending);
  EXPECT_TRUE(row->published);

  queue::Session session(settings);
  auto delivery = session.get(settings.priority_queue);
  ASSERT_TRUE(delivery.has_value()) << delivery.error().describe();
  ASSERT_TRUE(delivery->has_value());
  auto published = queue::parse_job_message((*delivery)->body);
  ASSERT_TRUE(published.has_value());
  EXPECT_EQ(published->job_id, job.job_id);
  EXPECT_EQ(published->job_metadata.priority, store::JobPriority::urgent);
  queue::testing::delete_topology(session);
}

TEST_F(JobsCliTest, RefusalsExitOneAndChangeNothing) {
  auto wrong_state = jobs({"retry", "1a2b3c4d"});
  EXPECT_EQ(wrong_state.exit_code, 1);
  EXPECT_EQ(wrong_state.output, "");  // the reason goes to stderr
  EXPECT_EQ(jobs({"show", "ffffffff"}).exit_code, 1);
  EXPECT_EQ(jobs({"cancel", "5e6f7a8b"}).exit_code, 1);  // FAILED: nothing to cancel
  EXPECT_EQ(store_->get_job(kFailed)->state, JobState::failed);
  EXPECT_EQ(store_->get_job(kPending)->state, JobState::pending);
}

TEST_F(JobsCliTest, CancelStopsAPendingJob) {
  const auto result = jobs({"cancel", "1a2b3c4d"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.output, HasSubstr("is cancelled (it was PENDING)"));
  EXPECT_EQ(store_->get_job(kPending)->state, JobState::cancelled);
}

TEST_F(JobsCliTest, UsageAndConfigurationErrorsExitTwo) {
  EXPECT_EQ(jobs({}).exit_code, 2);
  EXPECT_EQ(jobs({"show"}).exit_code, 2);
  EXPECT_EQ(jobs({"list", "extra"}).exit_code, 2);
  EXPECT_EQ(jobs({"frobnicate", "x"}).exit_code, 2);
  const auto missing = dir_.path() / "nowhere" / "teltubby.db";
  EXPECT_EQ(jobs({"list"}, missing).exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(missing));  // a wrong path does not create a database
}

}  // namespace
}  // namespace teltubby
