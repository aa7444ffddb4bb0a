#include "bot/media.hpp"

#include <cmath>
#include <limits>

namespace teltubby::bot {
namespace {

using botapi::Message;

MediaItem make_item(MediaType type, const std::string& file_id, const std::string& file_unique_id,
                    std::optional<std::int64_t> size, std::string fallback_mime, std::string extension) {
  MediaItem item;
  item.type = type;
  item.file_id = file_id;
  item.file_unique_id = file_unique_id;
  item.size_bytes = size;
  item.fallback_mime = std::move(fallback_mime);
  item.usual_extension = std::move(extension);
  return item;
}

// Larger area wins; equal areas: larger known file size wins; otherwise the later
// entry (Telegram lists sizes smallest first).
bool photo_is_larger_or_equal(const botapi::PhotoSize& candidate, const botapi::PhotoSize& best) {
  // In double: dimensions come from outside and an int64 product could overflow; for
  // real sizes (products far below 2^53) the comparison is exact.
  const double candidate_area = static_cast<double>(candidate.width) * static_cast<double>(candidate.height);
  const double best_area = static_cast<double>(best.width) * static_cast<double>(best.height);
  if (candidate_area != best_area) return candidate_area > best_area;
  return candidate.file_size.value_or(0) >= best.file_size.value_or(0);
}

std::optional<MediaItem> photo_item(const Message& m) {
  if (m.photo.empty()) return std::nullopt;
  const botapi::PhotoSize* best = &m.photo.front();
  for (const auto& size : m.photo) {
    if (photo_is_larger_or_equal(size, *best)) best = &size;
  }
  MediaItem item = make_item(MediaType::photo, best->file_id, best->file_unique_id, best->file_size, "image/jpeg", "jpg");
  item.width = best->width;
  item.height = best->height;
  return item;
}

MediaItem sticker_item(const botapi::Sticker& s) {
  std::string mime = "image/webp";
  std::string extension = "webp";
  if (s.is_video) {
    mime = "video/webm";
    extension = "webm";
  } else if (s.is_animated) {
    mime = "application/x-tgsticker";
    extension = "tgs";
  }
  MediaItem item = make_item(MediaType::sticker, s.file_id, s.file_unique_id, s.file_size, mime, extension);
  item.width = s.width;
  item.height = s.height;
  return item;
}

}  // namespace

std::string_view to_string(MediaType type) {
  switch (type) {
    case MediaType::photo: return "photo";
    case MediaType::video: return "video";
    case MediaType::document: return "document";
    case MediaType::audio: return "audio";
    case MediaType::voice: return "voice";
    case MediaType::video_note: return "video_note";
    case MediaType::animation: return "animation";
    case MediaType::sticker: return "sticker";
  }
  return "document";
}

std::string_view to_string(Route route) {
  switch (route) {
    case Route::bot_api: return "bot_api";
    case Route::queued_large_file: return "queued_large_file";
    case Route::exceeds_max_file_gb: return "exceeds_max_file_gb";
  }
  return "bot_api";
}

std::vector<MediaItem> select_media(const Message& m) {
  std::vector<MediaItem> items;
  if (auto photo = photo_item(m)) items.push_back(std::move(*photo));
  if (m.video) {
    const auto& v = *m.video;
    MediaItem item = make_item(MediaType::video, v.file_id, v.file_unique_id, v.file_size, "video/mp4", "mp4");
    item.mime_type = v.mime_type;
    item.original_filename = v.file_name;
    item.width = v.width;
    item.height = v.height;
    item.duration = v.duration;
    items.push_back(std::move(item));
  }
  if (m.animation) {
    const auto& a = *m.animation;
    MediaItem item = make_item(MediaType::animation, a.file_id, a.file_unique_id, a.file_size, "video/mp4", "mp4");
    item.mime_type = a.mime_type;
    item.original_filename = a.file_name;
    item.width = a.width;
    item.height = a.height;
    item.duration = a.duration;
    items.push_back(std::move(item));
  } else if (m.document) {
    // With `animation` present the document field describes the same file (Telegram
    // sends both for backward compatibility), so it is only archived on its own.
    const auto& d = *m.document;
    MediaItem item = make_item(MediaType::document, d.file_id, d.file_unique_id, d.file_size,
                               "application/octet-stream", "bin");
    item.mime_type = d.mime_type;
    item.original_filename = d.file_name;
    items.push_back(std::move(item));
  }
  if (m.audio) {
    const auto& a = *m.audio;
    MediaItem item = make_item(MediaType::audio, a.file_id, a.file_unique_id, a.file_size, "audio/mpeg", "mp3");
    item.mime_type = a.mime_type;
    item.original_filename = a.file_name;
    item.duration = a.duration;
    items.push_back(std::move(item));
  }
  if (m.voice) {
    const auto& v = *m.voice;
    MediaItem item = make_item(MediaType::voice, v.file_id, v.file_unique_id, v.file_size, "audio/ogg", "ogg");
    item.mime_type = v.mime_type;
    item.duration = v.duration;
    items.push_back(std::move(item));
  }
  if (m.video_note) {
    const auto& v = *m.video_note;
    MediaItem item = make_item(MediaType::video_note, v.file_id, v.file_unique_id, v.file_size, "video/mp4", "mp4");
    item.width = v.length;
    item.height = v.length;
    item.duration = v.duration;
    items.push_back(std::move(item));
  }
  if (m.sticker) items.push_back(sticker_item(*m.sticker));
  return items;
}

std::int64_t max_file_bytes_from_gb(double gigabytes) {
  constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
  if (!(gigabytes > 0)) return 0;  // also catches NaN
  const double bytes = std::floor(gigabytes * kGiB);
  if (bytes >= static_cast<double>(std::numeric_limits<std::int64_t>::max())) {
    return std::numeric_limits<std::int64_t>::max();
  }
  return static_cast<std::int64_t>(bytes);
}

Route route_item(const MediaItem& item, const RoutingLimits& limits) {
  if (!item.size_bytes) return Route::bot_api;
  const std::int64_t size = *item.size_bytes;
  if (size > limits.max_file_bytes) return Route::exceeds_max_file_gb;
  if (size > limits.bot_api_max_file_bytes) return Route::queued_large_file;
  return Route::bot_api;
}

}  // namespace teltubby::bot
