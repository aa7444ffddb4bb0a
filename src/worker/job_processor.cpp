#include "worker/job_processor.hpp"

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "archive/message_json.hpp"
#include "storage/crypto.hpp"
#include "worker/message_json_rewrite.hpp"
#include "worker/progress_throttle.hpp"
#include "worker/spool_file.hpp"

namespace teltubby::worker {
namespace {

using store::JobState;

store::JobEventDetails with_error(std::string error) {
  store::JobEventDetails details;
  details.error = std::move(error);
  return details;
}

// Counts bytes read from the spool for upload progress and stops on cancellation.
class CountingSource final : public storage::ByteSource {
 public:
  CountingSource(storage::ByteSource& inner, std::function<void(std::int64_t)> progress, const CancelCheck& cancelled)
      : inner_(inner), progress_(std::move(progress)), cancelled_(cancelled) {}
  Result<std::size_t> read(std::span<std::byte> buffer) override {
    if (cancelled_()) return fail(ErrorKind::cancelled, "worker.cancelled", "upload stopped on request");
    auto n = inner_.read(buffer);
    if (n) {
      done_ += static_cast<std::int64_t>(*n);
      progress_(done_);
    }
    return n;
  }

 private:
  storage::ByteSource& inner_;
  std::function<void(std::int64_t)> progress_;
  const CancelCheck& cancelled_;
  std::int64_t done_ = 0;
};

queue::EventMessage at_now(queue::Event event) {
  return {std::move(event), std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())};
}

store::JobRecord record_from_message(const queue::JobMessage& job) {
  store::JobRecord record = queue::job_record_from(job);
  record.published = true;  // it came from the queue
  return record;
}

}  // namespace

std::string_view to_string(JobOutcome outcome) {
  switch (outcome) {
    case JobOutcome::completed:
      return "completed";
    case JobOutcome::duplicate:
      return "duplicate";
    case JobOutcome::skipped:
      return "skipped";
    case JobOutcome::retry_scheduled:
      return "retry_scheduled";
    case JobOutcome::failed:
      return "failed";
    case JobOutcome::cancelled:
      return "cancelled";
    case JobOutcome::requeue:
      return "requeue";
  }
  return "unknown";
}

JobProcessor::JobProcessor(ProcessorSettings settings, store::Store& store, storage::S3Client& s3,
                           LargeFileSource& source, DiskAdmission& disk, metrics::Catalog& metrics)
    : settings_(std::move(settings)), store_(store), s3_(s3), source_(source), disk_(disk), metrics_(metrics) {}

void JobProcessor::emit(queue::EventPublisher& events, queue::Event event) {
  // Events are advisory (the store holds the truth): a lost one costs a status edit.
  if (auto sent = events.publish(at_now(std::move(event))); !sent) {
    log_.warn("event not published", {{"error", sent.error().describe()}});
  }
}

void JobProcessor::announce_completed_again(const queue::JobMessage& job, queue::EventPublisher& events) {
  // A redelivery of a completed job usually means the first ack (and maybe the
  // job.completed event) was lost with the broker connection: say it again, so that
  // the bot's status message reaches its final state. Final events are idempotent.
  auto file = store_.find_file_by_unique_id(job.file_info.file_unique_id);
  if (!file || !file->has_value()) return;
  const store::FileRecord& stored = **file;
  emit(events, queue::JobCompletedEvent{job.job_id, stored.s3_key, stored.sha256, stored.size_bytes,
                                        stored.s3_key != job.archive.s3_key});
}

Result<store::JobRecord> JobProcessor::ensure_record(const queue::JobMessage& job) {
  auto record = store_.get_job(job.job_id);
  if (record || record.error().kind != ErrorKind::not_found) return record;
  // Published without a row (by an admin tool, or a bot that lost its database): the
  // message is the job's whole description, so the worker records it itself.
  auto created = store_.create_job(record_from_message(job));
  if (!created && created.error().code == "job.exists") return store_.get_job(job.job_id);
  return created;
}

Result<store::JobRecord> JobProcessor::start_processing(const store::JobRecord& record) {
  if (record.state == JobState::processing || record.state == JobState::retrying) {
    const std::string why = record.state == JobState::processing
                                ? "redelivered: the previous attempt was interrupted"
                                : "retry delay over";
    auto reset = store_.transition_job(record.job_id, {record.state}, JobState::pending,
                                       record.state == JobState::processing ? with_error(why) : store::JobEventDetails{});
    if (!reset) return reset;
  }
  return store_.transition_job(record.job_id, {JobState::pending}, JobState::processing, {});
}

