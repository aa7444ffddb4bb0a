#include "control_api.hpp"

#include <algorithm>

#include "markup.hpp"
#include "params.hpp"

namespace fake_world {
namespace {

ApiError invalid(const std::string& what) { return ApiError{400, what, 0, "BAD_REQUEST"}; }

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 1;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const std::string part = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (!part.empty()) parts.push_back(part);
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return parts;
}

std::int64_t int_or(const Json& p, const std::string& key, std::int64_t fallback) {
  const auto v = params::integer(p, key);
  return v && *v ? **v : fallback;
}

std::int64_t default_bot(const World& w) { return w.bots.empty() ? 0 : w.bots.begin()->first; }

Json user_with_secrets(const World& w, const UserRec& u) {
  Json j = w.neutral_user(u);
  j["login_code"] = u.login_code;
  j["status"] = u.status;
  if (!u.token.empty()) j["token"] = u.token;
  return j;
}

ApiReply create_user(World& w, const Json& p, bool bot) {
  UserRec u;
  u.id = w.next_user_id++;
  u.is_bot = bot;
  u.first_name = params::text(p, "first_name").value_or(bot ? "Test Bot" : "User " + std::to_string(u.id));
  u.last_name = params::text(p, "last_name").value_or("");
  u.username = params::text(p, "username").value_or("");
  u.phone = params::text(p, "phone").value_or("");
  if (auto code = params::text(p, "login_code")) u.login_code = *code;
  u.password = params::text(p, "password").value_or("");
  u.password_hint = params::text(p, "password_hint").value_or("");
  u.is_premium = params::boolean(p, "is_premium");
  for (const auto& [id, other] : w.users) {
    if (!u.username.empty() && other.username == u.username) return control_error(ApiError{400, "username taken", 0, "USERNAME_OCCUPIED"});
    if (!u.phone.empty() && other.phone == u.phone) return control_error(ApiError{400, "phone taken", 0, "PHONE_NUMBER_OCCUPIED"});
  }
  if (bot) {
    // Token shape of https://core.telegram.org/bots/api#authorizing-your-bot: "<bot id>:<secret>".
    u.token = params::text(p, "token").value_or(std::to_string(u.id) + ":" + w.random_token(35));
    if (w.bot_by_token.contains(u.token)) return control_error(invalid("token taken"));
    w.bot_by_token[u.token] = u.id;
    w.bots[u.id];
  }
  const std::int64_t id = u.id;
  w.users[id] = std::move(u);
  w.touch();
  return control_ok(user_with_secrets(w, w.users.at(id)));
}

ApiReply create_chat(World& w, const Json& p) {
  ChatRec c;
  c.type = params::text(p, "type").value_or("group");
  if (c.type != "group" && c.type != "supergroup" && c.type != "channel") return control_error(invalid("type must be group, supergroup or channel"));
  const std::int64_t num = w.next_chat_num++;
  // Bot API ids: basic groups are negative, supergroups and channels are -100 followed by the channel id.
  c.id = c.type == "group" ? -(4000000000LL + num) : -(1000000000000LL + 2000000000LL + num);
  c.title = params::text(p, "title").value_or("Chat " + std::to_string(num));
  c.username = params::text(p, "username").value_or("");
  c.has_protected_content = params::boolean(p, "has_protected_content") || params::boolean(p, "protected");
  if (p.contains("members") && p["members"].is_array()) {
    for (const auto& m : p["members"]) {
      if (!m.is_number_integer() || !w.user(m.get<std::int64_t>())) return control_error(invalid("unknown member"));
      c.members.push_back(m.get<std::int64_t>());
    }
  }
  const std::int64_t id = c.id;
  w.chats[id] = std::move(c);
  w.touch();
  return control_ok(w.neutral_chat(0, id));
}

struct FileDefaults { std::uint64_t size; const char* mime; const char* name; int width, height, duration; };

FileDefaults defaults_for(const std::string& kind) {
  if (kind == "video") return {5000000, "video/mp4", "video.mp4", 1280, 720, 10};
  if (kind == "document") return {100000, "application/pdf", "document.pdf", 0, 0, 0};
  if (kind == "audio") return {3000000, "audio/mpeg", "song.mp3", 0, 0, 180};
  if (kind == "voice") return {20000, "audio/ogg", "", 0, 0, 5};
  if (kind == "video_note") return {500000, "video/mp4", "", 240, 240, 5};
  if (kind == "animation") return {300000, "video/mp4", "animation.gif.mp4", 320, 240, 3};
  if (kind == "sticker_static") return {30000, "image/webp", "sticker.webp", 512, 512, 0};
  if (kind == "sticker_animated") return {20000, "application/x-tgsticker", "sticker.tgs", 512, 512, 0};
  if (kind == "sticker_video") return {100000, "video/webm", "sticker.webm", 512, 512, 3};
  return {0, "", "", 0, 0, 0};
}

std::expected<FormattedText, ApiError> formatted(const Json& p, const std::string& text_key, const std::string& entities_key) {
  const std::string raw = params::text(p, text_key).value_or("");
  const std::string mode = params::text(p, "parse_mode").value_or("");
  if (!mode.empty()) {
    auto parsed = parse_markup(raw, mode);
    if (!parsed) return std::unexpected(invalid("can't parse entities: " + parsed.error().detail));
    return *parsed;
  }
  FormattedText out{raw, Json::array()};
  if (p.contains(entities_key) && p[entities_key].is_array()) out.entities = p[entities_key];
  return out;
}

ApiReply send_as_user(World& w, const Json& p) {
  const std::int64_t from = int_or(p, "from_user_id", 0);
  const UserRec* sender = w.user(from);
  if (sender == nullptr) return control_error(invalid("unknown from_user_id"));
  const std::int64_t chat_id = int_or(p, "chat_id", 0);
  if (chat_id > 0) {
    if (!w.user(chat_id) || chat_id == from) return control_error(invalid("unknown chat_id"));
  } else {
    const ChatRec* c = w.chat(chat_id);
    if (c == nullptr) return control_error(invalid("unknown chat_id"));
    if (std::ranges::find(c->members, from) == c->members.end()) return control_error(ApiError{403, "sender is not a member", 0, "CHAT_WRITE_FORBIDDEN"});
  }
  Content c;
  c.kind = params::text(p, "kind").value_or("text");
  c.sender_user_id = from;
  c.sender_chat_id = int_or(p, "sender_chat_id", 0);
  c.date = int_or(p, "date", 0);
  c.media_group_id = params::text(p, "media_group_id").value_or("");
  c.protected_content = params::boolean(p, "protected") || params::boolean(p, "has_protected_content");
  if (p.contains("forward_origin") && p["forward_origin"].is_object()) {
    c.forward_origin = p["forward_origin"];
    if (!c.forward_origin.contains("date")) c.forward_origin["date"] = w.now() - 3600;
    static const std::vector<std::string> kOrigins = {"user", "hidden_user", "chat", "channel"};
    if (std::ranges::find(kOrigins, c.forward_origin.value("type", "")) == kOrigins.end()) {
      return control_error(invalid("forward_origin.type must be user, hidden_user, chat or channel"));
    }
  }
  static const std::vector<std::string> kKinds = {"text", "photo", "video", "document", "audio", "voice", "video_note",
                                                  "animation", "sticker_static", "sticker_animated", "sticker_video",
                                                  "location", "contact", "poll"};
  if (std::ranges::find(kKinds, c.kind) == kKinds.end()) return control_error(invalid("unknown kind " + c.kind));
  if (c.kind == "text") {
    auto text = formatted(p, "text", "entities");
    if (!text) return control_error(text.error());
    if (text->text.empty()) return control_error(invalid("text is empty"));
    c.text = text->text;
    c.entities = text->entities;
  } else {
    auto caption = formatted(p, "caption", "caption_entities");
    if (!caption) return control_error(caption.error());
    c.caption = caption->text;
    c.caption_entities = caption->entities;
  }
  const Json spec = p.value("file", Json::object());
  if (c.kind == "photo") {
    Json sizes = p.value("photo_sizes", Json::array({Json{{"width", 90}, {"height", 90}, {"size", 1500}},
                                                    Json{{"width", 320}, {"height", 320}, {"size", 20000}},
                                                    Json{{"width", 1280}, {"height", 1280}, {"size", 150000}}}));
    for (const auto& s : sizes) {
      FileRec f;
      f.kind = "photo";
      f.mime_type = "image/jpeg";
      f.width = s.value("width", 320);
      f.height = s.value("height", 320);
      f.size = s.value("size", std::uint64_t{20000});
      f.seed = s.value("seed", std::uint64_t{0});
      c.files.push_back(w.add_file(std::move(f)));
    }
  } else if (const FileDefaults d = defaults_for(c.kind); d.size != 0 && spec.contains("unique_id")) {
    // The same file again (a second forward of one post): same unique id, same bytes.
    const auto num = w.file_by_unique_id(params::text(spec, "unique_id").value_or(""));
    if (!num || !w.files.contains(*num)) return control_error(invalid("unknown file unique_id"));
    c.files.push_back(*num);
  } else if (d.size != 0) {
    FileRec f;
    f.kind = c.kind.starts_with("sticker_") ? "sticker" : c.kind;
    f.size = spec.value("size", d.size);
    if (f.size > 4000ULL * 1024 * 1024) return control_error(invalid("file size above 4000 MB"));
    f.mime_type = spec.value("mime_type", std::string(d.mime));
    f.file_name = spec.value("file_name", std::string(d.name));
    f.width = spec.value("width", d.width);
    f.height = spec.value("height", d.height);
    f.duration = spec.value("duration", d.duration);
    f.seed = spec.value("seed", std::uint64_t{0});
    c.files.push_back(w.add_file(std::move(f)));
  }
  for (const char* key : {"emoji", "set_name", "performer", "title"}) {
    if (p.contains(key)) c.extra[key] = p[key];
  }
  if (c.kind == "location") c.extra = p.value("location", Json{{"latitude", 51.5}, {"longitude", -0.12}});
  if (c.kind == "contact") c.extra = p.value("contact", Json{{"phone_number", "+15550100"}, {"first_name", "Contact"}});
  if (c.kind == "poll") {
    c.extra = p.value("poll", Json{{"question", "Question?"}, {"options", Json::array({"Yes", "No"})}});
    if (!c.extra.contains("options") || !c.extra["options"].is_array() || c.extra["options"].size() < 2) {
      return control_error(invalid("a poll needs at least 2 options"));
    }
  }
  const auto ids = w.deliver(from, chat_id, std::move(c));
  Json id_map = Json::object();
  for (const auto& [account, id] : ids) id_map[std::to_string(account)] = id;
  const BoxRef* ref = w.find_message(from, chat_id, ids.at(from));
  Json reply{{"message", w.neutral_message(from, chat_id, *ref)}, {"message_ids", id_map}};
  // The id the bot sees, which tests need for copyMessage/forwardMessage.
  const std::int64_t bot = chat_id > 0 && w.users.at(chat_id).is_bot ? chat_id : default_bot(w);
  if (ids.contains(bot)) reply["bot_message_id"] = ids.at(bot);
  return control_ok(reply);
}

ApiReply send_callback(World& w, const Json& p) {
  const std::int64_t from = int_or(p, "from_user_id", 0);
  const std::int64_t bot = int_or(p, "bot_id", default_bot(w));
  const std::int64_t chat_id = int_or(p, "chat_id", from);  // as the bot sees the chat
  const std::int64_t message_id = int_or(p, "message_id", 0);
  const UserRec* u = w.user(from);
  if (u == nullptr || !w.bots.contains(bot)) return control_error(invalid("unknown user or bot"));
  const BoxRef* ref = w.find_message(bot, chat_id, message_id);
  if (ref == nullptr) return control_error(invalid("unknown message"));
  const std::string id = std::to_string(bot) + "-" + w.random_token(12);
  w.callbacks[id] = CallbackQuery{bot, chat_id, from, false};
  // https://core.telegram.org/bots/api#callbackquery
  Json query{{"id", id}, {"from", w.bot_user_json(*u)}, {"message", w.bot_message_json(bot, chat_id, *ref)},
             {"chat_instance", std::to_string(chat_id * 31 + bot)}, {"data", params::text(p, "data").value_or("")}};
  w.queue_update(bot, "callback_query", query);
  return control_ok(Json{{"callback_query_id", id}});
}

ApiReply add_fault(World& w, const Json& p) {
  Fault f;
  if (auto method = params::text(p, "method")) f.target = *method;
  else if (auto call = params::text(p, "account_call")) f.target = "account:" + *call;
  else if (auto target = params::text(p, "target")) f.target = *target;
  else return control_error(invalid("method, account_call or target is required"));
  f.kind = params::text(p, "kind").value_or("server_error");
  static const std::vector<std::string> kKinds = {"server_error", "too_many_requests", "hang", "truncate", "bad_request",
                                                  "network_down", "file_reference_expired", "flood_wait"};
  if (std::ranges::find(kKinds, f.kind) == kKinds.end()) return control_error(invalid("unknown fault kind " + f.kind));
  f.remaining = static_cast<int>(int_or(p, "count", 1));
  f.status = static_cast<int>(int_or(p, "status", 500));
  f.retry_after = static_cast<int>(int_or(p, "retry_after", 1));
  f.hang_seconds = p.value("hang_seconds", 30.0);
  f.truncate_bytes = static_cast<std::uint64_t>(int_or(p, "truncate_bytes", 0));
  if (auto description = params::text(p, "description")) f.description = *description;
  w.faults.push_back(std::move(f));
  w.touch();
  return control_ok(Json{{"faults", w.faults.size()}});
}

Json settings_json(const Settings& s) {
  return Json{{"rate_limits", s.rate_limits}, {"download_speed_bytes_per_second", s.download_speed_bytes_per_second},
              {"webhook_retry_ms", s.webhook_retry_ms}, {"code_ttl_seconds", s.code_ttl_seconds},
              {"max_wrong_codes", s.max_wrong_codes}, {"flood_wait_seconds", s.flood_wait_seconds}};
}

ApiReply update_settings(World& w, const Json& p) {
  Settings& s = w.settings;
  if (p.contains("rate_limits")) s.rate_limits = params::boolean(p, "rate_limits");
  if (p.contains("download_speed_bytes_per_second")) s.download_speed_bytes_per_second = static_cast<std::uint64_t>(int_or(p, "download_speed_bytes_per_second", 0));
  if (p.contains("webhook_retry_ms")) s.webhook_retry_ms = static_cast<int>(int_or(p, "webhook_retry_ms", 500));
  if (p.contains("code_ttl_seconds")) s.code_ttl_seconds = static_cast<int>(int_or(p, "code_ttl_seconds", 300));
  if (p.contains("max_wrong_codes")) s.max_wrong_codes = static_cast<int>(int_or(p, "max_wrong_codes", 5));
  if (p.contains("flood_wait_seconds")) s.flood_wait_seconds = static_cast<int>(int_or(p, "flood_wait_seconds", 30));
  w.touch();
  return control_ok(settings_json(s));
}

ApiReply read_outbox(World& w, std::unique_lock<std::mutex>& lock, std::int64_t chat_id, const Json& p) {
  const std::int64_t bot = int_or(p, "bot_id", default_bot(w));
  const auto count = static_cast<std::size_t>(std::max<std::int64_t>(0, int_or(p, "count", 0)));
  const std::int64_t timeout_ms = std::clamp<std::int64_t>(int_or(p, "timeout_ms", 10000), 0, 600000);
  const auto key = std::pair{bot, chat_id};
  const bool reached = w.changed.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
    const auto it = w.outbox.find(key);
    return w.stopping || (it != w.outbox.end() ? it->second.size() : 0) >= count;
  });
  const auto it = w.outbox.find(key);
  Json events = it == w.outbox.end() ? Json::array() : Json(it->second);
  return control_ok(Json{{"events", events}, {"timed_out", !reached}});
}

