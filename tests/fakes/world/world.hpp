#pragma once
// The fake Telegram world: users, bots, chats, messages and files, shared by the Bot
// API, the control API and the account API. One mutex guards everything; `changed`
// is notified on every mutation so long polls (getUpdates, outbox waits, QR login)
// wake on events instead of sleeping.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fake_world {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

struct UserRec {
  std::int64_t id = 0;
  bool is_bot = false;
  std::string first_name, last_name, username, phone;
  std::string login_code = "12345";  // what the "SMS" says
  std::string password;              // 2FA password; empty = none
  std::string password_hint;
  bool is_premium = false;
  std::string status = "active";     // active | deactivated | banned
  std::string token;                 // bots only
  std::int64_t next_message_id = 1;  // per-account ids (private chats, basic groups)
};

struct ChatRec {
  std::int64_t id = 0;               // Bot API / TDLib chat id (-N groups, -100N channels)
  std::string type;                  // group | supergroup | channel
  std::string title, username;
  bool has_protected_content = false;
  std::vector<std::int64_t> members; // users and bots in the chat (for channels: admins/subscribers)
  std::int64_t next_message_id = 1;  // per-chat ids (supergroups, channels)
};

struct FileRec {
  std::int64_t num = 0;              // internal number; ids below are derived from it
  std::string kind;                  // photo, video, document, audio, voice, video_note, animation, sticker
  std::uint64_t size = 0;
  std::string mime_type, file_name;
  std::uint64_t seed = 0;
  int width = 0, height = 0, duration = 0;
  std::optional<std::string> data;   // uploaded bytes (bot uploads); otherwise generated from seed
};

// Message content, shared by every account's copy of the message.
struct Content {
  std::int64_t gid = 0;
  std::string kind = "text";
  std::int64_t date = 0, edit_date = 0;
  std::int64_t sender_user_id = 0, sender_chat_id = 0;
  std::string text; Json entities = Json::array();
  std::string caption; Json caption_entities = Json::array();
  std::vector<std::int64_t> files;   // photo: one per size, smallest first
  std::string media_group_id;
  Json forward_origin;               // neutral shape (docs/fake-world-protocol.md) or null
  bool protected_content = false;
  Json extra = Json::object();       // location, contact, poll, sticker details
  Json reply_markup;                 // as the bot sent it, or null
};

struct BoxRef { std::int64_t id = 0; std::int64_t gid = 0; };
struct Box { std::vector<BoxRef> messages; std::int64_t last_activity = 0; };

struct PendingUpdate { std::int64_t update_id = 0; Json update; };

struct BotState {
  std::int64_t next_update_id = 1;
  std::deque<PendingUpdate> updates;
  Json allowed_updates = Json::array();  // empty = all default types
  std::set<std::int64_t> started_by;     // users who wrote to the bot (it may write back)
  Json commands = Json::array();
  std::string webhook_url, webhook_secret;
  std::int64_t webhook_last_error_date = 0;
  std::string webhook_last_error_message;
  Clock::time_point webhook_next_attempt{};
  std::uint64_t get_updates_generation = 0;  // a newer getUpdates ends an older one (409)
  int waiting_get_updates = 0;               // long polls in progress (tests wait on it)
};

struct CallbackQuery { std::int64_t bot_id = 0, chat_id = 0, from_user_id = 0; bool answered = false; };

struct Fault {
  std::string target;        // Bot API method (lower-case), "file" for /file/ downloads, or "account:<call>"
  std::string kind;          // server_error | too_many_requests | hang | truncate | bad_request | network_down | file_reference_expired | flood_wait
  int remaining = 1;
  int status = 500;          // server_error
  int retry_after = 1;       // too_many_requests, flood_wait (seconds)
  double hang_seconds = 30;  // hang
  std::uint64_t truncate_bytes = 0;  // truncate: bytes sent before the connection is cut
  // bad_request (Bot API methods): the text after "Bad Request: ".
  std::string description = "wrong file_id or the file is temporarily unavailable";
};

struct Login {
  std::string kind;          // phone | qr
  std::int64_t user_id = 0;  // known after the phone lookup or the QR scan
  Clock::time_point code_expires{};
  int wrong_attempts = 0;
  bool code_ok = false;      // password step next
  bool scanned = false;
  std::string session;       // set when finished
  std::string link;          // QR logins: the tg://login?token=... link the phone scans
};

struct Session { std::int64_t user_id = 0; bool valid = true; std::string reason; };

