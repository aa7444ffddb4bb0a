// The bot's side of large-file jobs, pure parts: job ids derived from the item,
// estimates, what the worker's state looks like in the key-value table, and how each
// worker event changes a job's status message.
#include <gtest/gtest.h>

#include "botsvc/job_status_board.hpp"
#include "jobs/bot_job_queue.hpp"
#include "jobs/worker_status.hpp"
#include "queue/text.hpp"

namespace teltubby {
namespace {

using namespace std::chrono_literals;

TEST(JobIdFor, IsAValidUuidV4AndTheSameForTheSameItem) {
  const std::string id = jobs::job_id_for(-1001234567890, 42, "AgADxQ");
  EXPECT_TRUE(queue::is_uuid_v4(id)) << id;
  EXPECT_EQ(id, jobs::job_id_for(-1001234567890, 42, "AgADxQ"));
  EXPECT_NE(id, jobs::job_id_for(-1001234567890, 43, "AgADxQ"));
  EXPECT_NE(id, jobs::job_id_for(-1001234567890, 42, "AgADxR"));
  // "1:23" + ":4" and "1:2" + "3:4" must not meet: the parts are separated.
  EXPECT_NE(jobs::job_id_for(1, 23, "4"), jobs::job_id_for(12, 3, "4"));
}

TEST(EstimateEta, CountsTheJobsAheadAndIsUnknownWithoutThroughput) {
  EXPECT_EQ(jobs::estimate_eta(100, 0, std::nullopt), std::nullopt);
  EXPECT_EQ(jobs::estimate_eta(100, 0, 0.0), std::nullopt);
  EXPECT_EQ(jobs::estimate_eta(100'000'000, 0, 10'000'000.0), std::chrono::seconds{10});
  EXPECT_EQ(jobs::estimate_eta(100'000'000, 200'000'000, 10'000'000.0), std::chrono::seconds{30});
  EXPECT_EQ(jobs::estimate_eta(1, 0, 10'000'000.0), std::chrono::seconds{1}) << "rounded up";
  EXPECT_EQ(jobs::estimate_eta(std::int64_t{1} << 50, 0, 1.0), std::chrono::seconds{7 * 24 * 3600}) << "capped";
}

TEST(WorkerStatusText, HeartbeatAndAuthRoundTripAndGarbageIsAbsent) {
  const auto at = std::chrono::sys_seconds{std::chrono::seconds{1'795'869'296}};
  const jobs::WorkerHeartbeat beat{"box-1", "busy", "3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f", "0.1.0", at, 4096};
  const auto decoded = jobs::decode_heartbeat(jobs::encode_heartbeat(beat));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->worker_id, "box-1");
  EXPECT_EQ(decoded->current_job, beat.current_job);
  EXPECT_EQ(decoded->at, at);
  EXPECT_EQ(decoded->cache_bytes, std::optional<std::int64_t>{4096});
  const jobs::WorkerAuth auth{"box-1", "ready", 777, std::nullopt, std::nullopt, at, "Archive (@archive)", at - 3600s};
  const auto auth_decoded = jobs::decode_auth(jobs::encode_auth(auth));
  ASSERT_TRUE(auth_decoded.has_value());
  EXPECT_EQ(auth_decoded->user_id, std::optional<std::int64_t>{777});
  EXPECT_EQ(auth_decoded->account_name, auth.account_name);
  EXPECT_EQ(auth_decoded->session_since, auth.session_since);
  const jobs::WorkerProgress progress{"3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f", "download", 35.5, 1.5e6, at};
  const auto progress_decoded = jobs::decode_progress(jobs::encode_progress(progress));
  ASSERT_TRUE(progress_decoded.has_value());
  EXPECT_EQ(progress_decoded->job_id, progress.job_id);
  EXPECT_EQ(progress_decoded->bytes_per_second, progress.bytes_per_second);
  EXPECT_EQ(jobs::decode_progress("[]"), std::nullopt);
  EXPECT_EQ(jobs::decode_heartbeat("not json"), std::nullopt);
  EXPECT_EQ(jobs::decode_auth(R"({"worker_id":1})"), std::nullopt);
}

TEST(WorkerStatusText, OnlineMeansAHeartbeatNoOlderThanTheLimit) {
  const auto at = std::chrono::sys_seconds{std::chrono::seconds{1'000}};
  jobs::WorkerStatus status;
  EXPECT_FALSE(jobs::worker_online(status, at, 90s));
  status.heartbeat = jobs::WorkerHeartbeat{"w", "idle", std::nullopt, "v", at, std::nullopt};
  EXPECT_TRUE(jobs::worker_online(status, at + 90s, 90s));
  EXPECT_FALSE(jobs::worker_online(status, at + 91s, 90s));
}

bot::JobStatusView queued_view() {
  bot::JobStatusView view;
  view.job_id = "3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f";
  view.size_bytes = 1000;
  return view;
}

TEST(JobStatusViewAfter, EachWorkerEventMovesTheStatusMessageOn) {
  const auto started = botsvc::view_after(queued_view(), queue::JobProcessingEvent{"id", "w", 1}, 3);
  ASSERT_TRUE(started.has_value());
  EXPECT_EQ(started->phase, bot::JobPhase::started);

  const auto progress = botsvc::view_after(
      *started, queue::JobProgressEvent{"id", queue::ProgressPhase::upload, 437, 1000, 43.7, 10.0}, 3);
  ASSERT_TRUE(progress.has_value());
  EXPECT_EQ(progress->phase, bot::JobPhase::uploading);
  EXPECT_EQ(progress->percent, 40) << "quantized to 5 % steps";

  const auto retrying =
      botsvc::view_after(*progress, queue::JobRetryingEvent{"id", 1, 60'000, "NETWORK_DOWN"}, 3);
  ASSERT_TRUE(retrying.has_value());
  EXPECT_EQ(retrying->phase, bot::JobPhase::retrying);
  EXPECT_EQ(retrying->attempt, 2);
  EXPECT_EQ(retrying->max_attempts, 4);
  EXPECT_EQ(retrying->error, "NETWORK_DOWN");

  const auto archived =
      botsvc::view_after(*retrying, queue::JobCompletedEvent{"id", "teltubby/k.bin", std::string(64, 'a'), 1000, false}, 3);
  ASSERT_TRUE(archived.has_value());
  EXPECT_EQ(archived->phase, bot::JobPhase::archived);
  EXPECT_EQ(archived->key, "teltubby/k.bin");
  EXPECT_TRUE(archived->error.empty());
}

TEST(JobStatusViewAfter, AFailureThatWillBeRetriedAndWorkerEventsChangeNothing) {
  EXPECT_EQ(botsvc::view_after(queued_view(), queue::JobFailedEvent{"id", "x", true, true, 1}, 3), std::nullopt);
  EXPECT_EQ(botsvc::view_after(queued_view(), queue::WorkerHeartbeatEvent{}, 3), std::nullopt);
  const auto failed = botsvc::view_after(queued_view(), queue::JobFailedEvent{"id", "FILE_ID_INVALID", false, false, 1}, 3);
  ASSERT_TRUE(failed.has_value());
  EXPECT_EQ(failed->phase, bot::JobPhase::failed);
  EXPECT_EQ(failed->error, "FILE_ID_INVALID");
  EXPECT_EQ(botsvc::job_id_of(queue::WorkerHeartbeatEvent{}), std::nullopt);
  EXPECT_EQ(botsvc::job_id_of(queue::JobCancelledEvent{"abc", std::nullopt}), std::optional<std::string>{"abc"});
}

}  // namespace
}  // namespace teltubby