// With wait_long_polls=N, first waits (up to timeout_ms) until N getUpdates calls are polling.
ApiReply bot_state(World& w, std::unique_lock<std::mutex>& lock, std::int64_t bot_id, const Json& p) {
  if (!w.bots.contains(bot_id)) return control_error(ApiError{404, "unknown bot", 0, "NOT_FOUND"});
  const std::int64_t wanted = int_or(p, "wait_long_polls", 0);
  const std::int64_t timeout_ms = std::clamp<std::int64_t>(int_or(p, "timeout_ms", 10000), 0, 600000);
  w.changed.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                     [&] { return w.stopping || w.bots.at(bot_id).waiting_get_updates >= wanted; });
  const BotState& b = w.bots.at(bot_id);
  return control_ok(Json{{"commands", b.commands}, {"webhook_url", b.webhook_url}, {"pending_updates", b.updates.size()},
                         {"started_by", Json(b.started_by)}, {"allowed_updates", b.allowed_updates},
                         {"waiting_get_updates", b.waiting_get_updates}});
}

ApiReply scan_qr(World& w, const Json& p) {
  // A phone scans the QR code's link; a test may also name the login_id directly.
  const std::string login_id = params::text(p, "login_id").value_or("");
  const std::string link = params::text(p, "link").value_or("");
  const std::int64_t user_id = int_or(p, "user_id", 0);
  auto it = w.logins.find(login_id);
  if (!link.empty()) {
    it = std::ranges::find_if(w.logins, [&](const auto& entry) { return entry.second.kind == "qr" && entry.second.link == link; });
  }
  if (login_id.empty() && link.empty()) {
    // "The phone scans the code on the screen": the one QR login waiting for a scan
    // (tests that only see a QR image, e.g. the one the bot sends to admins).
    auto waiting = [](const auto& entry) { return entry.second.kind == "qr" && !entry.second.scanned; };
    if (std::ranges::count_if(w.logins, waiting) != 1) {
      return control_error(invalid("name login_id or link: not exactly one QR login is waiting for a scan"));
    }
    it = std::ranges::find_if(w.logins, waiting);
  }
  if (it == w.logins.end() || it->second.kind != "qr") return control_error(invalid("unknown QR login"));
  const UserRec* u = w.user(user_id);
  if (u == nullptr || u->is_bot) return control_error(invalid("unknown user"));
  it->second.scanned = true;
  it->second.user_id = user_id;
  if (u->password.empty()) it->second.session = create_session(w, user_id);
  else it->second.code_ok = true;  // password step next
  w.touch();
  return control_ok(Json::object());
}