struct Settings {
  bool rate_limits = true;
  std::uint64_t download_speed_bytes_per_second = 0;  // 0 = unlimited (account downloads)
  int webhook_retry_ms = 500;                         // delay before re-POSTing a failed update
  int code_ttl_seconds = 300;                         // login codes expire after this
  int max_wrong_codes = 5;                            // then FLOOD_WAIT
  int flood_wait_seconds = 30;
};

struct ApiError {
  ApiError() = default;
  ApiError(int status_code, std::string text, int retry_after_seconds = 0, std::string error_name = "")
      : status(status_code), description(std::move(text)), retry_after(retry_after_seconds), code(std::move(error_name)) {}
  int status = 400;
  std::string description;  // Bot API description, or account API message
  int retry_after = 0;      // seconds; 0 = not said
  std::string code;         // account API error name (PHONE_CODE_INVALID, ...)
};

class World {
 public:
  explicit World(std::uint64_t seed);

  mutable std::mutex mutex;
  std::condition_variable changed;
  std::uint64_t version = 0;  // bumped on each change (persistence, waiters)

  // Everything below is guarded by `mutex`.
  std::uint64_t seed;
  Settings settings;
  std::map<std::int64_t, UserRec> users;
  std::map<std::string, std::int64_t> bot_by_token;
  std::map<std::int64_t, BotState> bots;
  std::map<std::int64_t, ChatRec> chats;
  std::map<std::int64_t, FileRec> files;
  std::map<std::int64_t, Content> contents;
  std::map<std::pair<std::int64_t, std::int64_t>, Box> boxes;  // (account or 0 for shared, chat id)
  std::map<std::pair<std::int64_t, std::int64_t>, std::vector<Json>> outbox;  // (bot, chat)
  std::map<std::string, CallbackQuery> callbacks;
  std::vector<Fault> faults;
  std::map<std::string, Login> logins;
  std::map<std::string, Session> sessions;
  std::int64_t next_user_id = 100000001, next_chat_num = 1, next_file_num = 1, next_gid = 1;
  std::uint64_t next_token = 1;
  bool stopping = false;

  // Caller holds the lock for all of these.
  void touch();
  std::string random_token(std::size_t length);
  std::int64_t now() const;
  const UserRec* user(std::int64_t id) const;
  const ChatRec* chat(std::int64_t id) const;
  bool is_shared_chat(std::int64_t chat_id) const;  // supergroup/channel: one id sequence
  Box& box(std::int64_t account, std::int64_t chat_id);
  const BoxRef* find_message(std::int64_t account, std::int64_t chat_id, std::int64_t message_id);
  bool can_see_chat(std::int64_t account, std::int64_t chat_id) const;
  std::int64_t add_file(FileRec file);

  // Delivers `content` sent by `sender` into `chat_id` (as the sender sees the chat);
  // gives every participant its copy with its own id and queues bot updates.
  // Returns the message id per account.
  std::map<std::int64_t, std::int64_t> deliver(std::int64_t sender, std::int64_t chat_id, Content content);
  void queue_update(std::int64_t bot_id, const std::string& type, Json payload);
  void record_outbox(std::int64_t bot_id, std::int64_t chat_id, Json event);
  // Takes the next matching fault (decrementing it), if any.
  std::optional<Fault> take_fault(const std::string& target);

  // Ids derived from file numbers. file_id is per bot; unique and remote ids are global.
  static std::string file_id_for(std::int64_t bot_id, std::int64_t file_num);
  static std::optional<std::pair<std::int64_t, std::int64_t>> parse_file_id(const std::string& file_id);
  static std::string unique_id_for(std::int64_t file_num);
  static std::string remote_id_for(std::int64_t file_num);
  std::optional<std::int64_t> file_by_unique_id(const std::string& unique_id) const;
  static std::string file_path_for(const FileRec& file);

  // Views. Bot API objects (https://core.telegram.org/bots/api#available-types).
  Json bot_user_json(const UserRec& u) const;
  Json bot_chat_json(std::int64_t viewer, std::int64_t chat_id) const;
  Json bot_message_json(std::int64_t bot_id, std::int64_t chat_id, const BoxRef& ref) const;
  Json bot_file_fields(std::int64_t bot_id, const FileRec& f) const;
  Json bot_origin_json(const Json& origin) const;
  // Neutral shapes of docs/fake-world-protocol.md.
  Json neutral_user(const UserRec& u) const;
  Json neutral_chat(std::int64_t viewer, std::int64_t chat_id) const;
  Json neutral_file(const FileRec& f) const;
  Json neutral_message(std::int64_t viewer, std::int64_t chat_id, const BoxRef& ref) const;

  // Persistence (state directory): the whole world as JSON.
  Json to_json() const;
  void load_json(const Json& j);
};

}  // namespace fake_world
