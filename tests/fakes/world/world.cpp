#include "world.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <random>

namespace fake_world {
namespace {

std::string to_hex(std::uint64_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), kDigits[value & 0xF]);
    value >>= 4;
  } while (value != 0);
  return out;
}

std::optional<std::uint64_t> from_hex(const std::string& text) {
  if (text.empty() || text.size() > 16) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : text) {
    const int digit = std::isdigit(static_cast<unsigned char>(c)) != 0 ? c - '0'
                      : (c >= 'a' && c <= 'f')                         ? c - 'a' + 10
                                                                       : -1;
    if (digit < 0) return std::nullopt;
    value = value * 16 + static_cast<std::uint64_t>(digit);
  }
  return value;
}

std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  std::uint64_t x = a * 0x9E3779B97F4A7C15ULL ^ (b + 0x632BE59BD9B4E019ULL);
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto pos = text.find(separator, start);
    parts.push_back(text.substr(start, pos - start));
    if (pos == std::string::npos) break;
    start = pos + 1;
  }
  return parts;
}

std::string lower(std::string s) {
  std::ranges::transform(s, s.begin(), [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  return s;
}

void put_if(Json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}

}  // namespace

World::World(std::uint64_t seed_value) : seed(seed_value) {}

void World::touch() {
  ++version;
  changed.notify_all();
}

std::string World::random_token(std::size_t length) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
  std::string out;
  std::uint64_t state = mix(seed, next_token++);
  for (std::size_t i = 0; i < length; ++i) {
    state = mix(state, i);
    out += kAlphabet[state % 64];
  }
  return out;
}

std::int64_t World::now() const { return static_cast<std::int64_t>(std::time(nullptr)); }

const UserRec* World::user(std::int64_t id) const {
  const auto it = users.find(id);
  return it == users.end() ? nullptr : &it->second;
}

const ChatRec* World::chat(std::int64_t id) const {
  const auto it = chats.find(id);
  return it == chats.end() ? nullptr : &it->second;
}

bool World::is_shared_chat(std::int64_t chat_id) const {
  const ChatRec* c = chat(chat_id);
  return c != nullptr && (c->type == "supergroup" || c->type == "channel");
}

Box& World::box(std::int64_t account, std::int64_t chat_id) {
  return boxes[{is_shared_chat(chat_id) ? 0 : account, chat_id}];
}

const BoxRef* World::find_message(std::int64_t account, std::int64_t chat_id, std::int64_t message_id) {
  const auto it = boxes.find({is_shared_chat(chat_id) ? 0 : account, chat_id});
  if (it == boxes.end()) return nullptr;
  for (const BoxRef& ref : it->second.messages) {
    if (ref.id == message_id) return &ref;
  }
  return nullptr;
}

bool World::can_see_chat(std::int64_t account, std::int64_t chat_id) const {
  if (chat_id > 0) return user(chat_id) != nullptr && chat_id != account;
  const ChatRec* c = chat(chat_id);
  if (c == nullptr) return false;
  if (std::ranges::find(c->members, account) != c->members.end()) return true;
  return c->type != "group" && !c->username.empty();  // public supergroups and channels
}

std::int64_t World::add_file(FileRec file) {
  file.num = next_file_num++;
  if (file.seed == 0) file.seed = mix(seed, static_cast<std::uint64_t>(file.num));
  const std::int64_t num = file.num;
  files[num] = std::move(file);
  return num;
}

