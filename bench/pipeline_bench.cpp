// The timing-critical halves of `make bench` (bench/run_bench.py runs them): the
// worker's large-file pipeline and the job queue, driven through the project's own
// code (JobProcessor, SqliteStore, S3Client, JobPublisher/JobConsumer), against the
// S3 test server and the private RabbitMQ that scripts/test-services started.
//
//   pipeline_bench large FILE WORK_DIR   one job for FILE, as the worker processes it
//   pipeline_bench jobs COUNT WORK_DIR   enqueue rate and enqueue-to-pickup latency
//
// Reads TELTUBBY_TEST_S3_{ENDPOINT,ACCESS_KEY,SECRET_KEY} and TELTUBBY_TEST_AMQP_PORT
// (scripts/test-services' env file). Prints one JSON object on stdout; the driver
// measures the process's peak RSS itself (wait4), so each size runs in a fresh process.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/message_json.hpp"
#include "core/log.hpp"
#include "jobs/publishing.hpp"
#include "metrics/catalog.hpp"
#include "metrics/registry.hpp"
#include "queue/event_channel.hpp"
#include "queue/job_consumer.hpp"
#include "queue/job_message.hpp"
#include "queue/job_publisher.hpp"
#include "queue/session.hpp"
#include "queue/text.hpp"
#include "storage/s3_client.hpp"
#include "store/sqlite_store.hpp"
#include "worker/disk_admission.hpp"
#include "worker/job_processor.hpp"
#include "worker/large_file_source.hpp"

namespace {

using namespace teltubby;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

std::string required_env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') throw std::runtime_error(std::string("missing environment variable ") + name);
  return value;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A bucket name of our own per run: runs never see each other's objects or dedup hits.
std::string fresh_bucket(const std::string& prefix) {
  std::mt19937_64 random{std::random_device{}()};
  return prefix + std::to_string(random() % 1'000'000'000'000ULL);
}

// The production S3 settings (part size 8 MiB, 2 parts in flight: S3Settings'
// defaults, the same as S3_MULTIPART_PART_BYTES' default) on the test server.
storage::S3Settings s3_settings(const std::string& bucket) {
  storage::S3Settings s;
  s.endpoint = required_env("TELTUBBY_TEST_S3_ENDPOINT");
  s.access_key = required_env("TELTUBBY_TEST_S3_ACCESS_KEY");
  s.secret_key = required_env("TELTUBBY_TEST_S3_SECRET_KEY");
  s.bucket = bucket;
  // For profiling runs by hand only (make bench never sets them): other part sizes and
  // parallelism than the production defaults.
  if (const char* part = std::getenv("BENCH_PART_BYTES")) s.part_size_bytes = std::stoull(part);
  if (const char* parallel = std::getenv("BENCH_PARALLEL_PARTS")) {
    s.parallel_parts = static_cast<unsigned>(std::stoul(parallel));
  }
  return s;
}

// Queue names of our own on the private broker; otherwise the production defaults
// (poll_interval 200 ms: the worker's idle basic.get cadence).
queue::QueueSettings queue_settings() {
  const std::string prefix = "bench." + queue::make_uuid_v4().substr(0, 8) + ".";
  queue::QueueSettings s;
  s.port = static_cast<std::uint16_t>(std::stoi(required_env("TELTUBBY_TEST_AMQP_PORT")));
  s.job_exchange = queue::ExchangeName{prefix + "jobs"};
  s.job_queue = queue::QueueName{prefix + "large_files"};
  s.priority_queue = queue::QueueName{prefix + "priority_jobs"};
  s.retry_queue_prefix = prefix + "retry_jobs";
  s.dlx_exchange = queue::ExchangeName{prefix + "dlx"};
  s.dead_letter_queue = queue::QueueName{prefix + "failed_jobs"};
  s.events_exchange = queue::ExchangeName{prefix + "events"};
  s.bot_events_queue = queue::QueueName{prefix + "bot_events"};
  s.worker_control_queue = queue::QueueName{prefix + "worker_control"};
  return s;
}

// What TdlibFileSource does once TDLib has the file on disk (1 MiB pieces through an
// ifstream), with a local file standing in for TDLib's download: the network part of
// the download is Telegram's and not ours to measure.
class LocalFileSource final : public worker::LargeFileSource {
 public:
  explicit LocalFileSource(std::filesystem::path path) : path_(std::move(path)) {}
  Status download(const queue::JobMessage&, const worker::ChunkSink& sink, const worker::ProgressCallback& progress,
                  const worker::CancelCheck& cancelled) override {
    std::ifstream in(path_, std::ios::binary);
    if (!in) return fail(ErrorKind::permanent, "bench.source", "cannot open " + path_.string());
    const auto total = static_cast<std::int64_t>(std::filesystem::file_size(path_));
    std::vector<std::byte> buffer(std::size_t{1} << 20);
    std::int64_t done = 0;
    while (done < total) {
      if (cancelled()) return fail(ErrorKind::cancelled, "worker.cancelled", "stopped");
      const auto want = static_cast<std::streamsize>(std::min<std::int64_t>(total - done, 1 << 20));
      in.read(reinterpret_cast<char*>(buffer.data()), want);  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
      if (in.gcount() != want) return fail(ErrorKind::retryable, "bench.source", "file ended early");
      if (auto taken = sink(std::span<const std::byte>(buffer.data(), static_cast<std::size_t>(want))); !taken) {
        return taken;
      }
      done += want;
      progress(done, total);
    }
    finished_ = Clock::now();
    return {};
  }
  // When the last byte went to the spool: splits the job into its spool phase (read,
  // SHA-256, write) and its upload phase (dedup lookup, upload, message.json).
  [[nodiscard]] Clock::time_point finished() const { return finished_; }

