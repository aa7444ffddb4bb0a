#include "fakes/tdjson/fake_client.hpp"

#include <sys/stat.h>

#include <fstream>

#include "fakes/tdjson/runtime.hpp"

namespace teltubby::fake_tdjson {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// How often a Ready client asks whether its session is still valid (revoked elsewhere),
// and how often a QR login asks whether the code was scanned.
constexpr auto kPollInterval = std::chrono::milliseconds(200);
constexpr std::int64_t kChunkBytes = 1 << 20;  // one ranged GET, unthrottled

std::string str(const json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}
std::int64_t num(const json& object, const char* key) {
  if (!object.is_object()) return 0;
  auto it = object.find(key);
  if (it == object.end()) return 0;
  if (it->is_number_integer()) return it->get<std::int64_t>();
  // int64 fields travel as strings in TDLib's JSON (td_json_client.h).
  if (it->is_string()) {
    try {
      return std::stoll(it->get<std::string>());
    } catch (...) {
      return 0;
    }
  }
  return 0;
}
bool flag(const json& object, const char* key) {
  if (!object.is_object()) return false;
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

json state(const char* type) { return {{"@type", type}}; }

// connectionStateWaitingForNetwork / connectionStateConnecting / connectionStateReady = ConnectionState;
// updateConnectionState state:ConnectionState = Update;
json connection_update(const char* type) { return {{"@type", "updateConnectionState"}, {"state", state(type)}}; }

std::string safe_name(const std::string& name) {
  std::string out;
  for (char c : name) out.push_back(c == '/' || c == '\\' || c == '\0' ? '_' : c);
  if (out.empty() || out == "." || out == "..") out = "file";
  return out;
}

}  // namespace

FakeClient::FakeClient(int id, std::string server_url) : id_(id), api_(std::move(server_url)) {
  worker_ = std::thread([this] { run(); });
}

FakeClient::~FakeClient() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  closing_ = true;
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
  stop_downloads();
}

void FakeClient::submit(json request) {
  if (str(request, "@type") == "close") closing_ = true;  // stops waits for the network
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(request));
  }
  wake_.notify_all();
}

void FakeClient::run() {
  for (;;) {
    std::optional<json> request;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, kPollInterval, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      if (!queue_.empty()) {
        request = std::move(queue_.front());
        queue_.pop_front();
      }
    }
    // The loop's boundary: malformed input from the caller or the server must become an
    // error answer, never an exception that terminates the host process.
    try {
      if (request) {
        handle(*request);
      } else if (!closed_) {
        tick();
      }
    } catch (const std::exception& error) {
      if (request) reply(*request, td_error(500, std::string("stand-in libtdjson: ") + error.what()));
    }
  }
}

void FakeClient::reply(const json& request, json answer) {
  if (request.contains("@extra")) answer["@extra"] = request["@extra"];
  emit(id_, std::move(answer));
}

void FakeClient::set_state(json new_state) {
  {
    std::lock_guard lock(mutex_);
    state_ = new_state;
  }
  // updateAuthorizationState authorization_state:AuthorizationState = Update;
  emit(id_, {{"@type", "updateAuthorizationState"}, {"authorization_state", std::move(new_state)}});
}

std::string FakeClient::state_type() const {
  std::lock_guard lock(mutex_);
  return str(state_, "@type");
}

template <class Call>
ApiAnswer FakeClient::with_reconnect(Call&& call) {
  auto backoff = std::chrono::milliseconds(50);
  for (;;) {
    ApiAnswer answer = api_.base_url().empty() ? ApiAnswer{} : call();
    if (!answer.network_down()) {
      if (!connection_ready_) {
        connection_ready_ = true;
        emit(id_, connection_update("connectionStateReady"));
      }
      return answer;
    }
    if (closing_) return answer;
    if (connection_ready_) {
      connection_ready_ = false;
      emit(id_, connection_update("connectionStateConnecting"));
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, backoff, [&] { return stopping_; });
    if (stopping_) return answer;
    backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
  }
}

