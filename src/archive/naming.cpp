#include "archive/naming.hpp"

#include <algorithm>

#include "archive/extension.hpp"
#include "archive/slug.hpp"
#include "archive/timestamp.hpp"

namespace teltubby::archive {
namespace {

std::unexpected<Error> invalid_name(std::string message) {
  return fail(ErrorKind::invalid_input, "archive.name", std::move(message));
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool is_slug(std::string_view text) {
  if (text.empty() || !is_alnum(text.front()) || !is_alnum(text.back())) return false;
  return std::all_of(text.begin(), text.end(), [](char c) { return is_alnum(c) || c == '-'; });
}

// A slug cut to at most `max_length` characters, never ending in '-'.
std::string_view cut_slug(std::string_view slug, std::size_t max_length) {
  slug = slug.substr(0, max_length);
  while (!slug.empty() && slug.back() == '-') slug.remove_suffix(1);
  return slug;
}

// The caption cut to at most `max_length`: whole words when at least one fits,
// otherwise the first word cut mid-way.
std::string_view cut_caption(std::string_view caption, std::size_t max_length) {
  if (caption.size() <= max_length) return caption;
  if (caption[max_length] == '-') return cut_slug(caption, max_length);  // cut falls between words
  const std::string_view head = caption.substr(0, max_length);
  if (const auto dash = head.rfind('-'); dash != std::string_view::npos && dash > 0) {
    return cut_slug(head, dash);
  }
  return cut_slug(head, max_length);
}

std::string sanitize_media_group_id(std::string_view id) {
  std::string out;
  for (const char c : id) {
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (is_alnum(lower)) out += lower;
    if (out.size() == kMaxMediaGroupIdLength) break;
  }
  return out;
}

std::string ordinal_text(int ordinal) {
  std::string digits = std::to_string(ordinal);
  if (digits.size() < 3) digits.insert(0, 3 - digits.size(), '0');
  return digits;
}

Status check_message_id(std::int64_t id, std::string_view what) {
  if (id <= 0)
    return invalid_name(std::string(what) + " must be a positive message id, got " + std::to_string(id));
  return {};
}

Status check_time(std::chrono::sys_seconds time, std::string_view what) {
  if (!in_archive_range(time)) {
    return invalid_name(std::string(what) +
                        " is outside 1970..9999: " + std::to_string(time.time_since_epoch().count()));
  }
  return {};
}

}  // namespace

Result<std::string> build_file_name(const FileNameParts& parts) {
  if (auto ok = check_message_id(parts.message_id, "message_id"); !ok) return std::unexpected(ok.error());
  if (auto ok = check_time(parts.message_time, "message time"); !ok) return std::unexpected(ok.error());
  if (parts.ordinal < 1 || parts.ordinal > kMaxOrdinal) {
    return invalid_name("ordinal must be 1.." + std::to_string(kMaxOrdinal) + ", got " +
                        std::to_string(parts.ordinal));
  }
  if (!is_slug(parts.chat_slug) || !is_slug(parts.sender_slug)) {
    return invalid_name("chat and sender parts must be non-empty slugs");
  }
  if (!parts.caption_words.empty() && !is_slug(parts.caption_words))
    return invalid_name("caption words must be a slug");
  if (parts.extension.empty() || parts.extension.size() > kMaxExtensionLength ||
      !std::all_of(parts.extension.begin(), parts.extension.end(), is_alnum)) {
    return invalid_name("extension must be 1.." + std::to_string(kMaxExtensionLength) +
                        " characters of [a-z0-9]");
  }
  const std::string group = sanitize_media_group_id(parts.media_group_id);

  // The parts that are never cut: date, message id, group id, ordinal, extension.
  const std::string date = format_compact_utc(parts.message_time);
  std::string ids = "_m" + std::to_string(parts.message_id);
  if (!group.empty()) ids += "-g" + group;
  ids += '_' + ordinal_text(parts.ordinal);
  const std::string tail = '.' + parts.extension;
  // date _ chat _ sender ids [_ caption] tail
  const std::size_t fixed = date.size() + 2 + ids.size() + tail.size();

  std::string_view chat = parts.chat_slug;
  std::string_view sender = parts.sender_slug;
  std::string_view caption = parts.caption_words;
  const auto total = [&] {
    return fixed + chat.size() + sender.size() + (caption.empty() ? 0 : 1 + caption.size());
  };

  if (total() > kMaxFileNameLength && !caption.empty()) {
    const std::size_t without_caption = fixed + chat.size() + sender.size();
    const std::size_t room =
        kMaxFileNameLength > without_caption + 1 ? kMaxFileNameLength - without_caption - 1 : 0;
    caption = cut_caption(caption, room);
  }
  if (total() > kMaxFileNameLength) {
    // Only chat and sender are left to shorten: share what remains, the longer one gives first.
    const std::size_t available = kMaxFileNameLength > fixed ? kMaxFileNameLength - fixed : 0;
    if (available < 2)
      return invalid_name("the fixed parts of the name exceed " + std::to_string(kMaxFileNameLength));
    std::size_t chat_length = chat.size();
    std::size_t sender_length = sender.size();
    const std::size_t half = available / 2;
    if (chat_length <= half) {
      sender_length = available - chat_length;
    } else if (sender_length <= half) {
      chat_length = available - sender_length;
    } else {
      chat_length = available - half;
      sender_length = half;
    }
    chat = cut_slug(chat, chat_length);
    sender = cut_slug(sender, sender_length);
  }

  std::string name;
  name.reserve(total());
  name.append(date).append(1, '_').append(chat).append(1, '_').append(sender).append(ids);
  if (!caption.empty()) name.append(1, '_').append(caption);
  name.append(tail);
  return name;
}

Result<std::string> build_base_path(std::chrono::sys_seconds folder_time, std::string_view chat_slug,
                                    std::int64_t folder_message_id) {
  if (auto ok = check_message_id(folder_message_id, "folder message_id"); !ok)
    return std::unexpected(ok.error());
  if (auto ok = check_time(folder_time, "folder time"); !ok) return std::unexpected(ok.error());
  if (!is_slug(chat_slug)) return invalid_name("the chat part of the folder must be a non-empty slug");
  const auto [year, month] = year_month_utc(folder_time);
  const std::string id = std::to_string(folder_message_id);
  // kKeyRoot / YYYY / MM / chat / id /
  const std::size_t fixed = kKeyRoot.size() + 1 + year.size() + 1 + month.size() + 1 + 1 + id.size() + 1;
  const std::string_view chat = cut_slug(chat_slug, kMaxBasePathLength - fixed);
  std::string path;
  path.reserve(fixed + chat.size());
  path.append(kKeyRoot).append(1, '/').append(year).append(1, '/').append(month).append(1, '/');
  path.append(chat).append(1, '/').append(id).append(1, '/');
  return path;
}

Result<std::string> build_key(std::string_view base_path, std::string_view file_name) {
  if (base_path.size() + file_name.size() > kMaxKeyLength) {
    return fail(ErrorKind::invalid_input, "archive.key",
                "key would be " + std::to_string(base_path.size() + file_name.size()) +
                    " characters, more than " + std::to_string(kMaxKeyLength));
  }
  std::string key;
  key.reserve(base_path.size() + file_name.size());
  key.append(base_path).append(file_name);
  return key;
}

Result<ArchiveName> name_item(const ItemNaming& item) {
  ArchiveName result;
  result.chat_slug = choose_chat_slug(item.provenance);
  auto base_path = build_base_path(item.folder_time, result.chat_slug, item.folder_message_id);
  if (!base_path) return std::unexpected(base_path.error());
  result.base_path = std::move(*base_path);

  FileNameParts parts;
  parts.message_time = item.message_time;
  parts.chat_slug = result.chat_slug;
  parts.sender_slug = choose_sender_slug(item.provenance);
  parts.message_id = item.message_id;
  parts.media_group_id = item.media_group_id.value_or("");
  parts.ordinal = item.ordinal;
  parts.caption_words = caption_snippet(item.caption);
  parts.extension = choose_extension(item.original_filename, item.mime_type, item.media_type);
  auto file_name = build_file_name(parts);
  if (!file_name) return std::unexpected(file_name.error());
  result.file_name = std::move(*file_name);

  auto key = build_key(result.base_path, result.file_name);
  if (!key) return std::unexpected(key.error());
  result.key = std::move(*key);
  return result;
}

}  // namespace teltubby::archive
