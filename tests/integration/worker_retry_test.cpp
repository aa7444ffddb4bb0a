// Worker failures: retryable errors go through the retry queues with growing delays
// until WORKER_MAX_RETRIES, then FAILED and dead-lettered; permanent errors fail at once.
#include "integration/worker_fixture.hpp"

namespace teltubby::worker::testing {
namespace {

std::vector<store::JobEvent> events_to(const std::vector<store::JobEvent>& history, store::JobState state) {
  std::vector<store::JobEvent> found;
  for (const auto& event : history) {
    if (event.to_state == state) found.push_back(event);
  }
  return found;
}

TEST_F(WorkerTest, SourceFailingTwiceThenSucceedingCompletesOnTheThirdAttemptWithGrowingDelays) {
  const WorldFile file = send_document(2'000'000, 31);
  const queue::JobMessage job = prepare_job(file);
  inject_file_faults("network_down", 2);
  publish(job);
  start_worker();
  ASSERT_TRUE(wait_for_state(job.job_id, store::JobState::completed));

  auto history = store_->job_events(job.job_id);
  ASSERT_TRUE(history.has_value());
  const auto processing = events_to(*history, store::JobState::processing);
  ASSERT_EQ(processing.size(), 3U);
  EXPECT_EQ(processing[0].attempt, 1);
  EXPECT_EQ(processing[2].attempt, 3);
  const auto retrying = events_to(*history, store::JobState::retrying);
  ASSERT_EQ(retrying.size(), 2U);
  EXPECT_NE(retrying[0].error.value_or("").find("NETWORK_DOWN"), std::string::npos);
  // Each wait in RETRYING lasted at least its backoff (200 ms, then 400 ms).
  const auto first_wait = processing[1].at - retrying[0].at;
  const auto second_wait = processing[2].at - retrying[1].at;
  EXPECT_GE(first_wait, 200ms);
  EXPECT_GE(second_wait, 400ms);

  std::vector<queue::JobRetryingEvent> announced;
  ASSERT_TRUE(test::wait_until(
      [&] {
        announced.clear();
        for (const auto& message : events()) {
          if (const auto* event = std::get_if<queue::JobRetryingEvent>(&message.event)) announced.push_back(*event);
        }
        return announced.size() >= 2;
      },
      10s, 50ms));
  EXPECT_EQ(announced[0].delay_ms, 200);
  EXPECT_EQ(announced[1].delay_ms, 400);
  EXPECT_EQ(announced[1].retry_count, 2);
  EXPECT_EQ(object_sha256(job.archive.s3_key), seeded_sha256(file.seed, static_cast<std::uint64_t>(file.size)));
}

TEST_F(WorkerTest, SourceAlwaysFailingEndsFailedAfterMaxRetriesAndDeadLetteredWithTheReason) {
  max_retries_ = 2;
  const WorldFile file = send_document(1'000'000, 32);
  const queue::JobMessage job = prepare_job(file);
  inject_file_faults("network_down", 1000);
  publish(job);
  start_worker();
  ASSERT_TRUE(wait_for_state(job.job_id, store::JobState::failed));

  auto history = store_->job_events(job.job_id);
  ASSERT_TRUE(history.has_value());
  EXPECT_EQ(events_to(*history, store::JobState::processing).size(), 3U);  // first try + 2 retries
  auto record = store_->get_job(job.job_id);
  ASSERT_TRUE(record.has_value());
  EXPECT_NE(record->last_error.value_or("").find("out of retries"), std::string::npos);

  std::optional<queue::Delivery> dead;
  ASSERT_TRUE(test::wait_until(
      [&] {
        auto got = session_->get(queue_.dead_letter_queue);
        if (got && got->has_value()) dead = **got;
        return dead.has_value();
      },
      10s, 50ms));
  auto parsed = queue::parse_job_message(dead->body);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->job_id, job.job_id);
  const auto reason = queue::header_string(dead->headers, queue::kHeaderReason);
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("NETWORK_DOWN"), std::string::npos) << *reason;
  EXPECT_EQ(queue::header_int(dead->headers, queue::kHeaderRetryCount), 2);
  EXPECT_FALSE(s3_->head_object(job.archive.s3_key).has_value());
  const auto document = read_json(job.archive.base_path + "message.json");
  EXPECT_EQ(document.at("telegram").at("items").at(0).at("status"), "failed");
}

TEST_F(WorkerTest, AFileTheAccountCannotSeeFailsAtOnceWithoutRetries) {
  const WorldFile missing{"AQADnope", 1'000'000, 1};
  const queue::JobMessage job = prepare_job(missing);
  publish(job);
  start_worker();
  ASSERT_TRUE(wait_for_state(job.job_id, store::JobState::failed));
  auto history = store_->job_events(job.job_id);
  ASSERT_TRUE(history.has_value());
  EXPECT_EQ(events_to(*history, store::JobState::processing).size(), 1U);
  EXPECT_TRUE(events_to(*history, store::JobState::retrying).empty());
  auto record = store_->get_job(job.job_id);
  ASSERT_TRUE(record.has_value());
  EXPECT_NE(record->last_error.value_or("").find("FILE_ID_INVALID"), std::string::npos);
}

TEST_F(WorkerTest, ACompletedJobDeliveredAgainIsSkippedAndStoredOnce) {
  const WorldFile file = send_document(500'000, 33);
  const queue::JobMessage job = prepare_job(file);
  publish(job);
  start_worker();
  ASSERT_TRUE(wait_for_state(job.job_id, store::JobState::completed));
  publish(job);  // a redelivery, as after a crash between COMPLETED and the ack
  ASSERT_TRUE(test::wait_until([&] { return service_->jobs_taken() >= 2; }, 10s, 20ms));
  stop_worker();
  auto history = store_->job_events(job.job_id);
  ASSERT_TRUE(history.has_value());
  EXPECT_EQ(events_to(*history, store::JobState::processing).size(), 1U);
  EXPECT_EQ(state_of(job.job_id), store::JobState::completed);
  // The redelivery repeats job.completed (the first may have been lost with the ack).
  std::vector<queue::JobCompletedEvent> completed;
  ASSERT_TRUE(test::wait_until(
      [&] {
        completed.clear();
        for (const auto& message : events()) {
          if (const auto* event = std::get_if<queue::JobCompletedEvent>(&message.event)) completed.push_back(*event);
        }
        return completed.size() >= 2;
      },
      10s, 50ms));
  EXPECT_EQ(completed[0], completed[1]);
}

}  // namespace
}  // namespace teltubby::worker::testing
