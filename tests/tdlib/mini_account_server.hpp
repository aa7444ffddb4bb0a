#pragma once
// A minimal in-test implementation of the fake world's account API
// (docs/fake-world-protocol.md) on cpp-httplib 0.11 (regex routes), so the stand-in libtdjson can be tested before and
// independently of the full fake-telegram server (tests/fakes/world/). It implements
// exactly the documented calls the stand-in uses, plus knobs for the control calls
// (scan a QR code, revoke a session, download speed, faults).
#include <httplib.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace teltubby::testing {

// Deterministic file bytes: byte i of a file with seed s.
inline char file_byte(std::uint64_t seed, std::uint64_t index) {
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ULL + index / 8;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 29;
  return static_cast<char>((x >> ((index % 8) * 8)) & 0xff);
}

class MiniAccountServer {
 public:
  struct Account {
    std::int64_t user_id = 0;
    std::string phone;
    std::string code = "12345";
    std::string password;  // "" = no 2FA
    std::string hint;
  };

  MiniAccountServer() {
    me_ = {{"id", 777}, {"is_bot", false}, {"first_name", "Worker"}, {"last_name", "Account"},
           {"username", "worker"}, {"phone", "+15550001"}, {"is_premium", false}};
    account_ = {777, "+15550001", "12345", "", ""};
    routes();
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // bind_to_any_port already listens: early connections wait in the backlog.
  }
  ~MiniAccountServer() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }

  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  void set_password(std::string password, std::string hint) {
    std::lock_guard lock(mutex_);
    account_.password = std::move(password);
    account_.hint = std::move(hint);
  }
  void set_speed(std::int64_t bytes_per_second) { speed_ = bytes_per_second; }
  // The next N calls whose path contains `path_part` fail with `status` and `error`.
  void fail_next(std::string path_part, int count, int status, std::string error, int retry_after = 0) {
    std::lock_guard lock(mutex_);
    faults_.push_back({std::move(path_part), count, status, std::move(error), retry_after});
  }
  // Control call: the logged-in phone scans QR login `login_id`.
  void scan_qr() {
    std::lock_guard lock(mutex_);
    qr_scanned_ = true;
  }
  void revoke(std::string reason) {
    std::lock_guard lock(mutex_);
    revoked_reason_ = std::move(reason);
  }
  [[nodiscard]] int file_requests() const { return file_requests_.load(); }
  [[nodiscard]] std::vector<std::string> sent_texts() const {
    std::lock_guard lock(mutex_);
    return sent_;
  }

  void add_message(nlohmann::json message) {
    std::lock_guard lock(mutex_);
    messages_.push_back(std::move(message));
  }
  // Edits the last added message.
  template <class Fn>
  void at_back(Fn&& edit) {
    std::lock_guard lock(mutex_);
    edit(messages_.back());
  }
  void add_chat(nlohmann::json chat) {
    std::lock_guard lock(mutex_);
    const auto id = chat["id"].get<std::int64_t>();  // before the move below
    chats_[id] = std::move(chat);
  }

 private:
  struct Fault {
    std::string path_part;
    int count;
    int status;
    std::string error;
    int retry_after;
  };

  static void json_reply(httplib::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
  }
  static void error_reply(httplib::Response& res, int status, const std::string& code, int retry_after = 0) {
    nlohmann::json body{{"error", code}, {"message", code}};
    if (retry_after > 0) body["retry_after"] = retry_after;
    json_reply(res, status, body);
  }

  // True when a fault was injected for this request (the reply is already set).
  bool faulted(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex_);
    for (auto& fault : faults_) {
      if (fault.count > 0 && req.path.find(fault.path_part) != std::string::npos) {
        --fault.count;
        error_reply(res, fault.status, fault.error, fault.retry_after);
        return true;
      }
    }
    return false;
  }

  bool session_ok(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex_);
    if (req.matches[1].str() != session_ || session_.empty()) {
      error_reply(res, 401, "AUTH_KEY_UNREGISTERED");
      return false;
    }
    return true;
  }

  void routes() {
    server_.Post("/control/account/login/phone", [this](const httplib::Request& req, httplib::Response& res) {
      if (faulted(req, res)) return;
      auto body = nlohmann::json::parse(req.body, nullptr, false);
      std::lock_guard lock(mutex_);
      if (!body.is_object() || body.value("phone", "") != account_.phone) {
        return error_reply(res, 400, "PHONE_NUMBER_INVALID");
      }
      json_reply(res, 200, {{"login_id", "L1"}, {"code_length", 5}});
    });
    server_.Post("/control/account/login/code", [this](const httplib::Request& req, httplib::Response& res) {
      if (faulted(req, res)) return;
      auto body = nlohmann::json::parse(req.body, nullptr, false);
      std::lock_guard lock(mutex_);
      if (!body.is_object() || body.value("code", "") != account_.code) return error_reply(res, 400, "PHONE_CODE_INVALID");
      if (!account_.password.empty()) return json_reply(res, 200, {{"password_needed", true}, {"password_hint", account_.hint}});
      session_ = "S" + std::to_string(++sessions_);
      revoked_reason_.clear();
      json_reply(res, 200, {{"session", session_}});
    });
    server_.Post("/control/account/login/password", [this](const httplib::Request& req, httplib::Response& res) {
      if (faulted(req, res)) return;
      auto body = nlohmann::json::parse(req.body, nullptr, false);
      std::lock_guard lock(mutex_);
      if (!body.is_object() || body.value("password", "") != account_.password) {
        return error_reply(res, 400, "PASSWORD_HASH_INVALID");
      }
      session_ = "S" + std::to_string(++sessions_);
      revoked_reason_.clear();
      json_reply(res, 200, {{"session", session_}});
    });
    server_.Post("/control/account/login/qr", [this](const httplib::Request& req, httplib::Response& res) {
      if (faulted(req, res)) return;
      std::lock_guard lock(mutex_);
      qr_scanned_ = false;
      json_reply(res, 200, {{"login_id", "Q1"}, {"link", "tg://login?token=ZmFrZS1xcg"}});
    });
    server_.Get(R"(/control/account/login/qr/([^/]+))", [this](const httplib::Request&, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      if (!qr_scanned_) return json_reply(res, 200, {{"scanned", false}});
      if (!account_.password.empty()) return json_reply(res, 200, {{"password_needed", true}, {"password_hint", account_.hint}});
      session_ = "S" + std::to_string(++sessions_);
      revoked_reason_.clear();
      json_reply(res, 200, {{"session", session_}});
    });
    server_.Get(R"(/control/account/([^/]+)/state)", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      if (req.matches[1].str() != session_) return json_reply(res, 200, {{"valid", false}, {"reason", "revoked"}});
      if (!revoked_reason_.empty()) return json_reply(res, 200, {{"valid", false}, {"reason", revoked_reason_}});
      json_reply(res, 200, {{"valid", true}, {"user", me_}});
    });
    server_.Post(R"(/control/account/([^/]+)/logout)", [this](const httplib::Request& req, httplib::Response& res) {
      if (!session_ok(req, res)) return;
      std::lock_guard lock(mutex_);
      session_.clear();
      json_reply(res, 200, nlohmann::json::object());
    });
    server_.Get(R"(/control/account/([^/]+)/resolve)", [this](const httplib::Request& req, httplib::Response& res) {
      if (!session_ok(req, res)) return;
      std::lock_guard lock(mutex_);
      for (const auto& [id, chat] : chats_) {
        if (chat.value("username", "") == req.get_param_value("username")) return json_reply(res, 200, chat);
      }
      error_reply(res, 400, "USERNAME_NOT_OCCUPIED");
    });
    server_.Get(R"(/control/account/([^/]+)/chat/(-?[0-9]+))", [this](const httplib::Request& req, httplib::Response& res) {
      if (!session_ok(req, res)) return;
      std::lock_guard lock(mutex_);
      auto it = chats_.find(std::stoll(req.matches[2].str()));
      if (it == chats_.end()) return error_reply(res, 400, "CHAT_ID_INVALID");
      json_reply(res, 200, it->second);
    });
    server_.Get(R"(/control/account/([^/]+)/history)", [this](const httplib::Request& req, httplib::Response& res) {
      if (faulted(req, res) || !session_ok(req, res)) return;
      const auto chat_id = std::stoll(req.get_param_value("chat_id"));
      auto from = std::stoll(req.get_param_value("from_message_id"));
      const auto limit = std::stoll(req.get_param_value("limit"));
      std::lock_guard lock(mutex_);
      nlohmann::json out = nlohmann::json::array();
      for (auto it = messages_.rbegin(); it != messages_.rend() && static_cast<std::int64_t>(out.size()) < limit; ++it) {
        if ((*it)["chat_id"] != chat_id) continue;
        if (from != 0 && (*it)["id"].get<std::int64_t>() >= from) continue;
        out.push_back(*it);
      }
      json_reply(res, 200, {{"messages", out}});
    });
    server_.Get(R"(/control/account/([^/]+)/message)", [this](const httplib::Request& req, httplib::Response& res) {
      if (!session_ok(req, res)) return;
      const auto chat_id = std::stoll(req.get_param_value("chat_id"));
      const auto id = std::stoll(req.get_param_value("message_id"));
      std::lock_guard lock(mutex_);
      for (const auto& message : messages_) {
        if (message["chat_id"] == chat_id && message["id"] == id) return json_reply(res, 200, message);
      }
      error_reply(res, 400, "MESSAGE_ID_INVALID");
    });
    server_.Post(R"(/control/account/([^/]+)/send)", [this](const httplib::Request& req, httplib::Response& res) {
      if (!session_ok(req, res)) return;
      auto body = nlohmann::json::parse(req.body, nullptr, false);
      std::lock_guard lock(mutex_);
      sent_.push_back(body.value("text", ""));
      nlohmann::json message{{"id", 1000 + static_cast<std::int64_t>(sent_.size())}, {"chat_id", body["chat_id"]},
                             {"date", 1700000000}, {"sender_user_id", me_["id"]}, {"kind", "text"},
                             {"text", body.value("text", "")}, {"files", nlohmann::json::array()}};
      messages_.push_back(message);
      json_reply(res, 200, message);
    });
    server_.Get(R"(/control/account/([^/]+)/limits)", [this](const httplib::Request& req, httplib::Response& res) {
      if (!session_ok(req, res)) return;
      json_reply(res, 200, {{"max_file_size", 2097152000}, {"download_speed_bytes_per_second", speed_.load()}});
    });
    server_.Get(R"(/control/account/([^/]+)/file/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      ++file_requests_;
      if (faulted(req, res) || !session_ok(req, res)) return;
      const std::uint64_t offset = std::stoull(req.get_param_value("offset"));
      const std::uint64_t limit = std::stoull(req.get_param_value("limit"));
      nlohmann::json file;
      {
        std::lock_guard lock(mutex_);
        for (const auto& message : messages_) {
          for (const auto& candidate : message["files"]) {
            if (candidate["unique_id"] == req.matches[2].str()) file = candidate;
          }
        }
      }
      if (file.is_null()) return error_reply(res, 400, "FILE_ID_INVALID");
      const auto size = file["size"].get<std::uint64_t>();
      const auto seed = file["seed"].get<std::uint64_t>();
      std::string bytes;
      for (auto i = offset; i < std::min(size, offset + limit); ++i) bytes.push_back(file_byte(seed, i));
      res.status = 200;
      res.set_content(bytes, "application/octet-stream");
    });
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  Account account_;
  nlohmann::json me_;
  std::string session_;
  int sessions_ = 0;
  bool qr_scanned_ = false;
  std::string revoked_reason_;
  std::atomic<std::int64_t> speed_{0};
  std::atomic<int> file_requests_{0};
  std::vector<Fault> faults_;
  std::map<std::int64_t, nlohmann::json> chats_;
  std::vector<nlohmann::json> messages_;
  std::vector<std::string> sent_;
};

}  // namespace teltubby::testing
