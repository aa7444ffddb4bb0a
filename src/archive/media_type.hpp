#pragma once
// The kinds of file a Telegram message can carry (DESIGN.md section 3). The names are
// the `type` values of message.json items.
#include <optional>
#include <string_view>

namespace teltubby::archive {

enum class MediaType {
  photo,
  video,
  document,
  audio,
  voice,
  video_note,
  animation,
  sticker_static,    // .webp
  sticker_animated,  // .tgs (gzipped Lottie)
  sticker_video,     // .webm
  other,             // any other file-like payload
};

[[nodiscard]] std::string_view media_type_name(MediaType type);
[[nodiscard]] std::optional<MediaType> media_type_from_name(std::string_view name);

}  // namespace teltubby::archive
