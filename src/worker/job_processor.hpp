#pragma once
// What the worker does with one job taken from the queue (DESIGN.md section 5):
//
//   store row COMPLETED/CANCELLED/FAILED -> skipped (a redelivery; ack it; a COMPLETED
//                                           one repeats job.completed, maybe lost before)
//   disk admission                        -> no room yet: requeue (caller waits)
//   PENDING -> PROCESSING, event job.processing
//   source -> spool file (SHA-256 on the way), progress events (download)
//   dedup by SHA-256: known content -> duplicate (nothing uploaded), else
//   spool -> S3 (upload_stream; its own SHA-256 must agree), record_file, progress (upload)
//   message.json item rewritten (stored / duplicate), PROCESSING -> COMPLETED, job.completed
//
// Failures: retryable and retry_count < max_retries -> RETRYING, republished through the
// retry queue with retry_count + 1 (job.failed will_retry, job.retrying); otherwise (or
// permanent) -> dead-lettered with the reason, message.json item failed, FAILED,
// job.failed. Shutdown mid-job -> back to PENDING and requeued. The job's row turning
// CANCELLED while it runs stops it at the next checkpoint (no object left behind).
//
// Every step is idempotent, so a redelivery after a crash at any point ends with one
// object and one COMPLETED row.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "core/error.hpp"
#include "core/log.hpp"
#include "metrics/catalog.hpp"
#include "queue/event_channel.hpp"
#include "queue/job_message.hpp"
#include "queue/job_publisher.hpp"
#include "storage/s3_client.hpp"
#include "store/store.hpp"
#include "worker/disk_admission.hpp"
#include "worker/large_file_source.hpp"

namespace teltubby::worker {

struct ProcessorSettings {
  std::filesystem::path work_dir;  // WORK_DIR: spool files live here
  std::string worker_id;           // in events
  int max_retries = 3;             // WORKER_MAX_RETRIES: retries after the first attempt
  std::chrono::milliseconds progress_interval{2'000};  // at most one progress event per phase per this
  // How often a running job asks the store whether it was cancelled.
  std::chrono::milliseconds cancel_poll_interval{1'000};
};

enum class JobOutcome {
  completed,        // stored (or found stored by an earlier attempt)
  duplicate,        // the content was already archived; pointed at the earlier copy
  skipped,          // already COMPLETED / CANCELLED / FAILED: a redelivery
  retry_scheduled,  // republished through the retry queue
  failed,           // FAILED and dead-lettered
  cancelled,        // stopped because the job was cancelled
  requeue,          // not done and nothing stored: put the delivery back (shutdown, no room yet)
};
std::string_view to_string(JobOutcome outcome);

class JobProcessor {
 public:
  // Every reference must outlive the processor. Thread-safe as far as its parts are
  // (Store, S3Client, the source and DiskAdmission are); publishers are per thread.
  JobProcessor(ProcessorSettings settings, store::Store& store, storage::S3Client& s3, LargeFileSource& source,
               DiskAdmission& disk, metrics::Catalog& metrics);

  // Processes one job. `publisher` (retries, dead letters) and `events` belong to the
  // calling thread's session. `stopping` is asked at every checkpoint. Success means
  // the outcome is stored: ack the delivery (or requeue it for JobOutcome::requeue).
  // An error means the outcome could not be stored (database or broker away): requeue.
  Result<JobOutcome> process(const queue::JobMessage& job, queue::JobPublisher& publisher,
                             queue::EventPublisher& events, const std::function<bool()>& stopping);

 private:
  struct Stored {
    std::string s3_key;
    std::string sha256;
    std::int64_t bytes = 0;
    bool duplicate = false;
  };
  Result<store::JobRecord> ensure_record(const queue::JobMessage& job);
  Result<store::JobRecord> start_processing(const store::JobRecord& record);
  Result<Stored> transfer(const queue::JobMessage& job, queue::EventPublisher& events, const CancelCheck& cancelled);
  Status rewrite_message_json(const queue::JobMessage& job, const Stored& stored);
  Status mark_item_failed(const queue::JobMessage& job, std::string_view reason);
  Result<JobOutcome> handle_failure(const queue::JobMessage& job, const store::JobRecord& record, const Error& error,
                                    queue::JobPublisher& publisher, queue::EventPublisher& events,
                                    bool stop_requested);
  void emit(queue::EventPublisher& events, queue::Event event);
  void announce_completed_again(const queue::JobMessage& job, queue::EventPublisher& events);

  ProcessorSettings settings_;
  store::Store& store_;
  storage::S3Client& s3_;
  LargeFileSource& source_;
  DiskAdmission& disk_;
  metrics::Catalog& metrics_;
  Logger log_{"worker"};
};

}  // namespace teltubby::worker