ApiAnswer FakeClient::api_get(const std::string& path) {
  return with_reconnect([&] { return api_.get(path); });
}
ApiAnswer FakeClient::api_post(const std::string& path, const json& body) {
  return with_reconnect([&] { return api_.post(path, body); });
}

std::string FakeClient::account_path(const std::string& rest) const {
  return "/control/account/" + session_ + rest;
}

fs::path FakeClient::session_file() const { return database_directory_ / "fake_tdlib_session.json"; }

void FakeClient::reply_failure(const json& request, const ApiAnswer& answer) {
  reply(request, td_error_for(answer));
  if (answer.unauthorized() && !session_.empty()) lose_authorization("server answered 401");
}

void FakeClient::initialize_once() {
  if (initialized_) return;
  initialized_ = true;
  // What the real library sends first (observed on TDLib 1.8.67):
  // updateOption version, updateOption commit_hash, then the first authorization state.
  // updateOption name:string value:OptionValue = Update; optionValueString value:string = OptionValue;
  emit(id_, {{"@type", "updateOption"}, {"name", "version"},
             {"value", {{"@type", "optionValueString"}, {"value", kFakeTdlibVersion}}}});
  emit(id_, {{"@type", "updateOption"}, {"name", "commit_hash"},
             {"value", {{"@type", "optionValueString"}, {"value", "fake-tdjson"}}}});
  set_state(state("authorizationStateWaitTdlibParameters"));
}

