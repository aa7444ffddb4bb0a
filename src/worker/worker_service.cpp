#include "worker/worker_service.hpp"

#include <thread>
#include <vector>

#include "queue/event_channel.hpp"
#include "queue/job_consumer.hpp"
#include "queue/job_publisher.hpp"
#include "queue/session.hpp"

namespace teltubby::worker {

WorkerService::WorkerService(WorkerServiceSettings settings, JobProcessor& processor)
    : settings_(std::move(settings)), processor_(processor) {
  if (settings_.concurrency == 0) settings_.concurrency = 1;
}

void WorkerService::run() {
  std::vector<std::jthread> threads;
  threads.reserve(settings_.concurrency + 1);
  threads.emplace_back([this] { heartbeat(); });
  for (unsigned i = 0; i < settings_.concurrency; ++i) threads.emplace_back([this, i] { consume(i); });
  log_.info("worker consuming", {{"concurrency", settings_.concurrency}, {"worker_id", settings_.worker_id}});
  // jthreads join here, once stop() has been called and each loop noticed.
}

void WorkerService::stop() {
  {
    const std::scoped_lock lock(mutex_);
    stopping_.store(true);
  }
  stop_signal_.notify_all();
}

bool WorkerService::wait_for_stop(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return stop_signal_.wait_for(lock, timeout, [this] { return stopping_.load(); });
}

void WorkerService::consume(unsigned index) {
  queue::Session session(settings_.queue);
  queue::JobConsumer consumer(session);
  queue::JobPublisher publisher(session);
  queue::EventPublisher events(session);
  const auto is_stopping = [this] { return stopping_.load(); };
  while (!stopping_.load()) {
    try {
      if (settings_.can_take_jobs && !settings_.can_take_jobs()) {
        wait_for_stop(settings_.idle_wait);
        continue;
      }
      auto next = consumer.next(settings_.idle_wait);
      if (!next) {
        log_.warn("cannot take jobs", {{"error", next.error().describe()}});
        (void)session.wait(settings_.idle_wait);
        continue;
      }
      if (!next->has_value()) continue;
      const queue::ReceivedJob& received = **next;
      jobs_taken_.fetch_add(1);
      bool running_elsewhere = false;
      {
        const std::scoped_lock lock(mutex_);
        for (const auto& [other, job_id] : current_jobs_)
          running_elsewhere = running_elsewhere || job_id == received.job.job_id;
        if (!running_elsewhere) current_jobs_[index] = received.job.job_id;
      }
      if (running_elsewhere) {
        // A second copy of a job another thread is running (republished after a new
        // priority, or by an admin tool): that attempt decides the job's outcome.
        log_.info("job already running here; this copy is dropped", {{"job_id", received.job.job_id}});
        if (auto acked = consumer.ack(received); !acked) {
          log_.warn("ack failed", {{"job_id", received.job.job_id}, {"error", acked.error().describe()}});
        }
        continue;
      }
      auto outcome = processor_.process(received.job, publisher, events, is_stopping);
      {
        const std::scoped_lock lock(mutex_);
        current_jobs_.erase(index);
      }
      if (!outcome || *outcome == JobOutcome::requeue) {
        if (!outcome) {
          log_.warn("job outcome not stored; requeued",
                    {{"job_id", received.job.job_id}, {"error", outcome.error().describe()}});
        }
        if (auto back = consumer.requeue(received); !back) {
          log_.warn("requeue failed (the broker requeues it itself)", {{"error", back.error().describe()}});
        }
        if (!stopping_.load()) wait_for_stop(settings_.no_room_wait);
        continue;
      }
      if (auto acked = consumer.ack(received); !acked) {
        // The broker delivers it again; the store says it is done, so it is skipped.
        log_.warn("ack failed", {{"job_id", received.job.job_id}, {"error", acked.error().describe()}});
      }
    } catch (const std::exception& error) {
      // The loop's boundary: one bad job must not end the worker.
      log_.error("unexpected error in the job loop", {{"error", error.what()}});
      wait_for_stop(settings_.idle_wait);
    }
  }
}

void WorkerService::heartbeat() {
  queue::Session session(settings_.queue);
  queue::EventPublisher events(session);
  auto beat = [&](queue::WorkerState state) {
    std::optional<std::string> current;
    {
      const std::scoped_lock lock(mutex_);
      if (!current_jobs_.empty()) current = current_jobs_.begin()->second;
    }
    if (state != queue::WorkerState::stopping && current) state = queue::WorkerState::busy;
    queue::WorkerHeartbeatEvent event{settings_.worker_id, state, current, settings_.version, std::nullopt};
    if (settings_.cache_bytes) event.cache_bytes = settings_.cache_bytes();
    auto sent = events.publish(
        {std::move(event), std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())});
    if (!sent) log_.warn("heartbeat not published", {{"error", sent.error().describe()}});
  };
  bool auth_announced = !settings_.account_user_id.has_value();
  while (!stopping_.load()) {
    try {
      if (!auth_announced) {
        queue::WorkerAuthEvent auth;
        auth.worker_id = settings_.worker_id;
        auth.state = queue::AuthState::ready;
        auth.user_id = settings_.account_user_id;
        auth_announced =
            events
                .publish({std::move(auth),
                          std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())})
                .has_value();
      }
      beat(queue::WorkerState::idle);
    } catch (const std::exception& error) {
      log_.error("unexpected error publishing a heartbeat", {{"error", error.what()}});
    }
    if (wait_for_stop(settings_.heartbeat_interval)) break;
  }
  try {
    beat(queue::WorkerState::stopping);
  } catch (const std::exception& error) {
    log_.error("unexpected error publishing the last heartbeat", {{"error", error.what()}});
  }
}

}  // namespace teltubby::worker
