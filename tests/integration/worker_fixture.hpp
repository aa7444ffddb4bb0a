#pragma once
// Shared set-up for the worker tests: the in-process fake Telegram world with a worker
// account that sent a document (its bytes generated from a seed), a fresh bucket on
// the shared S3 test server, a real SQLite store in a temp dir, queue names unique to
// the test on the shared RabbitMQ, and helpers that do what the bot would do (job row,
// message.json with a `queued` item, publish) and watch the worker's events.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/message_json.hpp"
#include "http/http_client.hpp"
#include "integration/queue_fixture.hpp"
#include "metrics/catalog.hpp"
#include "metrics/registry.hpp"
#include "queue/event_channel.hpp"
#include "queue/job_publisher.hpp"
#include "seeded_bytes.hpp"
#include "server.hpp"
#include "storage/crypto.hpp"
#include "storage/s3_client.hpp"
#include "store/sqlite_store.hpp"
#include "support/rabbitmq_broker.hpp"
#include "support/s3rver.hpp"
#include "support/seeded_sha256.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"
#include "worker/disk_admission.hpp"
#include "worker/fake_world_file_source.hpp"
#include "worker/job_processor.hpp"
#include "worker/worker_service.hpp"

namespace teltubby::worker::testing {

using namespace std::chrono_literals;

inline nlohmann::json control_post(const std::string& base_url, const std::string& path, const nlohmann::json& body) {
  http::HttpClient client;
  http::Request request;
  request.method = "POST";
  request.url = base_url + path;
  request.headers.set("Content-Type", "application/json");
  request.body = body.dump();
  auto response = client.perform(request);
  EXPECT_TRUE(response.has_value()) << path;
  if (!response) return nullptr;
  EXPECT_EQ(response->status, 200) << path << ": " << response->body;
  return nlohmann::json::parse(response->body, nullptr, false);
}

inline std::string unique_bucket() {
  static std::mt19937_64 random{std::random_device{}()};
  return "tt-worker-" + std::to_string(random() % 1'000'000'000ULL);
}

inline storage::S3Settings s3_settings(const std::string& bucket) {
  const test::S3Account account = test::shared_s3();
  storage::S3Settings s;
  s.endpoint = account.endpoint;
  s.access_key = account.access_key;
  s.secret_key = account.secret_key;
  s.bucket = bucket;
  s.part_size_bytes = 8 * storage::mebibyte;
  s.parallel_parts = 2;
  s.io_timeout = std::chrono::seconds{30};
  s.max_attempts = 3;
  s.retry_base_delay = 20ms;
  s.retry_max_delay = 200ms;
  return s;
}

using test::seeded_sha256;

struct WorldFile {
  std::string unique_id;
  std::int64_t size = 0;
  std::uint64_t seed = 0;
};

class WorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_world::ServerOptions options;
    options.rate_limits = false;
    server_ = std::make_unique<fake_world::FakeTelegramServer>(options);
    server_->start();
    url_ = server_->url();
    const auto bot = control_post(url_, "/control/bots", {{"username", "archive_bot"}, {"first_name", "Archive"}});
    bot_id_ = bot.at("id").get<std::int64_t>();
    const auto account =
        control_post(url_, "/control/users", {{"first_name", "Worker"}, {"phone", "+15550001234"}});
    account_id_ = account.at("id").get<std::int64_t>();
    auto session = FakeWorldFileSource::login(url_, "+15550001234", account.at("login_code").get<std::string>());
    ASSERT_TRUE(session.has_value()) << session.error().describe();
    source_ = std::make_unique<FakeWorldFileSource>(url_, *session, std::chrono::seconds{20});

    s3_ = std::make_unique<storage::S3Client>(s3_settings(unique_bucket()));
    ASSERT_TRUE(s3_->ensure_bucket().has_value());
    store_ = store::SqliteStore::open({.path = dir_.path() / "teltubby.db", .busy_timeout = 10s, .clock = {}});
    std::filesystem::create_directories(work_dir());

    queue_ = queue::testing::settings_for(test::shared_rabbit_port());
    queue_.retry_base_delay = 200ms;
    session_ = std::make_unique<queue::Session>(queue_);
    ASSERT_TRUE(session_->connect().has_value());
    publisher_ = std::make_unique<queue::JobPublisher>(*session_);
  }

