#include "bot_api.hpp"

#include <algorithm>
#include <cctype>
#include <functional>

#include "markup.hpp"
#include "params.hpp"

namespace fake_world {
namespace {

using Outcome = std::expected<Json, ApiError>;

ApiError bad(const std::string& detail) { return ApiError{400, "Bad Request: " + detail}; }
ApiError forbidden(const std::string& detail) { return ApiError{403, "Forbidden: " + detail}; }

std::string lower(std::string s) {
  std::ranges::transform(s, s.begin(), [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  return s;
}

// True when `text` has 1..max_length characters, all from `allowed`.
bool only_chars(const std::string& text, std::size_t max_length, std::string_view allowed) {
  return !text.empty() && text.size() <= max_length &&
         std::ranges::all_of(text, [&](char c) { return allowed.find(c) != std::string_view::npos; });
}

constexpr std::uint64_t kBotDownloadLimit = 20ULL * 1024 * 1024;  // getFile: "files of up to 20MB in size"
constexpr std::size_t kMaxText = 4096;                           // sendMessage text: 1-4096 characters
constexpr std::size_t kMaxCaption = 1024;                        // caption: 0-1024 characters

// One Bot API call in flight. Holds the world lock for its whole run, except while
// getUpdates waits (the condition variable releases it).
class Call {
 public:
  Call(World& w, RateLimiter& limiter, std::int64_t bot_id, const ApiRequest& request, std::unique_lock<std::mutex>& lock)
      : w_(w), limiter_(limiter), bot_(bot_id), p_(request.params), request_(request), lock_(lock) {}

  Outcome get_me() {
    // https://core.telegram.org/bots/api#getme
    Json me = w_.bot_user_json(w_.users.at(bot_));
    me["can_join_groups"] = true;
    me["can_read_all_group_messages"] = false;
    me["supports_inline_queries"] = false;
    me["can_connect_to_business"] = false;
    me["has_main_web_app"] = false;
    return me;
  }

  Outcome get_updates() {
    // https://core.telegram.org/bots/api#getupdates
    BotState& bot = w_.bots[bot_];
    if (!bot.webhook_url.empty()) {
      return std::unexpected(ApiError{409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"});
    }
    auto offset = params::integer(p_, "offset");
    auto limit = params::integer(p_, "limit");
    auto timeout = params::integer(p_, "timeout");
    if (!offset || !limit || !timeout) return std::unexpected(bad("invalid parameter"));
    const auto allowed = params::structured(p_, "allowed_updates");
    if (!allowed) return std::unexpected(bad(allowed.error()));
    if (allowed->is_array()) bot.allowed_updates = *allowed;
    // "Values between 1-100 are accepted. Defaults to 100."
    const auto max_count = static_cast<std::size_t>(std::clamp<std::int64_t>(limit->value_or(100), 1, 100));
    const std::int64_t wait_seconds = std::clamp<std::int64_t>(timeout->value_or(0), 0, 50);
    if (const std::int64_t o = offset->value_or(0); o > 0) {
      // "All previous updates will be forgotten."
      while (!bot.updates.empty() && bot.updates.front().update_id < o) bot.updates.pop_front();
    } else if (o < 0) {
      // "A negative offset can be specified to retrieve updates starting from -offset update from the end"
      while (static_cast<std::int64_t>(bot.updates.size()) > -o) bot.updates.pop_front();
    }
    const std::uint64_t generation = ++bot.get_updates_generation;
    w_.touch();  // wakes an older long poll, which then answers 409
    const auto deadline = Clock::now() + std::chrono::seconds(wait_seconds);
    ++bot.waiting_get_updates;
    w_.touch();
    w_.changed.wait_until(lock_, deadline, [&] {
      const BotState& b = w_.bots[bot_];
      return w_.stopping || !b.updates.empty() || b.get_updates_generation != generation || !b.webhook_url.empty();
    });
    BotState& after = w_.bots[bot_];
    --after.waiting_get_updates;
    if (after.get_updates_generation != generation) {
      return std::unexpected(ApiError{409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"});
    }
    Json result = Json::array();
    for (const auto& u : after.updates) {
      if (result.size() >= max_count) break;
      result.push_back(u.update);
    }
    return result;
  }

  Outcome set_webhook() {
    // https://core.telegram.org/bots/api#setwebhook
    BotState& bot = w_.bots[bot_];
    const std::string url = params::text(p_, "url").value_or("");
    if (!url.empty() && !url.starts_with("https://") && !url.starts_with("http://")) {
      return std::unexpected(bad("bad webhook: An HTTPS URL must be provided for webhook"));
    }
    const std::string secret = params::text(p_, "secret_token").value_or("");
    if (!secret.empty() && !only_chars(secret, 256, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")) {
      return std::unexpected(bad("secret token contains unallowed characters"));
    }
    const auto allowed = params::structured(p_, "allowed_updates");
    if (!allowed) return std::unexpected(bad(allowed.error()));
    if (allowed->is_array()) bot.allowed_updates = *allowed;
    if (params::boolean(p_, "drop_pending_updates")) bot.updates.clear();
    description_ = url.empty() ? "Webhook was deleted" : (bot.webhook_url == url ? "Webhook is already set" : "Webhook was set");
    bot.webhook_url = url;
    bot.webhook_secret = secret;
    bot.webhook_last_error_date = 0;
    bot.webhook_last_error_message.clear();
    bot.webhook_next_attempt = Clock::now();
    w_.touch();
    return true;
  }

  Outcome delete_webhook() {
    // https://core.telegram.org/bots/api#deletewebhook
    BotState& bot = w_.bots[bot_];
    description_ = bot.webhook_url.empty() ? "Webhook is already deleted" : "Webhook was deleted";
    bot.webhook_url.clear();
    bot.webhook_secret.clear();
    if (params::boolean(p_, "drop_pending_updates")) bot.updates.clear();
    w_.touch();
    return true;
  }

  Outcome get_webhook_info() {
    // https://core.telegram.org/bots/api#webhookinfo
    const BotState& bot = w_.bots[bot_];
    Json info{{"url", bot.webhook_url}, {"has_custom_certificate", false}, {"pending_update_count", bot.updates.size()}};
    if (!bot.webhook_url.empty()) info["max_connections"] = 40;
    if (!bot.allowed_updates.empty()) info["allowed_updates"] = bot.allowed_updates;
    if (bot.webhook_last_error_date != 0) {
      info["last_error_date"] = bot.webhook_last_error_date;
      info["last_error_message"] = bot.webhook_last_error_message;
    }
    return info;
  }

  Outcome send_message() {
    // https://core.telegram.org/bots/api#sendmessage
    auto chat_id = target_chat("chat_id");
    if (!chat_id) return std::unexpected(chat_id.error());
    const auto raw = params::text(p_, "text");
    if (!raw || raw->empty()) return std::unexpected(bad("message text is empty"));
    auto formatted = format(*raw, "parse_mode", "entities");
    if (!formatted) return std::unexpected(formatted.error());
    if (formatted->text.empty()) return std::unexpected(bad("message text is empty"));
    if (utf16_length(formatted->text) > kMaxText) return std::unexpected(bad("message is too long"));
    if (auto ok = check_can_send(*chat_id); !ok) return std::unexpected(ok.error());
    if (auto limited = rate_limit(*chat_id); !limited) return std::unexpected(limited.error());
    Content c;
    c.kind = "text";
    c.text = formatted->text;
    c.entities = formatted->entities;
    return finish_send(*chat_id, std::move(c), "sendMessage");
  }

  Outcome send_photo() {
    // https://core.telegram.org/bots/api#sendphoto
    auto chat_id = target_chat("chat_id");
    if (!chat_id) return std::unexpected(chat_id.error());
    Content c;
    c.kind = "photo";
    if (const auto upload = request_.uploads.find("photo"); upload != request_.uploads.end()) {
      FileRec f;
      f.kind = "photo";
      f.data = upload->second.content;
      f.size = upload->second.content.size();
      f.mime_type = "image/jpeg";
      f.width = 320;  // the fake does not decode images; see docs/fake-world.md
      f.height = 320;
      c.files.push_back(w_.add_file(std::move(f)));
    } else if (const auto ref = params::text(p_, "photo"); ref && !ref->empty()) {
      if (ref->starts_with("http://") || ref->starts_with("https://")) {
        return std::unexpected(bad("failed to get HTTP URL content"));
      }
      const auto parsed = World::parse_file_id(*ref);
      if (!parsed || parsed->first != bot_ || !w_.files.contains(parsed->second)) {
        return std::unexpected(bad("wrong file identifier/HTTP URL specified"));
      }
      c.files.push_back(parsed->second);
    } else {
      return std::unexpected(bad("there is no photo in the request"));
    }
    auto caption = format(params::text(p_, "caption").value_or(""), "parse_mode", "caption_entities");
    if (!caption) return std::unexpected(caption.error());
    if (utf16_length(caption->text) > kMaxCaption) return std::unexpected(bad("message caption is too long"));
    c.caption = caption->text;
    c.caption_entities = caption->entities;
    if (auto ok = check_can_send(*chat_id); !ok) return std::unexpected(ok.error());
    if (auto limited = rate_limit(*chat_id); !limited) return std::unexpected(limited.error());
    return finish_send(*chat_id, std::move(c), "sendPhoto");
  }

  Outcome edit_message_text() {
    // https://core.telegram.org/bots/api#editmessagetext
    if (p_.contains("inline_message_id")) return std::unexpected(bad("message to edit not found"));
    auto chat_id = target_chat("chat_id");
    if (!chat_id) return std::unexpected(chat_id.error());
    auto message_id = params::integer(p_, "message_id");
    if (!message_id || !*message_id) return std::unexpected(bad("message to edit not found"));
    const BoxRef* ref = w_.find_message(bot_, *chat_id, **message_id);
    if (ref == nullptr) return std::unexpected(bad("message to edit not found"));
    Content& c = w_.contents.at(ref->gid);
    if (c.sender_user_id != bot_) return std::unexpected(bad("message can't be edited"));
    if (c.kind != "text") return std::unexpected(bad("there is no text in the message to edit"));
    const auto raw = params::text(p_, "text");
    if (!raw || raw->empty()) return std::unexpected(bad("message text is empty"));
    auto formatted = format(*raw, "parse_mode", "entities");
    if (!formatted) return std::unexpected(formatted.error());
    if (formatted->text.empty()) return std::unexpected(bad("message text is empty"));
    if (utf16_length(formatted->text) > kMaxText) return std::unexpected(bad("message is too long"));
    const auto markup = params::structured(p_, "reply_markup");
    if (!markup) return std::unexpected(bad(markup.error()));
    if (formatted->text == c.text && formatted->entities == c.entities && *markup == c.reply_markup) {
      return std::unexpected(bad("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"));
    }
    c.text = formatted->text;
    c.entities = formatted->entities;
    c.reply_markup = *markup;
    c.edit_date = w_.now();
    const BoxRef copy = *ref;
    Json message = w_.bot_message_json(bot_, *chat_id, copy);
    w_.record_outbox(bot_, *chat_id, Json{{"type", "edited"}, {"method", "editMessageText"}, {"message_id", copy.id}, {"message", message}});
    return message;
  }

  Outcome delete_message() {
    // https://core.telegram.org/bots/api#deletemessage
    auto chat_id = target_chat("chat_id");
    if (!chat_id) return std::unexpected(chat_id.error());
    auto message_id = params::integer(p_, "message_id");
    if (!message_id || !*message_id) return std::unexpected(bad("message to delete not found"));
    const BoxRef* ref = w_.find_message(bot_, *chat_id, **message_id);
    if (ref == nullptr) return std::unexpected(bad("message to delete not found"));
    const std::int64_t gid = ref->gid;
    const Content& c = w_.contents.at(gid);
    const ChatRec* chat = w_.chat(*chat_id);
    if (chat != nullptr && c.sender_user_id != bot_) return std::unexpected(bad("message can't be deleted"));
    // Deleting in a private chat or basic group removes every account's copy.
    for (auto& [key, box] : w_.boxes) {
      std::erase_if(box.messages, [gid](const BoxRef& r) { return r.gid == gid; });
    }
    w_.record_outbox(bot_, *chat_id, Json{{"type", "deleted"}, {"method", "deleteMessage"}, {"message_id", **message_id}});
    return true;
  }

  Outcome send_chat_action() {
    // https://core.telegram.org/bots/api#sendchataction
    auto chat_id = target_chat("chat_id");
    if (!chat_id) return std::unexpected(chat_id.error());
    static const std::vector<std::string> kActions = {"typing", "upload_photo", "record_video", "upload_video",
                                                      "record_voice", "upload_voice", "upload_document", "choose_sticker",
                                                      "find_location", "record_video_note", "upload_video_note"};
    const std::string action = params::text(p_, "action").value_or("");
    if (std::ranges::find(kActions, action) == kActions.end()) return std::unexpected(bad("wrong parameter action in request"));
    if (auto ok = check_can_send(*chat_id); !ok) return std::unexpected(ok.error());
    w_.record_outbox(bot_, *chat_id, Json{{"type", "chat_action"}, {"method", "sendChatAction"}, {"action", action}});
    return true;
  }

  Outcome copy_or_forward(bool forward) {
    // https://core.telegram.org/bots/api#copymessage, #forwardmessage
    const std::string method = forward ? "forwardMessage" : "copyMessage";
    auto chat_id = target_chat("chat_id");
    if (!chat_id) return std::unexpected(chat_id.error());
    auto from_chat = target_chat("from_chat_id");
    if (!from_chat) return std::unexpected(from_chat.error());
    const std::string what = forward ? "message to forward not found" : "message to copy not found";
    auto message_id = params::integer(p_, "message_id");
    if (!message_id || !*message_id) return std::unexpected(bad(what));
    if (!w_.can_see_chat(bot_, *from_chat)) return std::unexpected(bad("chat not found"));
    const BoxRef* ref = w_.find_message(bot_, *from_chat, **message_id);
    if (ref == nullptr) return std::unexpected(bad(what));
    const Content& source = w_.contents.at(ref->gid);
    const ChatRec* source_chat = w_.chat(*from_chat);
    if (source.protected_content || (source_chat != nullptr && source_chat->has_protected_content)) {
      return std::unexpected(bad(forward ? "message can't be forwarded" : "message can't be copied"));
    }
    if (auto ok = check_can_send(*chat_id); !ok) return std::unexpected(ok.error());
    if (auto limited = rate_limit(*chat_id); !limited) return std::unexpected(limited.error());
    Content c = source;
    c.date = 0;
    c.edit_date = 0;
    c.reply_markup = Json();
    c.media_group_id.clear();
    c.protected_content = params::boolean(p_, "protect_content");
    if (forward) {
      if (source.forward_origin.is_null()) {
        if (source_chat != nullptr && source_chat->type == "channel") {
          c.forward_origin = Json{{"type", "channel"}, {"date", source.date}, {"chat_id", *from_chat}, {"message_id", ref->id}};
        } else if (source.sender_chat_id != 0) {
          c.forward_origin = Json{{"type", "chat"}, {"date", source.date}, {"sender_chat_id", source.sender_chat_id}};
        } else {
          c.forward_origin = Json{{"type", "user"}, {"date", source.date}, {"sender_user_id", source.sender_user_id}};
        }
      }
    } else {
      c.forward_origin = Json();
      if (p_.contains("caption")) {
        auto caption = format(params::text(p_, "caption").value_or(""), "parse_mode", "caption_entities");
        if (!caption) return std::unexpected(caption.error());
        c.caption = caption->text;
        c.caption_entities = caption->entities;
      }
    }
    const std::int64_t from_message = ref->id;
    Outcome sent = finish_send(*chat_id, std::move(c), method, Json{{"from_chat_id", *from_chat}, {"from_message_id", from_message}});
    if (!sent || forward) return sent;
    return Json{{"message_id", (*sent)["message_id"]}};  // copyMessage returns a MessageId
  }

  Outcome get_file() {
    // https://core.telegram.org/bots/api#getfile
    const auto file_id = params::text(p_, "file_id");
    if (!file_id || file_id->empty()) return std::unexpected(bad("file_id is empty"));
    const auto parsed = World::parse_file_id(*file_id);
    if (!parsed || parsed->first != bot_ || !w_.files.contains(parsed->second)) return std::unexpected(bad("invalid file_id"));
    const FileRec& f = w_.files.at(parsed->second);
    if (f.size > kBotDownloadLimit) return std::unexpected(bad("file is too big"));
    return Json{{"file_id", *file_id}, {"file_unique_id", World::unique_id_for(f.num)}, {"file_size", f.size},
                {"file_path", World::file_path_for(f)}};
  }

  Outcome set_my_commands() {
    // https://core.telegram.org/bots/api#setmycommands, #botcommand
    const auto commands = params::structured(p_, "commands");
    if (!commands) return std::unexpected(bad(commands.error()));
    if (!commands->is_array()) return std::unexpected(bad("parameter \"commands\" is required"));
    if (commands->size() > 100) return std::unexpected(bad("too many commands"));
    for (const auto& c : *commands) {
      if (!c.is_object() || !c.contains("command") || !c["command"].is_string() ||
          !only_chars(c["command"].get<std::string>(), 32, "abcdefghijklmnopqrstuvwxyz0123456789_")) {
        return std::unexpected(bad("BOT_COMMAND_INVALID"));
      }
      if (!c.contains("description") || !c["description"].is_string() || c["description"].get<std::string>().empty()) {
        return std::unexpected(bad("command description is empty"));
      }
      if (utf16_length(c["description"].get<std::string>()) > 256) return std::unexpected(bad("BOT_COMMAND_DESCRIPTION_INVALID"));
    }
    w_.bots[bot_].commands = *commands;
    w_.touch();
    return true;
  }

  Outcome get_my_commands() { return w_.bots[bot_].commands; }

  Outcome delete_my_commands() {
    w_.bots[bot_].commands = Json::array();
    w_.touch();
    return true;
  }

  Outcome answer_callback_query() {
    // https://core.telegram.org/bots/api#answercallbackquery
    const std::string id = params::text(p_, "callback_query_id").value_or("");
    const auto it = w_.callbacks.find(id);
    if (it == w_.callbacks.end() || it->second.answered || it->second.bot_id != bot_) {
      return std::unexpected(bad("query is too old and response timeout expired or query ID is invalid"));
    }
    const std::string text = params::text(p_, "text").value_or("");
    if (utf16_length(text) > 200) return std::unexpected(bad("MESSAGE_TOO_LONG"));
    it->second.answered = true;
    w_.record_outbox(bot_, it->second.chat_id, Json{{"type", "callback_answer"}, {"method", "answerCallbackQuery"},
                                                     {"callback_query_id", id}, {"text", text},
                                                     {"show_alert", params::boolean(p_, "show_alert")}});
    return true;
  }

  const std::string& description() const { return description_; }

 private:
  // chat_id may be an integer or "@channelusername".
  std::expected<std::int64_t, ApiError> target_chat(const std::string& key) {
    const auto raw = params::text(p_, key);
    if (!raw || raw->empty()) return std::unexpected(bad(key + " is empty"));
    if (raw->starts_with("@")) {
      const std::string name = lower(raw->substr(1));
      for (const auto& [id, chat] : w_.chats) {
        if (!chat.username.empty() && lower(chat.username) == name) return id;
      }
      return std::unexpected(bad("chat not found"));
    }
    const auto value = params::integer(p_, key);
    if (!value || !*value) return std::unexpected(bad("chat not found"));
    return **value;
  }

  std::expected<void, ApiError> check_can_send(std::int64_t chat_id) {
    if (chat_id > 0) {
      const UserRec* u = w_.user(chat_id);
      if (u == nullptr || chat_id == bot_) return std::unexpected(bad("chat not found"));
      if (u->is_bot) return std::unexpected(forbidden("bot can't send messages to bots"));
      if (u->status != "active") return std::unexpected(forbidden("user is deactivated"));
      if (!w_.bots[bot_].started_by.contains(chat_id)) return std::unexpected(forbidden("bot can't initiate conversation with a user"));
      return {};
    }
    const ChatRec* c = w_.chat(chat_id);
    if (c == nullptr || std::ranges::find(c->members, bot_) == c->members.end()) return std::unexpected(bad("chat not found"));
    return {};
  }

  std::expected<void, ApiError> rate_limit(std::int64_t chat_id) {
    if (!w_.settings.rate_limits) return {};
    if (const auto wait = limiter_.take(bot_, chat_id, Clock::now())) {
      // https://core.telegram.org/bots/api#responseparameters retry_after
      return std::unexpected(ApiError{429, "Too Many Requests: retry after " + std::to_string(*wait), *wait});
    }
    return {};
  }

  std::expected<FormattedText, ApiError> format(const std::string& raw, const std::string& mode_key, const std::string& entities_key) {
    const std::string mode = params::text(p_, mode_key).value_or("");
    if (!mode.empty()) {
      auto parsed = parse_markup(raw, mode);
      if (!parsed) {
        if (parsed.error().unknown_mode) return std::unexpected(bad("unsupported parse_mode"));
        return std::unexpected(bad("can't parse entities: " + parsed.error().detail));
      }
      return *parsed;
    }
    FormattedText plain{raw, Json::array()};
    const auto entities = params::structured(p_, entities_key);
    if (!entities) return std::unexpected(bad("can't parse entities JSON object"));
    if (entities->is_array()) plain.entities = *entities;
    return plain;
  }

  Outcome finish_send(std::int64_t chat_id, Content c, const std::string& method, Json extra = Json::object()) {
    c.sender_user_id = bot_;
    if (params::boolean(p_, "protect_content")) c.protected_content = true;
    const auto markup = params::structured(p_, "reply_markup");
    if (!markup) return std::unexpected(bad(markup.error()));
    if (!markup->is_null()) c.reply_markup = *markup;
    const auto ids = w_.deliver(bot_, chat_id, std::move(c));
    const std::int64_t id = ids.at(bot_);
    const BoxRef* ref = w_.find_message(bot_, chat_id, id);
    Json message = w_.bot_message_json(bot_, chat_id, *ref);
    Json event{{"type", "sent"}, {"method", method}, {"message_id", id}, {"message", message}};
    for (auto& [k, v] : extra.items()) event[k] = v;
    w_.record_outbox(bot_, chat_id, std::move(event));
    return message;
  }

  World& w_;
  RateLimiter& limiter_;
  std::int64_t bot_;
  const Json& p_;
  const ApiRequest& request_;
  std::unique_lock<std::mutex>& lock_;
  std::string description_;
};

}  // namespace

ApiReply BotApi::call(const std::string& token, const std::string& method, const ApiRequest& request) {
  std::unique_lock lock(world_.mutex);
  const auto bot = world_.bot_by_token.find(token);
  // https://core.telegram.org/bots/api#making-requests: a wrong token is 401 Unauthorized.
  if (bot == world_.bot_by_token.end()) return bot_error(ApiError{401, "Unauthorized"});
  const std::string name = lower(method);
  if (auto fault = world_.take_fault(name)) {
    if (fault->kind == "too_many_requests") {
      return bot_error(ApiError{429, "Too Many Requests: retry after " + std::to_string(fault->retry_after), fault->retry_after});
    }
    if (fault->kind == "hang") {
      ApiReply reply = bot_error(ApiError{504, "Gateway Timeout"});
      reply.hang_seconds = fault->hang_seconds;
      return reply;
    }
    // A refusal that retrying does not cure (Telegram's real text for a file it cannot
    // serve is the default description).
    if (fault->kind == "bad_request") return bot_error(ApiError{400, "Bad Request: " + fault->description});
    const int status = fault->status >= 500 ? fault->status : 500;
    return bot_error(ApiError{status, status == 502 ? "Bad Gateway" : "Internal Server Error"});
  }
  Call call(world_, limiter_, bot->second, request, lock);
  using Handler = std::function<Outcome(Call&)>;
  static const std::map<std::string, Handler> kMethods = {
      {"getme", &Call::get_me},
      {"getupdates", &Call::get_updates},
      {"setwebhook", &Call::set_webhook},
      {"deletewebhook", &Call::delete_webhook},
      {"getwebhookinfo", &Call::get_webhook_info},
      {"sendmessage", &Call::send_message},
      {"sendphoto", &Call::send_photo},
      {"editmessagetext", &Call::edit_message_text},
      {"deletemessage", &Call::delete_message},
      {"sendchataction", &Call::send_chat_action},
      {"copymessage", [](Call& c) { return c.copy_or_forward(false); }},
      {"forwardmessage", [](Call& c) { return c.copy_or_forward(true); }},
      {"getfile", &Call::get_file},
      {"setmycommands", &Call::set_my_commands},
      {"getmycommands", &Call::get_my_commands},
      {"deletemycommands", &Call::delete_my_commands},
      {"answercallbackquery", &Call::answer_callback_query},
  };
  const auto handler = kMethods.find(name);
  if (handler == kMethods.end()) return bot_error(ApiError{404, "Not Found"});
  Outcome outcome = handler->second(call);
  if (!outcome) return bot_error(outcome.error());
  return bot_ok(*outcome, call.description());
}

ApiReply BotApi::download(const std::string& token, const std::string& file_path, const std::string& range) {
  std::unique_lock lock(world_.mutex);
  const auto bot = world_.bot_by_token.find(token);
  if (bot == world_.bot_by_token.end()) return bot_error(ApiError{401, "Unauthorized"});
  std::optional<Fault> fault = world_.take_fault("file");
  if (fault && fault->kind == "server_error") return bot_error(ApiError{fault->status >= 500 ? fault->status : 500, "Internal Server Error"});
  if (fault && fault->kind == "too_many_requests") {
    return bot_error(ApiError{429, "Too Many Requests: retry after " + std::to_string(fault->retry_after), fault->retry_after});
  }
  const auto marker = file_path.find("/file_");
  std::int64_t num = 0;
  if (marker != std::string::npos) {
    try {
      num = std::stoll(file_path.substr(marker + 6));
    } catch (const std::exception&) {
      num = 0;
    }
  }
  const auto file = world_.files.find(num);
  if (file == world_.files.end() || World::file_path_for(file->second) != file_path || file->second.size > kBotDownloadLimit) {
    return bot_error(ApiError{404, "Not Found"});
  }
  const FileRec& f = file->second;
  ApiReply reply;
  reply.content_type = f.mime_type.empty() ? "application/octet-stream" : f.mime_type;
  FileStream stream{f.seed, f.data, 0, f.size};
  reply.headers.emplace_back("Accept-Ranges", "bytes");
  if (!range.empty()) {
    const auto span = parse_range(range, f.size);
    if (!span) {
      reply.status = 416;
      reply.content_type = "text/plain";
      reply.body = "Requested Range Not Satisfiable";
      reply.headers.emplace_back("Content-Range", "bytes */" + std::to_string(f.size));
      return reply;
    }
    stream.offset = span->first;
    stream.length = span->second;
    reply.status = 206;
    reply.headers.emplace_back("Content-Range", "bytes " + std::to_string(span->first) + "-" +
                                                    std::to_string(span->first + span->second - 1) + "/" + std::to_string(f.size));
  }
  if (fault && fault->kind == "truncate") stream.truncate_after = fault->truncate_bytes;
  if (fault && fault->kind == "hang") reply.hang_seconds = fault->hang_seconds;
  reply.stream = stream;
  return reply;
}

}  // namespace fake_world