void FakeClient::handle(const json& request) {
  if (closed_) {
    // authorizationStateClosed: "All queries will be responded to with error code 500."
    reply(request, td_error(500, "Request aborted"));
    return;
  }
  initialize_once();
  const std::string type = str(request, "@type");
  if (type == "getOption") {
    // getOption name:string = OptionValue;
    if (str(request, "name") == "version") {
      reply(request, {{"@type", "optionValueString"}, {"value", kFakeTdlibVersion}});
    } else {
      reply(request, {{"@type", "optionValueEmpty"}});
    }
    return;
  }
  if (type == "setOption" || type == "setLogVerbosityLevel" || type == "setLogStream") {
    reply(request, td_ok());
    return;
  }
  if (type == "close") {
    // close = Ok; then authorizationStateClosing, authorizationStateClosed.
    reply(request, td_ok());
    close_now();
    return;
  }
  const std::string current = state_type();
  if (current == "authorizationStateWaitTdlibParameters") {
    if (type == "setTdlibParameters") {
      set_tdlib_parameters(request);
    } else {
      reply(request, td_error(400, "Initialization parameters are needed: call setTdlibParameters first"));
    }
    return;
  }
  if (type == "setTdlibParameters") {
    reply(request, td_error(400, "Unexpected setTdlibParameters"));
    return;
  }
  if (current == "authorizationStateReady") {
    handle_ready(request, type);
    return;
  }
  if (type == "setAuthenticationPhoneNumber") {
    // setAuthenticationPhoneNumber phone_number:string settings:phoneNumberAuthenticationSettings = Ok;
    if (current != "authorizationStateWaitPhoneNumber" && current != "authorizationStateWaitCode" &&
        current != "authorizationStateWaitOtherDeviceConfirmation") {
      reply(request, td_error(400, "Call to setAuthenticationPhoneNumber unexpected"));
      return;
    }
    const std::string phone = str(request, "phone_number");
    auto answer = api_post("/control/account/login/phone", {{"phone", phone}});
    if (!answer.ok()) return reply_failure(request, answer);
    login_id_ = str(answer.body, "login_id");
    reply(request, td_ok());
    // authenticationCodeInfo phone_number:string type:AuthenticationCodeType next_type:AuthenticationCodeType timeout:int32
    // authenticationCodeTypeTelegramMessage length:int32 = AuthenticationCodeType;
    json code_length = num(answer.body, "code_length") > 0 ? num(answer.body, "code_length") : 5;
    set_state({{"@type", "authorizationStateWaitCode"},
               {"code_info",
                {{"@type", "authenticationCodeInfo"},
                 {"phone_number", phone},
                 {"type", {{"@type", "authenticationCodeTypeTelegramMessage"}, {"length", code_length}}},
                 {"next_type", nullptr},
                 {"timeout", 0}}}});
    return;
  }
  if (type == "requestQrCodeAuthentication") {
    // requestQrCodeAuthentication other_user_ids:vector<int53> = Ok;
    // Real TDLib also allows it while waiting for a code or a password (td_api.tl).
    if (current != "authorizationStateWaitPhoneNumber" && current != "authorizationStateWaitOtherDeviceConfirmation" &&
        current != "authorizationStateWaitCode" && current != "authorizationStateWaitPassword") {
      reply(request, td_error(400, "Call to requestQrCodeAuthentication unexpected"));
      return;
    }
    auto answer = api_post("/control/account/login/qr", json::object());
    if (!answer.ok()) return reply_failure(request, answer);
    login_id_ = str(answer.body, "login_id");
    reply(request, td_ok());
    // authorizationStateWaitOtherDeviceConfirmation link:string = AuthorizationState;
    set_state({{"@type", "authorizationStateWaitOtherDeviceConfirmation"}, {"link", str(answer.body, "link")}});
    next_poll_ = std::chrono::steady_clock::now();
    return;
  }
  if (type == "checkAuthenticationCode") {
    // checkAuthenticationCode code:string = Ok;
    if (current != "authorizationStateWaitCode") {
      reply(request, td_error(400, "Call to checkAuthenticationCode unexpected"));
      return;
    }
    auto answer = api_post("/control/account/login/code", {{"login_id", login_id_}, {"code", str(request, "code")}});
    if (!answer.ok()) return reply_failure(request, answer);
    reply(request, td_ok());
    if (flag(answer.body, "password_needed")) {
      // authorizationStateWaitPassword password_hint:string has_recovery_email_address:Bool
      //   has_passport_data:Bool recovery_email_address_pattern:string = AuthorizationState;
      set_state({{"@type", "authorizationStateWaitPassword"}, {"password_hint", str(answer.body, "password_hint")},
                 {"has_recovery_email_address", false}, {"has_passport_data", false},
                 {"recovery_email_address_pattern", ""}});
    } else {
      become_ready(str(answer.body, "session"), answer.body.value("user", json()));
    }
    return;
  }
  if (type == "checkAuthenticationPassword") {
    // checkAuthenticationPassword password:string = Ok;
    if (current != "authorizationStateWaitPassword") {
      reply(request, td_error(400, "Call to checkAuthenticationPassword unexpected"));
      return;
    }
    auto answer =
        api_post("/control/account/login/password", {{"login_id", login_id_}, {"password", str(request, "password")}});
    if (!answer.ok()) return reply_failure(request, answer);
    reply(request, td_ok());
    become_ready(str(answer.body, "session"), answer.body.value("user", json()));
    return;
  }
  if (type == "logOut") {
    reply(request, td_ok());
    close_now();
    return;
  }
  // Any other request before login: TDLib answers 401 Unauthorized.
  reply(request, td_error(401, "Unauthorized"));
}

