#pragma once
// message.json, schema_version "1.1" (DESIGN.md section 4): one per message folder,
// written once every item's outcome is known and rewritten by the worker when a
// queued item completes or fails (update_item).
//
// Conventions: Telegram ids are strings ("message_id": "42"); times are ISO-8601 UTC
// with Z, whole seconds; absent values are null, never missing keys. Derived fields are
// computed from the items, never taken from the caller:
// - `keys`: s3_key of every item whose file is in the archive (status stored, or
//   duplicate, whose s3_key points at the earlier copy), in ordinal order;
// - `files_count`: the number of those keys;
// - `total_bytes_uploaded`: size_bytes summed over items with status stored (a
//   duplicate uploads nothing).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/media_type.hpp"
#include "core/error.hpp"

namespace teltubby::archive {

inline constexpr std::string_view kSchemaVersion = "1.1";

enum class ItemStatus { stored, duplicate, skipped, queued, failed };
enum class DedupReason { file_unique_id, sha256 };

[[nodiscard]] std::string_view item_status_name(ItemStatus status);
[[nodiscard]] std::optional<ItemStatus> item_status_from_name(std::string_view name);
[[nodiscard]] std::string_view dedup_reason_name(DedupReason reason);
[[nodiscard]] std::optional<DedupReason> dedup_reason_from_name(std::string_view name);

struct ItemRecord {
  int ordinal = 1;  // 1-based, unique within the message
  MediaType type = MediaType::document;
  std::optional<std::string> mime_type;
  std::optional<std::int64_t> size_bytes;
  std::optional<std::int64_t> width;     // pixels
  std::optional<std::int64_t> height;    // pixels
  std::optional<std::int64_t> duration;  // seconds
  std::string file_id;
  std::string file_unique_id;
  std::optional<std::string> original_filename;
  std::optional<std::string> sha256;  // 64 lower-case hex digits
  std::optional<std::string> s3_key;  // required for stored and duplicate
  ItemStatus status = ItemStatus::stored;
  std::optional<std::string> skipped_reason;  // required for skipped ("exceeds_max_file_gb", ...)
  std::optional<std::string> job_id;          // required for queued
};

struct TelegramRecord {
  std::int64_t message_id = 0;
  std::optional<std::string> media_group_id;
  std::int64_t chat_id = 0;
  std::optional<std::string> chat_title;
  std::optional<std::string> chat_username;
  std::optional<std::int64_t> sender_id;
  std::optional<std::string> sender_username;
  nlohmann::json forward_origin = nullptr;  // object as received, or null
  std::optional<std::string> caption_plain;
  nlohmann::json caption_entities = nlohmann::json::array();  // as received
  nlohmann::json entities = nlohmann::json::array();          // as received
  nlohmann::json extras = nlohmann::json::object();           // other parts of the message, as received
  std::vector<ItemRecord> items;
};

struct MessageRecord {
  std::chrono::sys_seconds archive_time{};  // when this document was (re)written
  std::chrono::sys_seconds message_time{};  // the Telegram message date
  std::string bucket;
  std::string base_path;  // "teltubby/2026/11/chat/42/"
  std::optional<std::string> duplicate_of;
  std::optional<DedupReason> dedup_reason;
  std::optional<std::string> notes;
  TelegramRecord telegram;
};

// Checks the record (ordinals unique and positive, per-status required fields,
// well-formed sha256 and times, JSON passthrough of the right shape) and builds the
// document with items in ordinal order. Errors: invalid_input, "message_json.invalid",
// naming the field.
[[nodiscard]] Result<nlohmann::json> build_message_json(const MessageRecord& record);

// The reverse, validating every field's presence and type and that the derived
// fields agree with the items. Only schema_version "1.1" is accepted.
[[nodiscard]] Result<MessageRecord> parse_message_json(const nlohmann::json& document);

// A worker's change to one item. Fields that are set replace the item's; `status`
// always does. Moving to stored or duplicate clears skipped_reason unless one is given.
// duplicate_of and dedup_reason, when set, go to the document's top level.
struct ItemUpdate {
  ItemStatus status = ItemStatus::stored;
  std::optional<std::int64_t> size_bytes;
  std::optional<std::string> sha256;
  std::optional<std::string> s3_key;
  std::optional<std::string> skipped_reason;
  std::optional<std::string> job_id;
  std::optional<std::string> duplicate_of;
  std::optional<DedupReason> dedup_reason;
};

// The document with item `ordinal` updated, derived fields recomputed and
// archive_timestamp_utc set to `now`. Errors: the document's own parse errors;
// not_found ("message_json.no_item") when no item has that ordinal.
[[nodiscard]] Result<nlohmann::json> update_item(const nlohmann::json& document, int ordinal,
                                                 const ItemUpdate& update, std::chrono::sys_seconds now);

}  // namespace teltubby::archive