std::map<std::int64_t, std::int64_t> World::deliver(std::int64_t sender, std::int64_t chat_id, Content content) {
  std::map<std::int64_t, std::int64_t> ids;
  content.gid = next_gid++;
  if (content.date == 0) content.date = now();
  const std::int64_t gid = content.gid;
  contents[gid] = std::move(content);
  const std::int64_t stamp = now();
  auto add = [&](std::int64_t account, std::int64_t view_chat, std::int64_t id) {
    Box& b = box(account, view_chat);
    if (!is_shared_chat(view_chat) || b.messages.empty() || b.messages.back().gid != gid) b.messages.push_back({id, gid});
    b.last_activity = stamp;
    ids[account] = id;
  };
  if (chat_id > 0) {
    const std::int64_t peer = chat_id;
    add(sender, peer, users[sender].next_message_id++);
    add(peer, sender, users[peer].next_message_id++);
    if (users[peer].is_bot && !users[sender].is_bot) {
      bots[peer].started_by.insert(sender);
      queue_update(peer, "message", bot_message_json(peer, sender, {ids[peer], gid}));
    }
  } else {
    ChatRec& c = chats[chat_id];
    const bool shared = c.type != "group";
    const std::int64_t shared_id = shared ? c.next_message_id++ : 0;
    for (const std::int64_t member : c.members) {
      add(member, chat_id, shared ? shared_id : users[member].next_message_id++);
    }
    if (shared && c.members.empty()) add(0, chat_id, shared_id);
    if (shared && !ids.contains(sender)) ids[sender] = shared_id;
    for (const std::int64_t member : c.members) {
      if (member == sender || !users[member].is_bot) continue;
      queue_update(member, c.type == "channel" ? "channel_post" : "message",
                   bot_message_json(member, chat_id, {ids[member], gid}));
    }
  }
  touch();
  return ids;
}

void World::queue_update(std::int64_t bot_id, const std::string& type, Json payload) {
  BotState& bot = bots[bot_id];
  if (!bot.allowed_updates.empty() &&
      std::ranges::find(bot.allowed_updates, Json(type)) == bot.allowed_updates.end()) {
    return;  // https://core.telegram.org/bots/api#getupdates allowed_updates
  }
  const std::int64_t id = bot.next_update_id++;
  bot.updates.push_back({id, Json{{"update_id", id}, {type, std::move(payload)}}});
  touch();
}

