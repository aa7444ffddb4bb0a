#pragma once
// The part of the Telegram Bot API object model that teltubby uses
// (https://core.telegram.org/bots/api). Only what the bot reads is modelled; the
// pieces DESIGN.md section 4 stores "as received" (forward_origin, entities,
// caption_entities, extras) are also kept as raw JSON so nothing is lost or
// reinterpreted. Every id is int64: user and chat ids exceed 32 bits, and
// file_size may exceed 2^31.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace teltubby::botapi {

struct User {
  std::int64_t id = 0;
  bool is_bot = false;
  std::string first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> username;
};

struct Chat {
  std::int64_t id = 0;
  std::string type;  // "private" | "group" | "supergroup" | "channel"
  std::optional<std::string> title;
  std::optional<std::string> username;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
};

struct MessageEntity {
  std::string type;  // "bot_command", "bold", "text_link", ...
  std::int64_t offset = 0;  // in UTF-16 code units, as Telegram counts
  std::int64_t length = 0;  // in UTF-16 code units
  std::optional<std::string> url;
};

struct PhotoSize {
  std::string file_id;
  std::string file_unique_id;
  std::int64_t width = 0;
  std::int64_t height = 0;
  std::optional<std::int64_t> file_size;  // bytes; absent when Telegram did not say
};

struct Video {
  std::string file_id;
  std::string file_unique_id;
  std::int64_t width = 0;
  std::int64_t height = 0;
  std::int64_t duration = 0;  // seconds
  std::optional<std::string> file_name;
  std::optional<std::string> mime_type;
  std::optional<std::int64_t> file_size;
};

struct Document {
  std::string file_id;
  std::string file_unique_id;
  std::optional<std::string> file_name;
  std::optional<std::string> mime_type;
  std::optional<std::int64_t> file_size;
};

struct Audio {
  std::string file_id;
  std::string file_unique_id;
  std::int64_t duration = 0;  // seconds
  std::optional<std::string> performer;
  std::optional<std::string> title;
  std::optional<std::string> file_name;
  std::optional<std::string> mime_type;
  std::optional<std::int64_t> file_size;
};

struct Voice {
  std::string file_id;
  std::string file_unique_id;
  std::int64_t duration = 0;  // seconds
  std::optional<std::string> mime_type;
  std::optional<std::int64_t> file_size;
};

struct VideoNote {
  std::string file_id;
  std::string file_unique_id;
  std::int64_t length = 0;    // width = height, pixels
  std::int64_t duration = 0;  // seconds
  std::optional<std::int64_t> file_size;
};

struct Animation {
  std::string file_id;
  std::string file_unique_id;
  std::int64_t width = 0;
  std::int64_t height = 0;
  std::int64_t duration = 0;  // seconds
  std::optional<std::string> file_name;
  std::optional<std::string> mime_type;
  std::optional<std::int64_t> file_size;
};

struct Sticker {
  std::string file_id;
  std::string file_unique_id;
  std::string type;  // "regular" | "mask" | "custom_emoji" (independent of the format)
  std::int64_t width = 0;
  std::int64_t height = 0;
  bool is_animated = false;  // .tgs (Lottie)
  bool is_video = false;     // .webm; neither flag: static .webp
  std::optional<std::string> emoji;
  std::optional<std::string> set_name;
  std::optional<std::int64_t> file_size;
};

// Where a forwarded message came from (Bot API "MessageOrigin", field `type`).
struct MessageOrigin {
  enum class Type {
    user,         // MessageOriginUser: sender_user
    hidden_user,  // MessageOriginHiddenUser: sender_user_name only
    chat,         // MessageOriginChat: sender_chat, author_signature
    channel,      // MessageOriginChannel: chat, message_id, author_signature
    unknown,      // a type newer than this code; kept raw, treated like hidden
  };
  Type type = Type::unknown;
  std::string type_name;  // as received, e.g. "channel"
  std::int64_t date = 0;  // Unix time of the original message
  std::optional<User> sender_user;               // user
  std::optional<std::string> sender_user_name;   // hidden_user
  std::optional<Chat> sender_chat;               // chat
  std::optional<Chat> chat;                      // channel
  std::optional<std::int64_t> message_id;        // channel
  std::optional<std::string> author_signature;   // chat, channel
};

struct Message {
  std::int64_t message_id = 0;
  std::int64_t date = 0;  // Unix time
  Chat chat;
  std::optional<User> from;         // absent for channel posts
  std::optional<Chat> sender_chat;  // sent on behalf of a chat
  std::optional<std::int64_t> edit_date;
  std::optional<std::string> media_group_id;
  bool has_protected_content = false;

  std::optional<MessageOrigin> forward_origin;
  nlohmann::json forward_origin_raw;  // null when absent; otherwise exactly as received

  std::optional<std::string> text;
  std::optional<std::string> caption;
  std::vector<MessageEntity> entities;
  std::vector<MessageEntity> caption_entities;
  nlohmann::json entities_raw = nlohmann::json::array();          // as received ([] when absent)
  nlohmann::json caption_entities_raw = nlohmann::json::array();  // as received ([] when absent)

  std::vector<PhotoSize> photo;  // every size Telegram offers; empty when not a photo
  std::optional<Video> video;
  std::optional<Document> document;
  std::optional<Audio> audio;
  std::optional<Voice> voice;
  std::optional<VideoNote> video_note;
  std::optional<Animation> animation;
  std::optional<Sticker> sticker;

  // Payloads without a file: only their presence matters (nothing to archive).
  bool has_location = false;
  bool has_contact = false;
  bool has_poll = false;
  bool has_venue = false;
  bool has_dice = false;

  // Every top-level field this model does not represent (link_preview_options,
  // reply_markup, has_media_spoiler, reply_to_message, ...), as received: message.json's
  // `telegram.extras`. Always an object.
  nlohmann::json extras = nlohmann::json::object();
  // The whole message as received, so that a deferred message can be stored and
  // parsed again later without loss.
  nlohmann::json raw;
};

struct Update {
  std::int64_t update_id = 0;
  // Which kind of update this is: the name of its payload field ("message",
  // "edited_message", "channel_post", "callback_query", ...; "unknown" if none).
  std::string kind;
  std::optional<Message> message;  // set when kind == "message" or "edited_message"
  nlohmann::json raw;
};

// getFile's result. file_path is relative to /file/bot<token>/ on the cloud API and an
// absolute local path on a local Bot API server (TELEGRAM_LOCAL_MODE).
struct File {
  std::string file_id;
  std::string file_unique_id;
  std::optional<std::int64_t> file_size;
  std::optional<std::string> file_path;
};

struct WebhookInfo {
  std::string url;  // empty when no webhook is set (polling)
  bool has_custom_certificate = false;
  std::int64_t pending_update_count = 0;
  std::optional<std::string> ip_address;
  std::optional<std::int64_t> last_error_date;
  std::optional<std::string> last_error_message;
  std::optional<std::int64_t> max_connections;
  std::vector<std::string> allowed_updates;
};

}  // namespace teltubby::botapi
