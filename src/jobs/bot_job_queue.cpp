#include "jobs/bot_job_queue.hpp"

#include <cmath>

#include "jobs/publishing.hpp"
#include "jobs/worker_status.hpp"
#include "queue/event_channel.hpp"
#include "queue/job_publisher.hpp"
#include "storage/crypto.hpp"

namespace teltubby::jobs {
namespace {

std::chrono::sys_seconds now_seconds() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

queue::JobMessage job_message_from(const ingest::LargeItemRequest& request, std::string job_id, int max_retries,
                                   std::optional<std::chrono::seconds> eta) {
  const botapi::Message& message = request.message;
  queue::JobMessage job;
  job.job_id = std::move(job_id);
  job.user_id = request.curator_id;
  job.chat_id = message.chat.id;
  job.message_id = message.message_id;
  job.file_info.file_id = request.item.file_id;
  job.file_info.file_unique_id = request.item.file_unique_id;
  job.file_info.file_size = request.item.size_bytes.value_or(0);
  job.file_info.file_type = std::string(bot::to_string(request.item.type));
  job.file_info.file_name = request.item.original_filename;
  job.file_info.mime_type = request.item.mime_type;
  job.telegram_context.forward_origin = message.forward_origin_raw;
  job.telegram_context.caption = message.caption;
  // A caption's entities when there is a caption (media messages), else the text's.
  job.telegram_context.entities = message.caption ? message.caption_entities_raw : message.entities_raw;
  job.telegram_context.media_group_id = message.media_group_id;
  job.job_metadata.created_at = now_seconds();
  job.job_metadata.priority = queue::JobPriority::normal;
  job.job_metadata.retry_count = 0;
  job.job_metadata.max_retries = max_retries;
  if (eta) job.job_metadata.estimated_duration = eta->count();
  job.archive = {request.base_path, request.key, request.ordinal};
  return job;
}

}  // namespace

std::string job_id_for(std::int64_t chat_id, std::int64_t message_id, std::string_view file_unique_id) {
  storage::Sha256 hasher;
  hasher.update(std::to_string(chat_id) + ":" + std::to_string(message_id) + ":");
  hasher.update(file_unique_id);
  auto digest = hasher.finish();
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0FU) | 0x40U);  // version 4
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3FU) | 0x80U);  // variant 10
  const std::string hex = storage::to_hex(std::span<const unsigned char>(digest.data(), 16));
  std::string id;
  id.reserve(36);
  for (std::size_t i = 0; i < hex.size(); ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) id.push_back('-');
    id.push_back(hex[i]);
  }
  return id;
}

std::optional<std::chrono::seconds> estimate_eta(std::int64_t bytes, std::int64_t bytes_ahead,
                                                 std::optional<double> bytes_per_second) {
  if (!bytes_per_second || !(*bytes_per_second > 0)) return std::nullopt;
  const double total = static_cast<double>(std::max<std::int64_t>(bytes, 0) + std::max<std::int64_t>(bytes_ahead, 0));
  const double seconds = std::ceil(total / *bytes_per_second);
  constexpr double kWeek = 7.0 * 24 * 3600;  // beyond this an estimate means nothing
  return std::chrono::seconds{static_cast<std::int64_t>(std::min(seconds, kWeek))};
}

BotJobQueue::BotJobQueue(BotJobQueueSettings settings, store::Store& store, metrics::Catalog& metrics, Relay relay)
    : settings_(std::move(settings)),
      store_(store),
      metrics_(metrics),
      relay_(std::move(relay)),
      session_(settings_.queue) {}

BotJobQueue::~BotJobQueue() { stop(); }

std::optional<std::chrono::seconds> BotJobQueue::eta_for(std::int64_t bytes) {
  auto throughput = store_.recent_throughput_bytes_per_second(settings_.throughput_window);
  if (!throughput) return std::nullopt;
  std::int64_t ahead = 0;
  auto waiting = store_.list_jobs({.states = {store::JobState::pending, store::JobState::processing,
                                              store::JobState::retrying},
                                   .limit = 1000});
  if (waiting) {
    for (const auto& job : *waiting) ahead += job.file_size;
  }
  return estimate_eta(bytes, ahead, *throughput);
}

Result<ingest::QueuedJob> BotJobQueue::enqueue(const ingest::LargeItemRequest& request) {
  const std::string job_id =
      job_id_for(request.message.chat.id, request.message.message_id, request.item.file_unique_id);
  auto existing = store_.get_job(job_id);
  if (existing) return ingest::QueuedJob{job_id, eta_for(existing->file_size)};
  if (existing.error().kind != ErrorKind::not_found) return std::unexpected(existing.error());

  const std::int64_t size = request.item.size_bytes.value_or(0);
  const auto eta = eta_for(size);
  const queue::JobMessage job = job_message_from(request, job_id, settings_.max_retries, eta);
  // The worker's own parser: a message it would refuse is a permanent error now,
  // not a row that can never be published.
  const store::JobRecord record = queue::job_record_from(job);
  if (auto valid = queue::parse_job_message(record.payload); !valid) return std::unexpected(valid.error());
  auto created = store_.create_job(record);
  if (!created && created.error().code != "job.exists") return std::unexpected(created.error());
  if (created) {
    metrics_.jobs_created_total.inc();
    log_.info("job recorded", {{"job_id", job_id}, {"bytes", size}, {"key", request.key}});
  }
  return ingest::QueuedJob{job_id, eta};
}