ApiReply revoke(World& w, const Json& p) {
  const std::int64_t user_id = int_or(p, "user_id", 0);
  const std::string reason = params::text(p, "reason").value_or("revoked");
  if (reason != "revoked" && reason != "deactivated" && reason != "banned") return control_error(invalid("reason must be revoked, deactivated or banned"));
  if (!w.users.contains(user_id)) return control_error(invalid("unknown user"));
  for (auto& [token, session] : w.sessions) {
    if (session.user_id == user_id && session.valid) {
      session.valid = false;
      session.reason = reason;
    }
  }
  if (reason != "revoked") w.users[user_id].status = reason;
  w.touch();
  return control_ok(Json::object());
}

ApiReply expire_codes(World& w) {
  for (auto& [id, login] : w.logins) login.code_expires = Clock::now() - std::chrono::seconds(1);
  w.touch();
  return control_ok(Json::object());
}

ApiReply add_member(World& w, std::int64_t chat_id, const Json& p) {
  const auto it = w.chats.find(chat_id);
  const std::int64_t user_id = int_or(p, "user_id", 0);
  if (it == w.chats.end() || !w.user(user_id)) return control_error(invalid("unknown chat or user"));
  if (std::ranges::find(it->second.members, user_id) == it->second.members.end()) it->second.members.push_back(user_id);
  w.touch();
  return control_ok(w.neutral_chat(0, chat_id));
}

}  // namespace