 private:
  std::filesystem::path path_;
  Clock::time_point finished_{};
};

queue::JobMessage job_for(std::int64_t size, int message_id, const std::string& unique_id) {
  queue::JobMessage job;
  job.job_id = queue::make_uuid_v4();
  job.user_id = 1000001;
  job.chat_id = -1001000000001;
  job.message_id = message_id;
  job.file_info = {"BQACAgIAAxkBAAIBbench", unique_id, size, "document", "big.bin", "application/octet-stream"};
  job.job_metadata.created_at = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const std::string base = "teltubby/2026/12/bench/" + std::to_string(message_id) + "/";
  job.archive = {base, base + "big.bin", 1};
  return job;
}

// What the bot leaves for the worker: the PENDING row and message.json with the item
// `queued` (the worker rewrites it, which is part of what we measure).
void prepare_like_the_bot(store::Store& store, storage::S3Client& s3, const queue::JobMessage& job) {
  if (auto created = store.create_job(queue::job_record_from(job)); !created) {
    throw std::runtime_error("create_job: " + created.error().describe());
  }
  archive::MessageRecord message;
  message.archive_time = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  message.message_time = message.archive_time;
  message.bucket = s3.settings().bucket;
  message.base_path = job.archive.base_path;
  message.telegram.message_id = job.message_id;
  message.telegram.chat_id = job.chat_id;
  archive::ItemRecord item;
  item.ordinal = 1;
  item.type = archive::MediaType::document;
  item.size_bytes = job.file_info.file_size;
  item.file_id = job.file_info.file_id;
  item.file_unique_id = job.file_info.file_unique_id;
  item.original_filename = "big.bin";
  item.status = archive::ItemStatus::queued;
  item.job_id = job.job_id;
  message.telegram.items.push_back(item);
  auto document = archive::build_message_json(message);
  if (!document) throw std::runtime_error("message.json: " + document.error().describe());
  if (auto put = s3.put_object(job.archive.base_path + "message.json", document->dump(), "application/json"); !put) {
    throw std::runtime_error("put message.json: " + put.error().describe());
  }
}

void delete_bucket_objects(storage::S3Client& s3) {
  (void)s3.list_objects("", [&](const storage::ObjectInfo& object) { return s3.delete_object(object.key); });
}

// One large-file job through the worker's JobProcessor: spool + SHA-256, dedup lookup,
// multipart upload, record, message.json rewrite, COMPLETED.
json run_large(const std::filesystem::path& file, const std::filesystem::path& work_dir) {
  const auto size = static_cast<std::int64_t>(std::filesystem::file_size(file));
  std::filesystem::create_directories(work_dir / "spool");
  auto store = store::SqliteStore::open({.path = work_dir / "bench.db", .busy_timeout = std::chrono::seconds{10}, .clock = {}});
  storage::S3Client s3(s3_settings(fresh_bucket("tt-bench-large-")));
  if (auto made = s3.ensure_bucket(); !made) throw std::runtime_error("bucket: " + made.error().describe());
  queue::Session session(queue_settings());
  if (auto connected = session.connect(); !connected) {
    throw std::runtime_error("amqp: " + connected.error().describe());
  }
  queue::JobPublisher publisher(session);
  queue::EventPublisher events(session);
  metrics::Registry registry;
  metrics::Catalog catalog(registry);
  worker::DiskAdmission disk(work_dir / "spool", 64 * storage::mebibyte);
  LocalFileSource source(file);
  // The worker's own settings (src/app/command_worker.cpp): progress every 2 s, cancel
  // poll every 1 s.
  worker::JobProcessor processor(worker::ProcessorSettings{.work_dir = work_dir / "spool",
                                                           .worker_id = "bench-worker",
                                                           .max_retries = 0,
                                                           .progress_interval = std::chrono::seconds{2},
                                                           .cancel_poll_interval = std::chrono::seconds{1}},
                                 *store, s3, source, disk, catalog);
  const queue::JobMessage job = job_for(size, 1, "AgADbench" + queue::make_uuid_v4().substr(0, 8));
  prepare_like_the_bot(*store, s3, job);

  const auto started = Clock::now();
  auto outcome = processor.process(job, publisher, events, [] { return false; });
  const double seconds = seconds_since(started);
  if (!outcome) throw std::runtime_error("process: " + outcome.error().describe());
  auto head = s3.head_object(job.archive.s3_key);
  auto row = store->get_job(job.job_id);
  json result{{"bytes", size},
              {"seconds", seconds},
              {"spool_seconds", std::chrono::duration<double>(source.finished() - started).count()},
              {"outcome", std::string(worker::to_string(*outcome))},
              {"object_size", head ? static_cast<std::int64_t>(head->size) : -1},
              {"state", row ? std::string(store::to_string(row->state)) : "unknown"}};
  delete_bucket_objects(s3);
  return result;
}


double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(rank, values.size() - 1)];
}

