#pragma once
// The SQLite implementation of Store: one connection per process, guarded by a mutex
// (so one SqliteStore may be shared by threads), configured for a second process on
// the same file (see store/sqlite/database.hpp).
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>

#include "store/sqlite/database.hpp"
#include "store/store.hpp"

namespace teltubby::store {

using Clock = std::function<Timestamp()>;

struct SqliteStoreOptions {
  std::filesystem::path path;  // SQLITE_PATH
  std::chrono::milliseconds busy_timeout{10'000};
  Clock clock;  // empty: the system clock (tests pass their own)
};

class SqliteStore final : public Store {
 public:
  // Opens or creates the database and brings its schema up to date. Throws FatalError
  // (start-up cannot go on) when the file cannot be opened, the schema was written by
  // a newer teltubby, or a migration fails.
  static std::unique_ptr<SqliteStore> open(const SqliteStoreOptions& options);

  Result<std::optional<FileRecord>> find_file_by_unique_id(std::string_view file_unique_id) override;
  Result<std::optional<FileRecord>> find_file_by_sha256(std::string_view sha256) override;
  Result<FileRecord> record_file(const FileRecord& file,
                                 std::optional<std::string_view> file_unique_id) override;
  Status map_unique_id(std::string_view file_unique_id, std::string_view sha256) override;

  Status record_message(const MessageRecord& message) override;
  Result<std::optional<MessageRecord>> find_message(std::int64_t chat_id, std::int64_t message_id) override;

  Result<std::optional<std::string>> get_value(std::string_view key) override;
  Status set_value(std::string_view key, std::string_view value) override;

  Result<std::int64_t> add_deferred(const DeferredMessage& message) override;
  Result<std::vector<DeferredMessage>> list_due_deferred(std::size_t limit) override;
  Result<std::vector<DeferredMessage>> list_deferred(std::size_t limit) override;
  Status mark_deferred_attempt(std::int64_t id, Timestamp next_attempt_at) override;
  Status remove_deferred(std::int64_t id) override;

  Result<JobRecord> create_job(const JobRecord& job) override;
  Result<JobRecord> get_job(std::string_view job_id) override;
  Result<JobRecord> transition_job(std::string_view job_id, const std::vector<JobState>& allowed_from,
                                   JobState to, const JobEventDetails& details) override;
  Result<std::vector<JobRecord>> list_jobs(const JobFilter& filter) override;
  Result<std::vector<JobEvent>> job_events(std::string_view job_id) override;
  Result<std::map<JobState, std::int64_t>> count_jobs_by_state() override;
  Result<std::optional<double>> recent_throughput_bytes_per_second(std::chrono::seconds window) override;
  Status mark_job_published(std::string_view job_id) override;
  Result<std::vector<JobRecord>> list_unpublished_pending_jobs(std::size_t limit) override;
  Status set_job_status_message(std::string_view job_id, const StatusMessageRef& status_message) override;
  Status set_job_priority(std::string_view job_id, JobPriority priority) override;

  Status vacuum() override;
  Result<std::string> integrity_check() override;

 private:
  SqliteStore(sqlite::Database database, Clock clock);

  Timestamp now() const;
  Status map_unique_id_locked(std::string_view file_unique_id, std::string_view sha256);
  Result<std::optional<FileRecord>> find_file_by_sha256_locked(std::string_view sha256);
  Result<std::optional<JobRecord>> find_job_locked(std::string_view job_id);
  Result<std::vector<DeferredMessage>> list_deferred_until(Timestamp due_by, std::size_t limit);
  Result<JobRecord> get_job_locked(std::string_view job_id);
  Result<std::vector<JobRecord>> query_jobs_locked(std::string_view where,
                                                   const std::vector<std::string>& texts, std::size_t limit);

  std::mutex mutex_;  // one connection: one statement or transaction at a time
  sqlite::Database db_;
  Clock clock_;
};

}  // namespace teltubby::store