void FakeClient::set_tdlib_parameters(const json& request) {
  // setTdlibParameters use_test_dc:Bool database_directory:string files_directory:string
  //   database_encryption_key:bytes use_file_database:Bool use_chat_info_database:Bool
  //   use_message_database:Bool use_secret_chats:Bool api_id:int32 api_hash:string
  //   system_language_code:string device_model:string system_version:string application_version:string = Ok;
  if (!request.contains("api_id") || !request["api_id"].is_number_integer() || num(request, "api_id") <= 0) {
    reply(request, td_error(400, "Valid api_id must be provided. Can be obtained at https://my.telegram.org"));
    return;
  }
  if (str(request, "api_hash").empty()) {
    reply(request, td_error(400, "Valid api_hash must be provided. Can be obtained at https://my.telegram.org"));
    return;
  }
  if (str(request, "database_directory").empty()) {
    // Real TDLib falls back to the working directory; the stand-in insists, so that no
    // test ever writes a session into the source tree.
    reply(request, td_error(400, "database_directory must be provided"));
    return;
  }
  if (str(request, "system_language_code").empty() || str(request, "device_model").empty() ||
      str(request, "application_version").empty()) {
    reply(request, td_error(400, "Parameters system_language_code, device_model and application_version must be non-empty"));
    return;
  }
  database_directory_ = str(request, "database_directory");
  files_directory_ = str(request, "files_directory").empty() ? database_directory_ : fs::path(str(request, "files_directory"));
  std::error_code error;
  fs::create_directories(database_directory_, error);
  if (!error) fs::create_directories(files_directory_, error);
  if (error) {
    reply(request, td_error(400, "Can't open database: " + error.message()));
    return;
  }
  reply(request, td_ok());
  // A stored session: TDLib starts Ready without a new login.
  std::ifstream in(session_file());
  json stored = in ? json::parse(in, nullptr, false) : json();
  if (stored.is_object() && !str(stored, "session").empty()) {
    session_ = str(stored, "session");
    me_ = stored.value("user", json());
    my_user_id_ = num(me_, "id");
    auto answer = api_get(account_path("/state"));
    if (answer.ok() && !flag(answer.body, "valid")) {
      lose_authorization(str(answer.body, "reason"));
      return;
    }
    if (answer.ok() && answer.body.contains("user")) me_ = answer.body["user"];
    emit(id_, {{"@type", "updateUser"}, {"user", td_user(me_)}});
    set_state(state("authorizationStateReady"));
    next_poll_ = std::chrono::steady_clock::now() + kPollInterval;
    return;
  }
  set_state(state("authorizationStateWaitPhoneNumber"));
}

void FakeClient::become_ready(const std::string& session, const json& user) {
  session_ = session;
  me_ = user;
  if (!me_.is_object()) {
    auto answer = api_get(account_path("/state"));
    if (answer.ok()) me_ = answer.body.value("user", json());
  }
  my_user_id_ = num(me_, "id");
  {
    // The session is a secret: 0600, like TDLib's database files.
    std::ofstream out(session_file(), std::ios::trunc);
    out << json{{"session", session_}, {"user", me_}}.dump();
  }
  ::chmod(session_file().c_str(), 0600);
  emit(id_, {{"@type", "updateUser"}, {"user", td_user(me_)}});
  set_state(state("authorizationStateReady"));
  next_poll_ = std::chrono::steady_clock::now() + kPollInterval;
}

void FakeClient::lose_authorization(const std::string& why) {
  log_message(2, "fake libtdjson: authorization lost: " + why);
  std::error_code ignored;
  fs::remove(session_file(), ignored);
  session_.clear();
  // Real TDLib on a session terminated elsewhere: authorizationStateLoggingOut, then
  // authorizationStateClosed; a new client is needed to log in again.
  set_state(state("authorizationStateLoggingOut"));
  stop_downloads();
  set_state(state("authorizationStateClosed"));
  closed_ = true;
}

void FakeClient::close_now() {
  set_state(state("authorizationStateClosing"));
  stop_downloads();
  set_state(state("authorizationStateClosed"));
  closed_ = true;
}

void FakeClient::tick() {
  if (std::chrono::steady_clock::now() < next_poll_) return;
  next_poll_ = std::chrono::steady_clock::now() + kPollInterval;
  const std::string current = state_type();
  if (current == "authorizationStateWaitOtherDeviceConfirmation" && !login_id_.empty()) {
    auto answer = api_.get("/control/account/login/qr/" + url_encode(login_id_));
    if (!answer.ok()) return;
    if (!str(answer.body, "session").empty()) {
      become_ready(str(answer.body, "session"), answer.body.value("user", json()));
    } else if (flag(answer.body, "password_needed")) {
      set_state({{"@type", "authorizationStateWaitPassword"}, {"password_hint", str(answer.body, "password_hint")},
                 {"has_recovery_email_address", false}, {"has_passport_data", false},
                 {"recovery_email_address_pattern", ""}});
    }
  } else if (current == "authorizationStateReady" && !session_.empty()) {
    auto answer = api_.get(account_path("/state"));
    if (answer.ok() && !flag(answer.body, "valid")) lose_authorization(str(answer.body, "reason"));
    if (answer.unauthorized()) lose_authorization("server answered 401");
  }
}

