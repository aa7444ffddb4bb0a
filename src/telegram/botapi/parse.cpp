#include "telegram/botapi/parse.hpp"

#include <array>
#include <limits>
#include <string>
#include <utility>

#include "core/log.hpp"

namespace teltubby::botapi {
namespace {

using nlohmann::json;

// Collects the first validation failure. Readers keep going after a failure with
// default values (cheap, and the result is discarded), which keeps every parser a
// straight list of fields instead of a chain of early returns.
struct Ctx {
  std::optional<Error> error;

  void fail(const std::string& path, std::string_view what) {
    if (!error) {
      error = Error{ErrorKind::invalid_input, "telegram.invalid_object", path + ": " + std::string(what),
                    std::chrono::seconds{0}};
    }
  }
};

std::string join(const std::string& path, std::string_view key) { return path + "." + std::string(key); }

// nullptr when the key is absent or explicitly null (Telegram omits optional fields;
// a null is treated the same way).
const json* find(const json& object, std::string_view key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<std::int64_t> as_int(const json& value) {
  if (value.is_number_unsigned()) {
    auto v = value.get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
    return static_cast<std::int64_t>(v);
  }
  if (value.is_number_integer()) return value.get<std::int64_t>();
  return std::nullopt;
}

bool require_object(Ctx& ctx, const json& value, const std::string& path) {
  if (value.is_object()) return true;
  ctx.fail(path, "expected an object");
  return false;
}

std::optional<std::int64_t> opt_int(Ctx& ctx, const json& object, std::string_view key, const std::string& path) {
  const json* value = find(object, key);
  if (value == nullptr) return std::nullopt;
  auto number = as_int(*value);
  if (!number) ctx.fail(join(path, key), "expected a 64-bit integer");
  return number;
}

std::int64_t req_int(Ctx& ctx, const json& object, std::string_view key, const std::string& path) {
  if (find(object, key) == nullptr) {
    ctx.fail(join(path, key), "missing");
    return 0;
  }
  return opt_int(ctx, object, key, path).value_or(0);
}

std::optional<std::string> opt_str(Ctx& ctx, const json& object, std::string_view key, const std::string& path) {
  const json* value = find(object, key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    ctx.fail(join(path, key), "expected a string");
    return std::nullopt;
  }
  return value->get<std::string>();
}

std::string req_str(Ctx& ctx, const json& object, std::string_view key, const std::string& path) {
  if (find(object, key) == nullptr) {
    ctx.fail(join(path, key), "missing");
    return {};
  }
  return opt_str(ctx, object, key, path).value_or(std::string{});
}

// Telegram ids of files must be non-empty to be of any use.
std::string req_nonempty_str(Ctx& ctx, const json& object, std::string_view key, const std::string& path) {
  std::string value = req_str(ctx, object, key, path);
  if (!ctx.error && value.empty()) ctx.fail(join(path, key), "must not be empty");
  return value;
}

bool opt_bool(Ctx& ctx, const json& object, std::string_view key, const std::string& path) {
  const json* value = find(object, key);
  if (value == nullptr) return false;
  if (!value->is_boolean()) {
    ctx.fail(join(path, key), "expected a boolean");
    return false;
  }
  return value->get<bool>();
}

bool req_bool(Ctx& ctx, const json& object, std::string_view key, const std::string& path) {
  if (find(object, key) == nullptr) {
    ctx.fail(join(path, key), "missing");
    return false;
  }
  return opt_bool(ctx, object, key, path);
}

// Sizes, dimensions and durations are never negative in a valid object.
std::optional<std::int64_t> opt_size(Ctx& ctx, const json& object, std::string_view key, const std::string& path) {
  auto value = opt_int(ctx, object, key, path);
  if (value && *value < 0) ctx.fail(join(path, key), "must not be negative");
  return value;
}

std::int64_t req_size(Ctx& ctx, const json& object, std::string_view key, const std::string& path) {
  auto value = req_int(ctx, object, key, path);
  if (value < 0) ctx.fail(join(path, key), "must not be negative");
  return value;
}

User read_user(Ctx& ctx, const json& j, const std::string& path) {
  User user;
  if (!require_object(ctx, j, path)) return user;
  user.id = req_int(ctx, j, "id", path);
  user.is_bot = opt_bool(ctx, j, "is_bot", path);
  user.first_name = req_str(ctx, j, "first_name", path);
  user.last_name = opt_str(ctx, j, "last_name", path);
  user.username = opt_str(ctx, j, "username", path);
  return user;
}

Chat read_chat(Ctx& ctx, const json& j, const std::string& path) {
  Chat chat;
  if (!require_object(ctx, j, path)) return chat;
  chat.id = req_int(ctx, j, "id", path);
  chat.type = req_str(ctx, j, "type", path);
  chat.title = opt_str(ctx, j, "title", path);
  chat.username = opt_str(ctx, j, "username", path);
  chat.first_name = opt_str(ctx, j, "first_name", path);
  chat.last_name = opt_str(ctx, j, "last_name", path);
  return chat;
}

std::optional<User> opt_user(Ctx& ctx, const json& object, std::string_view key, const std::string& path) {
  const json* value = find(object, key);
  if (value == nullptr) return std::nullopt;
  return read_user(ctx, *value, join(path, key));
}

std::optional<Chat> opt_chat(Ctx& ctx, const json& object, std::string_view key, const std::string& path) {
  const json* value = find(object, key);
  if (value == nullptr) return std::nullopt;
  return read_chat(ctx, *value, join(path, key));
}

std::vector<MessageEntity> read_entities(Ctx& ctx, const json& object, std::string_view key, const std::string& path,
                                         json& raw_out) {
  std::vector<MessageEntity> entities;
  raw_out = json::array();
  const json* value = find(object, key);
  if (value == nullptr) return entities;
  const std::string list_path = join(path, key);
  if (!value->is_array()) {
    ctx.fail(list_path, "expected an array");
    return entities;
  }
  raw_out = *value;
  for (std::size_t i = 0; i < value->size(); ++i) {
    const json& e = (*value)[i];
    const std::string item_path = list_path + "[" + std::to_string(i) + "]";
    if (!require_object(ctx, e, item_path)) break;
    MessageEntity entity;
    entity.type = req_str(ctx, e, "type", item_path);
    entity.offset = req_size(ctx, e, "offset", item_path);
    entity.length = req_size(ctx, e, "length", item_path);
    entity.url = opt_str(ctx, e, "url", item_path);
    entities.push_back(std::move(entity));
  }
  return entities;
}

PhotoSize read_photo_size(Ctx& ctx, const json& j, const std::string& path) {
  PhotoSize size;
  if (!require_object(ctx, j, path)) return size;
  size.file_id = req_nonempty_str(ctx, j, "file_id", path);
  size.file_unique_id = req_nonempty_str(ctx, j, "file_unique_id", path);
  size.width = req_size(ctx, j, "width", path);
  size.height = req_size(ctx, j, "height", path);
  size.file_size = opt_size(ctx, j, "file_size", path);
  return size;
}

Video read_video(Ctx& ctx, const json& j, const std::string& path) {
  Video v;
  if (!require_object(ctx, j, path)) return v;
  v.file_id = req_nonempty_str(ctx, j, "file_id", path);
  v.file_unique_id = req_nonempty_str(ctx, j, "file_unique_id", path);
  v.width = req_size(ctx, j, "width", path);
  v.height = req_size(ctx, j, "height", path);
  v.duration = req_size(ctx, j, "duration", path);
  v.file_name = opt_str(ctx, j, "file_name", path);
  v.mime_type = opt_str(ctx, j, "mime_type", path);
  v.file_size = opt_size(ctx, j, "file_size", path);
  return v;
}

Document read_document(Ctx& ctx, const json& j, const std::string& path) {
  Document d;
  if (!require_object(ctx, j, path)) return d;
  d.file_id = req_nonempty_str(ctx, j, "file_id", path);
  d.file_unique_id = req_nonempty_str(ctx, j, "file_unique_id", path);
  d.file_name = opt_str(ctx, j, "file_name", path);
  d.mime_type = opt_str(ctx, j, "mime_type", path);
  d.file_size = opt_size(ctx, j, "file_size", path);
  return d;
}

Audio read_audio(Ctx& ctx, const json& j, const std::string& path) {
  Audio a;
  if (!require_object(ctx, j, path)) return a;
  a.file_id = req_nonempty_str(ctx, j, "file_id", path);
  a.file_unique_id = req_nonempty_str(ctx, j, "file_unique_id", path);
  a.duration = req_size(ctx, j, "duration", path);
  a.performer = opt_str(ctx, j, "performer", path);
  a.title = opt_str(ctx, j, "title", path);
  a.file_name = opt_str(ctx, j, "file_name", path);
  a.mime_type = opt_str(ctx, j, "mime_type", path);
  a.file_size = opt_size(ctx, j, "file_size", path);
  return a;
}

Voice read_voice(Ctx& ctx, const json& j, const std::string& path) {
  Voice v;
  if (!require_object(ctx, j, path)) return v;
  v.file_id = req_nonempty_str(ctx, j, "file_id", path);
  v.file_unique_id = req_nonempty_str(ctx, j, "file_unique_id", path);
  v.duration = req_size(ctx, j, "duration", path);
  v.mime_type = opt_str(ctx, j, "mime_type", path);
  v.file_size = opt_size(ctx, j, "file_size", path);
  return v;
}

VideoNote read_video_note(Ctx& ctx, const json& j, const std::string& path) {
  VideoNote v;
  if (!require_object(ctx, j, path)) return v;
  v.file_id = req_nonempty_str(ctx, j, "file_id", path);
  v.file_unique_id = req_nonempty_str(ctx, j, "file_unique_id", path);
  v.length = req_size(ctx, j, "length", path);
  v.duration = req_size(ctx, j, "duration", path);
  v.file_size = opt_size(ctx, j, "file_size", path);
  return v;
}

Animation read_animation(Ctx& ctx, const json& j, const std::string& path) {
  Animation a;
  if (!require_object(ctx, j, path)) return a;
  a.file_id = req_nonempty_str(ctx, j, "file_id", path);
  a.file_unique_id = req_nonempty_str(ctx, j, "file_unique_id", path);
  a.width = req_size(ctx, j, "width", path);
  a.height = req_size(ctx, j, "height", path);
  a.duration = req_size(ctx, j, "duration", path);
  a.file_name = opt_str(ctx, j, "file_name", path);
  a.mime_type = opt_str(ctx, j, "mime_type", path);
  a.file_size = opt_size(ctx, j, "file_size", path);
  return a;
}

Sticker read_sticker(Ctx& ctx, const json& j, const std::string& path) {
  Sticker s;
  if (!require_object(ctx, j, path)) return s;
  s.file_id = req_nonempty_str(ctx, j, "file_id", path);
  s.file_unique_id = req_nonempty_str(ctx, j, "file_unique_id", path);
  // `type` is required by the current API but absent from older servers' answers;
  // it does not affect archiving, so its absence is tolerated.
  s.type = opt_str(ctx, j, "type", path).value_or("regular");
  s.width = req_size(ctx, j, "width", path);
  s.height = req_size(ctx, j, "height", path);
  s.is_animated = req_bool(ctx, j, "is_animated", path);
  s.is_video = req_bool(ctx, j, "is_video", path);
  s.emoji = opt_str(ctx, j, "emoji", path);
  s.set_name = opt_str(ctx, j, "set_name", path);
  s.file_size = opt_size(ctx, j, "file_size", path);
  return s;
}

template <class T, class Reader>
std::optional<T> opt_object(Ctx& ctx, const json& object, std::string_view key, const std::string& path, Reader read) {
  const json* value = find(object, key);
  if (value == nullptr) return std::nullopt;
  return read(ctx, *value, join(path, key));
}

MessageOrigin read_origin(Ctx& ctx, const json& j, const std::string& path) {
  MessageOrigin origin;
  if (!require_object(ctx, j, path)) return origin;
  origin.type_name = req_str(ctx, j, "type", path);
  origin.date = req_int(ctx, j, "date", path);
  const std::string& type = origin.type_name;
  if (type == "user") {
    origin.type = MessageOrigin::Type::user;
    if (find(j, "sender_user") == nullptr) ctx.fail(join(path, "sender_user"), "missing");
    origin.sender_user = opt_user(ctx, j, "sender_user", path);
  } else if (type == "hidden_user") {
    origin.type = MessageOrigin::Type::hidden_user;
    origin.sender_user_name = req_str(ctx, j, "sender_user_name", path);
  } else if (type == "chat") {
    origin.type = MessageOrigin::Type::chat;
    if (find(j, "sender_chat") == nullptr) ctx.fail(join(path, "sender_chat"), "missing");
    origin.sender_chat = opt_chat(ctx, j, "sender_chat", path);
    origin.author_signature = opt_str(ctx, j, "author_signature", path);
  } else if (type == "channel") {
    origin.type = MessageOrigin::Type::channel;
    if (find(j, "chat") == nullptr) ctx.fail(join(path, "chat"), "missing");
    origin.chat = opt_chat(ctx, j, "chat", path);
    origin.message_id = req_int(ctx, j, "message_id", path);
    origin.author_signature = opt_str(ctx, j, "author_signature", path);
  } else {
    // A newer origin type: not an error (the message is still archivable); the raw
    // JSON keeps everything and naming falls back to the curator.
    origin.type = MessageOrigin::Type::unknown;
  }
  return origin;
}

// Top-level message fields this model represents; everything else is an extra.
constexpr std::array<std::string_view, 26> kModelledMessageFields = {
    "message_id", "date",      "chat",      "from",     "sender_chat", "edit_date",        "media_group_id",
    "has_protected_content",   "forward_origin",        "text",        "caption",          "entities",
    "caption_entities",        "photo",     "video",    "document",    "audio",            "voice",
    "video_note", "animation", "sticker",   "location", "contact",     "poll",             "venue",
    "dice"};

bool is_modelled(std::string_view key) {
  for (auto field : kModelledMessageFields) {
    if (field == key) return true;
  }
  return false;
}

Message read_message(Ctx& ctx, const json& j, const std::string& path) {
  Message m;
  if (!require_object(ctx, j, path)) return m;
  m.raw = j;
  m.message_id = req_int(ctx, j, "message_id", path);
  m.date = req_int(ctx, j, "date", path);
  if (find(j, "chat") == nullptr) {
    ctx.fail(join(path, "chat"), "missing");
  } else {
    m.chat = read_chat(ctx, j.at("chat"), join(path, "chat"));
  }
  m.from = opt_user(ctx, j, "from", path);
  m.sender_chat = opt_chat(ctx, j, "sender_chat", path);
  m.edit_date = opt_int(ctx, j, "edit_date", path);
  m.has_protected_content = opt_bool(ctx, j, "has_protected_content", path);

  // media_group_id is a string in the Bot API; accept a number too (some servers and
  // fakes send one) and keep it as its decimal text.
  if (const json* group = find(j, "media_group_id")) {
    if (group->is_string()) {
      m.media_group_id = group->get<std::string>();
    } else if (auto number = as_int(*group)) {
      m.media_group_id = std::to_string(*number);
    } else {
      ctx.fail(join(path, "media_group_id"), "expected a string");
    }
    if (m.media_group_id && m.media_group_id->empty()) ctx.fail(join(path, "media_group_id"), "must not be empty");
  }

  if (const json* origin = find(j, "forward_origin")) {
    m.forward_origin_raw = *origin;
    m.forward_origin = read_origin(ctx, *origin, join(path, "forward_origin"));
  }

  m.text = opt_str(ctx, j, "text", path);
  m.caption = opt_str(ctx, j, "caption", path);
  m.entities = read_entities(ctx, j, "entities", path, m.entities_raw);
  m.caption_entities = read_entities(ctx, j, "caption_entities", path, m.caption_entities_raw);

  if (const json* photo = find(j, "photo")) {
    const std::string photo_path = join(path, "photo");
    if (!photo->is_array()) {
      ctx.fail(photo_path, "expected an array");
    } else {
      for (std::size_t i = 0; i < photo->size(); ++i) {
        m.photo.push_back(read_photo_size(ctx, (*photo)[i], photo_path + "[" + std::to_string(i) + "]"));
      }
      if (m.photo.empty()) ctx.fail(photo_path, "must not be empty");
    }
  }
  m.video = opt_object<Video>(ctx, j, "video", path, read_video);
  m.document = opt_object<Document>(ctx, j, "document", path, read_document);
  m.audio = opt_object<Audio>(ctx, j, "audio", path, read_audio);
  m.voice = opt_object<Voice>(ctx, j, "voice", path, read_voice);
  m.video_note = opt_object<VideoNote>(ctx, j, "video_note", path, read_video_note);
  m.animation = opt_object<Animation>(ctx, j, "animation", path, read_animation);
  m.sticker = opt_object<Sticker>(ctx, j, "sticker", path, read_sticker);

  m.has_location = find(j, "location") != nullptr;
  m.has_contact = find(j, "contact") != nullptr;
  m.has_poll = find(j, "poll") != nullptr;
  m.has_venue = find(j, "venue") != nullptr;
  m.has_dice = find(j, "dice") != nullptr;

  for (const auto& [key, value] : j.items()) {
    if (!is_modelled(key)) m.extras[key] = value;
  }
  return m;
}

template <class T>
Result<T> finish(Ctx& ctx, T value) {
  if (ctx.error) return std::unexpected(std::move(*ctx.error));
  return value;
}

ErrorKind kind_for_status(std::int64_t code) {
  if (code == 429 || code >= 500) return ErrorKind::retryable;
  return ErrorKind::permanent;
}

}  // namespace

Error error_from_envelope(const nlohmann::json& envelope, long http_status) {
  std::int64_t code = http_status;
  std::string description = "no description";
  std::chrono::seconds retry_after{0};
  if (envelope.is_object()) {
    if (auto it = envelope.find("error_code"); it != envelope.end()) {
      if (auto number = as_int(*it)) code = *number;
    }
    if (auto it = envelope.find("description"); it != envelope.end() && it->is_string()) {
      description = it->get<std::string>();
    }
    if (auto params = envelope.find("parameters"); params != envelope.end() && params->is_object()) {
      if (auto it = params->find("retry_after"); it != params->end()) {
        if (auto seconds = as_int(*it); seconds && *seconds > 0) retry_after = std::chrono::seconds{*seconds};
      }
    }
  }
  return Error{kind_for_status(code), "telegram." + std::to_string(code), redact(description), retry_after};
}

Result<nlohmann::json> parse_response(std::string_view body, long http_status) {
  json envelope = json::parse(body, nullptr, /*allow_exceptions=*/false);
  const bool is_envelope = envelope.is_object() && envelope.contains("ok") && envelope["ok"].is_boolean();
  if (!is_envelope) {
    if (http_status >= 200 && http_status < 300) {
      return fail(ErrorKind::retryable, "telegram.bad_response", "HTTP " + std::to_string(http_status) +
                                                                     " answer is not a Bot API response");
    }
    return fail(kind_for_status(http_status), "telegram." + std::to_string(http_status),
                "HTTP " + std::to_string(http_status) + " without a Bot API response body");
  }
  if (!envelope["ok"].get<bool>()) return std::unexpected(error_from_envelope(envelope, http_status));
  auto result = envelope.find("result");
  if (result == envelope.end()) {
    return fail(ErrorKind::retryable, "telegram.bad_response", "ok response without a result");
  }
  return std::move(*result);
}

bool is_file_too_big(const Error& error) {
  // BotApiClient::get_file() re-labels the 400 as "telegram.file_too_big".
  if (error.code == "telegram.file_too_big") return true;
  return error.code == "telegram.400" && error.message.find("file is too big") != std::string::npos;
}

Result<User> parse_user(const nlohmann::json& input) {
  Ctx ctx;
  auto value = read_user(ctx, input, "user");
  return finish(ctx, std::move(value));
}

Result<Chat> parse_chat(const nlohmann::json& input) {
  Ctx ctx;
  auto value = read_chat(ctx, input, "chat");
  return finish(ctx, std::move(value));
}

Result<MessageOrigin> parse_message_origin(const nlohmann::json& input) {
  Ctx ctx;
  auto value = read_origin(ctx, input, "forward_origin");
  return finish(ctx, std::move(value));
}

Result<Message> parse_message(const nlohmann::json& input) {
  Ctx ctx;
  auto value = read_message(ctx, input, "message");
  return finish(ctx, std::move(value));
}

Result<Update> parse_update(const nlohmann::json& input) {
  Ctx ctx;
  Update update;
  if (require_object(ctx, input, "update")) {
    update.raw = input;
    update.update_id = req_int(ctx, input, "update_id", "update");
    update.kind = "unknown";
    for (const auto& [key, value] : input.items()) {
      if (key != "update_id" && !value.is_null()) {
        update.kind = key;
        break;
      }
    }
    if (update.kind == "message" || update.kind == "edited_message") {
      update.message = read_message(ctx, input.at(update.kind), "update." + update.kind);
    }
  }
  return finish(ctx, std::move(update));
}

Result<std::vector<ParsedUpdate>> parse_update_batch(const nlohmann::json& result) {
  if (!result.is_array()) {
    return fail(ErrorKind::invalid_input, "telegram.invalid_object", "getUpdates result: expected an array");
  }
  std::vector<ParsedUpdate> batch;
  batch.reserve(result.size());
  for (const auto& element : result) {
    ParsedUpdate parsed{0, parse_update(element)};
    if (parsed.update) {
      parsed.update_id = parsed.update->update_id;
    } else if (element.is_object()) {
      if (auto it = element.find("update_id"); it != element.end()) parsed.update_id = as_int(*it).value_or(0);
    }
    batch.push_back(std::move(parsed));
  }
  return batch;
}

Result<File> parse_file(const nlohmann::json& input) {
  Ctx ctx;
  File file;
  if (require_object(ctx, input, "file")) {
    file.file_id = req_nonempty_str(ctx, input, "file_id", "file");
    file.file_unique_id = req_nonempty_str(ctx, input, "file_unique_id", "file");
    file.file_size = opt_size(ctx, input, "file_size", "file");
    file.file_path = opt_str(ctx, input, "file_path", "file");
  }
  return finish(ctx, std::move(file));
}

Result<WebhookInfo> parse_webhook_info(const nlohmann::json& input) {
  Ctx ctx;
  WebhookInfo info;
  const std::string path = "webhook_info";
  if (require_object(ctx, input, path)) {
    info.url = req_str(ctx, input, "url", path);
    info.has_custom_certificate = opt_bool(ctx, input, "has_custom_certificate", path);
    info.pending_update_count = opt_size(ctx, input, "pending_update_count", path).value_or(0);
    info.ip_address = opt_str(ctx, input, "ip_address", path);
    info.last_error_date = opt_int(ctx, input, "last_error_date", path);
    info.last_error_message = opt_str(ctx, input, "last_error_message", path);
    info.max_connections = opt_int(ctx, input, "max_connections", path);
    if (const json* allowed = find(input, "allowed_updates")) {
      if (!allowed->is_array()) {
        ctx.fail(join(path, "allowed_updates"), "expected an array");
      } else {
        for (const auto& name : *allowed) {
          if (!name.is_string()) {
            ctx.fail(join(path, "allowed_updates"), "expected strings");
            break;
          }
          info.allowed_updates.push_back(name.get<std::string>());
        }
      }
    }
  }
  return finish(ctx, std::move(info));
}

}  // namespace teltubby::botapi