json summary_ms(const std::vector<double>& seconds) {
  std::vector<double> ms;
  ms.reserve(seconds.size());
  for (const double s : seconds) ms.push_back(s * 1000.0);
  return json{{"n", ms.size()},
              {"p50_ms", percentile(ms, 50)},
              {"p95_ms", percentile(ms, 95)},
              {"p99_ms", percentile(ms, 99)},
              {"min_ms", ms.empty() ? 0 : *std::min_element(ms.begin(), ms.end())},
              {"max_ms", ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end())}};
}

// Enqueueing as the bot does it: the PENDING row (create_job), then publish_job
// (publish with publisher confirm, then the row marked published).
Clock::time_point enqueue(store::Store& store, queue::JobPublisher& publisher, int message_id) {
  const queue::JobMessage job = job_for(150'000'000, message_id, "AgADq" + queue::make_uuid_v4().substr(0, 12));
  const auto started = Clock::now();
  auto created = store.create_job(queue::job_record_from(job));
  if (!created) throw std::runtime_error("create_job: " + created.error().describe());
  if (auto published = jobs::publish_job(store, publisher, *created); !published) {
    throw std::runtime_error("publish_job: " + published.error().describe());
  }
  return started;
}

// The worker's consuming loop reduced to take + ack: records when each job was taken.
class PickupRecorder {
 public:
  explicit PickupRecorder(queue::QueueSettings settings) : session_(std::move(settings)) {
    if (auto connected = session_.connect(); !connected) throw std::runtime_error("amqp: " + connected.error().describe());
  }
  // Takes jobs until `expected` were taken (or 30 s without one).
  void run(std::size_t expected) {
    queue::JobConsumer consumer(session_);
    while (taken_.size() < expected) {
      auto next = consumer.next(std::chrono::seconds{30});
      if (!next) throw std::runtime_error("consume: " + next.error().describe());
      if (!next->has_value()) break;
      const auto at = Clock::now();
      if (auto acked = consumer.ack(**next); !acked) throw std::runtime_error("ack: " + acked.error().describe());
      std::lock_guard lock(mutex_);
      taken_.emplace((*next)->job.message_id, at);
    }
  }
  std::map<std::int64_t, Clock::time_point> taken() {
    std::lock_guard lock(mutex_);
    return taken_;
  }

 private:
  queue::Session session_;
  std::mutex mutex_;
  std::map<std::int64_t, Clock::time_point> taken_;
};