void World::record_outbox(std::int64_t bot_id, std::int64_t chat_id, Json event) {
  auto& events = outbox[{bot_id, chat_id}];
  event["seq"] = events.size() + 1;
  event["at"] = now();
  // Milliseconds since the epoch (system clock): lets a benchmark on the same machine
  // time the bot's answers to the millisecond; `at` keeps Telegram's whole seconds.
  event["at_ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  events.push_back(std::move(event));
  touch();
}

std::optional<Fault> World::take_fault(const std::string& target) {
  const std::string wanted = lower(target);
  for (auto it = faults.begin(); it != faults.end(); ++it) {
    if (lower(it->target) != wanted) continue;
    Fault copy = *it;
    if (--it->remaining <= 0) faults.erase(it);
    touch();
    return copy;
  }
  return std::nullopt;
}

std::string World::file_id_for(std::int64_t bot_id, std::int64_t file_num) {
  const auto b = static_cast<std::uint64_t>(bot_id);
  const auto f = static_cast<std::uint64_t>(file_num);
  return "FW" + to_hex(b) + "x" + to_hex(f) + "x" + to_hex(mix(b, f) & 0xFFFFFF);
}

std::optional<std::pair<std::int64_t, std::int64_t>> World::parse_file_id(const std::string& file_id) {
  if (!file_id.starts_with("FW")) return std::nullopt;
  const auto parts = split(file_id.substr(2), 'x');
  if (parts.size() != 3) return std::nullopt;
  const auto b = from_hex(parts[0]);
  const auto f = from_hex(parts[1]);
  const auto check = from_hex(parts[2]);
  if (!b || !f || !check || *check != (mix(*b, *f) & 0xFFFFFF)) return std::nullopt;
  return std::pair{static_cast<std::int64_t>(*b), static_cast<std::int64_t>(*f)};
}

std::string World::unique_id_for(std::int64_t file_num) { return "AQAD" + to_hex(static_cast<std::uint64_t>(file_num)); }

std::string World::remote_id_for(std::int64_t file_num) {
  const auto f = static_cast<std::uint64_t>(file_num);
  return "RMTE" + to_hex(f) + "x" + to_hex(mix(f, 77) & 0xFFFFFFFF);
}

std::optional<std::int64_t> World::file_by_unique_id(const std::string& unique_id) const {
  if (!unique_id.starts_with("AQAD")) return std::nullopt;
  const auto num = from_hex(unique_id.substr(4));
  if (!num || !files.contains(static_cast<std::int64_t>(*num))) return std::nullopt;
  return static_cast<std::int64_t>(*num);
}

std::string World::file_path_for(const FileRec& file) {
  std::string folder = "documents";
  std::string extension;
  if (file.kind == "photo") { folder = "photos"; extension = ".jpg"; }
  else if (file.kind == "video") { folder = "videos"; extension = ".mp4"; }
  else if (file.kind == "audio") { folder = "music"; extension = ".mp3"; }
  else if (file.kind == "voice") { folder = "voice"; extension = ".oga"; }
  else if (file.kind == "video_note") { folder = "video_notes"; extension = ".mp4"; }
  else if (file.kind == "animation") { folder = "animations"; extension = ".mp4"; }
  else if (file.kind == "sticker") {
    folder = "stickers";
    extension = file.mime_type == "application/x-tgsticker" ? ".tgs" : file.mime_type == "video/webm" ? ".webm" : ".webp";
  } else {
    const auto dot = file.file_name.rfind('.');
    if (dot != std::string::npos) extension = file.file_name.substr(dot);
  }
  return folder + "/file_" + std::to_string(file.num) + extension;
}

// ------------------------------------------------------------ Bot API views

Json World::bot_user_json(const UserRec& u) const {
  // https://core.telegram.org/bots/api#user
  Json j{{"id", u.id}, {"is_bot", u.is_bot}, {"first_name", u.first_name}};
  put_if(j, "last_name", u.last_name);
  put_if(j, "username", u.username);
  if (u.is_premium) j["is_premium"] = true;
  return j;
}

Json World::bot_chat_json(std::int64_t /*viewer*/, std::int64_t chat_id) const {
  // https://core.telegram.org/bots/api#chat
  if (chat_id > 0) {
    const UserRec* u = user(chat_id);
    Json j{{"id", chat_id}, {"type", "private"}};
    if (u != nullptr) {
      j["first_name"] = u->first_name;
      put_if(j, "last_name", u->last_name);
      put_if(j, "username", u->username);
    }
    return j;
  }
  const ChatRec* c = chat(chat_id);
  if (c == nullptr) return Json{{"id", chat_id}, {"type", "channel"}, {"title", "Channel " + std::to_string(chat_id)}};
  Json j{{"id", c->id}, {"type", c->type}, {"title", c->title}};
  put_if(j, "username", c->username);
  return j;
}

Json World::bot_file_fields(std::int64_t bot_id, const FileRec& f) const {
  return Json{{"file_id", file_id_for(bot_id, f.num)}, {"file_unique_id", unique_id_for(f.num)}, {"file_size", f.size}};
}

Json World::bot_origin_json(const Json& o) const {
  // https://core.telegram.org/bots/api#messageorigin
  const std::string type = o.value("type", "user");
  Json j{{"type", type}, {"date", o.value("date", std::int64_t{0})}};
  auto origin_chat = [&](std::int64_t id) {
    Json c = bot_chat_json(0, id);
    if (!chat(id)) {
      if (o.contains("chat_title")) c["title"] = o["chat_title"];
      if (o.contains("chat_type")) c["type"] = o["chat_type"];
      if (o.contains("chat_username") && !o["chat_username"].get<std::string>().empty()) c["username"] = o["chat_username"];
    }
    return c;
  };
  if (type == "user") {
    const UserRec* u = user(o.value("sender_user_id", std::int64_t{0}));
    j["sender_user"] = u ? bot_user_json(*u) : Json{{"id", o.value("sender_user_id", 0)}, {"is_bot", false}, {"first_name", "Deleted Account"}};
  } else if (type == "hidden_user") {
    j["sender_user_name"] = o.value("sender_user_name", "");
  } else if (type == "chat") {
    j["sender_chat"] = origin_chat(o.value("sender_chat_id", std::int64_t{0}));
    if (o.contains("author_signature")) j["author_signature"] = o["author_signature"];
  } else {
    j["chat"] = origin_chat(o.value("chat_id", std::int64_t{0}));
    j["message_id"] = o.value("message_id", 0);
    if (o.contains("author_signature")) j["author_signature"] = o["author_signature"];
  }
  return j;
}

Json World::bot_message_json(std::int64_t bot_id, std::int64_t chat_id, const BoxRef& ref) const {
  // https://core.telegram.org/bots/api#message
  const Content& c = contents.at(ref.gid);
  Json m{{"message_id", ref.id}, {"date", c.date}, {"chat", bot_chat_json(bot_id, chat_id)}};
  const ChatRec* ch = chat(chat_id);
  if (ch != nullptr && ch->type == "channel") {
    m["sender_chat"] = bot_chat_json(bot_id, chat_id);
  } else if (const UserRec* from = user(c.sender_user_id)) {
    m["from"] = bot_user_json(*from);
    if (c.sender_chat_id != 0) m["sender_chat"] = bot_chat_json(bot_id, c.sender_chat_id);
  }
  if (c.edit_date != 0) m["edit_date"] = c.edit_date;
  if (!c.forward_origin.is_null()) m["forward_origin"] = bot_origin_json(c.forward_origin);
  if (c.protected_content) m["has_protected_content"] = true;
  if (!c.media_group_id.empty()) m["media_group_id"] = c.media_group_id;
  if (c.kind == "text") {
    m["text"] = c.text;
    if (!c.entities.empty()) m["entities"] = c.entities;
  }
  if (!c.caption.empty()) {
    m["caption"] = c.caption;
    if (!c.caption_entities.empty()) m["caption_entities"] = c.caption_entities;
  }
  auto file = [&](std::size_t index) -> const FileRec& { return files.at(c.files.at(index)); };
  if (c.kind == "photo") {
    Json sizes = Json::array();
    for (const std::int64_t num : c.files) {
      const FileRec& f = files.at(num);
      Json s = bot_file_fields(bot_id, f);
      s["width"] = f.width;
      s["height"] = f.height;
      sizes.push_back(std::move(s));
    }
    m["photo"] = sizes;
  } else if (c.kind == "video" || c.kind == "animation") {
    const FileRec& f = file(0);
    Json v = bot_file_fields(bot_id, f);
    v["width"] = f.width; v["height"] = f.height; v["duration"] = f.duration;
    put_if(v, "file_name", f.file_name);
    put_if(v, "mime_type", f.mime_type);
    m[c.kind] = v;
    if (c.kind == "animation") m["document"] = v;  // documented: "for backward compatibility ... the document field will also be set"
  } else if (c.kind == "document") {
    const FileRec& f = file(0);
    Json d = bot_file_fields(bot_id, f);
    put_if(d, "file_name", f.file_name);
    put_if(d, "mime_type", f.mime_type);
    m["document"] = d;
  } else if (c.kind == "audio") {
    const FileRec& f = file(0);
    Json a = bot_file_fields(bot_id, f);
    a["duration"] = f.duration;
    put_if(a, "file_name", f.file_name);
    put_if(a, "mime_type", f.mime_type);
    if (c.extra.contains("performer")) a["performer"] = c.extra["performer"];
    if (c.extra.contains("title")) a["title"] = c.extra["title"];
    m["audio"] = a;
  } else if (c.kind == "voice") {
    const FileRec& f = file(0);
    Json v = bot_file_fields(bot_id, f);
    v["duration"] = f.duration;
    put_if(v, "mime_type", f.mime_type);
    m["voice"] = v;
  } else if (c.kind == "video_note") {
    const FileRec& f = file(0);
    Json v = bot_file_fields(bot_id, f);
    v["length"] = f.width;
    v["duration"] = f.duration;
    m["video_note"] = v;
  } else if (c.kind.starts_with("sticker_")) {
    const FileRec& f = file(0);
    Json s = bot_file_fields(bot_id, f);
    s["type"] = "regular";
    s["width"] = f.width;
    s["height"] = f.height;
    s["is_animated"] = c.kind == "sticker_animated";
    s["is_video"] = c.kind == "sticker_video";
    if (c.extra.contains("emoji")) s["emoji"] = c.extra["emoji"];
    if (c.extra.contains("set_name")) s["set_name"] = c.extra["set_name"];
    m["sticker"] = s;
  } else if (c.kind == "location") {
    m["location"] = Json{{"latitude", c.extra.value("latitude", 0.0)}, {"longitude", c.extra.value("longitude", 0.0)}};
  } else if (c.kind == "contact") {
    Json k{{"phone_number", c.extra.value("phone_number", "")}, {"first_name", c.extra.value("first_name", "")}};
    if (c.extra.contains("last_name")) k["last_name"] = c.extra["last_name"];
    if (c.extra.contains("user_id")) k["user_id"] = c.extra["user_id"];
    m["contact"] = k;
  } else if (c.kind == "poll") {
    Json options = Json::array();
    for (const auto& o : c.extra.value("options", Json::array())) options.push_back(Json{{"text", o}, {"voter_count", 0}});
    m["poll"] = Json{{"id", std::to_string(c.gid)}, {"question", c.extra.value("question", "")}, {"options", options},
                     {"total_voter_count", 0}, {"is_closed", false}, {"is_anonymous", c.extra.value("is_anonymous", true)},
                     {"type", c.extra.value("type", "regular")},
                     {"allows_multiple_answers", c.extra.value("allows_multiple_answers", false)}};
  }
  if (!c.reply_markup.is_null()) m["reply_markup"] = c.reply_markup;
  return m;
}

// ------------------------------------------------------------ neutral views

Json World::neutral_user(const UserRec& u) const {
  return Json{{"id", u.id}, {"is_bot", u.is_bot}, {"first_name", u.first_name}, {"last_name", u.last_name},
              {"username", u.username}, {"phone", u.phone}, {"is_premium", u.is_premium}};
}

Json World::neutral_chat(std::int64_t /*viewer*/, std::int64_t chat_id) const {
  if (chat_id > 0) {
    const UserRec* u = user(chat_id);
    std::string title = u ? u->first_name : "";
    if (u && !u->last_name.empty()) title += " " + u->last_name;
    return Json{{"id", chat_id}, {"type", "private"}, {"title", title}, {"username", u ? u->username : ""},
                {"has_protected_content", false}};
  }
  const ChatRec* c = chat(chat_id);
  if (c == nullptr) return Json{{"id", chat_id}, {"type", "channel"}, {"title", ""}, {"username", ""}, {"has_protected_content", false}};
  return Json{{"id", c->id}, {"type", c->type}, {"title", c->title}, {"username", c->username},
              {"has_protected_content", c->has_protected_content}};
}

Json World::neutral_file(const FileRec& f) const {
  return Json{{"unique_id", unique_id_for(f.num)}, {"remote_id", remote_id_for(f.num)}, {"size", f.size},
              {"mime_type", f.mime_type}, {"file_name", f.file_name}, {"seed", f.seed}, {"width", f.width},
              {"height", f.height}, {"duration", f.duration}, {"kind", f.kind}};
}

Json World::neutral_message(std::int64_t viewer, std::int64_t chat_id, const BoxRef& ref) const {
  const Content& c = contents.at(ref.gid);
  Json files_json = Json::array();
  for (const std::int64_t num : c.files) files_json.push_back(neutral_file(files.at(num)));
  (void)viewer;
  return Json{{"id", ref.id}, {"chat_id", chat_id}, {"date", c.date}, {"edit_date", c.edit_date},
              {"sender_user_id", c.sender_user_id}, {"sender_chat_id", c.sender_chat_id}, {"kind", c.kind},
              {"caption", c.caption}, {"caption_entities", c.caption_entities}, {"text", c.text},
              {"entities", c.entities}, {"media_group_id", c.media_group_id}, {"forward_origin", c.forward_origin},
              {"has_protected_content", c.protected_content}, {"files", files_json}, {"extra", c.extra}};
}

}  // namespace fake_world
