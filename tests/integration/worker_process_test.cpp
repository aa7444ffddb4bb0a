// The real `teltubby worker` process: SIGKILL mid-job leads to a redelivery that
// completes once with one object; SIGTERM mid-job exits 0 and puts the job back.
// They use the run's shared RabbitMQ with every name (JOB_*) unique to the test.
#include <csignal>
#include <fstream>

#include "integration/worker_fixture.hpp"
#include "support/child_process.hpp"

namespace teltubby::worker::testing {
namespace {

class WorkerProcessTest : public WorkerTest {
 protected:
  void SetUp() override {
    WorkerTest::SetUp();
    if (HasFatalFailure()) return;
    std::ofstream(dir_.path() / "empty.env").flush();
    // The downloads are paced so that a job is still running when the test signals.
    control_post(url_, "/control/settings", {{"download_speed_bytes_per_second", 8'000'000}});
  }
  void TearDown() override {
    worker_.reset();
    WorkerTest::TearDown();
  }

  void spawn_worker() {
    const auto s3 = s3_->settings();
    std::vector<std::string> argv{"/usr/bin/env",
                                  "S3_ENDPOINT=" + s3.endpoint,
                                  "S3_ACCESS_KEY_ID=" + s3.access_key,
                                  "S3_SECRET_ACCESS_KEY=" + s3.secret_key,
                                  "S3_BUCKET=" + s3.bucket,
                                  "MTPROTO_API_ID=12345",
                                  "MTPROTO_API_HASH=0123456789abcdef0123456789abcdef",
                                  "TELTUBBY_DATA_DIR=" + dir_.path().string(),
                                  "SQLITE_PATH=" + (dir_.path() / "teltubby.db").string(),
                                  "TELTUBBY_WORK_DIR=" + work_dir().string(),
                                  "RABBITMQ_HOST=127.0.0.1",
                                  "RABBITMQ_PORT=" + std::to_string(queue_.port),
                                  "JOB_QUEUE_NAME=" + queue_.job_queue.str(),
                                  "JOB_PRIORITY_QUEUE=" + queue_.priority_queue.str(),
                                  "JOB_RETRY_QUEUE=" + queue_.retry_queue_prefix,
                                  "JOB_EXCHANGE=" + queue_.job_exchange.str(),
                                  "JOB_DLX_EXCHANGE=" + queue_.dlx_exchange.str(),
                                  "JOB_DEAD_LETTER_QUEUE=" + queue_.dead_letter_queue.str(),
                                  "JOB_EVENTS_EXCHANGE=" + queue_.events_exchange.str(),
                                  "JOB_BOT_EVENTS_QUEUE=" + queue_.bot_events_queue.str(),
                                  "JOB_WORKER_CONTROL_QUEUE=" + queue_.worker_control_queue.str(),
                                  "HEALTH_PORT=" + std::to_string(health_port_),
                                  "WORKER_HEALTH_CHECK_INTERVAL=1",
                                  "LOG_LEVEL=warn",
                                  "TELTUBBY_FAKE_TELEGRAM_URL=" + url_,
                                  "TELTUBBY_FAKE_TELEGRAM_SESSION=" + session_token(),
                                  TELTUBBY_BINARY,
                                  "worker",
                                  "--env-file",
                                  (dir_.path() / "empty.env").string()};
    worker_ = std::make_unique<test::ChildProcess>(argv);
  }

  std::string session_token() {
    if (token_.empty()) {
      auto session = FakeWorldFileSource::login(url_, "+15550001234", "12345");
      EXPECT_TRUE(session.has_value());
      if (session) token_ = *session;
    }
    return token_;
  }

  // True once the running attempt has written part of the file to its spool file.
  bool mid_download(const queue::JobMessage& job) {
    std::error_code error;
    const auto size = std::filesystem::file_size(work_dir() / (job.job_id + ".part"), error);
    return !error && size > 1'000'000 && state_of(job.job_id) == store::JobState::processing;
  }

  std::size_t objects_under(const std::string& prefix) {
    std::size_t count = 0;
    EXPECT_TRUE(s3_->list_objects(prefix, [&](const storage::ObjectInfo& object) -> Status {
                     if (!object.key.ends_with("message.json")) ++count;
                     return {};
                   }).has_value());
    return count;
  }

  // GET http://127.0.0.1:<health port><path>: the status and body, or status 0.
  std::pair<long, std::string> get_local(const std::string& path) {
    http::HttpClient client;
    http::Request request;
    request.url = "http://127.0.0.1:" + std::to_string(health_port_) + path;
    request.timeout = std::chrono::seconds{5};
    auto response = client.perform(request);
    if (!response) return {0, response.error().describe()};
    return {response->status, response->body};
  }

  std::unique_ptr<test::ChildProcess> worker_;
  std::uint16_t health_port_ = test::free_loopback_port();
  std::string token_;
};

TEST_F(WorkerProcessTest, KilledMidJobTheJobIsRedeliveredAndCompletedOnceWithOneObject) {
  const WorldFile file = send_document(40'000'000, 61);
  const queue::JobMessage job = prepare_job(file);
  publish(job);
  spawn_worker();
  ASSERT_TRUE(test::wait_until([&] { return mid_download(job); }, 30s, 20ms));
  ::kill(worker_->pid(), SIGKILL);
  EXPECT_EQ(worker_->wait_exit(), -1);  // killed, not exited

  spawn_worker();
  ASSERT_TRUE(wait_for_state(job.job_id, store::JobState::completed, 45s));
  auto history = store_->job_events(job.job_id);
  ASSERT_TRUE(history.has_value());
  int attempts = 0;
  for (const auto& event : *history) attempts += event.to_state == store::JobState::processing ? 1 : 0;
  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(objects_under(job.archive.base_path), 1U);
  EXPECT_EQ(object_sha256(job.archive.s3_key), seeded_sha256(file.seed, static_cast<std::uint64_t>(file.size)));

  // The second process serves its metrics and health on HEALTH_PORT.
  std::pair<long, std::string> metrics;
  ASSERT_TRUE(test::wait_until(
      [&] {
        metrics = get_local("/metrics");
        return metrics.first == 200 && metrics.second.find("teltubby_jobs_completed_total 1") != std::string::npos;
      },
      10s, 100ms))
      << metrics.second;
  std::pair<long, std::string> health;
  ASSERT_TRUE(test::wait_until(
      [&] {
        health = get_local("/healthz");
        return health.first == 200;
      },
      10s, 100ms))
      << health.second;
  ::kill(worker_->pid(), SIGTERM);
  EXPECT_EQ(worker_->wait_exit(), 0);
}

TEST_F(WorkerProcessTest, SigtermMidJobExitsCleanlyAndPutsTheJobBackInItsQueue) {
  const WorldFile file = send_document(40'000'000, 62);
  const queue::JobMessage job = prepare_job(file);
  publish(job);
  spawn_worker();
  ASSERT_TRUE(test::wait_until([&] { return mid_download(job); }, 30s, 20ms));
  ::kill(worker_->pid(), SIGTERM);
  EXPECT_EQ(worker_->wait_exit(), 0);
  EXPECT_EQ(state_of(job.job_id), store::JobState::pending);
  auto waiting = session_->message_count(queue_.job_queue);
  ASSERT_TRUE(waiting.has_value());
  EXPECT_EQ(*waiting, 1U);
  EXPECT_FALSE(std::filesystem::exists(work_dir() / (job.job_id + ".part")));
  EXPECT_EQ(objects_under(job.archive.base_path), 0U);
}

}  // namespace
}  // namespace teltubby::worker::testing
