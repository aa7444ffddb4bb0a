#pragma once
// The extension of an archived file (DESIGN.md section 3): the original file name's,
// else one derived from the MIME type, else the media type's usual one. Always
// 1..kMaxExtensionLength characters of [a-z0-9], without the dot.
//
// The original name wins even when it disagrees with the MIME type ("photo.jpg" sent
// as a video/mp4 document keeps "jpg"): the curator's file is archived as they named
// it, and the real MIME type is kept in message.json and as the object's
// Content-Type, so nothing is lost.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "archive/media_type.hpp"

namespace teltubby::archive {

// Longer "extensions" are taken to be part of the name, not a type ("report.final2024").
inline constexpr std::size_t kMaxExtensionLength = 10;

// The extension of a file name, lower-cased, or nullopt when it has none usable:
// no dot, a dot file (".bashrc"), a trailing dot, or an extension that is too long or
// holds anything but ASCII letters and digits. Only the last one counts: "a.tar.gz" -> "gz".
// Directory parts (either slash) are ignored.
[[nodiscard]] std::optional<std::string> extension_from_filename(std::string_view filename);

// The usual extension for a MIME type ("image/jpeg" -> "jpg"); parameters and case are
// ignored ("Audio/OGG; codecs=opus" -> "ogg"). nullopt for types not in the table.
[[nodiscard]] std::optional<std::string_view> extension_from_mime(std::string_view mime_type);

// The usual extension for a media type: photo jpg, video mp4, voice ogg, ... document bin.
[[nodiscard]] std::string_view default_extension(MediaType type);

[[nodiscard]] std::string choose_extension(std::string_view original_filename, std::string_view mime_type,
                                           MediaType type);

}  // namespace teltubby::archive
