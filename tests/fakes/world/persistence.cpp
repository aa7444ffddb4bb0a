// The world as JSON, for --state-dir: users, bots (tokens, commands, who started
// them, webhook, pending updates), chats, files (uploaded bytes included), messages
// and every account's view of them, outboxes, settings and sessions. Not kept:
// in-flight logins, faults, callback queries and rate-limit buckets.
#include "world.hpp"

namespace fake_world {
namespace {

Json user_json(const UserRec& u) {
  return Json{{"id", u.id}, {"is_bot", u.is_bot}, {"first_name", u.first_name}, {"last_name", u.last_name},
              {"username", u.username}, {"phone", u.phone}, {"login_code", u.login_code}, {"password", u.password},
              {"password_hint", u.password_hint}, {"is_premium", u.is_premium}, {"status", u.status},
              {"token", u.token}, {"next_message_id", u.next_message_id}};
}

UserRec user_from(const Json& j) {
  UserRec u;
  u.id = j.at("id");
  u.is_bot = j.value("is_bot", false);
  u.first_name = j.value("first_name", "");
  u.last_name = j.value("last_name", "");
  u.username = j.value("username", "");
  u.phone = j.value("phone", "");
  u.login_code = j.value("login_code", "12345");
  u.password = j.value("password", "");
  u.password_hint = j.value("password_hint", "");
  u.is_premium = j.value("is_premium", false);
  u.status = j.value("status", "active");
  u.token = j.value("token", "");
  u.next_message_id = j.value("next_message_id", std::int64_t{1});
  return u;
}

std::string to_hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += kDigits[b >> 4];
    out += kDigits[b & 0xF];
  }
  return out;
}

std::string from_hex(const std::string& hex) {
  auto value = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(value(hex[i]) * 16 + value(hex[i + 1]));
  return out;
}

}  // namespace

Json World::to_json() const {
  Json j;
  j["format"] = 1;
  j["counters"] = Json{{"user", next_user_id}, {"chat", next_chat_num}, {"file", next_file_num}, {"gid", next_gid}, {"token", next_token}};
  j["settings"] = Json{{"rate_limits", settings.rate_limits}, {"download_speed_bytes_per_second", settings.download_speed_bytes_per_second},
                       {"webhook_retry_ms", settings.webhook_retry_ms}, {"code_ttl_seconds", settings.code_ttl_seconds}};
  for (const auto& [id, u] : users) j["users"].push_back(user_json(u));
  for (const auto& [id, b] : bots) {
    Json updates = Json::array();
    for (const auto& u : b.updates) updates.push_back(u.update);
    j["bots"].push_back(Json{{"id", id}, {"next_update_id", b.next_update_id}, {"updates", updates},
                             {"allowed_updates", b.allowed_updates}, {"started_by", Json(b.started_by)},
                             {"commands", b.commands}, {"webhook_url", b.webhook_url}, {"webhook_secret", b.webhook_secret}});
  }
  for (const auto& [id, c] : chats) {
    j["chats"].push_back(Json{{"id", c.id}, {"type", c.type}, {"title", c.title}, {"username", c.username},
                              {"has_protected_content", c.has_protected_content}, {"members", c.members},
                              {"next_message_id", c.next_message_id}});
  }
  for (const auto& [num, f] : files) {
    Json fj{{"num", f.num}, {"kind", f.kind}, {"size", f.size}, {"mime_type", f.mime_type}, {"file_name", f.file_name},
            {"seed", f.seed}, {"width", f.width}, {"height", f.height}, {"duration", f.duration}};
    if (f.data) fj["data_hex"] = to_hex(*f.data);
    j["files"].push_back(std::move(fj));
  }
  for (const auto& [gid, c] : contents) {
    j["contents"].push_back(Json{{"gid", c.gid}, {"kind", c.kind}, {"date", c.date}, {"edit_date", c.edit_date},
                                 {"sender_user_id", c.sender_user_id}, {"sender_chat_id", c.sender_chat_id},
                                 {"text", c.text}, {"entities", c.entities}, {"caption", c.caption},
                                 {"caption_entities", c.caption_entities}, {"files", c.files},
                                 {"media_group_id", c.media_group_id}, {"forward_origin", c.forward_origin},
                                 {"protected_content", c.protected_content}, {"extra", c.extra},
                                 {"reply_markup", c.reply_markup}});
  }
  for (const auto& [key, box] : boxes) {
    Json refs = Json::array();
    for (const auto& r : box.messages) refs.push_back(Json::array({r.id, r.gid}));
    j["boxes"].push_back(Json{{"account", key.first}, {"chat", key.second}, {"messages", refs}, {"last_activity", box.last_activity}});
  }
  for (const auto& [key, events] : outbox) j["outbox"].push_back(Json{{"bot", key.first}, {"chat", key.second}, {"events", events}});
  for (const auto& [token, s] : sessions) j["sessions"].push_back(Json{{"token", token}, {"user_id", s.user_id}, {"valid", s.valid}, {"reason", s.reason}});
  return j;
}