json FakeClient::file_for(const json& world_file, const std::string& kind) {
  const std::string unique_id = str(world_file, "unique_id");
  std::lock_guard lock(mutex_);
  auto it = files_.find(unique_id);
  if (it == files_.end()) {
    FileEntry entry;
    entry.id = next_file_id_++;
    entry.world_file = world_file;
    entry.kind = kind;
    const fs::path path = files_directory_ / files_subdirectory(kind) /
                          (unique_id + "_" + safe_name(str(world_file, "file_name")));
    entry.local.path = path.string();
    std::error_code error;
    const auto on_disk = fs::file_size(path, error);
    if (!error) {
      // A partial file from an earlier run: downloads continue from its end.
      entry.local.downloaded_size = static_cast<std::int64_t>(on_disk);
      entry.local.is_downloading_completed = entry.local.downloaded_size >= num(world_file, "size");
    }
    file_ids_[entry.id] = unique_id;
    it = files_.emplace(unique_id, std::move(entry)).first;
  } else {
    it->second.world_file = world_file;
  }
  return td_file(it->second.id, it->second.world_file, it->second.local);
}

json FakeClient::message_for(const json& world_message) {
  const std::string kind = str(world_message, "kind");
  return td_message(world_message, my_user_id_, [&](const json& world_file) { return file_for(world_file, kind); });
}

void FakeClient::emit_file_update(std::int32_t file_id) {
  json file;
  {
    std::lock_guard lock(mutex_);
    auto id_it = file_ids_.find(file_id);
    if (id_it == file_ids_.end()) return;
    const auto& entry = files_.at(id_it->second);
    file = td_file(entry.id, entry.world_file, entry.local);
  }
  // updateFile file:file = Update;
  emit(id_, {{"@type", "updateFile"}, {"file", std::move(file)}});
}

