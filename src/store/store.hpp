#pragma once
// The database as the rest of teltubby sees it. Callers hold a `Store&` and never see
// SQL; SqliteStore implements it today, a PostgreSQL backend can follow without
// touching callers. Every operation is atomic. Implementations are safe to call from
// several threads and from several processes sharing the database.
//
// Errors: invalid arguments -> invalid_input ("store.invalid"); a missing job ->
// not_found ("job.not_found"); a busy database past the timeout -> retryable
// ("sqlite.busy" for SQLite); see each operation for its own codes.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "store/job_state.hpp"
#include "store/records.hpp"

namespace teltubby::store {

class Store {
 public:
  virtual ~Store() = default;
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // --- dedup index -----------------------------------------------------------------
  virtual Result<std::optional<FileRecord>> find_file_by_unique_id(std::string_view file_unique_id) = 0;
  virtual Result<std::optional<FileRecord>> find_file_by_sha256(std::string_view sha256) = 0;
  // Records a stored object. Idempotent: when the sha256 is already known the first
  // record wins and is returned (its s3_key is the one to point duplicates at). With
  // a unique id, also maps it to the sha256 (as map_unique_id).
  virtual Result<FileRecord> record_file(const FileRecord& file,
                                         std::optional<std::string_view> file_unique_id) = 0;
  // Maps a Telegram file_unique_id to a known sha256. Idempotent for the same pair;
  // "store.unique_id_conflict" when the id is already mapped to different content;
  // "store.unknown_file" when the sha256 is not recorded.
  virtual Status map_unique_id(std::string_view file_unique_id, std::string_view sha256) = 0;

  // --- archived messages ---------------------------------------------------------------
  // Inserts or updates (base_path, json_key, media_group_id); created_at is kept.
  virtual Status record_message(const MessageRecord& message) = 0;
  virtual Result<std::optional<MessageRecord>> find_message(std::int64_t chat_id,
                                                            std::int64_t message_id) = 0;

  // --- small settings (long-polling offset, worker user id, ...) -----------------------
  virtual Result<std::optional<std::string>> get_value(std::string_view key) = 0;
  virtual Status set_value(std::string_view key, std::string_view value) = 0;

  // --- deferred (paused) messages ------------------------------------------------------
  // Returns the id. Idempotent per (chat_id, message_id): a message deferred twice
  // keeps its first row, whose id is returned.
  virtual Result<std::int64_t> add_deferred(const DeferredMessage& message) = 0;
  // Rows whose next_attempt_at has come, oldest first; limit 0 means no limit.
  virtual Result<std::vector<DeferredMessage>> list_due_deferred(std::size_t limit) = 0;
  // Every row whatever its next_attempt_at, oldest first (start-up recovery); 0 = no limit.
  virtual Result<std::vector<DeferredMessage>> list_deferred(std::size_t limit) = 0;
  // Counts one more attempt and sets when to try next.
  virtual Status mark_deferred_attempt(std::int64_t id, Timestamp next_attempt_at) = 0;
  virtual Status remove_deferred(std::int64_t id) = 0;

  // --- jobs ---------------------------------------------------------------------------
  // Records a new PENDING job and its creation event. "job.exists" when the id is taken.
  virtual Result<JobRecord> create_job(const JobRecord& job) = 0;
  virtual Result<JobRecord> get_job(std::string_view job_id) = 0;
  // Atomically: checks that the job's state is one of `allowed_from` and that the
  // change is allowed at all (is_allowed_transition), changes it, and appends a history
  // row. "job.wrong_state" (the message names the current state) when the state is
  // not in `allowed_from`; "job.illegal_transition" when the table forbids it.
  virtual Result<JobRecord> transition_job(std::string_view job_id, const std::vector<JobState>& allowed_from,
                                           JobState to, const JobEventDetails& details) = 0;
  // Oldest first.
  virtual Result<std::vector<JobRecord>> list_jobs(const JobFilter& filter) = 0;
  virtual Result<std::vector<JobEvent>> job_events(std::string_view job_id) = 0;
  // Every state is present (0 when there is no such job).
  virtual Result<std::map<JobState, std::int64_t>> count_jobs_by_state() = 0;
  // Bytes per second of the jobs completed within `window` (total bytes / total time
  // from entering PROCESSING to COMPLETED); empty when no job completed in the window.
  virtual Result<std::optional<double>> recent_throughput_bytes_per_second(std::chrono::seconds window) = 0;
  virtual Status mark_job_published(std::string_view job_id) = 0;
  // PENDING jobs whose job message was never confirmed by the broker; oldest first.
  virtual Result<std::vector<JobRecord>> list_unpublished_pending_jobs(std::size_t limit) = 0;
  virtual Status set_job_status_message(std::string_view job_id, const StatusMessageRef& status_message) = 0;
  virtual Status set_job_priority(std::string_view job_id, JobPriority priority) = 0;

  // --- maintenance -----------------------------------------------------------------------
  virtual Status vacuum() = 0;
  // "ok" when the database is sound, else the problems found, one per line.
  virtual Result<std::string> integrity_check() = 0;
};

}  // namespace teltubby::store
