#pragma once
// Shared set-up for tests that drive the stand-in libtdjson through the production
// loader and TdClient against the real fake world (tests/fakes/world/, FakeTelegramServer
// in-process, rate limits off): one world that the Bot API, the control API and the
// stand-in all see. Helpers wait for updates with deadlines, never sleeping blindly.
// Requests are built by small helpers, not giant JSON literals (they took minutes to
// optimise under ASan+UBSan).
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "seeded_bytes.hpp"
#include "server.hpp"
#include "telegram/tdlib/td_client.hpp"
#include "telegram/tdlib/td_json_library.hpp"

namespace teltubby::testing {

using namespace std::chrono_literals;
using Json = nlohmann::json;

inline constexpr auto kWait = 10s;
inline constexpr const char* kWorkerPhone = "+15550001";
inline constexpr const char* kWorkerCode = "12345";

// A plain HTTP answer from the fake world (control API or Bot API).
struct HttpReply {
  int status = 0;
  Json body;
  std::string raw;
};

// Everything one client received as updates, in order.
class UpdateLog {
 public:
  void attach(tdlib::TdClient& client) {
    for (const char* type : {"updateAuthorizationState", "updateFile", "updateConnectionState", "updateOption",
                             "updateUser"}) {
      client.on_update(type, [this](const Json& update) {
        std::lock_guard lock(mutex_);
        updates_.push_back(update);
        changed_.notify_all();
      });
    }
  }
  std::vector<Json> all() const {
    std::lock_guard lock(mutex_);
    return updates_;
  }
  std::vector<std::string> auth_states() const {
    std::vector<std::string> out;
    for (const auto& update : all()) {
      if (update["@type"] == "updateAuthorizationState") out.push_back(update["authorization_state"]["@type"]);
    }
    return out;
  }
  template <class Pred>
  bool wait_for(Pred&& pred, std::chrono::milliseconds timeout = kWait) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] {
      for (const auto& update : updates_) {
        if (pred(update)) return true;
      }
      return false;
    });
  }

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<Json> updates_;
};

// td_api request builders (td_api.tl definitions next to each).
inline Json td(const char* type) {
  Json request = Json::object();
  request["@type"] = type;
  return request;
}
// downloadFile file_id:int32 priority:int32 offset:int53 limit:int53 synchronous:Bool = File;
inline Json download_request(std::int64_t file_id, int priority, bool synchronous) {
  Json request = td("downloadFile");
  request["file_id"] = file_id;
  request["priority"] = priority;
  request["offset"] = 0;
  request["limit"] = 0;
  request["synchronous"] = synchronous;
  return request;
}
// sendMessage chat_id:int53 ... input_message_content:InputMessageContent = Message;
// inputMessageText text:formattedText link_preview_options:linkPreviewOptions clear_draft:Bool
inline Json send_text_request(std::int64_t chat_id, const std::string& text) {
  Json formatted = td("formattedText");
  formatted["text"] = text;
  formatted["entities"] = Json::array();
  Json content = td("inputMessageText");
  content["text"] = formatted;
  Json request = td("sendMessage");
  request["chat_id"] = chat_id;
  request["input_message_content"] = content;
  return request;
}
// getChatHistory chat_id:int53 from_message_id:int53 offset:int32 limit:int32 only_local:Bool = Messages;
inline Json history_request(std::int64_t chat_id) {
  Json request = td("getChatHistory");
  request["chat_id"] = chat_id;
  request["from_message_id"] = 0;
  request["offset"] = 0;
  request["limit"] = 100;
  request["only_local"] = false;
  return request;
}
// getMessage chat_id:int53 message_id:int53 = Message;
inline Json get_message_request(std::int64_t chat_id, std::int64_t message_id) {
  Json request = td("getMessage");
  request["chat_id"] = chat_id;
  request["message_id"] = message_id;
  return request;
}

// The bytes the world serves for a file with `seed`.
inline std::string seeded_bytes(std::uint64_t seed, std::uint64_t size) {
  std::string out;
  fake_world::fill_seeded_bytes(seed, 0, size, out);
  return out;
}

class StandInTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_world::ServerOptions options;
    options.rate_limits = false;
    server = std::make_unique<fake_world::FakeTelegramServer>(options);
    server->start();
    http = std::make_unique<httplib::Client>(server->url());
    http->set_read_timeout(30, 0);
    // Read by the stand-in when a client is created (docs/fake-world-protocol.md).
    ::setenv("TELTUBBY_FAKE_TELEGRAM_URL", server->url().c_str(), 1);
    Json bot_body = Json::object();
    bot_body["username"] = "archiver_bot";
    bot_body["first_name"] = "Archiver";
    const HttpReply bot_reply = control("/control/bots", bot_body);
    bot_token = bot_reply.body.at("token");
    bot_id = bot_reply.body.at("id");
    worker_id = create_user("Worker", "worker", kWorkerPhone);
    dir = std::filesystem::temp_directory_path() /
          ("tdjson-test-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    library = std::make_shared<tdlib::TdJsonLibrary>(TELTUBBY_FAKE_TDJSON_PATH);
  }
  void TearDown() override {
    std::filesystem::remove_all(dir);
    http.reset();
    server->stop();
  }

  static HttpReply to_reply(const httplib::Result& result) {
    if (!result) throw std::runtime_error("HTTP request failed: " + httplib::to_string(result.error()));
    HttpReply reply;
    reply.status = result->status;
    reply.raw = result->body;
    reply.body = Json::parse(result->body, nullptr, false);
    return reply;
  }
  HttpReply control(const std::string& path, const Json& body = Json::object()) {
    return to_reply(http->Post(path, body.dump(), "application/json"));
  }
  HttpReply control_get(const std::string& path) { return to_reply(http->Get(path)); }
  // A Bot API call with a JSON body (core.telegram.org/bots/api#making-requests).
  HttpReply bot(const std::string& method, const Json& params = Json::object()) {
    return to_reply(http->Post("/bot" + bot_token + "/" + method, params.dump(), "application/json"));
  }

  // POST /control/users; returns the user id. Empty phone = a user who never logs in.
  std::int64_t create_user(const std::string& first_name, const std::string& username, const std::string& phone,
                           const std::string& password = "", const std::string& hint = "") {
    Json body = Json::object();
    body["first_name"] = first_name;
    body["username"] = username;
    if (!phone.empty()) {
      body["phone"] = phone;
      body["login_code"] = kWorkerCode;
    }
    if (!password.empty()) {
      body["password"] = password;
      body["password_hint"] = hint;
    }
    const HttpReply reply = control("/control/users", body);
    if (reply.status != 200) throw std::runtime_error("create user failed: " + reply.raw);
    return reply.body.at("id");
  }
  // POST /control/faults for an account call (docs/fake-world-protocol.md, last section).
  void account_fault(const std::string& call, const std::string& kind, int count, int retry_after = 0) {
    Json body = Json::object();
    body["account_call"] = call;
    body["kind"] = kind;
    body["count"] = count;
    if (retry_after > 0) body["retry_after"] = retry_after;
    const HttpReply reply = control("/control/faults", body);
    ASSERT_EQ(reply.status, 200) << reply.raw;
  }
  void set_setting(const std::string& name, std::int64_t value) {
    Json body = Json::object();
    body[name] = value;
    const HttpReply reply = control("/control/settings", body);
    ASSERT_EQ(reply.status, 200) << reply.raw;
  }

  std::unique_ptr<tdlib::TdClient> new_client(UpdateLog& log) {
    auto client = std::make_unique<tdlib::TdClient>(library);
    log.attach(*client);
    return client;
  }

  // td_api.tl: setTdlibParameters use_test_dc:Bool database_directory:string files_directory:string
  //   database_encryption_key:bytes use_file_database:Bool use_chat_info_database:Bool
  //   use_message_database:Bool use_secret_chats:Bool api_id:int32 api_hash:string
  //   system_language_code:string device_model:string system_version:string application_version:string = Ok;
  Json parameters() const {
    Json request = td("setTdlibParameters");
    request["use_test_dc"] = false;
    request["database_directory"] = (dir / "db").string();
    request["files_directory"] = (dir / "files").string();
    request["database_encryption_key"] = "";
    for (const char* flag : {"use_file_database", "use_chat_info_database", "use_message_database"}) {
      request[flag] = true;
    }
    request["use_secret_chats"] = false;
    request["api_id"] = 12345;
    request["api_hash"] = "0123456789abcdef0123456789abcdef";
    request["system_language_code"] = "en";
    request["device_model"] = "teltubby-test";
    request["system_version"] = "Linux";
    request["application_version"] = "0.1";
    return request;
  }

  Json ok_call(tdlib::TdClient& client, Json request) {
    auto answer = client.call(std::move(request), kWait);
    EXPECT_TRUE(answer.has_value()) << (answer ? "" : answer.error().describe());
    return answer ? *answer : Json();
  }

  // setAuthenticationPhoneNumber phone_number:string settings:phoneNumberAuthenticationSettings = Ok;
  void enter_phone(tdlib::TdClient& client, const std::string& phone) {
    Json request = td("setAuthenticationPhoneNumber");
    request["phone_number"] = phone;
    ok_call(client, request);
  }
  // checkAuthenticationCode code:string = Ok;
  Result<Json> check_code(tdlib::TdClient& client, const std::string& code) {
    Json request = td("checkAuthenticationCode");
    request["code"] = code;
    return client.call(request, kWait);
  }
  // checkAuthenticationPassword password:string = Ok;
  Result<Json> check_password(tdlib::TdClient& client, const std::string& password) {
    Json request = td("checkAuthenticationPassword");
    request["password"] = password;
    return client.call(request, kWait);
  }

  // Phone login without 2FA, up to authorizationStateReady.
  void log_in(tdlib::TdClient& client) {
    ok_call(client, parameters());
    ASSERT_TRUE(client.wait_for_authorization_state("authorizationStateWaitPhoneNumber", kWait));
    enter_phone(client, kWorkerPhone);
    ASSERT_TRUE(client.wait_for_authorization_state("authorizationStateWaitCode", kWait));
    ASSERT_TRUE(check_code(client, kWorkerCode).has_value());
    ASSERT_TRUE(client.wait_for_authorization_state("authorizationStateReady", kWait));
  }

  std::unique_ptr<fake_world::FakeTelegramServer> server;
  std::unique_ptr<httplib::Client> http;
  std::string bot_token;
  std::int64_t bot_id = 0;
  std::int64_t worker_id = 0;
  std::filesystem::path dir;
  std::shared_ptr<tdlib::TdJsonLibrary> library;
};

}  // namespace teltubby::testing
