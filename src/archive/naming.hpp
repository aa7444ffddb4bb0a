#pragma once
// Object keys and file names of the archive (DESIGN.md section 3):
//
//   key  = teltubby/{YYYY}/{MM}/{chat_slug}/{message_id}/{file_name}
//   name = YYYYMMDD-HHMMSS_{chat}_{sender}_m{message_id}{-g{media_group_id}}_{NNN}{_caption-words}.{ext}
//
// Names hold only [a-z0-9._-]; '_' separates fields and the one '.' introduces the
// extension (slugs contain neither). Caps, in characters (= bytes, all ASCII):
// - a file name is at most 120. Over that, the caption words are cut first (at a word
//   boundary when one fits, else mid-word, else dropped); then the chat and sender
//   parts are shortened, the longer one first. The date, message id, media group id,
//   ordinal and extension are never cut, so names stay unique within a folder.
// - a key is at most 512. The folder path (everything before the file name) is held to
//   512 - 120 = 392 by shortening the chat part of the folder, so that every item of an
//   album lands in the same folder whatever its own name's length, and the worker
//   derives the same folder as the bot.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "archive/media_type.hpp"
#include "archive/provenance.hpp"
#include "core/error.hpp"

namespace teltubby::archive {

inline constexpr std::size_t kMaxFileNameLength = 120;
inline constexpr std::size_t kMaxKeyLength = 512;
inline constexpr std::size_t kMaxBasePathLength = kMaxKeyLength - kMaxFileNameLength;
inline constexpr std::string_view kKeyRoot = "teltubby";
// Telegram's media_group_id is a decimal string of about 18 digits; anything longer
// is cut to this (after keeping only [a-z0-9]).
inline constexpr std::size_t kMaxMediaGroupIdLength = 32;
inline constexpr int kMaxOrdinal = 999999;

// The parts of a file name, already slugged (the low-level builder's input).
struct FileNameParts {
  std::chrono::sys_seconds message_time{};  // this item's message date, UTC
  std::string chat_slug;
  std::string sender_slug;
  std::int64_t message_id = 0;  // this item's message (albums: each item its own)
  std::string media_group_id;   // empty when the message is not part of an album
  int ordinal = 1;              // 1-based position in the message or album
  std::string caption_words;    // slug, may be empty
  std::string extension;        // without the dot, [a-z0-9], 1..kMaxExtensionLength
};

// Applies the 120-character cap. Errors (invalid_input, "archive.name") for a bad
// message id, ordinal, time, extension or empty chat/sender slug.
[[nodiscard]] Result<std::string> build_file_name(const FileNameParts& parts);

// "teltubby/2026/11/{chat_slug}/{message_id}/" held to kMaxBasePathLength.
[[nodiscard]] Result<std::string> build_base_path(std::chrono::sys_seconds folder_time,
                                                  std::string_view chat_slug, std::int64_t folder_message_id);

// base_path + file_name; refuses (invalid_input, "archive.key") a key over 512
// characters, which cannot happen for parts built by the functions above.
[[nodiscard]] Result<std::string> build_key(std::string_view base_path, std::string_view file_name);

// Everything needed to name one archived item: the plain struct the bot (and the
// worker, from the job message) fills.
struct ItemNaming {
  Provenance provenance;
  std::chrono::sys_seconds folder_time{};   // date of the (first) message: folder YYYY/MM
  std::int64_t folder_message_id = 0;       // id of the (first) message: the folder
  std::chrono::sys_seconds message_time{};  // this item's message date
  std::int64_t message_id = 0;              // this item's message id
  std::optional<std::string> media_group_id;
  int ordinal = 1;
  std::string caption;  // raw text; its first six words are used
  std::string original_filename;
  std::string mime_type;
  MediaType media_type = MediaType::document;
};

struct ArchiveName {
  std::string chat_slug;  // as chosen, before any cap
  std::string base_path;  // ends with '/'
  std::string file_name;
  std::string key;  // base_path + file_name
};

[[nodiscard]] Result<ArchiveName> name_item(const ItemNaming& item);

}  // namespace teltubby::archive