  void TearDown() override {
    stop_worker();
    if (broker_) {  // nothing to delete: the broker goes away
      publisher_.reset();
      session_.reset();
      broker_.reset();
      return;
    }
    if (!session_) return;
    std::vector<queue::QueueName> retry_queues;
    for (int n = 0; n <= max_retries_; ++n) {
      for (const auto lane : {queue::JobLane::normal, queue::JobLane::priority}) {
        retry_queues.push_back(queue::retry_queue(queue_, lane, queue::retry_delay(queue_.retry_base_delay, n)).name);
      }
    }
    queue::testing::delete_topology(*session_, retry_queues);
  }

  // Moves the test to a broker of its own, with the default (production) names: for
  // tests that restart the broker or run the real process, whose event and control
  // names are not configurable and must not reach other tests on the shared broker.
  void use_private_broker() {
    queue::testing::delete_topology(*session_);  // what SetUp declared on the shared broker
    broker_ = std::make_unique<test::PrivateRabbitBroker>();
    queue_ = queue::QueueSettings{};
    queue_.port = broker_->port();
    queue_.poll_interval = 50ms;
    queue_.reconnect_base_delay = 100ms;
    queue_.reconnect_max_delay = 1'000ms;
    queue_.rpc_timeout = 5'000ms;
    queue_.retry_base_delay = 200ms;
    session_ = std::make_unique<queue::Session>(queue_);
    ASSERT_TRUE(session_->connect().has_value());
    publisher_ = std::make_unique<queue::JobPublisher>(*session_);
  }

  [[nodiscard]] std::filesystem::path work_dir() const { return dir_.path() / "work"; }

  // A document sent by the worker account to the bot (so the account can see it).
  WorldFile send_document(std::int64_t size, std::uint64_t seed) {
    const auto sent = control_post(url_, "/control/send",
                                   {{"from_user_id", account_id_},
                                    {"chat_id", bot_id_},
                                    {"kind", "document"},
                                    {"file", {{"size", size}, {"seed", seed}, {"file_name", "big.bin"}}}});
    return {sent.at("message").at("files").at(0).at("unique_id").get<std::string>(), size, seed};
  }

  void inject_file_faults(const std::string& kind, int count) {
    control_post(url_, "/control/faults", {{"account_call", "file"}, {"kind", kind}, {"count", count}});
  }

  // What the bot does: a job for `file`, its PENDING row, and message.json with the
  // item `queued`.
  queue::JobMessage prepare_job(const WorldFile& file, queue::JobPriority priority = queue::JobPriority::normal,
                                int message_id = 42) {
    queue::JobMessage job = queue::testing::make_job(priority, file.unique_id);
    job.message_id = message_id;
    job.file_info.file_size = file.size;
    job.job_metadata.max_retries = max_retries_;
    const std::string base = "teltubby/2026/11/chat/" + std::to_string(message_id) + "-" + job.job_id.substr(0, 8) + "/";
    job.archive = {base, base + "big.bin", 1};

    store::JobRecord record;
    record.job_id = job.job_id;
    record.priority = priority;
    record.user_id = job.user_id;
    record.chat_id = job.chat_id;
    record.message_id = job.message_id;
    record.file_unique_id = file.unique_id;
    record.file_size = file.size;
    record.payload = queue::serialize(job);
    record.max_retries = max_retries_;
    record.s3_key = job.archive.s3_key;
    EXPECT_TRUE(store_->create_job(record).has_value());

    archive::MessageRecord message;
    message.archive_time = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    message.message_time = message.archive_time;
    message.bucket = s3_->settings().bucket;
    message.base_path = base;
    message.telegram.message_id = job.message_id;
    message.telegram.chat_id = job.chat_id;
    archive::ItemRecord item;
    item.ordinal = 1;
    item.type = archive::MediaType::document;
    item.size_bytes = file.size;
    item.file_id = job.file_info.file_id;
    item.file_unique_id = file.unique_id;
    item.original_filename = "big.bin";
    item.status = archive::ItemStatus::queued;
    item.job_id = job.job_id;
    message.telegram.items.push_back(item);
    auto document = archive::build_message_json(message);
    EXPECT_TRUE(document.has_value()) << (document ? "" : document.error().describe());
    if (document) {
      EXPECT_TRUE(s3_->put_object(base + "message.json", document->dump(), "application/json").has_value());
    }
    return job;
  }

