// The account API: the world as a user account sees it, for the stand-in libtdjson.
// Contract and error names: docs/fake-world-protocol.md. Error names are Telegram's
// MTProto error names (PHONE_CODE_INVALID, FLOOD_WAIT, ...), which the stand-in maps
// to td_api `error` objects.
#include <algorithm>

#include "control_api.hpp"
#include "params.hpp"

namespace fake_world {
namespace {

ApiError err(int status, const std::string& code, const std::string& message, int retry_after = 0) {
  return ApiError{status, message, retry_after, code};
}

std::string digits_only(const std::string& phone) {
  std::string out;
  for (const char c : phone) {
    if (c >= '0' && c <= '9') out += c;
  }
  return out;
}

std::int64_t int_or(const Json& p, const std::string& key, std::int64_t fallback) {
  const auto v = params::integer(p, key);
  return v && *v ? **v : fallback;
}

// Fault injection for account calls ("account:<call>").
std::optional<ApiReply> account_fault(World& w, const std::string& call, FileStream* stream) {
  auto fault = w.take_fault("account:" + call);
  if (!fault) return std::nullopt;
  if (fault->kind == "network_down") return control_error(err(503, "NETWORK_DOWN", "network is unreachable"));
  if (fault->kind == "file_reference_expired") return control_error(err(400, "FILE_REFERENCE_EXPIRED", "file reference expired"));
  if (fault->kind == "flood_wait" || fault->kind == "too_many_requests") {
    return control_error(err(420, "FLOOD_WAIT", "FLOOD_WAIT_" + std::to_string(fault->retry_after), fault->retry_after));
  }
  if (fault->kind == "hang") {
    ApiReply reply = control_error(err(504, "TIMEOUT", "timeout"));
    reply.hang_seconds = fault->hang_seconds;
    return reply;
  }
  if (fault->kind == "truncate" && stream != nullptr) {
    stream->truncate_after = fault->truncate_bytes;
    return std::nullopt;
  }
  return control_error(err(fault->status >= 500 ? fault->status : 500, "INTERNAL", "internal server error"));
}

ApiReply start_session(World& w, Login& login) {
  login.session = create_session(w, login.user_id);
  w.touch();
  return control_ok(Json{{"session", login.session}});
}

ApiReply login_phone(World& w, const Json& p) {
  const std::string phone = digits_only(params::text(p, "phone").value_or(""));
  if (phone.empty()) return control_error(err(400, "PHONE_NUMBER_INVALID", "phone number invalid"));
  for (const auto& [id, u] : w.users) {
    if (u.is_bot || digits_only(u.phone) != phone) continue;
    if (u.status == "banned") return control_error(err(400, "PHONE_NUMBER_BANNED", "phone number banned"));
    const std::string login_id = "L" + w.random_token(16);
    Login login;
    login.kind = "phone";
    login.user_id = id;
    login.code_expires = Clock::now() + std::chrono::seconds(w.settings.code_ttl_seconds);
    w.logins[login_id] = login;
    w.touch();
    return control_ok(Json{{"login_id", login_id}, {"code_length", u.login_code.size()}});
  }
  return control_error(err(400, "PHONE_NUMBER_INVALID", "phone number invalid"));
}

ApiReply login_code(World& w, const Json& p) {
  const auto it = w.logins.find(params::text(p, "login_id").value_or(""));
  if (it == w.logins.end() || it->second.kind != "phone") return control_error(err(400, "PHONE_CODE_EXPIRED", "login expired"));
  Login& login = it->second;
  if (login.wrong_attempts >= w.settings.max_wrong_codes) {
    return control_error(err(420, "FLOOD_WAIT", "FLOOD_WAIT_" + std::to_string(w.settings.flood_wait_seconds), w.settings.flood_wait_seconds));
  }
  if (Clock::now() > login.code_expires) return control_error(err(400, "PHONE_CODE_EXPIRED", "phone code expired"));
  const UserRec& u = w.users.at(login.user_id);
  if (params::text(p, "code").value_or("") != u.login_code) {
    ++login.wrong_attempts;
    return control_error(err(400, "PHONE_CODE_INVALID", "phone code invalid"));
  }
  if (!u.password.empty()) {
    login.code_ok = true;
    return control_ok(Json{{"password_needed", true}, {"password_hint", u.password_hint}});
  }
  return start_session(w, login);
}

ApiReply login_password(World& w, const Json& p) {
  const auto it = w.logins.find(params::text(p, "login_id").value_or(""));
  if (it == w.logins.end() || !it->second.code_ok) return control_error(err(400, "PASSWORD_HASH_INVALID", "no password step in progress"));
  Login& login = it->second;
  if (login.wrong_attempts >= w.settings.max_wrong_codes) {
    return control_error(err(420, "FLOOD_WAIT", "FLOOD_WAIT_" + std::to_string(w.settings.flood_wait_seconds), w.settings.flood_wait_seconds));
  }
  if (params::text(p, "password").value_or("") != w.users.at(login.user_id).password) {
    ++login.wrong_attempts;
    return control_error(err(400, "PASSWORD_HASH_INVALID", "password invalid"));
  }
  return start_session(w, login);
}

ApiReply login_qr(World& w) {
  const std::string login_id = "Q" + w.random_token(16);
  Login login;
  login.kind = "qr";
  login.link = "tg://login?token=" + w.random_token(43);
  w.logins[login_id] = login;
  w.touch();
  return control_ok(Json{{"login_id", login_id}, {"link", login.link}});
}

ApiReply qr_status(World& w, const std::string& login_id) {
  const auto it = w.logins.find(login_id);
  if (it == w.logins.end() || it->second.kind != "qr") return control_error(err(400, "AUTH_TOKEN_INVALID", "unknown QR login"));
  const Login& login = it->second;
  if (!login.scanned) return control_ok(Json{{"scanned", false}});
  if (!login.session.empty()) return control_ok(Json{{"scanned", true}, {"session", login.session}});
  const UserRec& u = w.users.at(login.user_id);
  return control_ok(Json{{"scanned", true}, {"password_needed", true}, {"password_hint", u.password_hint}});
}

// Chats the account has messages in or is a member of, newest activity first.
Json account_chats(World& w, std::int64_t account) {
  std::vector<std::pair<std::int64_t, std::int64_t>> found;  // (activity, chat id)
  for (const auto& [key, box] : w.boxes) {
    if (key.first == account) found.emplace_back(box.last_activity, key.second);
  }
  for (const auto& [id, chat] : w.chats) {
    if (!w.is_shared_chat(id) || std::ranges::find(chat.members, account) == chat.members.end()) continue;
    const auto it = w.boxes.find({0, id});
    found.emplace_back(it == w.boxes.end() ? 0 : it->second.last_activity, id);
  }
  std::ranges::sort(found, std::greater<>());
  Json chats = Json::array();
  for (const auto& [activity, id] : found) chats.push_back(w.neutral_chat(account, id));
  return chats;
}

std::expected<std::int64_t, ApiError> visible_chat(World& w, std::int64_t account, const Json& p) {
  const std::int64_t chat_id = int_or(p, "chat_id", 0);
  if (chat_id == 0 || !w.can_see_chat(account, chat_id)) {
    if (chat_id < 0 && w.chat(chat_id) != nullptr && w.chat(chat_id)->type != "group") {
      return std::unexpected(err(400, "CHANNEL_PRIVATE", "channel is private"));
    }
    return std::unexpected(err(400, "PEER_ID_INVALID", "chat not found"));
  }
  return chat_id;
}

bool account_sees_file(World& w, std::int64_t account, std::int64_t file_num) {
  for (const auto& [key, box] : w.boxes) {
    if (key.first != account && !(key.first == 0 && w.can_see_chat(account, key.second))) continue;
    for (const BoxRef& ref : box.messages) {
      const auto& files = w.contents.at(ref.gid).files;
      if (std::ranges::find(files, file_num) != files.end()) return true;
    }
  }
  return false;
}

ApiReply file_bytes(World& w, std::int64_t account, const std::string& unique_id, const ApiRequest& request) {
  FileStream stream;
  if (auto fault = account_fault(w, "file", &stream)) return *fault;
  const auto num = w.file_by_unique_id(unique_id);
  if (!num || !account_sees_file(w, account, *num)) return control_error(err(400, "FILE_ID_INVALID", "file not found"));
  const FileRec& f = w.files.at(*num);
  stream.seed = f.seed;
  stream.data = f.data;
  stream.bytes_per_second = w.settings.download_speed_bytes_per_second;
  ApiReply reply;
  reply.content_type = "application/octet-stream";
  if (!request.range.empty()) {
    const auto span = parse_range(request.range, f.size);
    if (!span) return control_error(err(416, "OFFSET_INVALID", "range not satisfiable"));
    stream.offset = span->first;
    stream.length = span->second;
    reply.status = 206;
    reply.headers.emplace_back("Content-Range", "bytes " + std::to_string(span->first) + "-" +
                                                    std::to_string(span->first + span->second - 1) + "/" + std::to_string(f.size));
  } else {
    const auto offset = params::integer(request.params, "offset");
    const auto limit = params::integer(request.params, "limit");
    if (!offset || !limit || offset->value_or(0) < 0 || limit->value_or(0) < 0) return control_error(err(400, "OFFSET_INVALID", "bad offset or limit"));
    const auto start = static_cast<std::uint64_t>(offset->value_or(0));
    if (start > f.size) return control_error(err(400, "OFFSET_INVALID", "offset beyond the end of the file"));
    const auto wanted = static_cast<std::uint64_t>(limit->value_or(0));  // 0 = to the end
    stream.offset = start;
    stream.length = wanted == 0 ? f.size - start : std::min(wanted, f.size - start);
  }
  reply.headers.emplace_back("X-File-Size", std::to_string(f.size));
  reply.stream = stream;
  return reply;
}

}  // namespace

std::string create_session(World& world, std::int64_t user_id) {
  const std::string token = "S" + world.random_token(31);
  world.sessions[token] = Session{user_id, true, ""};
  return token;
}

ApiReply handle_account(World& w, std::unique_lock<std::mutex>& /*lock*/, const std::string& http_method,
                        const std::vector<std::string>& s, const ApiRequest& request) {
  const Json& p = request.params;
  const bool post = http_method == "POST";
  // s = ["control", "account", ...]
  if (s.size() >= 4 && s[2] == "login") {
    const std::string call = s.size() == 4 ? "login/" + s[3] : "login/qr/status";
    if (auto fault = account_fault(w, call, nullptr)) return *fault;
    if (s.size() == 4 && post && s[3] == "phone") return login_phone(w, p);
    if (s.size() == 4 && post && s[3] == "code") return login_code(w, p);
    if (s.size() == 4 && post && s[3] == "password") return login_password(w, p);
    if (s.size() == 4 && post && s[3] == "qr") return login_qr(w);
    if (s.size() == 5 && s[3] == "qr") return qr_status(w, s[4]);
  }
  if (s.size() < 4) return control_error(err(404, "NOT_FOUND", "no such account call"));
  const std::string& token = s[2];
  const std::string& call = s[3];
  const auto session = w.sessions.find(token);
  if (call == "state") {
    if (session == w.sessions.end()) return control_ok(Json{{"valid", false}, {"reason", "revoked"}});
    if (!session->second.valid) return control_ok(Json{{"valid", false}, {"reason", session->second.reason}});
    return control_ok(Json{{"valid", true}, {"user", w.neutral_user(w.users.at(session->second.user_id))}});
  }
  if (session == w.sessions.end()) return control_error(err(401, "AUTH_KEY_UNREGISTERED", "session unknown"));
  if (!session->second.valid) {
    const std::string& reason = session->second.reason;
    const std::string code = reason == "banned" ? "USER_DEACTIVATED_BAN" : reason == "deactivated" ? "USER_DEACTIVATED" : "SESSION_REVOKED";
    return control_error(err(401, code, "session is no longer valid"));
  }
  const std::int64_t account = session->second.user_id;
  if (call == "file" && s.size() == 5) return file_bytes(w, account, s[4], request);
  if (auto fault = account_fault(w, call, nullptr)) return *fault;
  if (call == "logout" && post) {
    w.sessions.erase(session);
    w.touch();
    return control_ok(Json::object());
  }
  if (call == "chats") return control_ok(Json{{"chats", account_chats(w, account)}});
  if (call == "chat" && s.size() == 5) {
    Json q{{"chat_id", s[4]}};
    auto chat_id = visible_chat(w, account, q);
    if (!chat_id) return control_error(chat_id.error());
    return control_ok(w.neutral_chat(account, *chat_id));
  }
  if (call == "resolve") {
    std::string name = params::text(p, "username").value_or("");
    if (name.starts_with("@")) name.erase(0, 1);
    auto same = [&](const std::string& other) {
      return !other.empty() && std::ranges::equal(other, name, [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); });
    };
    for (const auto& [id, u] : w.users) {
      if (same(u.username)) return control_ok(w.neutral_chat(account, id));
    }
    for (const auto& [id, c] : w.chats) {
      if (same(c.username)) return control_ok(w.neutral_chat(account, id));
    }
    return control_error(err(400, "USERNAME_NOT_OCCUPIED", "username not occupied"));
  }
  if (call == "history") {
    auto chat_id = visible_chat(w, account, p);
    if (!chat_id) return control_error(chat_id.error());
    const std::int64_t from = int_or(p, "from_message_id", 0);
    const auto limit = static_cast<std::size_t>(std::clamp<std::int64_t>(int_or(p, "limit", 100), 1, 100));
    Json messages = Json::array();
    const auto it = w.boxes.find({w.is_shared_chat(*chat_id) ? 0 : account, *chat_id});
    if (it != w.boxes.end()) {
      for (auto ref = it->second.messages.rbegin(); ref != it->second.messages.rend() && messages.size() < limit; ++ref) {
        if (from != 0 && ref->id >= from) continue;
        messages.push_back(w.neutral_message(account, *chat_id, *ref));
      }
    }
    return control_ok(Json{{"messages", messages}});
  }
  if (call == "message") {
    auto chat_id = visible_chat(w, account, p);
    if (!chat_id) return control_error(chat_id.error());
    const BoxRef* ref = w.find_message(account, *chat_id, int_or(p, "message_id", 0));
    if (ref == nullptr) return control_error(err(400, "MESSAGE_ID_INVALID", "message not found"));
    return control_ok(w.neutral_message(account, *chat_id, *ref));
  }
  if (call == "send" && post) {
    auto chat_id = visible_chat(w, account, p);
    if (!chat_id) return control_error(chat_id.error());
    const std::string text = params::text(p, "text").value_or("");
    if (text.empty()) return control_error(err(400, "MESSAGE_EMPTY", "message is empty"));
    if (*chat_id < 0) {
      const ChatRec* c = w.chat(*chat_id);
      if (std::ranges::find(c->members, account) == c->members.end()) return control_error(err(403, "CHAT_WRITE_FORBIDDEN", "not a member"));
    }
    Content c;
    c.kind = "text";
    c.text = text;
    c.sender_user_id = account;
    const auto ids = w.deliver(account, *chat_id, std::move(c));
    return control_ok(w.neutral_message(account, *chat_id, *w.find_message(account, *chat_id, ids.at(account))));
  }
  if (call == "limits") {
    const UserRec& u = w.users.at(account);
    // Telegram's file size limits: 2000 MB, 4000 MB with Premium (https://telegram.org/faq_premium).
    return control_ok(Json{{"max_file_size", u.is_premium ? 4194304000ULL : 2097152000ULL},
                           {"download_speed_bytes_per_second", w.settings.download_speed_bytes_per_second}});
  }
  return control_error(err(404, "NOT_FOUND", "no such account call"));
}

}  // namespace fake_world
