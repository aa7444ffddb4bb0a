// The worker end to end against real parts: the in-process fake Telegram world as the
// file source, the shared S3 test server, real SQLite and the shared RabbitMQ.
#include <cstdlib>
#include <fstream>

#include "integration/worker_fixture.hpp"

namespace teltubby::worker::testing {
namespace {

template <class T>
std::vector<T> events_of(const std::vector<queue::EventMessage>& events, const std::string& job_id) {
  std::vector<T> found;
  for (const auto& message : events) {
    if (const auto* event = std::get_if<T>(&message.event); event != nullptr) {
      if constexpr (requires { event->job_id; }) {
        if (!job_id.empty() && event->job_id != job_id) continue;
      }
      found.push_back(*event);
    }
  }
  return found;
}

// Acceptance point of issue 6 (worker side): a 120 MB file is archived with the right
// SHA-256, message.json's queued item becomes stored, the row COMPLETED, and the bot
// hears started, progress and completed.
TEST_F(WorkerTest, ArchivesA120MegabyteFileWithItsSha256AndUpdatesMessageJson) {
  const WorldFile file = send_document(120'000'000, 4242);
  const queue::JobMessage job = prepare_job(file);
  publish(job);
  start_worker();

  ASSERT_TRUE(wait_for_state(job.job_id, store::JobState::completed));
  const std::string expected_sha = seeded_sha256(file.seed, static_cast<std::uint64_t>(file.size));
  EXPECT_EQ(object_sha256(job.archive.s3_key), expected_sha);
  auto head = s3_->head_object(job.archive.s3_key);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->size, 120'000'000U);

  const auto document = read_json(job.archive.base_path + "message.json");
  const auto& item = document.at("telegram").at("items").at(0);
  EXPECT_EQ(item.at("status"), "stored");
  EXPECT_EQ(item.at("sha256"), expected_sha);
  EXPECT_EQ(item.at("s3_key"), job.archive.s3_key);
  EXPECT_EQ(document.at("keys"), nlohmann::json::array({job.archive.s3_key}));

  auto recorded = store_->find_file_by_sha256(expected_sha);
  ASSERT_TRUE(recorded.has_value() && recorded->has_value());
  EXPECT_EQ((*recorded)->s3_key, job.archive.s3_key);

  std::vector<queue::EventMessage> seen;
  ASSERT_TRUE(test::wait_until(
      [&] {
        seen = events();
        return !events_of<queue::JobCompletedEvent>(seen, job.job_id).empty();
      },
      10s, 50ms));
  const auto started = events_of<queue::JobProcessingEvent>(seen, job.job_id);
  ASSERT_EQ(started.size(), 1U);
  EXPECT_EQ(started[0].attempt, 1);
  const auto progress = events_of<queue::JobProgressEvent>(seen, job.job_id);
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back().phase, queue::ProgressPhase::upload);
  EXPECT_EQ(progress.back().bytes_done, file.size);
  EXPECT_TRUE(std::any_of(progress.begin(), progress.end(),
                          [](const auto& p) { return p.phase == queue::ProgressPhase::download; }));
  const auto completed = events_of<queue::JobCompletedEvent>(seen, job.job_id);
  EXPECT_EQ(completed[0].s3_key, job.archive.s3_key);
  EXPECT_EQ(completed[0].sha256, expected_sha);
  EXPECT_FALSE(completed[0].duplicate);
  EXPECT_FALSE(events_of<queue::WorkerHeartbeatEvent>(seen, "").empty());
  // The spool file is gone.
  EXPECT_TRUE(std::filesystem::is_empty(work_dir()));
}