void FakeClient::handle_ready(const json& request, const std::string& type) {
  if (type == "getMe") {
    // getMe = User;
    auto answer = api_get(account_path("/state"));
    if (!answer.ok()) return reply_failure(request, answer);
    if (!flag(answer.body, "valid")) {
      const std::string reason = str(answer.body, "reason");
      reply(request, td_error(401, reason == "deactivated" ? "USER_DEACTIVATED"
                                   : reason == "banned"    ? "USER_DEACTIVATED_BAN"
                                                           : "Unauthorized"));
      lose_authorization(reason);
      return;
    }
    me_ = answer.body.value("user", me_);
    reply(request, td_user(me_));
    return;
  }
  if (type == "searchPublicChat") {
    // searchPublicChat username:string = Chat;
    auto answer = api_get(account_path("/resolve?username=" + url_encode(str(request, "username"))));
    if (!answer.ok()) return reply_failure(request, answer);
    reply(request, td_chat(answer.body));
    return;
  }
  if (type == "createPrivateChat" || type == "getChat") {
    // createPrivateChat user_id:int53 force:Bool = Chat;  getChat chat_id:int53 = Chat;
    const std::int64_t chat_id = num(request, type == "getChat" ? "chat_id" : "user_id");
    auto answer = api_get(account_path("/chat/" + std::to_string(chat_id)));
    if (!answer.ok()) {
      if (answer.http_status == 404 || answer.http_status == 400) {
        reply(request, td_error(400, "Chat not found"));
        return;
      }
      return reply_failure(request, answer);
    }
    reply(request, td_chat(answer.body));
    return;
  }
  if (type == "getChatHistory" || type == "searchChatMessages") {
    // getChatHistory chat_id:int53 from_message_id:int53 offset:int32 limit:int32 only_local:Bool = Messages;
    // searchChatMessages chat_id:int53 topic_id:MessageTopic query:string sender_id:MessageSender
    //   from_message_id:int53 offset:int32 limit:int32 filter:SearchMessagesFilter = FoundChatMessages;
    const std::int64_t limit = num(request, "limit");
    if (limit <= 0 || limit > 100) {
      reply(request, td_error(400, "Parameter limit must be positive"));
      return;
    }
    const bool search = type == "searchChatMessages";
    const std::string filter = str(request.value("filter", json::object()), "@type");
    const std::string query = str(request, "query");
    std::int64_t from = server_message_id(num(request, "from_message_id"));
    json found = json::array();
    std::int64_t next_from = 0;
    // A search scans pages until it has `limit` matches or the history ends.
    for (int page = 0; page < 1000 && static_cast<std::int64_t>(found.size()) < limit; ++page) {
      auto answer = api_get(account_path("/history?chat_id=" + std::to_string(num(request, "chat_id")) +
                                         "&from_message_id=" + std::to_string(from) + "&limit=100"));
      if (!answer.ok()) return reply_failure(request, answer);
      const json messages = answer.body.value("messages", json::array());
      if (messages.empty()) break;
      for (const auto& world_message : messages) {
        from = num(world_message, "id");
        if (search) {
          const std::string text = str(world_message, "text") + str(world_message, "caption");
          if (!kind_matches_filter(str(world_message, "kind"), filter)) continue;
          if (!query.empty() && text.find(query) == std::string::npos) continue;
        }
        found.push_back(message_for(world_message));
        next_from = td_message_id(from);
        if (static_cast<std::int64_t>(found.size()) >= limit) break;
      }
      if (!search) break;  // getChatHistory answers one page, like TDLib may
    }
    if (search) {
      // foundChatMessages total_count:int32 messages:vector<message> next_from_message_id:int53
      reply(request, {{"@type", "foundChatMessages"}, {"total_count", found.size()}, {"messages", found},
                      {"next_from_message_id", static_cast<std::int64_t>(found.size()) >= limit ? next_from : 0}});
    } else {
      // messages total_count:int32 messages:vector<message> = Messages;
      reply(request, {{"@type", "messages"}, {"total_count", found.size()}, {"messages", found}});
    }
    return;
  }
  if (type == "getMessage") {
    // getMessage chat_id:int53 message_id:int53 = Message;
    auto answer = api_get(account_path("/message?chat_id=" + std::to_string(num(request, "chat_id")) +
                                       "&message_id=" + std::to_string(server_message_id(num(request, "message_id")))));
    if (!answer.ok()) return reply_failure(request, answer);
    reply(request, message_for(answer.body));
    return;
  }
  if (type == "sendMessage") {
    // sendMessage chat_id:int53 topic_id:MessageTopic reply_to:InputMessageReplyTo
    //   options:messageSendOptions reply_markup:ReplyMarkup input_message_content:InputMessageContent = Message;
    // inputMessageText text:formattedText link_preview_options:linkPreviewOptions clear_draft:Bool
    const json content = request.value("input_message_content", json::object());
    if (str(content, "@type") != "inputMessageText") {
      reply(request, td_error(400, "The stand-in libtdjson sends only inputMessageText"));
      return;
    }
    const std::string text = str(content.value("text", json::object()), "text");
    if (text.empty()) {
      reply(request, td_error(400, "Message must be non-empty"));
      return;
    }
    auto answer = api_post(account_path("/send"), {{"chat_id", num(request, "chat_id")}, {"text", text}});
    if (!answer.ok()) return reply_failure(request, answer);
    reply(request, message_for(answer.body));
    return;
  }
  if (type == "sendBotStartMessage") {
    // sendBotStartMessage bot_user_id:int53 chat_id:int53 parameter:string = Message;
    // The bot sees "/start" (or "/start <parameter>") from this user, as in Telegram.
    const std::string parameter = str(request, "parameter");
    const std::string text = parameter.empty() ? "/start" : "/start " + parameter;
    auto answer = api_post(account_path("/send"), {{"chat_id", num(request, "chat_id")}, {"text", text}});
    if (!answer.ok()) return reply_failure(request, answer);
    reply(request, message_for(answer.body));
    return;
  }
  if (type == "downloadFile") {
    download(request);
    return;
  }
  if (type == "cancelDownloadFile") {
    // cancelDownloadFile file_id:int32 only_if_pending:Bool = Ok;
    cancel_download(static_cast<std::int32_t>(num(request, "file_id")));
    reply(request, td_ok());
    return;
  }
  if (type == "deleteFile") {
    // deleteFile file_id:int32 = Ok;
    const auto file_id = static_cast<std::int32_t>(num(request, "file_id"));
    cancel_download(file_id);
    {
      std::lock_guard lock(mutex_);
      auto id_it = file_ids_.find(file_id);
      if (id_it == file_ids_.end()) {
        reply(request, td_error(400, "Invalid file identifier"));
        return;
      }
      auto& entry = files_.at(id_it->second);
      std::error_code ignored;
      fs::remove(entry.local.path, ignored);
      entry.local.downloaded_size = 0;
      entry.local.is_downloading_completed = false;
    }
    emit_file_update(file_id);
    reply(request, td_ok());
    return;
  }
  if (type == "logOut") {
    // logOut = Ok; authorizationStateLoggingOut, then authorizationStateClosed.
    reply(request, td_ok());
    api_.post(account_path("/logout"), json::object());
    std::error_code ignored;
    fs::remove(session_file(), ignored);
    session_.clear();
    set_state(state("authorizationStateLoggingOut"));
    stop_downloads();
    set_state(state("authorizationStateClosed"));
    closed_ = true;
    return;
  }
  if (type.starts_with("setAuthentication") || type.starts_with("checkAuthentication") ||
      type == "requestQrCodeAuthentication") {
    reply(request, td_error(400, "Call to " + type + " unexpected"));
    return;
  }
  reply(request, td_error(400, "The stand-in libtdjson does not implement " + type));
}

