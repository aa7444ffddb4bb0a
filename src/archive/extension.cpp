#include "archive/extension.hpp"

#include <array>
#include <utility>

namespace teltubby::archive {
namespace {

// Types Telegram users send; the extension is the one most programs expect.
constexpr std::array<std::pair<std::string_view, std::string_view>, 42> kMimeExtensions{{
    {"image/jpeg", "jpg"},
    {"image/jpg", "jpg"},
    {"image/pjpeg", "jpg"},
    {"image/png", "png"},
    {"image/gif", "gif"},
    {"image/webp", "webp"},
    {"image/heic", "heic"},
    {"image/heif", "heif"},
    {"image/avif", "avif"},
    {"image/bmp", "bmp"},
    {"image/tiff", "tif"},
    {"image/svg+xml", "svg"},
    {"video/mp4", "mp4"},
    {"video/webm", "webm"},
    {"video/quicktime", "mov"},
    {"video/x-matroska", "mkv"},
    {"video/x-msvideo", "avi"},
    {"video/mpeg", "mpg"},
    {"video/3gpp", "3gp"},
    {"audio/mpeg", "mp3"},
    {"audio/mp3", "mp3"},
    {"audio/ogg", "ogg"},
    {"audio/opus", "opus"},
    {"audio/mp4", "m4a"},
    {"audio/x-m4a", "m4a"},
    {"audio/aac", "aac"},
    {"audio/flac", "flac"},
    {"audio/x-flac", "flac"},
    {"audio/wav", "wav"},
    {"audio/x-wav", "wav"},
    {"application/x-tgsticker", "tgs"},
    {"application/pdf", "pdf"},
    {"application/zip", "zip"},
    {"application/x-7z-compressed", "7z"},
    {"application/x-rar-compressed", "rar"},
    {"application/vnd.rar", "rar"},
    {"application/gzip", "gz"},
    {"application/json", "json"},
    {"application/epub+zip", "epub"},
    {"text/plain", "txt"},
    {"text/csv", "csv"},
    {"text/html", "html"},
}};

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<std::string> extension_from_filename(std::string_view filename) {
  filename = trim(filename);
  if (const auto slash = filename.find_last_of("/\\"); slash != std::string_view::npos) {
    filename.remove_prefix(slash + 1);
  }
  const auto dot = filename.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;  // no dot, or a dot file
  const std::string_view extension = filename.substr(dot + 1);
  if (extension.empty() || extension.size() > kMaxExtensionLength) return std::nullopt;
  std::string result;
  result.reserve(extension.size());
  for (const char c : extension) {
    if (!is_ascii_alnum(c)) return std::nullopt;
    result += ascii_lower(c);
  }
  return result;
}

std::optional<std::string_view> extension_from_mime(std::string_view mime_type) {
  mime_type = trim(mime_type.substr(0, mime_type.find(';')));
  if (mime_type.empty() || mime_type.size() > 100) return std::nullopt;
  std::array<char, 100> lowered{};
  for (std::size_t i = 0; i < mime_type.size(); ++i) lowered[i] = ascii_lower(mime_type[i]);
  const std::string_view key(lowered.data(), mime_type.size());
  for (const auto& [mime, extension] : kMimeExtensions) {
    if (mime == key) return extension;
  }
  return std::nullopt;
}

std::string_view default_extension(MediaType type) {
  switch (type) {
    case MediaType::photo:
      return "jpg";
    case MediaType::video:
      return "mp4";
    case MediaType::audio:
      return "mp3";
    case MediaType::voice:
      return "ogg";
    case MediaType::video_note:
      return "mp4";
    case MediaType::animation:
      return "mp4";
    case MediaType::sticker_static:
      return "webp";
    case MediaType::sticker_animated:
      return "tgs";
    case MediaType::sticker_video:
      return "webm";
    case MediaType::document:
    case MediaType::other:
      return "bin";
  }
  return "bin";
}

std::string choose_extension(std::string_view original_filename, std::string_view mime_type, MediaType type) {
  if (auto from_name = extension_from_filename(original_filename)) return std::move(*from_name);
  if (auto from_mime = extension_from_mime(mime_type)) return std::string(*from_mime);
  return std::string(default_extension(type));
}

}  // namespace teltubby::archive
