#pragma once
// The hand-over of large items (above BOT_API_MAX_FILE_BYTES, or refused by getFile as
// too big) to the MTProto worker (DESIGN.md section 5). Issue 6 implements it over
// RabbitMQ; until then UnsupportedLargeFiles refuses, and the ingestor marks the item
// `skipped` with reason "queued_large_file" (the receipt says: not yet supported).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bot/media.hpp"
#include "core/error.hpp"
#include "telegram/botapi/types.hpp"

namespace teltubby::ingest {

// Everything a job needs to archive the item exactly where the bot would have.
struct LargeItemRequest {
  std::vector<botapi::Message> messages;  // the whole unit (an album's messages), by message_id
  botapi::Message message;                // the message that carries the item
  bot::MediaItem item;
  int ordinal = 1;         // 1-based, Telegram order within the unit
  std::string base_path;   // "teltubby/2026/11/chan/123/"
  std::string key;         // base_path + the item's file name
  std::string json_key;    // base_path + "message.json" (the worker rewrites it)
  std::int64_t curator_id = 0;  // who sent it to the bot (message.from, else the chat id)
};

struct QueuedJob {
  std::string job_id;                      // uuid v4 text
  std::optional<std::chrono::seconds> eta;  // nullopt = unknown
};

class LargeFileQueue {
 public:
  virtual ~LargeFileQueue() = default;
  // Records and publishes a job. Retryable errors are retried by the ingestor; the
  // code "ingest.large_files_unsupported" means there is no queue (item skipped).
  virtual Result<QueuedJob> enqueue(const LargeItemRequest& request) = 0;
  // The unit of a job recorded by enqueue() was given up (another item failed for
  // good): the job must never run. Best effort; the default has nothing to undo.
  virtual void abandon(const std::string& job_id, std::string_view reason) {
    (void)job_id;
    (void)reason;
  }
};

inline constexpr std::string_view kLargeFilesUnsupported = "ingest.large_files_unsupported";

// Until the job queue exists (issue 6): refuses every request with
// "ingest.large_files_unsupported".
class UnsupportedLargeFiles final : public LargeFileQueue {
 public:
  Result<QueuedJob> enqueue(const LargeItemRequest& request) override;
};

}  // namespace teltubby::ingest
