// Cancellation as the worker sees it: the job's row turns CANCELLED (the bot's /cancel
// changes it). A pending job is then never processed; a running one stops at its next
// checkpoint and leaves no object behind.
#include "integration/worker_fixture.hpp"

namespace teltubby::worker::testing {
namespace {

store::JobEventDetails cancelled_by_admin() {
  store::JobEventDetails details;
  details.error = "cancelled by an admin";
  return details;
}

TEST_F(WorkerTest, ACancelledPendingJobIsNeverProcessed) {
  const queue::JobMessage cancelled = prepare_job(send_document(300'000, 41), queue::JobPriority::normal, 80);
  ASSERT_TRUE(store_->transition_job(cancelled.job_id, {store::JobState::pending}, store::JobState::cancelled,
                                     cancelled_by_admin())
                  .has_value());
  publish(cancelled);
  const queue::JobMessage next = prepare_job(send_document(300'000, 42), queue::JobPriority::normal, 81);
  publish(next);
  start_worker();
  ASSERT_TRUE(wait_for_state(next.job_id, store::JobState::completed));

  EXPECT_EQ(state_of(cancelled.job_id), store::JobState::cancelled);
  auto history = store_->job_events(cancelled.job_id);
  ASSERT_TRUE(history.has_value());
  for (const auto& event : *history) EXPECT_NE(event.to_state, store::JobState::processing);
  EXPECT_FALSE(s3_->head_object(cancelled.archive.s3_key).has_value());
}

TEST_F(WorkerTest, ACancelledRunningJobStopsAtTheNextCheckpointAndLeavesNoObject) {
  // Paced so that the job is still downloading when it is cancelled.
  control_post(url_, "/control/settings", {{"download_speed_bytes_per_second", 8'000'000}});
  const queue::JobMessage job = prepare_job(send_document(40'000'000, 43), queue::JobPriority::normal, 82);
  publish(job);
  start_worker();
  const auto spool = work_dir() / (job.job_id + ".part");
  ASSERT_TRUE(test::wait_until(
      [&] {
        std::error_code error;
        return std::filesystem::file_size(spool, error) > 1'000'000 && !error;
      },
      30s, 20ms));
  ASSERT_TRUE(store_->transition_job(job.job_id, {store::JobState::processing}, store::JobState::cancelled,
                                     cancelled_by_admin())
                  .has_value());

  bool announced = false;
  ASSERT_TRUE(test::wait_until(
      [&] {
        for (const auto& message : events()) {
          if (const auto* event = std::get_if<queue::JobCancelledEvent>(&message.event)) {
            announced = announced || event->job_id == job.job_id;
          }
        }
        return announced;
      },
      20s, 50ms));
  EXPECT_EQ(state_of(job.job_id), store::JobState::cancelled);
  EXPECT_FALSE(std::filesystem::exists(spool));
  EXPECT_FALSE(s3_->head_object(job.archive.s3_key).has_value());

  // The worker goes on with the next job.
  control_post(url_, "/control/settings", {{"download_speed_bytes_per_second", 0}});
  const queue::JobMessage next = prepare_job(send_document(300'000, 44), queue::JobPriority::normal, 83);
  publish(next);
  ASSERT_TRUE(wait_for_state(next.job_id, store::JobState::completed));
}

}  // namespace
}  // namespace teltubby::worker::testing
