#pragma once
// Which files of a message are archived, and how each is fetched. Pure.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "telegram/botapi/types.hpp"

namespace teltubby::bot {

enum class MediaType { photo, video, document, audio, voice, video_note, animation, sticker };

// "photo", "video", "document", "audio", "voice", "video_note", "animation", "sticker":
// the media kind as the receipt names it. message.json's item `type` tells the sticker
// formats apart ("sticker_static", "sticker_animated", "sticker_video": archive/media_type.hpp).
std::string_view to_string(MediaType type);

// One archivable file, with everything naming, routing and message.json need.
struct MediaItem {
  MediaType type = MediaType::document;
  std::string file_id;         // for getFile
  std::string file_unique_id;  // dedup fast path; equals TDLib's remote unique id
  std::optional<std::int64_t> size_bytes;  // as Telegram said; absent when unknown
  std::optional<std::string> mime_type;    // as Telegram said (message.json keeps this)
  std::optional<std::string> original_filename;
  std::optional<std::int64_t> width;     // pixels
  std::optional<std::int64_t> height;    // pixels
  std::optional<std::int64_t> duration;  // seconds
  // Content-Type to upload with when Telegram gave no MIME (photo: image/jpeg, static
  // sticker: image/webp, animated: application/x-tgsticker, video sticker: video/webm,
  // voice: audio/ogg, video/video note/animation: video/mp4, audio: audio/mpeg,
  // otherwise application/octet-stream).
  std::string fallback_mime;
  // The media type's usual extension without the dot ("jpg", "webp", "tgs", "webm",
  // "ogg", "mp4", "mp3", "bin"): the naming code's last resort.
  std::string usual_extension;

  [[nodiscard]] const std::string& content_type() const { return mime_type ? *mime_type : fallback_mime; }
};

// The archivable items of one message, in a stable order (today at most one: Telegram
// puts one file in a message; albums are several messages). Photo: only the largest
// size (by width*height, then file_size). A GIF arrives as both `animation` and
// `document`: it is archived once, as animation. Empty for text, location, contact,
// poll, venue, dice and anything else without a file: "nothing to archive".
std::vector<MediaItem> select_media(const botapi::Message& message);

// How an item is fetched.
enum class Route {
  bot_api,              // getFile + download through the Bot API
  queued_large_file,    // above the Bot API limit: a job for the worker
  exceeds_max_file_gb,  // above MAX_FILE_GB: skipped with this reason code
};
std::string_view to_string(Route route);  // "bot_api", "queued_large_file", "exceeds_max_file_gb"

struct RoutingLimits {
  std::int64_t bot_api_max_file_bytes = 20971520;  // BOT_API_MAX_FILE_BYTES (2000 MB in local mode)
  std::int64_t max_file_bytes = 4LL << 30;          // MAX_FILE_GB in bytes, see max_file_bytes_from_gb
};

// MAX_FILE_GB is in GiB (2^30 bytes), as Telegram's own "2 GB" limit is counted.
std::int64_t max_file_bytes_from_gb(double gigabytes);

// Unknown size: try the Bot API (getFile then says "file is too big" if it is).
Route route_item(const MediaItem& item, const RoutingLimits& limits);

}  // namespace teltubby::bot