void FakeClient::download(const json& request) {
  // downloadFile file_id:int32 priority:int32 offset:int53 limit:int53 synchronous:Bool = File;
  const auto file_id = static_cast<std::int32_t>(num(request, "file_id"));
  const std::int64_t priority = num(request, "priority");
  if (priority < 1 || priority > 32) {
    reply(request, td_error(400, "Download priority must be between 1 and 32"));
    return;
  }
  const bool synchronous = flag(request, "synchronous");
  std::shared_ptr<std::atomic<bool>> cancel;
  json now;
  {
    std::lock_guard lock(mutex_);
    auto id_it = file_ids_.find(file_id);
    if (id_it == file_ids_.end()) {
      reply(request, td_error(400, "Invalid file identifier"));
      return;
    }
    auto& entry = files_.at(id_it->second);
    if (entry.local.is_downloading_completed) {
      now = td_file(entry.id, entry.world_file, entry.local);
    } else if (entry.local.is_downloading_active && !synchronous) {
      now = td_file(entry.id, entry.world_file, entry.local);  // already running
    } else {
      if (entry.thread.joinable()) {
        if (entry.cancel) *entry.cancel = true;
        mutex_.unlock();
        entry.thread.join();
        mutex_.lock();
      }
      entry.local.is_downloading_active = true;
      cancel = std::make_shared<std::atomic<bool>>(false);
      entry.cancel = cancel;
      now = td_file(entry.id, entry.world_file, entry.local);
      std::optional<json> sync_request;
      if (synchronous) sync_request = request;
      entry.thread = std::thread([this, file_id, cancel, sync_request] {
        try {
          run_download(file_id, cancel, sync_request);
        } catch (const std::exception& error) {
          if (sync_request) reply(*sync_request, td_error(500, std::string("stand-in libtdjson: ") + error.what()));
        }
      });
    }
  }
  if (!synchronous || !cancel) reply(request, now);
  if (cancel) emit_file_update(file_id);
}

