#pragma once
// The curator's receipt and the bot's other one-shot replies (DESIGN.md section 3),
// rendered as Telegram HTML. Pure. Every string that came from outside (paths, keys,
// reasons, error texts, job ids) is escaped; the texts are stable (tests assert them
// exactly).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/media.hpp"

namespace teltubby::bot {

// message.json item `status`.
enum class ItemStatus { stored, duplicate, skipped, queued, failed };
std::string_view to_string(ItemStatus status);  // "stored", "duplicate", ...

struct ItemOutcome {
  int ordinal = 0;  // 1-based, Telegram order
  MediaType type = MediaType::document;
  ItemStatus status = ItemStatus::stored;
  // stored: bytes uploaded; other states: the item's size when known, 0 = unknown.
  std::int64_t bytes = 0;
  std::string key;             // stored: its key; duplicate: the existing key
  std::string skipped_reason;  // skipped: reason code ("exceeds_max_file_gb", "queued_large_file", ...)
  std::string job_id;          // queued: the job; empty = large-file jobs not available
  std::optional<std::chrono::seconds> eta;  // queued: estimated time to done; nullopt = unknown
  std::string error;           // failed: what went wrong (already redacted)
};

struct IngestOutcome {
  std::vector<ItemOutcome> items;  // in ordinal order
  std::string base_path;           // "teltubby/2026/11/chan/123/"
  std::chrono::milliseconds processing_time{0};
  bool is_album = false;
  // Storage quota at 100%: nothing uploaded, the message is remembered for later.
  bool quota_paused = false;
  // Storage or Telegram kept failing: the message is remembered and retried later.
  bool deferred = false;
  std::string deferred_reason;  // why, already redacted; may be empty
  // This receipt is for a message that was deferred (or quota-paused) earlier.
  bool archived_after_deferral = false;
};

// The one reply per message or album. Chooses the quota-paused, deferred or
// album-failed text when those apply, else the normal receipt.
std::string render_receipt(const IngestOutcome& outcome);

// A message without a file.
std::string render_nothing_to_archive();

// Album with at least one failed item: nothing of it was stored; names each failed
// item and its reason.
std::string render_album_failed(const IngestOutcome& outcome);

std::string render_quota_paused();
std::string render_deferred(std::string_view reason);

// 📷 photo, 🎬 video, 📄 document, 🎵 audio, 🎤 voice, ⏺ video note, 🎞 animation, 🏷 sticker
std::string_view media_emoji(MediaType type);
// "video note" for video_note; the type string otherwise.
std::string_view media_label(MediaType type);

// "512 B", "1.5 KB", "20.0 MB", "4.0 GB" (1024-based, one decimal above bytes).
std::string human_bytes(std::int64_t bytes);
// "350 ms", "1.2 s", "2 min 5 s".
std::string human_duration(std::chrono::milliseconds duration);
// "less than a minute", "about 3 min", "about 2 h 5 min" (rounded up to minutes).
std::string human_eta(std::chrono::seconds eta);

}  // namespace teltubby::bot
