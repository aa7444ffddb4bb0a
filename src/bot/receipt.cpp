#include "bot/receipt.hpp"

#include <array>
#include <cstdio>

#include "bot/commands.hpp"
#include "bot/html.hpp"

namespace teltubby::bot {
namespace {

std::string format_one_decimal(double value) {
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%.1f", value);
  return buffer.data();
}

std::string item_label(const ItemOutcome& item) {
  std::string label = "#" + std::to_string(item.ordinal) + " " + std::string(media_emoji(item.type)) + " " +
                      std::string(media_label(item.type));
  if (item.bytes > 0) label += " (" + human_bytes(item.bytes) + ")";
  return label;
}

// Known reason codes get a few words of explanation after the code.
std::string explain_reason(std::string_view code) {
  std::string text = html_escape(code);
  if (code == "exceeds_max_file_gb") text += ": larger than the size limit";
  if (code == "queued_large_file") text += ": too large for the Bot API, large-file jobs are not available yet";
  return text;
}

std::string ordinal_list(const std::vector<int>& ordinals) {
  std::string text;
  for (int ordinal : ordinals) {
    if (!text.empty()) text += ", ";
    text += "#" + std::to_string(ordinal);
  }
  return text;
}

std::string media_summary(const std::vector<ItemOutcome>& items) {
  constexpr std::array<MediaType, 8> kOrder = {MediaType::photo, MediaType::video,      MediaType::document,
                                               MediaType::audio, MediaType::voice,      MediaType::video_note,
                                               MediaType::animation, MediaType::sticker};
  std::string text;
  for (MediaType type : kOrder) {
    int count = 0;
    for (const auto& item : items) count += item.type == type ? 1 : 0;
    if (count == 0) continue;
    if (!text.empty()) text += ", ";
    text += std::string(media_emoji(type)) + " " + std::string(media_label(type)) + " ×" + std::to_string(count);
  }
  return text;
}

}  // namespace

std::string_view to_string(ItemStatus status) {
  switch (status) {
    case ItemStatus::stored: return "stored";
    case ItemStatus::duplicate: return "duplicate";
    case ItemStatus::skipped: return "skipped";
    case ItemStatus::queued: return "queued";
    case ItemStatus::failed: return "failed";
  }
  return "failed";
}

std::string_view media_emoji(MediaType type) {
  switch (type) {
    case MediaType::photo: return "📷";
    case MediaType::video: return "🎬";
    case MediaType::document: return "📄";
    case MediaType::audio: return "🎵";
    case MediaType::voice: return "🎤";
    case MediaType::video_note: return "⏺";
    case MediaType::animation: return "🎞";
    case MediaType::sticker: return "🏷";
  }
  return "📄";
}

std::string_view media_label(MediaType type) {
  if (type == MediaType::video_note) return "video note";
  return to_string(type);
}

std::string human_bytes(std::int64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  constexpr std::array<std::string_view, 5> kUnits = {"KB", "MB", "GB", "TB", "PB"};
  double value = static_cast<double>(bytes) / 1024.0;
  std::size_t unit = 0;
  // Switch unit before the rounded value would print as "1024.0".
  while (value >= 1023.95 && unit + 1 < kUnits.size()) {
    value /= 1024.0;
    ++unit;
  }
  return format_one_decimal(value) + " " + std::string(kUnits[unit]);
}

std::string human_duration(std::chrono::milliseconds duration) {
  const auto ms = duration.count();
  if (ms < 1000) return std::to_string(ms < 0 ? 0 : ms) + " ms";
  if (ms < 60000) return format_one_decimal(static_cast<double>(ms) / 1000.0) + " s";
  const auto total_seconds = ms / 1000;
  return std::to_string(total_seconds / 60) + " min " + std::to_string(total_seconds % 60) + " s";
}

std::string human_eta(std::chrono::seconds eta) {
  const auto seconds = eta.count();
  if (seconds < 60) return "less than a minute";
  const auto minutes = (seconds + 59) / 60;
  if (minutes < 60) return "about " + std::to_string(minutes) + " min";
  return "about " + std::to_string(minutes / 60) + " h " + std::to_string(minutes % 60) + " min";
}

std::string render_nothing_to_archive() { return "ℹ️ Nothing to archive: this message has no file."; }

std::string render_quota_paused() {
  return "⏸ <b>Storage quota reached</b>\n"
         "Nothing was uploaded. This message is saved and will be archived automatically "
         "once space frees up. Free space in the bucket or raise S3_BUCKET_QUOTA_BYTES; see /quota.";
}

std::string render_deferred(std::string_view reason) {
  std::string text = "⏳ <b>Will be archived later</b>\n";
  if (!reason.empty()) text += "Reason: " + html_escape(reason) + "\n";
  text += "Nothing is lost: it is retried automatically and you will get a receipt.";
  return text;
}

std::string render_album_failed(const IngestOutcome& outcome) {
  std::string text = "❌ <b>Album not archived</b>\n";
  for (const auto& item : outcome.items) {
    if (item.status != ItemStatus::failed) continue;
    text += "Item " + item_label(item) + ": " + html_escape(item.error.empty() ? "unknown error" : item.error) + "\n";
  }
  text += "Nothing from this album was stored. Forward it again to retry.";
  return text;
}

std::string render_receipt(const IngestOutcome& outcome) {
  if (outcome.quota_paused) return render_quota_paused();
  if (outcome.deferred) return render_deferred(outcome.deferred_reason);

  int stored = 0;
  int succeeded = 0;  // stored, duplicate or queued: the archive has or will have it
  int failed = 0;
  std::int64_t uploaded = 0;
  std::vector<int> duplicates;
  for (const auto& item : outcome.items) {
    switch (item.status) {
      case ItemStatus::stored:
        ++stored;
        ++succeeded;
        uploaded += item.bytes;
        break;
      case ItemStatus::duplicate:
        ++succeeded;
        duplicates.push_back(item.ordinal);
        break;
      case ItemStatus::queued: ++succeeded; break;
      case ItemStatus::failed: ++failed; break;
      case ItemStatus::skipped: break;
    }
  }
  if (outcome.is_album && failed > 0) return render_album_failed(outcome);

  std::string text;
  if (succeeded > 0) {
    text = outcome.archived_after_deferral ? "✅ <b>Archived</b> (was waiting)\n" : "✅ <b>Archived</b>\n";
  } else if (failed > 0) {
    text = "❌ <b>Not archived</b>\n";
  } else {
    text = "⚠️ <b>Nothing archived</b>\n";
  }
  const auto total = outcome.items.size();
  text += "Stored: " + std::to_string(stored) + " of " + std::to_string(total) + (total == 1 ? " file\n" : " files\n");
  if (!outcome.items.empty()) text += "Media: " + media_summary(outcome.items) + "\n";
  text += "Uploaded: " + human_bytes(uploaded) + "\n";
  if (!outcome.base_path.empty()) text += "Path: <code>" + html_escape(outcome.base_path) + "</code>\n";
  if (!duplicates.empty()) {
    text += "Duplicates: " + std::to_string(duplicates.size()) + " (" + ordinal_list(duplicates) + ")\n";
  }
  for (const auto& item : outcome.items) {
    if (item.status == ItemStatus::skipped) {
      text += "Skipped: " + item_label(item) + " — " + explain_reason(item.skipped_reason) + "\n";
    }
  }
  for (const auto& item : outcome.items) {
    if (item.status != ItemStatus::queued) continue;
    text += "Queued: " + item_label(item) + " — ";
    if (item.job_id.empty()) {
      text += "large-file jobs are not available yet\n";
      continue;
    }
    text += html_escape(job_shortcut(item.job_id)) + ", " +
            (item.eta ? html_escape(human_eta(*item.eta)) : std::string("time unknown")) + "\n";
  }
  for (const auto& item : outcome.items) {
    if (item.status == ItemStatus::failed) {
      text += "Failed: " + item_label(item) + " — " + html_escape(item.error.empty() ? "unknown error" : item.error) +
              "\n";
    }
  }
  text += "Time: " + human_duration(outcome.processing_time);
  return text;
}

}  // namespace teltubby::bot
