#pragma once
// The job message (DESIGN.md section 5): what the bot publishes for a file the Bot API
// cannot download, and what the worker consumes. The same validating parser runs on
// both sides; an invalid message is dead-lettered with the parser's error text.
//
// Ids (user_id, chat_id, message_id) are accepted as JSON integers or as strings of
// digits, and always emitted as strings: the spec shows strings, and Telegram ids can
// exceed 2^53, where JSON numbers stop being exact in many parsers.
// file_size, retry_count, max_retries, estimated_duration and ordinal are integers.
// Unknown fields are ignored (a newer bot may add some), never an error.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "store/job_state.hpp"
#include "store/records.hpp"

namespace teltubby::queue {

// A message body larger than this is refused before parsing (captions and entities of a
// Telegram message are far smaller; this is a guard against garbage, not a quota).
inline constexpr std::size_t kMaxJobMessageBytes = 256 * 1024;

using JobPriority = store::JobPriority;

struct FileInfo {
  std::string file_id;         // Bot API file_id (opaque)
  std::string file_unique_id;  // matches TDLib remoteFile.unique_id
  std::int64_t file_size = 0;  // bytes
  std::string file_type;       // document|video|audio|photo|animation|voice|video_note|sticker
  std::optional<std::string> file_name;
  std::optional<std::string> mime_type;
  bool operator==(const FileInfo&) const = default;
};

struct TelegramContext {
  nlohmann::json forward_origin;  // Bot API MessageOrigin object, or null
  std::optional<std::string> caption;
  nlohmann::json entities = nlohmann::json::array();  // Bot API MessageEntity array
  std::optional<std::string> media_group_id;
  bool operator==(const TelegramContext&) const = default;
};

struct JobMetadata {
  std::chrono::sys_seconds created_at{};  // "2026-11-28T13:44:00Z"
  JobPriority priority = JobPriority::normal;
  int retry_count = 0;  // retries already scheduled (0 on the first attempt)
  int max_retries = 3;
  std::optional<std::int64_t> estimated_duration;  // seconds; null when unknown
  bool operator==(const JobMetadata&) const = default;
};

// Where the worker writes, exactly where the bot would have (DESIGN.md section 4).
struct ArchiveTarget {
  std::string base_path;  // the message's folder key prefix
  std::string s3_key;     // the object key of this item
  int ordinal = 1;        // 1-based item number within the message
  bool operator==(const ArchiveTarget&) const = default;
};

struct JobMessage {
  std::string job_id;  // uuid v4
  std::int64_t user_id = 0;
  std::int64_t chat_id = 0;
  std::int64_t message_id = 0;
  FileInfo file_info;
  TelegramContext telegram_context;
  JobMetadata job_metadata;
  ArchiveTarget archive;
  bool operator==(const JobMessage&) const = default;
};

nlohmann::json to_json(const JobMessage& job);
// The body as published: compact JSON, UTF-8.
std::string serialize(const JobMessage& job);

// The job's database row as recorded when it is created (PENDING, unpublished; the
// payload is this message serialised).
store::JobRecord job_record_from(const JobMessage& job);

// Validates and parses a body. Errors: invalid_input, code "job_message.invalid", the
// message names the field ("job_metadata.priority: unknown priority \"low\"").
Result<JobMessage> parse_job_message(std::string_view body);

}  // namespace teltubby::queue