void BotJobQueue::abandon(const std::string& job_id, std::string_view reason) {
  store::JobEventDetails details;
  details.error = std::string(reason);
  if (auto cancelled = store_.transition_job(job_id, {store::JobState::pending}, store::JobState::cancelled, details);
      !cancelled) {
    log_.warn("could not cancel the job of a message given up", {{"job_id", job_id}, {"error", cancelled.error().describe()}});
  }
}

Result<queue::QueueDepths> BotJobQueue::depths() {
  std::unique_lock lock(session_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) {
    // A sweep is publishing (it may wait on Telegram for the relay): answer from the
    // last figures rather than make /status wait.
    std::lock_guard last(depths_mutex_);
    if (last_depths_) return *last_depths_;
    return fail(ErrorKind::retryable, "jobs.busy", "the broker session is busy publishing; ask again");
  }
  queue::JobPublisher publisher(session_);
  auto depths = publisher.depths();
  if (depths) {
    {
      std::lock_guard last(depths_mutex_);
      last_depths_ = *depths;
    }
    metrics_.job_queue_depth.labels("normal").set(static_cast<double>(depths->normal));
    metrics_.job_queue_depth.labels("priority").set(static_cast<double>(depths->priority));
    metrics_.job_queue_depth.labels("dead_letter").set(static_cast<double>(depths->dead_letter));
  }
  return depths;
}

void BotJobQueue::publish_soon() {
  {
    std::lock_guard lock(mutex_);
    wake_requested_ = true;
  }
  wake_.notify_all();
}

void BotJobQueue::job_changed(const std::string& job_id) {
  if (job_changed_) job_changed_(job_id);
}

Status BotJobQueue::send_to_worker(const queue::ControlMessage& message) {
  queue::Session session(settings_.queue);
  auto sent = queue::EventPublisher(session).publish_control(message);
  session.disconnect();
  return sent;
}

void BotJobQueue::start() {
  if (publisher_.joinable()) return;
  publisher_ = std::jthread([this](const std::stop_token& stop) { publisher_loop(stop); });
}

void BotJobQueue::stop() {
  if (!publisher_.joinable()) return;
  publisher_.request_stop();
  wake_.notify_all();
  publisher_.join();
}

void BotJobQueue::publisher_loop(const std::stop_token& stop) {
  while (!stop.stop_requested()) {
    try {
      sweep();
      (void)depths();  // keeps the queue depth gauges fresh
    } catch (const std::exception& e) {
      // One sweep's surprise must not end publishing for the life of the bot.
      log_.error("job publishing sweep failed", {{"error", redact(e.what())}});
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, stop, settings_.sweep_interval, [this] { return wake_requested_; });
    wake_requested_ = false;
  }
}

void BotJobQueue::sweep() {
  auto worker = read_worker_status(store_);
  if (!worker) {
    log_.warn("cannot read the worker's status", {{"error", worker.error().describe()}});
    return;
  }
  if (!worker->worker_user_id) {
    if (!told_waiting_) {
      auto waiting = store_.list_unpublished_pending_jobs(1);
      if (waiting && !waiting->empty()) {
        log_.warn("large-file jobs wait until a worker reports its Telegram account (start `teltubby worker`)", {});
        told_waiting_ = true;
      }
    }
    return;
  }
  told_waiting_ = false;
  const std::int64_t worker_user_id = *worker->worker_user_id;
  std::lock_guard lock(session_mutex_);
  queue::JobPublisher publisher(session_);
  const auto relay_once = [this, worker_user_id](const store::JobRecord& job) -> Status {
    if (!relay_ || relayed_.contains(job.job_id) || job.user_id == worker_user_id) return {};
    auto relayed = relay_(job, worker_user_id);
    if (!relayed && relayed.error().retryable()) return relayed;  // next sweep tries again
    if (!relayed) {
      // Refused for good (protected content, the worker never started the bot): the
      // job goes out anyway; the worker may reach a public channel's post itself, and
      // otherwise fails with a clear reason.
      log_.warn("could not copy the message to the worker account",
                {{"job_id", job.job_id}, {"error", redact(relayed.error().describe())}});
    }
    relayed_.insert(job.job_id);
    return {};
  };
  const SweepResult result = publish_unpublished(store_, publisher, settings_.sweep_limit, relay_once);
  if (result.published > 0) log_.info("jobs published", {{"count", result.published}});
  if (result.first_error) {
    log_.warn("jobs not published yet; retrying", {{"error", redact(result.first_error->describe())}});
  }
}

}  // namespace teltubby::jobs
