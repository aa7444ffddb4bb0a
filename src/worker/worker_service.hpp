#pragma once
// The `teltubby worker` loop: `concurrency` consumer threads, each with its own AMQP
// session (sessions are not thread-safe), taking jobs (priority lane first), handing
// them to the JobProcessor and acking once the outcome is stored; plus one thread that
// publishes worker.heartbeat every heartbeat_interval.
//
// stop(): consumers take no new job; a job in flight stops at its next checkpoint and
// goes back to its queue (PENDING, requeued); run() returns when every thread is done.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/log.hpp"
#include "queue/settings.hpp"
#include "worker/job_processor.hpp"

namespace teltubby::worker {

struct WorkerServiceSettings {
  queue::QueueSettings queue;
  unsigned concurrency = 1;                              // WORKER_CONCURRENCY
  std::chrono::milliseconds heartbeat_interval{30'000};  // WORKER_HEALTH_CHECK_INTERVAL
  std::chrono::milliseconds idle_wait{1'000};            // longest wait for a job before checking stop()
  std::chrono::milliseconds no_room_wait{2'000};         // after putting a job back for lack of disk space
  std::string worker_id;
  std::string version;
  // The Telegram account the source downloads with, when logged in: announced once in
  // a worker.auth "ready" event so that the bot knows where to copy large messages.
  std::optional<std::int64_t> account_user_id;
  // Whether the source can download now (its account is logged in); while false, no job
  // is taken and queued jobs wait. Empty = always.
  std::function<bool()> can_take_jobs;
  // Bytes in the download cache, sent with each heartbeat for /mtstatus; empty: not sent.
  std::function<std::int64_t()> cache_bytes;
};

class WorkerService {
 public:
  // `processor` must outlive the service.
  WorkerService(WorkerServiceSettings settings, JobProcessor& processor);

  // Blocks until stop() and every thread has finished.
  void run();
  // Thread-safe; not async-signal-safe (call it from a thread that waited for the signal).
  void stop();
  [[nodiscard]] bool stopping() const { return stopping_.load(); }
  // Jobs taken from the queue so far (for tests and logs).
  [[nodiscard]] std::uint64_t jobs_taken() const { return jobs_taken_.load(); }

 private:
  void consume(unsigned index);
  void heartbeat();
  // Waits up to `timeout` or until stop(); true when stopping.
  bool wait_for_stop(std::chrono::milliseconds timeout);

  WorkerServiceSettings settings_;
  JobProcessor& processor_;
  Logger log_{"worker"};
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> jobs_taken_{0};
  std::mutex mutex_;
  std::condition_variable stop_signal_;
  std::map<unsigned, std::string> current_jobs_;  // consumer index -> job id in flight
};

}  // namespace teltubby::worker