ApiReply ControlApi::handle(const std::string& http_method, const std::string& path, const ApiRequest& request) {
  std::unique_lock lock(world_.mutex);
  const auto s = split_path(path);  // s[0] == "control"
  const Json& p = request.params;
  const bool post = http_method == "POST";
  auto to_int = [](const std::string& text) -> std::int64_t {
    try {
      return std::stoll(text);
    } catch (const std::exception&) {
      return 0;
    }
  };
  if (s.size() >= 2 && s[1] == "account") {
    if (s.size() == 3 && post && s[2] == "scan_qr") return scan_qr(world_, p);
    if (s.size() == 3 && post && s[2] == "revoke") return revoke(world_, p);
    if (s.size() == 3 && post && s[2] == "expire_codes") return expire_codes(world_);
    return handle_account(world_, lock, http_method, s, request);
  }
  if (s.size() == 2 && s[1] == "health") return control_ok(Json{{"ok", true}});
  if (s.size() == 2 && post && s[1] == "users") return create_user(world_, p, false);
  if (s.size() == 2 && post && s[1] == "bots") return create_user(world_, p, true);
  if (s.size() == 2 && post && s[1] == "chats") return create_chat(world_, p);
  if (s.size() == 4 && post && s[1] == "chats" && s[3] == "members") return add_member(world_, to_int(s[2]), p);
  if (s.size() == 2 && post && s[1] == "send") return send_as_user(world_, p);
  if (s.size() == 2 && post && s[1] == "callback") return send_callback(world_, p);
  if (s.size() == 4 && s[1] == "chat" && s[3] == "outbox") return read_outbox(world_, lock, to_int(s[2]), p);
  if (s.size() == 3 && s[1] == "bots") return bot_state(world_, lock, to_int(s[2]), p);
  if (s.size() == 2 && s[1] == "faults" && post) return add_fault(world_, p);
  if (s.size() == 2 && s[1] == "faults" && http_method == "GET") {
    // The faults not yet used up: a test waits for a fault to be taken (the request it
    // targets has arrived) by watching it leave this list.
    Json pending = Json::array();
    for (const auto& f : world_.faults) pending.push_back(Json{{"target", f.target}, {"kind", f.kind}, {"remaining", f.remaining}});
    return control_ok(Json{{"faults", pending}});
  }
  if (s.size() == 2 && s[1] == "faults" && http_method == "DELETE") {
    world_.faults.clear();
    return control_ok(Json::object());
  }
  if (s.size() == 2 && s[1] == "settings") return post ? update_settings(world_, p) : control_ok(settings_json(world_.settings));
  if (s.size() == 2 && s[1] == "users" && !post) {
    Json all = Json::array();
    for (const auto& [id, u] : world_.users) all.push_back(user_with_secrets(world_, u));
    return control_ok(Json{{"users", all}});
  }
  return control_error(ApiError{404, "no such control call: " + http_method + " " + path, 0, "NOT_FOUND"});
}

}  // namespace fake_world