Result<JobOutcome> JobProcessor::process(const queue::JobMessage& job, queue::JobPublisher& publisher,
                                         queue::EventPublisher& events, const std::function<bool()>& stopping) {
  const nlohmann::json context{{"job_id", job.job_id}, {"chat_id", job.chat_id}, {"message_id", job.message_id}};
  auto record = ensure_record(job);
  if (!record) return std::unexpected(record.error());
  if (record->state == JobState::completed || record->state == JobState::cancelled ||
      record->state == JobState::failed) {
    log_.info("job already finished; skipped", {{"job_id", job.job_id}, {"state", store::to_string(record->state)}});
    if (record->state == JobState::completed) announce_completed_again(job, events);
    // Cancelled while it waited (perhaps from a shell): the curator's status message hears it here.
    if (record->state == JobState::cancelled) emit(events, queue::JobCancelledEvent{job.job_id, record->last_error});
    return JobOutcome::skipped;
  }

  auto reservation = disk_.try_reserve(static_cast<std::uint64_t>(std::max<std::int64_t>(0, job.file_info.file_size)));
  if (!reservation) {
    auto started = start_processing(*record);
    if (!started) return std::unexpected(started.error());
    return handle_failure(job, *started, reservation.error(), publisher, events, false);
  }
  if (!reservation->has_value()) {
    log_.info("not enough free space in the work directory yet; job put back", context);
    return JobOutcome::requeue;
  }

  auto started = start_processing(*record);
  if (!started) return std::unexpected(started.error());
  log_.info("job processing started", {{"job_id", job.job_id}, {"attempt", started->attempt}});
  emit(events, queue::JobProcessingEvent{job.job_id, settings_.worker_id, started->attempt});
  const auto began = std::chrono::steady_clock::now();

  // Checkpoint: shutting down, or the job was cancelled (its row says so).
  bool stop_requested = false;
  auto last_poll = std::chrono::steady_clock::now();
  const CancelCheck cancelled = [&]() {
    if (stopping()) {
      stop_requested = true;
      return true;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - last_poll < settings_.cancel_poll_interval) return false;
    last_poll = now;
    const auto current = store_.get_job(job.job_id);
    return current && current->state == JobState::cancelled;
  };

  auto stored = transfer(job, events, cancelled);
  if (stored) {
    if (auto written = rewrite_message_json(job, *stored); !written) stored = std::unexpected(written.error());
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  metrics_.job_duration_seconds.observe(seconds);
  if (!stored) return handle_failure(job, *started, stored.error(), publisher, events, stop_requested);

  auto completed = store_.transition_job(job.job_id, {JobState::processing}, JobState::completed,
                                         store::JobEventDetails{std::nullopt, stored->bytes, std::nullopt, false});
  if (!completed) {
    if (completed.error().code == "job.wrong_state") {
      // Cancelled at the very end: the file is archived anyway; keep the row as it is.
      log_.warn("job changed state while finishing", {{"job_id", job.job_id}, {"error", completed.error().describe()}});
      return JobOutcome::cancelled;
    }
    return std::unexpected(completed.error());
  }
  metrics_.jobs_completed_total.inc();
  if (stored->duplicate) metrics_.dedup_hits_total.inc();
  emit(events, queue::JobCompletedEvent{job.job_id, stored->s3_key, stored->sha256, stored->bytes, stored->duplicate});
  log_.info("job completed", {{"job_id", job.job_id},
                              {"s3_key", stored->s3_key},
                              {"bytes", stored->bytes},
                              {"duplicate", stored->duplicate},
                              {"seconds", seconds}});
  return stored->duplicate ? JobOutcome::duplicate : JobOutcome::completed;
}

Result<JobProcessor::Stored> JobProcessor::transfer(const queue::JobMessage& job, queue::EventPublisher& events,
                                                    const CancelCheck& cancelled) {
  auto spool = SpoolFile::create(settings_.work_dir, job.job_id);
  if (!spool) return std::unexpected(spool.error());
  storage::Sha256 hasher;
  std::int64_t received = 0;
  const std::int64_t total = job.file_info.file_size;
  const auto started = std::chrono::steady_clock::now();
  auto report = [&](ProgressThrottle& throttle, queue::ProgressPhase phase, std::int64_t done) {
    const auto now = std::chrono::steady_clock::now();
    if (!throttle.due(now, done, total)) return;
    const double elapsed = std::chrono::duration<double>(now - started).count();
    emit(events, queue::JobProgressEvent{job.job_id, phase, done, total, percent_of(done, total),
                                         elapsed > 0 ? static_cast<double>(done) / elapsed : 0});
  };

  ProgressThrottle download_throttle(settings_.progress_interval);
  auto downloaded = source_.download(
      job,
      [&](std::span<const std::byte> bytes) -> Status {
        hasher.update(bytes);
        received += static_cast<std::int64_t>(bytes.size());
        return spool->write(bytes);
      },
      [&](std::int64_t done, std::int64_t) { report(download_throttle, queue::ProgressPhase::download, done); },
      cancelled);
  if (!downloaded) return std::unexpected(downloaded.error());
  if (total > 0 && received != total) {
    return fail(ErrorKind::retryable, "worker.size_mismatch",
                "downloaded " + std::to_string(received) + " bytes, the job says " + std::to_string(total));
  }
  metrics_.job_download_bytes_total.inc(static_cast<std::uint64_t>(received));
  const auto digest = hasher.finish();
  Stored stored{job.archive.s3_key, storage::to_hex(digest), received, false};

  auto known = store_.find_file_by_sha256(stored.sha256);
  if (!known) return std::unexpected(known.error());
  if (known->has_value()) {
    // Either an earlier attempt of this job stored it (same key: done), or the content
    // was archived before (point at that copy, upload nothing).
    stored.s3_key = (*known)->s3_key;
    stored.duplicate = (*known)->s3_key != job.archive.s3_key;
    if (auto mapped = store_.map_unique_id(job.file_info.file_unique_id, stored.sha256);
        !mapped && mapped.error().code != "store.unique_id_conflict") {
      return std::unexpected(mapped.error());
    }
    return stored;
  }

  auto reader = spool->reader();
  if (!reader) return std::unexpected(reader.error());
  ProgressThrottle upload_throttle(settings_.progress_interval);
  CountingSource counting(
      *reader, [&](std::int64_t done) { report(upload_throttle, queue::ProgressPhase::upload, done); }, cancelled);
  const std::string content_type = job.file_info.mime_type.value_or("application/octet-stream");
  auto uploaded = s3_.upload_stream(job.archive.s3_key, counting, content_type, static_cast<std::uint64_t>(received));
  if (!uploaded) return std::unexpected(uploaded.error());
  if (uploaded->sha256_hex != stored.sha256) {
    (void)s3_.delete_object(job.archive.s3_key);
    return fail(ErrorKind::retryable, "worker.sha256_mismatch",
                "the bytes read back from the spool file differ from those downloaded");
  }
  metrics_.job_upload_bytes_total.inc(uploaded->size);
  if (cancelled()) {
    // Cancelled during the upload's last part: leave nothing behind.
    (void)s3_.delete_object(job.archive.s3_key);
    return fail(ErrorKind::cancelled, "worker.cancelled", "stopped after the upload");
  }
  store::FileRecord file{stored.sha256, job.archive.s3_key, received, job.file_info.mime_type, {}};
  auto recorded = store_.record_file(file, std::string_view(job.file_info.file_unique_id));
  if (!recorded) return std::unexpected(recorded.error());
  if (recorded->s3_key != job.archive.s3_key) {
    // Another job stored the same content meanwhile: keep one copy, theirs.
    (void)s3_.delete_object(job.archive.s3_key);
    stored.s3_key = recorded->s3_key;
    stored.duplicate = true;
  }
  return stored;
}

Status JobProcessor::rewrite_message_json(const queue::JobMessage& job, const Stored& stored) {
  archive::ItemUpdate update;
  update.status = stored.duplicate ? archive::ItemStatus::duplicate : archive::ItemStatus::stored;
  update.size_bytes = stored.bytes;
  update.sha256 = stored.sha256;
  update.s3_key = stored.s3_key;
  update.job_id = job.job_id;
  if (stored.duplicate) {
    update.duplicate_of = stored.s3_key;
    update.dedup_reason = archive::DedupReason::sha256;
  }
  auto rewritten = rewrite_message_json_item(s3_, store_, job, update);
  if (!rewritten) return std::unexpected(rewritten.error());
  if (!*rewritten) {
    // The bot writes message.json once every item's outcome is known; without one
    // there is nothing to rewrite (the object itself is archived and recorded).
    log_.warn("no message.json to update", {{"job_id", job.job_id}, {"key", message_json_key(store_, job)}});
  }
  return {};
}

Status JobProcessor::mark_item_failed(const queue::JobMessage& job, std::string_view reason) {
  archive::ItemUpdate update;
  update.status = archive::ItemStatus::failed;
  update.job_id = job.job_id;
  update.skipped_reason = std::string(reason.substr(0, 200));  // why, for the reader of message.json
  auto rewritten = rewrite_message_json_item(s3_, store_, job, update);
  if (!rewritten) return std::unexpected(rewritten.error());
  return {};
}

Result<JobOutcome> JobProcessor::handle_failure(const queue::JobMessage& job, const store::JobRecord& record,
                                                const Error& error, queue::JobPublisher& publisher,
                                                queue::EventPublisher& events, bool stop_requested) {
  const std::string reason = error.describe();
  if (error.kind == ErrorKind::cancelled && stop_requested) {
    // Shutting down: nothing was stored; the job goes back to its queue as it was.
    auto reset = store_.transition_job(job.job_id, {JobState::processing}, JobState::pending,
                                       with_error(std::string("worker stopped during the attempt")));
    if (!reset) return std::unexpected(reset.error());
    log_.info("job interrupted by shutdown; requeued", {{"job_id", job.job_id}});
    return JobOutcome::requeue;
  }
  if (error.code == kSourceUnauthorized) {
    // Not the job's fault: it waits in its queue, unchanged, until the account is
    // logged in again (the service takes no job meanwhile).
    auto reset = store_.transition_job(job.job_id, {JobState::processing}, JobState::pending,
                                       with_error(std::string("waiting for the worker account to log in again")));
    if (!reset) return std::unexpected(reset.error());
    log_.warn("job put back: the worker account is not logged in", {{"job_id", job.job_id}});
    return JobOutcome::requeue;
  }
  if (error.kind == ErrorKind::cancelled) {
    auto current = store_.get_job(job.job_id);
    if (current && current->state == JobState::processing) {
      (void)store_.transition_job(job.job_id, {JobState::processing}, JobState::cancelled,
                                  with_error(std::string("cancelled while processing")));
    }
    emit(events, queue::JobCancelledEvent{job.job_id, std::string("cancelled while processing")});
    log_.info("job cancelled at a checkpoint", {{"job_id", job.job_id}});
    return JobOutcome::cancelled;
  }

  const int retry_count = job.job_metadata.retry_count;
  const bool will_retry = error.retryable() && retry_count < settings_.max_retries;
  log_.warn("job attempt failed", {{"job_id", job.job_id},
                                    {"attempt", record.attempt},
                                    {"error", reason},
                                    {"will_retry", will_retry}});
  if (will_retry) {
    auto retrying = store_.transition_job(job.job_id, {JobState::processing}, JobState::retrying, with_error(reason));
    if (!retrying) return std::unexpected(retrying.error());
    // FLOOD_WAIT / 429: no retry before the time Telegram asked for.
    auto delay = publisher.schedule_retry(job, reason, error.retry_after);
    if (!delay) return std::unexpected(delay.error());
    metrics_.jobs_retried_total.inc();
    emit(events, queue::JobFailedEvent{job.job_id, reason, true, true, record.attempt});
    emit(events, queue::JobRetryingEvent{job.job_id, retry_count + 1, delay->count(), reason});
    return JobOutcome::retry_scheduled;
  }
  // Out of retries or hopeless: the dead-letter queue first, so that a crash before the
  // row says FAILED leads to a redelivery (and a second dead letter) rather than a loss.
  const std::string final_reason =
      error.retryable() ? "out of retries (" + std::to_string(retry_count) + "): " + reason : reason;
  auto dead = publisher.dead_letter(queue::serialize(job), final_reason, retry_count);
  if (!dead) return std::unexpected(dead.error());
  if (auto marked = mark_item_failed(job, final_reason); !marked) {
    log_.warn("message.json item not marked failed", {{"job_id", job.job_id}, {"error", marked.error().describe()}});
  }
  auto failed = store_.transition_job(job.job_id, {JobState::processing}, JobState::failed, with_error(final_reason));
  if (!failed) return std::unexpected(failed.error());
  metrics_.jobs_failed_total.inc();
  emit(events, queue::JobFailedEvent{job.job_id, final_reason, error.retryable(), false, record.attempt});
  return JobOutcome::failed;
}

}  // namespace teltubby::worker