void World::load_json(const Json& j) {
  const Json& counters = j.at("counters");
  next_user_id = counters.at("user");
  next_chat_num = counters.at("chat");
  next_file_num = counters.at("file");
  next_gid = counters.at("gid");
  next_token = counters.at("token");
  const Json s = j.value("settings", Json::object());
  settings.rate_limits = s.value("rate_limits", settings.rate_limits);
  settings.download_speed_bytes_per_second = s.value("download_speed_bytes_per_second", std::uint64_t{0});
  settings.webhook_retry_ms = s.value("webhook_retry_ms", settings.webhook_retry_ms);
  settings.code_ttl_seconds = s.value("code_ttl_seconds", settings.code_ttl_seconds);
  for (const auto& u : j.value("users", Json::array())) {
    UserRec rec = user_from(u);
    if (rec.is_bot) bot_by_token[rec.token] = rec.id;
    users[rec.id] = std::move(rec);
  }
  for (const auto& b : j.value("bots", Json::array())) {
    BotState& bot = bots[b.at("id").get<std::int64_t>()];
    bot.next_update_id = b.value("next_update_id", std::int64_t{1});
    for (const auto& u : b.value("updates", Json::array())) bot.updates.push_back({u.at("update_id"), u});
    bot.allowed_updates = b.value("allowed_updates", Json::array());
    for (const auto& id : b.value("started_by", Json::array())) bot.started_by.insert(id.get<std::int64_t>());
    bot.commands = b.value("commands", Json::array());
    bot.webhook_url = b.value("webhook_url", "");
    bot.webhook_secret = b.value("webhook_secret", "");
  }
  for (const auto& c : j.value("chats", Json::array())) {
    ChatRec rec;
    rec.id = c.at("id");
    rec.type = c.value("type", "group");
    rec.title = c.value("title", "");
    rec.username = c.value("username", "");
    rec.has_protected_content = c.value("has_protected_content", false);
    rec.members = c.value("members", std::vector<std::int64_t>{});
    rec.next_message_id = c.value("next_message_id", std::int64_t{1});
    chats[rec.id] = std::move(rec);
  }
  for (const auto& f : j.value("files", Json::array())) {
    FileRec rec;
    rec.num = f.at("num");
    rec.kind = f.value("kind", "document");
    rec.size = f.value("size", std::uint64_t{0});
    rec.mime_type = f.value("mime_type", "");
    rec.file_name = f.value("file_name", "");
    rec.seed = f.value("seed", std::uint64_t{0});
    rec.width = f.value("width", 0);
    rec.height = f.value("height", 0);
    rec.duration = f.value("duration", 0);
    if (f.contains("data_hex")) rec.data = from_hex(f["data_hex"].get<std::string>());
    files[rec.num] = std::move(rec);
  }
  for (const auto& c : j.value("contents", Json::array())) {
    Content rec;
    rec.gid = c.at("gid");
    rec.kind = c.value("kind", "text");
    rec.date = c.value("date", std::int64_t{0});
    rec.edit_date = c.value("edit_date", std::int64_t{0});
    rec.sender_user_id = c.value("sender_user_id", std::int64_t{0});
    rec.sender_chat_id = c.value("sender_chat_id", std::int64_t{0});
    rec.text = c.value("text", "");
    rec.entities = c.value("entities", Json::array());
    rec.caption = c.value("caption", "");
    rec.caption_entities = c.value("caption_entities", Json::array());
    rec.files = c.value("files", std::vector<std::int64_t>{});
    rec.media_group_id = c.value("media_group_id", "");
    rec.forward_origin = c.value("forward_origin", Json());
    rec.protected_content = c.value("protected_content", false);
    rec.extra = c.value("extra", Json::object());
    rec.reply_markup = c.value("reply_markup", Json());
    contents[rec.gid] = std::move(rec);
  }
  for (const auto& b : j.value("boxes", Json::array())) {
    Box& box = boxes[{b.at("account").get<std::int64_t>(), b.at("chat").get<std::int64_t>()}];
    box.last_activity = b.value("last_activity", std::int64_t{0});
    for (const auto& r : b.at("messages")) box.messages.push_back({r.at(0), r.at(1)});
  }
  for (const auto& o : j.value("outbox", Json::array())) {
    outbox[{o.at("bot").get<std::int64_t>(), o.at("chat").get<std::int64_t>()}] = o.at("events").get<std::vector<Json>>();
  }
  for (const auto& s2 : j.value("sessions", Json::array())) {
    sessions[s2.at("token")] = Session{s2.at("user_id"), s2.value("valid", true), s2.value("reason", "")};
  }
}

}  // namespace fake_world
