// Acceptance, issue 6, end to end: the real `teltubby bot` and `teltubby worker`
// processes, the shared RabbitMQ, the fake Telegram world and the S3 test server.
// Worker-only points (retry backoff and dead-lettering, urgent before normal,
// malformed messages from another client, broker restart with 50 jobs, SIGKILL
// mid-job, cancelling a running job) are proven in tests/integration/worker_*_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "bot/commands.hpp"
#include "e2e/archive_checks.hpp"
#include "e2e/jobs_fixture.hpp"
#include "seeded_bytes.hpp"
#include "storage/crypto.hpp"
#include "support/seeded_sha256.hpp"

namespace teltubby::e2e {
namespace {

using store::JobState;

const std::string kCurator = "alice-curator";

using test::seeded_sha256;

// Where a status text is in the job's life: queued 0, started 1, progress 2, final 3.
int phase_rank(const std::string& text) {
  if (text.find("Archived") != std::string::npos || text.find("Failed") != std::string::npos ||
      text.find("Cancelled") != std::string::npos) {
    return 3;
  }
  if (text.find("Downloading") != std::string::npos || text.find("Uploading") != std::string::npos) return 2;
  if (text.find("Processing started") != std::string::npos) return 1;
  return 0;
}

Json item_of(const Json& message_json, int ordinal) {
  for (const auto& item : message_json.at("telegram").at("items")) {
    if (item.value("ordinal", 0) == ordinal) return item;
  }
  return nullptr;
}

class BotJobs : public JobsFixture {};

TEST_F(BotJobs, A120MegabyteDocumentIsArchivedByTheWorkerWithQueuedStartedProgressArchivedInOneMessage) {
  // Paced so that the transfer spans several edit intervals (3 s each).
  world().settings(Json{{"download_speed_bytes_per_second", 16'000'000}});
  start_bot();
  start_worker();
  wait_worker_known();

  constexpr std::int64_t kSize = 120LL * 1024 * 1024;
  const Json sent = send_document(kSize, 601, "dataset.tar");
  const std::int64_t id = bot_message_id(sent);
  const auto [receipt, status] = receipt_and_status();
  const store::JobRecord job = job_for(id);
  EXPECT_NE(receipt.text.find("Queued:"), std::string::npos) << receipt.text;
  EXPECT_NE(receipt.text.find(bot::job_shortcut(job.job_id)), std::string::npos) << receipt.text;

  const auto texts = status_texts_until(status.message_id, "Archived");
  ASSERT_GE(texts.size(), 3U);
  EXPECT_NE(texts.front().find("Queued"), std::string::npos) << texts.front();
  EXPECT_TRUE(std::ranges::any_of(texts, [](const std::string& t) { return phase_rank(t) == 2; }))
      << "no progress text among the edits";
  EXPECT_TRUE(std::ranges::is_sorted(texts, {}, phase_rank)) << "status went backwards";

  const store::JobRecord done = wait_job_state(job.job_id, JobState::completed);
  const std::string base = folder(kCurator, id);
  const std::string key = base + file_name(kCurator, kCurator, id, 1, "tar");
  EXPECT_EQ(done.s3_key, std::optional<std::string>(key));
  EXPECT_NE(texts.back().find(key), std::string::npos) << texts.back();
  const Json item = item_of(message_json(base), 1);
  ASSERT_TRUE(item.is_object());
  EXPECT_EQ(item.value("status", ""), "stored");
  EXPECT_EQ(item.value("sha256", ""), seeded_sha256(601, kSize));
  EXPECT_EQ(item.value("size_bytes", std::int64_t{0}), kSize);
  const auto listed = objects(base);
  const auto stored = std::ranges::find_if(listed, [&](const storage::ObjectInfo& o) { return o.key == key; });
  ASSERT_NE(stored, listed.end());
  EXPECT_EQ(stored->size, static_cast<std::uint64_t>(kSize));
}

TEST_F(BotJobs, AnAlbumWithTwoSmallItemsAndOneLargeStoresTheSmallOnesAtOnceAndTheWorkerCompletesMessageJson) {
  settings_.album_window_seconds = 1.0;
  start_bot();
  const std::string group = "13987654321099999";
  std::vector<std::int64_t> ids;
  ids.push_back(bot_message_id(send_as_curator(Json{{"kind", "photo"},
                                                    {"media_group_id", group},
                                                    {"date", kMessageDate},
                                                    {"file", {{"size", 30000}, {"seed", 611}}}})));
  ids.push_back(bot_message_id(send_as_curator(Json{{"kind", "document"},
                                                    {"media_group_id", group},
                                                    {"date", kMessageDate},
                                                    {"file", {{"size", 40000}, {"seed", 612}, {"file_name", "a.pdf"}}}})));
  ids.push_back(bot_message_id(send_as_curator(Json{{"kind", "document"},
                                                    {"media_group_id", group},
                                                    {"date", kMessageDate},
                                                    {"file", {{"size", kLargeBytes}, {"seed", 613}, {"file_name", "b.bin"}}}})));
  const auto [receipt, status] = receipt_and_status();
  EXPECT_NE(receipt.text.find("Queued:"), std::string::npos) << receipt.text;
  const std::string base = folder(kCurator, ids.front());

  // No worker yet: the small items are in, the large one is `queued` in message.json.
  const Json before = message_json(base);
  EXPECT_EQ(item_of(before, 1).value("status", ""), "stored");
  EXPECT_EQ(item_of(before, 2).value("status", ""), "stored");
  EXPECT_EQ(item_of(before, 3).value("status", ""), "queued");
  const store::JobRecord job = job_for(ids[2]);
  EXPECT_EQ(job.state, JobState::pending);
  EXPECT_FALSE(job.published) << "published before any worker said which account it uses";

  start_worker();
  wait_worker_known();
  status_texts_until(status.message_id, "Archived");
  wait_job_state(job.job_id, JobState::completed);
  const Json after = message_json(base);
  EXPECT_EQ(item_of(after, 1).value("status", ""), "stored");
  EXPECT_EQ(item_of(after, 2).value("status", ""), "stored");
  EXPECT_EQ(item_of(after, 3).value("status", ""), "stored");
  EXPECT_EQ(item_of(after, 3).value("sha256", ""), seeded_sha256(613, kLargeBytes));
}

TEST_F(BotJobs, AJobThatFailsForGoodIsRetriedWithTheRetryCommandAndThenCompletes) {
  start_bot();
  start_worker();
  wait_worker_known();
  // WORKER_MAX_RETRIES=2: three attempts, each meeting a network fault.
  world().control().post("/control/faults", Json{{"account_call", "file"}, {"kind", "network_down"}, {"count", 3}});
  const Json sent = send_document(kLargeBytes, 621, "flaky.bin");
  const std::int64_t id = bot_message_id(sent);
  const BotReply status = receipt_and_status().status;
  const store::JobRecord job = job_for(id);
  status_texts_until(status.message_id, "Failed");
  const store::JobRecord failed = wait_job_state(job.job_id, JobState::failed);
  EXPECT_EQ(failed.attempt, 3);

  const BotReply answer = send_and_reply(Json{{"kind", "text"}, {"text", "/retry " + job.job_id}});
  EXPECT_NE(answer.text.find(job.job_id.substr(0, 8)), std::string::npos) << answer.text;
  wait_job_state(job.job_id, JobState::completed);
  status_texts_until(status.message_id, "Archived");
  const Json item = item_of(message_json(folder(kCurator, id)), 1);
  EXPECT_EQ(item.value("status", ""), "stored");
  EXPECT_EQ(item.value("sha256", ""), seeded_sha256(621, kLargeBytes));
}

TEST_F(BotJobs, ACancelledPendingJobIsNeverProcessed) {
  start_bot();
  start_worker();
  wait_worker_known();
  ASSERT_EQ(stop_worker(), std::optional<int>{0});  // jobs now wait in the queue

  const std::int64_t cancelled_id = bot_message_id(send_document(kLargeBytes, 631, "unwanted.bin"));
  const BotReply status = receipt_and_status().status;
  const store::JobRecord job = job_for(cancelled_id);
  wait_published(job.job_id);
  const BotReply answer = send_and_reply(Json{{"kind", "text"}, {"text", "/cancel " + job.job_id}});
  EXPECT_NE(answer.text.find(job.job_id.substr(0, 8)), std::string::npos) << answer.text;
  EXPECT_EQ(wait_job_state(job.job_id, JobState::cancelled).state, JobState::cancelled);
  status_texts_until(status.message_id, "Cancelled");

  // A second job behind it: once the worker finished that one, it has been past the first.
  const std::int64_t wanted_id = bot_message_id(send_document(kLargeBytes, 632, "wanted.bin"));
  receipt_and_status();
  const store::JobRecord second = job_for(wanted_id);
  wait_published(second.job_id);
  start_worker();
  wait_job_state(second.job_id, JobState::completed);

  const auto history = store().job_events(job.job_id);
  ASSERT_TRUE(history.has_value());
  EXPECT_FALSE(std::ranges::any_of(*history, [](const store::JobEvent& e) { return e.to_state == JobState::processing; }))
      << "the cancelled job was processed";
  EXPECT_EQ(store().get_job(job.job_id)->state, JobState::cancelled);
  EXPECT_TRUE(object_keys(folder(kCurator, cancelled_id) + file_name(kCurator, kCurator, cancelled_id, 1, "bin")).empty());
}

TEST_F(BotJobs, EventsThatArriveWhileTheBotIsDownAreShownWhenItIsBack) {
  world().settings(Json{{"download_speed_bytes_per_second", 8'000'000}});
  start_bot();
  start_worker();
  wait_worker_known();
  const std::int64_t id = bot_message_id(send_document(kLargeBytes, 641, "later.bin"));
  const BotReply status = receipt_and_status().status;
  const store::JobRecord job = job_for(id);
  wait_published(job.job_id);
  ASSERT_EQ(stop_bot(), std::optional<int>{0});

  wait_job_state(job.job_id, JobState::completed);  // finished while nobody listened
  start_bot();
  const auto texts = status_texts_until(status.message_id, "Archived");
  EXPECT_NE(texts.back().find(file_name(kCurator, kCurator, id, 1, "bin")), std::string::npos) << texts.back();
}

}  // namespace
}  // namespace teltubby::e2e
