#pragma once
// The bot's side of large-file jobs (DESIGN.md section 5), behind the ingestor's
// LargeFileQueue interface:
//
//   enqueue()  -> job row PENDING, unpublished (idempotent: the id is derived from
//                 chat, message and file_unique_id, so a unit archived again after a
//                 deferral or a restart finds its job instead of making a second one)
//   publisher thread, every sweep_interval or when woken, once a worker has said which
//   account it uses (worker.auth ready; until then jobs wait, as the spec wants jobs to
//   stay queued while the worker is not logged in):
//                 for each unpublished PENDING job whose message is archived (the bot
//                 wrote message.json with the item `queued`): relay the curator's
//                 message to the worker account, publish with confirm, mark published
//
// Publishing waits for message.json so that the worker never meets a message.json that
// is not written yet, nor has its update overwritten by the bot's older view. If the
// broker is down the rows wait in the database (the curator was told "queued") and are
// published when it is back; a bot restart loses nothing either.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "core/error.hpp"
#include "core/log.hpp"
#include "ingest/large_files.hpp"
#include "jobs/queue_control.hpp"
#include "metrics/catalog.hpp"
#include "queue/session.hpp"
#include "queue/settings.hpp"
#include "store/store.hpp"

namespace teltubby::jobs {

// The job id for an item: a uuid v4 in form, derived from SHA-256 of
// "<chat_id>:<message_id>:<file_unique_id>" (version and variant bits set as v4 requires).
std::string job_id_for(std::int64_t chat_id, std::int64_t message_id, std::string_view file_unique_id);

// Estimated time to finish a job of `bytes`: the bytes of the jobs ahead of it plus its
// own, at the recent throughput (bytes per second); nullopt when there is no recent
// throughput to go by.
std::optional<std::chrono::seconds> estimate_eta(std::int64_t bytes, std::int64_t bytes_ahead,
                                                 std::optional<double> bytes_per_second);

// Copies the curator's message into the bot's chat with the worker account
// (`worker_user_id`), so that the worker's account can see the file (DESIGN.md section
// 5). Called before the first publish of a job, except when the curator is that
// account; a failure is logged and the job published anyway (the worker reports
// clearly when it cannot find the file).
using Relay = std::function<Status(const store::JobRecord& job, std::int64_t worker_user_id)>;

struct BotJobQueueSettings {
  queue::QueueSettings queue;
  int max_retries = 3;  // WORKER_MAX_RETRIES, written into each new job message
  std::chrono::milliseconds sweep_interval{2'000};
  std::size_t sweep_limit = 100;  // jobs published per sweep at most
  // Throughput over jobs completed within this window feeds the estimate.
  std::chrono::seconds throughput_window{std::chrono::hours{24}};
};

class BotJobQueue final : public ingest::LargeFileQueue, public QueueControl, public WorkerControl {
 public:
  // `store`, `metrics` and whatever `relay` refers to must outlive the queue.
  BotJobQueue(BotJobQueueSettings settings, store::Store& store, metrics::Catalog& metrics, Relay relay);
  ~BotJobQueue() override;  // stop(); never throws
  BotJobQueue(const BotJobQueue&) = delete;
  BotJobQueue& operator=(const BotJobQueue&) = delete;

  // Records the job (see above); the publisher thread publishes it.
  Result<ingest::QueuedJob> enqueue(const ingest::LargeItemRequest& request) override;
  // PENDING -> CANCELLED with the reason (it was never published: its message is not
  // recorded).
  void abandon(const std::string& job_id, std::string_view reason) override;
  Result<queue::QueueDepths> depths() override;
  void publish_soon() override;
  void job_changed(const std::string& job_id) override;
  // On a broker session of its own, opened for this message and closed after it:
  // a sweep waiting on a relay must not hold up a login code, and a connection kept
  // idle for hours between logins would have missed its heartbeats.
  Status send_to_worker(const queue::ControlMessage& message) override;
  // Who hears about job_changed (the status board); set before start().
  void on_job_changed(std::function<void(const std::string&)> listener) { job_changed_ = std::move(listener); }

  // Starts the publisher thread (publishes at once whatever is left from before).
  void start();
  // Stops it; a publish in flight finishes (bounded by the queue's rpc_timeout).
  void stop();

 private:
  void publisher_loop(const std::stop_token& stop);
  void sweep();
  std::optional<std::chrono::seconds> eta_for(std::int64_t bytes);

  BotJobQueueSettings settings_;
  store::Store& store_;
  metrics::Catalog& metrics_;
  Relay relay_;
  std::function<void(const std::string&)> job_changed_;
  Logger log_{"jobs"};

  std::mutex mutex_;  // guards wake_requested_ and the wait
  std::condition_variable_any wake_;
  bool wake_requested_ = false;
  std::set<std::string> relayed_;  // publisher thread only: jobs already copied to the worker
  bool told_waiting_ = false;      // publisher thread only: "waiting for a worker" logged
  // One broker session for publishing and depth queries (sessions are not thread-safe).
  std::mutex session_mutex_;
  queue::Session session_;
  std::mutex depths_mutex_;  // guards last_depths_
  std::optional<queue::QueueDepths> last_depths_;
  std::jthread publisher_;
};

}  // namespace teltubby::jobs
