#pragma once
// Plain values that cross the Store interface. No SQL here: a PostgreSQL backend
// returns the same records.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/job_state.hpp"

namespace teltubby::store {

// Every time in the store is UTC with millisecond resolution (stored as unix ms).
using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

// One stored object, keyed by the SHA-256 of its content (the authoritative dedup key).
struct FileRecord {
  std::string sha256;  // 64 lowercase hex digits
  std::string s3_key;
  std::int64_t size_bytes = 0;
  std::optional<std::string> mime;
  Timestamp created_at{};  // set by the store when first recorded
  bool operator==(const FileRecord&) const = default;
};

// One archived message (or album item): where its folder and message.json are.
struct MessageRecord {
  std::int64_t chat_id = 0;
  std::int64_t message_id = 0;
  std::optional<std::string> media_group_id;
  std::string base_path;
  std::string json_key;
  Timestamp created_at{};  // set by the store when first recorded
  bool operator==(const MessageRecord&) const = default;
};

// The bot's own message that shows a job's progress, edited in place.
struct StatusMessageRef {
  std::int64_t chat_id = 0;
  std::int64_t message_id = 0;
  bool operator==(const StatusMessageRef&) const = default;
};

struct JobRecord {
  std::string job_id;  // uuid v4 text
  JobState state = JobState::pending;
  JobPriority priority = JobPriority::normal;
  std::int64_t user_id = 0;  // the curator
  std::int64_t chat_id = 0;
  std::int64_t message_id = 0;
  std::string file_unique_id;
  std::int64_t file_size = 0;  // bytes
  std::string payload;         // the job message as published (JSON text)
  // Processing attempts started so far (0 before the first); the job message's
  // retry_count is attempt - 1 once processing has started.
  int attempt = 0;
  int max_retries = 0;
  Timestamp created_at{};  // set by the store
  Timestamp updated_at{};  // set by the store on every change
  std::optional<std::string> last_error;
  std::optional<std::string> s3_key;  // where the file goes (or went)
  std::optional<StatusMessageRef> status_message;
  // True once the job message is confirmed by the broker; a PENDING job that is not
  // published (the bot stopped in between) is published again at start-up.
  bool published = false;
  std::optional<Timestamp> published_at;
  bool operator==(const JobRecord&) const = default;
};

// What a state change carries into the job history.
struct JobEventDetails {
  // The attempt this change belongs to. Unset: entering PROCESSING starts the next
  // attempt (job.attempt + 1); other changes keep the job's current attempt.
  std::optional<int> attempt;
  std::optional<std::int64_t> bytes;  // bytes transferred, when known
  std::optional<std::string> error;   // becomes the job's last_error too (redacted)
  // Marks the job unpublished in the same transaction (admin retry: the bot then
  // publishes it again; a crash before that leaves it for list_unpublished_pending_jobs).
  bool mark_unpublished = false;
};

// One row of a job's history. from_state is empty for the creation event.
struct JobEvent {
  std::int64_t id = 0;
  std::string job_id;
  Timestamp at{};
  std::optional<JobState> from_state;
  JobState to_state = JobState::pending;
  int attempt = 0;
  std::optional<std::int64_t> bytes;
  std::optional<std::string> error;
  bool operator==(const JobEvent&) const = default;
};

struct JobFilter {
  std::vector<JobState> states;  // empty means every state
  std::size_t limit = 0;         // 0 means no limit
};

// A message whose archiving was put off (ingestion paused at quota); the raw update is
// kept so that it can be archived later exactly as received.
struct DeferredMessage {
  std::int64_t id = 0;  // assigned by the store
  std::int64_t chat_id = 0;
  std::int64_t message_id = 0;
  std::string reason;      // e.g. "quota_exceeded"
  std::string payload;     // the raw update (JSON text)
  Timestamp created_at{};  // set by the store
  int attempts = 0;
  Timestamp next_attempt_at{};
  bool operator==(const DeferredMessage&) const = default;
};

}  // namespace teltubby::store
