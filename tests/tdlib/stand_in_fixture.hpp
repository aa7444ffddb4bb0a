#pragma once
// Shared set-up for tests that drive the stand-in libtdjson through the production
// loader and TdClient: a mini account server, a temp database directory, and helpers
// that wait for updates (polling with a deadline, never sleeping blindly).
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "mini_account_server.hpp"
#include "telegram/tdlib/td_client.hpp"
#include "telegram/tdlib/td_json_library.hpp"

namespace teltubby::testing {

using namespace std::chrono_literals;

inline constexpr auto kWait = 10s;

// Everything one client received as updates, in order.
class UpdateLog {
 public:
  void attach(tdlib::TdClient& client) {
    for (const char* type : {"updateAuthorizationState", "updateFile", "updateConnectionState", "updateOption",
                             "updateUser"}) {
      client.on_update(type, [this](const nlohmann::json& update) {
        std::lock_guard lock(mutex_);
        updates_.push_back(update);
        changed_.notify_all();
      });
    }
  }
  std::vector<nlohmann::json> all() const {
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
  std::vector<nlohmann::json> updates_;
};

class StandInTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("TELTUBBY_FAKE_TELEGRAM_URL", server.url().c_str(), 1);
    dir = std::filesystem::temp_directory_path() /
          ("tdjson-test-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    library = std::make_shared<tdlib::TdJsonLibrary>(TELTUBBY_FAKE_TDJSON_PATH);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }

  std::unique_ptr<tdlib::TdClient> new_client(UpdateLog& log) {
    auto client = std::make_unique<tdlib::TdClient>(library);
    log.attach(*client);
    return client;
  }

  // td_api.tl: setTdlibParameters use_test_dc:Bool database_directory:string files_directory:string
  //   database_encryption_key:bytes use_file_database:Bool use_chat_info_database:Bool
  //   use_message_database:Bool use_secret_chats:Bool api_id:int32 api_hash:string
  //   system_language_code:string device_model:string system_version:string application_version:string = Ok;
  nlohmann::json parameters() const {
    return {{"@type", "setTdlibParameters"}, {"use_test_dc", false}, {"database_directory", (dir / "db").string()},
            {"files_directory", (dir / "files").string()}, {"database_encryption_key", ""},
            {"use_file_database", true}, {"use_chat_info_database", true}, {"use_message_database", true},
            {"use_secret_chats", false}, {"api_id", 12345}, {"api_hash", "0123456789abcdef0123456789abcdef"},
            {"system_language_code", "en"}, {"device_model", "teltubby-test"}, {"system_version", "Linux"},
            {"application_version", "0.1"}};
  }

  nlohmann::json ok_call(tdlib::TdClient& client, nlohmann::json request) {
    auto answer = client.call(std::move(request), kWait);
    EXPECT_TRUE(answer.has_value()) << (answer ? "" : answer.error().describe());
    return answer ? *answer : nlohmann::json();
  }

  // Phone login without 2FA, up to authorizationStateReady.
  void log_in(tdlib::TdClient& client) {
    ok_call(client, parameters());
    ASSERT_TRUE(client.wait_for_authorization_state("authorizationStateWaitPhoneNumber", kWait));
    ok_call(client, {{"@type", "setAuthenticationPhoneNumber"}, {"phone_number", "+15550001"}});
    ASSERT_TRUE(client.wait_for_authorization_state("authorizationStateWaitCode", kWait));
    ok_call(client, {{"@type", "checkAuthenticationCode"}, {"code", "12345"}});
    ASSERT_TRUE(client.wait_for_authorization_state("authorizationStateReady", kWait));
  }

  MiniAccountServer server;
  std::filesystem::path dir;
  std::shared_ptr<tdlib::TdJsonLibrary> library;
};

}  // namespace teltubby::testing
