#include "archive/media_type.hpp"

#include <array>
#include <utility>

namespace teltubby::archive {
namespace {

constexpr std::array<std::pair<MediaType, std::string_view>, 11> kNames{{
    {MediaType::photo, "photo"},
    {MediaType::video, "video"},
    {MediaType::document, "document"},
    {MediaType::audio, "audio"},
    {MediaType::voice, "voice"},
    {MediaType::video_note, "video_note"},
    {MediaType::animation, "animation"},
    {MediaType::sticker_static, "sticker_static"},
    {MediaType::sticker_animated, "sticker_animated"},
    {MediaType::sticker_video, "sticker_video"},
    {MediaType::other, "other"},
}};

}  // namespace

std::string_view media_type_name(MediaType type) {
  for (const auto& [value, name] : kNames) {
    if (value == type) return name;
  }
  return "other";
}

std::optional<MediaType> media_type_from_name(std::string_view name) {
  for (const auto& [value, known] : kNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

}  // namespace teltubby::archive