void FakeClient::run_download(std::int32_t file_id, std::shared_ptr<std::atomic<bool>> cancel,
                              std::optional<json> sync_request) {
  json world_file;
  std::string path;
  {
    std::lock_guard lock(mutex_);
    const auto& entry = files_.at(file_ids_.at(file_id));
    world_file = entry.world_file;
    path = entry.local.path;
  }
  const std::int64_t size = num(world_file, "size");
  const std::string unique_id = str(world_file, "unique_id");
  auto finish = [&](std::optional<json> error) {
    {
      std::lock_guard lock(mutex_);
      auto& entry = files_.at(file_ids_.at(file_id));
      entry.local.is_downloading_active = false;
    }
    emit_file_update(file_id);
    if (sync_request) {
      if (error) {
        reply(*sync_request, *error);
      } else {
        std::lock_guard lock(mutex_);
        const auto& entry = files_.at(file_ids_.at(file_id));
        reply(*sync_request, td_file(entry.id, entry.world_file, entry.local));
      }
    }
  };
  std::error_code error;
  fs::create_directories(fs::path(path).parent_path(), error);
  std::int64_t have = static_cast<std::int64_t>(fs::exists(path, error) ? fs::file_size(path, error) : 0);
  std::ofstream out(path, std::ios::binary | std::ios::app);
  if (!out) return finish(td_error(400, "Can't open file for writing"));
  auto limits = api_get(account_path("/limits"));
  const std::int64_t speed = limits.ok() ? num(limits.body, "download_speed_bytes_per_second") : 0;
  // Throttled downloads move in pieces of a tenth of a second, so progress is visible.
  const std::int64_t chunk = speed > 0 ? std::max<std::int64_t>(4096, std::min(kChunkBytes, speed / 10)) : kChunkBytes;
  const auto started = std::chrono::steady_clock::now();
  std::int64_t fetched = 0;
  bool repaired_reference = false;
  while (have < size) {
    if (*cancel || closing_) return finish(td_error(400, "Download has been canceled"));
    const std::int64_t want = std::min(chunk, size - have);
    auto answer = with_reconnect([&] {
      return api_.get_bytes(account_path("/file/" + url_encode(unique_id) + "?offset=" + std::to_string(have) +
                                         "&limit=" + std::to_string(want)));
    });
    if (*cancel || closing_) return finish(td_error(400, "Download has been canceled"));
    if (!answer.ok()) {
      // TDLib repairs an expired file reference once by itself (re-fetching the message).
      if (answer.error_code() == "FILE_REFERENCE_EXPIRED" && !repaired_reference) {
        repaired_reference = true;
        continue;
      }
      // A 401 here is noticed by the client's own session check (tick), not on this thread.
      return finish(td_error_for(answer));
    }
    if (answer.bytes.empty()) continue;  // truncated answer: ask again from where we are
    out.write(answer.bytes.data(), static_cast<std::streamsize>(answer.bytes.size()));
    out.flush();
    have += static_cast<std::int64_t>(answer.bytes.size());
    fetched += static_cast<std::int64_t>(answer.bytes.size());
    {
      std::lock_guard lock(mutex_);
      auto& entry = files_.at(file_ids_.at(file_id));
      entry.local.downloaded_size = have;
      entry.local.is_downloading_completed = have >= size;
    }
    if (have < size) emit_file_update(file_id);
    if (speed > 0) {
      const auto due = started + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                     std::chrono::duration<double>(static_cast<double>(fetched) / static_cast<double>(speed)));
      std::unique_lock lock(mutex_);
      wake_.wait_until(lock, due, [&] { return stopping_ || cancel->load(); });
    }
  }
  {
    std::lock_guard lock(mutex_);
    auto& entry = files_.at(file_ids_.at(file_id));
    entry.local.downloaded_size = have;
    entry.local.is_downloading_completed = true;
  }
  finish(std::nullopt);
}

void FakeClient::cancel_download(std::int32_t file_id) {
  std::thread thread;
  {
    std::lock_guard lock(mutex_);
    auto id_it = file_ids_.find(file_id);
    if (id_it == file_ids_.end()) return;
    auto& entry = files_.at(id_it->second);
    if (entry.cancel) *entry.cancel = true;
    thread = std::move(entry.thread);
  }
  wake_.notify_all();
  if (thread.joinable()) thread.join();
}

void FakeClient::stop_downloads() {
  std::vector<std::int32_t> ids;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, unique_id] : file_ids_) ids.push_back(id);
  }
  for (auto id : ids) cancel_download(id);
}

}  // namespace teltubby::fake_tdjson