// Pickup latency with the consumer idle and waiting, jobs arriving one by one at
// random 5-50 ms gaps (so the poll phase is not in step with the arrivals).
json pickup_latency(store::Store& store, const queue::QueueSettings& settings, int first_id, int count) {
  queue::Session session(settings);
  if (auto connected = session.connect(); !connected) throw std::runtime_error("amqp: " + connected.error().describe());
  queue::JobPublisher publisher(session);
  PickupRecorder recorder(settings);
  std::jthread consumer([&] { recorder.run(static_cast<std::size_t>(count)); });
  std::this_thread::sleep_for(std::chrono::milliseconds{500});  // the consumer is polling
  std::mt19937 random{12345};
  std::uniform_int_distribution<int> gap_ms(5, 50);
  std::map<std::int64_t, Clock::time_point> enqueued;
  for (int i = 0; i < count; ++i) {
    enqueued.emplace(first_id + i, enqueue(store, publisher, first_id + i));
    std::this_thread::sleep_for(std::chrono::milliseconds{gap_ms(random)});
  }
  consumer.join();
  std::vector<double> latencies;
  for (const auto& [id, at] : recorder.taken()) {
    latencies.push_back(std::chrono::duration<double>(at - enqueued.at(id)).count());
  }
  json result = summary_ms(latencies);
  result["poll_interval_ms"] = settings.poll_interval.count();
  return result;
}

json run_jobs(int count, const std::filesystem::path& work_dir) {
  std::filesystem::create_directories(work_dir);
  auto store = store::SqliteStore::open({.path = work_dir / "jobs-bench.db", .busy_timeout = std::chrono::seconds{10}, .clock = {}});
  const queue::QueueSettings settings = queue_settings();
  queue::Session session(settings);
  if (auto connected = session.connect(); !connected) throw std::runtime_error("amqp: " + connected.error().describe());
  queue::JobPublisher publisher(session);

  // 1. Enqueue rate: one thread, back to back, nobody consuming (as a burst of large
  // files forwarded at once; the bot enqueues from one thread).
  std::vector<double> each;
  const auto burst_started = Clock::now();
  for (int i = 0; i < count; ++i) {
    const auto started = enqueue(*store, publisher, i + 1);
    each.push_back(seconds_since(started));
  }
  const double burst_seconds = seconds_since(burst_started);
  // 2. Drain them as the worker takes jobs (take + ack), for the consume rate.
  PickupRecorder drain(settings);
  const auto drain_started = Clock::now();
  drain.run(static_cast<std::size_t>(count));
  const double drain_seconds = seconds_since(drain_started);

  json result;
  result["enqueue"] = summary_ms(each);
  result["enqueue"]["count"] = count;
  result["enqueue"]["seconds"] = burst_seconds;
  result["enqueue"]["jobs_per_second"] = count / burst_seconds;
  result["drain"] = {{"count", drain.taken().size()},
                     {"seconds", drain_seconds},
                     {"jobs_per_second", static_cast<double>(drain.taken().size()) / drain_seconds}};
  // 3. Enqueue-to-pickup latency: the production poll interval (200 ms), then 10 ms to
  // show what the basic.get cadence costs.
  result["pickup_default"] = pickup_latency(*store, settings, 1'000'000, 200);
  queue::QueueSettings fast = settings;
  fast.poll_interval = std::chrono::milliseconds{10};
  result["pickup_poll_10ms"] = pickup_latency(*store, fast, 2'000'000, 200);
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    // Warnings and errors only: info lines per job would be measured as work.
    teltubby::configure_logging({.level = teltubby::LogLevel::warn,
                                 .to_stdout = false,
                                 .file = std::nullopt,
                                 .rotate_max_bytes = 5 * 1024 * 1024,
                                 .rotate_backup_count = 0});
    const std::vector<std::string> args(argv + 1, argv + argc);
    json result;
    if (args.size() == 3 && args[0] == "large") {
      result = run_large(args[1], args[2]);
    } else if (args.size() == 3 && args[0] == "jobs") {
      result = run_jobs(std::stoi(args[1]), args[2]);
    } else {
      std::cerr << "usage: pipeline_bench large FILE WORK_DIR | jobs COUNT WORK_DIR\n";
      return 2;
    }
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    result["self_max_rss_kib"] = usage.ru_maxrss;
    std::cout << result.dump() << "\n";
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "pipeline_bench: " << error.what() << "\n";
    return 1;
  }
}