TEST_F(WorkerTest, SameContentTwiceIsStoredOnceAndTheSecondItemPointsAtIt) {
  const WorldFile file = send_document(3'000'000, 77);
  const queue::JobMessage first = prepare_job(file, queue::JobPriority::normal, 50);
  const queue::JobMessage second = prepare_job(file, queue::JobPriority::normal, 51);
  publish(first);
  publish(second);
  start_worker();
  ASSERT_TRUE(wait_for_state(first.job_id, store::JobState::completed));
  ASSERT_TRUE(wait_for_state(second.job_id, store::JobState::completed));
  EXPECT_TRUE(s3_->head_object(first.archive.s3_key).has_value());
  EXPECT_FALSE(s3_->head_object(second.archive.s3_key).has_value());
  const auto document = read_json(second.archive.base_path + "message.json");
  EXPECT_EQ(document.at("telegram").at("items").at(0).at("status"), "duplicate");
  EXPECT_EQ(document.at("telegram").at("items").at(0).at("s3_key"), first.archive.s3_key);
  EXPECT_EQ(document.at("dedup_reason"), "sha256");
}

TEST_F(WorkerTest, AnUrgentJobPublishedAfterFiveNormalOnesStartsFirst) {
  const WorldFile file = send_document(100'000, 5);
  std::vector<queue::JobMessage> normal;
  for (int i = 0; i < 5; ++i) {
    normal.push_back(prepare_job(send_document(100'000, 100 + static_cast<std::uint64_t>(i)),
                                 queue::JobPriority::normal, 60 + i));
    publish(normal.back());
  }
  const queue::JobMessage urgent = prepare_job(file, queue::JobPriority::urgent, 70);
  publish(urgent);
  start_worker();
  for (const auto& job : normal) ASSERT_TRUE(wait_for_state(job.job_id, store::JobState::completed));
  ASSERT_TRUE(wait_for_state(urgent.job_id, store::JobState::completed));

  std::vector<queue::EventMessage> seen;
  ASSERT_TRUE(test::wait_until(
      [&] {
        seen = events();
        return events_of<queue::JobProcessingEvent>(seen, "").size() >= 6;
      },
      10s, 50ms));
  // The first job.processing event published is the first job started.
  std::string first_started;
  for (const auto& message : seen) {
    if (const auto* event = std::get_if<queue::JobProcessingEvent>(&message.event)) {
      first_started = event->job_id;
      break;
    }
  }
  EXPECT_EQ(first_started, urgent.job_id);
}

TEST_F(WorkerTest, AMalformedMessageFromAnotherClientIsDeadLetteredAndTheWorkerKeepsConsuming) {
  const std::string script = R"(
import sys, pika
port, exchange = int(sys.argv[1]), sys.argv[2]
connection = pika.BlockingConnection(pika.ConnectionParameters(host="127.0.0.1", port=port))
channel = connection.channel()
channel.confirm_delivery()
props = pika.BasicProperties(delivery_mode=2, content_type="application/json")
channel.basic_publish(exchange, "normal", b'{"job_id": "not-a-uuid", "file_info": 7}', props, mandatory=True)
connection.close()
)";
  const std::string script_path = (dir_.path() / "publish.py").string();
  std::ofstream(script_path) << script;
  const std::string command =
      "/usr/bin/python3 " + script_path + " " + std::to_string(queue_.port) + " " + queue_.job_exchange.str();
  ASSERT_EQ(std::system(command.c_str()), 0) << "python3-pika could not publish";

  const WorldFile file = send_document(200'000, 9);
  const queue::JobMessage valid = prepare_job(file);
  publish(valid);
  start_worker();
  ASSERT_TRUE(wait_for_state(valid.job_id, store::JobState::completed));

  std::optional<queue::Delivery> dead;
  ASSERT_TRUE(test::wait_until(
      [&] {
        auto got = session_->get(queue_.dead_letter_queue);
        if (got && got->has_value()) dead = **got;
        return dead.has_value();
      },
      10s, 50ms));
  EXPECT_NE(dead->body.find("not-a-uuid"), std::string::npos);
  const auto reason = queue::header_string(dead->headers, queue::kHeaderReason);
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("job_id"), std::string::npos) << *reason;
}

}  // namespace
}  // namespace teltubby::worker::testing
