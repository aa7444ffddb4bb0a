#pragma once
// One stand-in TDLib client: the authorization state machine, the requests the worker
// needs, and downloads with updateFile progress. It holds no world state: everything
// comes from the fake-telegram server's account API (docs/fake-world-protocol.md).
#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "fakes/tdjson/account_api.hpp"
#include "fakes/tdjson/td_shapes.hpp"

namespace teltubby::fake_tdjson {

class FakeClient {
 public:
  // `server_url` empty: the variable was not set; every network call then fails like a
  // network that is down (TDLib would wait for it), which tests can observe.
  FakeClient(int id, std::string server_url);
  ~FakeClient();  // stops and joins every thread of this client
  FakeClient(const FakeClient&) = delete;
  FakeClient& operator=(const FakeClient&) = delete;

  void submit(nlohmann::json request);
  [[nodiscard]] bool closed() const { return closed_.load(); }

 private:
  struct FileEntry {
    std::int32_t id = 0;
    nlohmann::json world_file;
    std::string kind;
    LocalFileState local;
    std::shared_ptr<std::atomic<bool>> cancel;  // set while a download runs
    std::thread thread;
  };

  void run();
  void tick();
  void handle(const nlohmann::json& request);
  void handle_ready(const nlohmann::json& request, const std::string& type);
  void reply(const nlohmann::json& request, nlohmann::json answer);
  void set_state(nlohmann::json state);
  [[nodiscard]] std::string state_type() const;

  // Account API with TDLib's patience: a network that is down is waited for
  // (updateConnectionState), unless the client is closing.
  ApiAnswer api_get(const std::string& path);
  ApiAnswer api_post(const std::string& path, const nlohmann::json& body);
  template <class Call>
  ApiAnswer with_reconnect(Call&& call);
  // Replies with the error for a failed call; loses authorization on 401.
  void reply_failure(const nlohmann::json& request, const ApiAnswer& answer);

  void initialize_once();
  void set_tdlib_parameters(const nlohmann::json& request);
  void become_ready(const std::string& session, const nlohmann::json& user);
  void lose_authorization(const std::string& why);
  void close_now();
  void stop_downloads();

  [[nodiscard]] std::string account_path(const std::string& rest) const;
  [[nodiscard]] std::filesystem::path session_file() const;
  nlohmann::json file_for(const nlohmann::json& world_file, const std::string& kind);
  nlohmann::json message_for(const nlohmann::json& world_message);
  void emit_file_update(std::int32_t file_id);
  void download(const nlohmann::json& request);
  void run_download(std::int32_t file_id, std::shared_ptr<std::atomic<bool>> cancel,
                    std::optional<nlohmann::json> sync_request);
  void cancel_download(std::int32_t file_id);

  const int id_;
  AccountApi api_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<nlohmann::json> queue_;
  bool stopping_ = false;
  std::atomic<bool> closing_{false};
  std::atomic<bool> closed_{false};
  bool initialized_ = false;
  nlohmann::json state_;
  std::filesystem::path database_directory_;
  std::filesystem::path files_directory_;
  std::string login_id_;
  std::string session_;
  nlohmann::json me_;
  std::int64_t my_user_id_ = 0;
  std::atomic<bool> connection_ready_{true};
  std::chrono::steady_clock::time_point next_poll_{};
  std::map<std::string, FileEntry> files_;  // by unique_id
  std::map<std::int32_t, std::string> file_ids_;
  std::int32_t next_file_id_ = 1;
  std::thread worker_;
};

}  // namespace teltubby::fake_tdjson