  void publish(const queue::JobMessage& job) { ASSERT_TRUE(publisher_->publish(job).has_value()); }

  void start_worker(unsigned concurrency = 1) {
    disk_ = std::make_unique<DiskAdmission>(work_dir(), 1024 * 1024);
    processor_ = std::make_unique<JobProcessor>(ProcessorSettings{.work_dir = work_dir(),
                                                                  .worker_id = "test-worker",
                                                                  .max_retries = max_retries_,
                                                                  .progress_interval = 100ms,
                                                                  .cancel_poll_interval = 100ms},
                                                *store_, *s3_, *source_, *disk_, catalog_);
    service_ = std::make_unique<WorkerService>(WorkerServiceSettings{.queue = queue_,
                                                                     .concurrency = concurrency,
                                                                     .heartbeat_interval = 500ms,
                                                                     .idle_wait = 200ms,
                                                                     .no_room_wait = 200ms,
                                                                     .worker_id = "test-worker",
                                                                     .version = "test",
                                                                     .account_user_id = std::nullopt,
                                                                     .can_take_jobs = {},
                                                                     .cache_bytes = {}},
                                               *processor_);
    runner_ = std::jthread([this] { service_->run(); });
  }

  void stop_worker() {
    if (service_) service_->stop();
    if (runner_.joinable()) runner_.join();
  }

  store::JobState state_of(const std::string& job_id) {
    auto job = store_->get_job(job_id);
    EXPECT_TRUE(job.has_value());
    return job ? job->state : store::JobState::pending;
  }

  bool wait_for_state(const std::string& job_id, store::JobState state, std::chrono::milliseconds timeout = 45s) {
    return test::wait_until([&] { return state_of(job_id) == state; }, timeout, 50ms);
  }

  // Every event the worker published so far (drains the bot's event queue).
  std::vector<queue::EventMessage>& events() {
    queue::EventConsumer consumer(*session_);
    while (true) {
      auto next = consumer.next_event(100ms);
      if (!next || !next->has_value()) break;
      events_.push_back(**next);
    }
    return events_;
  }

  nlohmann::json read_json(const std::string& key) {
    std::string body;
    auto got = s3_->get_object(key, [&](std::span<const std::byte> bytes) -> Status {
      body.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
      return {};
    });
    EXPECT_TRUE(got.has_value()) << key;
    return nlohmann::json::parse(body, nullptr, false);
  }

  std::string object_sha256(const std::string& key) {
    storage::Sha256 hasher;
    auto got = s3_->get_object(key, [&](std::span<const std::byte> bytes) -> Status {
      hasher.update(bytes);
      return {};
    });
    EXPECT_TRUE(got.has_value()) << key;
    return storage::to_hex(hasher.finish());
  }

  test::TempDir dir_{"teltubby-worker-test"};
  std::unique_ptr<fake_world::FakeTelegramServer> server_;
  std::string url_;
  std::int64_t bot_id_ = 0;
  std::int64_t account_id_ = 0;
  std::unique_ptr<FakeWorldFileSource> source_;
  std::unique_ptr<storage::S3Client> s3_;
  std::unique_ptr<store::SqliteStore> store_;
  queue::QueueSettings queue_;
  std::unique_ptr<test::PrivateRabbitBroker> broker_;  // set by use_private_broker()
  std::unique_ptr<queue::Session> session_;
  std::unique_ptr<queue::JobPublisher> publisher_;
  int max_retries_ = 3;
  metrics::Registry registry_;
  metrics::Catalog catalog_{registry_};
  std::unique_ptr<DiskAdmission> disk_;
  std::unique_ptr<JobProcessor> processor_;
  std::unique_ptr<WorkerService> service_;
  std::jthread runner_;
  std::vector<queue::EventMessage> events_;
};

}  // namespace teltubby::worker::testing
