// Acceptance point of issue 6 (worker side): the broker restarted while 50 jobs are
// queued -> all 50 complete after the restart, none twice.
#include "integration/worker_fixture.hpp"

namespace teltubby::worker::testing {
namespace {

TEST_F(WorkerTest, BrokerRestartedWithFiftyJobsQueuedAllCompleteOnceAfterwards) {
  use_private_broker();
  ASSERT_FALSE(HasFatalFailure());
  std::vector<queue::JobMessage> jobs;
  for (int i = 0; i < 50; ++i) {
    jobs.push_back(prepare_job(send_document(50'000, 1000 + static_cast<std::uint64_t>(i)),
                               queue::JobPriority::normal, 100 + i));
    publish(jobs.back());
  }
  const auto completed = [&] {
    std::size_t done = 0;
    for (const auto& job : jobs) done += state_of(job.job_id) == store::JobState::completed ? 1U : 0U;
    return done;
  };
  start_worker();
  ASSERT_TRUE(test::wait_until([&] { return completed() >= 5; }, 30s, 20ms));
  broker_->stop();
  const std::size_t before_restart = completed();
  broker_->start();
  EXPECT_LT(before_restart, jobs.size()) << "the restart came too late to matter";
  ASSERT_TRUE(test::wait_until([&] { return completed() == jobs.size(); }, 60s, 100ms)) << completed();

  std::size_t attempts = 0;
  for (const auto& job : jobs) {
    auto history = store_->job_events(job.job_id);
    ASSERT_TRUE(history.has_value());
    for (const auto& event : *history) attempts += event.to_state == store::JobState::processing ? 1U : 0U;
    EXPECT_TRUE(s3_->head_object(job.archive.s3_key).has_value()) << job.archive.s3_key;
  }
  // A job redelivered after it completed is skipped, not processed again: only the one
  // job in flight when the broker went away (concurrency 1) may need a second attempt.
  EXPECT_LE(attempts, jobs.size() + 1);
}

}  // namespace
}  // namespace teltubby::worker::testing
